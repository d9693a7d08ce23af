/**
 * The file rewrite after new responses (README, "Within a page"): whether it is due is kept in the
 * database, so a restarted server does not rewrite a large file for nothing, and still rewrites
 * once a partner has written.
 */
import { describe, expect, it } from 'vitest';
import { createBatchStore } from '../../src/responses/store.js';
import { makeApp, openSurvey, sampleAnswers, submit, type TestApp } from '../helpers.js';

const SLUG = 'learning-lab-2026';
const NOTHING = { closed: [], released: [], skipped: [], failed: [] };

/** VACUUM moves the schema version on; nothing else in a run does. */
const schemaVersion = (t: TestApp) => t.db.sqlite.pragma('schema_version', { simple: true }) as number;
const counter = (t: TestApp) => t.db.sqlite.prepare('select * from file_rewrite').all();

async function respond(t: TestApp, count: number) {
  for (let i = 0; i < count; i++) expect((await submit(t, SLUG, { answers: sampleAnswers({ speak_freely: (i % 5) + 1 }) })).statusCode).toBe(201);
}

describe('the rewrite after new responses', () => {
  it('is remembered across a restart: not made again for nothing, made after a new response', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await respond(t, 3);
    const before = schemaVersion(t);
    expect(await t.app.releases.run()).toEqual(NOTHING);
    expect(schemaVersion(t)).toBeGreaterThan(before);
    await t.app.close();

    // The server restarts on the same file: nothing was written since the rewrite.
    const restarted = await makeApp({ databasePath: t.config.databasePath });
    const afterRestart = schemaVersion(restarted);
    expect(await restarted.app.releases.run()).toEqual(NOTHING);
    expect(schemaVersion(restarted)).toBe(afterRestart);

    // A new response sits in its pages in arrival order: the next run rewrites them.
    await respond(restarted, 1);
    const beforeRun = schemaVersion(restarted);
    expect(await restarted.app.releases.run()).toEqual(NOTHING);
    expect(schemaVersion(restarted)).toBeGreaterThan(beforeRun);
  });

  it('is counted in one row, by transactions, with nothing per response and no time', async () => {
    const t = await makeApp({}, { writerThread: false });
    await openSurvey(t);
    expect(counter(t)).toEqual([{ id: 1, writes_since: 0 }]);
    const surveyId = t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get(SLUG) as number;
    const store = createBatchStore(t.db.sqlite);
    const item = { surveyId, answers: [{ questionId: 'speak_freely', value: '4' }], cohort: 'asia', comments: [{ questionId: 'suggestions', text: 'More visits.' }] };
    // Three responses stored together: one transaction, one write for the next rewrite to cover.
    expect(store([item, item, item])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(counter(t)).toEqual([{ id: 1, writes_since: 1 }]);
    // A batch that stores nothing counts nothing.
    expect(store([{ ...item, surveyId: surveyId + 1 }])).toEqual([{ ok: false, refused: 'survey_not_open' }]);
    expect(counter(t)).toEqual([{ id: 1, writes_since: 1 }]);
    await respond(t, 1);
    expect(counter(t)).toEqual([{ id: 1, writes_since: 2 }]);
    expect(await t.app.releases.run()).toEqual(NOTHING);
    expect(counter(t)).toEqual([{ id: 1, writes_since: 0 }]);
    // There is no second row to add.
    expect(() => t.db.sqlite.prepare('insert into file_rewrite (id, writes_since) values (2, 0)').run()).toThrow();
  });
});
