/**
 * Long surveys in parts (issue 13, item 3): a question may open a section with a title in three
 * languages; the form shows "Part 2 of 3" and the title above its questions, question numbers run
 * across the whole form, and staff set a section in the builder without JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { sectionsOf } from '../../src/responses/form.js';
import type { Question, SurveyDefinition } from '../../src/surveys/definition.js';
import { attr, elements, tags, text } from '../html.js';
import { createSurvey, L, makeApp, openSurvey, sampleSurvey, shown } from '../helpers.js';
import { signIn } from '../staff/session.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);

const ABOUT = L('About your organisation', 'Sobre su organización', 'Votre organisation');
const PROGRAMME = L('The programme', 'El programa', 'Le programme');

/** sampleSurvey() in two parts: region; then the rest from speak_freely on. */
function inParts(): SurveyDefinition {
  const def = sampleSurvey();
  const questions = def.questions.map((q, i) => (i === 0 ? { ...q, section: ABOUT } : i === 1 ? { ...q, section: PROGRAMME } : q)) as Question[];
  return { ...def, questions };
}

describe('a survey in parts', () => {
  for (const locale of LOCALES) {
    it(`shows each part's number and title above its questions, numbering questions across parts (${locale})`, async () => {
      const t = await makeApp();
      const def = inParts();
      await openSurvey(t, def);
      const res = await t.app.inject({ url: `/s/${def.slug}?lang=${locale}` });
      expect(res.statusCode).toBe(200);
      const tt = tr(locale);
      const sections = tags(res.body, 'section').filter((s) => attr(s, 'class') === 'form-section');
      expect(sections.map((s) => attr(s, 'aria-labelledby'))).toEqual(['section-0', 'section-1']);
      const headings = elements(res.body, 'h2').map((h) => text(h));
      expect(headings).toContain(text(`${shown(tt('form:section_of', { n: 1, total: 2 }), locale)} ${shown(ABOUT[locale], locale)}`));
      expect(headings).toContain(text(`${shown(tt('form:section_of', { n: 2, total: 2 }), locale)} ${shown(PROGRAMME[locale], locale)}`));
      // The second part holds questions 2 to 5, numbered across the whole form.
      const second = res.body.slice(res.body.indexOf('id="section-1"'));
      expect(text(second)).toContain(text(shown(tt('form:question_of', { n: 2, total: def.questions.length }), locale)));
      expect(text(res.body.slice(res.body.indexOf('id="section-0"'), res.body.indexOf('id="section-1"')))).toContain(
        text(shown(tt('form:question_of', { n: 1, total: def.questions.length }), locale)),
      );
    });
  }

  it('without sections, has no parts at all', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey());
    const res = await t.app.inject({ url: `/s/${sampleSurvey().slug}?lang=en` });
    expect(tags(res.body, 'section').filter((s) => attr(s, 'class') === 'form-section')).toEqual([]);
    expect(text(res.body)).not.toContain('Part 1 of');
  });

  it('is refused without a section title in all three languages, storing nothing', async () => {
    const t = await makeApp();
    const def = inParts();
    (def.questions[1] as { section: unknown }).section = { en: 'The programme', es: 'El programa', fr: '' };
    const created = await t.app.inject({ method: 'POST', url: '/api/surveys?lang=fr', headers: t.as('staff'), payload: def });
    expect(created.statusCode).toBe(400);
    expect(JSON.stringify(created.json())).toContain('questions[1].section.fr');
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(0);
  });

  it('groups questions in order, every question once, each part but the first opened by a titled question (property)', () => {
    const question = fc.record({ id: fc.uuid(), titled: fc.boolean() });
    fc.assert(
      fc.property(fc.array(question, { maxLength: 30 }), (raw) => {
        const questions = raw.map((r) => ({ id: r.id, type: 'likert', prompt: L('q', 'q', 'q'), ...(r.titled ? { section: L('s', 's', 's') } : {}) })) as Question[];
        const parts = sectionsOf(questions);
        expect(parts.flatMap((p) => p.questions.map(({ q }) => q.id))).toEqual(questions.map((q) => q.id));
        expect(parts.flatMap((p) => p.questions.map(({ n }) => n))).toEqual(questions.map((_, i) => i + 1));
        parts.forEach((p, i) => {
          if (i > 0) expect(p.questions[0]!.q.section).toBeDefined();
          expect(p.questions.slice(1).every(({ q }) => q.section === undefined)).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('sections in the builder', () => {
  it('are set in three languages on a question, without JSON, and shown on the form', async () => {
    const t = await makeApp();
    const def = sampleSurvey();
    await createSurvey(t, def);
    const b = await signIn(t, 'staff');
    const url = `/staff/surveys/${def.slug}/edit?lang=fr`;
    const page = (await b.get(url)).body;
    // The field is there for every question, labelled in the reader's language.
    expect(text(page)).toContain(shown(tr('fr')('builder:section'), 'fr'));
    const names = tags(page, 'input').map((i) => attr(i, 'name'));
    for (const l of LOCALES) expect(names).toContain(`questions[1].section.${l}`);
    // Saved with the rest of the form (every field the page holds, as a browser sends it).
    const fields: Record<string, string | string[]> = {};
    for (const input of tags(page.slice(page.indexOf(`action="/staff/surveys/${def.slug}/edit`)), 'input')) {
      const name = attr(input, 'name');
      const type = attr(input, 'type') ?? 'text';
      if (!name || ((type === 'checkbox' || type === 'radio') && attr(input, 'checked') === undefined)) continue;
      const prev = fields[name];
      const value = attr(input, 'value') ?? '';
      fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    for (const m of page.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[m[1]!] = text(m[2]!);
    for (const l of LOCALES) fields[`questions[1].section.${l}`] = PROGRAMME[l];
    const res = await b.post(url, { ...fields, action: 'save' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const stored = JSON.parse(t.db.sqlite.prepare('select definition from surveys where slug = ?').pluck().get(def.slug) as string) as SurveyDefinition;
    expect(stored.questions[1]!.section).toEqual(PROGRAMME);
    expect(stored.questions.filter((q) => q.section !== undefined)).toHaveLength(1);
  });
});
