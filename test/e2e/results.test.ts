/**
 * The results page in a real browser (§7), in all three languages: charts and tables, breakdowns,
 * the one marker for every figure not shown, numbers in the reader's format; the codes issued,
 * how the release was checked and the command that checks it again (§5, §6 rule 8); comments the
 * Working Group shared without their question, under "Other comments" (§8); an interim release
 * and a survey open to anyone, each saying why it shows less. axe-core (WCAG 2.2 AA) finds
 * nothing; the pages work at 320 px without sideways scrolling and with the keyboard. The charts
 * and tables (issue 13, item 5) at 375 px and 1280 px: bars that reflow, a short marker with its
 * legend that is never clipped, breakdown tables that never scroll sideways.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { L, sampleSurvey } from '../helpers.js';
import { axeViolations, expectAccessible, focusIsVisible, tabTo, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const SLUG = 'resultats-e2e';
const INTERIM = 'interim-e2e';
const FOR_EVERYONE = 'ouvert-e2e';
const KEEP = ['Keep the mentoring in our language.', 'Keep the small learning grants.'];
const SHARED = 'idea 3: more time for peer exchange';


async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${candor.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function answer(slug: string, n: number, inviteCodes: string[] = []) {
  // africa large and varied, americas varied, asia small (hidden), some skip the grouping question.
  const regions = ['africa', 'africa', 'americas', 'africa', 'americas', 'asia', null, 'africa'];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${candor.baseUrl}/api/surveys/${slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        answers: {
          region: regions[i % regions.length],
          speak_freely: 1 + ((i * 7) % 5),
          activities: i % 4 ? ['calls'] : ['calls', 'visits'],
          usefulness: (i * 3) % 11,
          suggestions: i === 3 ? SHARED : `idea ${i}`,
          ...(slug === SLUG && i < KEEP.length ? { keep: KEEP[i] } : {}),
        },
        ...(inviteCodes[i] ? { inviteCode: inviteCodes[i] } : {}),
      }),
    });
    expect(res.status).toBe(201);
  }
}

beforeAll(async () => {
  // An invite-only round (breakdowns are published only there), 40 codes issued, 24 answered,
  // with a second comment question that draws too few comments to be named in the review.
  const base = sampleSurvey({ slug: SLUG, access: 'invite' });
  const def: SurveyDefinition = {
    ...base,
    questions: [...base.questions, { id: 'keep', type: 'text', maxLength: 2000, prompt: L('What should we keep?', '¿Qué deberíamos mantener?', 'Que faudrait-il garder ?') }],
  };
  await candor.openSurvey(def);
  const { codes } = (await api(candor.staffToken, 'POST', `/api/surveys/${SLUG}/invites`, { count: 40 })) as { codes: string[] };
  await answer(SLUG, 24, codes);
  await api(candor.staffToken, 'PATCH', `/api/surveys/${SLUG}`, { status: 'closed' });
  await candor.app.releases.release({ slug: SLUG });

  // The Working Group publishes ten comments (eight of one question: minComments) and shares three:
  // the two of the other question, too few to name it, come without their question.
  const wg = candor.app.tokens.create('wg', 'e2e-results-wg');
  const queue = (await api(wg, 'GET', `/api/surveys/${SLUG}/comments`)) as { id: string; text: string }[];
  for (const c of queue.filter((c) => KEEP.includes(c.text) || /^idea [0-7]\b/.test(c.text))) {
    await api(wg, 'PATCH', `/api/comments/${c.id}`, { status: 'published', shareWithPartners: KEEP.includes(c.text) || c.text === SHARED });
  }
  await api(wg, 'POST', `/api/surveys/${SLUG}/review/publish`);

  // An interim release of a survey open to anyone, and the final release of another.
  await candor.openSurvey(sampleSurvey({ slug: INTERIM, interimReleases: true }));
  await answer(INTERIM, 6);
  await api(candor.staffToken, 'POST', `/api/surveys/${INTERIM}/release`);
  await candor.openSurvey(sampleSurvey({ slug: FOR_EVERYONE }));
  await answer(FOR_EVERYONE, 16);
  await api(candor.staffToken, 'PATCH', `/api/surveys/${FOR_EVERYONE}`, { status: 'closed' });
  await candor.app.releases.release({ slug: FOR_EVERYONE });
});

/** axe at desktop width and at 320 px, where nothing may be wider than the screen. */
async function accessibleAtEveryWidth(page: Page, label: string) {
  expect(await axeViolations(page, label)).toEqual([]);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${label} scrolls sideways at 320 px`).toBe(true);
  expect(await axeViolations(page, `${label} at 320 px`)).toEqual([]);
}

/** Visible text, with French no-break spaces read as plain ones. */
const plain = (s: string | null) => (s ?? '').replace(/\s+/g, ' ');

describe('the results page', () => {
  for (const locale of LOCALES) {
    it(`shows charts, tables, breakdowns, the marker, the codes issued, the audit and other comments in ${locale}, with zero axe violations`, async () => {
      const t = (key: string, options: Record<string, unknown> = {}) => plain(i18n.getFixedT(locale)(key, options));
      const context = await candor.newContext();
      const page = await context.newPage();
      await page.goto(`${candor.baseUrl}/s/${SLUG}/results?lang=${locale}`);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await page.locator('.chart .bar-row').count()).toBeGreaterThan(0);
      expect(await page.locator('table').count()).toBeGreaterThan(await page.locator('.chart').count());
      const text = plain(await page.locator('main').textContent());
      expect(text).toContain(t('results:marker'));
      expect(text).toContain(t('results:by', { question: sampleSurvey().questions[0]!.prompt[locale] }));
      // A mean formatted for the language: a decimal comma in Spanish and French.
      const means = await page.locator('tfoot td.num').allTextContents();
      expect(means.some((m) => (locale === 'en' ? /^\d+\.\d\d$/ : /^\d+,\d\d$/).test(m.trim()))).toBe(true);

      // §5: the codes issued, and why they are shown.
      expect(text).toContain(t('common:codes_issued', { count: 40, formatted: '40' }));
      expect(text).toContain(t('common:codes_issued_why'));
      // §6 rule 8: checked, and how to check again, on the address this reader used.
      const release = (await (await fetch(`${candor.baseUrl}/api/surveys/${SLUG}/results`)).json()) as { audit: { hiddenFigures: number } };
      const audit = page.locator('section[aria-labelledby="audit-title"]');
      expect(plain(await audit.textContent())).toContain(t('results:audit_hidden', { count: release.audit.hiddenFigures, formatted: new Intl.NumberFormat(locale).format(release.audit.hiddenFigures) }));
      expect(await audit.locator('pre.command').textContent()).toBe(`npm run audit -- ${candor.baseUrl}/api/surveys/${SLUG}/results`);
      // §8: the comments shared without their question, after the questions.
      const others = page.locator('section[aria-labelledby="other-comments"]');
      expect(await others.locator('h2').textContent()).toBe(i18n.getFixedT(locale)('review:other_comments'));
      for (const keep of KEEP) expect(await others.textContent()).toContain(keep);
      expect(await page.locator('section[aria-labelledby="q-suggestions"]').textContent()).toContain(SHARED);

      await accessibleAtEveryWidth(page, `results page (${locale})`);
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

  for (const locale of LOCALES) {
    it(`says why an interim release shows the count only, and why an open survey has no breakdowns (${locale})`, async () => {
      const t = (key: string, options: Record<string, unknown> = {}) => plain(i18n.getFixedT(locale)(key, options));
      const context = await candor.newContext();
      const page = await context.newPage();

      await page.goto(`${candor.baseUrl}/s/${INTERIM}/results?lang=${locale}`);
      const interim = plain(await page.locator('main').textContent());
      expect(interim).toContain(t('results:explain_interim', { k: 5 }));
      expect(await page.locator('main .chart, main table').count()).toBe(0);
      expect(await page.locator('#audit-title').count()).toBe(0);
      await accessibleAtEveryWidth(page, `interim results page (${locale})`);

      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${candor.baseUrl}/s/${FOR_EVERYONE}/results?lang=${locale}`);
      expect(plain(await page.locator('main').textContent())).toContain(t('results:explain_open'));
      expect(await page.locator('caption[id^="bd-"]').count()).toBe(0);
      expect(await page.locator('#audit-title').count()).toBe(1);
      await accessibleAtEveryWidth(page, `results page of a survey open to anyone (${locale})`);
      await context.close();
    });
  }

  for (const [width, height] of [[375, 800], [1280, 900]] as const) {
    for (const locale of LOCALES) {
      it(`fits its charts and breakdown tables to ${width} px in ${locale}: nothing clipped, nothing scrolls sideways, by keyboard, zero axe violations`, async () => {
        const t = (key: string, options: Record<string, unknown> = {}) => plain(i18n.getFixedT(locale)(key, options));
        const context = await candor.newContext({ viewport: { width, height } });
        const page = await context.newPage();
        await page.goto(`${candor.baseUrl}/s/${SLUG}/results?lang=${locale}`);

        // Nothing wider than the screen: the page, and every breakdown table inside its region.
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'the page scrolls sideways').toBe(true);
        const regions = page.locator('.scroll.cells');
        expect(await regions.count()).toBeGreaterThan(2);
        const wide = await regions.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.querySelector('caption')?.textContent));
        expect(wide, 'breakdown tables that scroll sideways').toEqual([]);

        // Everyone ticked calls: its bar is the short marker, whole, and the legend under the chart says it in words.
        const chart = page.locator('section[aria-labelledby="q-activities"] .chart');
        const shorts = (await chart.locator('.marker-short').allInnerTexts()).map(plain);
        expect(shorts.length).toBeGreaterThan(0);
        expect(new Set(shorts)).toEqual(new Set([t('results:marker_short')]));
        expect(plain(await chart.locator('.legend').innerText())).toBe(t('results:marker_legend', { short: i18n.getFixedT(locale)('results:marker_short') }));
        const clipped = await page.evaluate(() => {
          const out: string[] = [];
          for (const el of Array.from(document.querySelectorAll<HTMLElement>('.marker-short, .legend, .bar-label'))) {
            const box = el.getBoundingClientRect();
            if (el.scrollWidth > el.clientWidth || box.right > window.innerWidth) out.push(el.textContent ?? '');
          }
          // The full marker, in the tables: inside the screen, and its cell does not overflow.
          for (const el of Array.from(document.querySelectorAll<HTMLElement>('.marker'))) {
            const cell = el.closest('td, p')!;
            if (el.getBoundingClientRect().right > window.innerWidth || cell.scrollWidth > cell.clientWidth) out.push(el.textContent ?? '');
          }
          return out;
        });
        expect(clipped, 'clipped markers or labels').toEqual([]);
        // Labels are readable: no more 8-px text in the charts.
        const smallest = await page.evaluate(() => Math.min(...Array.from(document.querySelectorAll('.bar-label, .marker-short, .bar-row .value, .legend'), (el) => parseFloat(getComputedStyle(el).fontSize))));
        expect(smallest).toBeGreaterThanOrEqual(14);

        // A table where it fits, each row stacked where it does not: on a phone each figure shows its answer.
        const firstBreakdown = page.locator('section[aria-labelledby="q-speak_freely"] .scroll.cells').first();
        const head = firstBreakdown.locator('tbody td .head').first();
        const columnHeaders = firstBreakdown.locator('thead');
        if (width < 600) {
          expect(await head.isVisible()).toBe(true);
          expect(plain(await head.innerText())).toBe(t('results:respondents_short'));
          expect(await columnHeaders.evaluate((el) => el.getBoundingClientRect().width <= 1)).toBe(true);
        } else {
          expect(await head.isVisible()).toBe(false);
          expect(await columnHeaders.isVisible()).toBe(true);
          expect(await firstBreakdown.evaluate((el) => getComputedStyle(el.querySelector('tr')!).display)).toBe('table-row');
        }

        // By keyboard: the breakdown's region is reached with Tab, its focus visible.
        await tabTo(page, '.scroll.cells', 80);
        expect(await focusIsVisible(page)).toBe(true);
        await expectAccessible(page, `results charts and tables (${width} px, ${locale})`);
        await context.close();
      });
    }
  }
});
