/** buildApp(config): the whole of Candor as an un-listened Fastify instance (server.ts listens). */
import zlib from 'node:zlib';
import compress from '@fastify/compress';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import accessPlugin from './access/plugin.js';
import { candorPlugin, createCandor } from './candor.js';
import sessionPlugin, { resolveSessionSecret } from './access/session.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/client.js';
import { CandorError } from './errors.js';
import { createI18n } from './i18n/index.js';
import i18nPlugin from './i18n/plugin.js';
import inviteRoutes from './invites/routes.js';
import releasesPlugin from './releases/plugin.js';
import releaseRoutes from './releases/routes.js';
import responseRoutes from './responses/routes.js';
import resultsRoutes from './results/routes.js';
import reviewPages from './review/pages.js';
import reviewRoutes from './review/routes.js';
import commitmentRoutes from './commitments/routes.js';
import commitmentPages from './commitments/pages.js';
import staffPages from './staff/pages.js';
import surveyRoutes from './surveys/routes.js';
import { validatorCompiler } from './validation.js';
import webPlugin, { frameworkErrors } from './web/plugin.js';
import rateLimitPlugin from './web/rate-limit.js';

export interface BuildOptions {
  /** An open database; by default the one at config.databasePath is opened (and closed with the app). */
  db?: Db;
  /** Where log lines go (tests capture them); standard output by default. */
  logStream?: Writable;
  /** The clock of the release job (tests fix the day). */
  now?: () => Date;
  /** Store responses from a writer thread (default), or in the event loop's thread (false). */
  writerThread?: boolean;
  /** Make releases in a thread of their own (default, unless `now` is given), or in the event loop's thread (false). */
  jobThread?: boolean;
}

/** Largest survey definition, in bytes. */
const DEFINITION_BODY_LIMIT = 1024 * 1024;
/** Largest response body, in bytes: twenty long comments fit many times over. */
const RESPONSE_BODY_LIMIT = 256 * 1024;

/** The URL as logged: the path only. Query strings may carry invitation codes (§2). */
function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?[redacted]`;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const i18n = createI18n();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // No client address, port, user agent or referrer, ever (§2): only what was asked and answered.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Fastify numbers requests by default; gaps in those numbers would show when submissions arrived.
    genReqId: () => randomUUID(),
    // While closing, new requests get a translated 503 (below) rather than Fastify's English one.
    return503OnClosing: false,
    // TRUST_PROXY as a number means "trust that many proxy hops", which Fastify takes as a function
    // of the hop; true and address lists it takes as they are.
    trustProxy: typeof config.trustProxy === 'number' ? (_address: string, hop: number) => hop < (config.trustProxy as number) : config.trustProxy,
    bodyLimit: DEFINITION_BODY_LIMIT,
    frameworkErrors: frameworkErrors(i18n),
  }).withTypeProvider<ZodTypeProvider>();

  // Graceful shutdown: requests already in flight are answered (their responses are stored, §11),
  // and their connections then close instead of being kept alive, so close() does not wait for
  // idle keep-alive sockets to time out.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Every route's zod schemas are read one way, their problems reported one way (validation.ts).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Brotli or gzip for every text reply of 1 KiB or more — pages, CSS, JSON, CSV — for partners on
  // slow connections. Brotli at quality 5: most of its gain, a small part of quality 11's time, for
  // replies made on every request. (BREACH: the one secret in a page, the CSRF token, is freshly
  // salted on every render, so compressed lengths say nothing about it.)
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
    zlibOptions: { level: 6 },
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Candor',
        version: '1.0.0',
        description: 'Anonymous, trilingual feedback surveys. Every error message is translated (?lang=en|es|fr or Accept-Language).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  const db = options.db ?? openDatabase(config.databasePath);
  const candor = createCandor(db, config, {
    ...(options.writerThread !== undefined ? { writerThread: options.writerThread } : {}),
    ...(options.jobThread !== undefined ? { jobThread: options.jobThread } : {}),
    ...(options.now ? { now: options.now } : {}),
    warn: (message) => app.log.warn(message),
  });
  await app.register(candorPlugin, { candor });
  await app.register(i18nPlugin, { i18n });
  await app.register(webPlugin);
  // After i18n and the error handler, so that this 503 is translated like every other error.
  app.addHook('onRequest', async () => {
    if (closing) throw new CandorError('closing');
  });
  await app.register(formbody);
  await app.register(rateLimitPlugin, { perMinute: config.rateLimitPerMinute });
  await app.register(accessPlugin);
  await app.register(sessionPlugin, { secret: resolveSessionSecret(config.sessionSecret, config.databasePath) });
  await app.register(releasesPlugin, { job: candor.job, intervalSeconds: config.aggregateIntervalSeconds });

  const alive = app.db.sqlite.prepare('select 1');
  app.get(
    '/healthz',
    { schema: { summary: 'Health check', tags: ['operations'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => {
      alive.get();
      return { status: 'ok' as const };
    },
  );
  await app.register(surveyRoutes);
  await app.register(responseRoutes, { bodyLimit: RESPONSE_BODY_LIMIT });
  await app.register(releaseRoutes);
  await app.register(inviteRoutes, { publicUrl: config.publicUrl });
  await app.register(reviewRoutes);
  await app.register(commitmentRoutes);
  await app.register(reviewPages);
  await app.register(commitmentPages);
  await app.register(staffPages, { publicUrl: config.publicUrl });
  await app.register(resultsRoutes, { publicUrl: config.publicUrl });

  return app;
}
