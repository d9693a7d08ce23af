/**
 * The CSV as each language's spreadsheets read it (§7, issue 13 item 6): "," and decimal points in
 * English, ";" and decimal commas in Spanish and French, negative numbers left as numbers; and the
 * wide layout, one row per question and group with the answers side by side.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { closeSurvey, makeApp, openSurvey, sampleSurvey, submit, type TestApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);
const L = (s: string) => ({ en: s, es: `${s} (es)`, fr: `${s} (fr)` });
const SLUG = 'moods';

/** 20 answers: mood -2 ×8, -1 ×4, 0 ×4, 1 ×2, 2 ×2 (mean -0.7); calm 1–5, four each (mean 3). */
async function released(): Promise<TestApp> {
  const t = await makeApp();
  await openSurvey(t, sampleSurvey({ slug: SLUG, questions: [
    { id: 'mood', type: 'rating', min: -2, max: 2, prompt: L('Mood') },
    { id: 'calm', type: 'likert', prompt: L('Calm') },
  ] }));
  const moods = [...Array(8).fill(-2), ...Array(4).fill(-1), ...Array(4).fill(0), 1, 1, 2, 2];
  for (const [i, mood] of moods.entries()) expect((await submit(t, SLUG, { answers: { mood, calm: 1 + (i % 5) } })).statusCode).toBe(201);
  await closeSurvey(t, SLUG);
  return t;
}

const csvOf = async (t: TestApp, query: string) => {
  const res = await t.app.inject({ url: `/api/surveys/${SLUG}/results.csv?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};

describe('CSV for each language', () => {
  it('separates with "," and writes "-0.7" in English, ";" and "-0,7" in Spanish and French — numbers, never formulas', async () => {
    const t = await released();
    for (const lang of LOCALES) {
      const res = await csvOf(t, `lang=${lang}`);
      const separator = lang === 'en' ? ',' : ';';
      const mean = lang === 'en' ? '-0.7' : '-0,7';
      const rows = parse(res.body.slice(1), { delimiter: separator }) as string[][];
      expect(rows[0]!.length).toBe(12);
      const overall = tr(lang, 'results:overall');
      // The negative answer value and the negative mean are written as numbers: no apostrophe before them.
      expect(rows).toContainEqual([SLUG, 'mood', L('Mood')[lang], overall, '', '20', '-2', '-2', '8', '40', mean, '']);
      expect(res.body).not.toContain("'-");
      // Calm: four of twenty answered 3; the mean, 3, is a whole number in every language.
      expect(rows.find((r) => r[1] === 'calm' && r[6] === '3')!.slice(8)).toEqual(['4', '20', '3', '']);
    }
  });
});

describe('the wide layout', () => {
  it('has one row per question and group, the answers side by side, in the language asked for', async () => {
    const t = await released();
    for (const lang of LOCALES) {
      const res = await csvOf(t, `lang=${lang}&layout=wide`);
      expect(res.headers['content-disposition']).toContain(`-${lang}-wide.csv`);
      const rows = parse(res.body.slice(1), { delimiter: lang === 'en' ? ',' : ';' }) as string[][];
      const header = rows[0]!;
      expect(header.slice(0, 8)).toEqual(['survey', 'question_id', 'question', 'breakdown', 'group', 'respondents', 'mean', 'note'].map((c) => tr(lang, `results:csv.${c}`)));
      // Five answers at most (both questions have five): three columns each.
      expect(header.slice(8)).toEqual([1, 2, 3, 4, 5].flatMap((n) => ['answer_n', 'count_n', 'percent_n'].map((c) => tr(lang, `results:csv.${c}`, { n }))));
      // The respondents, then one row per question (an open survey has no breakdowns).
      expect(rows.slice(1).map((r) => r[1])).toEqual(['', 'mood', 'calm']);
      const mood = rows.find((r) => r[1] === 'mood')!;
      expect(mood.slice(5, 8)).toEqual(['20', lang === 'en' ? '-0.7' : '-0,7', '']);
      expect(mood.slice(8)).toEqual(['-2', '8', '40', '-1', '4', '20', '0', '4', '20', '1', '2', '10', '2', '2', '10']);
      const calm = rows.find((r) => r[1] === 'calm')!;
      expect(calm[8]).toBe(`1 · ${tr(lang, 'form:likert.1')}`);
    }
  });

  it('refuses a layout it does not know, in the reader\'s language', async () => {
    const t = await released();
    const res = await t.app.inject({ url: `/api/surveys/${SLUG}/results.csv?lang=es&layout=tall` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: tr('es', 'errors:invalid_request') });
  });
});
