/** The partner's HTML form (§4): every question type, 303 on success, the form again with errors. */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { attr, byId, elementById, elements, tags, text } from '../html.js';
import { inviteCodes, L, makeApp, openSurvey, postForm, sampleSurvey, shown, tableCounts } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);
const SLUG = 'learning-lab-2026';
const validFields = { region: 'asia', speak_freely: '4', activities: ['calls', 'visits'], usefulness: '7', suggestions: 'Plus de temps pour échanger.' };

/** Every labelable control has a label pointing at it, and every label points at a control. */
function expectLabelled(html: string) {
  const controls = [...tags(html, 'input'), ...tags(html, 'textarea')].filter((tag) => attr(tag, 'type') !== 'hidden');
  expect(controls.length).toBeGreaterThan(0);
  const labelFor = new Set(tags(html, 'label').map((tag) => attr(tag, 'for')));
  for (const control of controls) {
    const id = attr(control, 'id');
    expect(id, control).toBeTruthy();
    expect(labelFor.has(id), `no label for ${control}`).toBe(true);
  }
  for (const target of labelFor) expect(byId(html, target!), `label for missing #${target}`).toBeDefined();
}

/** The fieldset (or the block) holding the controls named `name`. */
function questionBlock(html: string, name: string): string {
  const blocks = [...html.matchAll(/<(fieldset|div) class="q[^"]*"[^>]*>[\s\S]*?<\/\1>(?=<(?:fieldset|div) class="q|<button)/g)].map((m) => m[0]);
  const block = blocks.find((b) => tags(b, 'input').concat(tags(b, 'textarea')).some((tag) => attr(tag, 'name') === name));
  if (!block) throw new Error(`no block for ${name}`);
  return block;
}

const bigSurvey = (): SurveyDefinition => {
  const prompt = (i: number) =>
    L(
      `Question ${i}: how well does the programme support your organisation in this area of work?`,
      `Pregunta ${i}: ¿en qué medida apoya el programa a su organización en este ámbito de trabajo?`,
      `Question ${i} : dans quelle mesure le programme soutient-il votre organisation dans ce domaine ?`,
    );
  const options = ['one', 'two', 'three', 'four', 'five'].map((v) => ({ value: v, label: L(`Option ${v}`, `Opción ${v}`, `Option ${v}`) }));
  const questions: SurveyDefinition['questions'] = [];
  for (let i = 0; i < 20; i++) {
    const kind = i % 5;
    if (kind === 0) questions.push({ id: `q${i}`, type: 'single_choice', grouping: i === 0, prompt: prompt(i), options });
    else if (kind === 1) questions.push({ id: `q${i}`, type: 'likert', prompt: prompt(i) });
    else if (kind === 2) questions.push({ id: `q${i}`, type: 'multi_choice', prompt: prompt(i), options });
    else if (kind === 3) questions.push({ id: `q${i}`, type: 'rating', min: 0, max: 10, prompt: prompt(i) });
    else questions.push({ id: `q${i}`, type: 'text', prompt: prompt(i) });
  }
  return sampleSurvey({ slug: 'twenty-questions', questions });
};

