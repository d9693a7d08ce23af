/**
 * The Working Group's review in a real browser (§8, §9), with the keyboard alone — Tab and
 * Shift+Tab, Space, arrow keys, Enter and typing; never the mouse: sign in (a wrong token first),
 * publish one comment, tag it with a theme, translate it and share it, redact another, publish
 * the review, then open the brief in French and Spanish and the partners' results page. The
 * survey is invite-only: the home, the queue and the brief say how many codes were issued (§5).
 * axe-core (WCAG 2.1 AA) finds nothing on any page visited.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createI18n, type Locale } from '../../src/i18n/index.js';
import { sampleSurvey } from '../helpers.js';
import { axeViolations, focused, focusIsVisible, hasFocus, tabTo, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);

const SLUG = 'revue-groupe';
const TEXTS = {
  tagged: 'The translations of the reports arrive too late for our board.',
  redacted: 'Maria from the Lima office said the workshop was far too short.',
  setupA: 'More peer exchange between partners, please.',
  setupB: 'Calls should be shorter and better prepared.',
  pending: 'Visits helped us more than anything else this year.',
};
const REDACTION = 'Someone said the workshop was far too short; write to ana@example.org';
const FRENCH = 'Les traductions des rapports arrivent trop tard pour notre conseil.';
const THEME = { en: 'Language access', es: 'Acceso lingüístico', fr: 'Accès linguistique' };

let wgToken = '';
let ids: Record<keyof typeof TEXTS, string>;
let themeId = 0;


async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${candor.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as unknown };
}

/** Visible text, with French no-break spaces read as plain ones. */
const plain = (s: string | null) => (s ?? '').replace(/\s+/g, ' ');
const CODES_ISSUED = 7;

beforeAll(async () => {
  // A small invite-only survey (k = 3, minComments = 3), seven codes issued, answered five times,
  // closed (the final release follows; waited for), with one theme.
  await candor.openSurvey(sampleSurvey({ slug: SLUG, access: 'invite', minGroupSize: 3, minComments: 3 }));
  const codes = (await api(candor.staffToken, 'POST', `/api/surveys/${SLUG}/invites`, { count: CODES_ISSUED })).json() as { codes: string[] };
  const regions = ['africa', 'americas', 'asia', 'africa', 'americas'];
  for (const [i, text] of Object.values(TEXTS).entries()) {
    const res = await fetch(`${candor.baseUrl}/api/surveys/${SLUG}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: { region: regions[i], speak_freely: 2 + (i % 3), activities: ['calls'], usefulness: 5 + i, suggestions: text }, inviteCode: codes.codes[i] }),
    });
    expect(res.status).toBe(201);
  }
  expect((await api(candor.staffToken, 'PATCH', `/api/surveys/${SLUG}`, { status: 'closed' })).status).toBe(200);
  await candor.app.releases.release({ slug: SLUG });
  wgToken = candor.app.tokens.create('wg', 'Working Group member');
  const theme = await api(wgToken, 'POST', `/api/surveys/${SLUG}/themes`, { label: THEME, keywords: { en: ['translation'], es: ['traducción'], fr: ['traduction'] } });
  expect(theme.status).toBe(201);
  themeId = (theme.json() as { id: number }).id;
  // The theme concerns the likert question: the brief sets its released figures beside it.
  expect((await api(wgToken, 'PATCH', `/api/themes/${themeId}`, { questions: ['speak_freely'] })).status).toBe(200);
  const queue = (await api(wgToken, 'GET', `/api/surveys/${SLUG}/comments`)).json() as { id: string; text: string }[];
  ids = Object.fromEntries(Object.entries(TEXTS).map(([key, text]) => [key, queue.find((c) => c.text === text)!.id])) as typeof ids;
  // Two comments were published before this session, so that the review can be published with three or more.
  for (const key of ['setupA', 'setupB'] as const) expect((await api(wgToken, 'PATCH', `/api/comments/${ids[key]}`, { status: 'published' })).status).toBe(200);
});

async function expectNoViolations(page: Page, label: string) {
  expect(await axeViolations(page, label)).toEqual([]);
}

/** The number the queue gives a comment ("Comment 3 — …"). */
async function commentNumber(page: Page, id: string): Promise<number> {
  const heading = (await page.locator(`#c-${id}-title`).textContent()) ?? '';
  return Number(/(\d+)/.exec(heading)?.[1]);
}

/** Presses Enter on the focused link or button and waits for the new page it leads to (even at the same URL). */
async function follow(page: Page, url: RegExp) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() && url.test(frame.url()) });
  await page.keyboard.press('Enter');
  await navigated;
  await page.waitForLoadState('load');
}

