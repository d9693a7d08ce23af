/**
 * The results page (§7) for partners and staff: per question a bar chart (HTML and CSS that
 * reflow, no JavaScript) with its data table, the breakdowns as tables, and the one generic marker
 * for every figure that is not shown (a short one in the charts, with its legend); how the release was checked and how to check it again (§6
 * rule 8); the codes issued (§5). Numbers and dates are formatted for the reader's language.
 */
import type { ComponentChildren } from 'preact';
import { CodesIssued } from '../invites/issued.js';
import { isMarker, type AuditSummary, type ChoiceQuestionResult, type FigureCell, type GroupCell, type QuestionResult } from '../releases/content.js';
import type { StoredRelease } from '../releases/repository.js';
import type { Question, ResolvedDefinition } from '../surveys/definition.js';
import { href, Layout, type PageContext } from '../web/layout.js';
import { CommentText, ThemeCounts } from '../review/components.js';
import type { PublishedComment, PublishedReview } from '../review/service.js';
import { answerLabel, formatters, orderedCounts, questionById } from './labels.js';
import { BarRow, CellTable, Chart, type Fmt, Marker, share } from './parts.js';
import { RoundsCompared } from './trend.js';
import { CommitmentsSection } from '../commitments/components.js';
import type { Commitment } from '../commitments/repository.js';

function OverallFigure({ ctx, q, cell, fmt, caption }: { ctx: PageContext; q: Question; cell: FigureCell; fmt: Fmt; caption: string }) {
  const { t, locale } = ctx;
  const captionId = `overall-${q.id}`;
  if (isMarker(cell)) {
    return (
      <p>
        <Marker ctx={ctx} />
      </p>
    );
  }
  const entries = orderedCounts(q, cell.counts);
  return (
    <div class="figure">
      <Chart ctx={ctx} name="answers-chart" hidden={entries.some(([, count]) => isMarker(count))}>
        {entries.map(([value, count]) => (
          <BarRow key={value} ctx={ctx} label={answerLabel(q, value, locale, t)} shown={isMarker(count) ? undefined : share(count, cell.n)} fmt={fmt} />
        ))}
      </Chart>
      <div class="scroll" role="region" aria-labelledby={`q-${q.id} ${captionId}`} tabIndex={0}>
      <table>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('results:answer')}</th>
            <th scope="col" class="num">
              {t('results:count')}
            </th>
            <th scope="col" class="num">
              {t('results:percent')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([value, count]) => (
            <tr key={value}>
              <th scope="row">{answerLabel(q, value, locale, t)}</th>
              {isMarker(count) ? (
                <td colSpan={2}>
                  <Marker ctx={ctx} />
                </td>
              ) : (
                <>
                  <td class="num">{fmt.count.format(count)}</td>
                  <td class="num">{fmt.percent.format(share(count, cell.n))}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{q.type === 'multi_choice' ? t('results:answered_multi') : t('results:answered')}</th>
            <td class="num" colSpan={2}>
              {fmt.count.format(cell.n)}
            </td>
          </tr>
          {cell.mean !== undefined ? (
            <tr>
              <th scope="row">{t('results:mean')}</th>
              <td class="num" colSpan={2}>
                {fmt.mean.format(cell.mean)}
              </td>
            </tr>
          ) : null}
        </tfoot>
      </table>
      </div>
    </div>
  );
}

function Breakdown({ ctx, q, grouping, groups, fmt }: { ctx: PageContext; q: Question; grouping: Question; groups: GroupCell[]; fmt: Fmt }) {
  const { t, locale } = ctx;
  const rows = groups.map(({ group, ...cell }) => ({ key: group, label: answerLabel(grouping, group, locale, t), cell: cell as FigureCell }));
  return <CellTable ctx={ctx} q={q} rows={rows} caption={t('results:by', { question: grouping.prompt[locale] })} captionId={`bd-${q.id}-${grouping.id}`} labelledBy={`q-${q.id}`} rowHeader={t('results:group')} fmt={fmt} />;
}

function QuestionSection({
  ctx,
  def,
  result,
  fmt,
  extra,
  breakdowns,
  earlier,
}: {
  ctx: PageContext;
  def: ResolvedDefinition;
  result: QuestionResult;
  fmt: Fmt;
  extra?: ComponentChildren;
  /** False for an open survey: its breakdowns are always withheld (rule 4), and the page says why once. */
  breakdowns: boolean;
  /** The earlier rounds of the series, by slug (§13). */
  earlier: ReadonlyMap<string, ResolvedDefinition>;
}) {
  const { t, locale } = ctx;
  const q = questionById(def, result.id);
  if (!q) return null;
  const headingId = `q-${q.id}`;
  if (result.type === 'text') {
    return (
      <section aria-labelledby={headingId}>
        <h2 id={headingId}>{q.prompt[locale]}</h2>
        <p>
          {t('results:comments_received')}{' '}
          {isMarker(result.comments) ? <Marker ctx={ctx} /> : <strong>{fmt.count.format(result.comments.n)}</strong>}
        </p>
        {extra}
      </section>
    );
  }
  const r = result as ChoiceQuestionResult;
  const isGrouping = q.type === 'single_choice' && q.grouping === true;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{q.prompt[locale]}</h2>
      <OverallFigure ctx={ctx} q={q} cell={r.overall} fmt={fmt} caption={isGrouping ? t('results:group_sizes') : t('results:all_respondents')} />
      {Object.entries(breakdowns ? r.breakdowns : {}).map(([gid, groups]) => {
        const grouping = questionById(def, gid);
        return grouping ? <Breakdown key={gid} ctx={ctx} q={q} grouping={grouping} groups={groups} fmt={fmt} /> : null;
      })}
      <RoundsCompared ctx={ctx} q={q} result={r} def={def} earlier={earlier} fmt={fmt} />
    </section>
  );
}

/** Shared comments, each in the reader's language when translated. */
function SharedComments({ ctx, comments }: { ctx: PageContext; comments: PublishedComment[] }) {
  return (
    <>
      {comments.map((c, i) => (
        <CommentText key={i} comment={c} locale={ctx.locale} t={ctx.t} />
      ))}
    </>
  );
}

/** §6 rule 8, in plain words: the release passed the exact audit, and how anyone can repeat it. */
function AuditNote({ ctx, audit, address, fmt }: { ctx: PageContext; audit: AuditSummary; address: string; fmt: Fmt }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('results:audit_title')}</h2>
      <p>
        {t('results:audit_checked')} {t('results:audit_hidden', { count: audit.hiddenFigures, formatted: fmt.count.format(audit.hiddenFigures) })}
      </p>
      <p>{t('results:audit_repeat')}</p>
      <pre class="command">
        <code>{`npm run audit -- ${address}`}</code>
      </pre>
    </section>
  );
}

