/** What every page shares (§2, §4): strict CSP, no referrer, no cookies, nothing third-party; health and docs. */
import { describe, expect, it } from 'vitest';
import { attr, tags } from '../html.js';
import { makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';

const SLUG = 'learning-lab-2026';
const valid = { region: 'asia', speak_freely: '4', activities: ['calls'], usefulness: '7', suggestions: 'Bien.' };

/** Every partner page and every outcome of the partner's requests. */
async function partnerResponses(t: TestApp) {
  const cookie = { cookie: 'tracker=1; session=abc' };
  return {
    home: await t.app.inject({ method: 'GET', url: '/', headers: cookie }),
    form: await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=es`, headers: cookie }),
    inviteForm: await t.app.inject({ method: 'GET', url: '/s/by-invitation?code=ABCD', headers: cookie }),
    posted: await postForm(t, `/s/${SLUG}?lang=fr`, valid, cookie),
    postedInvalid: await postForm(t, `/s/${SLUG}`, { speak_freely: '0' }, cookie),
    postedNoCode: await postForm(t, '/s/by-invitation', valid, cookie),
    thanks: await t.app.inject({ method: 'GET', url: `/s/${SLUG}/thanks?lang=fr`, headers: cookie }),
    apiSubmit: await submit(t, SLUG, { answers: sampleAnswers() }, cookie),
    apiInvalid: await submit(t, SLUG, { answers: {} }, cookie),
    apiSurvey: await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}`, headers: cookie }),
    results: await t.app.inject({ method: 'GET', url: `/s/${SLUG}/results`, headers: cookie }),
    missing: await t.app.inject({ method: 'GET', url: '/s/nothing-here', headers: cookie }),
    css: await t.app.inject({ method: 'GET', url: '/assets/candor.css', headers: cookie }),
  };
}

async function setUp() {
  const t = await makeApp();
  await openSurvey(t);
  await openSurvey(t, sampleSurvey({ slug: 'by-invitation', access: 'invite' }));
  return t;
}

describe('partner pages', () => {
  it('set no cookie, whatever the request and its outcome', async () => {
    const t = await setUp();
    const all = await partnerResponses(t);
    expect(all.posted.statusCode).toBe(303);
    expect(all.postedInvalid.statusCode).toBe(400);
    expect(all.postedNoCode.statusCode).toBe(403);
    expect(all.apiSubmit.statusCode).toBe(201);
    for (const [name, res] of Object.entries(all)) expect(res.headers['set-cookie'], name).toBeUndefined();
  });

  it('send a strict Content-Security-Policy and Referrer-Policy: no-referrer', async () => {
    const t = await setUp();
    for (const [name, res] of Object.entries(await partnerResponses(t))) {
      const csp = String(res.headers['content-security-policy'] ?? '');
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k!, v]));
      expect(directives['default-src'], name).toEqual(["'none'"]);
      expect(csp, name).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:|data:/);
      for (const [directive, sources] of Object.entries(directives)) {
        for (const source of sources) expect(["'self'", "'none'"], `${name} ${directive}`).toContain(source);
      }
      expect(directives['form-action'], name).toEqual(["'self'"]);
      expect(directives['frame-ancestors'], name).toEqual(["'none'"]);
      expect(directives['script-src'] ?? directives['default-src'], name).toEqual(["'none'"]);
      expect(res.headers['referrer-policy'], name).toBe('no-referrer');
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
    }
  });

  it('load nothing from a third party and run no script', async () => {
    const t = await setUp();
    const all = await partnerResponses(t);
    for (const [name, res] of Object.entries(all)) {
      if (!String(res.headers['content-type']).startsWith('text/html')) continue;
      const html = res.body;
      expect(html, name).not.toMatch(/<script|<iframe|<object|<embed|\son[a-z]+=/i);
      expect(html, name).toContain('<meta name="referrer" content="no-referrer"');
      const urls = [
        ...tags(html, 'a').map((a) => attr(a, 'href')),
        ...tags(html, 'link').map((l) => attr(l, 'href')),
        ...tags(html, 'img').map((i) => attr(i, 'src')),
        ...tags(html, 'form').map((f) => attr(f, 'action')),
      ].filter((u): u is string => u !== undefined);
      expect(urls.length, name).toBeGreaterThan(0);
      for (const url of urls) expect(url, `${name}: ${url}`).toMatch(/^(\/(?!\/)|#)/);
      expect(html, name).not.toMatch(/https?:\/\//);
    }
    expect(all.css.body).not.toMatch(/https?:|\/\/|@import|@font-face/);
  });
});

describe('GET /healthz', () => {
  it('answers 200 { status: "ok" } while the database answers, and an error once it does not', async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    t.db.close();
    const down = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBeGreaterThanOrEqual(500);
    expect(down.body).not.toContain('"ok"');
  });
});

describe('GET /docs', () => {
  it('serves an OpenAPI document generated from the route schemas', async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>; components?: { schemas?: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths['/api/surveys'] ?? {}).sort()).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/api/surveys/{slug}'] ?? {}).sort()).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(Object.keys(doc.paths['/healthz'] ?? {})).toContain('get');
    const submitDoc = doc.paths['/api/surveys/{slug}/responses']?.post;
    expect(submitDoc).toBeDefined();
    expect(Object.keys(submitDoc!.responses).sort()).toEqual(expect.arrayContaining(['201', '400', '403', '404', '409', '413', '429']));
    expect(submitDoc!.requestBody).toBeDefined();
    expect(JSON.stringify(doc)).toContain('inviteCode');
    // Partner pages are HTML, not API: they are not listed.
    expect(Object.keys(doc.paths)).not.toContain('/s/{slug}');
    const ui = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });
});
