/**
 * Closing the loop in a real browser (§13), in all three languages, with axe (WCAG 2.1 AA) on every
 * page: staff answer the published review (a refused form first, then a commitment, then a change
 * of status), the Working Group adds its note, and partners find both on the results page, in the
 * printed brief and as "Since the last round" on the next round's form; a later round's results
 * compare the rounds side by side, with the marker where the earlier round hid a group.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { L, sampleSurvey } from '../helpers.js';
import { expectAccessible, tabTo, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);
/** Visible text, with French no-break spaces read as plain ones. */
const plain = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

const FIRST = 'avis-2026';
const SECOND = 'avis-2027';
const THIRD = 'avis-2028';
const TITLES = {
  [FIRST]: L('Partner feedback 2026', 'Opiniones de las organizaciones socias 2026', 'Avis des partenaires 2026'),
  [SECOND]: L('Partner feedback 2027', 'Opiniones de las organizaciones socias 2027', 'Avis des partenaires 2027'),
  [THIRD]: L('Partner feedback 2028', 'Opiniones de las organizaciones socias 2028', 'Avis des partenaires 2028'),
};
const THEME = L('Reporting', 'Informes', 'Rapports');
const HEARD = L('Reports take too long.', 'Los informes llevan demasiado tiempo.', 'Les rapports prennent trop de temps.');
const ACTION = L('One short annual report from July.', 'Un informe anual breve a partir de julio.', 'Un rapport annuel court à partir de juillet.');
const NOTE = L('We will check in September.', 'Lo comprobaremos en septiembre.', 'Nous vérifierons en septembre.');

let wgToken = '';

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

