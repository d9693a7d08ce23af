/** The JSON submission API (§4): every status, translated errors, nothing stored unless all is valid. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conflict } from '../../src/errors.js';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { createResponseRepository } from '../../src/responses/repository.js';
import { createScrubber } from '../../src/responses/scrub.js';
import { createResponseService } from '../../src/responses/service.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { text } from '../html.js';
import { makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, tableCounts, type TestApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);
const SLUG = 'learning-lab-2026';
const nothingStored = (t: TestApp) => expect(tableCounts(t)).toEqual({ responses: 0, answers: 0, comments: 0 });

describe('201', () => {
  it('stores a valid response and answers an empty object: no id, no time, no cookie', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const res = await submit(t, SLUG, { locale: 'es', answers: sampleAnswers() });
    expect(res.statusCode).toBe(201);
    expect(res.body).toBe('{}');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    // One response; region, speak_freely, activities, usefulness as answers; the comment on its own.
    expect(tableCounts(t)).toEqual({ responses: 1, answers: 4, comments: 1 });
  });

  it('accepts a response that skips every optional question', async () => {
    const t = await makeApp();
    await openSurvey(t);
    expect((await submit(t, SLUG, { answers: { speak_freely: 2 } })).statusCode).toBe(201);
    // The skipped grouping question is stored as prefer_not_to_say (§3); no comment row.
    expect(t.db.sqlite.prepare("select value from answers where question_id = 'region'").pluck().all()).toEqual(['prefer_not_to_say']);
    expect(tableCounts(t)).toEqual({ responses: 1, answers: 2, comments: 0 });
  });
});

describe('400', () => {
  it('lists every wrong answer with its question, translated into the language of the body, and stores nothing', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const answers = { region: 'europe', activities: ['calls', 'zoom'], usefulness: 11, suggestions: 'x'.repeat(2001), mood: 'happy' };
    for (const locale of LOCALES) {
      const res = await submit(t, SLUG, { locale, answers }, { 'accept-language': 'en' });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ statusCode: 400, error: 'invalid_response', message: tr(locale, 'errors:invalid_response') });
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { path: 'answers.region', questionId: 'region', code: 'not_an_option', message: tr(locale, 'problems:not_an_option') },
          { path: 'answers.speak_freely', questionId: 'speak_freely', code: 'required_answer', message: tr(locale, 'problems:required_answer') },
          { path: 'answers.activities', questionId: 'activities', code: 'not_an_option', message: tr(locale, 'problems:not_an_option') },
          { path: 'answers.usefulness', questionId: 'usefulness', code: 'out_of_range', message: tr(locale, 'problems:out_of_range', { min: 0, max: 10 }) },
          { path: 'answers.suggestions', questionId: 'suggestions', code: 'text_too_long', message: tr(locale, 'problems:text_too_long', { maximum: 2000 }) },
          { path: 'answers.mood', code: 'unknown_question', message: tr(locale, 'problems:unknown_question', { id: 'mood' }) },
        ]),
      );
      expect(body.errors).toHaveLength(6);
      expect(tr(locale, 'problems:out_of_range', { min: 0, max: 10 })).toMatch(/0.*10/);
    }
    nothingStored(t);
  });

  it('takes the language from ?lang or Accept-Language when the body does not say', async () => {
    const t = await makeApp();
    await openSurvey(t);
    let res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses?lang=fr`, payload: { answers: {} }, headers: { 'accept-language': 'es' } });
    expect(res.json().errors[0].message).toBe(tr('fr', 'problems:required_answer'));
    res = await submit(t, SLUG, { answers: {} }, { 'accept-language': 'es-CO,es;q=0.9' });
    expect(res.json().message).toBe(tr('es', 'errors:invalid_response'));
  });

  it('rejects bodies of the wrong shape, and stores nothing', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const bodies: unknown[] = [
      {},
      { answers: [] },
      { answers: 'speak_freely=4' },
      { answers: sampleAnswers(), locale: 'de' },
      { answers: sampleAnswers(), respondent: 'Amina' },
      { answers: sampleAnswers(), inviteCode: 42 },
      [sampleAnswers()],
    ];
    for (const payload of bodies) {
      const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses`, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toBe(tr('en', `errors:${res.json().error}`));
    }
    const garbled = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses?lang=es`, headers: { 'content-type': 'application/json' }, payload: '{"answers": {' });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json()).toMatchObject({ error: 'malformed_body', message: tr('es', 'errors:malformed_body') });
    nothingStored(t);
  });

  it('stores nothing when a single answer among many valid ones is wrong (property)', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const wrong = fc.oneof(
      fc.record({ region: fc.constantFrom('europe', 'AFRICA', '', ' asia') }).filter((a) => a.region !== ''),
      fc.record({ speak_freely: fc.oneof(fc.constant(0), fc.constant(6), fc.constant('4'), fc.constant(3.5)) }),
      fc.record({ usefulness: fc.integer().filter((n) => n < 0 || n > 10) }),
      fc.record({ activities: fc.constantFrom(['calls', 'calls'], ['teleport'], 'calls' as unknown as string[]) }),
      fc.record({ suggestions: fc.constantFrom(7, true, ['a']) as fc.Arbitrary<unknown> }),
      fc.record({ extra: fc.constant('x') }),
    );
    await fc.assert(
      fc.asyncProperty(wrong, async (bad) => {
        const res = await submit(t, SLUG, { answers: { ...sampleAnswers(), ...bad } });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toHaveLength(1);
        nothingStored(t);
      }),
      { numRuns: 40 },
    );
  });
});

describe('404', () => {
  it('answers 404 for an unknown survey, a draft and a closed survey, and stores nothing', async () => {
    const t = await makeApp();
    await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: sampleSurvey({ slug: 'still-a-draft' }) });
    await openSurvey(t);
    expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(201);
    await t.app.inject({ method: 'PATCH', url: `/api/surveys/${SLUG}`, headers: t.as('staff'), payload: { status: 'closed' } });
    for (const slug of ['no-such-survey', 'still-a-draft', SLUG]) {
      const res = await submit(t, slug, { locale: 'fr', answers: sampleAnswers() });
      expect(res.statusCode, slug).toBe(404);
      expect(res.json()).toMatchObject({ error: 'survey_not_open', message: tr('fr', 'errors:survey_not_open') });
    }
    expect(tableCounts(t).responses).toBe(1);
  });

  it('answers 404 once closesAt has passed, though the survey is still marked open', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ closesAt: '2020-01-31T23:59:00-05:00' }));
    const res = await submit(t, SLUG, { answers: sampleAnswers() });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('survey_not_open');
    // The form's address says it is closed (§12), offering no form; the home page does not list it.
    const page = await t.app.inject({ method: 'GET', url: `/s/${SLUG}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<form method="post" action="/s/');
    expect(page.body).toContain(createI18n().getFixedT('en')('form:closed_body'));
    expect((await t.app.inject({ method: 'GET', url: '/' })).body).not.toContain('Learning lab 2026');
    nothingStored(t);
  });

  it('still accepts answers before closesAt', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ closesAt: '2999-12-31T23:59:00+01:00' }));
    expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(201);
  });
});

describe('invite-only surveys (403)', () => {
  it('validates the body before looking at the code: an empty or invalid body gets 400, not 403', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    for (const payload of [{}, { answers: {} }, { answers: { speak_freely: 9 } }, { answers: { mood: 1 }, inviteCode: 'ABCD-1234' }]) {
      const res = await submit(t, SLUG, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    nothingStored(t);
  });

  it('answers 403 to a valid body without a code, or with a code that is not valid, and stores nothing', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    let res = await submit(t, SLUG, { locale: 'es', answers: sampleAnswers() });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'invite_code_missing', message: tr('es', 'errors:invite_code_missing') });
    res = await submit(t, SLUG, { locale: 'fr', answers: sampleAnswers(), inviteCode: '   ' });
    expect(res.statusCode).toBe(403);
    res = await submit(t, SLUG, { locale: 'fr', answers: sampleAnswers(), inviteCode: 'NOT-A-CODE' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'invite_code_invalid', message: tr('fr', 'errors:invite_code_invalid') });
    nothingStored(t);
  });
});

describe('invitation codes over HTTP (201, 403, 409)', () => {
  const invites = async (t: TestApp, count: number): Promise<string[]> => {
    const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count } });
    expect(res.statusCode).toBe(201);
    return res.json().codes as string[];
  };

  it('accepts a code once, answers 409 (translated) the second time, and stores nothing more', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const [code] = await invites(t, 2);
    expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: code })).statusCode).toBe(201);
    const again = await submit(t, SLUG, { locale: 'es', answers: sampleAnswers(), inviteCode: code });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'invite_code_used', message: tr('es', 'errors:invite_code_used') });
    expect(tableCounts(t)).toEqual({ responses: 1, answers: 4, comments: 1 });
    // The same through the form.
    const form = await t.app.inject({
      method: 'POST',
      url: `/s/${SLUG}?lang=fr`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ speak_freely: '4', inviteCode: code! }).toString(),
    });
    expect(form.statusCode).toBe(409);
    expect(text(form.body)).toContain(tr('fr', 'errors:invite_code_used'));
    expect(tableCounts(t).responses).toBe(1);
  });

  it('does not spend a code on a body that is not valid', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const [code] = await invites(t, 1);
    expect((await submit(t, SLUG, { answers: {}, inviteCode: code })).statusCode).toBe(400);
    expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: code })).statusCode).toBe(201);
  });

  it('answers 403 to a code of another survey', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    await openSurvey(t, sampleSurvey({ slug: 'other-round', access: 'invite' }));
    const other = await t.app.inject({ method: 'POST', url: '/api/surveys/other-round/invites', headers: t.as('staff'), payload: { count: 1 } });
    const res = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: other.json().codes[0] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('invite_code_invalid');
    nothingStored(t);
  });
});

describe('409: a code already spent', () => {
  it('spends the code in the same transaction as the response: a spent code stores nothing more, and an invalid body never spends one', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const [first, second] = (await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count: 2 } })).json().codes as string[];
    expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: first })).statusCode).toBe(201);
    expect(tableCounts(t)).toEqual({ responses: 1, answers: 4, comments: 1 });
    const again = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: first });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('invite_code_used');
    expect(tableCounts(t)).toEqual({ responses: 1, answers: 4, comments: 1 });
    // An invalid body never reaches the code: the code is not spent by it.
    expect((await submit(t, SLUG, { answers: { speak_freely: 0 }, inviteCode: second })).statusCode).toBe(400);
    expect(t.db.sqlite.prepare('select count(*) from invites where spent = 1').pluck().get()).toBe(1);
  });
});

describe('413 and 415', () => {
  it('refuses a body over the limit with a translated 413, and stores nothing', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const res = await submit(t, SLUG, { locale: 'fr', answers: sampleAnswers({ suggestions: 'a'.repeat(300 * 1024) }) }, { 'accept-language': 'es' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'body_too_large', message: tr('es', 'errors:body_too_large') });
    nothingStored(t);
  });

  it('refuses a body in a format it does not read (415), or a bare string (400)', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses?lang=es`, headers: { 'content-type': 'application/xml' }, payload: '<answers/>' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported_media_type', message: tr('es', 'errors:unsupported_media_type') });
    // Plain text is read as a string, which is not a response.
    const plain = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses`, headers: { 'content-type': 'text/plain' }, payload: 'speak_freely=4' });
    expect(plain.statusCode).toBe(400);
    nothingStored(t);
  });
});

describe('429', () => {
  it('limits submissions per client per minute with a translated message, and stores nothing', async () => {
    const t = await makeApp({ rateLimitPerMinute: 3 });
    await openSurvey(t);
    for (let i = 0; i < 3; i++) expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(201);
    for (const [url, headers, locale] of [
      [`/api/surveys/${SLUG}/responses?lang=fr`, {}, 'fr'],
      [`/api/surveys/${SLUG}/responses`, { 'accept-language': 'es-MX' }, 'es'],
      [`/api/surveys/${SLUG}/responses`, {}, 'en'],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers, payload: { answers: sampleAnswers() } });
      expect(res.statusCode).toBe(429);
      const body = res.json();
      expect(body.error).toBe('rate_limited');
      const seconds = /(\d+)/.exec(body.message)?.[1];
      expect(Number(seconds)).toBeGreaterThan(0);
      expect(Number(seconds)).toBeLessThanOrEqual(60);
      expect(body.message).toBe(tr(locale, 'errors:rate_limited', { seconds: Number(seconds) }));
    }
    expect(tableCounts(t)).toEqual({ responses: 3, answers: 12, comments: 3 });
  });

  it('counts invalid attempts too, so the limit cannot be used to probe', async () => {
    const t = await makeApp({ rateLimitPerMinute: 2 });
    await openSurvey(t);
    expect((await submit(t, SLUG, { answers: {} })).statusCode).toBe(400);
    expect((await submit(t, SLUG, { answers: {} })).statusCode).toBe(400);
    expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(429);
    nothingStored(t);
  });
});

describe('group commit', () => {
  it('stores responses that arrive together, answers each only once stored, and a refused code undoes only its own response', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const codes = (await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count: 5 } })).json().codes as string[];
    // Twenty submissions fired at once: five codes, each sent four times.
    const sent = codes.flatMap((code) => [code, code, code, code]);
    const replies = await Promise.all(sent.map((code) => submit(t, SLUG, { answers: sampleAnswers(), inviteCode: code })));
    expect(replies.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(replies.filter((r) => r.statusCode === 409)).toHaveLength(15);
    // Every 201 is durable and counted; every 409 left nothing behind.
    expect(tableCounts(t)).toEqual({ responses: 5, answers: 20, comments: 5 });
    expect(t.db.sqlite.prepare('select count(*) from invites where spent = 1').pluck().get()).toBe(5);
  });
});
