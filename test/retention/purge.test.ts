/**
 * `npm run purge -- SLUG` (§2, §10, issue 5): only for a closed survey with its final release;
 * asks for confirmation unless --yes; deletes the raw responses, the unpublished comments and the
 * invitation codes — from the database file itself, write-ahead log included — and keeps the
 * released results (byte for byte), the published review and its comments. Staff then see the
 * survey as purged.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { closeSurvey, L, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, tempDir, type TestApp } from '../helpers.js';
import { elements, text } from '../html.js';
import { databaseBytes } from '../invites/support.js';
import { signIn } from '../staff/session.js';
import { until } from '../wait.js';
import { npmRun, run, tsx } from './run.js';

const i18n = createI18n();
const SLUG = 'round-to-purge';
const OTHER = 'round-to-keep';
/** A grouping option value found nowhere else: in the raw answers it is stored next to itself (value, then cohort). */
const GROUP_MARK = 'zqxgroupmark';
const PUBLISHED_MARKS = ['keepalpha', 'keepbravo', 'keepcharlie', 'keepdelta'];
const UNPUBLISHED_MARKS = ['zqxunpubecho', 'zqxunpubfoxtrot', 'zqxunpubgolf', 'zqxunpubhotel'];

function definition(slug: string): SurveyDefinition {
  const base = sampleSurvey({ slug, minGroupSize: 3, minComments: 4, access: slug === SLUG ? 'invite' : 'open' });
  const [region, ...rest] = base.questions;
  if (region?.type !== 'single_choice') throw new Error('sampleSurvey changed');
  return {
    ...base,
    questions: [{ ...region, options: [...region.options, { value: GROUP_MARK, label: L('Elsewhere', 'En otro lugar', 'Ailleurs') }] }, ...rest],
  };
}

interface Round {
  t: TestApp;
  responseIds: string[];
}

/** A closed invite-only round with its final release and a published review, and another open round. */
async function purgeableRound(): Promise<Round> {
  const t = await makeApp();
  await openSurvey(t, definition(SLUG));
  const codes = ((await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count: 12 } })).json() as { codes: string[] }).codes;
  const marks = [...PUBLISHED_MARKS, ...UNPUBLISHED_MARKS];
  for (let i = 0; i < 10; i++) {
    const answers = sampleAnswers({ region: i < 4 ? GROUP_MARK : ['africa', 'americas'][i % 2], speak_freely: 1 + (i % 5), suggestions: marks[i] ? `${marks[i]} is what I think.` : null });
    const res = await submit(t, SLUG, { answers, inviteCode: codes[i] });
    expect(res.statusCode, res.body).toBe(201);
  }
  await closeSurvey(t, SLUG);

  // The Working Group publishes four comments, hides two and leaves two pending, then publishes its review.
  const queue = (await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments`, headers: t.as('wg') })).json() as { id: string; text: string }[];
  expect(queue).toHaveLength(8);
  for (const c of queue) {
    const status = PUBLISHED_MARKS.some((m) => c.text.includes(m)) ? 'published' : c.text.includes('echo') || c.text.includes('foxtrot') ? 'hidden' : undefined;
    if (!status) continue;
    const res = await t.app.inject({ method: 'PATCH', url: `/api/comments/${c.id}`, headers: t.as('wg'), payload: { status, shareWithPartners: status === 'published' } });
    expect(res.statusCode, res.body).toBe(200);
  }
  const review = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/review/publish`, headers: t.as('wg') });
  expect(review.statusCode, review.body).toBe(200);

  // Another round, open, whose answers must survive the purge.
  await openSurvey(t, definition(OTHER));
  for (let i = 0; i < 3; i++) expect((await submit(t, OTHER, { answers: sampleAnswers({ suggestions: `otherround${i}` }) })).statusCode).toBe(201);

  const responseIds = t.db.sqlite.prepare('select r.id from responses r join surveys s on s.id = r.survey_id where s.slug = ?').pluck().all(SLUG) as string[];
  expect(responseIds).toHaveLength(10);
  return { t, responseIds };
}

const env = (t: TestApp) => ({ DATABASE_PATH: t.config.databasePath });
const count = (t: TestApp, sql: string, ...params: unknown[]) => t.db.sqlite.prepare(sql).pluck().get(...params) as number;

