/**
 * The survey builder (SPEC §12, issue 11): staff build a survey from blank, from a template or as
 * a copy, in the browser without JSON; every button saves the whole form; a refused save keeps
 * what was typed; a draft may be incomplete but opens only when complete; drafts can be deleted;
 * an open survey's closing date moves only later.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { applyAction, averageJointGroup, type BuilderAction, nested, QUESTION_TYPES } from '../../src/staff/builder.js';
import type { DraftDefinition } from '../../src/surveys/definition.js';
import { makeApp, openSurvey, sampleSurvey, type TestApp } from '../helpers.js';
import { attr, decode, elements, tags, text } from '../html.js';
import { type Browser, signIn } from './session.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);

/** The fields a browser would send for the form posting to `action`: inputs, checked boxes, textareas. */
function formFields(html: string, action: string): Record<string, string | string[]> {
  const start = html.indexOf(`action="${action}"`);
  if (start === -1) throw new Error(`no form posting to ${action}`);
  const form = html.slice(html.lastIndexOf('<form', start), html.indexOf('</form>', start));
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const prev = fields[name];
    fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  for (const input of tags(form, 'input')) {
    const name = attr(input, 'name');
    const type = attr(input, 'type') ?? 'text';
    if (!name) continue;
    if ((type === 'checkbox' || type === 'radio') && attr(input, 'checked') === undefined) continue;
    add(name, attr(input, 'value') ?? '');
  }
  for (const m of form.matchAll(/<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(`<textarea${m[1]}>`, 'name');
    if (name) add(name, decode(m[2]!));
  }
  return fields;
}

const stored = (t: TestApp, slug: string) => JSON.parse(t.db.sqlite.prepare('select definition from surveys where slug = ?').pluck().get(slug) as string) as DraftDefinition;

/** Presses a button of the builder (action), with these fields changed, as a browser would. */
async function press(b: Browser, slug: string, page: string, action: string, changes: Record<string, string> = {}, lang = 'en') {
  const url = `/staff/surveys/${slug}/edit?lang=${lang}`;
  const fields = { ...formFields(page, url), ...changes, action };
  return b.post(url, fields);
}

async function start(b: Browser, fields: Record<string, string>, lang = 'en') {
  await b.get(`/staff/surveys/new?lang=${lang}`);
  return b.post(`/staff/surveys/start?lang=${lang}`, fields);
}

const L3 = (en: string, es: string, fr: string) => ({ 'en': en, 'es': es, 'fr': fr });

describe('building a survey from blank', () => {
  it('adds a question of each type, fills it in three languages, reorders and removes, each step saved', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    let res = await start(b, { start: 'blank', slug: 'round-one', title_en: 'Round one', title_es: '', title_fr: '' });
    expect(res.statusCode).toBe(303);
    const follow = async (r: typeof res) => {
      if (r.statusCode !== 303) throw new Error(`${r.statusCode}: ${text(/<div class="error-summary"[\s\S]*?<\/div>/.exec(r.body)?.[0] ?? '')}`);
      return (await b.follow(r)).body;
    };
    expect(res.headers.location).toBe('/staff/surveys/round-one/edit?lang=en&done=created');
    let page = (await b.follow(res)).body;
    expect(stored(t, 'round-one')).toMatchObject({ slug: 'round-one', title: { en: 'Round one', es: '', fr: '' }, questions: [] });
    // What is missing is said: two title translations and a first question.
    expect(text(page)).toContain(tr('en')('builder:missing_count', { count: 3 }));

    for (const type of QUESTION_TYPES) {
      res = await press(b, 'round-one', page, `add:${type}`);
      page = await follow(res);
    }
    expect(stored(t, 'round-one').questions.map((q) => q.type)).toEqual([...QUESTION_TYPES]);

    // Fill every text; a grouping single choice with three options; a rating 1–5.
    const fill: Record<string, string> = { 'title.es': 'Ronda uno', 'title.fr': 'Première vague', 'questions[0].grouping': 'yes', 'questions[3].min': '1', 'questions[3].max': '5' };
    QUESTION_TYPES.forEach((type, i) => {
      for (const l of LOCALES) fill[`questions[${i}].prompt.${l}`] = `${type} ${l}?`;
    });
    res = await press(b, 'round-one', page, 'add_option:0', fill);
    page = await follow(res);
    const labels = (i: number, js: number[]) => {
      const out: Record<string, string> = {};
      for (const j of js) for (const l of LOCALES) out[`questions[${i}].options[${j}].label.${l}`] = `option ${j} ${l}`;
      return out;
    };
    res = await press(b, 'round-one', page, 'add_option:1', { ...labels(0, [0, 1, 2]), ...labels(1, [0, 1]) });
    page = await follow(res);
    // A fourth option for question 2, then removed again.
    res = await press(b, 'round-one', page, 'add_option:1', labels(1, [2]));
    page = await follow(res);
    expect((stored(t, 'round-one').questions[1] as { options: unknown[] }).options).toHaveLength(4);
    res = await press(b, 'round-one', page, 'remove_option:1:3');
    page = await follow(res);
    let def = stored(t, 'round-one');
    expect(def.questions[0]).toMatchObject({ type: 'single_choice', grouping: true, options: [{ label: { en: 'option 0 en' } }, {}, {}] });
    expect(def.questions[1]).toMatchObject({ type: 'multi_choice' });
    expect((def.questions[1] as { options: unknown[] }).options).toHaveLength(3);
    expect(def.questions[3]).toMatchObject({ type: 'rating', min: 1, max: 5 });
    expect(text(page)).toContain(tr('en')('builder:complete'));

    // Move the text question up, then remove the likert one.
    res = await press(b, 'round-one', page, 'up:4');
    expect(res.headers.location).toMatch(/#question-3$/);
    page = await follow(res);
    res = await press(b, 'round-one', page, 'remove:2');
    page = await follow(res);
    def = stored(t, 'round-one');
    expect(def.questions.map((q) => q.type)).toEqual(['single_choice', 'multi_choice', 'text', 'rating']);

    // Complete: it opens.
    const open = await t.app.inject({ method: 'PATCH', url: '/api/surveys/round-one', headers: t.as('staff'), payload: { status: 'open' } });
    expect(open.statusCode).toBe(200);
  });

  for (const locale of LOCALES) {
    it(`shows a refused save beside its field, with everything typed kept, and saves nothing (${locale})`, async () => {
      const t = await makeApp();
      const b = await signIn(t, 'staff', { lang: locale });
      let res = await start(b, { start: 'template:partner-feedback', slug: 'round-two', title_en: '', title_es: '', title_fr: '' }, locale);
      const page = (await b.follow(res)).body;
      const before = stored(t, 'round-two');
      res = await press(b, 'round-two', page, 'save', { minGroupSize: '2', 'questions[2].prompt.fr': 'Une formulation nouvelle, pas encore enregistrée.', closesAt: 'tomorrow' }, locale);
      expect(res.statusCode).toBe(400);
      const body = res.body;
      expect(text(body)).toContain(text(tr(locale)('problems:too_small', { minimum: 3 })));
      expect(text(body)).toContain(text(tr(locale)('problems:invalid_datetime')));
      // The message is beside its field, and what was typed is there again.
      expect(tags(body, 'input').find((i) => attr(i, 'name') === 'minGroupSize')).toMatch(/aria-invalid="true"/);
      expect(tags(body, 'input').find((i) => attr(i, 'name') === 'minGroupSize')).toMatch(/value="2"/);
      expect(elements(body, 'textarea').map(decode)).toContain('Une formulation nouvelle, pas encore enregistrée.');
      expect(stored(t, 'round-two')).toEqual(before);
    });
  }

  it('refuses to open an incomplete draft, listing every problem', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    await start(b, { start: 'blank', slug: 'unfinished', title_en: 'Unfinished', title_es: '', title_fr: '' });
    const res = await t.app.inject({ method: 'PATCH', url: '/api/surveys/unfinished', headers: t.as('staff'), payload: { status: 'open' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual(['$.questions too_few', '$.title.es missing_translation', '$.title.fr missing_translation']);
    // The API stays strict: an incomplete definition is refused there.
    const api = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: { ...sampleSurvey({ slug: 'strict' }), title: { en: 'Only English', es: '', fr: '' } } });
    expect(api.statusCode).toBe(400);
  });
});

describe('starting a survey', () => {
  it('starts from a template, keeping its title where none is given, and from a copy of an earlier survey', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const b = await signIn(t, 'staff');
    let res = await start(b, { start: 'template:partner-feedback', slug: 'pf-2027', title_en: 'Partner feedback 2027', title_es: '', title_fr: '' });
    expect(res.statusCode).toBe(303);
    const fromTemplate = stored(t, 'pf-2027');
    expect(fromTemplate.title.en).toBe('Partner feedback 2027');
    expect(fromTemplate.title.es).not.toBe('');
    expect(fromTemplate.questions.map((q) => q.id)).toContain('acted_on_feedback');
    res = await start(b, { start: 'copy:learning-lab-2026', slug: 'learning-lab-2027', title_en: '', title_es: '', title_fr: '' });
    expect(res.statusCode).toBe(303);
    expect(stored(t, 'learning-lab-2027')).toMatchObject({ series: 'learning-lab-2026', questions: sampleSurvey().questions });
  });

  it('keeps what was typed when the address is taken or malformed', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const b = await signIn(t, 'staff', { lang: 'es' });
    let res = await start(b, { start: 'blank', slug: 'learning-lab-2026', title_en: 'Typed', title_es: 'Escrito', title_fr: 'Saisi' }, 'es');
    expect(res.statusCode).toBe(409);
    expect(text(res.body)).toContain(text(tr('es')('errors:slug_taken', { slug: 'learning-lab-2026' })));
    expect(tags(res.body, 'input').find((i) => attr(i, 'name') === 'title_es')).toMatch(/value="Escrito"/);
    res = await start(b, { start: 'blank', slug: 'Not A Slug', title_en: 'Typed', title_es: '', title_fr: '' }, 'es');
    expect(res.statusCode).toBe(400);
    expect(tags(res.body, 'input').find((i) => attr(i, 'name') === 'slug')).toMatch(/aria-invalid="true"/);
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(1);
  });
});

