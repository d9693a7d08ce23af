/**
 * Generating invitation codes (§5): POST /api/surveys/:slug/invites is for staff only, refuses
 * open-access and closed surveys (409) and bad counts (400), answers the codes once — and only
 * their hashes are stored: no code, in any spelling, is anywhere in the database files.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { hashCode, normaliseCode } from '../../src/invites/codes.js';
import { createSurvey, makeApp, openSurvey, sampleSurvey, type TestApp } from '../helpers.js';
import { databaseBytes, spellings } from './support.js';

const i18n = createI18n();
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const generate = (t: TestApp, slug: string, body: unknown, headers: Record<string, string> = t.as('staff'), lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/invites?lang=${lang}`, headers, payload: body as object });

describe('POST /api/surveys/:slug/invites', () => {
  it('answers 401 without a token, 403 for the Working Group, 201 for staff and admin', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'inv', access: 'invite' }));
    expect((await generate(t, 'inv', { count: 3 }, {})).statusCode).toBe(401);
    expect((await generate(t, 'inv', { count: 3 }, { authorization: 'Bearer cnd_nope' })).statusCode).toBe(401);
    const wg = await generate(t, 'inv', { count: 3 }, t.as('wg'), 'fr');
    expect(wg.statusCode).toBe(403);
    expect(wg.json()).toMatchObject({ error: 'forbidden', message: i18n.getFixedT('fr')('errors:forbidden') });
    for (const role of ['staff', 'admin'] as const) {
      const res = await generate(t, 'inv', { count: 3 }, t.as(role));
      expect(res.statusCode, role).toBe(201);
    }
    const issued = t.db.sqlite.prepare('select count(*) from invites').pluck().get();
    expect(issued).toBe(6);
  });

  it('answers the codes once, distinct and readable, with how many are issued and spent', async () => {
    const t = await makeApp();
    await createSurvey(t, sampleSurvey({ slug: 'inv', access: 'invite' })); // a draft may get codes before it opens
    const first = await generate(t, 'inv', { count: 40 });
    expect(first.statusCode).toBe(201);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    const body = first.json() as { codes: string[]; issued: number; spent: number };
    expect(Object.keys(body).sort()).toEqual(['codes', 'issued', 'links', 'spent']);
    expect(body.codes).toHaveLength(40);
    expect(new Set(body.codes).size).toBe(40);
    for (const c of body.codes) expect(c).toMatch(CODE);
    expect(body).toMatchObject({ issued: 40, spent: 0 });
    const second = (await generate(t, 'inv', { count: 1000 })).json() as { codes: string[]; issued: number };
    expect(second.issued).toBe(1040);
    expect(new Set([...body.codes, ...second.codes]).size).toBe(1040);
  });

  for (const lang of LOCALES) {
    it(`answers 409, translated (${lang}), for an open-access survey and for a closed one`, async () => {
      const t = await makeApp();
      const tr = i18n.getFixedT(lang);
      await openSurvey(t, sampleSurvey({ slug: 'open-access' }));
      await openSurvey(t, sampleSurvey({ slug: 'closed-inv', access: 'invite' }));
      await t.app.inject({ method: 'PATCH', url: '/api/surveys/closed-inv', headers: t.as('staff'), payload: { status: 'closed' } });
      const open = await generate(t, 'open-access', { count: 5 }, t.as('staff'), lang);
      expect(open.statusCode).toBe(409);
      expect(open.json()).toMatchObject({ error: 'survey_not_invite_only', message: tr('errors:survey_not_invite_only') });
      const closed = await generate(t, 'closed-inv', { count: 5 }, t.as('staff'), lang);
      expect(closed.statusCode).toBe(409);
      expect(closed.json()).toMatchObject({ error: 'survey_closed', message: tr('errors:survey_closed') });
      expect(t.db.sqlite.prepare('select count(*) from invites').pluck().get()).toBe(0);
    });
  }

  it('answers 400, translated, for a bad count, and makes no code', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'inv', access: 'invite' }));
    const bad: unknown[] = [{ count: 0 }, { count: -3 }, { count: 1001 }, { count: 2.5 }, { count: '5' }, { count: null }, {}, { count: 5, label: 'x' }, [5]];
    for (const body of bad) {
      const res = await generate(t, 'inv', body, t.as('staff'), 'es');
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect((res.json() as { message: string }).message, JSON.stringify(body)).toBe(i18n.getFixedT('es')('errors:invalid_request'));
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/api/surveys/inv/invites', headers: { ...t.as('staff'), 'content-type': 'application/json' }, payload: '{"count": ' });
    expect(notJson.statusCode).toBe(400);
    expect(t.db.sqlite.prepare('select count(*) from invites').pluck().get()).toBe(0);
  });

  it('answers 404 for an unknown survey', async () => {
    const t = await makeApp();
    const res = await generate(t, 'nope', { count: 2 }, t.as('staff'), 'fr');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ message: i18n.getFixedT('fr')('errors:survey_not_found') });
  });
});

describe('only hashes are stored', () => {
  it('keeps one salted hash per code, and no code in any spelling anywhere in the database files', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'inv', access: 'invite' }));
    const codes = ((await generate(t, 'inv', { count: 60 })).json() as { codes: string[] }).codes;
    const surveyId = t.db.sqlite.prepare("select id from surveys where slug = 'inv'").pluck().get() as number;

    const rows = t.db.sqlite.prepare('select * from invites').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(60);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['code_hash', 'spent', 'survey_id']);
    const stored = new Set(rows.map((r) => r.code_hash));
    for (const c of codes) expect(stored.has(hashCode(surveyId, c))).toBe(true);

    // While the app runs (the write-ahead log holds the last writes), and after it checkpoints.
    for (const when of ['live', 'checkpointed']) {
      if (when === 'checkpointed') t.db.checkpoint();
      const bytes = databaseBytes(t.config.databasePath);
      expect(bytes.length).toBeGreaterThan(0);
      for (const c of codes) for (const s of spellings(c)) expect(bytes.includes(s), `${when}: ${s}`).toBe(false);
      // The hashes are there: the search is real.
      if (when === 'checkpointed') expect(bytes).toContain(hashCode(surveyId, codes[0]!));
    }
    expect(existsSync(t.config.databasePath)).toBe(true);
  });

  it('salts the hash with the survey: the same code means nothing on another survey', () => {
    const code = 'ABCD-EFGH-JKMN';
    expect(hashCode(1, code)).not.toBe(hashCode(2, code));
    expect(hashCode(1, code)).toBe(hashCode(1, ' abcd efgh jkmn '));
    expect(normaliseCode('abcd-efgh-jkmn')).toBe('ABCDEFGHJKMN');
    // Crockford's reading: O is 0, I and L are 1.
    expect(normaliseCode('o1li-0000-0000')).toBe('0111' + '00000000');
  });

  it('never logs a code: not when made, not when a partner arrives with one in the link', async () => {
    const t = await makeApp({ logLevel: 'info' });
    await openSurvey(t, sampleSurvey({ slug: 'inv', access: 'invite' }));
    const codes = ((await generate(t, 'inv', { count: 5 })).json() as { codes: string[] }).codes;
    const page = await t.app.inject({ method: 'GET', url: `/s/inv?lang=es&code=${codes[0]}` });
    expect(page.statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/surveys/inv/responses', payload: { answers: { speak_freely: 3 }, inviteCode: codes[1] } });
    const logs = t.logs.join('');
    expect(logs).toContain('/s/inv'); // the log is on
    for (const c of codes) for (const s of spellings(c)) expect(logs).not.toContain(s);
  });
});
