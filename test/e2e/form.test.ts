/**
 * The partner form in a real browser (§4, §11): answered with the keyboard alone in Spanish,
 * accessible (axe-core, WCAG 2.1 AA) in every language and state, and usable without JavaScript.
 * An invite-only form says how many codes were issued (§5), and stays light and narrow.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { axeViolations, e2eSurvey, focused, focusIsVisible, hasFocus, tabTo, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);


const isChecked = (page: Page, selector: string) => page.locator(selector).isChecked();

describe('keyboard alone, in Spanish', () => {
  it('answers every question, sends the form and stores exactly one response', async () => {
    const survey = e2eSurvey('teclado');
    await candor.openSurvey(survey);
    const context = await candor.newContext();
    const page = await context.newPage();
    const res = await page.goto(`/s/${survey.slug}?lang=es`);
    expect(res?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe(survey.title.es);

    // The first stop is the skip link, and it becomes visible when focused.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a[href=#main]');
    expect(await focusIsVisible(page)).toBe(true);
    const skip = await page.locator('a.skip').boundingBox();
    expect(skip && skip.x >= 0 && skip.y >= 0).toBe(true);

    // Grouping question: Tab reaches the first radio of the group; an arrow key moves and selects.
    const toRegion = await tabTo(page, '#q-region');
    // Between the skip link and the first question: links (the brand, the three languages), the
    // folded privacy statement, and the two buttons that change language keeping the answers.
    expect(toRegion.slice(0, -1)).toEqual(expect.arrayContaining(['a[href=/?lang=es]', 'a[href=/s/teclado?lang=en]', 'a[href=/s/teclado?lang=fr]', 'summary']));
    for (const stop of toRegion.slice(0, -1)) expect(stop).toMatch(/^(a\[href=|summary$|button\[type=submit\]$)/);
    expect(toRegion.filter((stop) => stop === 'button[type=submit]')).toHaveLength(2);
    await page.keyboard.press('ArrowDown');
    expect(await isChecked(page, '#q-region-1')).toBe(true); // Américas
    expect(await focused(page)).toBe('input[type=radio]#q-region-1');

    // Likert (required): one Tab leaves the group; Space picks the focused point, arrows move on.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[type=radio]#q-speak_freely');
    await page.keyboard.press('Space');
    expect(await isChecked(page, '#q-speak_freely')).toBe(true);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await isChecked(page, '#q-speak_freely-3')).toBe(true); // De acuerdo (4)

    // Multi choice: every checkbox is its own stop; Space ticks it.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[type=checkbox]#q-activities');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[type=checkbox]#q-activities-1');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[type=checkbox]#q-activities-2');
    await page.keyboard.press('Space');
    expect([await isChecked(page, '#q-activities'), await isChecked(page, '#q-activities-1'), await isChecked(page, '#q-activities-2')]).toEqual([true, false, true]);

    // Rating 0–10 as a row of radios: arrow keys along the scale.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[type=radio]#q-usefulness');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    expect(await isChecked(page, '#q-usefulness-8')).toBe(true);

    // Free text.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('textarea#q-suggestions');
    await page.keyboard.type('Más llamadas en español, por favor.');

    // Rating 0–40 as a number field.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[type=number]#q-hours');
    await page.keyboard.type('12');

    // The submit button, pressed with Enter.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button[type=submit]#send');
    expect(await focusIsVisible(page)).toBe(true);
    await Promise.all([page.waitForURL(/\/thanks\?lang=es$/), page.keyboard.press('Enter')]);

    const t = tr('es');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe(t('form:thanks_title'));
    expect(await page.locator('main').textContent()).toContain(t('form:thanks_saved', { title: survey.title.es }));

    // Exactly one response, holding what was chosen by keyboard.
    expect(candor.storedResponses(survey.slug)).toBe(1);
    const answers = candor.app.db.sqlite
      .prepare('select question_id as q, value from answers a join surveys s on s.id = a.survey_id where s.slug = ? order by question_id')
      .all(survey.slug) as { q: string; value: string }[];
    const byQuestion = Object.fromEntries(answers.map((a) => [a.q, a.value]));
    expect(byQuestion).toMatchObject({ region: 'americas', speak_freely: '4', usefulness: '8', hours: '12' });
    expect(byQuestion.activities).toMatch(/calls/);
    expect(byQuestion.activities).toMatch(/visits/);
    expect(byQuestion.activities).not.toMatch(/mentoring/);
    const comments = candor.app.db.sqlite
      .prepare('select text from comments c join surveys s on s.id = c.survey_id where s.slug = ?')
      .all(survey.slug) as { text: string }[];
    expect(comments.map((c) => c.text)).toEqual(['Más llamadas en español, por favor.']);
    // And staff see that one response in the live count.
    expect(await candor.responseCount(survey.slug), 'live count in GET /api/surveys').toBe(1);
  });

  it('changes language by keyboard on a phone with everything typed in place, and Enter in a field still sends', async () => {
    const survey = e2eSurvey('changer-de-langue');
    await candor.openSurvey(survey);
    const page = await (await candor.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    await page.goto(`/s/${survey.slug}?lang=en`);
    // Answer two questions in English.
    await tabTo(page, '#q-region');
    await page.keyboard.press('ArrowDown'); // americas
    await tabTo(page, '#q-suggestions', 80);
    await page.keyboard.type('Plus de temps pour échanger entre pairs.');
    // Back up to "Français", then Enter.
    let pressed = 0;
    while (!(await hasFocus(page, 'button[name=_lang][value=fr]')) && pressed++ < 80) await page.keyboard.press('Shift+Tab');
    await Promise.all([page.waitForURL(`**/s/${survey.slug}?lang=fr`), page.keyboard.press('Enter')]);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('h1').textContent()).toBe(survey.title.fr);
    expect(await page.locator('#q-region-1').isChecked()).toBe(true);
    expect(await page.locator('#q-suggestions').inputValue()).toBe('Plus de temps pour échanger entre pairs.');
    expect(await page.locator('.error-summary').count()).toBe(0);
    expect(candor.storedResponses(survey.slug)).toBe(0);
    const violations = await axeViolations(page, 'form after a change of language (fr, 375 px)');
    expect(violations).toEqual([]);
    // Enter in the number field sends the form (the default button), in French: one response.
    await page.locator('#q-speak_freely-3').check();
    await page.locator('#q-hours').fill('12');
    await Promise.all([page.waitForURL(`**/s/${survey.slug}/thanks?lang=fr`), page.locator('#q-hours').press('Enter')]);
    expect(candor.storedResponses(survey.slug)).toBe(1);
  });

  it('leads from the error summary to the field, by keyboard', async () => {
    const survey = e2eSurvey('teclado-errores');
    await candor.openSurvey(survey);
    const page = await (await candor.newContext()).newPage();
    await page.goto(`/s/${survey.slug}?lang=es`);
    // Only the number field, typed out of range; the required likert is left unanswered.
    await tabTo(page, '#q-hours');
    await page.keyboard.type('99');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button[type=submit]#send');
    await Promise.all([page.waitForURL(`**/s/${survey.slug}?lang=es`), page.keyboard.press('Space')]);

    const t = tr('es');
    const summary = page.locator('.error-summary');
    expect(await summary.locator('h2').textContent()).toBe(t('form:error_summary', { count: 2 }));
    // Each item names its question, in question order.
    const prompt = (id: string) => survey.questions.find((q) => q.id === id)?.prompt.es;
    expect(await summary.locator('a').allTextContents()).toEqual([
      t('form:summary_item', { question: prompt('speak_freely'), message: t('problems:required_answer') }),
      t('form:summary_item', { question: prompt('hours'), message: t('problems:out_of_range', { min: 0, max: 40 }) }),
    ]);
    // Without any script, the summary has focus on arrival, visibly, and is read out first.
    expect(await hasFocus(page, '.error-summary')).toBe(true);
    expect(await focusIsVisible(page)).toBe(true);
    // The value typed is kept, and the field says what is wrong with it.
    expect(await page.locator('#q-hours').inputValue()).toBe('99');
    expect(await page.locator('#q-hours').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#hours-error').textContent()).toContain(t('problems:out_of_range', { min: 0, max: 40 }));

    // The next Tab is the summary's first link, which takes the keyboard to the unanswered question.
    await page.keyboard.press('Tab');
    expect(await hasFocus(page, '.error-summary a[href="#q-speak_freely"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction('location.hash === "#q-speak_freely"');
    // Wherever focus landed, the next Tab stop is inside that question (or is it).
    const here = await focused(page);
    if (here !== 'input[type=radio]#q-speak_freely') {
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/#q-speak_freely/);
    }
    await page.keyboard.press('Space');
    expect(await isChecked(page, '#q-speak_freely')).toBe(true);
    expect(candor.storedResponses(survey.slug)).toBe(0);
  });
});

/** The colour [r, g, b] of one CSS pixel of the page, from a 1×1 PNG screenshot (the first pixel of a row needs no unfiltering). */
async function pixel(page: Page, x: number, y: number): Promise<number[]> {
  const png = await page.screenshot({ clip: { x, y, width: 1, height: 1 } });
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return [...inflateSync(Buffer.concat(chunks)).subarray(1, 4)];
}

describe('an invalid question', () => {
  for (const width of [375, 1280]) {
    it(`has its red bar beside the whole question, legend included, at ${width} px`, async () => {
      const survey = e2eSurvey(`red-bar-${width}`);
      await candor.openSurvey(survey);
      const page = await (await candor.newContext({ viewport: { width, height: 900 } })).newPage();
      await page.goto(`/s/${survey.slug}?lang=fr`);
      await Promise.all([page.waitForURL(`**/s/${survey.slug}?lang=fr`), page.click('#send')]);
      const question = page.locator('fieldset.q.invalid').first();
      await question.scrollIntoViewIfNeeded();
      const box = (await question.boundingBox())!;
      const legend = (await question.locator('legend').boundingBox())!;
      const red = ([r, g, b]: number[]) => r! > 150 && g! < 60 && b! < 60;
      // From the top of the legend ("Question n of N" and the question) to the last choice.
      for (const y of [legend.y + 2, legend.y + legend.height / 4, legend.y + legend.height / 2, legend.y + legend.height - 2, box.y + box.height - 3]) {
        const colour = await pixel(page, Math.round(box.x + 2), Math.round(y));
        expect(red(colour), `at ${Math.round(y - legend.y)} px below the legend's top: rgb(${colour.join(', ')})`).toBe(true);
      }
    });
  }
});

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  const slug = 'accesible';

  it('is a live check: axe reports a page built to fail', async () => {
    const page = await (await candor.newContext()).newPage();
    await page.setContent('<!doctype html><html><body><main><input type="text" name="x"><p class="x">?</p></main></body></html>');
    const ids = (await axeViolations(page, 'a page built to fail (expected)', { quiet: true })).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['html-has-lang', 'document-title', 'label']));
  });

  for (const locale of LOCALES) {
    it(`has no violations on the form, an error state and the thank-you page in ${locale}`, async () => {
      if (!(await surveyExists(slug))) await candor.openSurvey(e2eSurvey(slug));
      const t = tr(locale);
      const page = await (await candor.newContext()).newPage();

      await page.goto(`/?lang=${locale}`);
      expect(await axeViolations(page, `home (${locale})`)).toEqual([]);
      expect((await page.goto(`/s/no-such-survey?lang=${locale}`))?.status()).toBe(404);
      expect(await axeViolations(page, `not-found page (${locale})`)).toEqual([]);

      await page.goto(`/s/${slug}?lang=${locale}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await axeViolations(page, `form (${locale})`)).toEqual([]);

      // Error state: the required likert unanswered and an out-of-range number.
      await page.fill('#q-hours', '99');
      await page.check('#q-region');
      await Promise.all([page.waitForURL(`**/s/${slug}?lang=${locale}`), page.click('#send')]);
      expect(await page.locator('.error-summary h2').textContent()).toBe(t('form:error_summary', { count: 2 }));
      expect(await page.locator('.field-error').count()).toBe(2);
      expect(await axeViolations(page, `error state (${locale})`)).toEqual([]);

      // Corrected, then sent: the thank-you page.
      await page.check('#q-speak_freely-4');
      await page.fill('#q-hours', '10');
      await Promise.all([page.waitForURL(`**/s/${slug}/thanks?lang=${locale}`), page.click('#send')]);
      expect(await page.locator('h1').textContent()).toBe(t('form:thanks_title'));
      expect(await axeViolations(page, `thank-you page (${locale})`)).toEqual([]);
    });
  }

  it('reflows on a 320 px wide screen without horizontal scrolling', async () => {
    if (!(await surveyExists(slug))) await candor.openSurvey(e2eSurvey(slug));
    const page = await (await candor.newContext({ viewport: { width: 320, height: 640 } })).newPage();
    for (const locale of LOCALES) {
      await page.goto(`/s/${slug}?lang=${locale}`);
      const widths = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as number[];
      expect(widths[0], `form (${locale}) scrolls sideways`).toBeLessThanOrEqual(widths[1] ?? 0);
    }
  });

  it('keeps the form page, with its stylesheet, under 30 KB', async () => {
    if (!(await surveyExists(slug))) await candor.openSurvey(e2eSurvey(slug));
    const css = await (await fetch(`${candor.baseUrl}/assets/candor.css`)).arrayBuffer();
    for (const locale of LOCALES) {
      const html = await (await fetch(`${candor.baseUrl}/s/${slug}?lang=${locale}`)).arrayBuffer();
      expect(html.byteLength + css.byteLength, `form (${locale})`).toBeLessThan(30 * 1024);
    }
  });
});

describe('without JavaScript', () => {
  it('shows errors and sends the form', async () => {
    const survey = e2eSurvey('sans-javascript');
    await candor.openSurvey(survey);
    const page = await (await candor.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(`/s/${survey.slug}?lang=fr`);
    expect(await page.locator('script').count()).toBe(0);
    const t = tr('fr');

    await page.check('#q-region-2');
    await page.fill('#q-hours', '-3');
    await Promise.all([page.waitForURL(`**/s/${survey.slug}?lang=fr`), page.click('#send')]);
    expect(await page.locator('.error-summary h2').textContent()).toBe(t('form:error_summary', { count: 2 }));
    expect(await page.locator('#q-region-2').isChecked()).toBe(true); // answers kept
    expect(candor.storedResponses(survey.slug)).toBe(0);

    await page.check('#q-speak_freely-2');
    await page.check('#q-activities-1');
    await page.fill('#q-hours', '');
    await page.fill('#q-suggestions', "Plus d'échanges entre partenaires.");
    await Promise.all([page.waitForURL(`**/s/${survey.slug}/thanks?lang=fr`), page.click('#send')]);
    expect(await page.locator('h1').textContent()).toBe(t('form:thanks_title'));
    expect(candor.storedResponses(survey.slug)).toBe(1);
    expect(await candor.responseCount(survey.slug)).toBe(1);
  });
});

describe('an invite-only form', () => {
  it('says how many codes were issued and why, accessible, light and 320 px wide, in every language', async () => {
    const survey = { ...e2eSurvey('sur-invitation'), access: 'invite' as const };
    await candor.openSurvey(survey);
    const made = await fetch(`${candor.baseUrl}/api/surveys/${survey.slug}/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${candor.staffToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 40 }),
    });
    expect(made.status).toBe(201);
    const css = await (await fetch(`${candor.baseUrl}/assets/candor.css`)).arrayBuffer();
    const page = await (await candor.newContext()).newPage();
    for (const locale of LOCALES) {
      const t = tr(locale);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`/s/${survey.slug}?lang=${locale}`);
      const item = page.locator('section.privacy > p > strong');
      expect(await item.textContent()).toBe(t('common:codes_issued', { count: 40, formatted: '40' }));
      const statement = (await page.locator('section.notice').textContent()) ?? '';
      expect(statement).toContain(t('common:codes_issued_why'));
      expect(statement).toContain(t('form:privacy.invite_cards'));
      expect(await axeViolations(page, `invite-only form (${locale})`)).toEqual([]);
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `invite-only form (${locale}) scrolls sideways`).toBe(true);
      const html = await (await fetch(`${candor.baseUrl}/s/${survey.slug}?lang=${locale}`)).arrayBuffer();
      expect(html.byteLength + css.byteLength, `invite-only form (${locale})`).toBeLessThan(30 * 1024);
    }
  });
});

