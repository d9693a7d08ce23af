/**
 * Stylesheets by page: every page loads candor.css; signed-in pages add staff.css; only the pages
 * that draw charts and tables of figures (the results page, the meeting brief) add charts.css, so
 * that the partner form stays light (§4: under 30 KB with its stylesheets).
 */
import { describe, expect, it } from 'vitest';
import { CHARTS_CSS_PATH, CSS_PATH, STAFF_CSS_PATH } from '../../src/web/layout.js';
import { attr, tags } from '../html.js';
import { closeSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit } from '../helpers.js';
import { signedIn } from '../access/client.js';

const sheets = (html: string) => tags(html, 'link').filter((l) => attr(l, 'rel') === 'stylesheet').map((l) => attr(l, 'href'));

describe('stylesheets', () => {
  it('are served as CSS, and each page loads only those it uses', async () => {
    const t = await makeApp();
    const def = sampleSurvey();
    await openSurvey(t, def);
    for (let i = 0; i < 6; i++) expect((await submit(t, def.slug, { locale: 'en', answers: sampleAnswers({ region: 'africa' }) })).statusCode).toBe(201);
    for (const path of [CSS_PATH, STAFF_CSS_PATH, CHARTS_CSS_PATH]) {
      const res = await t.app.inject({ url: path });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/css/);
    }
    expect(sheets((await t.app.inject({ url: `/s/${def.slug}?lang=fr` })).body)).toEqual([CSS_PATH]);
    await closeSurvey(t, def.slug);
    expect(sheets((await t.app.inject({ url: `/s/${def.slug}/results?lang=fr` })).body)).toEqual([CSS_PATH, CHARTS_CSS_PATH]);
    const staff = await signedIn(t, 'staff');
    expect(sheets((await staff.get('/staff?lang=es')).body)).toEqual([CSS_PATH, STAFF_CSS_PATH]);
    // The brief draws figures beside themes once a review is published; before, it has none to draw.
    expect(sheets((await staff.get(`/wg/${def.slug}/brief?lang=es`)).body)).toEqual([CSS_PATH, STAFF_CSS_PATH]);
  });
});
