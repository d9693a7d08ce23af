/**
 * Where a submission's time goes, piece by piece, in one process without the network: the
 * diagnostic companion of the "submissions" section (not run by `npm run bench`).
 *
 *   npx tsx scripts/bench/submit-parts.ts [--iterations 3000] [--db-dir DIR]
 *
 * 1. Candor's pieces: the zod body schema, the survey lookup, answer validation, scrubbing the
 *    two comments, the response serializer.
 * 2. The store transaction, Candor's repository beside the bare baseline's, on DIR (default the
 *    system's temp folder: real fsyncs) and on /dev/shm (tmpfs: CPU only), each on its own file.
 * 3. Whole requests through Fastify's inject(), Candor's app beside the bare route (/dev/shm).
 * 4. The HTTP layers Candor puts around its route (logger and request ids, helmet, rate limit,
 *    zod schemas), added one at a time to a route that stores nothing.
 *
 * Variants that are compared are measured interleaved, in slices, and each reports the mean of
 * its fastest slice: other processes on the machine only ever make a slice slower, and the
 * databases grow at the same pace on both sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import { securityHeaders } from '../../src/web/plugin.js';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { createResponseRepository } from '../../src/responses/repository.js';
import { SubmitResponseBody } from '../../src/responses/routes.js';
import { createScrubber } from '../../src/responses/scrub.js';
import { validateAnswers } from '../../src/responses/validate.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { createSurveyService } from '../../src/surveys/service.js';
import { BENCH_RATE_LIMIT_PER_MINUTE, BENCH_SLUG, benchBody, benchBodyJson, benchSurvey, GROUPING_QUESTION, SUBMIT_PATHS, TEXT_QUESTIONS } from './survey.js';

const HELP = 'Usage: npx tsx scripts/bench/submit-parts.ts [--iterations 3000] [--db-dir DIR]\n';
const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '3000' }, 'db-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const N = Number(values.iterations);
if (!Number.isInteger(N) || N < 100) {
  process.stderr.write(`--iterations must be a whole number of at least 100\n${HELP}`);
  process.exit(2);
}
const diskDir = values['db-dir'] ?? tmpdir();
const SHM = '/dev/shm';
const SLICES = 10;

const dirs: string[] = [];
const freshDir = (parentDir: string) => {
  const d = mkdtempSync(join(parentDir, 'candor-parts-'));
  dirs.push(d);
  return d;
};

interface Contender {
  name: string;
  fn: () => void | Promise<void>;
}

const results: [string, number][] = [];

/**
 * Runs `calls` calls of each contender in SLICES slices, round-robin (after a tenth as warm-up),
 * and records the mean µs per call of each contender's fastest slice.
 */
async function race(contenders: Contender[], calls = N): Promise<void> {
  const slice = Math.max(1, Math.floor(calls / SLICES));
  for (const c of contenders) for (let i = 0; i < slice; i++) await c.fn();
  const best = contenders.map(() => Infinity);
  for (let s = 0; s < SLICES; s++) {
    for (const [k, c] of contenders.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < slice; i++) await c.fn();
      best[k] = Math.min(best[k]!, Number(process.hrtime.bigint() - start) / 1000 / slice);
    }
  }
  for (const [k, c] of contenders.entries()) {
    results.push([c.name, best[k]!]);
    process.stderr.write(`${c.name}: ${best[k]!.toFixed(1)} µs\n`);
  }
}

function openSurveyDb(dir: string): { db: Db; surveyId: number } {
  const db = openDatabase(join(dir, 'parts.db'));
  const service = createSurveyService(createSurveyRepository(db), { minGroupSize: 5, minDiversity: 1 });
  const survey = service.create(benchSurvey);
  service.update(BENCH_SLUG, { status: 'open' });
  return { db, surveyId: survey.id };
}

