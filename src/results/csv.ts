/**
 * The released snapshot as CSV (§7), headers and labels in the reader's language, written as that
 * language's spreadsheets read it: separated by commas with decimal points in English, by
 * semicolons with decimal commas in Spanish and French. Two layouts: long (one row per figure, the
 * default) and wide (one row per question and group, the answers side by side). Written with
 * csv-stringify, whose escape_formulas option neutralises spreadsheet formulas (=, +, -, @, tab,
 * carriage return at the start of a cell) in any text taken from a survey definition; numbers stay
 * numbers (a negative one is not a formula).
 */
import { stringify } from 'csv-stringify/sync';
import type { Locale, Translate } from '../i18n/index.js';
import { isMarker, type ChoiceQuestionResult, type FigureCell, type Marker, type QuestionResult } from '../releases/content.js';
import type { Question, ResolvedDefinition } from '../surveys/definition.js';
import type { StoredRelease } from '../releases/repository.js';
import { answerLabel, orderedCounts, questionById } from './labels.js';

export const CSV_LAYOUTS = ['long', 'wide'] as const;
export type CsvLayout = (typeof CSV_LAYOUTS)[number];

const LONG = ['survey', 'question_id', 'question', 'breakdown', 'group', 'respondents', 'answer_value', 'answer', 'count', 'percent', 'mean', 'note'] as const;
const WIDE = ['survey', 'question_id', 'question', 'breakdown', 'group', 'respondents', 'mean', 'note'] as const;

type Cell = string | number;
type Row = Cell[];

/** The separator and decimal mark a spreadsheet in this language expects. */
export const csvFormat = (locale: Locale) => (locale === 'en' ? { delimiter: ',', decimal: '.' } : { delimiter: ';', decimal: ',' });

/** One answer of a figure: its stored value, its label, and its count (or the marker). */
interface Answer {
  value: Cell;
  label: Cell;
  count: number | Marker | undefined;
}

/** A figure: one cell of one question in one round (overall or a group), ready for either layout. */
interface Figure {
  survey: string;
  q: Question;
  breakdown: string;
  group: string;
  cell: FigureCell;
  answers: Answer[];
}

const percentOf = (count: number, n: number): Cell => (n > 0 ? Math.round((count / n) * 1000) / 10 : '');

/**
 * Every figure of the release in order: the respondents first; then per question its earlier
 * rounds (§13), oldest first, each labelled from its own definition (labels may differ between
 * rounds), then this round — overall, then each breakdown's groups.
 */
function figures(def: ResolvedDefinition, release: StoredRelease, locale: Locale, t: Translate, earlier: ReadonlyMap<string, ResolvedDefinition>): { respondents: FigureCell | { n: number }; list: Figure[] } {
  const r = release.content;
  const list: Figure[] = [];
  const answersOf = (q: Question, cell: FigureCell): Answer[] =>
    isMarker(cell)
      ? []
      : orderedCounts(q, cell.counts).map(([raw, count]) => ({
          // A rating is a number, written as one.
          value: q.type === 'rating' ? Number(raw) : raw,
          label: q.type === 'rating' ? Number(raw) : answerLabel(q, raw, locale, t),
          count,
        }));
  const round = (survey: string, roundDef: ResolvedDefinition, id: string, figuresOf: Pick<ChoiceQuestionResult, 'overall' | 'breakdowns'>) => {
    const q = questionById(roundDef, id);
    if (!q) return;
    list.push({ survey, q, breakdown: t('results:overall'), group: '', cell: figuresOf.overall, answers: answersOf(q, figuresOf.overall) });
    for (const [groupingId, groups] of Object.entries(figuresOf.breakdowns ?? {})) {
      const g = questionById(roundDef, groupingId);
      if (!g) continue;
      for (const { group, ...rest } of groups) {
        const cell = rest as FigureCell;
        list.push({ survey, q, breakdown: g.prompt[locale], group: answerLabel(g, group, locale, t), cell, answers: answersOf(q, cell) });
      }
    }
  };
  for (const result of r.questions as QuestionResult[]) {
    const q = questionById(def, result.id);
    if (!q) continue;
    if (result.type === 'text') {
      // A text question's one figure: how many comments, as an answer named "Comments received".
      const c = result.comments;
      list.push({ survey: r.survey, q, breakdown: t('results:overall'), group: '', cell: isMarker(c) ? c : { n: c.n, counts: {} }, answers: [{ value: '', label: t('results:comments'), count: isMarker(c) ? c : c.n }] });
      continue;
    }
    for (const previous of result.previous ?? []) round(previous.survey, earlier.get(previous.survey) ?? def, result.id, previous);
    round(r.survey, def, result.id, result);
  }
  return { respondents: r.respondents, list };
}

