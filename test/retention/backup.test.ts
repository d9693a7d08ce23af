/**
 * `npm run backup -- FILE` (§10, issue 5): an online backup, taken while Candor has the database
 * open and keeps taking answers, that restores by pointing DATABASE_PATH at it — the same released
 * results byte for byte, the same tokens — and that never overwrites a file.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/index.js';
import { closeSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, tempDir, type TestApp } from '../helpers.js';
import { signIn } from '../staff/session.js';
import { npmRun, tsx } from './run.js';

const env = (t: TestApp) => ({ DATABASE_PATH: t.config.databasePath });

/** Answers taken by the open round before the backup starts: the copy must hold at least these. */
const BEFORE_BACKUP = 3;

/**
 * A survey's rows in the tables that hold partners' answers, each row as JSON, sorted (VACUUM INTO
 * rebuilds the storage order, which must not count).
 */
function answerRows(sqlite: Database.Database, slug: string): { responses: string[]; answers: string[]; comments: string[] } {
  const surveyId = sqlite.prepare('select id from surveys where slug = ?').pluck().get(slug);
  const rows = (table: string) => (sqlite.prepare(`select * from ${table} where survey_id = ?`).all(surveyId) as unknown[]).map((r) => JSON.stringify(r)).sort();
  return { responses: rows('responses'), answers: rows('answers'), comments: rows('comments') };
}

/** A closed, released round (12 responses) and a second round still open. */
async function runningCandor(): Promise<TestApp> {
  const t = await makeApp();
  await openSurvey(t, sampleSurvey({ slug: 'final-round' }));
  for (let i = 0; i < 12; i++) {
    const res = await submit(t, 'final-round', { answers: sampleAnswers({ region: ['africa', 'americas'][i % 2], speak_freely: 1 + (i % 5), usefulness: i % 11 }) });
    expect(res.statusCode).toBe(201);
  }
  await closeSurvey(t, 'final-round');
  await openSurvey(t, sampleSurvey({ slug: 'live-round' }));
  return t;
}

/** What the released results look like to anyone: JSON, and CSV in every language. */
async function published(t: TestApp, slug: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const json = await t.app.inject({ method: 'GET', url: `/api/surveys/${slug}/results` });
  expect(json.statusCode).toBe(200);
  out.json = json.body;
  for (const lang of LOCALES) {
    const csv = await t.app.inject({ method: 'GET', url: `/api/surveys/${slug}/results.csv?lang=${lang}` });
    expect(csv.statusCode).toBe(200);
    out[`csv-${lang}`] = csv.body;
  }
  return out;
}

