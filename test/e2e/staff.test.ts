/**
 * The staff console in a real browser (issue 5): a staff member signs in, creates a round by
 * pasting its definition (first with mistakes, shown in their language), opens it, releases
 * interim results while partners answer, closes it and downloads the results as CSV in the page's
 * language; makes invitation codes for another round, on a page that says who could send made-up
 * answers and how to keep nobody holding spare codes (§2), and that makes none once the survey has
 * closed (§5). axe-core (WCAG 2.1 AA) finds no violation on any page visited, in English, Spanish
 * and French.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { sampleAnswers, sampleSurvey } from '../helpers.js';
import { expectAccessible, tabTo, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);


const accessible = expectAccessible;

/** Clicks something that loads a new page and waits for it. */
async function navigate(page: Page, click: () => Promise<void>) {
  await Promise.all([page.waitForNavigation(), click()]);
}

async function submitResponses(slug: string, n: number, extra: Record<string, unknown> = {}) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${candor.baseUrl}/api/surveys/${slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: sampleAnswers({ region: ['africa', 'americas', 'asia'][i % 3], speak_freely: 1 + (i % 5) }), ...extra }),
    });
    expect(res.status, await res.text()).toBe(201);
  }
}

const notice = (page: Page) => page.locator('main .notice[role=status]').first().textContent();
const setting = (page: Page, label: string) => page.locator('dl.settings dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent();

function brokenDefinition(slug: string): unknown {
  const def = structuredClone(sampleSurvey({ slug })) as unknown as { questions: Record<string, unknown>[] };
  delete (def.questions[1]!.prompt as Record<string, string>).es;
  def.questions[3]!.id = 'region';
  return def;
}

describe('a staff member runs a round from the browser', () => {
  for (const locale of LOCALES) {
    it(`signs in, creates, opens, releases, closes and downloads the CSV — accessible throughout (${locale})`, async () => {
      const t = tr(locale);
      const slug = `round-${locale}`;
      const definition: SurveyDefinition = { ...sampleSurvey({ slug }), interimReleases: true };
      const page = await (await candor.newContext({ acceptDownloads: true })).newPage();

      // Not signed in: the staff home leads to the login page, in the same language.
      await page.goto(`/staff?lang=${locale}`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await page.locator('h1').textContent()).toBe(t('access:login_title'));
      await accessible(page, `login (${locale})`);

      // A wrong token first: the error is announced, and the page stays accessible.
      await page.fill('#token', 'cnd_not-a-real-token');
      await navigate(page, () => page.click('main button[type=submit]'));
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await page.locator('#token').getAttribute('aria-invalid')).toBe('true');
      await accessible(page, `login with an error (${locale})`);

      await page.fill('#token', candor.staffToken);
      await navigate(page, () => page.click('main button[type=submit]'));
      expect(new URL(page.url()).pathname).toBe('/staff');
      expect(await page.locator('h1').textContent()).toBe(t('staff:home_title'));
      await accessible(page, `staff home (${locale})`);

      // Create: first a definition with mistakes, each listed with its path in the page language.
      await navigate(page, () => page.click(`main a[href="/staff/surveys/new?lang=${locale}"]`));
      expect(await page.locator('h1').textContent()).toBe(t('builder:new_title'));
      await accessible(page, `create page (${locale})`);
      await page.fill('#definition-text', JSON.stringify(brokenDefinition(slug), null, 2));
      await navigate(page, () => page.click('main form[enctype="multipart/form-data"] button[type=submit]'));
      expect(await page.locator('.error-summary h2').textContent()).toBe(t('errors:invalid_definition'));
      const problems = await page.locator('.error-summary li').allTextContents();
      expect(problems).toContain(`$.questions[1].prompt.es ${t('problems:missing_translation')}`);
      expect(problems).toContain(`$.questions[3].id ${t('problems:duplicate_id', { id: 'region' })}`);
      expect(JSON.parse(await page.locator('#definition-text').inputValue())).toEqual(brokenDefinition(slug));
      await accessible(page, `create page with validation errors (${locale})`);

      // Corrected, pasted again: the draft's page.
      await page.fill('#definition-text', JSON.stringify(definition, null, 2));
      await navigate(page, () => page.click('main form[enctype="multipart/form-data"] button[type=submit]'));
      expect(new URL(page.url()).pathname).toBe(`/staff/surveys/${slug}`);
      expect(await notice(page)).toContain(t('staff:done.created'));
      expect(await page.locator('h1').textContent()).toBe(definition.title[locale]);
      expect(await setting(page, t('staff:status_label'))).toBe(t('staff:status.draft'));
      await accessible(page, `survey page, draft (${locale})`);

      // Preview it, as partners will see it, in French on a phone: marked, posting nowhere.
      const phone = await (await candor.newContext({ viewport: { width: 375, height: 740 } })).newPage();
      await phone.goto(`/login?lang=fr`);
      await phone.fill('#token', candor.staffToken);
      await navigate(phone, () => phone.click('main button[type=submit]'));
      await phone.goto(`/staff/surveys/${slug}/preview?lang=fr`);
      expect(await phone.locator('.notice.preview').textContent()).toContain(tr('fr')('form:preview_banner'));
      expect(await phone.locator('main form').getAttribute('action')).toBeNull();
      expect(await phone.locator('h1').textContent()).toBe(definition.title.fr);
      await accessible(phone, `preview of a draft, in French on a phone (from ${locale})`);

      // Open it, after a page that says what opening locks.
      await navigate(page, () => page.getByRole('link', { name: t('staff:open'), exact: true }).click());
      expect(await page.locator('main p.lede').textContent()).toBe(t('staff:confirm_open_locks'));
      await accessible(page, `confirmation before opening (${locale})`);
      await navigate(page, () => page.getByRole('button', { name: t('staff:confirm_open_submit'), exact: true }).click());
      expect(await notice(page)).toContain(t('staff:done.opened'));
      expect(await setting(page, t('staff:status_label'))).toBe(t('staff:status.open'));
      await accessible(page, `survey page, open (${locale})`);

      // Partners answer meanwhile; the page shows the live count only.
      await submitResponses(slug, 6);
      await page.reload();
      expect(await setting(page, t('staff:responses_live'))).toBe(new Intl.NumberFormat(locale).format(6));

      // Interim results, released from the page.
      await navigate(page, () => page.getByRole('button', { name: t('staff:release'), exact: true }).click());
      expect(await notice(page)).toContain(t('staff:done.released'));
      await accessible(page, `survey page, open with a release (${locale})`);

      // Close it: the page answers at once, and the final release follows.
      await navigate(page, () => page.getByRole('link', { name: t('staff:close'), exact: true }).click());
      expect(await page.locator('main p.lede').textContent()).toBe(t('staff:confirm_close_locks'));
      await accessible(page, `confirmation before closing (${locale})`);
      await navigate(page, () => page.getByRole('button', { name: t('staff:confirm_close_submit'), exact: true }).click());
      expect(await notice(page)).toContain(t('staff:done.closed'));
      expect(await setting(page, t('staff:status_label'))).toBe(t('staff:status.closed'));
      expect(await page.getByRole('link', { name: t('staff:close'), exact: true }).count()).toBe(0);
      await accessible(page, `survey page, closed (${locale})`);

      // Once the final results are out (the job takes its calls one at a time: this one waits for
      // the release made at the close), no button offers a release that could only fail.
      await candor.app.releases.release({ slug });
      await page.reload();
      expect(await page.getByRole('button', { name: t('staff:release'), exact: true }).count()).toBe(0);

      // The CSV, in the page's language.
      const here = page.url();
      const link = page.locator(`main a[href="/api/surveys/${slug}/results.csv?lang=${locale}"]`);
      expect(await link.getAttribute('hreflang')).toBe(locale);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-results-\\d{4}-\\d{2}-\\d{2}-${locale}\\.csv$`));
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.startsWith('\ufeff')).toBe(true);
      const lines = csv.slice(1).trim().split(/\r?\n/);
      const header = ['survey', 'question_id', 'question', 'breakdown', 'group', 'respondents', 'answer_value', 'answer', 'count', 'percent', 'mean', 'note'].map((c) => t(`results:csv.${c}`));
      // Separated as this language's spreadsheets expect: "," in English, ";" in Spanish and French.
      const separator = locale === 'en' ? ',' : ';';
      expect(lines[0]).toBe(header.join(separator));
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines.slice(1)) expect(line.split(separator).length).toBeGreaterThanOrEqual(header.length);
      expect(csv).toContain(definition.questions[1]!.prompt[locale]);
      expect(csv).toContain(t('results:respondents'));
      // Downloading left the page where it was. (Chromium reports the navigation that became a
      // download as aborted: that one report is expected, anything else is not.)
      expect(page.url()).toBe(here);
      const aborted = candor.consoleErrors.findIndex((e) => e.includes(`document ${candor.baseUrl}/api/surveys/${slug}/results.csv?lang=${locale} failed: net::ERR_ABORTED`));
      if (aborted !== -1) candor.consoleErrors.splice(aborted, 1);

      // Prepare the next round: a draft with the same questions, in the same series.
      await page.goto(`/staff/surveys/${slug}?lang=${locale}`);
      // With the keyboard alone: to the address field, a new address, then to the button.
      await tabTo(page, '#next-slug', 200);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(`${slug}-next`);
      await tabTo(page, 'main form[action*="/duplicate"] button[type=submit]', 20);
      await navigate(page, () => page.keyboard.press('Enter'));
      expect(new URL(page.url()).pathname).toBe(`/staff/surveys/${slug}-next`);
      expect(await notice(page)).toContain(t('staff:done.duplicated'));
      expect(await setting(page, t('staff:status_label'))).toBe(t('staff:status.draft'));
      expect(await page.locator('ol.questions > li').count()).toBe(definition.questions.length);
      await accessible(page, `the next round's draft (${locale})`);

      // Back on the list: the round, closed, with its six responses.
      await navigate(page, () => page.click(`main a[href="/staff?lang=${locale}"]`));
      const row = page.locator('tbody tr', { hasText: slug });
      expect(await row.locator('td').nth(0).textContent()).toBe(t('staff:status.closed'));
      expect(await row.locator('td').nth(1).textContent()).toBe(new Intl.NumberFormat(locale).format(6));
      await accessible(page, `staff home with surveys (${locale})`);
    });

    it(`makes invitation codes and shows them once — accessible (${locale})`, async () => {
      const t = tr(locale);
      const slug = `codes-${locale}`;
      await candor.openSurvey(sampleSurvey({ slug, access: 'invite' }));
      const page = await (await candor.newContext()).newPage();
      await page.goto(`/login?lang=${locale}`);
      await page.fill('#token', candor.staffToken);
      await navigate(page, () => page.click('main button[type=submit]'));

      await page.goto(`/staff/surveys/${slug}?lang=${locale}`);
      expect(await setting(page, t('staff:codes_spent'))).toBe(t('staff:codes_of', { spent: 0, issued: 0 }));
      await accessible(page, `survey page, invite-only (${locale})`);
      await navigate(page, () => page.click(`main a[href="/staff/surveys/${slug}/invites?lang=${locale}"]`));
      await accessible(page, `invitation codes page (${locale})`);

      await page.fill('#count', '5');
      await navigate(page, () => page.getByRole('button', { name: t('staff:generate_show'), exact: true }).click());
      const codes = (await page.locator('tbody tr td:first-child code').allTextContents()).map((c) => c.trim());
      expect(codes).toHaveLength(5);
      for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(await page.locator('h2#new-codes').textContent()).toBe(t('staff:new_codes', { count: 5 }));
      await accessible(page, `invitation codes page with codes shown (${locale})`);

      // Seven more, printed as cards: six to an A4 page, so two pages.
      await page.goto(`/staff/surveys/${slug}/invites?lang=${locale}`);
      // With the keyboard alone: to the number field, 7, then to the cards button.
      await tabTo(page, '#count', 200);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('7');
      await tabTo(page, 'button[value=cards]', 20);
      await navigate(page, () => page.keyboard.press('Enter'));
      expect(await page.locator('li.card').count()).toBe(7);
      expect(await page.locator('li.card svg').count()).toBe(7);
      await accessible(page, `invitation cards (${locale})`);
      // Printed, each card holds all it says: at an A4 page's width (19 cm between margins), nothing overflows.
      const viewport = page.viewportSize()!;
      await page.setViewportSize({ width: 718, height: 1050 });
      await page.emulateMedia({ media: 'print' });
      const overflowing = await page.locator('li.card').evaluateAll((cards) => cards.filter((c) => c.scrollHeight > c.clientHeight + 1).length);
      expect(overflowing).toBe(0);
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize(viewport);
      const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(2);

      // A partner follows a link: the code is in the field; the response is stored; staff see one code spent.
      const partner = await (await candor.newContext()).newPage();
      await partner.goto(`/s/${slug}?code=${codes[0]}&lang=${locale}`);
      expect(await partner.locator('#invite-code').inputValue()).toBe(codes[0]);
      await partner.check('#q-speak_freely-3');
      await Promise.all([partner.waitForURL(`**/s/${slug}/thanks?lang=${locale}`), partner.click('#send')]);
      await page.goto(`/staff/surveys/${slug}/invites?lang=${locale}`);
      expect(await page.locator('tbody tr').count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain(t('staff:codes_of_long', { spent: 1, issued: 12 }));
      // Who could send made-up answers, and how a round keeps nobody holding spare codes: before the form.
      const warning = page.locator('main section[aria-labelledby="invented-title"]');
      expect(await warning.locator('h2').textContent()).toBe(t('staff:invented_title'));
      expect(await warning.textContent()).toContain(t('staff:invented_howto'));
      expect(await page.locator('#invented-title').evaluate((h) => h.compareDocumentPosition(document.querySelector('#count')!) & Node.DOCUMENT_POSITION_FOLLOWING)).toBeTruthy();

      // Closed and released: no more codes (§5), and the page says why instead of offering the form.
      const closed = await fetch(`${candor.baseUrl}/api/surveys/${slug}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${candor.staffToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'closed' }),
      });
      expect(closed.status).toBe(200);
      await candor.app.releases.release({ slug });
      await page.goto(`/staff/surveys/${slug}/invites?lang=${locale}`);
      expect(await page.locator('#count').count()).toBe(0);
      expect(await notice(page)).toBe(t('errors:survey_closed'));
      await accessible(page, `invitation codes page of a closed survey (${locale})`);
    });
  }
});

describe('the signed-in pages fit their screen', () => {
  /** Signs in with a token in a fresh context of this size; answers the page. */
  async function signedIn(token: string, width: number, locale: Locale) {
    const page = await (await candor.newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(`/login?lang=${locale}`);
    await page.fill('#token', token);
    await navigate(page, () => page.click('main button[type=submit]'));
    return page;
  }

  for (const locale of LOCALES) {
    it(`keeps the header's language links on one line on the staff and Working Group homes at 1280 px (${locale})`, async () => {
      const wg = candor.app.tokens.create('wg', `e2e Working Group (${locale})`);
      for (const [token, path] of [
        [candor.staffToken, '/staff'],
        [wg, '/wg'],
      ] as const) {
        const page = await signedIn(token, 1280, locale);
        await page.goto(`${path}?lang=${locale}`);
        const tops = await page.locator('header nav.langs a').evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
        expect(tops, `${path} (${locale})`).toHaveLength(3);
        expect(new Set(tops).size, `${path} (${locale}): ${tops.join(', ')}`).toBe(1);
      }
    });

    it(`fits the staff home's surveys to a 375 px phone, one survey under another, still a table (${locale})`, async () => {
      const t = tr(locale);
      await candor.openSurvey({ ...sampleSurvey({ slug: `a-phone-round-with-a-long-address-${locale}`, access: 'invite' }) });
      const page = await signedIn(candor.staffToken, 375, locale);
      await page.goto(`/staff?lang=${locale}`);
      // Nothing scrolls sideways: neither the page nor the table's region.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const region = page.locator('main .scroll');
      expect(await region.evaluate((r) => r.scrollWidth - r.clientWidth)).toBeLessThanOrEqual(0);
      const right = await region.evaluate((r) => r.getBoundingClientRect().right);
      for (const box of await page.locator('main table caption, main table th[scope=row], main table td').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))) {
        expect(box).toBeLessThanOrEqual(right + 0.5);
      }
      // Each figure stands under its column's name, which a screen reader still hears from the <th>.
      const row = page.locator('tbody tr', { hasText: `a-phone-round-with-a-long-address-${locale}` });
      const codes = row.locator('td').nth(2);
      expect(await codes.evaluate((td) => getComputedStyle(td, '::before').content)).toContain(t('staff:codes_spent'));
      expect(await codes.getAttribute('data-label')).toBe(t('staff:codes_spent'));
      expect(await page.locator('main table thead th').allTextContents()).toEqual([t('staff:survey'), t('staff:status_label'), t('staff:responses'), t('staff:codes_spent')]);
      expect(await page.getByRole('table').count()).toBe(1);
      expect(await page.getByRole('columnheader').count()).toBe(4);
      await accessible(page, `staff home at 375 px (${locale})`);
      // At 1280 px the same table keeps its columns side by side.
      await page.setViewportSize({ width: 1280, height: 900 });
      const tops = await row.locator('th, td').evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
    });
  }

  it('shows each survey\'s links on the Working Group home as a plain list, on a 375 px phone in French', async () => {
    const slug = 'wg-links-fr';
    await candor.openSurvey(sampleSurvey({ slug }));
    const closed = await fetch(`${candor.baseUrl}/api/surveys/${slug}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${candor.staffToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(closed.status).toBe(200);
    const page = await signedIn(candor.app.tokens.create('wg', 'e2e Working Group (links)'), 375, 'fr');
    await page.goto('/wg?lang=fr');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const items = page.locator('ul.surveys > li', { has: page.locator(`a[href="/s/${slug}/results?lang=fr"]`) }).locator('ul > li');
    expect(await items.count()).toBe(4);
    // No bullet and no rule on each link: only the surveys are ruled apart.
    const styles = await items.evaluateAll((lis) => lis.map((li) => [getComputedStyle(li).listStyleType, getComputedStyle(li).borderTopWidth]));
    expect(styles).toEqual(Array(4).fill(['none', '0px']));
    expect(await page.locator('ul.surveys > li').first().evaluate((li) => getComputedStyle(li).borderTopWidth)).toBe('1px');
    await accessible(page, 'Working Group home at 375 px (fr)');
  });
});