export function resultsCsv(
  def: ResolvedDefinition,
  release: StoredRelease,
  locale: Locale,
  t: Translate,
  earlier: ReadonlyMap<string, ResolvedDefinition> = new Map(),
  layout: CsvLayout = 'long',
): string {
  const marker = t('results:marker');
  const { delimiter, decimal } = csvFormat(locale);
  const { respondents, list } = figures(def, release, locale, t, earlier);
  const survey = release.content.survey;
  const total: Cell = isMarker(respondents) ? '' : respondents.n;
  const rows: Row[] = [];
  const isText = (f: Figure) => f.q.type === 'text';
  // A text question's count stands in the answer's count; its respondents column stays empty.
  const n = (f: Figure): Cell => (isMarker(f.cell) || isText(f) ? '' : f.cell.n);
  const mean = (f: Figure): Cell => (isMarker(f.cell) ? '' : (f.cell as { mean?: number }).mean ?? '');

  if (layout === 'long') {
    rows.push(LONG.map((c) => t(`results:csv.${c}`)));
    rows.push([survey, '', t('results:respondents'), '', '', total, '', '', '', '', '', isMarker(respondents) ? marker : '']);
    for (const f of list) {
      const base: Row = [f.survey, f.q.id, f.q.prompt[locale], f.breakdown, f.group];
      if (isMarker(f.cell)) {
        rows.push([...base, '', '', isText(f) ? f.answers[0]!.label : '', '', '', '', marker]);
        continue;
      }
      for (const a of f.answers) {
        if (a.count === undefined || isMarker(a.count)) rows.push([...base, n(f), a.value, a.label, '', '', '', marker]);
        else rows.push([...base, n(f), a.value, a.label, a.count, isText(f) ? '' : percentOf(a.count, f.cell.n), mean(f), '']);
      }
    }
  } else {
    const widest = Math.max(0, ...list.map((f) => (isMarker(f.cell) ? 0 : f.answers.length)));
    const numbered = Array.from({ length: widest }, (_, i) => [t('results:csv.answer_n', { n: i + 1 }), t('results:csv.count_n', { n: i + 1 }), t('results:csv.percent_n', { n: i + 1 })]).flat();
    const header = [...WIDE.map((c) => t(`results:csv.${c}`)), ...numbered];
    // Every row as long as the header: a rectangle, as spreadsheets and CSV readers expect.
    const pad = (row: Row): Row => [...row, ...Array<Cell>(header.length - row.length).fill('')];
    rows.push(header);
    rows.push(pad([survey, '', t('results:respondents'), '', '', total, '', isMarker(respondents) ? marker : '']));
    for (const f of list) {
      const cell = f.cell;
      const answers = isMarker(cell)
        ? []
        : f.answers.flatMap((a): Cell[] => (a.count === undefined || isMarker(a.count) ? [a.label, marker, ''] : [a.label, a.count, isText(f) ? '' : percentOf(a.count, cell.n)]));
      rows.push(pad([f.survey, f.q.id, f.q.prompt[locale], f.breakdown, f.group, n(f), mean(f), isMarker(f.cell) ? marker : '', ...answers]));
    }
  }
  // A byte-order mark, so that spreadsheet programs read the accents of es and fr correctly.
  return `\ufeff${stringify(rows, { escape_formulas: true, delimiter, cast: { number: (v) => String(v).replace('.', decimal) } })}`;
}
