/**
 * The release job (§6) through the real app and SQLite: the final release at close (in the
 * background, retried until it is made), on demand (POST /api/surveys/:slug/release), on schedule
 * / from the CLI (`app.releases.run()`), interim releases of the respondent count in steps of k,
 * the WAL checkpoint and the lease that keeps two runs apart. Apps given a clock run the job in
 * the event loop's thread; the others in the job's own thread.
 */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { createReleaseRepository } from '../../src/releases/repository.js';
import { closeSurvey, makeApp, openSurvey, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { until } from '../wait.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);

const SLUG = 'learning-lab-2026';
const LOCK = 'aggregate';
const DAY = '2026-11-27';

/** A fixed clock the test can move. */
function clock(iso = `${DAY}T12:00:00Z`) {
  let at = new Date(iso);
  return { now: () => at, set: (next: Date) => (at = next) };
}

/** `count` valid, varied responses (every question answered, regions and answers spread). */
async function respond(t: TestApp, slug: string, count: number, from = 0) {
  for (let i = from; i < from + count; i++) {
    const res = await submit(t, slug, {
      answers: {
        region: ['africa', 'americas', 'asia'][i % 3],
        speak_freely: (i % 5) + 1,
        activities: i % 2 === 0 ? ['calls'] : ['mentoring', 'visits'],
        usefulness: i % 11,
        suggestions: `Suggestion number ${i}.`,
      },
    });
    if (res.statusCode !== 201) throw new Error(`submit failed: ${res.statusCode} ${res.body}`);
  }
}

/** The job's leases as another process sees them (its own repository on the same file). */
const leases = (t: TestApp) => createReleaseRepository(t.db);

const releaseRows = (t: TestApp, slug = SLUG) =>
  t.db.sqlite
    .prepare('select r.id, r.final, r.released_on as releasedOn, r.content from releases r join surveys s on s.id = r.survey_id where s.slug = ? order by r.id')
    .all(slug) as { id: number; final: number; releasedOn: string; content: string }[];

const postRelease = (t: TestApp, slug = SLUG, headers: Record<string, string> = t.as('staff'), lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/release?lang=${lang}`, headers });

const close = (t: TestApp, slug = SLUG) => t.app.inject({ method: 'PATCH', url: `/api/surveys/${slug}`, headers: t.as('staff'), payload: { status: 'closed' } });
const results = (t: TestApp, slug = SLUG) => t.app.inject({ method: 'GET', url: `/api/surveys/${slug}/results` });

describe('the final release at close', () => {
  it('follows when staff close the survey (PATCH), made in the background', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t);
    await respond(t, SLUG, 7);
    expect((await results(t)).statusCode).toBe(404);
    expect(releaseRows(t)).toEqual([]);

    expect((await close(t)).statusCode).toBe(200);
    // Calls to the job are taken one at a time: this one comes after the release at close.
    expect(await t.app.releases.release({ slug: SLUG })).toEqual({ released: false, reason: 'already_final' });
    const rows = releaseRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ final: 1, releasedOn: DAY });
    const res = await results(t);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ survey: SLUG, minGroupSize: 5, minDiversity: 1, releasedAt: DAY, final: true, respondents: { n: 7 }, releases: [], audit: { passed: true } });
    // What is served is the stored snapshot, byte for byte.
    expect(res.body).toBe(rows[0]!.content);
  });

  it('is made in the job\'s thread too, as the server makes it', async () => {
    const t = await makeApp({}, { jobThread: true });
    await openSurvey(t);
    await respond(t, SLUG, 6);
    expect(await closeSurvey(t, SLUG)).toEqual({ released: false, reason: 'already_final' });
    expect(releaseRows(t).map((r) => r.final)).toEqual([1]);
    expect((await results(t)).json()).toMatchObject({ final: true, respondents: { n: 6 }, audit: { passed: true } });
  });

  it('is logged and tried again until it is made when another run holds the lease', async () => {
    const c = clock();
    const t = await makeApp({ logLevel: 'warn' }, { now: c.now });
    await openSurvey(t);
    await respond(t, SLUG, 6);
    expect(leases(t).acquireLock(LOCK, 'another-run', c.now().getTime(), 60_000)).toBe(true);
    expect((await close(t)).statusCode).toBe(200);
    await until('the warning that the release could not be made', () => t.logs.some((line) => line.includes('the release could not be made')));
    expect(releaseRows(t)).toEqual([]);
    const warning = JSON.parse(t.logs.find((line) => line.includes('the release could not be made'))!) as Record<string, unknown>;
    expect(warning).toMatchObject({ survey: SLUG, attempt: 1 });
    // Once the other run lets go, the next attempt makes it, with nobody asking.
    leases(t).releaseLock(LOCK, 'another-run');
    await until('the final release', () => releaseRows(t).length > 0);
    expect(releaseRows(t).map((r) => r.final)).toEqual([1]);
  });
});

describe('POST /api/surveys/:slug/release', () => {
  it('is for staff only: 401 without a token, 403 for the Working Group, 404 for an unknown survey', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    await respond(t, SLUG, 5);
    const anonymous = await postRelease(t, SLUG, {});
    expect(anonymous.statusCode).toBe(401);
    expect((await postRelease(t, SLUG, { authorization: 'Bearer not-a-token' })).statusCode).toBe(401);
    expect((await postRelease(t, SLUG, t.as('wg'))).statusCode).toBe(403);
    expect((await postRelease(t, 'no-such-survey')).statusCode).toBe(404);
    // Nothing was released by the refused calls.
    expect(releaseRows(t)).toEqual([]);
    expect((await postRelease(t, SLUG, t.as('admin'))).json()).toMatchObject({ released: true });
  });

  it('answers what was released, and is idempotent: a second call releases nothing and adds no row', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    await respond(t, SLUG, 6);

    const first = await postRelease(t, SLUG, t.as('staff'), 'fr');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ released: true, final: false, releasedAt: DAY, message: tr('fr', 'results:released_interim') });
    expect(releaseRows(t)).toHaveLength(1);
    expect((await results(t)).json()).toMatchObject({ final: false, respondents: { n: 6 }, questions: [] });

    const second = await postRelease(t, SLUG, t.as('staff'), 'es');
    expect(second.json()).toEqual({ released: false, reason: 'not_due', message: tr('es', 'results:not_released.not_due', { k: 5 }) });
    expect(releaseRows(t)).toHaveLength(1);
  });

  it('makes the final release of a closed survey that has none, once, then answers already_final', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t);
    await respond(t, SLUG, 8);
    // Closing while another run holds the lease: the release at close cannot be made (busy) …
    expect(leases(t).acquireLock(LOCK, 'another-run', c.now().getTime(), 60_000)).toBe(true);
    expect((await close(t)).statusCode).toBe(200);
    expect(await t.app.releases.release({ slug: SLUG })).toEqual({ released: false, reason: 'busy' });
    expect(releaseRows(t)).toEqual([]);
    leases(t).releaseLock(LOCK, 'another-run');
    // … and is made on demand (before the background retry comes round).
    const res = await postRelease(t);
    expect(res.json()).toEqual({ released: true, final: true, releasedAt: DAY, message: tr('en', 'results:released_final') });
    expect(releaseRows(t)).toHaveLength(1);
    expect((await postRelease(t)).json()).toMatchObject({ released: false, reason: 'already_final' });
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [], failed: [] });
    expect(releaseRows(t)).toHaveLength(1);
  });

  it('refuses a draft and an open survey without interim releases', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await respond(t, SLUG, 10);
    expect((await postRelease(t)).json()).toMatchObject({ released: false, reason: 'interim_off' });
    await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: sampleSurvey({ slug: 'a-draft' }) });
    expect((await postRelease(t, 'a-draft')).json()).toMatchObject({ released: false, reason: 'draft' });
    expect(t.db.sqlite.prepare('select count(*) from releases').pluck().get()).toBe(0);
  });
});

describe('app.releases.run() (the schedule and npm run aggregate)', () => {
  it('closes surveys whose closesAt has passed and makes their final release', async () => {
    const c = clock(new Date().toISOString());
    const t = await makeApp({}, { now: c.now });
    const closesAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    await openSurvey(t, sampleSurvey({ closesAt }));
    await openSurvey(t, sampleSurvey({ slug: 'still-open', closesAt: new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString() }));
    await respond(t, SLUG, 6);

    // Before closesAt: nothing to do (no interim releases asked for).
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [], failed: [] });

    c.set(new Date(Date.parse(closesAt) + 1000));
    const summary = await t.app.releases.run();
    expect(summary).toEqual({ closed: [SLUG], released: [{ slug: SLUG, final: true }], skipped: [], failed: [] });
    const listed = (await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json() as { slug: string; status: string }[];
    expect(listed.map((s) => [s.slug, s.status])).toEqual([[SLUG, 'closed'], ['still-open', 'open']]);
    expect((await results(t)).json()).toMatchObject({ final: true, respondents: { n: 6 } });
    // A closed survey never reopens, and a second run changes nothing.
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [], failed: [] });
    expect(releaseRows(t)).toHaveLength(1);
  });

  it("goes on when one survey's release fails: the others are released, the failure is listed, the file is still rewritten", async () => {
    const c = clock(new Date().toISOString());
    const t = await makeApp({}, { now: c.now });
    const closesAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    await openSurvey(t, sampleSurvey({ slug: 'first', closesAt }));
    await openSurvey(t, sampleSurvey({ slug: 'second', closesAt }));
    await respond(t, 'first', 6);
    await respond(t, 'second', 6);
    // The first survey's release cannot be stored (a full disk would look the same to the job).
    const first = t.db.sqlite.prepare("select id from surveys where slug = 'first'").pluck().get() as number;
    t.db.sqlite.exec(`create trigger no_release before insert on releases when new.survey_id = ${first} begin select raise(abort, 'disk full'); end`);
    const version = () => t.db.sqlite.pragma('schema_version', { simple: true }) as number;
    const before = version();
    c.set(new Date(Date.parse(closesAt) + 1000));
    const summary = await t.app.releases.run();
    expect(summary).toEqual({ closed: ['first', 'second'], released: [{ slug: 'second', final: true }], skipped: [], failed: [{ slug: 'first', error: 'disk full' }] });
    // The rewrite ran (VACUUM moves the schema version on).
    expect(version()).toBeGreaterThan(before);
    // Once it can be stored, the next run makes it.
    t.db.sqlite.exec('drop trigger no_release');
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [{ slug: 'first', final: true }], skipped: [], failed: [] });
  });

  it('rewrites the file while partners submit, and loses none of their responses', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await respond(t, SLUG, 30);
    // 60 submissions in flight: handed to the writer thread, whose commits then wait for the
    // rewrite's lock while the job's thread rewrites the file.
    const inFlight = Array.from({ length: 60 }, (_, i) => submit(t, SLUG, { answers: { region: 'asia', speak_freely: (i % 5) + 1, suggestions: `Late ${i}.` } }));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    // VACUUM moves the schema version on; nothing else in a run does.
    const schemaVersion = () => t.db.sqlite.pragma('schema_version', { simple: true }) as number;
    const before = schemaVersion();
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [], failed: [] });
    expect(schemaVersion()).toBeGreaterThan(before);
    const replies = await Promise.all(inFlight);
    expect(replies.map((r) => r.statusCode)).toEqual(Array(60).fill(201));
    expect(t.db.sqlite.prepare('select count(*) from responses').pluck().get()).toBe(90);
    expect(t.db.sqlite.prepare('select count(*) from comments').pluck().get()).toBe(90);
    expect(t.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('rewrites the file only when something was written since, a purge\'s deletions included', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await respond(t, SLUG, 6);
    const schemaVersion = () => t.db.sqlite.pragma('schema_version', { simple: true }) as number;
    await t.app.releases.run();
    const rewritten = schemaVersion();
    await t.app.releases.run();
    expect(schemaVersion()).toBe(rewritten);
    // As a purge does elsewhere: one response deleted and the file vacuumed, then a new one
    // stored. The counts are back where they were; the run must still rewrite.
    t.db.sqlite.prepare('delete from answers where response_id = (select id from responses limit 1)').run();
    t.db.sqlite.prepare('delete from responses where id = (select id from responses limit 1)').run();
    t.db.sqlite.prepare('delete from comments where id = (select id from comments limit 1)').run();
    t.db.sqlite.exec('VACUUM');
    await respond(t, SLUG, 1, 100);
    expect(t.db.sqlite.prepare('select count(*) from responses').pluck().get()).toBe(6);
    expect(t.db.sqlite.prepare('select count(*) from comments').pluck().get()).toBe(6);
    const beforeRun = schemaVersion();
    await t.app.releases.run();
    expect(schemaVersion()).toBeGreaterThan(beforeRun);
  });

  it('makes interim releases only for surveys that ask for them, and only once k new respondents came in', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    await openSurvey(t, sampleSurvey({ slug: 'final-only' }));
    await respond(t, SLUG, 4);
    await respond(t, 'final-only', 12);

    // 4 < k: not due. final-only never gets an interim release (and is not reported as skipped).
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [{ slug: SLUG, reason: 'not_due' }], failed: [] });
    await respond(t, SLUG, 1, 4);
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [{ slug: SLUG, final: false }], skipped: [], failed: [] });
    expect((await results(t)).json()).toMatchObject({ final: false, respondents: { n: 5 }, questions: [] });

    await respond(t, SLUG, 4, 5);
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [{ slug: SLUG, reason: 'not_due' }], failed: [] });
    expect(releaseRows(t)).toHaveLength(1);
    expect((await results(t)).json()).toMatchObject({ respondents: { n: 5 } });

    await respond(t, SLUG, 1, 9);
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [{ slug: SLUG, final: false }], skipped: [], failed: [] });
    expect(releaseRows(t)).toHaveLength(2);
    expect((await results(t)).json()).toMatchObject({ final: false, respondents: { n: 10 } });
    expect(releaseRows(t, 'final-only')).toEqual([]);
    expect((await results(t, 'final-only')).statusCode).toBe(404);
  });

  it('checkpoints the write-ahead log: the -wal file is empty after a run', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await respond(t, SLUG, 3);
    const wal = `${t.config.databasePath}-wal`;
    // The responses' arrival order sits in the WAL until the run.
    expect(statSync(wal).size).toBeGreaterThan(0);
    expect(await t.app.releases.run()).toEqual({ closed: [], released: [], skipped: [], failed: [] });
    expect(statSync(wal).size).toBe(0);
  });

  it('never overlaps another run: while another holder has the lease, run() does nothing and release answers busy', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    await respond(t, SLUG, 6);
    // Another process (the CLI, a crashed run) with its own connection's view of the leases.
    const repository = leases(t);
    expect(repository.acquireLock(LOCK, 'cli-run', c.now().getTime(), 15 * 60 * 1000)).toBe(true);

    expect(await t.app.releases.run()).toBeUndefined();
    const busy = await postRelease(t, SLUG, t.as('staff'), 'fr');
    expect(busy.json()).toEqual({ released: false, reason: 'busy', message: tr('fr', 'results:not_released.busy') });
    expect(releaseRows(t)).toEqual([]);

    // Once the other run lets go, the job runs again.
    repository.releaseLock(LOCK, 'cli-run');
    expect(await t.app.releases.run()).toMatchObject({ released: [{ slug: SLUG, final: false }] });
    // The job let go of the lease too: another holder can take it.
    expect(repository.acquireLock(LOCK, 'cli-run', c.now().getTime(), 1000)).toBe(true);
  });

  it('takes over a lease that expired (a crashed run), but not one still running', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    await respond(t, SLUG, 5);
    // Another process (the CLI, a crashed run) with its own connection's view of the leases.
    const repository = leases(t);
    const at = c.now().getTime();
    expect(repository.acquireLock(LOCK, 'crashed-run', at - 20 * 60 * 1000, 15 * 60 * 1000)).toBe(true);
    expect(await t.app.releases.run()).toMatchObject({ released: [{ slug: SLUG, final: false }] });
    expect(repository.acquireLock(LOCK, 'live-run', at, 60_000)).toBe(true);
    expect(repository.acquireLock(LOCK, 'another', at + 30_000, 60_000)).toBe(false);
  });
});

describe('interim releases, then the final release', () => {
  it('publish the respondent count only while open; the final release publishes every figure afresh and lists the earlier counts', async () => {
    const c = clock();
    const t = await makeApp({}, { now: c.now });
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    await respond(t, SLUG, 5);
    expect((await postRelease(t)).json()).toMatchObject({ released: true, final: false });
    await respond(t, SLUG, 6, 5);
    c.set(new Date('2026-11-28T12:00:00Z'));
    expect((await postRelease(t)).json()).toMatchObject({ released: true, final: false });
    const interim = releaseRows(t).map((r) => JSON.parse(r.content) as Record<string, unknown>);
    expect(interim).toEqual([
      { survey: SLUG, minGroupSize: 5, minDiversity: 1, releasedAt: DAY, final: false, respondents: { n: 5 }, releases: [], questions: [] },
      { survey: SLUG, minGroupSize: 5, minDiversity: 1, releasedAt: '2026-11-28', final: false, respondents: { n: 11 }, releases: [{ releasedAt: DAY, respondents: { n: 5 } }], questions: [] },
    ]);
    // The rule-6 state of earlier versions is gone with its column.
    const columns = (t.db.sqlite.prepare('select name from pragma_table_info(?)').pluck().all('releases') as string[]).sort();
    expect(columns).not.toContain('state');

    // 13 − 11 < k: too few for an interim release, but the final release publishes all 13.
    await respond(t, SLUG, 2, 11);
    expect((await postRelease(t)).json()).toMatchObject({ released: false, reason: 'not_due' });
    await closeSurvey(t, SLUG);
    expect(releaseRows(t).map((r) => r.final)).toEqual([0, 0, 1]);
    const final = (await results(t)).json();
    expect(final).toMatchObject({
      final: true,
      respondents: { n: 13 },
      releases: [
        { releasedAt: DAY, respondents: { n: 5 } },
        { releasedAt: '2026-11-28', respondents: { n: 11 } },
      ],
      audit: { passed: true },
    });
    expect(JSON.stringify(final)).not.toContain('stale');
    const speak = (final.questions as { id: string; overall: unknown }[]).find((q) => q.id === 'speak_freely');
    // respond() spreads speak_freely over 1..5: thirteen answers, diverse.
    expect(speak?.overall).toMatchObject({ n: 13 });
  });
});