describe('who may build', () => {
  it('lets neither the Working Group nor a visitor build, start, delete or move a date', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const staff = await signIn(t, 'staff');
    await start(staff, { start: 'blank', slug: 'draft-one', title_en: 'Draft', title_es: '', title_fr: '' });
    const wg = await signIn(t, 'wg');
    await wg.get('/wg');
    for (const [method, url] of [
      ['GET', '/staff/surveys/draft-one/edit'],
      ['POST', '/staff/surveys/draft-one/edit'],
      ['POST', '/staff/surveys/start'],
      ['GET', '/staff/surveys/draft-one/delete'],
      ['POST', '/staff/surveys/draft-one/delete'],
      ['POST', '/staff/surveys/learning-lab-2026/closing'],
    ] as const) {
      const res = method === 'GET' ? await wg.get(url) : await wg.post(url, { slug: 'x', start: 'blank', closesAt: '2031-01-01T00:00' });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      const anon = await t.app.inject({ method, url });
      expect(anon.statusCode, `${method} ${url} signed out`).toBe(303);
    }
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(2);
  });
});

describe('deleting drafts and moving a closing date', () => {
  it('deletes a draft after asking, never an opened survey', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const b = await signIn(t, 'staff');
    await start(b, { start: 'blank', slug: 'to-delete', title_en: 'Gone soon', title_es: '', title_fr: '' });
    const ask = await b.get('/staff/surveys/to-delete/delete?lang=fr');
    expect(text(ask.body)).toContain(text(tr('fr')('builder:delete_body')));
    let res = await b.post('/staff/surveys/to-delete/delete?lang=fr', {});
    expect(res.statusCode).toBe(303);
    expect(t.db.sqlite.prepare("select count(*) from surveys where slug = 'to-delete'").pluck().get()).toBe(0);
    res = await b.post('/staff/surveys/learning-lab-2026/delete', {});
    expect(res.statusCode).toBe(409);
    expect(t.db.sqlite.prepare("select count(*) from surveys where slug = 'learning-lab-2026'").pluck().get()).toBe(1);
  });

  it('moves an open survey\'s closing date later, never earlier, and changes nothing else', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ closesAt: '2031-01-01T12:00:00.000Z' }));
    const b = await signIn(t, 'staff');
    await b.get('/staff/surveys/learning-lab-2026');
    const before = stored(t, 'learning-lab-2026');
    let res = await b.post('/staff/surveys/learning-lab-2026/closing?lang=es', { closesAt: '2030-06-01T12:00' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain(text(tr('es')('problems:closes_earlier')));
    res = await b.post('/staff/surveys/learning-lab-2026/closing', { closesAt: '2031-02-01T09:30' });
    expect(res.statusCode).toBe(303);
    expect(stored(t, 'learning-lab-2026')).toEqual({ ...before, closesAt: '2031-02-01T09:30:00.000Z' });
    // The partners' form is still there, and reads the new date (the cached definition followed).
    const api = await t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026' });
    expect(api.json().closesAt).toBe('2031-02-01T09:30:00.000Z');
  });
});