export function ResultsPage({
  ctx,
  def,
  release,
  review,
  address,
  earlier = new Map(),
  commitments = [],
}: {
  ctx: PageContext;
  def: ResolvedDefinition;
  release: StoredRelease;
  /** The definitions of the earlier rounds this release compares with (§13), by slug. */
  earlier?: ReadonlyMap<string, ResolvedDefinition>;
  /** What the funder will do about the published review (§13). */
  commitments?: readonly Commitment[];
  /** The Working Group's published review: its themes, and the comments it shares with partners. */
  review?: PublishedReview | undefined;
  /** The absolute address of this release's JSON, for `npm run audit`. */
  address: string;
}) {
  const { t, locale } = ctx;
  const fmt = formatters(locale);
  const r = release.content;
  const k = r.minGroupSize;
  const title = t('results:title', { title: def.title[locale] });
  const date = fmt.date.format(new Date(`${r.releasedAt}T00:00:00Z`));
  const shared = review?.comments.filter((c) => c.shareWithPartners) ?? [];
  const commentsByQuestion: Record<string, ComponentChildren> = {};
  for (const q of def.questions) {
    const mine = shared.filter((c) => c.questionId === q.id);
    if (mine.length > 0) {
      commentsByQuestion[q.id] = (
        <>
          <h3>{t('review:shared_heading')}</h3>
          <SharedComments ctx={ctx} comments={mine} />
        </>
      );
    }
  }
  // §8: comments too few under their question to name it are published without it.
  const others = shared.filter((c) => c.questionId === null || !def.questions.some((q) => q.id === c.questionId));
  const breakdowns = def.access === 'invite';
  return (
    <Layout ctx={ctx} title={title} charts>
      {/* The survey's own title may hold a colon: "Results" stands above it, never "Results: …: …". */}
      <h1>
        <span class="kicker">
          {t('results:title_label')}
          <span class="visually-hidden"> — </span>
        </span>
        {def.title[locale]}
      </h1>
      <p class="lede">{r.final ? t('results:final', { date }) : t('results:interim', { date })}</p>
      <p>
        {t('results:respondents_label')}{' '}
        {isMarker(r.respondents) ? <Marker ctx={ctx} /> : <strong>{fmt.count.format(r.respondents.n)}</strong>}
      </p>
      {r.invitations ? <CodesIssued issued={r.invitations.issued} locale={locale} t={t} /> : null}
      <section class="notice" aria-labelledby="how-to-read">
        <h2 id="how-to-read">{t('results:how_to_read')}</h2>
        <ul>
          {r.final ? null : <li>{t('results:explain_interim', { k })}</li>}
          {r.final || isMarker(r.respondents) ? <li>{t('results:explain_marker', { marker: t('results:marker'), k })}</li> : null}
          {r.final ? <li>{breakdowns ? t('results:explain_breakdowns') : t('results:explain_open')}</li> : null}
        </ul>
        <ul class="downloads">
          <li>
            <a href={href(ctx, `/api/surveys/${def.slug}/results.csv`)}>{t('results:download_csv')}</a>
          </li>
          <li>
            <a href={href(ctx, `/api/surveys/${def.slug}/results.csv`, { layout: 'wide' })}>{t('results:download_csv_wide')}</a>
          </li>
        </ul>
      </section>
      {r.final && r.audit ? <AuditNote ctx={ctx} audit={r.audit} address={address} fmt={fmt} /> : null}
      {r.questions.map((result) => (
        <QuestionSection key={result.id} ctx={ctx} def={def} result={result} fmt={fmt} extra={commentsByQuestion[result.id]} breakdowns={breakdowns} earlier={earlier} />
      ))}
      {others.length > 0 ? (
        <section aria-labelledby="other-comments">
          <h2 id="other-comments">{t('review:other_comments')}</h2>
          <p>{t('review:other_comments_intro')}</p>
          <SharedComments ctx={ctx} comments={others} />
        </section>
      ) : null}
      {review ? <ThemeCounts review={review} locale={locale} t={t} /> : null}
      {review ? <CommitmentsSection review={review} commitments={commitments} locale={locale} t={t} /> : null}
    </Layout>
  );
}
