/**
 * The meeting brief's figures (issue 13, item 8): each theme beside the released figures, for all
 * respondents, of the questions it concerns — chosen by the Working Group, or matched by its
 * keywords — in the reader's language, the marker where the release hid a figure; never a
 * breakdown by group, never a grouping question.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { isMarker, type ReleaseJson } from '../../src/releases/content.js';
import { render } from 'preact-render-to-string';
import { figuresFor, ThemeFigures } from '../../src/review/figures.js';
import { attr, byId, elementById, elements, tags, text } from '../html.js';
import { makeApp, sampleSurvey, shown, type TestApp } from '../helpers.js';
import { signedIn } from '../access/client.js';
import { createTheme, GROUPING_WORDS, numbered, publishReview, queue, reviewable, setStatus, SLUG } from './fixture.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);
const def = sampleSurvey();

async function release(t: TestApp): Promise<ReleaseJson> {
  const res = await t.app.inject({ url: `/api/surveys/${SLUG}/results` });
  expect(res.statusCode).toBe(200);
  return res.json() as ReleaseJson;
}

async function themeQuestions(t: TestApp, id: number, questions: string[] | undefined, lang = 'en') {
  return t.app.inject({ method: 'PATCH', url: `/api/themes/${id}?lang=${lang}`, headers: t.as('wg'), payload: questions === undefined ? {} : { questions } });
}

/** Twelve published comments, one theme naming two questions, one matched by keyword, one with none. */
async function setUp() {
  const t = await makeApp();
  await reviewable(t, numbered(12));
  const chosen = await createTheme(t, SLUG, { en: 'Voice', es: 'Voz', fr: 'Parole' });
  expect((await themeQuestions(t, chosen.id, ['usefulness', 'speak_freely'])).statusCode).toBe(200);
  // "freely" is in the wording of speak_freely in English: the keyword chooses it.
  const matched = await createTheme(t, SLUG, { en: 'Freedom', es: 'Libertad', fr: 'Liberté' }, { en: ['freely'] });
  const none = await createTheme(t, SLUG, { en: 'Other', es: 'Otro', fr: 'Autre' });
  const items = await queue(t);
  await setStatus(t, items, 'published');
  return { t, chosen: chosen.id, matched: matched.id, none: none.id };
}

describe('the brief sets each theme beside its questions’ figures', () => {
  for (const locale of LOCALES) {
    it(`for all respondents, from the final release, in ${locale}`, async () => {
      const { t, chosen, matched, none } = await setUp();
      await publishReview(t);
      const staff = await signedIn(t, 'staff');
      const res = await staff.get(`/wg/${SLUG}/brief?lang=${locale}`);
      expect(res.statusCode).toBe(200);
      const tt = tr(locale);
      // Its figures are drawn with the results' stylesheet for charts.
      expect(tags(res.body, 'link').map((l) => attr(l, 'href'))).toContain('/assets/charts.css');
      const published = await release(t);
      const fmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });

      // A theme's part of the brief: from its heading to the next theme's.
      const section = (id: number) => {
        const from = res.body.indexOf(`<h2 id="theme-${id}"`);
        expect(from).toBeGreaterThan(0);
        const to = res.body.indexOf('<h2 ', from + 1);
        return res.body.slice(from, to < 0 ? undefined : to);
      };
      const figures = (id: number) => elementById(section(id), `figures-${id}`);
      // Chosen: in the survey's order, whatever order they were named in.
      const chosenSection = section(chosen);
      expect(text(elementById(chosenSection, `figures-${chosen}-title`)!)).toBe(tt('review:brief_figures'));
      expect(elements(chosenSection, 'h4').map((h) => text(h))).toEqual([shown(def.questions[1]!.prompt[locale], locale), shown(def.questions[3]!.prompt[locale], locale)]);
      // The figures are the release's, each answer's share as the results page writes it.
      const likert = published.questions.find((q) => q.id === 'speak_freely')!;
      if (likert.type === 'text' || isMarker(likert.overall)) throw new Error('expected published likert figures');
      const table = elements(chosenSection, 'table')[0]!;
      for (const [value, count] of Object.entries(likert.overall.counts)) {
        if (isMarker(count)) expect(text(table)).toContain(shown(tt('results:marker'), locale));
        else expect(text(table)).toContain(shown(fmt.format(count / likert.overall.n), locale));
        expect(value).toBeTruthy();
      }
      expect(text(chosenSection)).toContain(text(tt('review:brief_answered', { count: likert.overall.n, formatted: String(likert.overall.n) })));

      // Matched by keyword: the likert question only.
      expect(elements(section(matched), 'h4').map((h) => text(h))).toEqual([shown(def.questions[1]!.prompt[locale], locale)]);
      // Neither chosen nor matched: no figures at all.
      expect(figures(none)).toBeUndefined();

      // Never a breakdown, never a group, anywhere in the brief.
      const visible = text(res.body).toLowerCase();
      expect(visible).not.toContain(tt('results:by', { question: '' }).trim().toLowerCase());
      for (const word of GROUPING_WORDS) expect(visible, word).not.toContain(word.toLowerCase());
    });
  }

  it('shows the marker, not a number, where the release hid a figure (figures the audit hid, drawn as the brief draws them)', () => {
    // Overall counts are rarely hidden (rule 1 hides small groups), but the audit of rule 8 may
    // hide any figure: a release with one answer's count and one whole question hidden.
    const marker = tr('es')('results:marker');
    const releaseJson = {
      questions: [
        { id: 'speak_freely', type: 'likert', overall: { n: 12, counts: { '1': 3, '2': { suppressed: true }, '3': 4, '4': 3, '5': { suppressed: true } } }, breakdowns: {} },
        { id: 'usefulness', type: 'rating', overall: { suppressed: true }, breakdowns: {} },
      ],
    } as unknown as ReleaseJson;
    const figures = figuresFor(def as never, releaseJson, ['usefulness', 'speak_freely', 'region', 'suggestions']);
    // In the survey's order; the grouping and free-text questions never.
    expect(figures.map((f) => f.q.id)).toEqual(['speak_freely', 'usefulness']);
    const ctx = { locale: 'es' as const, t: tr('es'), path: '/wg/x/brief' };
    const html = render(<ThemeFigures ctx={ctx} figures={figures} id="figures-1" />);
    const likert = elementById(html, 'figures-1-speak_freely')!;
    // The bars say it shortly with the legend; the table in full; the shares shown are of n.
    expect(text(likert)).toContain(tr('es')('results:marker_short'));
    expect(text(likert)).toContain(text(tr('es')('results:marker_legend', { short: tr('es')('results:marker_short') })));
    expect(text(elements(likert, 'table')[0]!)).toContain(marker);
    expect(text(likert)).toContain(new Intl.NumberFormat('es', { style: 'percent', maximumFractionDigits: 0 }).format(4 / 12));
    // A question hidden whole: the marker alone, no table, no bars.
    const rating = elementById(html, 'figures-1-usefulness')!;
    expect(text(rating)).toBe(`${def.questions[3]!.prompt.es} ${marker}`);
  });
});