async function surveyExists(slug: string): Promise<boolean> {
  const res = await fetch(`${candor.baseUrl}/api/surveys/${slug}`);
  return res.status === 200;
}

describe('a long survey in parts', () => {
  it('shows "Part n of N" and its title above each part, accessible and by keyboard, on a phone and a desktop, in every language', async () => {
    const base = e2eSurvey('en-parties');
    const titles = [
      { en: 'About your organisation', es: 'Sobre su organización', fr: 'Votre organisation' },
      { en: 'The programme', es: 'El programa', fr: 'Le programme' },
    ];
    const survey = { ...base, questions: base.questions.map((q, i) => (i === 0 ? { ...q, section: titles[0]! } : i === 1 ? { ...q, section: titles[1]! } : q)) };
    await candor.openSurvey(survey);
    for (const width of [375, 1280]) {
      const page = await (await candor.newContext({ viewport: { width, height: 800 } })).newPage();
      for (const locale of LOCALES) {
        const t = tr(locale);
        await page.goto(`/s/${survey.slug}?lang=${locale}`);
        const headings = (await page.locator('section.form-section > h2').allTextContents()).map((h) => h.replace(/\s+/g, ' ').trim());
        const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
        expect(headings.map(plain)).toEqual([
          plain(`${t('form:section_of', { n: 1, total: 2 })}${titles[0]![locale]}`),
          plain(`${t('form:section_of', { n: 2, total: 2 })}${titles[1]![locale]}`),
        ]);
        expect(await axeViolations(page, `form in parts (${locale}, ${width} px)`)).toEqual([]);
        const widths = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as number[];
        expect(widths[0], `form in parts (${locale}, ${width} px) scrolls sideways`).toBeLessThanOrEqual(widths[1] ?? 0);
      }
      // By keyboard, from part one's question into part two's: the parts add no stop of their own.
      await tabTo(page, 'input[name=region]', 60);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/^input\[type=radio\]#q-speak_freely/);
      expect(await focusIsVisible(page)).toBe(true);
      expect(await page.locator('section.form-section').nth(1).evaluate((s) => s.contains(document.activeElement))).toBe(true);
    }
  });
});