describe('npm run backup -- FILE', () => {
  it('copies the database while Candor has it open and takes answers, and the copy restores to the same results and tokens', async () => {
    const t = await runningCandor();
    const staffToken = t.token('staff');
    const wgToken = t.token('wg');
    const before = await published(t, 'final-round');
    const file = join(tempDir(), 'backups', 'candor-backup.db');
    for (let i = 0; i < BEFORE_BACKUP; i++) expect((await submit(t, 'live-round', { answers: sampleAnswers() })).statusCode).toBe(201);

    // Answers keep arriving while the backup runs.
    const backup = tsx(['scripts/backup.ts', file], env(t));
    let during = 0;
    let finished = false;
    void backup.then(() => (finished = true));
    while (!finished && during < 200) {
      const res = await submit(t, 'live-round', { answers: sampleAnswers() });
      expect(res.statusCode).toBe(201);
      during++;
      // Pacing, not waiting for anything: answers spread over the whole backup, 200 at most.
      await new Promise((r) => setTimeout(r, 5));
    }
    const r = await backup;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(file);
    expect(during).toBeGreaterThan(0);
    // What the source held once the backup was done (nothing has been written since).
    const finalRound = answerRows(t.db.sqlite, 'final-round');
    const liveRound = answerRows(t.db.sqlite, 'live-round');
    // The running app is unharmed.
    expect((await submit(t, 'live-round', { answers: sampleAnswers() })).statusCode).toBe(201);
    expect(await published(t, 'final-round')).toEqual(before);

    // The copy is one consistent, complete file.
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const copied = raw.prepare("select count(*) from responses r join surveys s on s.id = r.survey_id where s.slug = 'live-round'").pluck().get() as number;
    // The closed round, settled before the backup, is copied whole: the same rows as the source.
    expect(finalRound.responses).toHaveLength(12);
    expect(finalRound.answers.length).toBeGreaterThan(12);
    expect(finalRound.comments.length).toBeGreaterThan(0);
    expect(answerRows(raw, 'final-round')).toEqual(finalRound);
    // The open round as it stood at one moment of the backup: at least what it held when the
    // backup started, at most what it held when it ended, and each response whole.
    const live = answerRows(raw, 'live-round');
    raw.close();
    expect(copied).toBe(live.responses.length);
    expect(copied).toBeGreaterThanOrEqual(BEFORE_BACKUP);
    expect(copied).toBeLessThanOrEqual(BEFORE_BACKUP + during);
    expect(liveRound.responses).toHaveLength(BEFORE_BACKUP + during);
    expect(liveRound.responses).toEqual(expect.arrayContaining(live.responses));
    const ids = new Set(live.responses.map((r) => (JSON.parse(r) as { id: string }).id));
    expect(live.answers).toEqual(liveRound.answers.filter((a) => ids.has((JSON.parse(a) as { response_id: string }).response_id)));
    // Each sampleAnswers() response has one comment (comments are not linked to their response).
    expect(live.comments).toHaveLength(copied);

    // Restored: a new Candor with DATABASE_PATH pointing at the copy.
    const restored = await makeApp({ databasePath: file });
    expect(await published(restored, 'final-round')).toEqual(before);
    const page = await restored.app.inject({ method: 'GET', url: '/s/final-round/results?lang=es' });
    expect(page.statusCode).toBe(200);
    // The tokens of the original still work, with the same roles.
    const list = await restored.app.inject({ method: 'GET', url: '/api/surveys', headers: { authorization: `Bearer ${staffToken}` } });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { slug: string; status: string; responses: number }[]).map((s) => [s.slug, s.status, s.responses])).toEqual([
      ['final-round', 'closed', 12],
      ['live-round', 'open', copied],
    ]);
    const wg = await restored.app.inject({ method: 'GET', url: '/api/surveys', headers: { authorization: `Bearer ${wgToken}` } });
    expect(wg.statusCode).toBe(403);
    const staff = await signIn(restored, 'staff', { token: staffToken });
    expect((await staff.get('/staff?lang=en')).statusCode).toBe(200);
    // And it keeps working as a database: the open round takes answers.
    expect((await submit(restored, 'live-round', { answers: sampleAnswers() })).statusCode).toBe(201);
  });

  it('never overwrites a file: refuses, says so, and leaves the file as it was', async () => {
    const t = await runningCandor();
    const dir = tempDir();
    const file = join(dir, 'copy.db');
    const first = await npmRun('backup', [file], env(t));
    expect(first.code, first.stderr).toBe(0);
    const bytes = readFileSync(file);
    const mtime = statSync(file).mtimeMs;

    const again = await tsx(['scripts/backup.ts', file], env(t));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
    expect(again.stdout).toBe('');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);

    // Nor any other file that happens to be there.
    const other = join(dir, 'notes.txt');
    writeFileSync(other, 'important notes\n');
    const onto = await tsx(['scripts/backup.ts', other], env(t));
    expect(onto.code).not.toBe(0);
    expect(readFileSync(other, 'utf8')).toBe('important notes\n');
  });

  it('refuses to back up a database that does not exist, instead of creating an empty one and calling it a backup', async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'typo', 'candor.db');
    const file = join(dir, 'backup.db');
    const r = await tsx(['scripts/backup.ts', file], { DATABASE_PATH });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(DATABASE_PATH);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(DATABASE_PATH)).toBe(false);
  });

  it('asks for a file name (exit 2) and answers --help with exit 0, touching nothing', async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'never', 'candor.db');
    const none = await tsx(['scripts/backup.ts'], { DATABASE_PATH });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage/i);
    for (const flag of ['--help', '-h']) {
      const help = await tsx(['scripts/backup.ts', flag], { DATABASE_PATH });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/usage/i);
      expect(help.stdout).toMatch(/DATABASE_PATH/);
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