describe('the Working Group reviews comments with the keyboard alone', () => {
  it('signs in, publishes, tags, translates, redacts, publishes the review and reads the brief in French', async () => {
    const context = await candor.newContext();
    const page = await context.newPage();
    const en = tr('en');
    const fr = tr('fr');

    // --- Sign in: a wrong token first.
    expect((await page.goto('/login?lang=en'))?.status()).toBe(200);
    await expectNoViolations(page, 'login page');
    await tabTo(page, '#token');
    await page.keyboard.type('cnd_not-the-right-token');
    const failed = page.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    expect((await failed).status()).toBe(401);
    await page.waitForLoadState();
    expect(await page.locator('.error-summary').textContent()).toContain(en('access:login_failed'));
    expect(await page.locator('#token').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#token').inputValue()).toBe('');
    await expectNoViolations(page, 'login page with its error');
    // The error summary's link leads to the field.
    await tabTo(page, '.error-summary a');
    await page.keyboard.press('Enter');
    await page.waitForFunction('location.hash === "#token"');
    if (!(await hasFocus(page, '#token'))) await tabTo(page, '#token');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.type(wgToken);
    await follow(page, /\/wg\?lang=en$/);

    // --- The Working Group's home: the survey, with the number of codes issued (§5).
    expect(await page.locator('h1').textContent()).toBe(en('review:home_title'));
    const issued = (t: typeof en) => t('common:codes_issued', { count: CODES_ISSUED, formatted: String(CODES_ISSUED) });
    expect(plain(await page.locator('main').textContent())).toContain(issued(en));
    expect(plain(await page.locator('main').textContent())).toContain(plain(en('review:codes_home')));
    await expectNoViolations(page, 'Working Group home');
    await tabTo(page, `a[href="/wg/${SLUG}/review?lang=en"]`);
    await follow(page, new RegExp(`/wg/${SLUG}/review\\?lang=en$`));
    await expectNoViolations(page, 'review queue');
    expect(plain(await page.locator('main').textContent())).toContain(`${issued(en)} ${en('common:codes_issued_why')}`);
    const tagged = `#c-${ids.tagged}`;
    // Its theme is suggested by the keyword "translation" and, the comment having no theme yet, ticked.
    expect(await page.locator(`label[for="c-${ids.tagged}-theme-${themeId}"]`).textContent()).toContain(en('review:suggested'));
    expect(await page.locator(`#c-${ids.tagged}-theme-${themeId}`).isChecked()).toBe(true);

    // --- Publish one comment: the decision is a radio group, moved with an arrow key.
    await tabTo(page, `${tagged}-status-pending`, 80);
    await page.keyboard.press('ArrowDown');
    expect(await page.locator(`${tagged}-status-published`).isChecked()).toBe(true);
    expect(await hasFocus(page, `${tagged}-status-published`)).toBe(true);
    // Keep the suggested theme: its box is ticked; Space would untick it, and again tick it.
    await tabTo(page, `${tagged}-theme-${themeId}`);
    await page.keyboard.press('Space');
    expect(await page.locator(`${tagged}-theme-${themeId}`).isChecked()).toBe(false);
    await page.keyboard.press('Space');
    expect(await page.locator(`${tagged}-theme-${themeId}`).isChecked()).toBe(true);
    // Open the translations (a <details>), and type the French one.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('summary');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await tabTo(page, `${tagged}-tr-fr`);
    await page.keyboard.type(FRENCH);
    // Share it with partners, and save.
    await tabTo(page, `${tagged}-share`);
    await page.keyboard.press('Space');
    await tabTo(page, `${tagged} button[type=submit]`);
    await follow(page, new RegExp(`done=saved&saved=${ids.tagged}$`));
    // Back at the comment saved, its note focused, not at the top of the page.
    expect(await hasFocus(page, `${tagged} #saved`)).toBe(true);
    expect(await focusIsVisible(page)).toBe(true);
    expect(await page.locator('#saved').textContent()).toContain(en('review:saved_comment', { number: await commentNumber(page, ids.tagged) }));
    await expectNoViolations(page, 'review queue after saving');

    // --- Redact another comment (and publish it): the edited text replaces the stored one.
    const redacted = `#c-${ids.redacted}`;
    await tabTo(page, `${redacted}-status-pending`, 80);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(`textarea${redacted}-text`);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(REDACTION);
    // Back with Shift+Tab: the decision is still "publish".
    await page.keyboard.press('Shift+Tab');
    expect(await hasFocus(page, `${redacted}-status-published`)).toBe(true);
    await tabTo(page, `${redacted} button[type=submit]`);
    await follow(page, new RegExp(`done=saved&saved=${ids.redacted}$`));
    expect(await hasFocus(page, `${redacted} #saved`)).toBe(true);

    const stored = candor.app.db.sqlite.prepare('select text, status from comments where id = ?').get(ids.redacted) as { text: string; status: string };
    expect(stored).toEqual({ text: 'Someone said the workshop was far too short; write to [email]', status: 'published' });
    expect(JSON.stringify(candor.app.db.sqlite.prepare('select * from comments').all())).not.toContain('Maria from the Lima');

    // --- Publish the review: the last button of the page, onwards from the comment saved.
    await tabTo(page, 'section[aria-labelledby="publish-title"] button[type=submit]', 120);
    await follow(page, /done=published$/);
    expect(await page.locator('.notice').textContent()).toContain(en('review:done.published'));

    const review = (await api(candor.staffToken, 'GET', `/api/surveys/${SLUG}/review`)).json() as {
      themes: { id: number; count: number }[];
      comments: { text: string; themes: number[]; translations: Record<string, string>; shareWithPartners: boolean }[];
    };
    expect(review.themes).toEqual([{ id: themeId, label: THEME, count: 1, questions: ['speak_freely'] }]);
    expect(review.comments.map((c) => c.text).sort()).toEqual([TEXTS.setupA, TEXTS.setupB, TEXTS.tagged, 'Someone said the workshop was far too short; write to [email]'].sort());
    expect(review.comments.find((c) => c.text === TEXTS.tagged)).toMatchObject({ themes: [themeId], translations: { fr: FRENCH }, shareWithPartners: true });

    // --- The brief: from the Working Group's home, then in French through the language links.
    await tabTo(page, 'nav.site-nav a[href^="/wg?"]');
    await follow(page, /\/wg\?lang=en$/);
    await tabTo(page, `a[href="/wg/${SLUG}/brief?lang=en"]`);
    await follow(page, new RegExp(`/wg/${SLUG}/brief\\?lang=en$`));
    await expectNoViolations(page, 'brief (en)');
    await tabTo(page, 'nav.langs a[hreflang=fr]');
    await follow(page, new RegExp(`/wg/${SLUG}/brief\\?lang=fr$`));
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    const survey = sampleSurvey();
    expect(await page.locator('h1').textContent()).toBe(fr('review:brief_title', { title: survey.title.fr }));
    expect(plain(await page.locator('main').textContent())).toContain(`${plain(issued(fr))} ${plain(fr('common:codes_issued_why'))}`);
    const themeSection = page.locator(`section[aria-labelledby="theme-${themeId}"]`);
    expect(await themeSection.locator('h2').textContent()).toBe(`${THEME.fr} (${fr('review:comments_count', { count: 1, formatted: '1' })})`);
    // The tagged comment in French, with the original beside it.
    expect(await themeSection.locator('blockquote p').first().textContent()).toBe(FRENCH);
    expect(await themeSection.locator('blockquote .original').textContent()).toBe(`${fr('review:original')} ${TEXTS.tagged}`);
    // Beside the theme, its question's figures for all respondents, in French; printable, and on a phone.
    expect(plain(await themeSection.locator('.brief-figures h3').textContent())).toBe(plain(fr('review:brief_figures')));
    expect(plain(await themeSection.locator('.brief-figure h4').textContent())).toBe(plain(survey.questions[1]!.prompt.fr));
    expect(await themeSection.locator('.brief-figure table').count()).toBe(1);
    expect(await themeSection.locator('.brief-figure .bar-row').count()).toBe(5);
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await expectNoViolations(page, 'brief with figures at 375 px (fr)');
    await page.emulateMedia({ media: 'print' });
    expect(await themeSection.locator('.brief-figure').evaluate((el) => getComputedStyle(el).breakInside)).toBe('avoid');
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 800 });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const unthemed = await page.locator('section[aria-labelledby="unthemed"]').textContent();
    for (const text of [TEXTS.setupA, TEXTS.setupB, 'Someone said the workshop was far too short; write to [email]']) expect(unthemed).toContain(text);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toContain(TEXTS.pending);
    expect(main).not.toContain('Maria');
    await expectNoViolations(page, 'brief (fr)');
    await tabTo(page, 'nav.langs a[hreflang=es]');
    await follow(page, new RegExp(`/wg/${SLUG}/brief\\?lang=es$`));
    expect(await page.locator('h1').textContent()).toBe(tr('es')('review:brief_title', { title: survey.title.es }));
    await expectNoViolations(page, 'brief (es)');

    // --- The partners' results page, with the themes and the comment shared with partners.
    await tabTo(page, 'nav.site-nav a[href^="/wg?"]');
    await follow(page, /\/wg\?lang=es$/);
    await tabTo(page, 'nav.langs a[hreflang=fr]');
    await follow(page, /\/wg\?lang=fr$/);
    await tabTo(page, `a[href="/s/${SLUG}/results?lang=fr"]`);
    await follow(page, new RegExp(`/s/${SLUG}/results\\?lang=fr$`));
    const results = (await page.locator('main').textContent()) ?? '';
    expect(results).toContain(fr('review:themes_heading'));
    expect(results).toContain(THEME.fr);
    expect(results).toContain(fr('review:shared_heading'));
    expect(results).toContain(FRENCH);
    expect(results).toContain(TEXTS.tagged);
    expect(results).not.toContain(TEXTS.setupA); // published, but not shared with partners
    await expectNoViolations(page, 'results page with the published review (fr)');
    await tabTo(page, 'nav.langs a[hreflang=en]');
    await follow(page, new RegExp(`/s/${SLUG}/results\\?lang=en$`));
    await expectNoViolations(page, 'results page with the published review (en)');

    // --- Sign out, with the keyboard too.
    await page.goto('/wg?lang=en');
    await tabTo(page, 'nav.site-nav button[type=submit]');
    await follow(page, /\/login\?lang=en$/);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('candor_session');
    expect((await page.goto('/wg'))?.url()).toMatch(/\/login\?lang=en&next=%2Fwg$/);
  });
});

