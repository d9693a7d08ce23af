/** The commands (§9, §10): token management prints the token alone, every command answers --help, bad config stops the start. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTokenRepository } from '../../src/access/tokens.js';
import { openDatabase } from '../../src/db/client.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, tempDir } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command in the project folder with a clean, explicit environment; kills it after `timeoutMs`. */
function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 45_000, stopWhen?: (output: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a timeout ends tsx's child process too.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const stop = () => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    };
    const watch = () => {
      if (!timedOut && stopWhen?.(stdout + stderr)) stop();
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), watch()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), watch()));
    const timer = setTimeout(stop, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
const tsx = (args: string[], env: Record<string, string> = {}, timeoutMs?: number, stopWhen?: (output: string) => boolean) =>
  run(process.execPath, [TSX, ...args], env, timeoutMs, stopWhen);

/** Spawning tsx costs about a second of CPU per process: generous limits for a busy machine. */
const SLOW = { timeout: 90_000 };

describe('src/server.ts', () => {
  it('refuses to start with invalid configuration: non-zero exit, one line per problem', SLOW, async () => {
    const dir = tempDir();
    const r = await tsx(['src/server.ts'], { PORT: 'abc', MIN_GROUP_SIZE: '1', LOG_LEVEL: 'loud', DATABASE_PATH: join(dir, 'db', 'candor.db') });
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    for (const name of ['PORT', 'MIN_GROUP_SIZE', 'LOG_LEVEL']) expect(lines.filter((l) => l.trim().startsWith(`${name}:`)), name).toHaveLength(1);
    expect(lines.length).toBeLessThanOrEqual(4); // a heading and the three problems, no stack trace
    expect(r.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    expect(existsSync(join(dir, 'db'))).toBe(false);
  });
});

describe('token commands', () => {
  it('npm run --silent token:create prints the token alone; list shows it without the secret; revoke refuses it', SLOW, async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'data', 'candor.db');
    const env = { DATABASE_PATH };
    const created = await run('npm', ['run', '--silent', 'token:create', '--', '--role', 'staff', '--label', 'X'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^cnd_[A-Za-z0-9_-]{43}\n$/);
    const token = created.stdout.trim();
    let db = openDatabase(DATABASE_PATH);
    expect(createTokenRepository(db).verify(token)).toMatchObject({ role: 'staff', label: 'X' });
    db.close();
    expect(readFileSync(DATABASE_PATH).toString('latin1')).not.toContain(token);

    const [badRole, listed] = await Promise.all([
      tsx(['scripts/token.ts', 'create', '--role', 'boss', '--label', 'Y'], env),
      tsx(['scripts/token.ts', 'list'], env),
    ]);
    // A usage error prints nothing on standard output, where a script would read a token.
    expect(badRole.code).not.toBe(0);
    expect(badRole.stdout).toBe('');
    expect(badRole.stderr).toMatch(/admin, staff, wg/);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^X\tstaff\t\d{4}-\d{2}-\d{2}\n$/);

    const revoked = await tsx(['scripts/token.ts', 'revoke', 'X'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    db = openDatabase(DATABASE_PATH);
    expect(createTokenRepository(db).verify(token)).toBeUndefined();
    db.close();
  });
});

describe('survey:import', () => {
  it('creates a survey from a file, and lists every problem of a bad one in the chosen language', SLOW, async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'candor.db');
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, JSON.stringify(sampleSurvey()));
    const broken = structuredClone(sampleSurvey()) as any;
    delete broken.questions[1].prompt.fr;
    broken.questions[3].id = 'region';
    writeFileSync(bad, JSON.stringify({ ...broken, slug: 'broken' }));
    const [ok, ko] = [await tsx(['scripts/survey-import.ts', good, '--open'], { DATABASE_PATH }), await tsx(['scripts/survey-import.ts', bad, '--lang', 'fr'], { DATABASE_PATH })];
    expect(ok.code, ok.stderr).toBe(0);
    expect(ko.code).not.toBe(0);
    expect(ko.stderr).toContain('$.questions[1].prompt.fr');
    expect(ko.stderr).toContain('$.questions[3].id');
    expect(ko.stderr).toContain('Une traduction manque');
    const db = openDatabase(DATABASE_PATH);
    const repo = createSurveyRepository(db);
    expect(repo.findBySlug('learning-lab-2026')?.status).toBe('open');
    expect(repo.findBySlug('broken')).toBeUndefined();
    db.close();
  });
});

