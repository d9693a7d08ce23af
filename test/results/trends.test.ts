/**
 * Trends (§13) through the real app and SQLite: a final release of a survey in a series carries the
 * earlier rounds' figures byte for byte as those rounds published them (never recomputed: the
 * earlier round's raw answers are gone when the later one closes), the audit is the same with or
 * without them, and a figure an earlier round hid is the marker on the page and in the CSV.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/releases/audit/audit.js';
import { ReleaseJson } from '../../src/releases/content.js';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { attr, elementById, elements, tags, text } from '../html.js';
import { byClass, section as questionSection } from './classes.js';
import { closeSurvey, inviteCodes, L, makeApp, sampleSurvey, submit, type TestApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);

const SERIES = 'partner-feedback';
const FIRST = 'partner-feedback-2026';
const SECOND = 'partner-feedback-2027';
const REGIONS = { en: ['Africa', 'Americas', 'Asia'], es: ['África', 'Américas', 'Asia'], fr: ['Afrique', 'Amériques', 'Asie'] };

type Answers = Record<string, unknown>;
/** n responses: regions in the given sizes (asia small), answers varied so that most cells are published. */
function answers(sizes: Record<string, number>, shift = 0): Answers[] {
  const out: Answers[] = [];
  let i = shift;
  for (const [region, n] of Object.entries(sizes)) {
    for (let j = 0; j < n; j++, i++) {
      out.push({ ...(region === 'skip' ? {} : { region }), speak_freely: 1 + (i % 5), activities: i % 3 === 0 ? ['calls', 'mentoring'] : i % 3 === 1 ? ['calls'] : ['mentoring'], usefulness: i % 11 });
    }
  }
  return out;
}

const api = (t: TestApp, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as('staff'), ...(payload === undefined ? {} : { payload }) });

async function answerAndClose(t: TestApp, slug: string, responses: Answers[]) {
  const codes = await inviteCodes(t, slug, responses.length);
  for (const [i, a] of responses.entries()) {
    const res = await submit(t, slug, { answers: a, inviteCode: codes[i] });
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  }
  await closeSurvey(t, slug);
}

async function open(t: TestApp, slug: string) {
  const res = await api(t, 'PATCH', `/api/surveys/${slug}`, { status: 'open' });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
}

/**
 * Round one (asia has 2 partners: hidden in every breakdown), then its next round made by
 * duplicating it. Without a series, round one is the series of its own slug, which the copy names.
 */
async function twoRounds({ series = true }: { series?: boolean } = {}): Promise<TestApp> {
  const t = await makeApp();
  const first: SurveyDefinition = sampleSurvey({ slug: FIRST, ...(series ? { series: SERIES } : {}), access: 'invite', title: L('Partner feedback 2026', 'Opinión de las organizaciones 2026', 'Avis des partenaires 2026') });
  expect((await api(t, 'POST', '/api/surveys', first)).statusCode).toBe(201);
  await open(t, FIRST);
  await answerAndClose(t, FIRST, answers({ africa: 8, americas: 7, asia: 2, skip: 3 }));
  // The next round: the same questions and series.
  expect((await api(t, 'POST', `/api/surveys/${FIRST}/duplicate`, { slug: SECOND, title: L('Partner feedback 2027', 'Opinión de las organizaciones 2027', 'Avis des partenaires 2027') })).statusCode).toBe(201);
  await open(t, SECOND);
  // Round one's raw answers are gone before round two closes: its figures can only be copied.
  const firstId = t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get(FIRST) as number;
  t.db.sqlite.prepare('delete from answers where survey_id = ?').run(firstId);
  await answerAndClose(t, SECOND, answers({ africa: 9, americas: 9, asia: 6, skip: 6 }, 2));
  return t;
}