describe('GET /s/:slug', () => {
  it('renders every question type with fieldsets, legends and labels, in the partner\'s language', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ questions: [...sampleSurvey().questions, { id: 'wide', type: 'rating', min: 0, max: 100, prompt: L('Wide', 'Amplia', 'Large') }] }));
    for (const locale of LOCALES) {
      const res = await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=${locale}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const html = res.body;
      const survey = sampleSurvey();
      expect(elements(html, 'h1').map(text)).toEqual([survey.title[locale]]);
      // One fieldset with a legend per choice, likert and (short) rating question.
      const legends = elements(html, 'legend').map(text);
      // Each numbered: "Question 2 of 6", then its prompt (issue 13, item 3).
      survey.questions.forEach((q, i) => {
        if (q.type === 'text') return;
        const number = tr(locale, 'form:question_of', { n: i + 1, total: 6 });
        expect(legends.some((l) => l.startsWith(`${number} ${shown(q.prompt[locale], locale)}`)), q.id).toBe(true);
      });
      // A question with a label rather than a legend is numbered too.
      expect(text(/<label for="q-wide">([\s\S]*?)<\/label>/.exec(html)![1]!)).toBe(`${tr(locale, 'form:question_of', { n: 6, total: 6 })} ${L('Wide', 'Amplia', 'Large')[locale]}`);
      expect(tags(html, 'fieldset')).toHaveLength(4);
      // Radios for single choice (with "prefer not to say" on the grouping question), boxes for multi-choice.
      const inputs = tags(html, 'input');
      const named = (name: string) => inputs.filter((tag) => attr(tag, 'name') === name);
      expect(named('region').map((tag) => [attr(tag, 'type'), attr(tag, 'value')])).toEqual([
        ['radio', 'africa'],
        ['radio', 'americas'],
        ['radio', 'asia'],
        ['radio', 'prefer_not_to_say'],
      ]);
      expect(named('activities').map((tag) => attr(tag, 'type'))).toEqual(['checkbox', 'checkbox', 'checkbox']);
      expect(named('speak_freely').map((tag) => attr(tag, 'value'))).toEqual(['1', '2', '3', '4', '5']);
      expect(named('usefulness').map((tag) => attr(tag, 'value'))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      expect(named('wide').map((tag) => [attr(tag, 'type'), attr(tag, 'min'), attr(tag, 'max')])).toEqual([['number', '0', '100']]);
      expect(tags(html, 'textarea').map((tag) => attr(tag, 'name'))).toEqual(['suggestions']);
      expectLabelled(html);
      // Labels in the partner's language: likert points from the locale files, option labels from the definition.
      const labels = elements(html, 'label').map(text);
      for (const point of [1, 2, 3, 4, 5]) expect(labels).toContain(tr(locale, `form:likert.${point}`));
      expect(labels).toContain(tr(locale, 'form:prefer_not_to_say'));
      expect(labels).toContain(L('Mentoring', 'Mentoría', 'Mentorat')[locale]);
      expect(labels).toContain(L('Africa', 'África', 'Afrique')[locale]);
      // The plain statement of what is stored, in the same language.
      for (const key of ['title', 'not_stored', 'no_withdrawal', 'working_group']) expect(text(html)).toContain(tr(locale, `form:privacy.${key}`, { k: 5 }));
      // The form posts back to itself, keeping the language, and needs no JavaScript.
      const form = tags(html, 'form')[0]!;
      expect(attr(form, 'method')).toBe('post');
      expect(attr(form, 'action')).toBe(`/s/${SLUG}?lang=${locale}`);
      expect(html).not.toMatch(/<script/i);
      // Buttons: the default one Enter presses (hidden, first), the two other languages, and "send".
      const buttons = tags(html, 'button');
      expect(buttons.map((tag) => attr(tag, 'type'))).toEqual(['submit', 'submit', 'submit', 'submit']);
      expect(attr(buttons[0]!, 'name')).toBeUndefined();
      expect(attr(buttons[0]!, 'tabindex')).toBe('-1');
      expect(buttons.slice(1, 3).map((tag) => [attr(tag, 'name'), attr(tag, 'value'), attr(tag, 'formaction')])).toEqual(LOCALES.filter((l) => l !== locale).map((l) => ['_lang', l, `/s/${SLUG}?lang=${l}`]));
      expect(attr(buttons[3]!, 'name')).toBeUndefined();
    }
  });

  it('says in two plain lines what is never stored and who reads comments first, the rest folded, promising nothing it cannot keep', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const norm = (s: string) => s;
    for (const locale of LOCALES) {
      const html = (await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=${locale}` })).body;
      const notice = /<section class="notice privacy" aria-labelledby="privacy-title">([\s\S]*?)<\/section>/.exec(html)![1]!;
      const [shown, folded] = notice.split('<details>');
      expect(elements(shown!, 'p').map((p) => text(p))).toEqual([norm(tr(locale, 'form:privacy.short_stored')), norm(tr(locale, 'form:privacy.short_reviewed'))]);
      expect(text(elements(folded!, 'summary')[0]!)).toBe(tr(locale, 'form:privacy.more'));
      expect(text(folded!)).toContain(norm(tr(locale, 'form:privacy.scrubbed')));
      // Before the first question.
      expect(html.indexOf('privacy-title')).toBeLessThan(html.indexOf('<fieldset'));
    }
    // Names are not replaced by a machine that does not know them: the statement no longer says they are.
    expect(tr('en', 'form:privacy.scrubbed')).not.toMatch(/names of partner organisations, people and places are replaced/);
    expect(tr('en', 'form:privacy.scrubbed')).toMatch(/Working Group removes them/);
  });

  it('changes language with everything typed in place, storing nothing and spending no code', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const [code] = await inviteCodes(t, SLUG, 1);
    const before = tableCounts(t);
    const res = await postForm(t, `/s/${SLUG}?lang=en`, { ...validFields, inviteCode: code!, _lang: 'fr' });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<html lang="fr"');
    expect(elements(html, 'h1').map(text)).toEqual([sampleSurvey().title.fr]);
    // Every answer in place, no error shown.
    const checked = tags(html, 'input').filter((tag) => attr(tag, 'checked') !== undefined).map((tag) => `${attr(tag, 'name')}=${attr(tag, 'value')}`);
    expect(checked.sort()).toEqual(['activities=calls', 'activities=visits', 'region=asia', 'speak_freely=4', 'usefulness=7']);
    expect(text(elementById(html, 'q-suggestions')!)).toBe(validFields.suggestions);
    expect(attr(tags(html, 'input').find((tag) => attr(tag, 'name') === 'inviteCode')!, 'value')).toBe(code);
    expect(html).not.toContain('error-summary');
    // The form now posts in French; nothing was stored and the code is unspent.
    expect(attr(tags(html, 'form')[0]!, 'action')).toBe(`/s/${SLUG}?lang=fr`);
    expect(tableCounts(t)).toEqual(before);
    expect(t.db.sqlite.prepare('select count(*) from invites where spent = 1').pluck().get()).toBe(0);
    // Sent from there, the same answers are stored once, in French.
    const sent = await postForm(t, `/s/${SLUG}?lang=fr`, { ...validFields, inviteCode: code! });
    expect(sent.statusCode).toBe(303);
    expect(String(sent.headers.location)).toBe(`/s/${SLUG}/thanks?lang=fr`);
    expect(tableCounts(t).responses).toBe(before.responses + 1);
    // An unknown language is no switch: the form is judged as sent.
    const odd = await postForm(t, `/s/${SLUG}?lang=en`, { region: 'asia', _lang: 'de' });
    expect(odd.statusCode).toBe(400);
  });

  it('asks for the invitation code on an invite-only survey, filled from the link', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const html = (await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=es&code=ABCD-1234` })).body;
    const field = tags(html, 'input').find((tag) => attr(tag, 'name') === 'inviteCode')!;
    expect(field).toBeDefined();
    expect(attr(field, 'value')).toBe('ABCD-1234');
    expect(text(html)).toContain(tr('es', 'form:invite_code'));
    expect(text(html)).toContain(tr('es', 'form:privacy.invite_code'));
    expectLabelled(html);
    // An open survey has no code field.
    const t2 = await makeApp();
    await openSurvey(t2);
    expect((await t2.app.inject({ method: 'GET', url: `/s/${SLUG}?code=X` })).body).not.toContain('inviteCode');
  });

  it('answers 404 with a translated page for a survey that is not open', async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'GET', url: '/s/nothing-here', headers: { 'accept-language': 'fr' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(text(res.body)).toContain(tr('fr', 'errors:survey_not_open'));
  });

  it('lists open surveys on the home page, and not drafts', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: sampleSurvey({ slug: 'a-draft', title: L('Secret draft', 'Borrador', 'Brouillon') }) });
    const html = (await t.app.inject({ method: 'GET', url: '/?lang=fr' })).body;
    expect(text(html)).toContain("Laboratoire d'apprentissage 2026");
    expect(tags(html, 'a').map((tag) => attr(tag, 'href'))).toContain(`/s/${SLUG}?lang=fr`);
    expect(html).not.toContain('a-draft');
    expect(text(html)).not.toContain('Brouillon');
  });
});

