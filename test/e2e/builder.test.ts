/**
 * The survey builder in a real browser, keyboard only (issue 11): a staff member starts a blank
 * survey, adds one question of each type, writes every text in three languages, has a save
 * refused and fixes it without retyping anything, previews the form in French on a phone and
 * opens the survey after its confirmation page — in English, Spanish and French, with axe on
 * every page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { QUESTION_TYPES } from '../../src/staff/builder.js';
import { expectAccessible, tabTo, useCandor } from './support.js';

const candor = useCandor();
const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);


const accessible = expectAccessible;

/** Presses a key that loads a new page, and waits for it. */
async function pressAndLoad(page: Page, key: string) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

/** Tabs to a field and types into it (replacing what it held). */
async function typeInto(page: Page, selector: string, value: string) {
  await tabTo(page, selector, 800);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(value);
}

async function signInByKeyboard(page: Page, locale: Locale) {
  await page.goto(`/login?lang=${locale}`);
  await typeInto(page, '#token', candor.staffToken);
  await pressAndLoad(page, 'Enter');
}

const field = (name: string) => `#f-${name.replace(/[^a-zA-Z0-9]+/g, '-')}`;

describe('a staff member builds a survey with the keyboard alone', () => {
  for (const locale of LOCALES) {
    it(`from blank to open, with a refused save fixed without retyping (${locale})`, async () => {
      const t = tr(locale);
      const slug = `built-${locale}`;
      const page = await (await candor.newContext()).newPage();
      await signInByKeyboard(page, locale);

      // Start from blank.
      await page.goto(`/staff/surveys/new?lang=${locale}`);
      await accessible(page, `new survey (${locale})`);
      await typeInto(page, '#start-slug', slug);
      await typeInto(page, '#start-title-en', `Built round ${locale}`);
      await typeInto(page, '#start-title-es', `Ronda construida ${locale}`);
      await typeInto(page, '#start-title-fr', `Vague construite ${locale}`);
      await pressAndLoad(page, 'Enter');
      expect(new URL(page.url()).pathname).toBe(`/staff/surveys/${slug}/edit`);
      await accessible(page, `builder, empty draft (${locale})`);

      // One question of each type, each added by its button.
      for (const type of QUESTION_TYPES) {
        await tabTo(page, `button[value="add:${type}"]`, 800);
        await pressAndLoad(page, 'Enter');
      }
      expect(await page.locator('section.builder-question').count()).toBe(QUESTION_TYPES.length);

      // Every text, in three languages.
      for (let i = 0; i < QUESTION_TYPES.length; i++) {
        for (const l of LOCALES) await typeInto(page, field(`questions[${i}].prompt.${l}`), `Question ${i + 1} (${l})?`);
      }
      for (const i of [0, 1]) {
        for (const j of [0, 1]) for (const l of LOCALES) await typeInto(page, field(`questions[${i}].options[${j}].label.${l}`), `Option ${j + 1} (${l})`);
      }
      // Break results down by the first question.
      await tabTo(page, field('questions[0].grouping'), 800);
      await page.keyboard.press('Space');

      // A smallest group of 2 is refused; the page comes back with everything typed.
      await typeInto(page, field('minGroupSize'), '2');
      await pressAndLoad(page, 'Enter');
      expect(await page.locator('.error-summary').count()).toBe(1);
      expect(await page.locator(`${field('minGroupSize')}[aria-invalid=true]`).count()).toBe(1);
      expect(await page.locator(field('questions[4].prompt.fr')).inputValue()).toBe('Question 5 (fr)?');
      expect(await page.locator(field('questions[1].options[1].label.es')).inputValue()).toBe('Option 2 (es)');
      expect(await page.locator(field('questions[0].grouping')).isChecked()).toBe(true);
      await accessible(page, `builder, refused save (${locale})`);

      // Fixed without retyping: only the refused field changes.
      await typeInto(page, field('minGroupSize'), '5');
      await pressAndLoad(page, 'Enter');
      expect(await page.locator('.error-summary').count()).toBe(0);
      expect(await page.locator('main .notice[role=status]').allTextContents()).toContain(t('builder:complete'));
      await accessible(page, `builder, complete (${locale})`);

      // The preview, in French, on a phone.
      const phone = await (await candor.newContext({ viewport: { width: 375, height: 740 } })).newPage();
      await signInByKeyboard(phone, 'fr');
      await phone.goto(`/staff/surveys/${slug}/preview?lang=fr`);
      // Numbered ("Question 1 sur …") before the prompt.
      expect((await phone.locator('main fieldset legend, main label').allTextContents()).some((l) => l.endsWith('Question 1 (fr)?'))).toBe(true);
      await accessible(phone, `preview of the built survey, French, phone (${locale})`);

      // Opened, after the page that says what opening locks.
      await page.goto(`/staff/surveys/${slug}?lang=${locale}`);
      await tabTo(page, `a[href="/staff/surveys/${slug}/open?lang=${locale}"]`, 200);
      await pressAndLoad(page, 'Enter');
      await tabTo(page, 'main form button[type=submit]', 200);
      await pressAndLoad(page, 'Enter');
      expect(await page.locator('main .notice[role=status]').first().textContent()).toContain(t('staff:done.opened'));
      const api = await fetch(`${candor.baseUrl}/api/surveys/${slug}`);
      expect(api.status).toBe(200);
      expect(((await api.json()) as { questions: unknown[] }).questions).toHaveLength(QUESTION_TYPES.length);
    });
  }
});
