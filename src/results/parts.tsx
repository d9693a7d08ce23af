/**
 * Pieces of the results page shared by this round's figures and the rounds compared (§7, §13):
 * the one generic marker, and the table of cells — groups of a breakdown, or rounds of a trend —
 * with a row per cell and a column per answer.
 */
import { isMarker, type FigureCell } from '../releases/content.js';
import type { Question } from '../surveys/definition.js';
import type { PageContext } from '../web/layout.js';
import { answerLabel, formatters, orderedCounts } from './labels.js';

export type Fmt = ReturnType<typeof formatters>;

export function Marker({ ctx }: { ctx: PageContext }) {
  return <span class="marker">{ctx.t('results:marker')}</span>;
}

export function share(count: number, n: number): number {
  return n > 0 ? count / n : 0;
}

export interface TableRow {
  key: string;
  /** The row's header: a group, or a round. */
  label: string;
  cell: FigureCell;
}

/**
 * A cell per row, a column per answer (percentage and count), the mean where the question has one;
 * a hidden cell is one marker across the row. Wrapped in a named, focusable region so that a wide
 * table can be scrolled with the keyboard.
 */
export function CellTable({
  ctx,
  q,
  rows,
  caption,
  captionId,
  labelledBy,
  rowHeader,
  fmt,
}: {
  ctx: PageContext;
  q: Question;
  rows: TableRow[];
  caption: string;
  captionId: string;
  /** The question's heading, named with the caption so that every region's name is its own. */
  labelledBy: string;
  rowHeader: string;
  fmt: Fmt;
}) {
  const { t, locale } = ctx;
  const firstPublished = rows.map((r) => r.cell).find((c) => !isMarker(c));
  // Column values: from a published cell, else none (every row is the marker).
  const values = firstPublished && !isMarker(firstPublished) ? orderedCounts(q, firstPublished.counts).map(([v]) => v) : [];
  const hasMean = q.type === 'likert' || q.type === 'rating';
  const columns = 2 + values.length + (hasMean ? 1 : 0);
  return (
    <div class="scroll" role="region" aria-labelledby={`${labelledBy} ${captionId}`} tabIndex={0}>
      <table>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            <th scope="col" class="num">
              {t('results:respondents_short')}
            </th>
            {values.map((v) => (
              <th scope="col" class="num" key={v}>
                {answerLabel(q, v, locale, t)}
              </th>
            ))}
            {hasMean ? (
              <th scope="col" class="num">
                {t('results:mean')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, cell }) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {isMarker(cell) ? (
                <td colSpan={columns - 1}>
                  <Marker ctx={ctx} />
                </td>
              ) : (
                <>
                  <td class="num">{fmt.count.format(cell.n)}</td>
                  {values.map((v) => {
                    const count = cell.counts[v];
                    return (
                      <td class="num" key={v}>
                        {count === undefined || isMarker(count) ? <Marker ctx={ctx} /> : `${fmt.percent.format(share(count, cell.n))} (${fmt.count.format(count)})`}
                      </td>
                    );
                  })}
                  {hasMean ? <td class="num">{cell.mean === undefined ? '' : fmt.mean.format(cell.mean)}</td> : null}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