/** Answers an invite-only round: regions in these sizes (asia small in round one), a comment each. */
async function answer(slug: string, sizes: Record<string, number>) {
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const { codes } = (await api(candor.staffToken, 'POST', `/api/surveys/${slug}/invites`, { count: total })) as { codes: string[] };
  let i = 0;
  for (const [region, n] of Object.entries(sizes)) {
    for (let j = 0; j < n; j++, i++) {
      const res = await fetch(`${candor.baseUrl}/api/surveys/${slug}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          inviteCode: codes[i],
          answers: { region, speak_freely: 1 + ((i * 7) % 5), activities: i % 3 ? ['calls'] : ['calls', 'mentoring'], usefulness: (i * 3) % 11, suggestions: `Reporting idea ${i}` },
        }),
      });
      expect(res.status).toBe(201);
    }
  }
}

async function closeAndRelease(slug: string) {
  await api(candor.staffToken, 'PATCH', `/api/surveys/${slug}`, { status: 'closed' });
  await candor.app.releases.release({ slug });
}

beforeAll(async () => {
  wgToken = candor.app.tokens.create('wg', 'e2e-commitments-wg');
  // Round one: answered, closed, reviewed (one theme, eight comments published under it).
  await candor.openSurvey(sampleSurvey({ slug: FIRST, series: 'partner-feedback', access: 'invite', title: TITLES[FIRST] }));
  await answer(FIRST, { africa: 8, americas: 7, asia: 2 });
  await closeAndRelease(FIRST);
  const { id: themeId } = (await api(wgToken, 'POST', `/api/surveys/${FIRST}/themes`, { label: THEME, keywords: {} })) as { id: number };
  const queue = (await api(wgToken, 'GET', `/api/surveys/${FIRST}/comments`)) as { id: string }[];
  for (const c of queue.slice(0, 8)) await api(wgToken, 'PATCH', `/api/comments/${c.id}`, { status: 'published', themes: [themeId] });
  await api(wgToken, 'POST', `/api/surveys/${FIRST}/review/publish`);
  // Round two: the next round, answered and closed (it compares with round one).
  await api(candor.staffToken, 'POST', `/api/surveys/${FIRST}/duplicate`, { slug: SECOND, title: TITLES[SECOND] });
  await api(candor.staffToken, 'PATCH', `/api/surveys/${SECOND}`, { status: 'open' });
  await answer(SECOND, { africa: 9, americas: 9, asia: 6 });
  await closeAndRelease(SECOND);
  // Round three: open, its form tells partners what happened since.
  await api(candor.staffToken, 'POST', `/api/surveys/${SECOND}/duplicate`, { slug: THIRD, title: TITLES[THIRD] });
  await api(candor.staffToken, 'PATCH', `/api/surveys/${THIRD}`, { status: 'open' });
});

async function signIn(page: Page, token: string, locale: Locale) {
  await page.goto(`${candor.baseUrl}/login?lang=${locale}`);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('main button[type=submit]')]);
}

describe('staff answer the review, the Working Group adds its note', () => {
  it('with the keyboard: a refused form keeps what was typed; then a commitment, a change of status, and the note', async () => {
    const context = await candor.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, candor.staffToken, 'en');
    const t = tr('en');
    await page.goto(`${candor.baseUrl}/staff/surveys/${FIRST}`);
    await page.getByRole('link', { name: t('commitments:staff_link') }).click();
    await page.waitForURL(`**/staff/surveys/${FIRST}/commitments?lang=en`);
    await expectAccessible(page, 'commitments page, none yet');
    expect(plain(await page.locator('main').textContent())).toContain(plain(t('commitments:theme_open', { theme: THEME.en })));

    // Typed with the keyboard: the texts in English and French only, and "Not doing" without a reason.
    await tabTo(page, '#new-heard_en', 80);
    await page.keyboard.type(HEARD.en);
    await tabTo(page, '#new-heard_fr');
    await page.keyboard.type(HEARD.fr);
    await tabTo(page, '#new-status');
    await page.keyboard.press('End');
    await tabTo(page, 'form[action*="/commitments"] button[type=submit]');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('.error-summary h2').textContent()).toBe(t('errors:invalid_request'));
    expect(await page.locator('#new-heard_es').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#new-heard_fr').inputValue()).toBe(HEARD.fr);
    expect(await page.locator('#new-status').inputValue()).toBe('not_doing');
    await expectAccessible(page, 'commitments page, refused');

    // Put right: the missing texts, and "Planned".
    await page.fill('#new-heard_es', HEARD.es);
    for (const l of LOCALES) await page.fill(`#new-action_${l}`, ACTION[l]);
    await page.selectOption('#new-status', 'planned');
    await page.fill('#new-due', '2027-07');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action*="/commitments"] button[type=submit]')]);
    expect(await page.locator('.notice').textContent()).toContain(t('commitments:done.created'));
    await expectAccessible(page, 'commitments page, one written');

    // In progress now.
    await page.getByRole('link', { name: t('commitments:edit') }).click();
    await page.waitForURL('**/staff/commitments/*');
    await expectAccessible(page, 'edit a commitment');
    await page.selectOption('#edit-status', 'in_progress');
    await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
    expect(await page.locator('article.commitment .badge').textContent()).toBe(t('commitments:status.in_progress'));

    // The Working Group's note, in Spanish pages.
    const wg = await (await candor.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    await signIn(wg, wgToken, 'es');
    await wg.goto(`${candor.baseUrl}/wg?lang=es`);
    await wg.getByRole('link', { name: tr('es')('commitments:wg_link') }).first().click();
    await wg.waitForURL(`**/wg/${FIRST}/commitments?lang=es`);
    for (const l of LOCALES) await wg.fill(`textarea[name=wgNote_${l}]`, NOTE[l]);
    await Promise.all([wg.waitForLoadState('load'), wg.click('main form button[type=submit]')]);
    expect(await wg.locator('.notice').textContent()).toContain(tr('es')('commitments:done.note'));
    expect(await wg.locator('dd.wg-note').textContent()).toBe(NOTE.es);
    await expectAccessible(wg, 'Working Group commitments page, phone, Spanish');
    await wg.locator('details.history summary').click();
    expect(plain(await wg.locator('details.history').textContent())).toContain(tr('es')('commitments:by.wg'));
  });

  it('the pages are accessible in French and Spanish too', async () => {
    for (const locale of ['es', 'fr'] as const) {
      const staff = await (await candor.newContext({ viewport: { width: 375, height: 800 } })).newPage();
      await signIn(staff, candor.staffToken, locale);
      await staff.goto(`${candor.baseUrl}/staff/surveys/${FIRST}/commitments?lang=${locale}`);
      expect(plain(await staff.locator('h1').textContent())).toBe(plain(tr(locale)('commitments:page_title', { title: TITLES[FIRST][locale] })));
      await expectAccessible(staff, `staff commitments (${locale})`);
      const wg = await (await candor.newContext()).newPage();
      await signIn(wg, wgToken, locale);
      await wg.goto(`${candor.baseUrl}/wg/${FIRST}/commitments?lang=${locale}`);
      await expectAccessible(wg, `Working Group commitments (${locale})`);
    }
  });
});