describe('the questions a theme concerns', () => {
  it('are checked: a question of the survey with figures, never free text or a grouping question; none clears the choice', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(9));
    const theme = await createTheme(t, SLUG, { en: 'Voice', es: 'Voz', fr: 'Parole' });
    const before = t.db.sqlite.prepare('select questions from themes where id = ?').pluck().get(theme.id);
    for (const [questions, code] of [
      [['nothing'], 'unknown_question'],
      [['suggestions'], 'question_without_figures'],
      [['region'], 'theme_beside_groups'],
    ] as const) {
      const res = await themeQuestions(t, theme.id, [...questions], 'fr');
      expect(res.statusCode, code).toBe(400);
      expect(JSON.stringify(res.json())).toContain(code);
      expect(t.db.sqlite.prepare('select questions from themes where id = ?').pluck().get(theme.id)).toBe(before);
    }
    const refused = await themeQuestions(t, theme.id, ['region'], 'fr');
    expect(JSON.stringify(refused.json())).toContain(JSON.stringify(tr('fr')('problems:theme_beside_groups', { id: 'region' })).slice(1, -1));
    expect((await themeQuestions(t, theme.id, ['activities'])).json()).toMatchObject({ questions: ['activities'] });
    expect((await themeQuestions(t, theme.id, [])).json()).toMatchObject({ questions: null });
  });

  it('are ticked on the theme’s form, with the keywords’ matches pointed out while none is chosen', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(9));
    const theme = await createTheme(t, SLUG, { en: 'Freedom', es: 'Libertad', fr: 'Liberté' }, { en: ['freely'] });
    const wg = await signedIn(t, 'wg');
    const page = (await wg.get(`/wg/${SLUG}/review?lang=en`)).body;
    const boxes = tags(page, 'input').filter((i) => attr(i, 'name') === 'questions' && attr(i, 'id')?.startsWith(`theme-${theme.id}-`));
    // Every question with figures but the grouping one; none ticked yet.
    expect(boxes.map((b) => attr(b, 'value'))).toEqual(['speak_freely', 'activities', 'usefulness']);
    expect(boxes.filter((b) => attr(b, 'checked') !== undefined)).toEqual([]);
    const label = (q: string) => text(new RegExp(`<label for="theme-${theme.id}-q-${q}">([\\s\\S]*?)</label>`).exec(page)![1]!);
    expect(label('speak_freely')).toContain(tr('en')('review:matches_keywords'));
    expect(label('activities')).not.toContain(tr('en')('review:matches_keywords'));

    // Ticked and saved through the form: the choice replaces the keywords'.
    const csrf = await wg.csrf(`/wg/${SLUG}/review`);
    const saved = await wg.post(`/wg/${SLUG}/themes/${theme.id}?lang=en`, {
      _csrf: csrf,
      label_en: 'Freedom',
      label_es: 'Libertad',
      label_fr: 'Liberté',
      keywords_en: 'freely',
      questions: ['activities'],
    });
    expect(saved.statusCode).toBe(303);
    const after = (await wg.get(`/wg/${SLUG}/review?lang=en`)).body;
    expect(attr(byId(after, `theme-${theme.id}-q-activities`)!, 'checked')).toBeDefined();
    expect(attr(byId(after, `theme-${theme.id}-q-speak_freely`)!, 'checked')).toBeUndefined();
    expect(text(after)).not.toContain(`(${tr('en')('review:matches_keywords')})`);
  });
});
