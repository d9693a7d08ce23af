/**
 * No page sits in a cache (issue 10, defect 4): every HTML reply says `no-store`, and
 * `private, no-store` when the reader is signed in — the invitation form with its code, a form
 * re-shown with a partner's answers, the thank-you page, results, errors, every staff and Working
 * Group page. The stylesheet may be cached.
 */
import { describe, expect, it } from 'vitest';
import { CSS_PATH } from '../../src/web/layout.js';
import { Client, signedIn } from '../access/client.js';
import { closeSurvey, inviteCodes, makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';

const SLUG = sampleSurvey().slug;
const INVITED = 'by-invitation';

async function released(t: TestApp) {
  await openSurvey(t);
  for (let i = 0; i < 6; i++) expect((await submit(t, SLUG, { answers: sampleAnswers({ speak_freely: 1 + (i % 5) }) })).statusCode).toBe(201);
  await closeSurvey(t, SLUG);
  await openSurvey(t, sampleSurvey({ slug: INVITED, access: 'invite' }));
}

function expectPage(res: { statusCode: number; headers: Record<string, unknown> }, url: string, cacheControl: string) {
  expect(String(res.headers['content-type']), url).toMatch(/^text\/html/);
  expect(res.headers['cache-control'], `${url} (${res.statusCode})`).toBe(cacheControl);
}

describe('Cache-Control on pages', () => {
  it('is no-store on every page a partner reads, whatever its status', async () => {
    const t = await makeApp();
    await released(t);
    const [code] = await inviteCodes(t, INVITED, 1);
    const anonymous = new Client(t);
    for (const url of ['/', `/s/${INVITED}?code=${code}`, `/s/${INVITED}`, `/s/${SLUG}/results?lang=fr`, '/login?lang=es', '/no-such-page', `/s/${SLUG}/thanks`, '/staff?lang=fr']) {
      const res = await anonymous.get(url);
      // /staff sends a signed-out reader to the sign-in page (a redirect has no page to cache).
      if (res.statusCode === 303) continue;
      expectPage(res, url, 'no-store');
    }
    // A form re-shown with the partner's answers and the code they typed.
    const refused = await postForm(t, `/s/${INVITED}?lang=fr`, { speak_freely: '4', suggestions: 'Mon commentaire', inviteCode: 'WRONG-CODE' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Mon commentaire');
    expectPage(refused, 'refused form', 'no-store');
    const invalid = await postForm(t, `/s/${INVITED}?lang=es`, { speak_freely: '9', inviteCode: code! });
    expect(invalid.statusCode).toBe(400);
    expectPage(invalid, 'invalid form', 'no-store');
  });

  it('is private, no-store on every page a signed-in reader gets, public pages included', async () => {
    const t = await makeApp();
    await released(t);
    const staff = await signedIn(t, 'staff');
    for (const url of ['/staff', `/staff/surveys/${SLUG}`, '/staff/surveys/new', `/staff/surveys/${INVITED}/invites`, '/', `/s/${SLUG}/results`, '/no-such-page']) {
      const res = await staff.get(url);
      expect(res.statusCode, url).toBe(url === '/no-such-page' ? 404 : 200);
      expectPage(res, url, 'private, no-store');
    }
    const wg = await signedIn(t, 'wg');
    const home = await wg.get('/wg');
    expect(home.statusCode).toBe(200);
    expectPage(home, '/wg', 'private, no-store');
    // Refused here (a review needs comments enough), and still a page for this reader only.
    expectPage(await wg.get(`/wg/${SLUG}/review`), 'review', 'private, no-store');
  });

  it('leaves the stylesheet cacheable', async () => {
    const t = await makeApp();
    const css = await t.app.inject({ url: CSS_PATH });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
  });
});