describe('aggregate', () => {
  it('npm run aggregate makes the final release of a closed survey, with progress, and rewrites the file', SLOW, async () => {
    const t = await makeApp();
    await openSurvey(t);
    for (let i = 0; i < 6; i++) expect((await submit(t, 'learning-lab-2026', { answers: sampleAnswers() })).statusCode).toBe(201);
    // Closed without the app's own release, as when closesAt passes while nothing runs the job.
    t.db.sqlite.prepare("update surveys set status = 'closed'").run();
    await t.app.close();
    const DATABASE_PATH = t.config.databasePath;

    const first = await tsx(['scripts/aggregate.ts'], { DATABASE_PATH });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('learning-lab-2026: final release made\n');
    expect(first.stderr).toContain('learning-lab-2026: aggregating 6 responses');
    expect(first.stderr).toContain('rewriting the database file');
    const second = await tsx(['scripts/aggregate.ts', '--quiet'], { DATABASE_PATH });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('Nothing to do.\n');
    expect(second.stderr).toBe('');

    const db = openDatabase(DATABASE_PATH);
    expect(db.sqlite.prepare('select count(*) from releases where final = 1').pluck().get()).toBe(1);
    db.close();
  });
});

describe('--help', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  /** npm scripts that run one of Candor's own programs: name → [file, ...fixed arguments]. */
  const commands = Object.entries(pkg.scripts)
    .map(([name, line]) => {
      const m = /^tsx\s+((?:scripts|src)\/[\w/-]+\.ts)((?:\s+[\w-]+)*)\s*$/.exec(line);
      return m ? { name, file: m[1]!, args: m[2]!.trim().split(/\s+/).filter(Boolean) } : undefined;
    })
    .filter((c): c is { name: string; file: string; args: string[] } => c !== undefined);

  it('covers the commands of this slice', () => {
    const names = commands.map((c) => c.name);
    for (const name of ['start', 'demo', 'token:create', 'token:list', 'token:revoke', 'survey:import', 'bench']) expect(names).toContain(name);
    for (const name of ['demo', 'token:create', 'survey:import', 'bench']) {
      const c = commands.find((x) => x.name === name)!;
      expect(existsSync(join(ROOT, c.file)), c.file).toBe(true);
    }
  });

  it('is answered by every npm command that exists, with exit code 0 and without touching the database', SLOW, async () => {
    const dir = tempDir();
    const DATABASE_PATH = join(dir, 'never', 'candor.db');
    // src/server.ts is checked on its own below: without --help support it would start listening.
    // One run per program (token:create, token:list and token:revoke share theirs).
    const present = commands.filter((c, i) => c.file !== 'src/server.ts' && existsSync(join(ROOT, c.file)) && commands.findIndex((d) => d.file === c.file) === i);
    expect(present.length).toBeGreaterThanOrEqual(4);
    const results = await Promise.all(present.map((c) => tsx([c.file, ...c.args, '--help'], { DATABASE_PATH, PORT: '0' })));
    present.forEach((c, i) => {
      const r = results[i]!;
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, c.name).toMatch(/usage/i);
    });
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('is answered by npm start too (src/server.ts --help), instead of starting the server', SLOW, async () => {
    const dir = tempDir();
    // Stopped as soon as it says it is listening: that is the failure this test is about.
    const r = await tsx(['src/server.ts', '--help'], { DATABASE_PATH: join(dir, 'never', 'candor.db'), PORT: '0', LOG_LEVEL: 'info' }, 15_000, (out) => /listening/i.test(out));
    expect(r.timedOut, 'src/server.ts --help did not exit: it started the server instead of printing help').toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/usage/i);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