function rawState(t: TestApp, slug: string) {
  const id = count(t, 'select id from surveys where slug = ?', slug);
  return {
    responses: count(t, 'select count(*) from responses where survey_id = ?', id),
    answers: count(t, 'select count(*) from answers where survey_id = ?', id),
    comments: count(t, 'select count(*) from comments where survey_id = ?', id),
    invites: count(t, 'select count(*) from invites where survey_id = ?', id),
    releases: count(t, 'select count(*) from releases where survey_id = ?', id),
  };
}

/** Everything anyone can read about the released round. */
async function readable(t: TestApp, staff: Record<string, string>) {
  const out: Record<string, string> = {};
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode, url).toBe(200);
    return res.body;
  };
  out.results = await get(`/api/surveys/${SLUG}/results`);
  for (const lang of LOCALES) out[`csv-${lang}`] = await get(`/api/surveys/${SLUG}/results.csv?lang=${lang}`);
  out.review = await get(`/api/surveys/${SLUG}/review`, staff);
  return out;
}

/** Raw answers sit in the file as "…value cohort…": the grouping mark next to itself, never in JSON quotes. */
const rawGroupAnswers = (bytes: string) => (bytes.match(new RegExp(`[^"]${GROUP_MARK}`, 'g')) ?? []).length;