describe('the warning about small joint groups', () => {
  it('warns when the grouping questions split the expected partners into groups smaller than k on average', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    await start(b, { start: 'template:partner-feedback', slug: 'pf', title_en: '', title_es: '', title_fr: '' });
    // Two grouping questions: (4 + 1) × (3 + 1) = 20 joint groups; 30 partners → 1.5 each, below k = 5.
    let page = await b.get('/staff/surveys/pf/edit?lang=en');
    expect(text(page.body)).toContain(text(tr('en')('builder:small_groups', { groups: 20, expected: 30, average: '1.5', k: 5 })));
    const res = await press(b, 'pf', page.body, 'save', { expected: '200' });
    page = await b.follow(res);
    expect(text(page.body)).not.toContain(text(tr('en')('builder:small_groups', { groups: 20, expected: 200, average: '10', k: 5 })).slice(0, 40));
  });

  it('computes the average joint group from the options of the grouping questions', () => {
    const def = sampleSurvey();
    const grouping = def.questions.filter((q) => q.type === 'single_choice' && q.grouping);
    const groups = grouping.reduce((n, q) => n * ((q as { options: unknown[] }).options.length + 1), 1);
    expect(averageJointGroup(def, 40)).toEqual({ groups, average: 40 / groups });
    expect(averageJointGroup({ questions: [] }, 40)).toBeUndefined();
  });
});

