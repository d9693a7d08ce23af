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
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { href, Layout, type PageContext } from '../web/layout.js';
import { hasRole } from './plugin.js';
import type { Principal, Role } from './tokens.js';

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

/** Navigation for signed-in pages, with a sign-out button (a form, so it carries a CSRF token). */
export function SignedInNav({ ctx, principal, csrfToken }: { ctx: PageContext; principal: Principal; csrfToken: string }) {
  const { t } = ctx;
  return (
    <nav class="site-nav" aria-label={t('access:nav_label')}>
      <ul>
        {hasRole(principal, ['staff']) ? (
          <li>
            <a href={href(ctx, '/staff')}>{t('access:nav_staff')}</a>
          </li>
        ) : null}
        {hasRole(principal, ['wg']) ? (
          <li>
            <a href={href(ctx, '/wg')}>{t('access:nav_wg')}</a>
          </li>
        ) : null}
        <li>
          <form method="post" action={href(ctx, '/logout')} class="inline">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <button type="submit" class="link">
              {t('access:sign_out', { label: principal.label })}
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/** The layout of signed-in pages. */
export function SignedInLayout({ ctx, principal, csrfToken, title, children }: { ctx: PageContext; principal: Principal; csrfToken: string; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title} nav={<SignedInNav ctx={ctx} principal={principal} csrfToken={csrfToken} />}>
      {children}
    </Layout>
  );
}

function LoginPage({ ctx, csrfToken, next, error }: { ctx: PageContext; csrfToken: string; next?: string | undefined; error?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={error ? `${t('form:error_prefix')} ${t('access:login_title')}` : t('access:login_title')}>
      <h1>{t('access:login_title')}</h1>
      <p>{t('access:login_intro')}</p>
      {error ? (
        <div class="error-summary" role="alert" aria-labelledby="login-error-title">
          <h2 id="login-error-title">{t('access:login_failed_title')}</h2>
          <p>
            <a href="#token">{error}</a>
          </p>
        </div>
      ) : null}
      <form method="post" action={href(ctx, '/login')}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <div class={error ? 'q invalid' : 'q'}>
          <label for="token">{t('access:token_label')}</label>
          <p class="hint" id="token-hint">
            {t('access:token_hint')}
          </p>
          <input type="password" id="token" name="token" autoComplete="current-password" aria-describedby="token-hint" aria-invalid={error ? 'true' : undefined} />
        </div>
        <button type="submit">{t('access:sign_in')}</button>
      </form>
    </Layout>
  );
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
        preHandler: app.csrfProtection,
        schema: { hide: true, querystring: LoginQuery },
      },
      async (request, reply) => {
        const body = (request.body ?? {}) as { token?: unknown; next?: unknown };
        const token = typeof body.token === 'string' ? body.token.trim() : '';
        const principal = token ? app.tokens.verify(token) : undefined;
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
