/** Candor's security headers: a strict CSP (no scripts, own stylesheet only), no referrer. */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  // Served over plain HTTP on localhost in development; HSTS belongs to the TLS proxy.
  strictTransportSecurity: false,
};

/**
 * The headers helmet sets, computed once: they are the same for every reply (no nonces), and
 * running helmet's middleware per request cost more than any other step of a submission.
 */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => (failure = err));
  if (failure) throw failure;
  return headers;
}

/**
 * What every page and reply shares: security headers (helmet, strict CSP, no referrer), the one
 * stylesheet, HTML replies, and the error handler that answers every failure in the reader's
 * language — JSON under /api, a page elsewhere — and never shows a 5xx's inner message.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { VNode } from 'preact';
import type { z } from 'zod';
import { CandorError, type Problem } from '../errors.js';
import { ErrorBody as ErrorBodySchema } from './schemas.js';
import type { i18n } from 'i18next';
import { negotiateLocale, type Translate } from '../i18n/index.js';
import { CHARTS_CSS_PATH, CSS_PATH, FAVICON_PATH, MessagePage, STAFF_CSS_PATH, type PageContext } from './layout.js';
import { renderPage } from './render.js';
import { statusOf, toCandorError } from './errors.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a rendered page as text/html. */
    html(page: VNode): FastifyReply;
  }
  interface FastifyRequest {
    /** What a page needs to render in this request's language. */
    pageContext(query?: Record<string, string>): PageContext;
  }
  interface FastifyContextConfig {
    /** Routes that receive answers: no access log line may record when they were called (§2). */
    submitting?: boolean;
  }
}

const CSS = readFileSync(new URL('./candor.css', import.meta.url), 'utf8');
const STAFF_CSS = readFileSync(new URL('./staff.css', import.meta.url), 'utf8');
const CHARTS_CSS = readFileSync(new URL('./charts.css', import.meta.url), 'utf8');
const FAVICON = readFileSync(new URL('./favicon.svg', import.meta.url), 'utf8');

/** The one error body (its schema documents every route: web/schemas.ts). */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function translateProblems(problems: Problem[], t: Translate): NonNullable<ErrorBody['errors']> {
  return problems.map((p) => ({
    path: p.path,
    code: p.code,
    ...(p.questionId ? { questionId: p.questionId } : {}),
    message: t(`problems:${p.code}`, { ...(p.params ?? {}) }),
  }));
}

/** A refusal as a page shows it: its message as the title, and each problem with its place. */
export function refusalNotice(refusal: CandorError, t: Translate): { error: string; problems: NonNullable<ErrorBody['errors']> } {
  return { error: t(`errors:${refusal.code}`, { ...refusal.params }), problems: translateProblems(refusal.problems, t) };
}

function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: CandorError): FastifyReply {
  const t = request.t;
  const message = t(`errors:${error.code}`, { ...error.params });
  const status = statusOf(error);
  reply.code(status);
  if (status === 401 && isApiRequest(request)) reply.header('www-authenticate', 'Bearer');
  if (isApiRequest(request)) {
    const body: ErrorBody = { statusCode: status, error: error.code, message };
    if (error.problems.length > 0) body.errors = translateProblems(error.problems, t);
    return reply.type('application/json; charset=utf-8').send(body);
  }
  // Not request.pageContext() and reply.html(): a refusal before routing (frameworkErrors below)
  // gets Fastify's plain request and reply, without the app's decorators.
  const ctx: PageContext = { locale: request.locale, t, path: request.url.split('?')[0] ?? '/' };
  const page = <MessagePage ctx={ctx} title={t(`errors:title_${status}`, { defaultValue: t('errors:title_generic') })} message={message} />;
  return reply.type('text/html; charset=utf-8').send(renderPage(page));
}

/**
 * Fastify's own refusals before any route or hook runs — an address with a bad percent-encoding
 * (400), a part of it longer than the router takes (414) — answered like every other error: in
 * the reader's language, a page outside /api, with the security headers and no-store.
 */
export function frameworkErrors(i18n: i18n) {
  const headers = securityHeaders();
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // Fastify has not parsed the query string yet; URLSearchParams reads even a badly encoded one.
    const search = request.raw.url?.split('?')[1];
    const lang = search === undefined ? undefined : new URLSearchParams(search).get('lang');
    request.locale = negotiateLocale(lang, request.headers['accept-language']);
    request.t = i18n.getFixedT(request.locale);
    reply.headers(headers).header('cache-control', 'no-store');
    return sendError(request, reply, err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? new CandorError('url_too_long') : new CandorError('bad_url'));
  };
}

export default fp(
  async (app) => {
    const headers = securityHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    // Pages hold what must not sit in a cache: an invitation code in a form, a partner's answers
    // re-shown with an error, the thank-you page, a signed-in page. Every HTML reply is no-store
    // (the session plugin makes it `private, no-store` for a signed-in reader).
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control') && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('cache-control', 'no-store');
      done(null, payload);
    });

    app.decorateReply('html', function (this: FastifyReply, page: VNode) {
      return this.type('text/html; charset=utf-8').send(renderPage(page));
    });
    app.decorateRequest('pageContext', function (this: FastifyRequest, query?: Record<string, string>): PageContext {
      return { locale: this.locale, t: this.t, path: this.url.split('?')[0] ?? '/', ...(query ? { query } : {}) };
    });

    for (const [path, css] of [[CSS_PATH, CSS], [STAFF_CSS_PATH, STAFF_CSS], [CHARTS_CSS_PATH, CHARTS_CSS]] as const) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) =>
        reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
      );
    }

    // The icon every page links to; /favicon.ico too, which browsers ask for on their own.
    for (const path of [FAVICON_PATH, '/favicon.ico']) {
      app.get(path, { schema: { hide: true }, logLevel: 'silent' }, async (_request, reply) =>
        reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
      );
    }

    app.setNotFoundHandler(async (request, reply) => sendError(request, reply, new CandorError('not_found')));

    app.setErrorHandler(async (err: FastifyError, request, reply) => {
      const error = toCandorError(err);
      if (statusOf(error) >= 500 && error.code !== 'closing') {
        // Never the request (its body may hold answers): only what failed.
        app.log.error({ err: { type: err.name, message: err.message, stack: err.stack } }, 'request failed');
      }
      return sendError(request, reply, error);
    });
  },
  { name: 'candor-web', dependencies: ['candor-i18n'] },
);
