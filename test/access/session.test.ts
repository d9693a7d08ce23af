/**
 * Sign-in for people (§9): the login form, its signed HttpOnly SameSite=Strict cookie, CSRF on
 * every state-changing form, rate-limited login, safe redirects, sign-out, revocation taking
 * effect at once, and partner pages that never set a cookie — not even for a signed-in browser.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSessionSecret, safeNext, SESSION_COOKIE } from '../../src/access/session.js';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { attr, byId, tags, text } from '../html.js';
import { closeSurvey, makeApp, openSurvey, postForm, sampleAnswers, submit, tempDir, type FormFields, type TestApp } from '../helpers.js';
import { Client, csrfOf, setCookies, signedIn } from './client.js';

const i18n = createI18n();
const tr = (locale: 'en' | 'es' | 'fr') => i18n.getFixedT(locale);
const SLUG = 'learning-lab-2026';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const sessionCookie = (res: Awaited<ReturnType<Client['get']>>) => setCookies(res).find((c) => c.name === SESSION_COOKIE);

describe('the login page', () => {
  for (const locale of LOCALES) {
    it(`is translated (${locale}) and carries a CSRF token in a signed, HttpOnly, SameSite=Strict cookie`, async () => {
      const t = await makeApp();
      const res = await t.app.inject({ method: 'GET', url: `/login?lang=${locale}` });
      expect(res.statusCode).toBe(200);
      const tt = tr(locale);
      expect(text(res.body)).toContain(tt('access:login_title'));
      expect(text(res.body)).toContain(tt('access:token_label'));
      expect(attr(byId(res.body, 'token')!, 'type')).toBe('password');
      expect(attr(byId(res.body, 'token')!, 'name')).toBe('token');
      expect(tags(res.body, 'html')[0]).toContain(`lang="${locale}"`);
      const form = tags(res.body, 'form')[0]!;
      expect(attr(form, 'method')).toBe('post');
      expect(attr(form, 'action')).toBe(`/login?lang=${locale}`);
      expect(csrfOf(res.body).length).toBeGreaterThan(20);

      const cookies = setCookies(res);
      expect(cookies.map((c) => c.name)).toEqual(['_csrf']); // the CSRF secret, and no session yet
      const csrf = cookies[0]!;
      expect(csrf.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/' });
      expect(csrf.value).toMatch(/^[^.]+\.[A-Za-z0-9+/_-]+=*$/); // value.signature
      expect(csrf.value).not.toContain(csrfOf(res.body)); // the secret is not the token
    });
  }

  it('sends a signed-in person to their home instead', async () => {
    const t = await makeApp();
    const wg = await signedIn(t, 'wg');
    const res = await wg.get('/login?lang=fr');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/wg?lang=fr');
  });
});

describe('signing in', () => {
  for (const [role, home] of [
    ['wg', '/wg'],
    ['staff', '/staff'],
    ['admin', '/staff'],
  ] as const) {
    it(`signs in ${role} with a signed, HttpOnly, SameSite=Strict session cookie on Path=/, and sends them to ${home}`, async () => {
      const t = await makeApp();
      const client = new Client(t);
      const token = t.token(role);
      const res = await client.signIn(token, {}, 'es');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`${home}?lang=es`);
      const cookie = sessionCookie(res)!;
      expect(cookie).toBeDefined();
      expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/', 'max-age': String(12 * 3600) });
      expect(cookie.attributes.secure).toBeUndefined(); // plain http here
      expect(cookie.attributes.domain).toBeUndefined();
      // Signed (value.signature), and nothing of the token in it.
      const unsigned = t.app.unsignCookie(cookie.value);
      expect(unsigned.valid).toBe(true);
      // A random session id (kept server-side) and the expiry: nothing of the token.
      expect(unsigned.value).toMatch(/^[\w-]{32}:\d+$/);
      const expires = Number(unsigned.value!.split(':')[1]) * 1000;
      expect(Math.abs(expires - (Date.now() + 12 * 3600_000))).toBeLessThan(60_000);
      expect(cookie.value).not.toContain(token);
      expect(cookie.value).not.toContain(token.slice(4, 20));
      // Where each role may go with the cookie.
      const wgHome = await client.get('/wg?lang=es');
      expect(wgHome.statusCode).toBe(role === 'staff' ? 403 : 200);
    });
  }

  it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
    const t = await makeApp({ trustProxy: true });
    const client = new Client(t, { 'x-forwarded-proto': 'https' });
    const res = await client.signIn(t.token('wg'));
    expect(res.statusCode).toBe(303);
    expect(sessionCookie(res)!.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Strict', path: '/' });
    // The CSRF secret travels with the same protection.
    const login = await new Client(t, { 'x-forwarded-proto': 'https' }).get('/login');
    expect(setCookies(login).find((c) => c.name === '_csrf')!.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Strict' });
  });

  it('does not believe X-Forwarded-Proto from an untrusted client', async () => {
    const t = await makeApp({ trustProxy: false });
    const client = new Client(t, { 'x-forwarded-proto': 'https' });
    const res = await client.signIn(t.token('wg'));
    expect(res.statusCode).toBe(303);
    expect(sessionCookie(res)!.attributes.secure).toBeUndefined();
  });

  for (const locale of LOCALES) {
    it(`refuses a wrong token with 401 and a translated message (${locale}), without echoing it or setting a session`, async () => {
      const t = await makeApp();
      const client = new Client(t);
      const wrong = 'cnd_this-is-not-a-real-token-0123456789abcdefghij';
      const res = await client.signIn(wrong, {}, locale);
      expect(res.statusCode).toBe(401);
      const tt = tr(locale);
      expect(text(res.body)).toContain(tt('access:login_failed'));
      expect(text(res.body)).toContain(tt('access:login_failed_title'));
      expect(res.body).not.toContain(wrong);
      expect(attr(byId(res.body, 'token')!, 'aria-invalid')).toBe('true');
      expect(attr(byId(res.body, 'token')!, 'value')).toBeUndefined();
      expect(sessionCookie(res)).toBeUndefined();
      expect(client.signedIn()).toBe(false);
      // The form is there again, with a valid CSRF token: signing in now works.
      const again = await client.post(`/login?lang=${locale}`, { _csrf: csrfOf(res.body), token: t.token('wg') });
      expect(again.statusCode).toBe(303);
    });
  }

  it('refuses an empty token and a token with the wrong shape the same way', async () => {
    const t = await makeApp();
    for (const token of ['', '   ', 'x'.repeat(5000)]) {
      const res = await new Client(t).signIn(token);
      expect(res.statusCode).toBe(401);
      expect(sessionCookie(res)).toBeUndefined();
    }
  });

  it('accepts a token pasted with spaces around it', async () => {
    const t = await makeApp();
    const res = await new Client(t).signIn(`  ${t.token('wg')}\n`);
    expect(res.statusCode).toBe(303);
  });

  it('refuses a revoked token', async () => {
    const t = await makeApp();
    const token = t.app.tokens.create('wg', 'gone');
    t.app.tokens.revoke('gone');
    const res = await new Client(t).signIn(token);
    expect(res.statusCode).toBe(401);
  });

  it('is rate-limited: 429 with a translated message, even for a good token', async () => {
    const t = await makeApp({ rateLimitPerMinute: 3 });
    const client = new Client(t);
    const csrf = await client.csrf('/login');
    for (let i = 0; i < 3; i++) {
      const res = await client.post('/login', { _csrf: csrf, token: `cnd_wrong-${i}` });
      expect(res.statusCode).toBe(401);
    }
    for (const locale of LOCALES) {
      const res = await client.post(`/login?lang=${locale}`, { _csrf: csrf, token: t.token('wg') });
      expect(res.statusCode).toBe(429);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(text(res.body)).toContain(tr(locale)('errors:title_429'));
      const [before, after] = tr(locale)('errors:rate_limited_login', { seconds: '§' }).split('§') as [string, string];
      expect(text(res.body)).toMatch(new RegExp(`${escapeRegExp(before)}\\d+${escapeRegExp(after)}`));
      expect(sessionCookie(res)).toBeUndefined();
    }
  });
});

describe('a forged or stale session cookie', () => {
  async function wgCookie(t: TestApp) {
    const client = await signedIn(t, 'wg');
    return { client, value: client.jar.get(SESSION_COOKIE)! };
  }

  it('is not accepted when its value or signature is changed', async () => {
    const t = await makeApp();
    const { client, value } = await wgCookie(t);
    const [payload, signature] = [value.slice(0, value.lastIndexOf('.')), value.slice(value.lastIndexOf('.') + 1)];
    const [id, expires] = payload.split(':');
    const forgeries = [
      payload, // unsigned
      `${Number(id) + 1}:${expires}.${signature}`, // another token's id
      `${id}:${Number(expires) + 3600}.${signature}`, // a longer session
      `${payload}.${signature.slice(0, -2)}AA`, // a broken signature
      'garbage',
    ];
    t.app.tokens.create('admin', 'an admin with the next id');
    for (const forged of forgeries) {
      client.jar.set(SESSION_COOKIE, forged);
      const res = await client.get('/wg');
      expect(res.statusCode, forged).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?/);
    }
  });

  it('is not accepted once expired, even correctly signed', async () => {
    const t = await makeApp();
    const { client, value } = await wgCookie(t);
    const id = value.split(':')[0];
    client.jar.set(SESSION_COOKIE, t.app.signCookie(`${id}:${Math.floor(Date.now() / 1000) - 1}`));
    const res = await client.get('/wg');
    expect(res.statusCode).toBe(303);
  });

  it('is not accepted by an app with another secret', async () => {
    const t = await makeApp();
    const { value } = await wgCookie(t);
    const other = await makeApp({ sessionSecret: 'another-secret-that-is-long-enough-for-cookies-9876543210', databasePath: t.config.databasePath });
    const client = new Client(other);
    client.jar.set(SESSION_COOKIE, value);
    expect((await client.get('/wg')).statusCode).toBe(303);
  });
});

describe('where signing in leads (no open redirect)', () => {
  it('comes back to the page that asked for a sign-in', async () => {
    const t = await makeApp();
    const client = new Client(t);
    const asked = await client.get('/wg/learning-lab-2026/review?lang=fr');
    expect(asked.statusCode).toBe(303);
    const location = asked.headers.location as string;
    expect(location).toBe(`/login?lang=fr&next=${encodeURIComponent('/wg/learning-lab-2026/review?lang=fr')}`);
    const login = await client.get(location);
    const next = tags(login.body, 'input').find((tag) => attr(tag, 'name') === 'next');
    expect(attr(next!, 'value')).toBe('/wg/learning-lab-2026/review?lang=fr');
    const res = await client.post('/login?lang=fr', { _csrf: csrfOf(login.body), token: t.token('wg'), next: attr(next!, 'value')! });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/wg/learning-lab-2026/review?lang=fr');
  });

  const unsafe = [
    '//evil.example',
    '//evil.example/wg',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'http://evil.example',
    'javascript:alert(1)',
    '/%0d%0aSet-Cookie:x=1',
    '/wg\r\nLocation: https://evil.example',
    ' //evil.example',
    'evil.example',
    '',
  ];

  it('never sends anyone to another site', async () => {
    const t = await makeApp();
    for (const next of unsafe) {
      const client = new Client(t);
      const login = await client.get(`/login?next=${encodeURIComponent(next)}`);
      expect(tags(login.body, 'input').some((tag) => attr(tag, 'name') === 'next'), next).toBe(false);
      const res = await client.post('/login', { _csrf: csrfOf(login.body), token: t.token('wg'), next });
      expect(res.statusCode, next).toBe(303);
      expect(res.headers.location, next).toBe('/wg?lang=en');
    }
  });

  it('safeNext keeps local paths only', () => {
    for (const next of unsafe) expect(safeNext(next), next).toBeUndefined();
    expect(safeNext(['/wg'])).toBeUndefined();
    expect(safeNext('/wg')).toBe('/wg');
    expect(safeNext('/wg/a-survey/brief?lang=es')).toBe('/wg/a-survey/brief?lang=es');
  });
});

describe('signing out', () => {
  it('clears the session and the CSRF secret; the pages then ask for a sign-in', async () => {
    const t = await makeApp();
    const client = await signedIn(t, 'wg');
    const home = await client.get('/wg?lang=es');
    expect(home.statusCode).toBe(200);
    const copied = client.jar.get(SESSION_COOKIE)!;
    const form = tags(home.body, 'form').find((f) => attr(f, 'action')?.startsWith('/logout'));
    expect(form).toBeDefined();
    const res = await client.post(attr(form!, 'action')!, { _csrf: csrfOf(home.body) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?lang=es');
    const cleared = setCookies(res);
    for (const name of [SESSION_COOKIE, '_csrf']) {
      const c = cleared.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      expect(c!.value).toBe('');
      expect(c!.attributes.path).toBe('/');
      expect(Date.parse(String(c!.attributes.expires))).toBeLessThan(Date.now());
    }
    expect(client.signedIn()).toBe(false);
    const after = await client.get('/wg?lang=es');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/^\/login\?lang=es/);
    // Ended on the server too: a copy of the cookie taken before signing out is refused.
    client.jar.set(SESSION_COOKIE, copied);
    const replayed = await client.get('/wg?lang=es');
    expect(replayed.statusCode).toBe(303);
    expect(t.db.sqlite.prepare('select count(*) from sessions').pluck().get()).toBe(0);
  });
});

describe('CSRF on the sign-in and sign-out forms', () => {
  for (const locale of LOCALES) {
    it(`refuses a login without or with a wrong CSRF token: 403, translated (${locale})`, async () => {
      const t = await makeApp();
      const client = new Client(t);
      await client.csrf(`/login?lang=${locale}`); // has the secret cookie
      const elsewhere = csrfOf((await new Client(t).get('/login')).body); // a token made for another browser
      const attempts: FormFields[] = [
        { token: t.token('wg') },
        { token: t.token('wg'), _csrf: '' },
        { token: t.token('wg'), _csrf: 'forged' },
        { token: t.token('wg'), _csrf: elsewhere },
      ];
      for (const fields of attempts) {
        const res = await client.post(`/login?lang=${locale}`, fields);
        expect(res.statusCode, JSON.stringify(fields)).toBe(403);
        expect(text(res.body)).toContain(tr(locale)('errors:csrf_invalid'));
        expect(sessionCookie(res)).toBeUndefined();
      }
      // Without the secret cookie at all.
      const bare = await postForm(t, `/login?lang=${locale}`, { token: t.token('wg'), _csrf: elsewhere });
      expect(bare.statusCode).toBe(403);
      expect(text(bare.body)).toContain(tr(locale)('errors:csrf_invalid'));
      expect(client.signedIn()).toBe(false);
    });
  }

  it('refuses a logout without or with a wrong CSRF token, and the session stays', async () => {
    const t = await makeApp();
    const client = await signedIn(t, 'wg');
    const elsewhere = csrfOf((await new Client(t).get('/login')).body);
    for (const fields of [{}, { _csrf: 'forged' }, { _csrf: elsewhere }] as FormFields[]) {
      const res = await client.post('/logout?lang=fr', fields);
      expect(res.statusCode).toBe(403);
      expect(text(res.body)).toContain(tr('fr')('errors:csrf_invalid'));
      expect(sessionCookie(res)).toBeUndefined();
    }
    expect((await client.get('/wg')).statusCode).toBe(200);
  });
});

describe('a revoked token', () => {
  it('loses its signed-in pages and its API access at once', async () => {
    const t = await makeApp();
    const token = t.app.tokens.create('wg', 'leaving member');
    const client = new Client(t);
    expect((await client.signIn(token)).statusCode).toBe(303);
    expect((await client.get('/wg')).statusCode).toBe(200);
    const csrf = csrfOf((await client.get('/wg')).body);
    const api = () => t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/themes`, headers: { authorization: `Bearer ${token}` } });
    await openSurvey(t);
    expect((await api()).statusCode).toBe(200);

    expect(t.app.tokens.revoke('leaving member')).toBe(true);
    const page = await client.get('/wg?lang=fr');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/login\?lang=fr/);
    const brief = await client.get(`/wg/${SLUG}/brief`);
    expect(brief.statusCode).toBe(303);
    // A form posted with the old cookie and a valid CSRF token changes nothing.
    const post = await client.post(`/wg/${SLUG}/themes`, { _csrf: csrf, label_en: 'a', label_es: 'b', label_fr: 'c' });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toMatch(/^\/login\?/);
    expect(t.db.sqlite.prepare('select count(*) from themes').pluck().get()).toBe(0);
    const res = await api();
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });
});

describe('partner pages', () => {
  it('never set a cookie, not even for a signed-in browser', async () => {
    const t = await makeApp();
    await openSurvey(t);
    for (let i = 0; i < 6; i++) expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(201);
    const client = await signedIn(t, 'wg');
    const answers = { region: 'asia', speak_freely: '4', activities: ['calls'], usefulness: '7', suggestions: 'Bien.' };
    const before = new Map(client.jar);
    const replies = {
      home: await client.get('/'),
      homeEs: await client.get('/?lang=es'),
      form: await client.get(`/s/${SLUG}?lang=fr`),
      posted: await client.post(`/s/${SLUG}?lang=fr`, answers),
      postedInvalid: await client.post(`/s/${SLUG}`, { speak_freely: '9' }),
      postedWithCsrf: await client.post(`/s/${SLUG}`, { ...answers, _csrf: 'x' }),
      thanks: await client.get(`/s/${SLUG}/thanks?lang=fr`),
      apiSurvey: await client.get(`/api/surveys/${SLUG}`),
      apiSubmit: await client.request({ method: 'POST', url: `/api/surveys/${SLUG}/responses`, payload: { answers: sampleAnswers() } }),
    };
    await closeSurvey(t, SLUG);
    const results = { results: await client.get(`/s/${SLUG}/results?lang=es`), resultsJson: await client.get(`/api/surveys/${SLUG}/results`) };
    expect(replies.posted.statusCode).toBe(303);
    expect(replies.postedInvalid.statusCode).toBe(400);
    expect(replies.apiSubmit.statusCode).toBe(201);
    expect(results.results.statusCode).toBe(200);
    for (const [name, res] of Object.entries({ ...replies, ...results })) {
      expect(res.headers['set-cookie'], name).toBeUndefined();
      // And nothing on them says who is signed in.
      expect(res.body, name).not.toContain('/logout');
    }
    expect(client.jar).toEqual(before);
  });
});

describe('the session secret (§10)', () => {
  it('is SESSION_SECRET when set; otherwise generated once into the database folder, private, and reused', () => {
    const dir = tempDir();
    const db = join(dir, 'data', 'candor.db');
    expect(resolveSessionSecret('configured-secret', db)).toBe('configured-secret');
    expect(existsSync(join(dir, 'data', 'session-secret'))).toBe(false);
    const first = resolveSessionSecret(undefined, db);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'data', 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(resolveSessionSecret(undefined, db)).toBe(first);
  });

  it('keeps people signed in across a restart when generated', async () => {
    const dir = tempDir();
    const databasePath = join(dir, 'candor.db');
    const first = await makeApp({ databasePath, sessionSecret: undefined });
    const client = await signedIn(first, 'wg');
    const second = await makeApp({ databasePath, sessionSecret: undefined });
    const again = new Client(second);
    for (const [k, v] of client.jar) again.jar.set(k, v);
    expect((await again.get('/wg')).statusCode).toBe(200);
  });
});

describe('the staff and Working Group pages without a session', () => {
  it('lead to the login page in the reader’s language', async () => {
    const t = await makeApp();
    for (const url of ['/wg?lang=es', `/wg/${SLUG}/review?lang=es`, `/wg/${SLUG}/brief?lang=es`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/login?lang=es&next=${encodeURIComponent(url)}`);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('after a form posted without a session, sign-in leads to a page that exists, not to the form’s address', async () => {
    const t = await makeApp();
    const client = new Client(t);
    const csrf = await client.csrf('/login');
    const res = await client.post(`/wg/${SLUG}/publish?lang=es`, { _csrf: csrf });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/login\?lang=es/);
    const login = await client.get(location);
    const next = tags(login.body, 'input').find((tag) => attr(tag, 'name') === 'next');
    expect(next).toBeUndefined(); // the form's address answers POST only: not a page to come back to
    const signedInRes = await client.post('/login?lang=es', { _csrf: csrfOf(login.body), token: t.token('wg'), ...(next ? { next: attr(next, 'value')! } : {}) });
    expect(signedInRes.statusCode).toBe(303);
    const landing = await client.get(signedInRes.headers.location as string);
    expect(landing.statusCode, signedInRes.headers.location as string).toBe(200);
    // Even when the form's address is posted as `next` directly.
    const other = new Client(t);
    const direct = await other.post('/login', { _csrf: await other.csrf('/login'), token: t.token('wg'), next: `/wg/${SLUG}/publish?lang=es` });
    expect(direct.headers.location).toBe('/wg?lang=en');
  });

  it('are not reachable with a Bearer token instead of a session', async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'GET', url: '/wg', headers: t.as('wg') });
    expect(res.statusCode).toBe(303);
  });
});