describe('a long queue, with the keyboard alone, on a phone and a desktop', () => {
  const LONG = 'revue-longue';
  const COUNT = 30;
  // Every third comment is about travel: the theme's keyword suggests it.
  const longTexts = Array.from({ length: COUNT }, (_, i) => (i % 3 === 0 ? `Note ${i}: the travel budget was cut mid-year.` : `Note ${i}: the calls were useful.`));
  const TRAVEL = { en: 'Travel', es: 'Viajes', fr: 'Déplacements' };
  let travelId = 0;

  beforeAll(async () => {
    await candor.openSurvey(sampleSurvey({ slug: LONG, minGroupSize: 3, minComments: 3 }));
    const regions = ['africa', 'americas', 'asia'];
    for (const [i, text] of longTexts.entries()) {
      const res = await fetch(`${candor.baseUrl}/api/surveys/${LONG}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: { region: regions[i % 3], speak_freely: 1 + (i % 5), activities: ['calls'], usefulness: i % 11, suggestions: text } }),
      });
      expect(res.status).toBe(201);
    }
    expect((await api(candor.staffToken, 'PATCH', `/api/surveys/${LONG}`, { status: 'closed' })).status).toBe(200);
    await candor.app.releases.release({ slug: LONG });
    const theme = await api(wgToken, 'POST', `/api/surveys/${LONG}/themes`, { label: TRAVEL, keywords: { en: ['travel'] } });
    expect(theme.status).toBe(201);
    travelId = (theme.json() as { id: number }).id;
  });

  const statuses = () => candor.app.db.sqlite.prepare('select text, status from comments where survey_id = (select id from surveys where slug = ?)').all(LONG) as { text: string; status: string }[];

  for (const [locale, width] of [['en', 375], ['es', 1280], ['fr', 375]] as const) {
    it(`filters, saves and returns to the comment, then accepts suggested themes and publishes what is shown (${locale}, ${width} px)`, async () => {
      const t = tr(locale);
      // Back to a clean queue: every comment waiting, no theme.
      candor.app.db.sqlite.prepare("update comments set status = 'pending' where survey_id = (select id from surveys where slug = ?)").run(LONG);
      candor.app.db.sqlite.prepare('delete from comment_themes where theme_id = ?').run(travelId);
      const context = await candor.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(`/login?lang=${locale}`);
      await tabTo(page, '#token');
      await page.keyboard.type(wgToken);
      await follow(page, new RegExp(`/wg\\?lang=${locale}$`));
      await page.goto(`/wg/${LONG}/review?lang=${locale}`);
      await expectNoViolations(page, `long queue (${locale}, ${width} px)`);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

      // --- Filter: the comments with suggested themes not yet accepted.
      await tabTo(page, '#filter-theme', 60);
      // A closed list moves with the keys: End chooses its last option, "suggested".
      await page.keyboard.press('End');
      expect(await page.locator('#filter-theme').inputValue()).toBe('suggested');
      await tabTo(page, 'form.filters button[type=submit]');
      await follow(page, /theme=suggested/);
      const shown = await page.locator('article.review-item').count();
      expect(shown).toBe(COUNT / 3);
      expect(plain(await page.locator('main').textContent())).toContain(plain(t('review:filter_shown', { shown: COUNT / 3, total: COUNT })));
      await expectNoViolations(page, `filtered queue (${locale}, ${width} px)`);

      // --- Save the third comment shown as published: the page comes back at it, focused.
      const third = page.locator('article.review-item').nth(2);
      const thirdId = ((await third.getAttribute('id')) ?? '').slice(2);
      await tabTo(page, `#c-${thirdId}-status-pending`, 200);
      await page.keyboard.press('ArrowDown');
      await tabTo(page, `#c-${thirdId} button[type=submit]`);
      await follow(page, new RegExp(`saved=${thirdId}$`));
      expect(await hasFocus(page, `#c-${thirdId} #saved`)).toBe(true);
      expect(await focusIsVisible(page)).toBe(true);
      // On screen, not merely in the document.
      const box = await page.locator('#saved').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(800);
      // The suggested theme was ticked for it, so saving confirmed it: it left the filter, and is still shown.
      expect(plain(await page.locator('#saved').textContent())).toContain(plain(t('review:saved_elsewhere')));
      await expectNoViolations(page, `queue after a save (${locale}, ${width} px)`);

      // --- Bulk: accept the suggested themes of every comment shown.
      await tabTo(page, '#bulk-action', 200);
      await page.keyboard.press('End');
      expect(await page.locator('#bulk-action').inputValue()).toBe('accept_suggested');
      await tabTo(page, '#bulk-scope-selected');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#bulk-scope-shown').isChecked()).toBe(true);
      await tabTo(page, 'form.bulk button[type=submit]');
      await follow(page, /done=bulk/);
      // Every comment about travel now has the theme; the one saved before was already counted.
      expect(plain(await page.locator('.notice').textContent())).toContain(plain(t('review:bulk_done', { count: COUNT / 3 - 1 })));
      const themed = candor.app.db.sqlite.prepare('select count(*) from comment_themes where theme_id = ?').pluck().get(travelId);
      expect(themed).toBe(COUNT / 3);

      // --- Bulk: publish two comments ticked by hand, from an unfiltered view.
      await page.goto(`/wg/${LONG}/review?lang=${locale}&status=pending`);
      const picks = page.locator('article.review-item input[form=bulk]');
      const firstId = (await picks.nth(0).getAttribute('value'))!;
      const secondId = (await picks.nth(1).getAttribute('value'))!;
      await tabTo(page, `#c-${firstId}-pick`, 200);
      await page.keyboard.press('Space');
      await tabTo(page, `#c-${secondId}-pick`, 200);
      await page.keyboard.press('Space');
      await tabTo(page, 'form.bulk button[type=submit]', 400);
      await follow(page, /done=bulk/);
      expect(plain(await page.locator('.notice').textContent())).toContain(plain(t('review:bulk_done', { count: 2 })));
      expect(statuses().filter((s) => s.status === 'published')).toHaveLength(3);
      await expectNoViolations(page, `queue after a bulk decision (${locale}, ${width} px)`);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await context.close();
    });
  }
});
