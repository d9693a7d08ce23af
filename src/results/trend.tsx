/**
 * Rounds compared (§13): a question's figures in the earlier rounds of its series beside this
 * round's — a chart and a table with a row per round, oldest first — and the earlier rounds'
 * breakdowns. Every earlier figure is the one that round published (copied into this release,
 * never recomputed), so a figure a round hid is the marker here too.
 */
import { isMarker, type ChoiceQuestionResult, type FigureCell } from '../releases/content.js';
import type { Question, ResolvedDefinition } from '../surveys/definition.js';
import type { PageContext } from '../web/layout.js';
import { answerLabel, orderedCounts, questionById } from './labels.js';
import { BarRow, CellTable, Chart, type Fmt, share, type TableRow } from './parts.js';

/** The name of a round: its title in the reader's language (its slug if its definition is gone). */
export function roundName(ctx: PageContext, slug: string, earlier: ReadonlyMap<string, ResolvedDefinition>): string {
  return earlier.get(slug)?.title[ctx.locale] ?? slug;
}

/** Per answer, one bar per round (the short marker where a round hid the figure). */
function RoundsChart({ ctx, q, rounds, fmt }: { ctx: PageContext; q: Question; rounds: TableRow[]; fmt: Fmt }) {
  const { t, locale } = ctx;
  const published = rounds.map((r) => r.cell).find((c) => !isMarker(c));
  const values = published && !isMarker(published) ? orderedCounts(q, published.counts).map(([v]) => v) : [];
  const shown = (cell: FigureCell, v: string) => {
    const count = isMarker(cell) ? undefined : cell.counts[v];
    return !isMarker(cell) && count !== undefined && !isMarker(count) ? share(count, cell.n) : undefined;
  };
  const hidden = values.some((v) => rounds.some(({ cell }) => shown(cell, v) === undefined));
  return (
    <Chart ctx={ctx} name="rounds-chart" hidden={hidden}>
      {values.map((v) => (
        <div class="answer" key={v}>
          <p class="answer-label">{answerLabel(q, v, locale, t)}</p>
          {rounds.map(({ key, label, cell }) => (
            <BarRow key={key} ctx={ctx} label={label} shown={shown(cell, v)} fmt={fmt} />
          ))}
        </div>
      ))}
    </Chart>
  );
}

export function RoundsCompared({
  ctx,
  q,
  result,
  def,
  earlier,
  fmt,
}: {
  ctx: PageContext;
  q: Question;
  result: ChoiceQuestionResult;
  def: ResolvedDefinition;
  /** The earlier rounds' definitions, by slug: their names and their labels. */
  earlier: ReadonlyMap<string, ResolvedDefinition>;
  fmt: Fmt;
}) {
  const { t, locale } = ctx;
  const previous = result.previous ?? [];
  if (previous.length === 0) return null;
  const headingId = `rounds-${q.id}`;
  const rounds: TableRow[] = [
    ...previous.map((p, i) => ({ key: `${i}-${p.survey}`, label: roundName(ctx, p.survey, earlier), cell: p.overall })),
    { key: 'this', label: t('results:this_round', { title: def.title[locale] }), cell: result.overall },
  ];
  const withBreakdowns = previous.map((p, i) => ({ p, i })).filter(({ p }) => Object.keys(p.breakdowns).length > 0);
  return (
    <div class="rounds">
      <h3 id={headingId}>{t('results:rounds_heading')}</h3>
      <RoundsChart ctx={ctx} q={q} rounds={rounds} fmt={fmt} />
      <CellTable ctx={ctx} q={q} rows={rounds} caption={t('results:rounds_caption')} captionId={`${headingId}-table`} labelledBy={`q-${q.id}`} rowHeader={t('results:round')} fmt={fmt} />
      {withBreakdowns.length > 0 ? (
        <details>
          <summary>{t('results:earlier_by_group')}</summary>
          {withBreakdowns.flatMap(({ p, i }) => {
            const roundDef = earlier.get(p.survey) ?? def;
            const round = roundName(ctx, p.survey, earlier);
            return Object.entries(p.breakdowns).map(([gid, groups]) => {
              const grouping = questionById(roundDef, gid) ?? questionById(def, gid);
              if (!grouping) return null;
              const rows = groups.map(({ group, ...cell }) => ({ key: group, label: answerLabel(grouping, group, locale, t), cell: cell as FigureCell }));
              return (
                <CellTable
                  key={`${i}-${gid}`}
                  ctx={ctx}
                  q={questionById(roundDef, q.id) ?? q}
                  rows={rows}
                  caption={t('results:round_by', { round, question: grouping.prompt[locale] })}
                  captionId={`${headingId}-${i}-${gid}`}
                  labelledBy={`q-${q.id}`}
                  rowHeader={t('results:group')}
                  fmt={fmt}
                />
              );
            });
          })}
        </details>
      ) : null}
    </div>
  );
}
