/**
 * The release job off the event loop (issue 9, item 5; SPEC §6), through real HTTP and a real
 * SQLite file: the job runs in a worker thread with its own connection, so that /healthz keeps
 * answering while a large survey is released; closing a survey answers at once and the final
 * release follows; a background release that cannot be made now is logged and retried until it
 * is; POST /api/surveys/:slug/release answers only once its release is stored; closing the app
 * stops the thread without leaving a half-made release.
 */
import { existsSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { seededRandom } from '../../scripts/seeded-random.js';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { RETRY_MS } from '../../src/releases/plugin.js';
import { VALUE_SEPARATOR } from '../../src/responses/validate.js';
import { PREFER_NOT_TO_SAY, type SurveyDefinition } from '../../src/surveys/definition.js';
import { L, makeApp, openSurvey, sampleSurvey, testConfig, type TestApp } from '../helpers.js';
import { until } from '../wait.js';

const SLUG = 'learning-lab-2026';
/**
 * Responses of the surveys where size does not matter: enough that every cell is large and the
 * audit passes at once (with a few hundred, small cells make the audit's passes take seconds).
 */
const RESPONSES = 2_000;
const LOCK = 'aggregate';
/** A poll that waits this long saw a blocked event loop (see the first job-thread test). */
const BLOCKED_MS = 250;

/** Statements rated on a Likert scale, beside sampleSurvey()'s questions: a survey of realistic length. */
const STATEMENTS = Array.from({ length: 12 }, (_, i) => `statement_${i + 1}`);

/**
 * sampleSurvey(), invite-only, with a second grouping question (organisation size) after region
 * and twelve more Likert statements: 18 questions, as a real round has. At 50,000 responses the
 * aggregation alone (one synchronous read over every question) holds its thread for about half a
 * second, so that a release made in the event loop's thread keeps /healthz waiting that long.
 */
function bigSurvey(): SurveyDefinition {
  const base = sampleSurvey({ access: 'invite' });
  const [region, ...rest] = base.questions;
  return {
    ...base,
    questions: [
      region!,
      {
        id: 'size',
        type: 'single_choice',
        grouping: true,
        prompt: L('How large is your organisation?', '¿Qué tamaño tiene su organización?', 'Quelle est la taille de votre organisation ?'),
        options: [
          { value: 'small', label: L('Small', 'Pequeña', 'Petite') },
          { value: 'large', label: L('Large', 'Grande', 'Grande') },
        ],
      },
      ...rest,
      ...STATEMENTS.map((id, i) => ({
        id,
        type: 'likert' as const,
        prompt: L(`Statement ${i + 1}.`, `Afirmación ${i + 1}.`, `Affirmation ${i + 1}.`),
      })),
    ],
  } as SurveyDefinition;
}

/** Inserts rows of `columns` into `table`, many rows a statement (as the response store does for answers). */
function insertRows(sqlite: TestApp['db']['sqlite'], table: string, columns: string[], rows: readonly (string | number)[][]): void {
  const PER = 100;
  const statement = (n: number) =>
    sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`);
  const full = statement(PER);
  let i = 0;
  for (; i + PER <= rows.length; i += PER) full.run(rows.slice(i, i + PER).flat());
  if (i < rows.length) statement(rows.length - i).run(rows.slice(i).flat());
}

/** Sorts rows by their leading columns, as SQLite's BINARY collation orders the ASCII keys used here. */
const byKey = (a: readonly (string | number)[], b: readonly (string | number)[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
};

/**
 * Writes `count` responses to bigSurvey() straight into the database file, in one transaction,
 * as the response store (src/responses/store.ts) writes them: a `responses` row with a random id
 * (the store's 16 bytes in base64url, drawn here from a seeded generator: the same file every run);
 * one `answers` row per answered non-text question (grouping questions always, skipping one is
 * prefer_not_to_say) carrying the response's cohort ("africa|small"), multi-choice values joined
 * by "|" in definition order; each comment a `comments` row with an id of its own. Each response
 * spent an invitation code (`invites`: a hash and `spent`), and a few codes stay unspent. Rows go
 * in in key order, so that 50,000 responses load in seconds rather than minutes.
 */
function loadResponses(t: TestApp, count: number, seed = 2026): void {
  const { sqlite } = t.db;
  const surveyId = sqlite.prepare('select id from surveys where slug = ?').pluck().get(SLUG) as number;
  const random = seededRandom(seed);
  // Ids from a generator of their own, so that the answers stay what this seed always made.
  const idRandom = seededRandom(seed + 1);
  const randomId = () => Buffer.from(Array.from({ length: 16 }, () => Math.floor(idRandom() * 256))).toString('base64url');
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const regions = ['africa', 'africa', 'americas', 'americas', 'americas', 'asia', 'asia', PREFER_NOT_TO_SAY];
  const sizes = ['small', 'small', 'large', PREFER_NOT_TO_SAY];
  const activities = ['calls', 'mentoring', 'visits'];
  const responses: string[][] = [];
  const answers: string[][] = [];
  const comments: string[][] = [];
  const invites: (string | number)[][] = [];
  for (let i = 0; i < count; i++) {
    const id = randomId();
    const region = pick(regions);
    const size = pick(sizes);
    const cohort = [region, size].join(VALUE_SEPARATOR);
    const answered: [string, string][] = [
      ['region', region],
      ['size', size],
      ['speak_freely', String(1 + Math.floor(random() * 5))],
    ];
    if (random() < 0.9) {
      const ticked = activities.filter(() => random() < 0.5);
      if (ticked.length > 0) answered.push(['activities', ticked.join(VALUE_SEPARATOR)]);
    }
    if (random() < 0.8) answered.push(['usefulness', String(Math.floor(random() * 11))]);
    for (const statement of STATEMENTS) if (random() < 0.85) answered.push([statement, String(1 + Math.floor(random() * 5))]);
    responses.push([id]);
    for (const [questionId, value] of answered) answers.push([questionId, value, cohort, id]);
    if (random() < 0.1) comments.push([randomId(), 'suggestions', `Suggestion number ${i}.`]);
    invites.push([randomId(), 1]);
  }
  for (let i = 0; i < Math.ceil(count / 20); i++) invites.push([randomId(), 0]);
  const withSurvey = (rows: (string | number)[][]) => rows.sort(byKey).map((row) => [surveyId, ...row]);
  sqlite.transaction(() => {
    insertRows(sqlite, 'responses', ['survey_id', 'id'], withSurvey(responses));
    insertRows(sqlite, 'answers', ['survey_id', 'question_id', 'value', 'cohort', 'response_id'], withSurvey(answers));
    insertRows(sqlite, 'comments', ['survey_id', 'id', 'question_id', 'text'], withSurvey(comments));
    insertRows(sqlite, 'invites', ['survey_id', 'code_hash', 'spent'], withSurvey(invites));
  }).immediate();
}


/** Releases stored for the survey, read straight from the file (the test's own connection). */
const releaseRows = (t: TestApp) =>
  t.db.sqlite
    .prepare('select r.final, r.content from releases r join surveys s on s.id = r.survey_id where s.slug = ? order by r.id')
    .all(SLUG) as { final: number; content: string }[];

interface LogEntry {
  level: number;
  msg: string;
  survey?: string;
  attempt?: number;
}

/** What the app logged (makeApp with logLevel 'warn': warnings and errors), parsed. */
const logged = (t: TestApp): LogEntry[] =>
  t.logs
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LogEntry);

/** The warnings of a background release that could not be made (plugin.ts). */
const couldNotRelease = (t: TestApp) => logged(t).filter((e) => e.level === 40 && e.msg.startsWith('the release could not be made'));

/** Holds the job's lease as another process would (a CLI run): another holder, an expiry far ahead. */
function holdLease(t: TestApp): void {
  t.db.sqlite.prepare('insert into job_locks (name, holder, expires_at) values (?, ?, ?)').run(LOCK, 'another-process', Date.now() + 24 * 3600 * 1000);
}
function freeLease(t: TestApp): void {
  expect(t.db.sqlite.prepare('delete from job_locks where name = ? and holder = ?').run(LOCK, 'another-process').changes).toBe(1);
}

/**
 * Makes storing a release take a while (about a second of work for SQLite, more on a busy
 * machine), whichever connection stores it: a trigger that counts a three-way cross join before
 * each insert into `releases`. Plain SQL, so the job thread's own connection runs it too.
 */
function slowReleaseInserts(t: TestApp, rows = 400): void {
  const { sqlite } = t.db;
  sqlite.exec('create table test_burn (x integer primary key)');
  const insert = sqlite.prepare('insert into test_burn (x) values (?)');
  sqlite.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(i);
  })();
  sqlite.exec('create trigger test_slow_release before insert on releases begin select count(*) from test_burn a, test_burn b, test_burn c; end');
}

/** Collects what is garbage now (the loader's rows), so that its pause does not land in a measurement. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The operating-system threads of this process (Linux): the job thread is one of them. */
const osThreads = (): number | undefined => (existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : undefined);


/** The releases stored, once the first one is (waiting up to `ms`). */
const finalReleaseStored = (t: TestApp, ms: number) =>
  until('the final release', () => {
    const stored = releaseRows(t);
    return stored.length > 0 ? stored : undefined;
  }, ms);

/**
 * After the app closed with a release in flight: the release is stored whole (a final release
 * whose JSON is complete and audited) or not at all, and the lease is given back either way.
 */
function storedWholeOrNotAtAll(path: string): { final: number; content: string }[] {
  const after = openDatabase(path);
  const stored = after.sqlite.prepare('select final, content from releases').all() as { final: number; content: string }[];
  expect(after.sqlite.prepare('select count(*) from job_locks').pluck().get()).toBe(0);
  after.close();
  expect(stored.length).toBeLessThanOrEqual(1);
  if (stored.length === 1) {
    expect(stored[0]!.final).toBe(1);
    expect(JSON.parse(stored[0]!.content)).toMatchObject({ survey: SLUG, final: true, respondents: { n: RESPONSES }, audit: { passed: true } });
  }
  return stored;
}
/** A server on an existing database file (a restart), closed when the test ends. */
async function appOnFile(databasePath: string) {
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const db = openDatabase(databasePath);
  const app = await buildApp(testConfig({ databasePath, logLevel: 'warn' }), { db, logStream });
  onTestFinished(() => app.close());
  return { app, db, logs };
}

/** A server listening on a free port, with fetch helpers. */
async function listening(t: TestApp) {
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    get: (path: string) => fetch(`${base}${path}`),
    patch: (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'PATCH', headers: { ...t.as('staff'), 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    post: (path: string) => fetch(`${base}${path}`, { method: 'POST', headers: t.as('staff') }),
  };
}

type Release = { survey: string; final: boolean; respondents: { n: number }; audit?: { passed: boolean }; questions: { id: string; overall?: unknown }[] };

describe('the release job runs off the event loop', () => {
  it(
    '/healthz keeps answering while a 50,000-response survey is closed and released',
    async () => {
      const t = await makeApp({}, { jobThread: true });
      await openSurvey(t, bigSurvey());
      const loadStarted = performance.now();
      loadResponses(t, 50_000);
      // Start from a settled file, as a server between runs would be.
      t.db.checkpoint(5000);
      const loadMs = performance.now() - loadStarted;
      expect(t.db.sqlite.prepare('select count(*) from responses').pluck().get()).toBe(50_000);
      collectGarbage();

      const http = await listening(t);
      // One request first, so that the client's connection is open before anything is timed.
      expect((await http.get('/healthz')).status).toBe(200);

      const closeStarted = performance.now();
      const closed = await http.patch(`/api/surveys/${SLUG}`, { status: 'closed' });
      const closedAt = performance.now();
      expect(closed.status).toBe(200);
      expect(((await closed.json()) as { status: string }).status).toBe('closed');
      const patchMs = closedAt - closeStarted;
      // The PATCH answered before the release it set off was stored.
      expect(releaseRows(t)).toEqual([]);

      // Poll /healthz every ~20 ms until the final release is stored. A poll's time runs from
      // when it was due (20 ms after the answer before), not from when the test got round to
      // sending it: a blocked event loop delays the test's own timer as much as the server.
      const polls: { due: number; answered: number; ms: number; status: number }[] = [];
      let stop = false;
      const poller = (async () => {
        let due = performance.now();
        while (!stop) {
          const res = await http.get('/healthz');
          await res.arrayBuffer();
          const answered = performance.now();
          polls.push({ due, answered, ms: answered - due, status: res.status });
          due = answered + 20;
          // The polling rate is what is measured against, not a wait for something to happen.
          await sleep(20);
        }
      })();
      let storedAt = 0;
      let final: Release;
      try {
        final = await until(
          'the final release',
          async () => {
            const res = await http.get(`/api/surveys/${SLUG}/results`);
            const body = (await res.json()) as Release;
            if (res.status !== 200 || !body.final) return undefined;
            storedAt = performance.now();
            return body;
          },
          60_000,
          100,
        );
      } finally {
        stop = true;
        await poller;
      }

      const during = polls.filter((p) => p.due >= closedAt && p.answered <= storedAt);
      const slowest = [...polls].sort((a, b) => b.ms - a.ms).slice(0, 3);
      console.info(
        `[thread.test] 50,000 responses loaded in ${Math.round(loadMs)} ms; PATCH answered in ${Math.round(patchMs)} ms; ` +
          `final release stored ${Math.round(storedAt - closedAt)} ms after it; ${polls.length} /healthz polls, ${during.length} during the release; ` +
          `slowest ${slowest.map((p) => `${p.ms.toFixed(1)} ms (at +${Math.round(p.due - closedAt)} ms)`).join(', ')}`,
      );

      expect(polls.filter((p) => p.status !== 200)).toEqual([]);
      // A poll waits ~10-30 ms here, but a loaded 2-core CI runner has shown one at 101 ms: a unit
      // test must not time the machine. 250 ms still catches a job that holds the loop for a
      // stretch of the release; how fast the polls answer is a benchmark's business.
      expect(polls.filter((p) => p.ms >= BLOCKED_MS).map((p) => ({ at: Math.round(p.due - closedAt), ms: Math.round(p.ms) }))).toEqual([]);
      // The polls really overlapped the release.
      expect(during.length).toBeGreaterThanOrEqual(5);
      expect(patchMs).toBeLessThan(1000);

      expect(final).toMatchObject({ survey: SLUG, final: true, respondents: { n: 50_000 }, audit: { passed: true } });
      // Real figures were published, not a release hidden wholesale.
      expect(final.questions.find((q) => q.id === 'speak_freely')?.overall).toMatchObject({ n: 50_000 });
      // One final release, and it is what the endpoint serves.
      const rows = releaseRows(t);
      expect(rows.map((r) => r.final)).toEqual([1]);
      expect(JSON.parse(rows[0]!.content)).toEqual(final);
    },
    120_000,
  );

  it('closing a survey answers at once; its final release is stored afterwards, with no further request', async () => {
    const t = await makeApp({ logLevel: 'warn' }, { jobThread: true });
    await openSurvey(t, bigSurvey());
    loadResponses(t, RESPONSES);
    // Storing the release takes a second or more: a PATCH that waited for it could not answer before.
    slowReleaseInserts(t);
    const http = await listening(t);

    const started = performance.now();
    const closed = await http.patch(`/api/surveys/${SLUG}`, { status: 'closed' });
    const patchMs = performance.now() - started;
    expect(closed.status).toBe(200);
    // At the moment the PATCH answered: the survey is closed, and no release is stored yet.
    expect(releaseRows(t)).toEqual([]);
    expect(t.db.sqlite.prepare('select status from surveys where slug = ?').pluck().get(SLUG)).toBe('closed');
    expect(patchMs).toBeLessThan(1000);
    expect((await http.get(`/api/surveys/${SLUG}/results`)).status).toBe(404);

    // The final release follows, in the background, without anything asked of the server.
    const rows = await finalReleaseStored(t, 30_000);
    const followedMs = performance.now() - started;
    console.info(`[thread.test] PATCH answered in ${Math.round(patchMs)} ms; its final release was stored ${Math.round(followedMs)} ms after it was sent`);
    expect(rows.map((r) => r.final)).toEqual([1]);
    expect(JSON.parse(rows[0]!.content)).toMatchObject({ final: true, respondents: { n: RESPONSES }, audit: { passed: true } });
    const results = await http.get(`/api/surveys/${SLUG}/results`);
    expect(results.status).toBe(200);
    expect(await results.text()).toBe(rows[0]!.content);
    // Made at the first attempt: nothing was logged.
    expect(logged(t)).toEqual([]);
  }, 45_000);

  it('a background release that cannot be made now (the lease is held elsewhere) is logged and retried until it is made', async () => {
    const t = await makeApp({ logLevel: 'warn' }, { jobThread: true });
    await openSurvey(t, bigSurvey());
    loadResponses(t, RESPONSES);
    holdLease(t);
    const http = await listening(t);

    const closed = await http.patch(`/api/surveys/${SLUG}`, { status: 'closed' });
    expect(closed.status).toBe(200);

    // Tried at once, refused (busy), logged; tried again RETRY_MS later, refused again, logged again.
    const first = await until('the first warning', () => couldNotRelease(t)[0], 15_000);
    expect(first).toMatchObject({ survey: SLUG, attempt: 1 });
    expect(first.msg).toContain('another aggregation run holds the lease');
    const second = await until('the second warning', () => couldNotRelease(t)[1], RETRY_MS + 10_000);
    expect(second).toMatchObject({ survey: SLUG, attempt: 2 });
    expect(releaseRows(t)).toEqual([]);
    expect((await http.get(`/api/surveys/${SLUG}/results`)).status).toBe(404);
    // The other process's lease is untouched.
    expect(t.db.sqlite.prepare('select holder from job_locks where name = ?').pluck().get(LOCK)).toBe('another-process');

    // The other process finishes: the next attempt makes the release, within one retry period.
    freeLease(t);
    const freedAt = performance.now();
    const rows = await finalReleaseStored(t, 12_000);
    console.info(`[thread.test] lease freed; the final release was stored ${Math.round(performance.now() - freedAt)} ms later`);
    expect(rows.map((r) => r.final)).toEqual([1]);
    expect(JSON.parse(rows[0]!.content)).toMatchObject({ final: true, respondents: { n: RESPONSES }, audit: { passed: true } });
    expect((await http.get(`/api/surveys/${SLUG}/results`)).status).toBe(200);

    // Nothing silently dropped, nothing made twice: one release, the job's lease given back, and no
    // further attempt once it was made (a retry period later, still one release and no new warning).
    const warned = couldNotRelease(t).length;
    // A fixed wait on purpose: what is tested is that nothing happens in a whole retry period.
    await sleep(RETRY_MS + 1000);
    expect(releaseRows(t)).toHaveLength(1);
    expect(couldNotRelease(t)).toHaveLength(warned);
    expect(couldNotRelease(t).map((w) => w.attempt)).toEqual(Array.from({ length: warned }, (_, i) => i + 1));
    expect(t.db.sqlite.prepare('select count(*) from job_locks').pluck().get()).toBe(0);
  }, 60_000);

  it('a background release that fails with an error is logged and retried until it is made', async () => {
    const t = await makeApp({ logLevel: 'warn' }, { jobThread: true });
    await openSurvey(t, bigSurvey());
    loadResponses(t, RESPONSES);
    // Every attempt to store a release fails, as a full disk or a broken file would make it fail.
    t.db.sqlite.exec("create trigger test_refuse_release before insert on releases begin select raise(abort, 'test: the disk is full'); end");
    const http = await listening(t);

    expect((await http.patch(`/api/surveys/${SLUG}`, { status: 'closed' })).status).toBe(200);
    const first = await until('the first warning', () => couldNotRelease(t)[0], 15_000);
    expect(first).toMatchObject({ survey: SLUG, attempt: 1 });
    expect(first.msg).toContain('test: the disk is full');
    expect(releaseRows(t)).toEqual([]);
    // A failed attempt gives the lease back: the next one (or another process) can take it.
    expect(t.db.sqlite.prepare('select count(*) from job_locks').pluck().get()).toBe(0);

    t.db.sqlite.exec('drop trigger test_refuse_release');
    const rows = await finalReleaseStored(t, 12_000);
    expect(rows.map((r) => r.final)).toEqual([1]);
    expect(JSON.parse(rows[0]!.content)).toMatchObject({ final: true, respondents: { n: RESPONSES }, audit: { passed: true } });
  }, 45_000);

  it('POST /api/surveys/:slug/release answers only once its release is stored', async () => {
    const t = await makeApp({ logLevel: 'warn' }, { jobThread: true });
    await openSurvey(t, bigSurvey());
    loadResponses(t, RESPONSES);
    const http = await listening(t);
    // Keep the release that closing sets off from being made: another process holds the lease.
    holdLease(t);
    expect((await http.patch(`/api/surveys/${SLUG}`, { status: 'closed' })).status).toBe(200);
    await until('the background attempt', () => couldNotRelease(t)[0], 15_000);

    // While the lease is held elsewhere, asking answers at once that it could not be made.
    const refused = await http.post(`/api/surveys/${SLUG}/release`);
    expect(refused.status).toBe(200);
    expect(await refused.json()).toMatchObject({ released: false, reason: 'busy' });
    expect(releaseRows(t)).toEqual([]);

    // Storing the release takes a second or more: an answer that did not wait for it would come first.
    slowReleaseInserts(t);
    freeLease(t);
    const started = performance.now();
    const res = await http.post(`/api/surveys/${SLUG}/release`);
    const postMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ released: true, final: true });
    // Right after the answer, the stored release is there and is what the results serve.
    const rows = releaseRows(t);
    expect(rows.map((r) => r.final)).toEqual([1]);
    const results = await http.get(`/api/surveys/${SLUG}/results`);
    expect(results.status).toBe(200);
    const body = await results.text();
    expect(body).toBe(rows[0]!.content);
    expect(JSON.parse(body)).toMatchObject({ final: true, respondents: { n: RESPONSES }, audit: { passed: true } });
    console.info(`[thread.test] POST /release answered in ${Math.round(postMs)} ms, with its release stored`);

    // The background retry, when it comes, finds the final release made and makes no second one.
    // A fixed wait on purpose: the retry leaves no trace to wait for, and what is tested is that nothing is made.
    await sleep(RETRY_MS + 1000);
    expect(releaseRows(t)).toHaveLength(1);
    expect(couldNotRelease(t)).toHaveLength(1);
  }, 45_000);

  it('closing the app while a release is in flight stops the job thread, leaving the release stored whole or not at all', async () => {
    const t = await makeApp({ logLevel: 'warn' }, { jobThread: true });
    const path = t.config.databasePath;
    await openSurvey(t, bigSurvey());
    loadResponses(t, RESPONSES);
    slowReleaseInserts(t, 500);
    const threadsBefore = osThreads();

    expect((await t.app.inject({ method: 'PATCH', url: `/api/surveys/${SLUG}`, headers: t.as('staff'), payload: { status: 'closed' } })).statusCode).toBe(200);
    // In flight: the job thread has taken the lease and is storing the release (the slow insert).
    await until('the job to take its lease', () => (t.db.sqlite.prepare('select 1 from job_locks where name = ?').pluck().get(LOCK) ? true : undefined), 15_000, 10);
    expect(releaseRows(t)).toEqual([]);
    const threadsDuring = osThreads();

    const closing = performance.now();
    await t.app.close();
    const closeMs = performance.now() - closing;
    const threadsAfter = osThreads();
    console.info(`[thread.test] app closed in ${Math.round(closeMs)} ms with a release in flight; OS threads ${threadsBefore} before, ${threadsDuring} during, ${threadsAfter} after`);
    expect(closeMs).toBeLessThan(30_000);
    // The job thread is gone, and its connection with it: the last connection to close removes the
    // write-ahead log, which any connection left open (the thread's) would keep.
    if (threadsDuring !== undefined) expect(threadsAfter).toBeLessThan(threadsDuring);
    expect(existsSync(`${path}-wal`)).toBe(false);

    const stored = storedWholeOrNotAtAll(path);
    console.info(`[thread.test] the release in flight was ${stored.length === 1 ? 'stored whole before the app closed' : 'not stored'}`);

    // A restarted server makes the final release if it is missing (at start, or at the next run,
    // which waits for it), and never a second one.
    const restarted = await appOnFile(path);
    restarted.db.sqlite.exec('drop trigger test_slow_release');
    await restarted.app.releases.run();
    expect(restarted.db.sqlite.prepare('select count(*) from releases where final = 1').pluck().get()).toBe(1);
  }, 60_000);

  it('closing the app while the job thread is still starting (right after a close) stops it too; the release is made at the next run', async () => {
    const t = await makeApp({ logLevel: 'warn' }, { jobThread: true });
    const path = t.config.databasePath;
    await openSurvey(t, bigSurvey());
    loadResponses(t, RESPONSES);
    // The first release starts the job thread, which takes a moment to load: close the app then.
    expect((await t.app.inject({ method: 'PATCH', url: `/api/surveys/${SLUG}`, headers: t.as('staff'), payload: { status: 'closed' } })).statusCode).toBe(200);
    const closing = performance.now();
    await t.app.close();
    const closeMs = performance.now() - closing;
    expect(closeMs).toBeLessThan(30_000);
    expect(existsSync(`${path}-wal`)).toBe(false);

    const stored = storedWholeOrNotAtAll(path);
    console.info(
      `[thread.test] app closed in ${Math.round(closeMs)} ms while the job thread was starting; release ${stored.length === 1 ? 'stored whole' : 'not stored'}; ` +
        `logged: ${JSON.stringify(logged(t).map((e) => e.msg))}`,
    );

    // At the next start (a server is ready once it listens), the missing release is made without
    // anyone asking, though the schedule is off.
    const restarted = await appOnFile(path);
    await restarted.app.ready();
    await until(
      'the final release after the restart',
      () => ((restarted.db.sqlite.prepare('select count(*) from releases where final = 1').pluck().get() as number) === 1 ? true : undefined),
      30_000,
    );
    // And a run afterwards makes no second one.
    expect((await restarted.app.releases.run())?.released ?? []).toEqual([]);
    expect(restarted.db.sqlite.prepare('select count(*) from releases where final = 1').pluck().get()).toBe(1);
  }, 60_000);
});