describe('where partners look', () => {
  it('the results page, the next round\'s form and the compared rounds, on a phone and a desktop, in three languages', async () => {
    for (const viewport of [{ width: 375, height: 800 }, { width: 1280, height: 900 }]) {
      const page = await (await candor.newContext({ viewport })).newPage();
      for (const locale of LOCALES) {
        const t = tr(locale);
        const at = `${viewport.width} px, ${locale}`;
        await page.goto(`${candor.baseUrl}/s/${FIRST}/results?lang=${locale}`);
        const section = page.locator('section.commitments');
        expect(plain(await section.locator('h2').textContent())).toBe(plain(t('commitments:section_title')));
        const item = plain(await section.locator('article.commitment').first().textContent());
        for (const s of [THEME[locale], ACTION[locale], NOTE[locale], t('commitments:status.in_progress')]) expect(item).toContain(plain(s));
        await expectAccessible(page, `results with commitments (${at})`);

        await page.goto(`${candor.baseUrl}/s/${THIRD}?lang=${locale}`);
        const since = page.locator('section.since');
        expect(plain(await since.locator('h2').textContent())).toBe(plain(t('commitments:since_title')));
        expect(plain(await since.textContent())).toContain(plain(ACTION[locale]));
        await expectAccessible(page, `next round's form (${at})`);

        await page.goto(`${candor.baseUrl}/s/${SECOND}/results?lang=${locale}`);
        const rounds = page.locator('section[aria-labelledby=q-speak_freely] .rounds');
        expect(plain(await rounds.locator('h3').textContent())).toBe(plain(t('results:rounds_heading')));
        await rounds.locator('details summary').click();
        // Round one hid asia: the marker is in its row, not a number.
        const asia = rounds.locator('details tr', { hasText: locale === 'fr' ? 'Asie' : 'Asia' });
        expect(plain(await asia.innerText())).toBe(plain(`${locale === 'fr' ? 'Asie' : 'Asia'} ${t('results:marker')}`));
        // The chart reflows: nothing wider than the page.
        const overflow = await page.evaluate(() => Array.from(document.querySelectorAll('.rounds-chart')).some((el) => el.scrollWidth > el.clientWidth + 1));
        expect(overflow, at).toBe(false);
        await expectAccessible(page, `rounds compared (${at})`);
      }
    }
  });

  it('the brief prints each theme with what will be done about it', async () => {
    const page = await (await candor.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, wgToken, 'fr');
    await page.goto(`${candor.baseUrl}/wg/${FIRST}/brief?lang=fr`);
    const theme = page.locator('article.brief section', { hasText: THEME.fr }).first();
    expect(plain(await theme.locator('.brief-commitments').textContent())).toContain(plain(ACTION.fr));
    await expectAccessible(page, 'brief with commitments (fr)');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    // Printed, a commitment is never cut across two pages, and nothing is wider than A4.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('article.commitment')!).breakInside)).toBe('avoid');
    await page.setViewportSize({ width: 718, height: 1050 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= 718)).toBe(true);
  });
});