/** The bare baseline's transaction, as in submit-server.ts. */
function bareStore(db: Db, surveyId: number) {
  const { sqlite } = db;
  const randomId = () => randomBytes(16).toString('base64url');
  const insertResponse = sqlite.prepare('insert into responses (survey_id, id) values (?, ?)');
  const insertComment = sqlite.prepare('insert into comments (survey_id, id, question_id, text) values (?, ?, ?, ?)');
  const n = Object.keys(benchBody.answers).length - TEXT_QUESTIONS.size;
  const insertAnswers = sqlite.prepare(
    `insert into answers (survey_id, response_id, question_id, value, cohort) values ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
  );
  const tx = sqlite.transaction((answers: Record<string, unknown>) => {
    const responseId = randomId();
    insertResponse.run(surveyId, responseId);
    const cohort = String(answers[GROUPING_QUESTION]);
    const params: (string | number)[] = [];
    for (const [questionId, value] of Object.entries(answers)) {
      if (TEXT_QUESTIONS.has(questionId)) insertComment.run(surveyId, randomId(), questionId, String(value));
      else params.push(surveyId, responseId, questionId, Array.isArray(value) ? value.join('|') : String(value), cohort);
    }
    insertAnswers.run(params);
  });
  return (answers: Record<string, unknown>) => tx.immediate(answers);
}

function candorConfig(databasePath: string): Config {
  return {
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
}

const submitRequest = (mode: 'candor' | 'bare') => ({
  method: 'POST' as const,
  url: SUBMIT_PATHS[mode],
  headers: { 'content-type': 'application/json' },
  payload: benchBodyJson,
});

/** A route that stores nothing, with the first `upTo` of Candor's HTTP layers around it. */
const LAYERS = [
  'no layer (bare Fastify, no logger)',
  '+ pino logger (warn; route silent) + randomUUID request ids',
  "+ helmet's headers with Candor's options (computed once, set per reply)",
  '+ @fastify/rate-limit on the route',
  '+ zod body/params/query schemas and zod serializer',
] as const;

async function layeredApp(upTo: number): Promise<FastifyInstance> {
  const app = Fastify(upTo >= 1 ? { logger: { level: 'warn', stream: process.stderr }, genReqId: () => randomUUID() } : { logger: false }).withTypeProvider<ZodTypeProvider>();
  if (upTo >= 2) {
    const headers = securityHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  }
  if (upTo >= 3) await app.register(rateLimit, { global: false });
  if (upTo >= 4) {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
  }
  app.post(
    SUBMIT_PATHS.candor.replace(BENCH_SLUG, ':slug'),
    {
      ...(upTo >= 1 ? { logLevel: 'silent' as const } : {}),
      ...(upTo >= 3 ? { config: { rateLimit: { max: BENCH_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } } } : {}),
      ...(upTo >= 4
        ? {
            attachValidation: true,
            schema: {
              params: z.object({ slug: z.string().max(100) }),
              querystring: z.object({ lang: z.string().optional() }).passthrough(),
              body: SubmitResponseBody,
              response: { 201: z.strictObject({}) },
            },
          }
        : {}),
    },
    async (_request, reply) => reply.code(201).send({}),
  );
  await app.ready();
  return app;
}

async function main(): Promise<void> {
  const body = JSON.parse(benchBodyJson) as typeof benchBody;

  // 1. Candor's pieces, database on /dev/shm.
  const pieces = openSurveyDb(freshDir(SHM));
  const surveys = createSurveyRepository(pieces.db);
  const survey = surveys.findBySlug(BENCH_SLUG)!;
  const scrub = createScrubber([]);
  const scrubWithTerms = createScrubber(['Fundación Sol Naciente', 'Red Andina', 'ONG Tierra Viva', 'María Pérez', 'Cochabamba', 'Quetzaltenango', 'acme.org', 'FSN', 'RAJ', 'Pedro Gómez']);
  const parsed = validateAnswers(survey.definition, body.answers, 'json');
  if (!parsed.ok) throw new Error(`the bench body is invalid: ${JSON.stringify(parsed.problems)}`);
  const texts = parsed.response.texts;
  const serialize = serializerCompiler({ schema: z.strictObject({}), method: 'POST', url: '/', httpStatus: '201' } as never) as (data: unknown) => string;
  const rawBySlug = pieces.db.sqlite.prepare('select id, status from surveys where slug = ?');
  await race([
    { name: 'JSON.parse of the body', fn: () => void JSON.parse(benchBodyJson) },
    { name: 'zod SubmitResponseBody.safeParse', fn: () => void SubmitResponseBody.safeParse(body) },
    { name: 'survey lookup: surveys.findBySlug (drizzle, whole row)', fn: () => void surveys.findBySlug(BENCH_SLUG) },
    { name: '  for comparison: raw prepared select of id, status', fn: () => void rawBySlug.get(BENCH_SLUG) },
    { name: 'validateAnswers (20 answers)', fn: () => void validateAnswers(survey.definition, body.answers, 'json') },
    { name: 'scrub 2 comments (no deny-list)', fn: () => texts.forEach((t) => scrub(t.text)) },
    { name: 'scrub 2 comments (10-term deny-list)', fn: () => texts.forEach((t) => scrubWithTerms(t.text)) },
    { name: 'response serializer (zod, 201 {})', fn: () => void serialize({}) },
  ]);
  pieces.db.close();

  // 2. The store transaction, Candor's beside the bare one, each on its own file.
  const storeTexts = texts.map((t) => ({ questionId: t.questionId, text: scrub(t.text) }));
  for (const [where, calls] of [[SHM, N], [diskDir, Math.min(N, 2000)]] as const) {
    const c = openSurveyDb(freshDir(where));
    const b = openSurveyDb(freshDir(where));
    const repo = createResponseRepository(c.db);
    const bare = bareStore(b.db, b.surveyId);
    await race(
      [
        { name: `store transaction, Candor repository, ${where}`, fn: () => repo.store(c.surveyId, parsed.response, storeTexts) },
        { name: `store transaction, bare baseline, ${where}`, fn: () => bare(body.answers) },
      ],
      calls,
    );
    c.db.close();
    b.db.close();
  }

  // 3. Whole requests through inject(), databases on /dev/shm: HTTP handling beside the insert.
  const app = await buildApp(candorConfig(join(freshDir(SHM), 'candor.db')), { logStream: process.stderr });
  app.surveys.create(benchSurvey);
  app.surveys.update(BENCH_SLUG, { status: 'open' });
  const bareDb = openSurveyDb(freshDir(SHM));
  const bareTx = bareStore(bareDb.db, bareDb.surveyId);
  const bareApp = Fastify({ logger: false });
  bareApp.post<{ Body: { answers: Record<string, unknown> } }>('/bare/:slug/responses', async (request, reply) => {
    bareTx(request.body.answers);
    return reply.code(201).send({});
  });
  const inject = (target: FastifyInstance, mode: 'candor' | 'bare') => async () => {
    const res = await target.inject(submitRequest(mode));
    if (res.statusCode !== 201) throw new Error(`${mode} answered ${res.statusCode}: ${res.body}`);
  };
  await race([
    { name: 'whole request, inject(), Candor, /dev/shm', fn: inject(app, 'candor') },
    { name: 'whole request, inject(), bare, /dev/shm', fn: inject(bareApp, 'bare') },
  ]);
  await app.close();
  await bareApp.close();
  bareDb.db.close();

  // 4. Candor's HTTP layers, one at a time, around a route that stores nothing.
  const layered = await Promise.all(LAYERS.map((_, i) => layeredApp(i)));
  await race(layered.map((a, i) => ({ name: `layers, inject(): ${LAYERS[i]}`, fn: inject(a, 'candor') })));
  for (const a of layered) await a.close();

  const width = Math.max(...results.map(([n]) => n.length));
  process.stdout.write(`\nµs per call, mean of the fastest of ${SLICES} interleaved slices of ${N} calls (${Math.min(N, 2000)} for ${diskDir}); Node ${process.version}\n`);
  for (const [name, us] of results) process.stdout.write(`${name.padEnd(width)}  ${us.toFixed(1).padStart(8)} µs\n`);
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
