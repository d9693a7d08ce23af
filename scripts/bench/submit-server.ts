/**
 * One server for the submission bench, run in a child process so that it does not share its
 * event loop (or, as far as two cores allow, its CPU) with the load generator:
 *
 *   node --import tsx scripts/bench/submit-server.ts --mode candor|bare --db FILE [--port 0]
 *
 * candor: Candor's real app (buildApp) on a fresh database, with the bench survey created and
 *         opened; the load goes to POST /api/surveys/:slug/responses.
 * bare:   a bare Fastify route on a fresh database with the same migrations and pragmas
 *         (openDatabase → applyPragmas + migrate) doing the same raw better-sqlite3 insert:
 *         one transaction of 1 response row + one multi-row insert of the answers + the comment
 *         rows, statements prepared once, random ids. JSON body parsing, no Candor validation.
 *
 * Once listening it prints one line on standard output: {"ready":true,"mode":…,"port":…}.
 * SIGTERM or SIGINT closes the server and the database (checkpointed) and exits 0.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Statement } from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { BENCH_RATE_LIMIT_PER_MINUTE, BENCH_SLUG, benchSurvey, GROUPING_QUESTION, TEXT_QUESTIONS } from './survey.js';

async function candorServer(databasePath: string): Promise<FastifyInstance> {
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    databasePath,
    minGroupSize: 5,
    minDiversity: 1,
    aggregateIntervalSeconds: 0,
    rateLimitPerMinute: BENCH_RATE_LIMIT_PER_MINUTE,
    scrubTerms: [],
    logLevel: 'warn',
    trustProxy: false,
    publicUrl: 'http://127.0.0.1',
    sessionSecret: 'bench-only-session-secret-0123456789abcdef',
  };
  // Logs go to standard error: standard output carries the ready line.
  const app = await buildApp(config, { logStream: process.stderr });
  app.surveys.create(benchSurvey);
  app.surveys.update(BENCH_SLUG, { status: 'open' });
  return app;
}

function bareServer(databasePath: string): FastifyInstance {
  const db = openDatabase(databasePath);
  const { sqlite } = db;
  const surveyId = sqlite
    .prepare<[string, string], { id: number }>(
      `insert into surveys (slug, status, definition, access, min_group_size, min_diversity, min_comments, interim_releases)
       values (?, 'open', ?, 'open', 5, 1, 8, 0) returning id`,
    )
    .get(BENCH_SLUG, JSON.stringify(benchSurvey))!.id;

  const randomId = (): string => randomBytes(16).toString('base64url');
  const insertResponse = sqlite.prepare('insert into responses (survey_id, id) values (?, ?)');
  const insertComment = sqlite.prepare('insert into comments (survey_id, id, question_id, text) values (?, ?, ?, ?)');
  const answerInserts = new Map<number, Statement>();
  const insertAnswers = (count: number): Statement => {
    let statement = answerInserts.get(count);
    if (!statement) {
      const rows = Array.from({ length: count }, () => '(?, ?, ?, ?, ?)').join(', ');
      statement = sqlite.prepare(`insert into answers (survey_id, response_id, question_id, value, cohort) values ${rows}`);
      answerInserts.set(count, statement);
    }
    return statement;
  };
  const store = sqlite.transaction((answers: Record<string, unknown>) => {
    const responseId = randomId();
    insertResponse.run(surveyId, responseId);
    const cohort = String(answers[GROUPING_QUESTION] ?? 'prefer_not_to_say');
    const params: (string | number)[] = [];
    let count = 0;
    for (const [questionId, value] of Object.entries(answers)) {
      if (TEXT_QUESTIONS.has(questionId)) {
        insertComment.run(surveyId, randomId(), questionId, String(value));
      } else {
        params.push(surveyId, responseId, questionId, Array.isArray(value) ? value.join('|') : String(value), cohort);
        count++;
      }
    }
    if (count > 0) insertAnswers(count).run(params);
  });

  const app = Fastify({ logger: false });
  app.addHook('onClose', async () => db.close());
  app.post<{ Params: { slug: string }; Body: { answers?: Record<string, unknown> } }>('/bare/:slug/responses', async (request, reply) => {
    store.immediate(request.body?.answers ?? {});
    return reply.code(201).send({});
  });
  return app;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mode: { type: 'string' }, port: { type: 'string', default: '0' }, db: { type: 'string' } },
    strict: true,
  });
  const mode = values.mode;
  if (mode !== 'candor' && mode !== 'bare') throw new Error('--mode must be candor or bare');
  if (!values.db) throw new Error('--db FILE is required');
  const app = mode === 'candor' ? await candorServer(values.db) : bareServer(values.db);
  await app.listen({ host: '127.0.0.1', port: Number(values.port) });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : Number(values.port);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`bench server (${mode}): ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdout.write(`${JSON.stringify({ ready: true, mode, port })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
