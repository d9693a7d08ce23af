/** The Working Group's pages as views (§8): the home list, the review queue with its theme and comment forms, the meeting brief. */
import { SignedInLayout } from '../access/views.js';
import type { Principal } from '../access/tokens.js';
import { LOCALES } from '../i18n/index.js';
import { CodesIssued, issuedSentence } from '../invites/issued.js';
import type { ResolvedDefinition } from '../surveys/definition.js';
import type { SurveyListing } from '../surveys/repository.js';
import { href, Notice, type PageContext } from '../web/layout.js';
import { CommentText } from './components.js';
import { type Figure, ThemeFigures } from './figures.js';
import { CommitmentView } from '../commitments/components.js';
import type { Commitment } from '../commitments/repository.js';
import type { CommentStatus, Theme } from './repository.js';
import { type PublishedReview, type QueueItem, themeable } from './service.js';

export interface Frame {
  ctx: PageContext;
  principal: Principal;
  csrfToken: string;
}

export function WgHome({
  frame,
  surveys,
  drafts,
}: {
  frame: Frame;
  surveys: (SurveyListing & { reviewOpen: boolean; issued: number | undefined })[];
  /** Surveys staff are preparing: the Working Group reads their questions before partners are asked (§12). */
  drafts: { slug: string; title: SurveyListing['title'] }[];
}) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  return (
    <SignedInLayout {...frame} title={t('review:home_title')}>
      <h1>{t('review:home_title')}</h1>
      <p class="lede">{t('review:home_intro')}</p>
      {surveys.some((s) => s.issued !== undefined) ? <p>{t('review:codes_home')}</p> : null}
      {surveys.length === 0 ? (
        <p>{t('review:home_none')}</p>
      ) : (
        <ul class="surveys">
          {surveys.map((s) => (
            <li key={s.slug}>
              <strong>{s.title[locale]}</strong>
              {s.issued !== undefined ? <p class="codes-issued">{issuedSentence(s.issued, locale, t)}</p> : null}
              <ul>
                <li>{s.reviewOpen ? <a href={href(ctx, `/wg/${s.slug}/review`)}>{t('review:open_queue')}</a> : t('review:queue_not_ready')}</li>
                <li>
                  <a href={href(ctx, `/wg/${s.slug}/brief`)}>{t('review:open_brief')}</a>
                </li>
                <li>
                  <a href={href(ctx, `/wg/${s.slug}/commitments`)}>{t('commitments:wg_link')}</a>
                </li>
                <li>
                  <a href={href(ctx, `/s/${s.slug}/results`)}>{t('review:open_results')}</a>
                </li>
              </ul>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('review:drafts_title')}</h2>
      <p>{t('review:drafts_intro')}</p>
      {drafts.length === 0 ? (
        <p>{t('review:drafts_none')}</p>
      ) : (
        <ul class="surveys">
          {drafts.map((d) => (
            <li key={d.slug}>
              <a href={href(ctx, `/staff/surveys/${d.slug}/preview`)}>{t('review:draft_preview', { title: d.title[locale] || d.slug })}</a>
            </li>
          ))}
        </ul>
      )}
    </SignedInLayout>
  );
}

export function ThemeFields({
  ctx,
  theme,
  prefix,
  def,
  matched = [],
}: {
  ctx: PageContext;
  theme?: Theme;
  prefix: string;
  def: ResolvedDefinition;
  /** The questions its keywords match, shown while none is chosen. */
  matched?: string[];
}) {
  const { t, locale } = ctx;
  const figures = def.questions.filter(themeable);
  return (
    <>
      <fieldset class="q">
        <legend>{t('review:theme_label')}</legend>
        {LOCALES.map((l) => (
          <div key={l}>
            <label for={`${prefix}-label-${l}`}>{t(`common:language_name.${l}`)}</label>
            <input type="text" id={`${prefix}-label-${l}`} name={`label_${l}`} value={theme?.label[l] ?? ''} lang={l} />
          </div>
        ))}
      </fieldset>
      <fieldset class="q">
        <legend>{t('review:theme_keywords')}</legend>
        <p class="hint" id={`${prefix}-kw-hint`}>
          {t('review:theme_keywords_hint')}
        </p>
        {LOCALES.map((l) => (
          <div key={l}>
            <label for={`${prefix}-kw-${l}`}>{t(`common:language_name.${l}`)}</label>
            <input type="text" id={`${prefix}-kw-${l}`} name={`keywords_${l}`} value={theme?.keywords[l].join(', ') ?? ''} lang={l} aria-describedby={`${prefix}-kw-hint`} />
          </div>
        ))}
      </fieldset>
      {figures.length > 0 ? (
        <fieldset class="q">
          <legend>{t('review:theme_questions')}</legend>
          <p class="hint" id={`${prefix}-q-hint`}>
            {t('review:theme_questions_hint')}
          </p>
          {figures.map((q) => (
            <div class="choice" key={q.id}>
              <input
                type="checkbox"
                id={`${prefix}-q-${q.id}`}
                name="questions"
                value={q.id}
                checked={theme?.questions?.includes(q.id) === true}
                aria-describedby={`${prefix}-q-hint`}
              />
              <label for={`${prefix}-q-${q.id}`}>
                {q.prompt[locale]}
                {theme?.questions === null && matched.includes(q.id) ? <strong class="suggested"> ({t('review:matches_keywords')})</strong> : null}
              </label>
            </div>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}

/** Whether a theme's box is ticked: confirmed, or suggested while the comment is waiting and has no theme yet. */
export const preTicked = (item: QueueItem, themeId: number): boolean =>
  item.themes.includes(themeId) || (item.status === 'pending' && item.themes.length === 0 && item.suggestedThemes.includes(themeId));

export function CommentForm({
  frame,
  slug,
  def,
  item,
  number,
  themes,
  filter,
  saved,
}: {
  frame: Frame;
  slug: string;
  def: ResolvedDefinition;
  item: QueueItem;
  /** Its place in the whole queue, whatever is shown: "comment 12" stays comment 12. */
  number: number;
  themes: Theme[];
  filter: QueueFilter;
  /** Just saved: a note the page opens on, with the keyboard focus on it. `stray`: no longer matches the filter. */
  saved?: { stray: boolean } | undefined;
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const prompt = def.questions.find((q) => q.id === item.questionId)?.prompt[locale] ?? item.questionId;
  const id = `c-${item.id}`;
  return (
    <article class="review-item" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('review:comment_heading', { number, question: prompt })}</h3>
      {saved ? (
        // autofocus: the page opens here, on the comment just saved, not at the top of a long queue.
        <div class="notice saved" role="status" id="saved" tabIndex={-1} autofocus>
          <p>{t('review:saved_comment', { number })}</p>
          {saved.stray ? <p>{t('review:saved_elsewhere')}</p> : null}
        </div>
      ) : null}
      <p class="hint">{t(`review:status_now.${item.status}`)}</p>
      <blockquote class="comment">
        <p>{item.text}</p>
      </blockquote>
      <div class="choice pick">
        <input type="checkbox" id={`${id}-pick`} name="ids" value={item.id} form="bulk" />
        <label for={`${id}-pick`}>{t('review:select_comment', { number })}</label>
      </div>
      <form method="post" action={href(ctx, `/wg/${slug}/comments/${item.id}`, filterParams(filter))}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <fieldset class="q">
          <legend>{t('review:decision')}</legend>
          {(['pending', 'published', 'hidden'] as const).map((s) => (
            <div class="choice" key={s}>
              <input type="radio" id={`${id}-status-${s}`} name="status" value={s} checked={item.status === s} />
              <label for={`${id}-status-${s}`}>{t(`review:status.${s}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class="q">
          <label for={`${id}-text`}>{t('review:redact_label')}</label>
          <p class="hint" id={`${id}-text-hint`}>
            {t('review:redact_hint')}
          </p>
          <textarea id={`${id}-text`} name="text" rows={4} aria-describedby={`${id}-text-hint`}>
            {item.text}
          </textarea>
        </div>
        {themes.length > 0 ? (
          <fieldset class="q">
            <legend>{t('review:themes_of_comment')}</legend>
            {themes.map((theme) => (
              <div class="choice" key={theme.id}>
                <input type="checkbox" id={`${id}-theme-${theme.id}`} name="themes" value={String(theme.id)} checked={preTicked(item, theme.id)} />
                <label for={`${id}-theme-${theme.id}`}>
                  {theme.label[locale]}
                  {item.suggestedThemes.includes(theme.id) ? <strong class="suggested"> ({t('review:suggested')})</strong> : null}
                </label>
              </div>
            ))}
          </fieldset>
        ) : null}
        <details>
          <summary>{t('review:translations')}</summary>
          {LOCALES.map((l) => (
            <div class="q" key={l}>
              <label for={`${id}-tr-${l}`}>{t('review:translation_into', { language: t(`common:language_in.${l}`) })}</label>
              <textarea id={`${id}-tr-${l}`} name={`translation_${l}`} rows={3} lang={l}>
                {item.translations[l] ?? ''}
              </textarea>
            </div>
          ))}
        </details>
        <div class="choice">
          <input type="checkbox" id={`${id}-share`} name="shareWithPartners" value="yes" checked={item.shareWithPartners} />
          <label for={`${id}-share`}>{t('review:share')}</label>
        </div>
        <button type="submit">{t('review:save_comment', { number })}</button>
      </form>
    </article>
  );
}

/** What the queue shows (§8 keeps its order; these only narrow it). */
export interface QueueFilter {
  status?: CommentStatus | undefined;
  /** A theme's id (confirmed on the comment), no theme yet, or suggested themes not yet accepted. */
  theme?: number | 'none' | 'suggested' | undefined;
}

export function matches(item: QueueItem, filter: QueueFilter): boolean {
  if (filter.status !== undefined && item.status !== filter.status) return false;
  if (filter.theme === 'none') return item.themes.length === 0;
  if (filter.theme === 'suggested') return item.suggestedThemes.length > 0;
  if (typeof filter.theme === 'number') return item.themes.includes(filter.theme);
  return true;
}

/** The filter as query parameters, carried by every form on the page so that a save returns to the same view. */
export function filterParams(filter: QueueFilter): Record<string, string> {
  return {
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.theme !== undefined ? { theme: String(filter.theme) } : {}),
  };
}

function QueueFilters({ ctx, slug, themes, filter }: { ctx: PageContext; slug: string; themes: Theme[]; filter: QueueFilter }) {
  const { t, locale } = ctx;
  const theme = filter.theme === undefined ? '' : String(filter.theme);
  return (
    <form method="get" action={`/wg/${slug}/review`} class="filters">
      <input type="hidden" name="lang" value={locale} />
      <fieldset>
        <legend>{t('review:filter_title')}</legend>
        <div class="field">
          <label for="filter-status">{t('review:filter_status')}</label>
          <select id="filter-status" name="status">
            <option value="" selected={filter.status === undefined}>
              {t('review:filter_any_status')}
            </option>
            {(['pending', 'published', 'hidden'] as const).map((s) => (
              <option key={s} value={s} selected={filter.status === s}>
                {t(`review:filter_status_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-theme">{t('review:filter_theme')}</label>
          <select id="filter-theme" name="theme">
            <option value="" selected={theme === ''}>
              {t('review:filter_any_theme')}
            </option>
            {themes.map((th) => (
              <option key={th.id} value={String(th.id)} selected={theme === String(th.id)}>
                {th.label[locale]}
              </option>
            ))}
            <option value="none" selected={theme === 'none'}>
              {t('review:filter_no_theme')}
            </option>
            <option value="suggested" selected={theme === 'suggested'}>
              {t('review:filter_suggested')}
            </option>
          </select>
        </div>
        <button type="submit">{t('review:filter_apply')}</button>
      </fieldset>
    </form>
  );
}

/** One decision for many comments; the "Select" boxes in each comment belong to this form (`form="bulk"`). */
function BulkForm({ ctx, csrfToken, slug, filter, shown }: { ctx: PageContext; csrfToken: string; slug: string; filter: QueueFilter; shown: number }) {
  const { t } = ctx;
  return (
    <form method="post" id="bulk" action={href(ctx, `/wg/${slug}/comments`, filterParams(filter))} class="bulk">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <fieldset>
        <legend>{t('review:bulk_title')}</legend>
        <p class="hint">{t('review:bulk_intro')}</p>
        <div class="field">
          <label for="bulk-action">{t('review:bulk_action')}</label>
          <select id="bulk-action" name="action">
            <option value="published">{t('review:bulk_publish')}</option>
            <option value="hidden">{t('review:bulk_hide')}</option>
            <option value="pending">{t('review:bulk_pending')}</option>
            <option value="accept_suggested">{t('review:bulk_accept')}</option>
          </select>
        </div>
        <fieldset class="q">
          <legend>{t('review:bulk_scope')}</legend>
          <div class="choice">
            <input type="radio" id="bulk-scope-selected" name="scope" value="selected" checked />
            <label for="bulk-scope-selected">{t('review:bulk_selected')}</label>
          </div>
          <div class="choice">
            <input type="radio" id="bulk-scope-shown" name="scope" value="shown" />
            <label for="bulk-scope-shown">{t('review:bulk_shown', { count: shown })}</label>
          </div>
        </fieldset>
        <button type="submit">{t('review:bulk_apply')}</button>
      </fieldset>
    </form>
  );
}

export function QueuePage({
  frame,
  slug,
  def,
  issued,
  items,
  themes,
  notice,
  error,
  problems,
  filter = {},
  saved,
  themeQuestions,
}: {
  frame: Frame;
  slug: string;
  def: ResolvedDefinition;
  issued: number | undefined;
  items: QueueItem[];
  themes: Theme[];
  filter?: QueueFilter;
  /** The comment just saved: shown even if it no longer matches the filter, and focused. */
  saved?: string | undefined;
  /** Per theme, the questions the brief shows beside it. */
  themeQuestions?: Map<number, string[]>;
  notice?: string | undefined;
  error?: string | undefined;
  problems?: { message: string }[] | undefined;
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const count = (s: QueueItem['status']) => items.filter((i) => i.status === s).length;
  const title = t('review:queue_title', { title: def.title[locale] });
  const filtered = filter.status !== undefined || filter.theme !== undefined;
  // Numbered in the whole queue; the comment just saved stays in place even if it left the filter.
  const shown = items.map((item, i) => ({ item, number: i + 1 })).filter(({ item }) => matches(item, filter) || item.id === saved);
  // A notice at the top would be off screen: the comment just saved carries its own.
  if (saved !== undefined && shown.some(({ item }) => item.id === saved)) notice = undefined;
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      <Notice message={notice} error={error} problems={problems} />
      <p class="lede">{t('review:queue_intro')}</p>
      {issued !== undefined ? <CodesIssued issued={issued} locale={locale} t={t} /> : null}
      <p>{t('review:queue_counts', { pending: count('pending'), published: count('published'), hidden: count('hidden') })}</p>

      <section aria-labelledby="themes-title">
        <h2 id="themes-title">{t('review:themes_catalogue')}</h2>
        {themes.length === 0 ? <p>{t('review:no_themes')}</p> : null}
        {themes.map((theme) => (
          <details key={theme.id}>
            <summary>{theme.label[locale]}</summary>
            <form method="post" action={href(ctx, `/wg/${slug}/themes/${theme.id}`)}>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <ThemeFields ctx={ctx} theme={theme} prefix={`theme-${theme.id}`} def={def} matched={themeQuestions?.get(theme.id) ?? []} />
              <button type="submit">{t('review:save_theme')}</button>
            </form>
          </details>
        ))}
        <details>
          <summary>{t('review:add_theme')}</summary>
          <form method="post" action={href(ctx, `/wg/${slug}/themes`)}>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <ThemeFields ctx={ctx} prefix="new-theme" def={def} />
            <button type="submit">{t('review:add_theme')}</button>
          </form>
        </details>
      </section>

      <section aria-labelledby="comments-title">
        <h2 id="comments-title">{t('review:comments_title', { count: items.length })}</h2>
        <QueueFilters ctx={ctx} slug={slug} themes={themes} filter={filter} />
        {filtered ? (
          <p>
            {t('review:filter_shown', { shown: shown.length, total: items.length })} <a href={href(ctx, `/wg/${slug}/review`)}>{t('review:filter_clear')}</a>
          </p>
        ) : null}
        {shown.length === 0 ? <p>{t('review:filter_none')}</p> : <BulkForm ctx={ctx} csrfToken={csrfToken} slug={slug} filter={filter} shown={shown.length} />}
        {themes.length > 0 ? <p class="hint">{t('review:suggested_preticked')}</p> : null}
        {shown.map(({ item, number }) => (
          <CommentForm
            key={item.id}
            frame={frame}
            slug={slug}
            def={def}
            item={item}
            number={number}
            themes={themes}
            filter={filter}
            saved={item.id === saved ? { stray: !matches(item, filter) } : undefined}
          />
        ))}
      </section>

      <section aria-labelledby="publish-title">
        <h2 id="publish-title">{t('review:publish_title')}</h2>
        <p>{t('review:publish_intro', { min: def.minComments })}</p>
        <form method="post" action={href(ctx, `/wg/${slug}/publish`)}>
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button type="submit">{t('review:publish')}</button>
        </form>
      </section>
    </SignedInLayout>
  );
}

/** The commitments answering one theme (or the review as a whole), under it in the brief (§13). */
function BriefCommitments({ ctx, review, commitments, id }: { ctx: PageContext; review: PublishedReview; commitments: Commitment[]; id: string }) {
  const { t, locale } = ctx;
  if (commitments.length === 0) return null;
  return (
    <div class="brief-commitments">
      <h3 id={id}>{t('commitments:action')}</h3>
      {commitments.map((c) => (
        <CommitmentView key={c.id} commitment={c} review={review} locale={locale} t={t} id={`${id}-${c.id}`} brief />
      ))}
    </div>
  );
}

export function BriefPage({
  frame,
  def,
  issued,
  review,
  commitments = [],
  figures = () => [],
}: {
  frame: Frame;
  def: ResolvedDefinition;
  issued: number | undefined;
  review: PublishedReview | undefined;
  /** The released figures of the questions a theme concerns (issue 13, item 8). */
  figures?: (themeId: number) => Figure[];
  /** What the funder will do about it (§13), shown under each theme. */
  commitments?: Commitment[];
}) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const title = t('review:brief_title', { title: def.title[locale] });
  const codes = issued !== undefined ? <CodesIssued issued={issued} locale={locale} t={t} /> : null;
  if (!review) {
    return (
      <SignedInLayout {...frame} title={title}>
        <h1>{title}</h1>
        <p>{t('review:brief_not_published')}</p>
        {codes}
      </SignedInLayout>
    );
  }
  const fmt = new Intl.NumberFormat(locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${review.publishedAt}T00:00:00Z`));
  const themes = [...review.themes].sort((a, b) => b.count - a.count || a.id - b.id);
  const unthemed = review.comments.filter((c) => c.themes.length === 0);
  const wholeReview = commitments.filter((c) => c.themeId === null || !review.themes.some((x) => x.id === c.themeId));
  return (
    <SignedInLayout {...frame} title={title} charts>
      <article class="brief">
        <h1>{title}</h1>
        <p class="lede">{t('review:brief_intro', { date, count: review.comments.length })}</p>
        {codes}
        {themes.map((theme) => {
          const list = review.comments.filter((c) => c.themes.includes(theme.id));
          return (
            <section key={theme.id} aria-labelledby={`theme-${theme.id}`}>
              <h2 id={`theme-${theme.id}`}>
                {theme.label[locale]} <span class="count">({t('review:comments_count', { count: theme.count, formatted: fmt.format(theme.count) })})</span>
              </h2>
              <ThemeFigures ctx={ctx} figures={figures(theme.id)} id={`figures-${theme.id}`} />
              {list.length === 0 ? <p>{t('review:no_comments_for_theme')}</p> : list.map((c, i) => <CommentText key={i} comment={c} locale={locale} t={t} />)}
              <BriefCommitments ctx={ctx} review={review} commitments={commitments.filter((c) => c.themeId === theme.id)} id={`will-do-${theme.id}`} />
            </section>
          );
        })}
        <section aria-labelledby="unthemed">
          <h2 id="unthemed">{t('review:without_theme')}</h2>
          {unthemed.length === 0 ? <p>{t('review:none')}</p> : unthemed.map((c, i) => <CommentText key={i} comment={c} locale={locale} t={t} />)}
        </section>
        {wholeReview.length > 0 ? (
          <section aria-labelledby="whole-review">
            <h2 id="whole-review">{t('commitments:whole_review')}</h2>
            <BriefCommitments ctx={ctx} review={review} commitments={wholeReview} id="will-do-whole" />
          </section>
        ) : null}
      </article>
    </SignedInLayout>
  );
}