describe('POST /s/:slug', () => {
  it('stores valid answers and redirects (303) to a thank-you page in the same language', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const res = await postForm(t, `/s/${SLUG}?lang=es`, validFields);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/s/${SLUG}/thanks?lang=es`);
    expect(tableCounts(t)).toEqual({ responses: 1, answers: 4, comments: 1 });
    expect(t.db.sqlite.prepare("select value from answers where question_id = 'activities'").pluck().get()).toBe('calls|visits');
    const thanks = await t.app.inject({ method: 'GET', url: res.headers.location as string });
    expect(thanks.statusCode).toBe(200);
    expect(text(thanks.body)).toContain(tr('es', 'form:thanks_title'));
    expect(text(thanks.body)).toContain(tr('es', 'form:thanks_unlinked'));
  });

  it('keeps the language of Accept-Language when there is no ?lang', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const res = await postForm(t, `/s/${SLUG}`, validFields, { 'accept-language': 'fr-SN, fr;q=0.9' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/s/${SLUG}/thanks?lang=fr`);
  });

  it('shows the form again (400) with the answers kept, an error beside each field and a summary at the top', async () => {
    const t = await makeApp();
    await openSurvey(t);
    for (const locale of LOCALES) {
      const res = await postForm(t, `/s/${SLUG}?lang=${locale}`, { region: 'asia', activities: ['calls', 'visits'], usefulness: '42', suggestions: 'Mon commentaire' });
      expect(res.statusCode).toBe(400);
      const html = res.body;
      expect(html).toContain(`<html lang="${locale}"`);

      // The answers are kept.
      const checked = tags(html, 'input').filter((tag) => attr(tag, 'checked') !== undefined).map((tag) => `${attr(tag, 'name')}=${attr(tag, 'value')}`);
      expect(checked.sort()).toEqual(['activities=calls', 'activities=visits', 'region=asia']);
      expect(text(elementById(html, 'q-suggestions')!)).toBe('Mon commentaire');

      // A translated error beside each field that has one, and only there.
      const required = tr(locale, 'problems:required_answer');
      const range = tr(locale, 'problems:out_of_range', { min: 0, max: 10 });
      const speak = questionBlock(html, 'speak_freely');
      const useful = questionBlock(html, 'usefulness');
      expect(text(speak)).toContain(required);
      expect(text(useful)).toContain(range);
      for (const block of [speak, useful]) {
        expect(tags(block, 'input').every((tag) => attr(tag, 'aria-invalid') === 'true')).toBe(true);
        const error = [...block.matchAll(/<p class="field-error" id="([^"]+)"/g)].map((m) => m[1]!);
        expect(error).toHaveLength(1);
        const describedBy = (attr(tags(block, 'fieldset')[0]!, 'aria-describedby') ?? '').split(' ');
        expect(describedBy).toContain(error[0]);
      }
      for (const name of ['region', 'activities', 'suggestions']) expect(questionBlock(html, name)).not.toContain('field-error');

      // The summary comes before the form, says how many problems, and links to each field.
      const summaryAt = html.indexOf('error-summary');
      expect(summaryAt).toBeGreaterThan(-1);
      expect(summaryAt).toBeLessThan(html.indexOf('<form'));
      const summary = html.slice(summaryAt, html.indexOf('</div>', summaryAt));
      expect(text(summary)).toContain(tr(locale, 'form:error_summary', { count: 2 }));
      expect(text(summary)).toContain(required);
      expect(text(summary)).toContain(range);
      const targets = tags(summary, 'a').map((tag) => attr(tag, 'href')!);
      expect(targets).toHaveLength(2);
      for (const target of targets) {
        expect(target.startsWith('#')).toBe(true);
        const field = byId(html, target.slice(1));
        expect(field, target).toBeDefined();
        expect(['speak_freely', 'usefulness']).toContain(attr(field!, 'name'));
      }
    }
    expect(tableCounts(t)).toEqual({ responses: 0, answers: 0, comments: 0 });
  });

  it('keeps the code and says what is wrong with it on an invite-only survey (403), storing nothing', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    let res = await postForm(t, `/s/${SLUG}?lang=fr`, validFields);
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain(tr('fr', 'errors:invite_code_missing'));
    res = await postForm(t, `/s/${SLUG}?lang=fr`, { ...validFields, inviteCode: 'WXYZ-9876' });
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain(tr('fr', 'errors:invite_code_invalid'));
    expect(attr(tags(res.body, 'input').find((tag) => attr(tag, 'name') === 'inviteCode')!, 'value')).toBe('WXYZ-9876');
    expect(text(elementById(res.body, 'q-suggestions')!)).toBe(validFields.suggestions);
    // An empty form gets the answer problems first (400), never a verdict on the code.
    res = await postForm(t, `/s/${SLUG}?lang=fr`, { inviteCode: 'WXYZ-9876' });
    expect(res.statusCode).toBe(400);
    expect(tableCounts(t)).toEqual({ responses: 0, answers: 0, comments: 0 });
  });

  it('answers 404 with a page for a survey that is not open, and 429 with a translated page past the limit', async () => {
    const t = await makeApp({ rateLimitPerMinute: 3 });
    await openSurvey(t);
    const missing = await postForm(t, '/s/nothing-here?lang=es', validFields);
    expect(missing.statusCode).toBe(404);
    expect(text(missing.body)).toContain(tr('es', 'errors:survey_not_open'));
    expect((await postForm(t, `/s/${SLUG}`, validFields)).statusCode).toBe(303);
    expect((await postForm(t, `/s/${SLUG}`, validFields)).statusCode).toBe(303);
    const limited = await postForm(t, `/s/${SLUG}?lang=es`, validFields);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(text(limited.body)).toMatch(new RegExp(tr('es', 'errors:rate_limited', { seconds: 999 }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('999', '\\d+')));
    expect(tableCounts(t).responses).toBe(2);
  });
});

