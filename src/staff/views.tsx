/** The staff console's pages as components (Frame, the survey list, create form, survey page, invitation codes), rendered by ./pages.tsx. */
import { SignedInLayout } from '../access/views.js';
import type { Principal } from '../access/tokens.js';
import { LOCALES } from '../i18n/index.js';
import { MAX_CODES_PER_REQUEST } from '../invites/service.js';
import type { LocalizedText, ResolvedDefinition } from '../surveys/definition.js';
import type { SurveyListing, SurveyRecord } from '../surveys/repository.js';
import { href, Notice, type PageContext } from '../web/layout.js';

export interface Frame {
  ctx: PageContext;
  principal: Principal;
  csrfToken: string;
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function StaffHome({ frame, surveys, notice }: { frame: Frame; surveys: SurveyListing[]; notice?: string | undefined }) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const fmt = new Intl.NumberFormat(locale);
  return (
    <SignedInLayout {...frame} title={t('staff:home_title')}>
      <h1>{t('staff:home_title')}</h1>
      <Notice message={notice} />
      <p class="lede">{t('staff:home_intro')}</p>
      <p>
        <a class="button" href={href(ctx, '/staff/surveys/new')}>
          {t('staff:create')}
        </a>
      </p>
      {surveys.length === 0 ? (
        <p>{t('staff:no_surveys')}</p>
      ) : (
        <div class="scroll" role="region" aria-labelledby="surveys-caption" tabIndex={0}>
          <table class="stack">
            <caption id="surveys-caption">{t('staff:surveys_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff:survey')}</th>
                <th scope="col">{t('staff:status_label')}</th>
                <th scope="col" class="num">
                  {t('staff:responses')}
                </th>
                <th scope="col" class="num">
                  {t('staff:codes_spent')}
                </th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((s) => (
                <tr key={s.slug}>
                  <th scope="row">
                    <a href={href(ctx, `/staff/surveys/${s.slug}`)}>{s.title[locale] || s.slug}</a>
                    <br />
                    <code>{s.slug}</code>
                  </th>
                  {/* data-label: the column's name, shown above the figure where the rows stack on a phone. */}
                  <td data-label={t('staff:status_label')}>{t(`staff:status.${s.status}`)}</td>
                  <td class="num" data-label={t('staff:responses')}>
                    {s.purged ? t('staff:purged') : fmt.format(s.responses)}
                  </td>
                  <td class="num" data-label={t('staff:codes_spent')}>
                    {s.access === 'invite' ? t('staff:codes_of', { spent: fmt.format(s.codesSpent ?? 0), issued: fmt.format(s.codesIssued ?? 0) }) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SignedInLayout>
  );
}

/** What a new survey can start from (§12). */
export interface StartChoices {
  templates: { id: string; title: LocalizedText; questions: number }[];
  surveys: { slug: string; title: LocalizedText }[];
}

/** The start form as sent, shown again beside a refusal. */
export interface StartValues {
  start: string;
  slug: string;
  title: { en: string; es: string; fr: string };
}

/**
 * A new survey (§12): from blank, from a template or as a copy of an earlier survey — then built
 * in the browser; or imported as a JSON definition, for those who have one.
 */
export function CreatePage({
  frame,
  choices,
  start,
  startError,
  definition,
  error,
  problems,
}: {
  frame: Frame;
  choices: StartChoices;
  start?: StartValues | undefined;
  startError?: { error: string; problems: { path: string; message: string }[] } | undefined;
  definition?: string;
  error?: string;
  problems?: { path: string; message: string }[];
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const chosen = start?.start ?? 'blank';
  const startProblem = (field: string) => startError?.problems.filter((p) => p.path === `$.${field}`).map((p) => p.message).join(' ');
  const slugProblem = startProblem('slug');
  return (
    <SignedInLayout {...frame} title={error || startError ? `${t('form:error_prefix')} ${t('builder:new_title')}` : t('builder:new_title')}>
      <h1>{t('builder:new_title')}</h1>
      <Notice error={startError?.error} problems={startError?.problems.map(({ message }) => ({ message }))} />
      <p class="lede">{t('builder:new_intro')}</p>
      <form method="post" action={href(ctx, '/staff/surveys/start')}>
        <Csrf token={csrfToken} />
        <fieldset class="q">
          <legend>{t('builder:start_label')}</legend>
          {[
            { value: 'blank', label: t('builder:start_blank') },
            ...choices.templates.map((tpl) => ({ value: `template:${tpl.id}`, label: t('builder:start_template', { title: tpl.title[locale], count: tpl.questions }) })),
            ...choices.surveys.map((sv) => ({ value: `copy:${sv.slug}`, label: t('builder:start_copy', { title: sv.title[locale] || sv.slug }) })),
          ].map((c, i) => (
            <div class="choice" key={c.value}>
              <input type="radio" id={`start-${i}`} name="start" value={c.value} checked={c.value === chosen} />
              <label for={`start-${i}`}>{c.label}</label>
            </div>
          ))}
        </fieldset>
        <div class={slugProblem ? 'q invalid' : 'q'}>
          <label for="start-slug">{t('builder:slug_label')}</label>
          <p class="hint" id="start-slug-hint">
            {t('builder:slug_hint')}
          </p>
          {slugProblem ? (
            <p class="field-error" id="start-slug-error">
              {slugProblem}
            </p>
          ) : null}
          <input
            type="text"
            id="start-slug"
            name="slug"
            autoComplete="off"
            spellcheck={false}
            value={start?.slug ?? ''}
            aria-describedby={slugProblem ? 'start-slug-hint start-slug-error' : 'start-slug-hint'}
            aria-invalid={slugProblem ? 'true' : undefined}
          />
        </div>
        <fieldset class="texts">
          <legend>{t('builder:survey_title')}</legend>
          <p class="hint" id="start-title-hint">
            {t('builder:title_hint')}
          </p>
          <div class="langs">
            {LOCALES.map((l) => (
              <div class="lang" key={l}>
                <label for={`start-title-${l}`}>{t(`common:language_name.${l}`, { lng: l })}</label>
                <input type="text" id={`start-title-${l}`} name={`title_${l}`} lang={l} value={start?.title[l] ?? ''} aria-describedby="start-title-hint" />
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit">{t('builder:start_submit')}</button>
      </form>

      <h2>{t('builder:import_title')}</h2>
      <Notice error={error} problems={problems} />
      <p>{t('staff:create_intro')}</p>
      <form method="post" action={href(ctx, '/staff/surveys')} enctype="multipart/form-data">
        <Csrf token={csrfToken} />
        <div class="q">
          <label for="definition-file">{t('staff:upload_label')}</label>
          <p class="hint" id="definition-file-hint">
            {t('staff:upload_hint')}
          </p>
          <input type="file" id="definition-file" name="file" accept="application/json,.json" aria-describedby="definition-file-hint" />
        </div>
        <div class="q">
          <label for="definition-text">{t('staff:paste_label')}</label>
          <p class="hint" id="definition-text-hint">
            {t('staff:paste_hint')}
          </p>
          <textarea id="definition-text" name="definition" rows={16} spellcheck={false} aria-describedby="definition-text-hint">
            {definition ?? ''}
          </textarea>
        </div>
        <button type="submit">{t('staff:create_submit')}</button>
      </form>
    </SignedInLayout>
  );
}

export function Setting({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

export function SurveyPage({
  frame,
  survey,
  responses,
  codes,
  hasRelease,
  hasFinal = false,
  notice,
  error,
}: {
  frame: Frame;
  survey: SurveyRecord & { purged: boolean };
  responses: number;
  codes?: { issued: number; spent: number } | undefined;
  hasRelease: boolean;
  /** Whether the final release is stored: no release is due after it. */
  hasFinal?: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const def = survey.definition;
  const fmt = new Intl.NumberFormat(locale);
  const slug = survey.slug;
  return (
    <SignedInLayout {...frame} title={def.title[locale] || slug}>
      <p>
        <a href={href(ctx, '/staff')}>{t('staff:back')}</a>
      </p>
      <h1>{def.title[locale] || slug}</h1>
      <Notice message={notice} error={error} />
      <dl class="settings">
        <Setting label={t('staff:status_label')} value={t(`staff:status.${survey.status}`)} />
        <Setting label={t('staff:responses_live')} value={survey.purged ? t('staff:purged') : fmt.format(responses)} />
        {codes ? <Setting label={t('staff:codes_spent')} value={t('staff:codes_of', { spent: fmt.format(codes.spent), issued: fmt.format(codes.issued) })} /> : null}
        <Setting label={t('staff:access_label')} value={t(`staff:access.${def.access}`)} />
        <Setting label={t('staff:k_label')} value={fmt.format(def.minGroupSize)} />
        <Setting label={t('staff:c_label')} value={fmt.format(def.minDiversity)} />
        <Setting label={t('staff:min_comments_label')} value={fmt.format(def.minComments)} />
        <Setting label={t('staff:interim_label')} value={def.interimReleases ? t('staff:yes') : t('staff:no')} />
        <Setting label={t('staff:closes_label')} value={def.closesAt ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(def.closesAt)) : '—'} />
      </dl>
      <p class="hint">{t('staff:live_note')}</p>
      {def.access === 'open' ? <p class="hint">{t('staff:open_access_note')}</p> : null}

      <h2>{t('staff:actions')}</h2>
      {survey.status === 'draft' ? (
        <>
          <p>
            <a class="button" href={href(ctx, `/staff/surveys/${slug}/edit`)}>
              {t('builder:edit')}
            </a>
          </p>
          <p>{t('staff:open_note')}</p>
          <p>
            <a class="button" href={href(ctx, `/staff/surveys/${slug}/open`)}>
              {t('staff:open')}
            </a>
          </p>
          <p>
            <a href={href(ctx, `/staff/surveys/${slug}/delete`)}>{t('builder:delete')}</a>
          </p>
        </>
      ) : null}
      {survey.status === 'open' ? (
        <>
          <p>
            {t('staff:form_link')}{' '}
            {LOCALES.map((l, i) => (
              <span key={l}>
                {i > 0 ? ' · ' : ''}
                <a href={`/s/${slug}?lang=${l}`} hrefLang={l} lang={l}>
                  {t(`common:language_name.${l}`, { lng: l })}
                </a>
              </span>
            ))}
          </p>
          <form method="post" action={href(ctx, `/staff/surveys/${slug}/closing`)}>
            <Csrf token={csrfToken} />
            <div class="q">
              <label for="closes-at">{t('builder:move_closing')}</label>
              <p class="hint" id="closes-at-hint">
                {t('builder:move_closing_help')}
              </p>
              <input type="datetime-local" id="closes-at" name="closesAt" value={def.closesAt ? new Date(def.closesAt).toISOString().slice(0, 16) : ''} aria-describedby="closes-at-hint" />
            </div>
            <button type="submit" class="secondary">
              {t('builder:move_closing_submit')}
            </button>
          </form>
          <p>{t('staff:close_note')}</p>
          <p>
            <a class="button" href={href(ctx, `/staff/surveys/${slug}/close`)}>
              {t('staff:close')}
            </a>
          </p>
        </>
      ) : null}
      {/* Only where a release can be made: interim counts while open, if the survey publishes them;
          the final release once closed, until it is stored. Elsewhere the button could only fail. */}
      {(survey.status === 'open' && def.interimReleases) || (survey.status === 'closed' && !hasFinal) ? (
        <form method="post" action={href(ctx, `/staff/surveys/${slug}/release`)}>
          <Csrf token={csrfToken} />
          <p>{survey.status === 'closed' ? t('staff:release_final_note') : t('staff:release_interim_note', { k: def.minGroupSize })}</p>
          <button type="submit" class="secondary">
            {t('staff:release')}
          </button>
        </form>
      ) : null}
      {def.access === 'invite' && survey.status !== 'closed' ? (
        <p>
          <a href={href(ctx, `/staff/surveys/${slug}/invites`)}>{t('staff:invites_link')}</a>
        </p>
      ) : null}

      <p>
        {t('staff:preview_links')}{' '}
        {LOCALES.map((l, i) => (
          <span key={l}>
            {i > 0 ? ' · ' : ''}
            <a href={`/staff/surveys/${slug}/preview?lang=${l}`} hrefLang={l} lang={l}>
              {t(`common:language_name.${l}`, { lng: l })}
            </a>
          </span>
        ))}
      </p>

      <h2>{t('staff:results')}</h2>
      {hasRelease ? (
        <ul>
          <li>
            <a href={href(ctx, `/s/${slug}/results`)}>{t('staff:results_page')}</a>
          </li>
          <li>
            {t('staff:results_csv')}{' '}
            {LOCALES.map((l, i) => (
              <span key={l}>
                {i > 0 ? ' · ' : ''}
                <a href={`/api/surveys/${slug}/results.csv?lang=${l}`} hrefLang={l} lang={l}>
                  {t(`common:language_name.${l}`, { lng: l })}
                </a>
              </span>
            ))}
          </li>
          <li>
            <a href={href(ctx, `/wg/${slug}/brief`)}>{t('staff:brief')}</a>
          </li>
          <li>
            <a href={href(ctx, `/staff/surveys/${slug}/commitments`)}>{t('commitments:staff_link')}</a>
          </li>
        </ul>
      ) : (
        <p>{t('staff:no_release')}</p>
      )}

      <QuestionList ctx={ctx} def={def} />

      <h2 id="next-round">{t('staff:next_round_title')}</h2>
      <form method="post" action={href(ctx, `/staff/surveys/${slug}/duplicate`)}>
        <Csrf token={csrfToken} />
        <p>{t('staff:next_round_note')}</p>
        <div class="q">
          <label for="next-slug">{t('staff:next_round_slug')}</label>
          <p class="hint" id="next-slug-hint">
            {t('staff:next_round_hint')}
          </p>
          <input type="text" id="next-slug" name="slug" value={nextSlug(slug)} autoComplete="off" spellcheck={false} aria-describedby="next-slug-hint" />
        </div>
        <button type="submit" class="secondary">
          {t('staff:next_round_submit')}
        </button>
      </form>
    </SignedInLayout>
  );
}

export function InvitesPage({
  frame,
  survey,
  counts,
  codes,
  error,
}: {
  frame: Frame;
  survey: SurveyRecord;
  counts: { issued: number; spent: number };
  /** Codes just made, with their invitation links: shown once. */
  codes?: { code: string; link: string }[];
  error?: string | undefined;
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const fmt = new Intl.NumberFormat(locale);
  const title = t('staff:invites_title', { title: survey.definition.title[locale] });
  return (
    <SignedInLayout {...frame} title={title}>
      <p>
        <a href={href(ctx, `/staff/surveys/${survey.slug}`)}>{t('staff:back_to_survey')}</a>
      </p>
      <h1>{title}</h1>
      <Notice error={error} />
      <p class="lede">{t('staff:invites_intro')}</p>
      <p>
        {t('staff:codes_of_long', { spent: fmt.format(counts.spent), issued: fmt.format(counts.issued) })} {t('staff:codes_public')}
      </p>
      {codes ? (
        <section aria-labelledby="new-codes">
          <h2 id="new-codes">{t('staff:new_codes', { count: codes.length })}</h2>
          <p class="notice" role="status">
            {t('staff:shown_once')}
          </p>
          <div class="scroll" role="region" aria-labelledby="codes-caption" tabIndex={0}>
            <table>
              <caption id="codes-caption">{t('staff:codes_caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('staff:code')}</th>
                  <th scope="col">{t('staff:link')}</th>
                </tr>
              </thead>
              <tbody>
                {codes.map((c) => (
                  <tr key={c.code}>
                    <td>
                      <code>{c.code}</code>
                    </td>
                    <td>
                      <code>{c.link}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section class="notice" aria-labelledby="invented-title">
        <h2 id="invented-title">{t('staff:invented_title')}</h2>
        <p>{t('staff:invented')}</p>
        <p>{t('staff:invented_howto')}</p>
      </section>
      {survey.status === 'closed' ? (
        // §5: the number issued is published with the final release; no code may be added after it.
        error ? null : (
          <p class="notice" role="status">
            {t('errors:survey_closed')}
          </p>
        )
      ) : (
        <form method="post" action={href(ctx, `/staff/surveys/${survey.slug}/invites`)}>
          <Csrf token={csrfToken} />
          <div class="q">
            <label for="count">{t('staff:how_many')}</label>
            <p class="hint" id="count-hint">
              {t('staff:how_many_hint', { max: MAX_CODES_PER_REQUEST })}
            </p>
            <input type="number" id="count" name="count" min={1} max={MAX_CODES_PER_REQUEST} value="20" inputMode="numeric" aria-describedby="count-hint" />
          </div>
          <p class="actions">
            <button type="submit" name="format" value="page">
              {t('staff:generate_show')}
            </button>{' '}
            <button type="submit" name="format" value="cards" class="secondary">
              {t('staff:generate_cards')}
            </button>{' '}
            <button type="submit" name="format" value="csv" class="secondary">
              {t('staff:generate_csv')}
            </button>
          </p>
        </form>
      )}
    </SignedInLayout>
  );
}

/** A suggested address for the next round: the year moved on by one, or "-next". */
export function nextSlug(slug: string): string {
  const year = /(\d{4})(?!.*\d{4})/.exec(slug);
  if (year) return `${slug.slice(0, year.index)}${Number(year[1]) + 1}${slug.slice(year.index + 4)}`;
  return `${slug}-next`.slice(0, 64);
}

/** A survey's questions as staff check them: the prompt in the reader's language, its type, and its marks. */
export function QuestionList({ ctx, def }: { ctx: PageContext; def: ResolvedDefinition }) {
  const { t, locale } = ctx;
  return (
    <section aria-labelledby="questions-title">
      <h2 id="questions-title">{t('staff:questions_title', { count: def.questions.length })}</h2>
      <ol class="questions">
        {def.questions.map((q) => (
          <li key={q.id}>
            <span class="prompt">{q.prompt[locale]}</span>
            <br />
            <span class="hint">
              {q.type === 'rating' ? t('staff:question_type.rating', { min: q.min, max: q.max }) : t(`staff:question_type.${q.type}`)}
              {q.grouping ? ` · ${t('staff:grouping_mark')}` : ''}
              {q.required ? ` · ${t('staff:required_mark')}` : ''}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Opening and closing ask first, on a page that says what each locks (§12). */
export function ConfirmPage({ frame, survey, to }: { frame: Frame; survey: SurveyRecord; to: 'open' | 'closed' }) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const slug = survey.slug;
  const what = to === 'open' ? 'open' : 'close';
  const title = t(`staff:confirm_${what}_title`, { title: survey.definition.title[locale] || slug });
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      <p class="lede">{t(`staff:confirm_${what}_locks`)}</p>
      {to === 'open' ? <QuestionList ctx={ctx} def={survey.definition} /> : null}
      <form method="post" action={href(ctx, `/staff/surveys/${slug}/status`)}>
        <Csrf token={csrfToken} />
        <input type="hidden" name="status" value={to} />
        <p>
          <button type="submit">{t(`staff:confirm_${what}_submit`)}</button>
        </p>
      </form>
      <p>
        <a href={href(ctx, `/staff/surveys/${slug}`)}>{t('staff:cancel')}</a>
      </p>
    </SignedInLayout>
  );
}

/** One invitation card: what a partner needs to answer, in the three languages, and the link as a QR code. */
export interface Card {
  code: string;
  link: string;
  /** The QR code of the link, as SVG markup made by `qrcode`. */
  qrSvg: string;
}

/**
 * Invitation cards to print (§12): one per code, several to a page, each with the survey's title,
 * the link, the code and a QR code of the link, in English, Spanish and French. The codes are shown
 * only once: this page is the only copy.
 */
export function CardsPage({ frame, survey, cards }: { frame: Frame; survey: SurveyRecord; cards: Card[] }) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const def = survey.definition;
  const title = t('staff:cards_title', { title: def.title[locale] });
  return (
    <SignedInLayout {...frame} title={title}>
      <div class="screen-only">
        <p>
          <a href={href(ctx, `/staff/surveys/${survey.slug}/invites`)}>{t('staff:back_to_survey')}</a>
        </p>
        <h1>{title}</h1>
        <p class="notice" role="status">
          {t('staff:shown_once')}
        </p>
        <p class="lede">{t('staff:cards_howto', { count: cards.length })}</p>
      </div>
      <ul class="cards" aria-label={t('staff:cards_list', { count: cards.length })}>
        {cards.map((c) => (
          <li class="card" key={c.code}>
            {LOCALES.map((l) => (
              <p class="card-title" lang={l} key={l}>
                {def.title[l]}
              </p>
            ))}
            <div class="card-main">
              <div class="qr" role="img" aria-label={t('staff:card_qr', { link: c.link })} dangerouslySetInnerHTML={{ __html: c.qrSvg }} />
              <p class="card-code">
                {LOCALES.map((l, i) => (
                  <span lang={l} key={l}>
                    {i > 0 ? ' / ' : ''}
                    {t('staff:card_code', { lng: l })}
                  </span>
                ))}
                <br />
                <code>{c.code}</code>
              </p>
            </div>
            <p class="card-how">
              {LOCALES.map((l) => (
                <span lang={l} key={l}>
                  {t('staff:card_how', { lng: l })}{' '}
                </span>
              ))}
            </p>
            <p class="card-link">
              <code>{c.link}</code>
            </p>
          </li>
        ))}
      </ul>
    </SignedInLayout>
  );
}

/** Deleting a draft asks first. */
export function DeletePage({ frame, survey }: { frame: Frame; survey: SurveyRecord }) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const title = t('builder:delete_title', { title: survey.definition.title[locale] || survey.slug });
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      <p class="lede">{t('builder:delete_body')}</p>
      <form method="post" action={href(ctx, `/staff/surveys/${survey.slug}/delete`)}>
        <Csrf token={csrfToken} />
        <p>
          <button type="submit">{t('builder:delete_submit')}</button>
        </p>
      </form>
      <p>
        <a href={href(ctx, `/staff/surveys/${survey.slug}`)}>{t('staff:cancel')}</a>
      </p>
    </SignedInLayout>
  );
}
