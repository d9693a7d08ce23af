/**
 * Pieces of the results page shared by this round's figures and the rounds compared (§7, §13):
 * the one generic marker, bars that reflow with the page (with a short marker and its legend where
 * a figure is hidden), and the table of cells — groups of a breakdown, or rounds of a trend — with
 * a row per cell and a column per answer, which stacks where its columns would not fit.
 */
import type { ComponentChildren } from 'preact';
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

/**
 * A chart: bars hidden from screen readers, which read the table beside it, and, where a bar is
 * hidden, the legend of the short marker in words.
 */
export function Chart({ ctx, name, hidden, children }: { ctx: PageContext; name: string; hidden: boolean; children: ComponentChildren }) {
  const { t } = ctx;
  return (
    <div class={`chart ${name}`} aria-hidden="true">
      {children}
      {hidden ? <p class="legend">{t('results:marker_legend', { short: t('results:marker_short') })}</p> : null}
    </div>
  );
}

/**
 * One bar: its label, an SVG stretched to its column (a width attribute, not a style, under the
 * page's CSP) and its percentage; a hidden figure is the short marker, which never clips. Three
 * columns on a wide screen, the label above the bar on a phone.
 */
export function BarRow({ ctx, label, shown, fmt }: { ctx: PageContext; label: string; /** The share shown; undefined where the figure is hidden. */ shown: number | undefined; fmt: Fmt }) {
  return (
    <div class="bar-row">
      <span class="bar-label">{label}</span>
      {shown === undefined ? (
        <span class="marker-short">{ctx.t('results:marker_short')}</span>
      ) : (
        <>
          <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
            <rect class="track" width="100" height="10" />
            <rect class="fill" width={Math.max(shown > 0 ? 0.5 : 0, Math.round(shown * 1000) / 10)} height="10" />
          </svg>
          <span class="value">{fmt.percent.format(shown)}</span>
        </>
      )}
    </div>
  );
}

export interface TableRow {
  key: string;
  /** The row's header: a group, or a round. */
  label: string;
  cell: FigureCell;
}

/** Beyond this many columns of figures, a table is stacked at any width: it would not fit a page. */
const MOST_COLUMNS = 8;

/**
 * A cell per row, a column per answer (percentage and count), the mean where the question has one;
 * a hidden cell is one marker across the row. Where the columns do not fit (a phone, or many
 * answers), each row stacks: its header, then each figure under its answer, which every cell
 * carries for this (shown only then, and hidden from screen readers, which have the column
 * headers). Wrapped in a named, focusable region that scrolls, should a table still be too wide.
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
  const heads = [t('results:respondents_short'), ...values.map((v) => answerLabel(q, v, locale, t)), ...(hasMean ? [t('results:mean')] : [])];
  return (
    <div class={columns - 1 > MOST_COLUMNS ? 'scroll cells wide' : 'scroll cells'} role="region" aria-labelledby={`${labelledBy} ${captionId}`} tabIndex={0}>
      <table>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {heads.map((head, i) => (
              <th scope="col" class="num" key={i}>
                {head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, cell }) => {
            if (isMarker(cell)) {
              return (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td colSpan={columns - 1}>
                    <Marker ctx={ctx} />
                  </td>
                </tr>
              );
            }
            const figures = [
              fmt.count.format(cell.n),
              ...values.map((v) => {
                const count = cell.counts[v];
                return count === undefined || isMarker(count) ? <Marker ctx={ctx} /> : `${fmt.percent.format(share(count, cell.n))} (${fmt.count.format(count)})`;
              }),
              ...(hasMean ? [cell.mean === undefined ? '' : fmt.mean.format(cell.mean)] : []),
            ];
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                {figures.map((figure, i) => (
                  <td class="num" key={i}>
                    <span class="head" aria-hidden="true">
                      {heads[i]}
                    </span>
                    {figure}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
