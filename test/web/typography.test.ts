/**
 * French typography at render time (issue 13, item 4): no-break spaces before ? ! ; : and inside
 * « » in every French page — Candor's strings and the survey's own texts — never inside what a
 * reader typed, an attribute, code, or an element in another language; and not at all in English
 * or Spanish pages. Examples, properties (fast-check), and the pages themselves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typesetFrench, typesetFrenchHtml } from '../../src/web/typography.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES_FOLDER } from '../../src/i18n/index.js';
import { elements, tags, attr } from '../html.js';
import { L, makeApp, openSurvey, postForm, sampleSurvey } from '../helpers.js';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('typesetFrench', () => {
  it('puts the right no-break space before ? ! ; and :, and inside « »', () => {
    expect(typesetFrench('Quelle utilité ? Oui ! Bien ; enfin : « voilà »')).toBe(`Quelle utilité${NNBSP}? Oui${NNBSP}! Bien${NNBSP}; enfin${NBSP}: «${NBSP}voilà${NBSP}»`);
    // Already right: unchanged. No space at all: none is invented (an address, a time).
    expect(typesetFrench(`Vraiment${NNBSP}?`)).toBe(`Vraiment${NNBSP}?`);
    expect(typesetFrench('https://example.org 10:30 «a»')).toBe(`https://example.org 10:30 «${NBSP}a${NBSP}»`);
  });

  it('is idempotent, keeps every letter, and leaves no breakable space before high punctuation (property)', () => {
    const piece = fc.constantFrom('mot', ' ', '?', '!', ';', ':', '«', '»', NBSP, NNBSP, 'é', '10', "l'");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
        const once = typesetFrench(text);
        expect(typesetFrench(once)).toBe(once);
        const letters = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '');
        expect(letters(once)).toBe(letters(text));
        expect(once).not.toMatch(/ [?!;:»]/);
        expect(once).not.toMatch(/« /);
      }),
      { numRuns: 500 },
    );
  });
});

describe('typesetFrenchHtml', () => {
  it('typesets text between tags, never attributes, typed text, code, or another language', () => {
    const html = '<html lang="fr"><body><p title="a ?">Pourquoi ?</p><textarea name="x">Tel quel ?</textarea><code>a ?</code><span lang="en">Why ?</span><input value="b ?"><p>Fin !</p></body></html>';
    expect(typesetFrenchHtml(html)).toBe(
      `<html lang="fr"><body><p title="a ?">Pourquoi${NNBSP}?</p><textarea name="x">Tel quel ?</textarea><code>a ?</code><span lang="en">Why ?</span><input value="b ?"><p>Fin${NNBSP}!</p></body></html>`,
    );
  });

  it('keeps the tags and the verbatim parts of any well-formed page exactly (property)', () => {
    const text = fc.constantFrom('Quoi ?', 'a : b', '« c »', 'd ; e', 'mot', ' ');
    const node: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text,
        fc.tuple(fc.constantFrom('p', 'span', 'textarea', 'code', 'strong'), fc.array(tie('node'), { maxLength: 3 })).map(([name, children]) => `<${name} class="x ?">${children.join('')}</${name}>`),
      ),
    })).node as fc.Arbitrary<string>;
    fc.assert(
      fc.property(fc.array(node, { maxLength: 5 }), (nodes) => {
        const html = `<html lang="fr"><body>${nodes.join('')}</body></html>`;
        const out = typesetFrenchHtml(html);
        const tagsOf = (s: string) => s.match(/<[^>]+>/g) ?? [];
        expect(tagsOf(out)).toEqual(tagsOf(html));
        // Whatever sits in a textarea or code comes out as it went in.
        const verbatim = (s: string) => [...s.matchAll(/<(textarea|code) class="x \?">([\s\S]*?)<\/\1>/g)].map((m) => m[2]).filter((inner) => !inner!.includes('<'));
        expect(verbatim(out)).toEqual(verbatim(html));
      }),
      { numRuns: 300 },
    );
  });
});

describe('French pages', () => {
  it('typeset survey texts and Candor\'s strings alike; English and Spanish pages are left as written', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ questions: [{ id: 'why', type: 'text', prompt: L('Why?', '¿Por qué?', 'Pourquoi ?') }, { id: 'note', type: 'likert', prompt: L('Note: this', 'Nota: esto', 'Remarque : ceci') }] }));
    const fr = (await t.app.inject({ url: '/s/learning-lab-2026?lang=fr' })).body;
    expect(fr).toContain(`Pourquoi${NNBSP}?`);
    expect(fr).toContain(`Remarque${NBSP}: ceci`);
    expect(fr).toContain(`Comment le programme fonctionne-t-il pour vous${NNBSP}?`);
    // No breakable space before high punctuation anywhere in the page's text.
    const visible = fr.replace(/<[^>]+>/g, '\n');
    expect(visible).not.toMatch(/ [?!;:»]/);
    // The language buttons, in their own languages, are untouched.
    expect(elements(fr, 'button').some((b) => b.includes('English'))).toBe(true);
    for (const lang of ['en', 'es']) {
      const page = (await t.app.inject({ url: `/s/learning-lab-2026?lang=${lang}` })).body;
      expect(page).not.toMatch(/[\u202f]/);
    }
    // What a partner typed comes back exactly as typed, in French too.
    const res = await postForm(t, '/s/learning-lab-2026?lang=fr', { why: 'Trop court ! Vraiment ?', note: '9' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('>Trop court ! Vraiment ?</textarea>');
    expect(tags(res.body, 'textarea').map((x) => attr(x, 'name'))).toEqual(['why']);
  });

  it('use the typographic apostrophe and no-break spaces in Candor\'s own French, in every file', () => {
    const folder = join(LOCALES_FOLDER, 'fr');
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const values = JSON.stringify(Object.values(JSON.parse(readFileSync(join(folder, file), 'utf8')) as object));
      expect(values, file).not.toMatch(/\p{L}'\p{L}/u);
      expect(values, file).not.toMatch(/ [?!;:](?=[ "])/);
    }
  });
});