describe('weight', () => {
  it('keeps a form page under 30 KB with its stylesheet, even with 20 questions in French', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await openSurvey(t, bigSurvey());
    const css = await t.app.inject({ method: 'GET', url: '/assets/candor.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    for (const url of [`/s/${SLUG}?lang=fr`, '/s/twenty-questions?lang=fr', '/s/twenty-questions?lang=es']) {
      const page = await t.app.inject({ method: 'GET', url });
      const bytes = Buffer.byteLength(page.body) + Buffer.byteLength(css.body);
      expect(bytes, url).toBeLessThan(30 * 1024);
      // One stylesheet, from Candor itself, and no web fonts.
      expect(tags(page.body, 'link').filter((tag) => attr(tag, 'rel') === 'stylesheet').map((tag) => attr(tag, 'href'))).toEqual(['/assets/candor.css']);
    }
    expect(css.body).not.toMatch(/@font-face|@import|url\(\s*['"]?(https?:)?\/\//i);
  });
});

describe('markup in survey texts and answers', () => {
  const hostile = () =>
    sampleSurvey({
      title: L('<script>alert(1)</script>', '<script>alert(2)</script>', '<script>alert(3)</script>'),
      description: L('</p><a href="javascript:alert(1)">x</a>', '<iframe src=//evil.example>', '<style>body{display:none}</style>'),
      questions: [
        {
          id: 'region',
          type: 'single_choice',
          grouping: true,
          prompt: L('<b onmouseover=alert(1)>Where?</b>', '¿<i>Dónde</i>?', 'Où ?'),
          options: [
            { value: 'a', label: L('"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", '&lt;b&gt;') },
            { value: 'b', label: L('B', 'B', 'B') },
          ],
        },
        { id: 'note', type: 'text', prompt: L('Note', 'Nota', 'Note') },
      ],
    });

  it('is escaped on the form, the home page and the thank-you page', async () => {
    const t = await makeApp();
    await openSurvey(t, hostile());
    for (const url of [`/s/${SLUG}?lang=en`, `/s/${SLUG}?lang=es`, `/s/${SLUG}?lang=fr`, '/?lang=en', '/?lang=es', `/s/${SLUG}/thanks?lang=en`]) {
      const html = (await t.app.inject({ method: 'GET', url })).body;
      expect(html, url).not.toMatch(/<script|<img|<svg|<iframe|<style|<i>|<b[ >]|<a href="javascript/i);
      expect(tags(html, 'a').every((tag) => !/^javascript:/i.test(attr(tag, 'href') ?? '')), url).toBe(true);
    }
    const form = (await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=en` })).body;
    // Shown as text, exactly as written.
    expect(elements(form, 'h1').map(text)).toEqual(['<script>alert(1)</script>']);
    expect(elements(form, 'label').map(text)).toContain('"><img src=x onerror=alert(1)>');
    const fr = (await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=fr` })).body;
    expect(elements(fr, 'label').map(text)).toContain('&lt;b&gt;');
  });

  it('is escaped when the partner\'s own answers are shown again', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const note = '</textarea><script>alert(1)</script>';
    const res = await postForm(t, `/s/${SLUG}`, { suggestions: note, inviteCode: '"><script>alert(2)</script>', region: '"><img src=x>' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/<script|<img/i);
    expect(text(elementById(res.body, 'q-suggestions')!)).toBe(note);
    expect(attr(tags(res.body, 'input').find((tag) => attr(tag, 'name') === 'inviteCode')!, 'value')).toBe('"><script>alert(2)</script>');
    const linked = (await t.app.inject({ method: 'GET', url: `/s/${SLUG}?code=${encodeURIComponent('"><script>alert(3)</script>')}` })).body;
    expect(linked).not.toMatch(/<script/i);
  });
});

