/**
 * One of several processes racing to spend the same invitation codes (test/invites/race.test.ts):
 * a whole Candor on the shared DATABASE_PATH, its own SQLite connection. Prints "ready", waits for
 * "go" on standard input, submits one response per code given (in that order), and prints the
 * status codes as JSON.
 */
import { createInterface } from 'node:readline';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const [slug, ...codes] = process.argv.slice(2);
const app = await buildApp(loadConfig(process.env));
await app.ready();
// Warm up this process's writer thread (started with the first response) on a survey of its own,
// so that every process is ready to write when "go" comes and the race is a real one.
const warmUp = `warm-up-${process.pid}`;
const L = (s: string) => ({ en: s, es: s, fr: s });
app.surveys.create({ slug: warmUp, title: L('Warm-up'), questions: [{ id: 'q', type: 'likert', prompt: L('q') }] });
app.surveys.update(warmUp, { status: 'open' });
await app.responses.submit(app.surveys.get(warmUp), { answers: { q: 3 } }, 'json');
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
const statuses: number[] = [];
for (const code of codes) {
  const res = await app.inject({ method: 'POST', url: `/api/surveys/${slug}/responses`, payload: { answers: { speak_freely: 3, region: 'asia' }, inviteCode: code } });
  statuses.push(res.statusCode);
}
process.stdout.write(`${JSON.stringify(statuses)}\n`);
lines.close();
await app.close();
