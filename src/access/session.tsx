/**
 * Sign-in for people (§9): a token typed once on /login becomes a signed, HttpOnly,
 * SameSite=Strict cookie for the staff and Working Group pages — never set on partner pages.
 * Every form of those pages carries a CSRF token; every request re-checks that the token behind
 * the cookie is still active, so a revoked token is refused at once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { hasRole } from './plugin.js';
import type { Principal, Role } from './tokens.js';
import { form } from '../validation.js';
import { inPlace } from '../web/errors.js';
import { refusalNotice } from '../web/plugin.js';
import { LoginPage } from './views.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** A hook (onRequest) for signed-in pages: no session → the login page; a session without the role → 403. */
    requirePageRole(...roles: Role[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    /** The signed-in person, from the session cookie (undefined on partner pages: never read there). */
    sessionPrincipal(): Principal | undefined;
  }
}

export const SESSION_COOKIE = 'candor_session';
const SESSION_HOURS = 12;

/** SESSION_SECRET, or a secret generated once into the database's folder (§10). */
export function resolveSessionSecret(configured: string | undefined, databasePath: string): string {
  if (configured) return configured;
  const file = join(dirname(resolve(databasePath)), 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process started at the same moment and wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  return secret;
}

/** Where to go after signing in: only a local path, never another site. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : undefined;
}

export function homeOf(role: Role): string {
  return role === 'wg' ? '/wg' : '/staff';
}

export default fp<{ secret: string }>(
  async (app, opts) => {
    await app.register(cookie, { secret: opts.secret, hook: 'onRequest' });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      // Secure over https (behind a trusted proxy too), like the session cookie.
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/', secure: 'auto' },
      getToken: (request: FastifyRequest) => (request.body as { _csrf?: string } | undefined)?._csrf ?? (request.headers['x-csrf-token'] as string | undefined),
    });

    const sessions = app.sessions;
    const nowSeconds = () => Math.floor(Date.now() / 1000);

    /** The session id in a correctly signed, unexpired cookie. */
    const sessionIdOf = (request: FastifyRequest): string | undefined => {
      const raw = request.cookies[SESSION_COOKIE];
      if (!raw) return undefined;
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid || !unsigned.value) return undefined;
      const [id, expires] = unsigned.value.split(':');
      if (!id || !expires || Number(expires) <= nowSeconds()) return undefined;
      return id;
    };

    // A page read with a session is for that reader only: `private` too, for any cache on the way.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (sessionIdOf(request) !== undefined && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('cache-control', 'private, no-store');
      done(null, payload);
    });

    app.decorateRequest('sessionPrincipal', function (this: FastifyRequest): Principal | undefined {
      const id = sessionIdOf(this);
      const tokenId = id ? sessions.tokenOf(id, nowSeconds()) : undefined;
      // Re-checked on every request: a revoked token loses its sessions at once.
      return tokenId === undefined ? undefined : app.tokens.active(tokenId);
    });

    app.decorate('requirePageRole', (...roles: Role[]): preHandlerAsyncHookHandler => {
      return async function (request: FastifyRequest, reply: FastifyReply) {
        const principal = request.sessionPrincipal();
        if (!principal) {
          const next = encodeURIComponent(request.url);
          await reply.code(303).header('location', `/login?lang=${request.locale}&next=${next}`).send();
          return reply;
        }
        if (!hasRole(principal, roles)) throw new CandorError('forbidden');
        request.principal = principal;
      };
    });

    /**
     * Where to go back to after signing in: a safe local path that is a page. A form's address
     * (a form posted once the session had expired) answers POST only, and would end in a 404.
     */
    const pageNext = (next: unknown): string | undefined => {
      const safe = safeNext(next);
      return safe && app.findRoute({ method: 'GET', url: safe.split('?')[0] ?? safe }) ? safe : undefined;
    };

    const r = app.withTypeProvider<ZodTypeProvider>();
    const LoginQuery = z.object({ lang: z.string().optional(), next: z.string().max(500).optional() }).passthrough();
    // A token of the wrong shape, however long, is refused like a wrong token (401), not as a bad form.
    const LoginForm = z.preprocess(
      (body) => body ?? {},
      z.object({ token: form.optionalText(z.string().trim()), next: form.one(z.string().max(500)).optional() }),
    );

    r.get('/login', { schema: { hide: true, querystring: LoginQuery } }, async (request, reply) => {
      const principal = request.sessionPrincipal();
      if (principal) return reply.code(303).header('location', `${homeOf(principal.role)}?lang=${request.locale}`).send();
      return reply.html(<LoginPage ctx={request.pageContext()} csrfToken={reply.generateCsrf()} next={pageNext(request.query.next)} />);
    });

    r.post(
      '/login',
      {
        // Guessing tokens is hopeless (256 bits), but sign-in shares the limit of every submitting route.
        config: { rateLimitedCode: 'rate_limited_login' },
        onRequest: app.submissionLimit,
        preValidation: app.csrfProtection,
        schema: { hide: true, querystring: LoginQuery, body: LoginForm },
        errorHandler: inPlace((request, reply, refusal) => {
          const next = (request.body as { next?: unknown } | undefined)?.next;
          return reply.html(<LoginPage ctx={request.pageContext()} csrfToken={reply.generateCsrf()} next={pageNext(next)} error={refusalNotice(refusal, request.t).error} />);
        }),
      },
      async (request, reply) => {
        const body = request.body;
        const principal = body.token ? app.tokens.verify(body.token) : undefined;
        if (!principal) {
          return reply
            .code(401)
            .html(<LoginPage ctx={request.pageContext()} csrfToken={reply.generateCsrf()} next={pageNext(body.next)} error={request.t('access:login_failed')} />);
        }
        const expires = nowSeconds() + SESSION_HOURS * 3600;
        const sessionId = sessions.start(principal.tokenId, expires, nowSeconds());
        reply.setCookie(SESSION_COOKIE, `${sessionId}:${expires}`, {
          signed: true,
          httpOnly: true,
          sameSite: 'strict',
          path: '/',
          secure: request.protocol === 'https',
          maxAge: SESSION_HOURS * 3600,
        });
        const next = pageNext(body.next) ?? `${homeOf(principal.role)}?lang=${request.locale}`;
        return reply.code(303).header('location', next).send();
      },
    );

    r.post('/logout', { preHandler: app.csrfProtection, schema: { hide: true, querystring: LoginQuery } }, async (request, reply) => {
      // Ended on the server: a copy of the cookie is worth nothing afterwards.
      const id = sessionIdOf(request);
      if (id) sessions.end(id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie('_csrf', { path: '/' });
      return reply.code(303).header('location', `/login?lang=${request.locale}`).send();
    });
  },
  { name: 'candor-session', dependencies: ['candor-access', 'candor-web'] },
);
