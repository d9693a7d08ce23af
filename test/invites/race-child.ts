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
