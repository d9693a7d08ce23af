/**
 * The one rate limit of §4 (@fastify/rate-limit): every route that receives answers and the
 * sign-in form share one counter per address, so that an address gets RATE_LIMIT_PER_MINUTE
 * attempts in all, not that many per route.
 */
import { createHmac, randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CandorError, type ErrorCode } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The shared limit, as an onRequest hook for a route's options. Past it: 429 with the seconds
     * to wait. No `x-ratelimit-*` headers: anyone sharing an address could watch the remaining
     * count fall and so see others submit.
     */
    submissionLimit: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyContextConfig {
    /** The message a 429 on this route gives (default: rate_limited). */
    rateLimitedCode?: ErrorCode;
  }
}

/**
 * The limiter's key for a request: a keyed hash of its address, never the address (§2, §4); the
 * key is drawn at start and written nowhere. A client that has already dropped its connection has
 * no address left (`request.ip` is undefined): it gets a key too, rather than an error line that
 * would date a submission.
 */
export function addressKey(secret: Buffer = randomBytes(32)): (request: Pick<FastifyRequest, 'ip'>) => string {
  return (request) => createHmac('sha256', secret).update(request.ip ?? '').digest('base64url').slice(0, 22);
}

const NO_HEADERS = { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } as const;

export default fp<{ perMinute: number }>(
  async (app, opts) => {
    await app.register(rateLimit, { global: false, keyGenerator: addressKey(), addHeaders: { ...NO_HEADERS, 'retry-after': true }, addHeadersOnExceeding: NO_HEADERS });
    // One limiter, hence one store: every route it is attached to counts against the same budget.
    app.decorate(
      'submissionLimit',
      app.rateLimit({
        max: opts.perMinute,
        timeWindow: 60_000,
        errorResponseBuilder: (request, context) =>
          new CandorError(request.routeOptions.config.rateLimitedCode ?? 'rate_limited', [], { seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
      }) as (request: FastifyRequest, reply: FastifyReply) => Promise<void>,
    );
  },
  { name: 'candor-rate-limit', dependencies: ['candor-web'] },
);