describe('trends in the final release (§13)', () => {
  it('carries each question of the earlier round byte for byte as that round published it', async () => {
    const t = await twoRounds();
    const firstText = (await api(t, 'GET', `/api/surveys/${FIRST}/results`)).body;
    const secondText = (await api(t, 'GET', `/api/surveys/${SECOND}/results`)).body;
    const first = ReleaseJson.parse(JSON.parse(firstText));
    const second = ReleaseJson.parse(JSON.parse(secondText));
    expect(first.audit?.passed).toBe(true);
    expect(first.questions.some((q) => q.type !== 'text' && 'previous' in q)).toBe(false);

    for (const q of second.questions) {
      const then = first.questions.find((x) => x.id === q.id)!;
      if (q.type === 'text' || then.type === 'text') {
        expect(q).not.toHaveProperty('previous');
        continue;
      }
      // The exact text of the earlier release's figures appears, as one piece, in the later one.
      const overall = JSON.stringify(then.overall);
      const breakdowns = JSON.stringify(then.breakdowns);
      expect(firstText).toContain(`"overall":${overall},"breakdowns":${breakdowns}`);
      expect(secondText).toContain(`"previous":[{"survey":"${FIRST}","overall":${overall},"breakdowns":${breakdowns}}]`);
      expect(q.previous).toEqual([{ survey: FIRST, overall: then.overall, breakdowns: then.breakdowns }]);
    }
    // Round one hid asia in its breakdowns; round two published it: the trend keeps round one's marker.
    const speak = second.questions.find((q) => q.id === 'speak_freely')!;
    if (speak.type === 'text') throw new Error('unexpected');
    expect(speak.previous![0]!.breakdowns.region!.find((g) => g.group === 'asia')).toEqual({ group: 'asia', suppressed: true });
    expect(speak.breakdowns.region!.find((g) => g.group === 'asia')).toMatchObject({ group: 'asia', n: 6 });
  });

  it('passes the same audit with or without the earlier rounds: they publish nothing new', async () => {
    const t = await twoRounds();
    const second = ReleaseJson.parse((await api(t, 'GET', `/api/surveys/${SECOND}/results`)).json());
    const without = { ...second, questions: second.questions.map((q) => (q.type === 'text' ? q : (({ previous: _p, ...rest }) => rest)(q))) };
    const withTrend = await audit(second, { mode: 'bounds' });
    const alone = await audit(without, { mode: 'bounds' });
    expect(withTrend.passed).toBe(true);
    expect(withTrend.hiddenFigures).toBe(alone.hiddenFigures);
    expect(second.audit?.hiddenFigures).toBe(alone.hiddenFigures);
    expect(withTrend.intervals).toEqual(alone.intervals);
    expect(withTrend.joint).toEqual(alone.joint);
  });

  it('shows the rounds side by side on the page, with the marker where the earlier round hid a group', async () => {
    const t = await twoRounds();
    for (const lang of LOCALES) {
      const page = (await t.app.inject({ url: `/s/${SECOND}/results?lang=${lang}` })).body;
      const section = elementById(page, 'rounds-speak_freely')!;
      expect(section).toBeDefined();
      const rounds = elementById(page, 'rounds-speak_freely-table')!;
      expect(text(rounds)).toBe(tr(lang, 'results:rounds_caption'));
      // The comparison table: a row per round, oldest first, this round last.
      const q = page.slice(page.indexOf('id="rounds-speak_freely"'));
      const table = elements(q, 'table')[0]!;
      const rowHeads = [...table.matchAll(/<th scope="row">([\s\S]*?)<\/th>/g)].map((m) => text(m[1]!));
      expect(rowHeads).toEqual([
        { en: 'Partner feedback 2026', es: 'Opinión de las organizaciones 2026', fr: 'Avis des partenaires 2026' }[lang],
        tr(lang, 'results:this_round', { title: { en: 'Partner feedback 2027', es: 'Opinión de las organizaciones 2027', fr: 'Avis des partenaires 2027' }[lang] }),
      ]);
      // The earlier round by group: asia is the marker, never a number.
      const details = elements(q, 'details')[0]!;
      expect(text(details)).toContain(tr(lang, 'results:earlier_by_group'));
      const byRegion = elements(details, 'table')[0]!;
      const asiaLabel = { en: 'Asia', es: 'Asia', fr: 'Asie' }[lang];
      const asiaRow = elements(byRegion, 'tr').find((row) => text(row).startsWith(asiaLabel))!;
      expect(text(asiaRow)).toBe(`${asiaLabel} ${tr(lang, 'results:marker')}`);
      // The chart: the same bar rows as this round's chart, per answer one per round; round one hid
      // asia's group size, so its bar there is the short marker, and the legend says what it means.
      const regionRounds = byClass(questionSection(page, 'region'), 'div', 'rounds-chart')[0]!;
      expect(attr(tags(regionRounds, 'div')[0]!, 'aria-hidden')).toBe('true');
      const answersShown = byClass(regionRounds, 'div', 'answer');
      expect(answersShown.map((a) => text(elements(a, 'p')[0]!))).toEqual([...REGIONS[lang], tr(lang, 'form:prefer_not_to_say')]);
      for (const answer of answersShown) expect(byClass(answer, 'div', 'bar-row')).toHaveLength(2);
      const asiaBars = byClass(answersShown[2]!, 'div', 'bar-row');
      expect(text(byClass(asiaBars[0]!, 'span', 'marker-short')[0]!)).toBe(tr(lang, 'results:marker_short'));
      expect(asiaBars[1]!).toMatch(/<svg[\s>]/);
      expect(text(byClass(regionRounds, 'p', 'legend')[0]!)).toBe(tr(lang, 'results:marker_legend', { short: tr(lang, 'results:marker_short') }));
      // Every region is named for itself: no two share a name.
      const names = [...page.matchAll(/role="region" aria-labelledby="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('adds the earlier round\'s rows to the CSV, named in its survey column', async () => {
    const t = await twoRounds({ series: false });
    for (const lang of LOCALES) {
      const csv = (await t.app.inject({ url: `/api/surveys/${SECOND}/results.csv?lang=${lang}` })).body;
      const rows = parse(csv.slice(1), { delimiter: lang === 'en' ? ',' : ';' }) as string[][];
      expect(rows[0]![0]).toBe(tr(lang, 'results:csv.survey'));
      const speak = rows.filter((row) => row[1] === 'speak_freely');
      // Round one's rows first, then this round's.
      const surveys = speak.map((row) => row[0]);
      expect(surveys.indexOf(SECOND)).toBeGreaterThan(surveys.lastIndexOf(FIRST));
      expect(surveys.filter((s) => s === FIRST).length).toBeGreaterThan(5);
      const asia = { en: 'Asia', es: 'Asia', fr: 'Asie' }[lang];
      const region = { en: 'Where do you work?', es: '¿Dónde trabaja?', fr: 'Où travaillez-vous ?' }[lang];
      expect(speak).toContainEqual([FIRST, 'speak_freely', expect.any(String), region, asia, '', '', '', '', '', '', tr(lang, 'results:marker')]);
      expect(speak.filter((row) => row[0] === SECOND && row[4] === asia && row[5] === '6')).toHaveLength(5);
    }
  });

  it('compares only the same question, and only rounds that opened earlier and released their final results', async () => {
    const t = await makeApp();
    const base = sampleSurvey({ series: SERIES, access: 'invite' });
    // Round A opens first; round B opens second, and its activities question has other options.
    const a = { ...base, slug: 'round-a' };
    const b = {
      ...base,
      slug: 'round-b',
      questions: base.questions.map((q) => (q.id === 'activities' && q.type === 'multi_choice' ? { ...q, options: [...q.options].reverse() } : q)),
    };
    for (const def of [a, b]) {
      expect((await api(t, 'POST', '/api/surveys', def)).statusCode).toBe(201);
      await open(t, def.slug);
    }
    // B closes while A is still open: nothing to compare with.
    await answerAndClose(t, 'round-b', answers({ africa: 8, americas: 8, asia: 5 }).map((x) => ({ ...x, activities: ['calls'] })));
    const bRelease = ReleaseJson.parse((await api(t, 'GET', '/api/surveys/round-b/results')).json());
    expect(bRelease.questions.every((q) => q.type === 'text' || q.previous === undefined)).toBe(true);
    // A closes after B, but opened before it: B is a later round, not an earlier one.
    await answerAndClose(t, 'round-a', answers({ africa: 8, americas: 8, asia: 5 }));
    const aRelease = ReleaseJson.parse((await api(t, 'GET', '/api/surveys/round-a/results')).json());
    expect(aRelease.questions.every((q) => q.type === 'text' || q.previous === undefined)).toBe(true);

    // Round C (opened third) compares with both, oldest first, except where the options differ.
    const c = { ...base, slug: 'round-c' };
    expect((await api(t, 'POST', '/api/surveys', c)).statusCode).toBe(201);
    await open(t, 'round-c');
    await answerAndClose(t, 'round-c', answers({ africa: 8, americas: 8, asia: 5 }, 1));
    const cRelease = ReleaseJson.parse((await api(t, 'GET', '/api/surveys/round-c/results')).json());
    const previousOf = (id: string) => {
      const q = cRelease.questions.find((x) => x.id === id)!;
      return q.type === 'text' ? undefined : q.previous?.map((p) => p.survey);
    };
    expect(previousOf('speak_freely')).toEqual(['round-a', 'round-b']);
    expect(previousOf('usefulness')).toEqual(['round-a', 'round-b']);
    expect(previousOf('activities')).toEqual(['round-a']);
  });
});
