/**
 * Who may use the staff console (issue 5, §9): every staff page and form, for every kind of
 * visitor. No session → the login page (303, with the way back); a Working Group session → 403;
 * staff and admin → the page. Every POST form refuses a missing, forged or foreign CSRF token,
 * and changes nothing when it does.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { createSurvey, makeApp, openSurvey, sampleSurvey, tableCounts, type TestApp } from '../helpers.js';
import { text } from '../html.js';
import { Browser, signIn } from './session.js';

const i18n = createI18n();

const DRAFT = 'draft-round';
const INVITE = 'invite-round';
const DOOMED = 'doomed-draft';

/** A draft survey and an open invite-only one, as every route below needs a real slug. */
async function seeded(): Promise<TestApp> {
  const t = await makeApp();
  await createSurvey(t, sampleSurvey({ slug: DRAFT }));
  await createSurvey(t, sampleSurvey({ slug: DOOMED }));
  await openSurvey(t, sampleSurvey({ slug: INVITE, access: 'invite' }));
  return t;
}

const PAGES = [
  '/staff',
  '/staff/surveys/new',
  `/staff/surveys/${DRAFT}`,
  `/staff/surveys/${DRAFT}/edit`,
  `/staff/surveys/${DRAFT}/open`,
  `/staff/surveys/${DRAFT}/delete`,
  `/staff/surveys/${INVITE}`,
  `/staff/surveys/${INVITE}/close`,
  `/staff/surveys/${INVITE}/invites`,
];

/** Every POST form of the console, with fields that would succeed given a valid session and CSRF token. */
const FORMS: { url: string; fields: Record<string, string>; multipart?: boolean }[] = [
  { url: '/staff/surveys', fields: { definition: JSON.stringify(sampleSurvey({ slug: 'made-by-form' })) }, multipart: true },
  { url: '/staff/surveys/start', fields: { start: 'template:partner-feedback', slug: 'made-by-start', title_en: 'Started', title_es: '', title_fr: '' } },
  { url: `/staff/surveys/${DRAFT}/duplicate`, fields: { slug: 'duplicated-round' } },
  // The builder's form saves the whole draft: here, a title and no question yet.
  { url: '/staff/surveys/duplicated-round/edit', fields: { action: 'save', access: 'invite', 'title.en': 'Renamed', 'title.es': 'Renombrada', 'title.fr': 'Renommée' } },
  { url: `/staff/surveys/${DOOMED}/delete`, fields: {} },
  { url: `/staff/surveys/${DRAFT}/status`, fields: { status: 'open' } },
  { url: `/staff/surveys/${INVITE}/closing`, fields: { closesAt: '2031-01-01T00:00' } },
  { url: `/staff/surveys/${INVITE}/release`, fields: {} },
  { url: `/staff/surveys/${INVITE}/invites`, fields: { count: '5', format: 'page' } },
];

/** What any of FORMS would have changed: a new survey, an opened draft, a release, codes. */
function stateOf(t: TestApp) {
  const q = (sql: string) => t.db.sqlite.prepare(sql).pluck().get() as number | string;
  return {
    surveys: q('select count(*) from surveys'),
    draftStatus: q(`select status from surveys where slug = '${DRAFT}'`),
    renamed: q("select count(*) from surveys where definition like '%Renamed%'"),
    doomed: q(`select count(*) from surveys where slug = '${DOOMED}'`),
    closesAt: q(`select coalesce(closes_at, '') from surveys where slug = '${INVITE}'`),
    releases: q('select count(*) from releases'),
    invites: q('select count(*) from invites'),
    ...tableCounts(t),
  };
}

const send = (b: Browser, form: (typeof FORMS)[number], opts: { csrf?: string | null } = {}) =>
  form.multipart ? b.postMultipart(`${form.url}?lang=en`, form.fields, [], opts) : b.post(`${form.url}?lang=en`, form.fields, opts);

describe('without a session', () => {
  it('every staff page sends the visitor to /login, in their language, with the way back', async () => {
    const t = await seeded();
    for (const lang of LOCALES) {
      for (const path of PAGES) {
        const url = `${path}?lang=${lang}`;
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(303);
        const location = new URL(String(res.headers.location), 'http://x');
        expect(location.pathname, url).toBe('/login');
        expect(location.searchParams.get('lang'), url).toBe(lang);
        expect(location.searchParams.get('next'), url).toBe(url);
        // Signed-in pages only: nothing is set on the way to /login.
        expect(res.headers['set-cookie'], url).toBeUndefined();
      }
    }
  });

  it('a bearer token is for the API only: pages still want a signed-in session', async () => {
    const t = await seeded();
    for (const path of PAGES) {
      const res = await t.app.inject({ method: 'GET', url: path, headers: t.as('staff') });
      expect(res.statusCode, path).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/login\?/);
    }
  });

  it('a forged or tampered session cookie is no session', async () => {
    const t = await seeded();
    const real = await signIn(t, 'staff');
    const cookie = real.cookies.get('candor_session')!;
    const [value] = cookie.split('.');
    for (const forged of [`${value}`, `${value}.AAAA`, '1:9999999999', `${cookie.slice(0, -2)}xx`]) {
      const res = await t.app.inject({ method: 'GET', url: '/staff', headers: { cookie: `candor_session=${encodeURIComponent(forged)}` } });
      expect(res.statusCode, forged).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/login\?/);
    }
  });

  it('every POST form sends the visitor to /login and changes nothing', async () => {
    const t = await seeded();
    const before = stateOf(t);
    const anonymous = new Browser(t.app);
    for (const form of FORMS) {
      const res = await send(anonymous, form, { csrf: 'whatever' });
      expect(res.statusCode, form.url).toBe(303);
      expect(String(res.headers.location), form.url).toMatch(/^\/login\?lang=en&next=/);
    }
    expect(stateOf(t)).toEqual(before);
  });
});

