/**
 * The results page in a real browser (§7), in all three languages: charts and tables, breakdowns,
 * the one marker for every figure not shown, numbers in the reader's format; axe-core (WCAG 2.1
 * AA) finds nothing; the page works at 320 px without sideways scrolling and with the keyboard.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { sampleSurvey } from '../helpers.js';
import { axeViolations, focusIsVisible, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const SLUG = 'resultats-e2e';

afterEach(() => {
  expect(candor.consoleErrors.splice(0)).toEqual([]);
});

beforeAll(async () => {
  await candor.openSurvey(sampleSurvey({ slug: SLUG }));
  // 24 answers: africa large and varied, americas varied, asia small (hidden), some skip the
  // grouping question: a released page with published breakdowns and suppressed cells.
  const regions = ['africa', 'africa', 'americas', 'africa', 'americas', 'asia', null, 'africa'];
  for (let i = 0; i < 24; i++) {
    const res = await fetch(`${candor.baseUrl}/api/surveys/${SLUG}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        answers: { region: regions[i % regions.length], speak_freely: 1 + ((i * 7) % 5), activities: i % 4 ? ['calls'] : ['calls', 'visits'], usefulness: (i * 3) % 11, suggestions: `idea ${i}` },
      }),
    });
    expect(res.status).toBe(201);
  }
  const closed = await fetch(`${candor.baseUrl}/api/surveys/${SLUG}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${candor.staffToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'closed' }),
  });
  expect(closed.status).toBe(200);
});

describe('the results page', () => {
  for (const locale of LOCALES) {
    it(`shows charts, tables, breakdowns and the marker in ${locale}, with zero axe violations`, async () => {
      const t = i18n.getFixedT(locale);
      const context = await candor.newContext();
      const page = await context.newPage();
      await page.goto(`${candor.baseUrl}/s/${SLUG}/results?lang=${locale}`);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await page.locator('svg.chart').count()).toBeGreaterThan(0);
      expect(await page.locator('table').count()).toBeGreaterThan(await page.locator('svg.chart').count());
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain(t('results:marker'));
      expect(text).toContain(t('results:by', { question: sampleSurvey().questions[0]!.prompt[locale] }));
      // A mean formatted for the language: a decimal comma in Spanish and French.
      const means = await page.locator('tfoot td.num').allTextContents();
      expect(means.some((m) => (locale === 'en' ? /^\d+\.\d\d$/ : /^\d+,\d\d$/).test(m.trim()))).toBe(true);
      expect(await axeViolations(page, `results page (${locale})`)).toEqual([]);
      // Readable on a phone: nothing wider than the screen.
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      expect(await axeViolations(page, `results page at 320 px (${locale})`)).toEqual([]);
      // Wide breakdown tables scroll inside their own region, which the keyboard can reach.
      const regions = page.locator('.scroll[tabindex="0"]');
      expect(await regions.count()).toBeGreaterThan(0);
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(`document.activeElement?.classList.contains('scroll') === true`);
      }
      expect(reached).toBe(true);
      expect(await focusIsVisible(page)).toBe(true);
      await context.close();
    });
  }
});
