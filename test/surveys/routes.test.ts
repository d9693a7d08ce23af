/** The survey API (§3, §10): create, list with live counts, open/close, draft edits, reading a survey. */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { createSurvey, L, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);

const patch = (t: TestApp, slug: string, payload: unknown, headers: Record<string, string> = t.as('staff')) =>
  t.app.inject({ method: 'PATCH', url: `/api/surveys/${slug}`, headers, payload: payload as object });

const list = (t: TestApp) => t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') });

describe('POST /api/surveys', () => {
  it('creates a draft (201) and answers the stored definition with its protection settings', async () => {
    const t = await makeApp({ minGroupSize: 6 });
    const res = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: sampleSurvey() });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ slug: 'learning-lab-2026', status: 'draft', access: 'open', minGroupSize: 6, minComments: 8, minDiversity: 1, interimReleases: false });
    expect(res.json().questions).toHaveLength(5);
  });

  it('stores the protection defaults of the configuration at creation, unchanged by a later configuration', async () => {
    const first = await makeApp({ minGroupSize: 6, minDiversity: 2 });
    await openSurvey(first);
    await first.app.close();
    const later = await makeApp({ minGroupSize: 9, minDiversity: 3, databasePath: first.config.databasePath });
    const res = await later.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026' });
    expect(res.json()).toMatchObject({ minGroupSize: 6, minDiversity: 2, minComments: 8, access: 'open' });
  });

  it('refuses a second survey with the same slug (409), in the reader\'s language', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/surveys?lang=fr', headers: t.as('staff'), payload: sampleSurvey() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ statusCode: 409, error: 'slug_taken', message: tr('fr', 'errors:slug_taken', { slug: 'learning-lab-2026' }) });
  });

  it('rejects an invalid definition with 400 and every problem, each with its JSON path, translated', async () => {
    const t = await makeApp();
    const bad = structuredClone(sampleSurvey()) as any;
    bad.questions[1].type = 'ranking';
    bad.questions[3].id = 'region';
    delete bad.questions[2].prompt.fr;
    bad.questions[4].options = [{ value: 'x', label: L('x', 'x', 'x') }];
    bad.questions[2].grouping = true;
    bad.questions[0].options.push({ value: 'prefer_not_to_say', label: L('No', 'No', 'Non') });
    bad.questions[0].options.push({ value: 'asia', label: L('Asia', 'Asia', 'Asie') });
    bad.minGroupSize = 2;
    bad.minComments = 1;
    bad.closesAt = '15/12/2026';
    bad.colour = 'red';
    const expected = [
      '$.questions[1].type unknown_type',
      '$.questions[3].id duplicate_id',
      '$.questions[2].prompt.fr missing_translation',
      '$.questions[4].options options_not_allowed',
      '$.questions[2].grouping grouping_not_allowed',
      '$.questions[0].options[3].value reserved_option',
      '$.questions[0].options[4].value duplicate_option',
      '$.minGroupSize too_small',
      '$.minComments min_comments_below_k',
      '$.closesAt invalid_datetime',
      '$.colour unknown_field',
    ].sort();
    const messages: Record<string, string[]> = {};
    for (const locale of LOCALES) {
      const res = await t.app.inject({ method: 'POST', url: `/api/surveys?lang=${locale}`, headers: t.as('staff'), payload: bad });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: string; message: string; errors: { path: string; code: string; message: string }[] };
      expect(body.error).toBe('invalid_definition');
      expect(body.message).toBe(tr(locale, 'errors:invalid_definition'));
      expect(body.errors.map((e) => `${e.path} ${e.code}`).sort()).toEqual(expected);
      for (const e of body.errors) {
        expect(e.message, `${locale} ${e.code}`).not.toBe('');
        expect(e.message, `${locale} ${e.code}`).not.toContain('problems:');
        expect(e.message).not.toMatch(/\{\{|\}\}/);
      }
      messages[locale] = body.errors.map((e) => e.message);
    }
    // The same problems, in three different languages.
    messages.en!.forEach((en, i) => {
      expect(messages.es![i]).not.toBe(en);
      expect(messages.fr![i]).not.toBe(en);
    });
    expect(messages.fr).toContain(tr('fr', 'problems:duplicate_id', { id: 'region' }));
    expect(messages.es).toContain(tr('es', 'problems:reserved_option', { value: 'prefer_not_to_say' }));
    // Nothing was stored.
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(0);
  });

  it('names the expected kind of value in the reader\'s language, never with zod\'s English type names', async () => {
    const t = await makeApp();
    const bad = { ...sampleSurvey(), minGroupSize: 4.5, interimReleases: 'yes', title: 'Learning lab', questions: {} };
    const expected: Record<string, string[]> = {
      en: ['a whole number', 'true or false', 'an object', 'a list'],
      es: ['un número entero', 'true o false', 'un objeto', 'una lista'],
      fr: ['un nombre entier', 'true ou false', 'un objet', 'une liste'],
    };
    for (const locale of LOCALES) {
      const res = await t.app.inject({ method: 'POST', url: `/api/surveys?lang=${locale}`, headers: t.as('staff'), payload: bad });
      expect(res.statusCode).toBe(400);
      const errors = (res.json() as { errors: { path: string; code: string; message: string }[] }).errors;
      expect(errors.map((e) => `${e.path} ${e.code}`).sort()).toEqual(
        ['$.interimReleases wrong_type', '$.minGroupSize wrong_type', '$.questions wrong_type', '$.title wrong_type'].sort(),
      );
      const text = errors.map((e) => e.message).join('\n');
      for (const kind of expected[locale]!) expect(text, locale).toContain(kind);
      expect(text, locale).not.toMatch(/\b(int|string|boolean|array|record)\b|\$t\(/);
    }
  });

  it('picks the language of the problems from Accept-Language when there is no ?lang', async () => {
    const t = await makeApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/surveys',
      headers: { ...t.as('staff'), 'accept-language': 'de;q=1, es-MX;q=0.8, en;q=0.5' },
      payload: { ...sampleSurvey(), minGroupSize: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '$.minGroupSize', code: 'too_small', message: tr('es', 'problems:too_small', { minimum: 3 }) }]);
  });

  it('answers 400 for a body that is not JSON at all, and 413 for a definition over the limit', async () => {
    const t = await makeApp();
    const garbled = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: { ...t.as('staff'), 'content-type': 'application/json' }, payload: '{"slug":' });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().error).toBe('malformed_body');
    const huge = { ...sampleSurvey(), description: L('x'.repeat(400_000), 'y'.repeat(400_000), 'z'.repeat(400_000)) };
    const tooLarge = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: huge });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error).toBe('body_too_large');
  });
});

