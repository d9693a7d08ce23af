/**
 * §11: no acknowledged response is ever lost. A real server process takes submissions from many
 * connections, is killed with SIGKILL mid-load (no shutdown, no checkpoint), and the database is
 * opened again: every response that got a 201 is there.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { createSurveyService } from '../../src/surveys/service.js';
import { sampleAnswers, sampleSurvey, tempDir } from '../helpers.js';
import { until } from '../wait.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Responses acknowledged before the kill: the load is then well under way (a fixed time was not, on a busy machine). */
const ACKNOWLEDGED = 200;

it('keeps every acknowledged response when the server is killed with SIGKILL under load', async () => {
  const databasePath = join(tempDir(), 'candor.db');
  // The survey, made before the server starts.
  const setup = openDatabase(databasePath);
  const surveys = createSurveyService(createSurveyRepository(setup), { minGroupSize: 5, minDiversity: 1 });
  surveys.create(sampleSurvey());
  surveys.update('learning-lab-2026', { status: 'open' });
  setup.close();

  // Node itself runs the server (tsx as a loader, not its CLI, which would run the server in a
  // child process of its own): SIGKILL must reach the process that holds the database.
  const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: '0', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000', AGGREGATE_INTERVAL_SECONDS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server.on('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });

  // Twenty connections submitting without pause; the server is killed while they are at it.
  let acknowledged = 0;
  let stop = false;
  const body = JSON.stringify({ answers: sampleAnswers() });
  const worker = async () => {
    while (!stop) {
      try {
        const res = await fetch(`${base}/api/surveys/learning-lab-2026/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (res.status === 201) acknowledged++;
        else if (!stop) throw new Error(`unexpected ${res.status}`);
      } catch (err) {
        if (!stop) throw err;
      }
    }
  };
  const load = Array.from({ length: 20 }, worker);
  // A worker that fails says why at once, rather than when the wait runs out.
  let failed: unknown;
  load.forEach((w) => w.catch((err: unknown) => (failed ??= err)));
  await until(
    `${ACKNOWLEDGED} acknowledged responses`,
    () => {
      if (failed) throw failed;
      return acknowledged >= ACKNOWLEDGED;
    },
    30_000,
  );
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGKILL');
  stop = true;
  await Promise.allSettled(load);
  await exited;
  // Nothing answers any more: the process that held the database is gone.
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();

  // Opening the file again recovers the write-ahead log, as a restart would.
  const after = openDatabase(databasePath, { migrate: false });
  const stored = after.sqlite.prepare('select count(*) from responses').pluck().get() as number;
  const integrity = after.sqlite.pragma('integrity_check', { simple: true });
  after.close();
  expect(acknowledged).toBeGreaterThan(50);
  // Every 201 is on disk; a few more may be, whose replies the kill cut off.
  expect(stored).toBeGreaterThanOrEqual(acknowledged);
  expect(stored - acknowledged).toBeLessThanOrEqual(20 * 2);
  expect(integrity).toBe('ok');
}, 60_000);
