/**
 * The results page's charts and tables as they are sent (issue 13, item 5): bars in HTML whose SVG
 * stretches with the page (no fixed width, no inline style), a short marker in the bars where a
 * figure is hidden with its legend in words, the full marker in the tables, and breakdown tables
 * whose every figure carries its answer for the stacked layout of a phone — in three languages.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { attr, decode, elements, tags, text } from '../html.js';
import { byClass, section } from './classes.js';
import { closeSurvey, inviteCodes, makeApp, openSurvey, sampleSurvey, submit, type TestApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);
/** Text as a French page shows it: the page is typeset, so compare without its no-break spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

const SLUG = 'learning-lab-2026';
const CALLS = { en: 'Calls', es: 'Llamadas', fr: 'Appels' };
const REGIONS = ['africa', 'africa', 'americas', 'africa', 'americas', 'asia', 'americas', 'africa', undefined, 'americas'];

/**
 * 30 responses: africa 9, americas 12, asia 3, 6 who skip the question (asia and "prefer not to
 * say" are too small and hidden). Everyone ticks calls (so its count is hidden: rule 2); every
 * rating from 0 to 10 is given, so that the rating's breakdown has more columns than a page fits.
 */
async function released(): Promise<TestApp> {
  const t = await makeApp();
  await openSurvey(t, sampleSurvey({ access: 'invite' }));
  const codes = await inviteCodes(t, SLUG, 30);
  for (let i = 0; i < 30; i++) {
    const region = REGIONS[i % REGIONS.length];
    const answers = { ...(region ? { region } : {}), speak_freely: 1 + ((i * 7) % 5), activities: i % 3 ? ['calls'] : ['calls', 'mentoring'], usefulness: (i * 3) % 11 };
    const res = await submit(t, SLUG, { answers, inviteCode: codes[i] });
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  }
  await closeSurvey(t, SLUG);
  return t;
}