describe('access to the staff routes', () => {
  const staffRoutes = [
    { method: 'POST' as const, url: '/api/surveys', payload: sampleSurvey() },
    { method: 'GET' as const, url: '/api/surveys' },
    { method: 'PATCH' as const, url: '/api/surveys/learning-lab-2026', payload: { status: 'open' } },
  ];

  it('answers 401 without a token, with an unknown token, or with a malformed header', async () => {
    const t = await makeApp();
    await createSurvey(t);
    for (const route of staffRoutes) {
      for (const headers of [{}, { authorization: 'Bearer cnd_not-a-real-token' }, { authorization: t.token('staff') }, { authorization: `Basic ${t.token('staff')}` }]) {
        const res = await t.app.inject({ ...route, headers: { ...headers, 'accept-language': 'es' } });
        expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json()).toMatchObject({ error: 'unauthorized', message: tr('es', 'errors:unauthorized') });
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    }
    // Nothing changed: the survey is still a draft.
    expect((await list(t)).json()[0].status).toBe('draft');
  });

  it('answers 403 to a Working Group token on staff routes', async () => {
    const t = await makeApp();
    await createSurvey(t);
    for (const route of staffRoutes) {
      const res = await t.app.inject({ ...route, url: `${route.url}?lang=fr`, headers: t.as('wg') });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden', message: tr('fr', 'errors:forbidden') });
    }
    expect((await list(t)).json()[0].status).toBe('draft');
  });

  it('lets admin do what staff does', async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('admin'), payload: sampleSurvey() });
    expect(res.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('admin') })).statusCode).toBe(200);
  });

  it('refuses a revoked token with 401', async () => {
    const t = await makeApp();
    const headers = t.as('staff');
    expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers })).statusCode).toBe(200);
    expect(t.app.tokens.revoke('staff-0')).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers })).statusCode).toBe(401);
  });
});

