/**
 * A tiny cookie-keeping browser over app.inject, for the signed-in pages (§9): it keeps what the
 * server sets, drops what it clears, and finds the CSRF token of the forms it reads.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../src/access/tokens.js';
import { formBody, type FormFields, type TestApp } from '../helpers.js';

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** Every Set-Cookie header of a reply, parsed; attribute names lower-cased. */
export function setCookies(res: LightMyRequestResponse): SetCookie[] {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((line) => {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const a of attrs) {
      const i = a.indexOf('=');
      if (i === -1) attributes[a.toLowerCase()] = true;
      else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
    }
    return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  });
}

/** The value of the hidden _csrf field of the first form of a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on this page');
  return m[1];
}

export class Client {
  readonly jar = new Map<string, string>();

  constructor(
    readonly t: TestApp,
    /** Headers sent with every request (e.g. X-Forwarded-Proto). */
    readonly headers: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of setCookies(res)) {
      const expires = typeof c.attributes.expires === 'string' ? Date.parse(c.attributes.expires) : NaN;
      if (c.value === '' || c.attributes['max-age'] === '0' || expires < Date.now()) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }

  async request(options: InjectOptions & { url: string }) {
    const cookie = this.cookieHeader();
    return this.keep(
      await this.t.app.inject({ ...options, headers: { ...this.headers, ...(cookie ? { cookie } : {}), ...(options.headers ?? {}) } }),
    );
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** Posts a form as a browser does (application/x-www-form-urlencoded). */
  post(url: string, fields: FormFields, headers: Record<string, string> = {}) {
    return this.request({ method: 'POST', url, payload: formBody(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Reads a page and answers the CSRF token of its forms. */
  async csrf(url: string): Promise<string> {
    const res = await this.get(url);
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return csrfOf(res.body);
  }

  /** Signs in through the login form with this token; answers the reply (303 when it worked). */
  async signIn(token: string, fields: FormFields = {}, lang = 'en') {
    const csrf = await this.csrf(`/login?lang=${lang}`);
    return this.post(`/login?lang=${lang}`, { _csrf: csrf, token, ...fields });
  }

  signedIn(): boolean {
    return this.jar.has('candor_session');
  }
}

/** A browser signed in with a token of this role (the TestApp's own token for it). */
export async function signedIn(t: TestApp, role: Role, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client(t, headers);
  const res = await client.signIn(t.token(role));
  expect(res.statusCode, res.body).toBe(303);
  expect(client.signedIn()).toBe(true);
  return client;
}