describe('the charts of the results page', () => {
  it('are bars in HTML that reflow: each SVG stretches to its column, none has a width of its own, nothing is styled inline', async () => {
    const t = await released();
    for (const lang of LOCALES) {
      const html = (await t.app.inject({ url: `/s/${SLUG}/results?lang=${lang}` })).body;
      expect(html).not.toMatch(/\sstyle="/);
      const svgs = tags(html, 'svg');
      expect(svgs.length).toBeGreaterThan(0);
      for (const svg of svgs) {
        // The one fixed-width chart is gone: a bar is 100 units wide, stretched by CSS.
        expect(attr(svg, 'width'), svg).toBeUndefined();
        expect(attr(svg, 'height'), svg).toBeUndefined();
        expect(attr(svg, 'viewBox')).toBe('0 0 100 10');
        expect(attr(svg, 'preserveAspectRatio')).toBe('none');
      }
      expect(html).not.toMatch(/<text[\s>]/);
      // One row per answer, its label in words; the chart is hidden from screen readers, which read the table.
      const speak = section(html, 'speak_freely');
      const [chart] = byClass(speak, 'div', 'chart');
      expect(attr(tags(chart!, 'div')[0]!, 'aria-hidden')).toBe('true');
      const rows = byClass(chart!, 'div', 'bar-row');
      expect(rows.map((r) => plain(text(byClass(r, 'span', 'bar-label')[0]!)))).toEqual([1, 2, 3, 4, 5].map((v) => plain(`${v} · ${tr(lang, `form:likert.${v}`)}`)));
      for (const row of rows) {
        const width = Number(attr(tags(row, 'rect').find((r) => attr(r, 'class') === 'fill')!, 'width'));
        expect(width).toBeGreaterThan(0);
        expect(width).toBeLessThanOrEqual(100);
        expect(plain(text(byClass(row, 'span', 'value')[0]!))).toMatch(/^\d+ ?%$/);
      }
      expect(speak).toMatch(/<table[\s>]/);
    }
  });

  it('mark a hidden figure with a short word that fits any bar, explained in full by a legend, in each language', async () => {
    const t = await released();
    const shorts = new Set<string>();
    for (const lang of LOCALES) {
      const html = (await t.app.inject({ url: `/s/${SLUG}/results?lang=${lang}` })).body;
      const short = tr(lang, 'results:marker_short');
      shorts.add(short);
      // Short: far shorter than the full marker, which clipped in the old 680-px chart.
      expect(short.length).toBeLessThanOrEqual(14);
      expect(short.length).toBeLessThan(tr(lang, 'results:marker').length / 2);

      // Calls were ticked by everyone: its bar is the short marker, and the legend says what it means.
      const activities = section(html, 'activities');
      const [chart] = byClass(activities, 'div', 'chart');
      const rows = byClass(chart!, 'div', 'bar-row');
      expect(rows).toHaveLength(3);
      const calls = rows[0]!;
      expect(text(byClass(calls, 'span', 'bar-label')[0]!)).toBe(CALLS[lang]);
      expect(text(byClass(calls, 'span', 'marker-short')[0]!)).toBe(short);
      expect(calls).not.toMatch(/<svg[\s>]/);
      expect(plain(text(byClass(chart!, 'p', 'legend')[0]!))).toBe(plain(tr(lang, 'results:marker_legend', { short })));
      // The legend is words, not a colour: it names the short marker and the reason.
      expect(plain(text(byClass(chart!, 'p', 'legend')[0]!))).toContain(short);
      // The table beside it keeps the full marker of rule 1.
      const calls_ = elements(elements(activities, 'table')[0]!, 'tr').find((r) => text(elements(r, 'th')[0] ?? '') === CALLS[lang])!;
      expect(plain(text(calls_))).toBe(plain(`${CALLS[lang]} ${tr(lang, 'results:marker')}`));

      // A chart with nothing hidden has no legend.
      const speak = byClass(section(html, 'speak_freely'), 'div', 'chart')[0]!;
      expect(byClass(speak, 'span', 'marker-short')).toEqual([]);
      expect(byClass(speak, 'p', 'legend')).toEqual([]);
      // The group sizes: asia and "prefer not to say" hidden, two short markers, one legend.
      const region = byClass(section(html, 'region'), 'div', 'chart')[0]!;
      expect(byClass(region, 'span', 'marker-short')).toHaveLength(2);
      expect(byClass(region, 'p', 'legend')).toHaveLength(1);
    }
    expect(shorts.size).toBe(3);
  });
});

describe('the breakdown tables of the results page', () => {
  it('name every row and column, put percentage and count in one cell, and label each figure for the stacked layout without repeating it to screen readers', async () => {
    const t = await released();
    for (const lang of LOCALES) {
      const html = (await t.app.inject({ url: `/s/${SLUG}/results?lang=${lang}` })).body;
      const [region] = byClass(section(html, 'speak_freely'), 'div', 'cells');
      const open = tags(region!, 'div')[0]!;
      expect(attr(open, 'role')).toBe('region');
      expect(attr(open, 'tabindex')).toBe('0');
      expect(attr(open, 'aria-labelledby')).toBe('q-speak_freely bd-speak_freely-region');
      expect(attr(open, 'class')).toBe('scroll cells');
      const heads = tags(region!, 'th').filter((th) => attr(th, 'scope') === 'col');
      expect(heads).toHaveLength(8);
      const headTexts = elements(elements(region!, 'thead')[0]!, 'th').map((h) => text(h));
      expect(headTexts[0]).toBe(tr(lang, 'results:group'));
      expect(headTexts.at(-1)).toBe(tr(lang, 'results:mean'));
      const rows = elements(elements(region!, 'tbody')[0]!, 'tr');
      expect(rows).toHaveLength(4);
      for (const row of rows) expect(tags(row, 'th').map((th) => attr(th, 'scope'))).toEqual(['row']);
      // Africa is published: each figure carries its column's header, hidden from screen readers.
      const cells = [...rows[0]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
      expect(cells).toHaveLength(7);
      for (const [i, cell] of cells.entries()) {
        const [head] = byClass(cell, 'span', 'head');
        expect(attr(tags(head!, 'span')[0]!, 'aria-hidden')).toBe('true');
        expect(text(head!)).toBe(headTexts[i + 1]);
      }
      // "22 % (2)": the percentage and its count side by side, as the language writes a percentage.
      const figure = decode(cells[1]!.replace(/<span class="head"[\s\S]*?<\/span>/, ''));
      expect(plain(figure)).toMatch(/^\d+ ?% \(\d+\)$/);
      // Asia is hidden: the full marker across the row, no labels.
      const asia = rows[2]!;
      expect(plain(text(asia))).toBe(plain(`${text(elements(asia, 'th')[0]!)} ${tr(lang, 'results:marker')}`));
      expect(byClass(asia, 'span', 'head')).toEqual([]);
    }
  });

  it('hold a table with more columns than a page fits (a rating from 0 to 10) at the width where tables stack', async () => {
    const t = await released();
    const body = (await t.app.inject({ url: `/api/surveys/${SLUG}/results` })).json() as { questions: { id: string; breakdowns: Record<string, { suppressed?: boolean }[]> }[] };
    // The rating's breakdown is published for at least one group, so its table has all eleven columns.
    expect(body.questions.find((q) => q.id === 'usefulness')!.breakdowns.region!.some((g) => g.suppressed !== true)).toBe(true);
    for (const lang of LOCALES as readonly Locale[]) {
      const html = (await t.app.inject({ url: `/s/${SLUG}/results?lang=${lang}` })).body;
      const [wide] = byClass(section(html, 'usefulness'), 'div', 'cells');
      expect(attr(tags(wide!, 'div')[0]!, 'class')).toBe('scroll cells wide');
      expect(tags(wide!, 'th').filter((th) => attr(th, 'scope') === 'col')).toHaveLength(14);
      // Five answers, the count and the mean fit a page: a table wherever there is room.
      expect(attr(tags(byClass(section(html, 'speak_freely'), 'div', 'cells')[0]!, 'div')[0]!, 'class')).toBe('scroll cells');
    }
  });
});
