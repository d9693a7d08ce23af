/**
 * The released snapshot as CSV (§7), headers and labels in the reader's language. Written with
 * csv-stringify, whose escape_formulas option neutralises spreadsheet formulas (=, +, -, @, tab,
 * carriage return at the start of a cell) in any text taken from a survey definition.
 */
import { stringify } from 'csv-stringify/sync';
import type { Locale, Translate } from '../i18n/index.js';
import { isMarker, type ChoiceQuestionResult, type FigureCell, type QuestionResult } from '../releases/content.js';
import type { ResolvedDefinition } from '../surveys/definition.js';
import type { StoredRelease } from '../releases/repository.js';
import { answerLabel, orderedCounts, questionById } from './labels.js';

const COLUMNS = ['survey', 'question_id', 'question', 'breakdown', 'group', 'respondents', 'answer_value', 'answer', 'count', 'percent', 'mean', 'note'] as const;

type Row = (string | number)[];

/**
 * One row per figure (the long layout). Trends (§13): a question's earlier rounds come first,
 * oldest first, each named in the `survey` column and labelled from its own definition (labels
 * may differ between rounds), then this round.
 */
export function resultsCsv(def: ResolvedDefinition, release: StoredRelease, locale: Locale, t: Translate, earlier: ReadonlyMap<string, ResolvedDefinition> = new Map()): string {
  const marker = t('results:marker');
  const rows: Row[] = [COLUMNS.map((c) => t(`results:csv.${c}`))];
  const r = release.content;

  rows.push([r.survey, '', t('results:respondents'), '', '', isMarker(r.respondents) ? '' : r.respondents.n, '', '', '', '', '', isMarker(r.respondents) ? marker : '']);

  const cellRows = (survey: string, q: NonNullable<ReturnType<typeof questionById>>, breakdown: string, group: string, cell: FigureCell) => {
    const base = [survey, q.id, q.prompt[locale], breakdown, group];
    if (isMarker(cell)) {
      rows.push([...base, '', '', '', '', '', '', marker]);
      return;
    }
    for (const [raw, count] of orderedCounts(q, cell.counts)) {
      // A rating is a number, written as one: a spreadsheet reads "-2" as a number, and the
      // formula guard (which prefixes text starting with "-") has nothing to guard.
      const value: string | number = q.type === 'rating' ? Number(raw) : raw;
      const label = q.type === 'rating' ? Number(raw) : answerLabel(q, raw, locale, t);
      if (isMarker(count)) rows.push([...base, cell.n, value, label, '', '', '', marker]);
      else rows.push([...base, cell.n, value, label, count, cell.n > 0 ? Math.round((count / cell.n) * 1000) / 10 : '', cell.mean ?? '', '']);
    }
  };

  /** A question's overall figure and breakdowns in one round, labelled from that round's definition. */
  const roundRows = (survey: string, roundDef: ResolvedDefinition, id: string, figures: Pick<ChoiceQuestionResult, 'overall' | 'breakdowns'>) => {
    const q = questionById(roundDef, id);
    if (!q) return;
    cellRows(survey, q, t('results:overall'), '', figures.overall);
    for (const [groupingId, groups] of Object.entries(figures.breakdowns ?? {})) {
      const g = questionById(roundDef, groupingId);
      if (!g) continue;
      for (const cell of groups) {
        const { group, ...rest } = cell;
        cellRows(survey, q, g.prompt[locale], answerLabel(g, group, locale, t), rest as FigureCell);
      }
    }
  };

  for (const result of r.questions as QuestionResult[]) {
    const q = questionById(def, result.id);
    if (!q) continue;
    if (result.type === 'text') {
      const c = result.comments;
      rows.push([r.survey, q.id, q.prompt[locale], t('results:overall'), '', '', '', t('results:comments'), isMarker(c) ? '' : c.n, '', '', isMarker(c) ? marker : '']);
      continue;
    }
    for (const round of result.previous ?? []) roundRows(round.survey, earlier.get(round.survey) ?? def, result.id, round);
    roundRows(r.survey, def, result.id, result);
  }
  // A byte-order mark, so that spreadsheet programs read the accents of es and fr correctly.
  return `\ufeff${stringify(rows, { escape_formulas: true })}`;
}