describe('npm run purge -- SLUG --yes', () => {
  it('deletes the raw answers from the file itself and keeps the releases and the published review', async () => {
    const { t, responseIds } = await purgeableRound();
    const before = await readable(t, t.as('staff'));
    expect(rawState(t, SLUG)).toMatchObject({ responses: 10, comments: 8, invites: 12, releases: 1 });
    const other = rawState(t, OTHER);

    // The markers are really in the files before: the search below is live.
    t.db.checkpoint();
    let bytes = databaseBytes(t.config.databasePath);
    expect(rawGroupAnswers(bytes)).toBeGreaterThan(0);
    for (const m of [...PUBLISHED_MARKS, ...UNPUBLISHED_MARKS]) expect(bytes, m).toContain(m);
    for (const id of responseIds) expect(bytes).toContain(id);

    // Purged while Candor keeps the database open.
    const r = await npmRun('purge', [SLUG, '--yes'], env(t));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Purged "round-to-purge": 10 responses \(\d+ answers\), 4 unpublished comments and 12 invitation codes deleted/);

    expect(rawState(t, SLUG)).toEqual({ responses: 0, answers: 0, comments: 4, invites: 0, releases: 1 });
    expect(rawState(t, OTHER)).toEqual(other);
    const kept = t.db.sqlite.prepare("select c.text, c.status from comments c join surveys s on s.id = c.survey_id where s.slug = ?").all(SLUG) as { text: string; status: string }[];
    expect(kept.every((c) => c.status === 'published')).toBe(true);
    expect(kept.map((c) => c.text.split(' ')[0]).sort()).toEqual([...PUBLISHED_MARKS].sort());
    // A release row holds nothing but the JSON it serves.
    expect(t.db.sqlite.prepare('select content from releases where survey_id = (select id from surveys where slug = ?)').pluck().all(SLUG)).toEqual([before.results]);

    // Readable as before, byte for byte, from the running app and from a fresh one.
    expect(await readable(t, t.as('staff'))).toEqual(before);
    const reopened = await makeApp({ databasePath: t.config.databasePath });
    // (the tokens are the database's: the same staff token works on the reopened app)
    expect(await readable(reopened, t.as('staff'))).toEqual(before);
    const page = await t.app.inject({ method: 'GET', url: `/s/${SLUG}/results?lang=fr` });
    expect(page.statusCode).toBe(200);
    for (const m of PUBLISHED_MARKS) expect(page.body).toContain(m);

    // Gone from the bytes of the file and of its write-ahead log.
    bytes = databaseBytes(t.config.databasePath);
    expect(existsSync(`${t.config.databasePath}-wal`)).toBe(true);
    expect(rawGroupAnswers(bytes)).toBe(0);
    for (const m of UNPUBLISHED_MARKS) expect(bytes.includes(m), m).toBe(false);
    for (const id of responseIds) expect(bytes.includes(id), id).toBe(false);
    // Published comments are meant to stay.
    for (const m of PUBLISHED_MARKS) expect(bytes).toContain(m);
    // The other round's answers are untouched.
    for (let i = 0; i < 3; i++) expect(bytes).toContain(`otherround${i}`);
  });

  it('shows the survey as purged to staff, on the API and on the pages', async () => {
    const { t } = await purgeableRound();
    const r = await tsx(['scripts/purge.ts', SLUG, '--yes'], env(t));
    expect(r.code, r.stderr).toBe(0);
    const list = (await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json() as { slug: string; purged: boolean; responses: number; codesSpent?: number }[];
    expect(list.find((s) => s.slug === SLUG)).toMatchObject({ purged: true, responses: 0 });
    expect(list.find((s) => s.slug === OTHER)).toMatchObject({ purged: false, responses: 3 });
    for (const lang of LOCALES) {
      const tr = i18n.getFixedT(lang);
      const b = await signIn(t, 'staff', { lang });
      const home = await b.get(`/staff?lang=${lang}`);
      const row = elements(home.body, 'tr').find((tr_) => tr_.includes(`<code>${SLUG}</code>`))!;
      expect(elements(row, 'td').map(text)).toContain(tr('staff:purged'));
      const otherRow = elements(home.body, 'tr').find((tr_) => tr_.includes(`<code>${OTHER}</code>`))!;
      expect(elements(otherRow, 'td').map(text)).not.toContain(tr('staff:purged'));
      const page = await b.get(`/staff/surveys/${SLUG}?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      expect(text(page.body)).toContain(`${tr('staff:responses_live')} ${tr('staff:purged')}`);
      // The results stay linked.
      expect(page.body).toContain(`href="/s/${SLUG}/results?lang=${lang}"`);
    }
  });
});

describe('npm run purge while Candor is in the middle of a read', () => {
  /** An open read in the running app (what a long aggregation run does): it holds back checkpoints. */
  function holdRead(t: TestApp) {
    const rows = t.db.sqlite.prepare('select id from surveys').iterate();
    rows.next();
    return () => rows.return?.();
  }
  /** The schema version as a new connection sees it (the held read's own would not move): VACUUM moves it on. */
  const schemaVersion = (t: TestApp) => {
    const reader = new Database(t.config.databasePath, { readonly: true });
    try {
      return reader.pragma('schema_version', { simple: true }) as number;
    } finally {
      reader.close();
    }
  };

  it('waits for the read to end, then leaves no raw answer in the file', async () => {
    const { t, responseIds } = await purgeableRound();
    t.db.checkpoint();
    const before = schemaVersion(t);
    const release = holdRead(t);
    let ended = false;
    const purge = tsx(['scripts/purge.ts', SLUG, '--yes'], env(t), { timeoutMs: 60_000 }).finally(() => (ended = true));
    // Once the purge has committed its VACUUM into the log it is trying to checkpoint: end the read
    // then. (A purge that ended before that is reported by the assertions below.)
    await until('the purge to commit its VACUUM', () => ended || schemaVersion(t) > before, 30_000, 50);
    release();
    const r = await purge;
    expect(r.code, r.stderr).toBe(0);
    const bytes = databaseBytes(t.config.databasePath);
    expect(rawGroupAnswers(bytes)).toBe(0);
    for (const m of UNPUBLISHED_MARKS) expect(bytes.includes(m), m).toBe(false);
    for (const id of responseIds) expect(bytes.includes(id), id).toBe(false);
  }, 90_000);

  it('says so, with exit 3, when the read outlasts its patience; run again, it finishes the job', async () => {
    const { t, responseIds } = await purgeableRound();
    t.db.checkpoint();
    const release = holdRead(t);
    let r;
    try {
      r = await tsx(['scripts/purge.ts', SLUG, '--yes'], env(t), { timeoutMs: 80_000 });
    } finally {
      release();
    }
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/run .*again/i);
    // The rows are deleted…
    expect(rawState(t, SLUG)).toMatchObject({ responses: 0, answers: 0, invites: 0 });
    // …and a second run, with nobody reading, clears them from the file.
    const again = await tsx(['scripts/purge.ts', SLUG, '--yes'], env(t));
    expect(again.code, again.stderr).toBe(0);
    const bytes = databaseBytes(t.config.databasePath);
    expect(rawGroupAnswers(bytes)).toBe(0);
    for (const m of UNPUBLISHED_MARKS) expect(bytes.includes(m), m).toBe(false);
    for (const id of responseIds) expect(bytes.includes(id), id).toBe(false);
  }, 120_000);
});

describe('npm run purge refuses', () => {
  it('an open survey, a closed survey without its final release, an unknown one, and no slug at all — deleting nothing', async () => {
    const { t } = await purgeableRound();
    const before = { purge: rawState(t, SLUG), other: rawState(t, OTHER) };

    const open = await tsx(['scripts/purge.ts', OTHER, '--yes'], env(t));
    expect(open.code).not.toBe(0);
    expect(open.stderr).toMatch(/not closed/);

    // Closed, but its final release not made (as after a crash between closing and releasing).
    t.db.sqlite.prepare("update surveys set status = 'closed' where slug = ?").run(OTHER);
    const unreleased = await tsx(['scripts/purge.ts', OTHER, '--yes'], env(t));
    expect(unreleased.code).not.toBe(0);
    expect(unreleased.stderr).toMatch(/no final release/);

    const unknown = await tsx(['scripts/purge.ts', 'no-such-round', '--yes'], env(t));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no survey "no-such-round"/);

    const none = await tsx(['scripts/purge.ts', '--yes'], env(t));
    expect(none.code).toBe(2);

    for (const res of [open, unreleased, unknown, none]) expect(res.stdout).toBe('');
    expect({ purge: rawState(t, SLUG), other: rawState(t, OTHER) }).toEqual(before);
    // Four commands, each a process of its own, beside a closed round and its release.
  }, 60_000);

  it('without --yes and without a terminal: asks for --yes, exits non-zero, deletes nothing (even with the slug piped in)', async () => {
    const { t } = await purgeableRound();
    const before = rawState(t, SLUG);
    for (const input of [undefined, `${SLUG}\n`]) {
      const r = await tsx(['scripts/purge.ts', SLUG], env(t), input === undefined ? {} : { input });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/--yes/);
      expect(rawState(t, SLUG)).toEqual(before);
    }
  }, 60_000);

  it('a database that does not exist, instead of creating an empty one', async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'typo', 'candor.db');
    const r = await tsx(['scripts/purge.ts', SLUG, '--yes'], { DATABASE_PATH });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(DATABASE_PATH);
    expect(existsSync(DATABASE_PATH)).toBe(false);
  });
});

describe('npm run purge at a terminal', () => {
  const hasScript = existsSync('/usr/bin/script');

  it.skipIf(!hasScript)('asks to type the slug: anything else deletes nothing, the slug purges', async () => {
    const { t } = await purgeableRound();
    const before = rawState(t, SLUG);
    // util-linux `script` gives the command a pseudo-terminal, as an operator's shell does.
    const atTerminal = (answer: string) =>
      run('script', ['-qec', `node node_modules/tsx/dist/cli.mjs scripts/purge.ts ${SLUG}`, '/dev/null'], env(t), { input: `${answer}\n`, timeoutMs: 30_000 });
    const no = await atTerminal('no');
    expect(no.stdout).toMatch(/Type the slug to confirm/);
    expect(no.stdout).toMatch(/Nothing was deleted/);
    expect(rawState(t, SLUG)).toEqual(before);

    const yes = await atTerminal(SLUG);
    expect(yes.stdout).toMatch(/Purged "round-to-purge"/);
    expect(rawState(t, SLUG)).toMatchObject({ responses: 0, answers: 0, invites: 0 });
  }, 60_000);
});

describe('--help', () => {
  it('every retention and token command answers --help with exit 0, touching nothing', async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'never', 'candor.db');
    const runs = await Promise.all([
      tsx(['scripts/purge.ts', '--help'], { DATABASE_PATH }),
      tsx(['scripts/backup.ts', '--help'], { DATABASE_PATH }),
      tsx(['scripts/token.ts', 'list', '--help'], { DATABASE_PATH }),
      tsx(['scripts/token.ts', 'revoke', '--help'], { DATABASE_PATH }),
      npmRun('purge', ['--help'], { DATABASE_PATH }),
      npmRun('token:revoke', ['--help'], { DATABASE_PATH }),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/usage/i);
    }
    expect(runs[0]!.stdout).toMatch(/--yes/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
