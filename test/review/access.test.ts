/**
 * Who may use each route of §8 (§9): the Working Group (and admin) the queue, themes and
 * publishing; staff only the published review and the brief — never the queue, through the API
 * or the pages —; 401 without a token or with an unknown one, 403 with the wrong role, every
 * message translated.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/access/tokens.js';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { text } from '../html.js';
import { makeApp, sampleSurvey, type TestApp } from '../helpers.js';
import { Client, signedIn } from '../access/client.js';
import { createTheme, numbered, queue, reviewable, SLUG } from './fixture.js';

const i18n = createI18n();
const tr = (locale: 'en' | 'es' | 'fr') => i18n.getFixedT(locale);

async function setUp() {
  const t = await makeApp();
  await reviewable(t, numbered(8));
  const theme = await createTheme(t, SLUG, { en: 'Time', es: 'Tiempo', fr: 'Temps' });
  const [item] = await queue(t);
  return { t, theme, commentId: item!.id };
}

type Route = { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: unknown; ok: number };

function reviewRoutes(ids: { theme: { id: number }; commentId: string }): Record<string, Route> {
  return {
    queue: { method: 'GET', url: `/api/surveys/${SLUG}/comments`, ok: 200 },
    editComment: { method: 'PATCH', url: `/api/comments/${ids.commentId}`, payload: { status: 'pending' }, ok: 200 },
    themes: { method: 'GET', url: `/api/surveys/${SLUG}/themes`, ok: 200 },
    addTheme: { method: 'POST', url: `/api/surveys/${SLUG}/themes`, payload: { label: { en: 'Money', es: 'Dinero', fr: 'Argent' } }, ok: 201 },
    editTheme: { method: 'PATCH', url: `/api/themes/${ids.theme.id}`, payload: { keywords: { en: ['time'] } }, ok: 200 },
    publish: { method: 'POST', url: `/api/surveys/${SLUG}/review/publish`, ok: 200 },
  };
}

const inject = (t: TestApp, route: Route, headers: Record<string, string>, lang = 'en') =>
  t.app.inject({ method: route.method, url: `${route.url}?lang=${lang}`, headers, ...(route.payload === undefined ? {} : { payload: route.payload as object }) });

describe('the review API (§8)', () => {
  it('lets the Working Group and admin use every route', async () => {
    for (const role of ['wg', 'admin'] as const) {
      const { t, theme, commentId } = await setUp();
      for (const [name, route] of Object.entries(reviewRoutes({ theme, commentId }))) {
        const res = await inject(t, route, t.as(role));
        expect(res.statusCode, `${role} ${name}: ${res.body}`).toBe(route.ok);
      }
      const review = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/review`, headers: t.as(role) });
      expect(review.statusCode).toBe(200);
    }
  });

  for (const locale of LOCALES) {
    it(`answers 401 without a token, with an unknown or malformed one, and 403 to staff — translated (${locale})`, async () => {
      const { t, theme, commentId } = await setUp();
      const routes = { ...reviewRoutes({ theme, commentId }), review: { method: 'GET', url: `/api/surveys/${SLUG}/review`, ok: 200 } as Route };
      const anonymous: Record<string, Record<string, string>> = {
        none: {},
        unknown: { authorization: 'Bearer cnd_not-a-token-0123456789abcdefghijklmnopqrstuvw' },
        empty: { authorization: 'Bearer ' },
        basic: { authorization: `Basic ${Buffer.from(`wg:${t.token('wg')}`).toString('base64')}` },
        hash: { authorization: `Bearer ${(t.db.sqlite.prepare('select token_hash from tokens limit 1').pluck().get() as string) ?? 'x'}` },
      };
      for (const [name, route] of Object.entries(routes)) {
        for (const [who, headers] of Object.entries(anonymous)) {
          const res = await inject(t, route, headers, locale);
          expect(res.statusCode, `${who} ${name}`).toBe(401);
          expect(res.headers['www-authenticate']).toBe('Bearer');
          expect(res.json()).toMatchObject({ statusCode: 401, error: 'unauthorized', message: tr(locale)('errors:unauthorized') });
        }
        if (name === 'review') continue; // staff read the published review
        const res = await inject(t, route, t.as('staff'), locale);
        expect(res.statusCode, `staff ${name}`).toBe(403);
        expect(res.json()).toMatchObject({ statusCode: 403, error: 'forbidden', message: tr(locale)('errors:forbidden') });
      }
      // Nothing was changed by any refused request.
      expect(t.db.sqlite.prepare('select count(*) from themes').pluck().get()).toBe(1);
      expect(t.db.sqlite.prepare('select count(*) from reviews').pluck().get()).toBe(0);
      expect(t.db.sqlite.prepare("select count(*) from comments where status != 'pending'").pluck().get()).toBe(0);
    });
  }

  it('answers 403 to staff before saying whether the survey or comment exists', async () => {
    const t = await makeApp();
    for (const url of ['/api/surveys/nothing/comments', '/api/surveys/nothing/themes']) {
      expect((await t.app.inject({ method: 'GET', url, headers: t.as('staff') })).statusCode).toBe(403);
    }
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/comments/nothing', headers: t.as('staff'), payload: { status: 'hidden' } });
    expect(patch.statusCode).toBe(403);
  });

  it('lets staff, the Working Group and admin read the published review; 404 (translated) before it is published', async () => {
    const { t } = await setUp();
    for (const role of ['staff', 'wg', 'admin'] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/review?lang=fr`, headers: t.as(role) });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'no_review_yet', message: tr('fr')('errors:no_review_yet') });
    }
    await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/review/publish`, headers: t.as('wg') });
    const bodies = new Set<string>();
    for (const role of ['staff', 'wg', 'admin'] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/review`, headers: t.as(role) });
      expect(res.statusCode).toBe(200);
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
  });

  it('answers 404 (translated) for an unknown survey, comment or theme', async () => {
    const t = await makeApp();
    const cases = [
      { method: 'GET', url: '/api/surveys/nothing/comments', code: 'survey_not_found' },
      { method: 'GET', url: '/api/surveys/nothing/themes', code: 'survey_not_found' },
      { method: 'POST', url: '/api/surveys/nothing/themes', payload: { label: { en: 'a', es: 'b', fr: 'c' } }, code: 'survey_not_found' },
      { method: 'PATCH', url: '/api/comments/nothing', payload: { status: 'hidden' }, code: 'comment_not_found' },
      { method: 'PATCH', url: '/api/themes/999', payload: { keywords: { en: ['x'] } }, code: 'theme_not_found' },
      { method: 'POST', url: '/api/surveys/nothing/review/publish', code: 'survey_not_found' },
    ] as const;
    for (const c of cases) {
      const res = await t.app.inject({ method: c.method, url: `${c.url}?lang=es`, headers: t.as('wg'), ...('payload' in c ? { payload: c.payload } : {}) });
      expect(res.statusCode, c.url).toBe(404);
      expect(res.json()).toMatchObject({ error: c.code, message: tr('es')(`errors:${c.code}`) });
    }
    const review = await t.app.inject({ method: 'GET', url: '/api/surveys/nothing/review', headers: t.as('staff') });
    expect(review.statusCode).toBe(404);
  });
});

describe('staff-only routes', () => {
  it('answer 403 to the Working Group', async () => {
    const t = await makeApp();
    const def = sampleSurvey({ slug: 'staff-only' });
    const routes = [
      { method: 'POST', url: '/api/surveys', payload: def },
      { method: 'GET', url: '/api/surveys' },
      { method: 'PATCH', url: `/api/surveys/${SLUG}`, payload: { status: 'open' } },
      { method: 'POST', url: `/api/surveys/${SLUG}/release` },
      { method: 'POST', url: `/api/surveys/${SLUG}/invites`, payload: { count: 3 } },
    ] as const;
    for (const route of routes) {
      const res = await t.app.inject({ method: route.method, url: `${route.url}?lang=fr`, headers: t.as('wg'), ...('payload' in route ? { payload: route.payload } : {}) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden', message: tr('fr')('errors:forbidden') });
    }
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(0);
  });
});

describe('the Working Group pages', () => {
  const pages = (commentId: string, themeId: number) => ({
    home: { method: 'GET', url: '/wg' },
    queue: { method: 'GET', url: `/wg/${SLUG}/review` },
    saveComment: { method: 'POST', url: `/wg/${SLUG}/comments/${commentId}`, fields: { status: 'hidden', text: 'Changed.' } },
    addTheme: { method: 'POST', url: `/wg/${SLUG}/themes`, fields: { label_en: 'Money', label_es: 'Dinero', label_fr: 'Argent' } },
    editTheme: { method: 'POST', url: `/wg/${SLUG}/themes/${themeId}`, fields: { label_en: 'Hours', label_es: 'Horas', label_fr: 'Heures' } },
    publish: { method: 'POST', url: `/wg/${SLUG}/publish`, fields: {} },
  });

  async function visit(client: Client, page: { method: string; url: string; fields?: Record<string, string> }, csrf: string, lang: string) {
    const url = `${page.url}?lang=${lang}`;
    return page.method === 'GET' ? client.get(url) : client.post(url, { ...page.fields, _csrf: csrf });
  }

  for (const role of ['wg', 'admin'] as Role[]) {
    it(`are open to ${role}`, async () => {
      const { t, theme, commentId } = await setUp();
      const client = await signedIn(t, role);
      const csrf = await client.csrf('/wg');
      for (const [name, page] of Object.entries(pages(commentId, theme.id))) {
        const res = await visit(client, page, csrf, 'en');
        expect(res.statusCode, `${name}: ${res.body.slice(0, 500)}`).toBe(page.method === 'GET' ? 200 : 303);
      }
      expect((await client.get(`/wg/${SLUG}/brief`)).statusCode).toBe(200);
    });
  }

  for (const locale of LOCALES) {
    it(`answer 403 (translated, ${locale}) to staff — the queue included — and change nothing`, async () => {
      const { t, theme, commentId } = await setUp();
      const staff = await signedIn(t, 'staff');
      const csrf = await staff.csrf(`/wg/${SLUG}/brief`); // a valid token for this browser
      for (const [name, page] of Object.entries(pages(commentId, theme.id))) {
        const res = await visit(staff, page, csrf, locale);
        expect(res.statusCode, name).toBe(403);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(text(res.body), name).toContain(tr(locale)('errors:forbidden'));
        expect(text(res.body)).not.toContain('Comment 0');
      }
      expect(t.db.sqlite.prepare('select count(*) from themes').pluck().get()).toBe(1);
      expect(t.db.sqlite.prepare('select count(*) from reviews').pluck().get()).toBe(0);
      expect(t.db.sqlite.prepare("select count(*) from comments where status != 'pending'").pluck().get()).toBe(0);
    });
  }

  it('send visitors without a session to the login page, and change nothing', async () => {
    const { t, theme, commentId } = await setUp();
    const anonymous = new Client(t);
    const csrf = await anonymous.csrf('/login');
    for (const [name, page] of Object.entries(pages(commentId, theme.id))) {
      const res = await visit(anonymous, page, csrf, 'fr');
      expect(res.statusCode, name).toBe(303);
      expect(res.headers.location, name).toBe(`/login?lang=fr&next=${encodeURIComponent(`${page.url}?lang=fr`)}`);
    }
    expect(t.db.sqlite.prepare('select count(*) from themes').pluck().get()).toBe(1);
    expect(t.db.sqlite.prepare("select count(*) from comments where status != 'pending'").pluck().get()).toBe(0);
  });

  it('show the meeting brief to staff, the Working Group and admin', async () => {
    const { t } = await setUp();
    for (const role of ['staff', 'wg', 'admin'] as const) {
      const client = await signedIn(t, role);
      for (const locale of LOCALES) {
        const res = await client.get(`/wg/${SLUG}/brief?lang=${locale}`);
        expect(res.statusCode, `${role} ${locale}`).toBe(200);
        expect(text(res.body)).toContain(tr(locale)('review:brief_not_published'));
      }
    }
  });
});
