/**
 * Signed-in pages through app.inject, as a browser uses them: a cookie jar (the signed session
 * cookie and the _csrf secret cookie), the hidden _csrf field read from each page, forms sent
 * url-encoded or as multipart/form-data. Shared by the staff, invitation and retention tests.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { seededRandom } from '../../scripts/seeded-random.js';
import type { Role } from '../../src/access/tokens.js';
import { attr, tags } from '../html.js';
import type { TestApp } from '../helpers.js';

export type Fields = Record<string, string | string[]>;

export interface FilePart {
  name: string;
  filename: string;
  content: string | Buffer;
  contentType?: string;
}

/** Boundaries that look random, as a browser's do, but are the same every run. */
const boundaryRandom = seededRandom(0xb0da);

/** A multipart/form-data body as a browser sends it (text fields first, then files). */
export function multipartBody(fields: Fields, files: FilePart[] = []): { payload: Buffer; contentType: string } {
  const boundary = `----candor-test-${boundaryRandom().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`, 'utf8'));
    }
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType ?? 'application/json'}\r\n\r\n`,
        'utf8',
      ),
    );
    chunks.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8'));
    chunks.push(Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function urlencoded(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  return params.toString();
}

/** The value of the hidden _csrf field of a page (every form of a page carries the same one). */
export function csrfOf(html: string): string {
  const input = tags(html, 'input').find((tag) => attr(tag, 'name') === '_csrf');
  const value = input ? attr(input, 'value') : undefined;
  if (!value) throw new Error('no _csrf field on this page');
  return value;
}

/** A browser's cookie jar and its requests, over app.inject. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** The _csrf field of the last page that had one. */
  csrf: string | undefined;

  constructor(readonly app: FastifyInstance) {}

  cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ') };
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('text/html')) {
      try {
        this.csrf = csrfOf(res.body);
      } catch {
        // a page without a form
      }
    }
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { ...this.cookieHeader(), ...headers } }));
  }

  /** POSTs an url-encoded form; `_csrf` is added from the last page unless given (or set to null). */
  async post(url: string, fields: Fields, { csrf, headers = {} }: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const body = { ...fields };
    const token = csrf === undefined ? this.csrf : csrf;
    if (token !== null && token !== undefined && body._csrf === undefined) body._csrf = token;
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: urlencoded(body),
        headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
    );
  }

  /** POSTs a multipart form (the create page), with the page's _csrf unless given (or null). */
  async postMultipart(url: string, fields: Fields, files: FilePart[] = [], { csrf }: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const body = { ...fields };
    const token = csrf === undefined ? this.csrf : csrf;
    if (token !== null && token !== undefined && body._csrf === undefined) body._csrf = token;
    const { payload, contentType } = multipartBody(body, files);
    return this.keep(await this.app.inject({ method: 'POST', url, payload, headers: { ...this.cookieHeader(), 'content-type': contentType } }));
  }

  /** Follows a 303 (GET), as a browser does. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    if (res.statusCode !== 303 && res.statusCode !== 302) throw new Error(`not a redirect: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return this.get(String(res.headers.location));
  }
}

/** Signs in on /login with a token of this role (or the given token); answers the browser. */
export async function signIn(t: TestApp, role: Role, { lang = 'en', token }: { lang?: string; token?: string } = {}): Promise<Browser> {
  const browser = new Browser(t.app);
  const page = await browser.get(`/login?lang=${lang}`);
  if (page.statusCode !== 200) throw new Error(`GET /login answered ${page.statusCode}`);
  const res = await browser.post(`/login?lang=${lang}`, { token: token ?? t.token(role) });
  if (res.statusCode !== 303 || !browser.cookies.has('candor_session')) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return browser;
}
