/**
 * How a commitment reads wherever partners look (§13): the results page, the meeting brief and the
 * next round's form, in the reader's language — the theme it answers, where it stands, what was
 * heard, what will be done (or why not), and the Working Group's own note beside it.
 */
import type { Locale, Translate } from '../i18n/index.js';
import type { PublishedReview } from '../review/service.js';
import type { Commitment } from './repository.js';
import type { Answered } from './service.js';

/** "2027-06" as "June 2027" in the reader's language. */
export function monthName(month: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** The theme a commitment answers, in the reader's language, or the review as a whole. */
export function themeName(review: Pick<PublishedReview, 'themes'>, themeId: number | null, locale: Locale, t: Translate): string {
  const theme = themeId === null ? undefined : review.themes.find((x) => x.id === themeId);
  return theme ? theme.label[locale] : t('commitments:whole_review');
}

/** Commitments in the order of the review's themes (most comments first), the review as a whole last. */
export function inThemeOrder(review: Pick<PublishedReview, 'themes'>, commitments: readonly Commitment[]): Commitment[] {
  const order = [...review.themes].sort((a, b) => b.count - a.count || a.id - b.id).map((x) => x.id);
  const rank = (c: Commitment) => (c.themeId === null || !order.includes(c.themeId) ? order.length : order.indexOf(c.themeId));
  return [...commitments].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

export function StatusBadge({ status, t }: { status: Commitment['status']; t: Translate }) {
  return <span class={`badge status-${status}`}>{t(`commitments:status.${status}`)}</span>;
}

export function CommitmentView({
  commitment: c,
  review,
  locale,
  t,
  level = 3,
  id,
  brief = false,
}: {
  commitment: Commitment;
  review: Pick<PublishedReview, 'themes'>;
  locale: Locale;
  t: Translate;
  level?: 2 | 3 | 4;
  id: string;
  /** Under its theme already (the brief): no heading of its own. */
  brief?: boolean;
}) {
  const Heading = `h${level}` as 'h3';
  return (
    <article class="commitment" id={id} aria-labelledby={brief ? undefined : `${id}-title`}>
      {brief ? null : <Heading id={`${id}-title`}>{themeName(review, c.themeId, locale, t)}</Heading>}
      <p class="status">
        <span class="label">{t('commitments:status_label')}</span> <StatusBadge status={c.status} t={t} />
        {c.due ? <span class="due"> · {t('commitments:due', { month: monthName(c.due, locale) })}</span> : null}
      </p>
      <dl class="commitment-texts">
        <dt>{t('commitments:heard')}</dt>
        <dd lang={locale}>{c.heard[locale]}</dd>
        <dt>{t('commitments:action')}</dt>
        <dd lang={locale}>{c.action[locale]}</dd>
        {c.status === 'not_doing' && c.reason ? (
          <>
            <dt>{t('commitments:reason')}</dt>
            <dd lang={locale}>{c.reason[locale]}</dd>
          </>
        ) : null}
        {c.wgNote ? (
          <>
            <dt>{t('commitments:wg_note')}</dt>
            <dd lang={locale} class="wg-note">
              {c.wgNote[locale]}
            </dd>
          </>
        ) : null}
      </dl>
    </article>
  );
}

/** "What you told us, what we will do": the section of the results page. */
export function CommitmentsSection({ review, commitments, locale, t }: { review: PublishedReview; commitments: readonly Commitment[]; locale: Locale; t: Translate }) {
  if (commitments.length === 0) return null;
  return (
    <section class="commitments" aria-labelledby="commitments-title">
      <h2 id="commitments-title">{t('commitments:section_title')}</h2>
      <p>{t('commitments:section_intro')}</p>
      {inThemeOrder(review, commitments).map((c) => (
        <CommitmentView key={c.id} commitment={c} review={review} locale={locale} t={t} id={`commitment-${c.id}`} />
      ))}
    </section>
  );
}

/**
 * "Since the last round" on the next round's form (§13): the previous round's commitments, each
 * with where it stands and the Working Group's note — short, so that question 1 stays near.
 */
export function SinceLastRound({ answered, locale, t, resultsHref }: { answered: Pick<Answered, 'survey' | 'review' | 'commitments'>; locale: Locale; t: Translate; resultsHref: string }) {
  const round = answered.survey.definition.title[locale];
  return (
    <section class="since" aria-labelledby="since-title">
      <h2 id="since-title">{t('commitments:since_title')}</h2>
      <p>{t('commitments:since_intro', { round })}</p>
      <ul>
        {inThemeOrder(answered.review, answered.commitments).map((c) => (
          <li key={c.id}>
            <p class="since-theme">{themeName(answered.review, c.themeId, locale, t)}</p>
            <p lang={locale}>{c.action[locale]}</p>
            <p class="status">
              <span class="label">{t('commitments:status_label')}</span> <StatusBadge status={c.status} t={t} />
              {c.due ? <span class="due"> · {t('commitments:due', { month: monthName(c.due, locale) })}</span> : null}
            </p>
            {c.status === 'not_doing' && c.reason ? <p lang={locale}>{t('commitments:reason_inline', { reason: c.reason[locale] })}</p> : null}
            {c.wgNote ? (
              <p class="wg-note" lang={locale}>
                {t('commitments:wg_note_inline', { note: c.wgNote[locale] })}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      <p>
        <a href={resultsHref}>{t('commitments:since_link', { round })}</a>
      </p>
    </section>
  );
}