describe('a Working Group session', () => {
  it('is refused every staff page with a translated 403', async () => {
    const t = await seeded();
    for (const lang of LOCALES) {
      const wg = await signIn(t, 'wg', { lang });
      const tr = i18n.getFixedT(lang);
      for (const path of PAGES) {
        const res = await wg.get(`${path}?lang=${lang}`);
        expect(res.statusCode, path).toBe(403);
        expect(res.body).toContain(`<html lang="${lang}"`);
        expect(text(res.body)).toContain(tr('errors:forbidden'));
      }
    }
  });

  it('is refused every POST form (with a valid CSRF token) and changes nothing', async () => {
    const t = await seeded();
    const before = stateOf(t);
    const wg = await signIn(t, 'wg');
    await wg.get('/wg?lang=en'); // a page of its own, for a genuine CSRF token
    expect(wg.csrf).toBeDefined();
    for (const form of FORMS) {
      const res = await send(wg, form);
      expect(res.statusCode, form.url).toBe(403);
      expect(text(res.body)).toContain(i18n.getFixedT('en')('errors:forbidden'));
    }
    expect(stateOf(t)).toEqual(before);
  });
});

describe('staff and admin sessions', () => {
  for (const role of ['staff', 'admin'] as const) {
    it(`${role}: every staff page answers 200, in each language, with a sign-out form carrying a CSRF token`, async () => {
      const t = await seeded();
      for (const lang of LOCALES) {
        const b = await signIn(t, role, { lang });
        for (const path of PAGES) {
          const res = await b.get(`${path}?lang=${lang}`);
          expect(res.statusCode, `${role} ${path} ${lang}`).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/html/);
          expect(res.body).toContain(`<html lang="${lang}"`);
          expect(res.body).toMatch(/<form method="post" action="\/logout\?lang=\w\w"/);
          expect(b.csrf, path).toMatch(/\S{20,}/);
        }
      }
    });
  }

  it('after signing out, the pages ask for a sign-in again', async () => {
    const t = await seeded();
    const b = await signIn(t, 'staff');
    await b.get('/staff?lang=en');
    const out = await b.post('/logout?lang=en', {});
    expect(out.statusCode).toBe(303);
    expect(b.cookies.has('candor_session')).toBe(false);
    const res = await b.get('/staff?lang=en');
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/login\?/);
  });
});

describe('CSRF on every POST form of the console', () => {
  it('refuses a missing, a forged, a foreign token and a missing _csrf cookie, in the reader language, and changes nothing', async () => {
    const t = await seeded();
    const before = stateOf(t);
    const b = await signIn(t, 'staff', { lang: 'es' });
    await b.get('/staff?lang=es');
    const own = b.csrf!;
    // A token from another signed-in person's page: valid for their secret, not for this one.
    const other = await signIn(t, 'admin');
    await other.get('/staff?lang=en');
    const foreign = other.csrf!;
    expect(foreign).not.toBe(own);
    const tr = i18n.getFixedT('es');

    for (const form of FORMS) {
      const url = `${form.url}?lang=es`;
      const post = (browser: Browser, csrf: string | null) =>
        form.multipart ? browser.postMultipart(url, form.fields, [], { csrf }) : browser.post(url, form.fields, { csrf });
      const cases: [string, () => Promise<{ statusCode: number; body: string }>][] = [
        ['no token', () => post(b, null)],
        ['forged token', () => post(b, 'forged-token-0123456789')],
        ['empty token', () => post(b, '')],
        ['foreign token', () => post(b, foreign)],
        [
          'no _csrf cookie',
          async () => {
            const withoutSecret = new Browser(t.app);
            withoutSecret.cookies.set('candor_session', b.cookies.get('candor_session')!);
            return post(withoutSecret, own);
          },
        ],
      ];
      for (const [what, attempt] of cases) {
        const res = await attempt();
        expect(res.statusCode, `${form.url}: ${what}`).toBe(403);
        expect(res.body).toContain('<html lang="es"');
        expect(text(res.body), `${form.url}: ${what}`).toContain(tr('errors:csrf_invalid'));
      }
    }
    expect(stateOf(t)).toEqual(before);

    // And the same forms go through with the page's own token and cookie.
    for (const form of FORMS) {
      await b.get('/staff?lang=es');
      const res = await send(b, form);
      expect([200, 303], `${form.url}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
    }
    const after = stateOf(t);
    // Imported, started and duplicated; one deleted.
    expect(after.surveys).toBe(Number(before.surveys) + 2);
    expect(after.doomed).toBe(0);
    expect(after.draftStatus).toBe('open');
    expect(after.renamed).toBe(1);
    expect(after.closesAt).toBe('2031-01-01T00:00:00.000Z');
    expect(after.invites).toBe(5);
  });

  it('sign-out is a CSRF-protected form too', async () => {
    const t = await seeded();
    const b = await signIn(t, 'staff');
    await b.get('/staff?lang=en');
    const res = await b.post('/logout?lang=en', {}, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect((await b.get('/staff?lang=en')).statusCode).toBe(200);
  });
});