describe('GET /api/surveys', () => {
  it('lists every survey with its status and live response count, and nothing per response', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await createSurvey(t, sampleSurvey({ slug: 'a-draft', access: 'invite' }));
    let res = await list(t);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      expect.objectContaining({ slug: 'a-draft', status: 'draft', access: 'invite', responses: 0 }),
      expect.objectContaining({ slug: 'learning-lab-2026', status: 'open', access: 'open', responses: 0, title: sampleSurvey().title }),
    ]);
    for (let i = 0; i < 3; i++) expect((await submit(t, 'learning-lab-2026', { answers: sampleAnswers() })).statusCode).toBe(201);
    res = await list(t);
    expect(res.json().find((s: { slug: string }) => s.slug === 'learning-lab-2026').responses).toBe(3);
    // A rejected response does not count.
    expect((await submit(t, 'learning-lab-2026', { answers: {} })).statusCode).toBe(400);
    expect((await list(t)).json().find((s: { slug: string }) => s.slug === 'learning-lab-2026').responses).toBe(3);
    for (const item of (await list(t)).json()) {
      expect(Object.keys(item).sort()).toEqual(expect.arrayContaining(['slug', 'status', 'responses']));
      expect(item).not.toHaveProperty('answers');
    }
  });
});

describe('PATCH /api/surveys/:slug', () => {
  it('goes draft → open → closed, and a closed survey never reopens', async () => {
    const t = await makeApp();
    await createSurvey(t);
    let res = await patch(t, 'learning-lab-2026', { status: 'open' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('open');
    res = await patch(t, 'learning-lab-2026', { status: 'closed' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('closed');
    res = await t.app.inject({ method: 'PATCH', url: '/api/surveys/learning-lab-2026?lang=es', headers: t.as('staff'), payload: { status: 'open' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'invalid_transition', message: tr('es', 'errors:invalid_transition', { from: 'closed', to: 'open' }) });
    expect((await list(t)).json()[0].status).toBe('closed');
  });

  it('does not close a draft that never opened', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const res = await patch(t, 'learning-lab-2026', { status: 'closed' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('invalid_transition');
    expect((await list(t)).json()[0].status).toBe('draft');
  });

  it('replaces the definition of a draft, validated like a new one', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const edited = sampleSurvey({ title: L('New title', 'Nuevo título', 'Nouveau titre'), minGroupSize: 7 });
    let res = await patch(t, 'learning-lab-2026', { definition: edited });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'draft', minGroupSize: 7, title: { en: 'New title' } });

    const broken = structuredClone(edited) as any;
    delete broken.questions[0].prompt.es;
    res = await patch(t, 'learning-lab-2026', { definition: broken });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`)).toEqual(['$.definition.questions[0].prompt.es missing_translation']);

    res = await patch(t, 'learning-lab-2026', { definition: { ...edited, slug: 'another-slug' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: '$.definition.slug', code: 'slug_mismatch' });

    const read = await t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026', headers: t.as('staff') });
    expect(read.json()).toMatchObject({ minGroupSize: 7, title: { en: 'New title' } });
  });

  it('freezes questions and protection settings once the survey has opened', async () => {
    const t = await makeApp();
    await openSurvey(t);
    for (const definition of [sampleSurvey({ minGroupSize: 3 }), sampleSurvey({ questions: sampleSurvey().questions.slice(1) })]) {
      const res = await patch(t, 'learning-lab-2026', { definition });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toBe('survey_frozen');
    }
    await patch(t, 'learning-lab-2026', { status: 'closed' });
    expect((await patch(t, 'learning-lab-2026', { definition: sampleSurvey() })).statusCode).toBe(409);
    const read = await t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026', headers: t.as('staff') });
    expect(read.json()).toMatchObject({ minGroupSize: 5, status: 'closed' });
    expect(read.json().questions).toHaveLength(5);
  });

  it('does not open a survey whose stored definition is not fully translated', async () => {
    const t = await makeApp();
    await createSurvey(t);
    // A definition stored before a rule existed, or edited by hand in the file.
    const row = t.db.sqlite.prepare('select definition from surveys').pluck().get() as string;
    const def = JSON.parse(row);
    delete def.questions[1].prompt.fr;
    t.db.sqlite.prepare('update surveys set definition = ?').run(JSON.stringify(def));
    const res = await patch(t, 'learning-lab-2026', { status: 'open' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: '$.questions[1].prompt.fr', code: 'missing_translation' })]);
    expect((await list(t)).json()[0].status).toBe('draft');
  });

  it('rejects unknown fields and statuses (400) and unknown surveys (404)', async () => {
    const t = await makeApp();
    await createSurvey(t);
    let res = await patch(t, 'learning-lab-2026', { status: 'archived' });
    expect(res.statusCode).toBe(400);
    res = await patch(t, 'learning-lab-2026', { status: 'open', colour: 'red' });
    expect(res.statusCode).toBe(400);
    expect((await list(t)).json()[0].status).toBe('draft');
    res = await patch(t, 'no-such-survey', { status: 'open' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('survey_not_found');
  });
});

describe('GET /api/surveys/:slug', () => {
  it('shows an open survey to anyone, and drafts and closed surveys to staff only', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const anonymous = () => t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026?lang=fr' });
    const staff = () => t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026', headers: t.as('staff') });
    const wg = () => t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026', headers: t.as('wg') });

    let res = await anonymous();
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'survey_not_open', message: tr('fr', 'errors:survey_not_open') });
    expect((await wg()).statusCode).toBe(404);
    expect((await staff()).json()).toMatchObject({ status: 'draft', slug: 'learning-lab-2026' });

    await patch(t, 'learning-lab-2026', { status: 'open' });
    res = await anonymous();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ slug: 'learning-lab-2026', status: 'open', title: sampleSurvey().title });
    expect(res.json().questions.map((q: { id: string }) => q.id)).toEqual(['region', 'speak_freely', 'activities', 'usefulness', 'suggestions']);

    await patch(t, 'learning-lab-2026', { status: 'closed' });
    expect((await anonymous()).statusCode).toBe(404);
    expect((await staff()).json().status).toBe('closed');
  });

  it('hides from partners a survey whose closesAt has passed, as its form page does', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ closesAt: '2021-06-30T18:00:00+02:00' }));
    const res = await t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('survey_not_open');
    expect((await t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026', headers: t.as('staff') })).json()).toMatchObject({ status: 'open', closesAt: '2021-06-30T18:00:00+02:00' });
  });

  it('answers 404 for a survey that does not exist, the same as for a draft, so that drafts cannot be probed', async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/surveys/nothing-here', headers: { 'accept-language': 'es' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'survey_not_open', message: tr('es', 'errors:survey_not_open') });
    await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: sampleSurvey() });
    const draft = await t.app.inject({ method: 'GET', url: '/api/surveys/learning-lab-2026', headers: { 'accept-language': 'es' } });
    expect(draft.statusCode).toBe(404);
    expect(draft.json()).toEqual(res.json());
    const staff = await t.app.inject({ method: 'GET', url: '/api/surveys/nothing-here', headers: t.as('staff') });
    expect(staff.json().error).toBe('survey_not_found');
  });
});
