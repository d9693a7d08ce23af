/**
 * The released figures beside a theme in the meeting brief (issue 13, item 8): for each question
 * the theme concerns, its figures for all respondents from the final release, as the results
 * page draws them — bars with the table beside them, the marker where a figure is hidden. Never
 * a breakdown: a theme's comments beside a group's figures would invite tying one to the other,
 * and theme counts are overall only (§8).
 */
import { type FigureCell, isMarker, type ReleaseJson } from '../releases/content.js';
import type { Question, ResolvedDefinition } from '../surveys/definition.js';
import type { PageContext } from '../web/layout.js';
import { themeable } from './service.js';
import { answerLabel, formatters, orderedCounts } from '../results/labels.js';
import { BarRow, CellTable, Chart, type Fmt, Marker, share } from '../results/parts.js';

export interface Figure {
  q: Question;
  cell: FigureCell;
}

/** The figures a theme's questions have in this release, in the survey's order; free text has none. */
export function figuresFor(def: ResolvedDefinition, release: ReleaseJson, questions: readonly string[]): Figure[] {
  const out: Figure[] = [];
  for (const q of def.questions) {
    if (!questions.includes(q.id) || !themeable(q)) continue;
    const r = release.questions.find((x) => x.id === q.id);
    if (r && r.type !== 'text') out.push({ q, cell: r.overall });
  }
  return out;
}

function OneFigure({ ctx, figure, id, fmt }: { ctx: PageContext; figure: Figure; id: string; fmt: Fmt }) {
  const { t, locale } = ctx;
  const { q, cell } = figure;
  return (
    <div class="brief-figure" id={id}>
      <h4 id={`${id}-title`}>{q.prompt[locale]}</h4>
      {isMarker(cell) ? (
        <p>
          <Marker ctx={ctx} />
        </p>
      ) : (
        <>
          <p class="hint">{t('review:brief_answered', { count: cell.n, formatted: fmt.count.format(cell.n) })}</p>
          <Chart ctx={ctx} name="answers-chart" hidden={Object.values(cell.counts).some((c) => isMarker(c))}>
            {orderedCounts(q, cell.counts).map(([value, count]) => (
              <BarRow key={value} ctx={ctx} label={answerLabel(q, value, locale, t)} shown={isMarker(count) ? undefined : share(count, cell.n)} fmt={fmt} />
            ))}
          </Chart>
          <CellTable
            ctx={ctx}
            q={q}
            rows={[{ key: 'all', label: t('results:all_respondents'), cell }]}
            caption={t('results:all_respondents')}
            captionId={`${id}-caption`}
            labelledBy={`${id}-title`}
            rowHeader={t('results:respondents')}
            fmt={fmt}
          />
        </>
      )}
    </div>
  );
}

export function ThemeFigures({ ctx, figures, id }: { ctx: PageContext; figures: Figure[]; id: string }) {
  const { t, locale } = ctx;
  if (figures.length === 0) return null;
  const fmt = formatters(locale);
  return (
    <div class="brief-figures" id={id} aria-labelledby={`${id}-title`} role="group">
      <h3 id={`${id}-title`}>{t('review:brief_figures')}</h3>
      <p class="hint">{t('review:brief_figures_intro')}</p>
      {figures.map((f) => (
        <OneFigure key={f.q.id} ctx={ctx} figure={f} id={`${id}-${f.q.id}`} fmt={fmt} />
      ))}
    </div>
  );
}