describe('builder logic', () => {
  const action = fc.oneof(
    fc.constantFrom(...QUESTION_TYPES).map((type): BuilderAction => ({ kind: 'add', type })),
    fc.record({ kind: fc.constantFrom('up' as const, 'down' as const, 'remove' as const, 'add_option' as const), question: fc.nat(8) }),
    fc.record({ kind: fc.constant('remove_option' as const), question: fc.nat(8), option: fc.nat(4) }),
    fc.constant<BuilderAction>({ kind: 'save' }),
  );

  it('keeps question ids and option values unique, whatever buttons are pressed (property)', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let draft: Pick<DraftDefinition, 'questions'> = { questions: [] };
        let added = 0;
        let removed = 0;
        for (const a of actions) {
          const before = draft.questions.length;
          draft = applyAction(draft, a).draft;
          if (a.kind === 'add') added++;
          if (a.kind === 'remove' && draft.questions.length < before) removed++;
        }
        expect(draft.questions).toHaveLength(added - removed);
        expect(new Set(draft.questions.map((q) => q.id)).size).toBe(draft.questions.length);
        for (const q of draft.questions) {
          if (q.type === 'single_choice' || q.type === 'multi_choice') expect(new Set(q.options.map((o) => o.value)).size).toBe(q.options.length);
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('reads nested field names into objects and lists', () => {
    expect(nested({ 'title.en': 'A', 'questions[1].prompt.fr': 'B', 'questions[0].options[0].value': 'x', 'questions[0].required': ['yes'] })).toEqual({
      title: { en: 'A' },
      questions: [{ options: [{ value: 'x' }], required: 'yes' }, { prompt: { fr: 'B' } }],
    });
  });
});
