/** The partner's form (§4): fieldsets with legends, errors beside each field and in a summary. */
import { SinceLastRound } from '../commitments/components.js';
import type { Answered } from '../commitments/service.js';
import { LOCALES, type Locale } from '../i18n/index.js';
import { issuedSentence } from '../invites/issued.js';
import { DEFAULT_TEXT_MAX_LENGTH, LIKERT_POINTS, PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../surveys/definition.js';
import { href, Layout, type PageContext } from '../web/layout.js';

/** What the partner sent, kept to fill the form again after an error. */
export type FormValues = Record<string, string | string[] | undefined>;

export interface FieldError {
  /** Question id, or "inviteCode". */
  field: string;
  message: string;
}

const MAX_RADIO_SCALE = 11;
const inputId = (questionId: string, index = 0) => (index === 0 ? `q-${questionId}` : `q-${questionId}-${index}`);
const errorId = (field: string) => `${field}-error`;
const hintId = (field: string) => `${field}-hint`;

const valuesOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => typeof x === 'string');
  return list.length > 0 ? list.join(' ') : undefined;
}

/**
 * Buttons that send the form back in another language with everything typed in place: nothing is
 * stored (a link would lose the answers). No script needed.
 */
function LanguageSwitch({ ctx, slug, arrived }: { ctx: PageContext; slug: string; arrived: boolean }) {
  const others = LOCALES.filter((l) => l !== ctx.locale);
  // Just switched: the page opens here, where the partner pressed, not at the top two screens above
  // the answers (autofocus, as the error summary: no script).
  const focus = arrived ? { tabIndex: -1, autofocus: true } : {};
  return (
    <div class="lang-switch" role="group" aria-labelledby="lang-switch-label" {...focus}>
      {/* The sentence on its own line, the buttons together under it: inline, they wrapped one by one. */}
      <p id="lang-switch-label" class="hint">
        {ctx.t('form:switch_language')}
      </p>
      <div>
        {others.map((l) => (
          // Sent to the form's address in that language, so that the address bar says it too.
          <button key={l} type="submit" name="_lang" value={l} lang={l} class="secondary small" formNoValidate formAction={`/s/${encodeURIComponent(slug)}?lang=${l}`}>
            {ctx.t(`common:language_name.${l}`, { lng: l })}
          </button>
        ))}
      </div>
    </div>
  );
}

/**
 * A long survey's parts: a question with a `section` opens one. Questions before the first
 * section form a part without a title. Numbers run across the whole form.
 */
export function sectionsOf(questions: readonly Question[]): { title: Question['section']; questions: { q: Question; n: number }[] }[] {
  const parts: { title: Question['section']; questions: { q: Question; n: number }[] }[] = [];
  questions.forEach((q, i) => {
    if (q.section || parts.length === 0) parts.push({ title: q.section, questions: [] });
    parts[parts.length - 1]!.questions.push({ q, n: i + 1 });
  });
  return parts;
}

/** Where a question stands in the form: "Question 3 of 8", read before its prompt. */
export interface Position {
  n: number;
  total: number;
}

function Legend({ ctx, q, as, position }: { ctx: PageContext; q: Question; as: 'legend' | 'label'; position: Position }) {
  const text = q.prompt[ctx.locale];
  const required = q.required ? <span class="required"> ({ctx.t('form:required')})</span> : null;
  const number = <span class="qnum">{ctx.t('form:question_of', { n: position.n, total: position.total })}</span>;
  return as === 'legend' ? (
    <legend>
      {number}
      {text}
      {required}
    </legend>
  ) : (
    <label for={inputId(q.id)}>
      {number}
      {text}
      {required}
    </label>
  );
}

function Hint({ ctx, q }: { ctx: PageContext; q: Question }) {
  const hint = q.help?.[ctx.locale] ?? (q.type === 'multi_choice' ? ctx.t('form:hint_multi') : q.type === 'text' ? ctx.t('form:hint_text', { maximum: q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH }) : undefined);
  return hint ? (
    <p class="hint" id={hintId(q.id)}>
      {hint}
    </p>
  ) : null;
}

function ErrorText({ field, message, t }: { field: string; message?: string | undefined; t: PageContext['t'] }) {
  return message ? (
    <p class="field-error" id={errorId(field)}>
      <span class="visually-hidden">{t('form:error_prefix')} </span>
      {message}
    </p>
  ) : null;
}

interface Choice {
  value: string;
  label: string;
}

function choicesOf(q: Question, locale: Locale, t: PageContext['t']): Choice[] {
  switch (q.type) {
    case 'single_choice': {
      const list = q.options.map((o) => ({ value: o.value, label: o.label[locale] }));
      if (q.grouping) list.push({ value: PREFER_NOT_TO_SAY, label: t('form:prefer_not_to_say') });
      return list;
    }
    case 'multi_choice':
      return q.options.map((o) => ({ value: o.value, label: o.label[locale] }));
    case 'likert':
      return LIKERT_POINTS.map((p) => ({ value: String(p), label: t(`form:likert.${p}`) }));
    case 'rating': {
      const list: Choice[] = [];
      for (let v = q.min; v <= q.max; v++) list.push({ value: String(v), label: new Intl.NumberFormat(locale).format(v) });
      return list;
    }
    case 'text':
      return [];
  }
}

function QuestionField({ ctx, q, values, error, position }: { ctx: PageContext; q: Question; values: string[]; error?: string | undefined; position: Position }) {
  const { t, locale } = ctx;
  const hasHint = q.help !== undefined || q.type === 'multi_choice' || q.type === 'text';
  const aria = describedBy(hasHint && hintId(q.id), error !== undefined && errorId(q.id));
  const cls = error ? 'q invalid' : 'q';

  if (q.type === 'text') {
    return (
      <div class={cls}>
        <Legend ctx={ctx} q={q} as="label" position={position} />
        <Hint ctx={ctx} q={q} />
        <ErrorText field={q.id} message={error} t={t} />
        <textarea
          id={inputId(q.id)}
          name={q.id}
          rows={6}
          maxLength={q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH}
          required={q.required === true}
          aria-describedby={aria}
          aria-invalid={error ? 'true' : undefined}
        >
          {values[0] ?? ''}
        </textarea>
      </div>
    );
  }
  if (q.type === 'rating' && q.max - q.min + 1 > MAX_RADIO_SCALE) {
    return (
      <div class={cls}>
        <Legend ctx={ctx} q={q} as="label" position={position} />
        <p class="hint" id={hintId(q.id)}>
          {t('form:hint_rating', { min: q.min, max: q.max })}
        </p>
        <ErrorText field={q.id} message={error} t={t} />
        <input
          type="number"
          inputMode="numeric"
          id={inputId(q.id)}
          name={q.id}
          min={q.min}
          max={q.max}
          step={1}
          required={q.required === true}
          value={values[0] ?? ''}
          aria-describedby={describedBy(hintId(q.id), error !== undefined && errorId(q.id))}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
    );
  }
  const multiple = q.type === 'multi_choice';
  const scale = q.type === 'likert' || q.type === 'rating';
  const choices = choicesOf(q, locale, t);
  return (
    <fieldset class={cls} aria-describedby={aria}>
      <Legend ctx={ctx} q={q} as="legend" position={position} />
      {q.type === 'rating' ? (
        <p class="hint" id={hintId(q.id)}>
          {t('form:hint_rating', { min: q.min, max: q.max })}
        </p>
      ) : (
        <Hint ctx={ctx} q={q} />
      )}
      <ErrorText field={q.id} message={error} t={t} />
      <div class={scale && q.type === 'rating' ? 'scale' : undefined}>
        {choices.map((c, i) => (
          <div class="choice" key={c.value}>
            <input
              type={multiple ? 'checkbox' : 'radio'}
              id={inputId(q.id, i)}
              name={q.id}
              value={c.value}
              checked={values.includes(c.value)}
              required={!multiple && q.required === true}
              aria-invalid={error ? 'true' : undefined}
            />
            <label for={inputId(q.id, i)}>{c.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The plain statement of what is and is not stored, shown on every form (§1), and who could
 * weaken it with made-up answers (§2): anyone, in an open survey; in an invite-only one, whoever
 * holds unused codes — hence the number of codes issued (§5).
 */
/**
 * What a partner reads before question 1: two plain lines that are true, the number of codes issued
 * (§5), and the full statement folded under them, so that the questions start on the first screen.
 */
function PrivacyNotice({ ctx, survey, issued }: { ctx: PageContext; survey: ResolvedDefinition; issued?: number | undefined }) {
  const { t, locale } = ctx;
  const k = survey.minGroupSize;
  return (
    <section class="notice privacy" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t('form:privacy.title')}</h2>
      <p>{t('form:privacy.short_stored')}</p>
      <p>{t('form:privacy.short_reviewed')}</p>
      {survey.access === 'invite' ? (
        <p>
          <strong>{issuedSentence(issued ?? 0, locale, t)}</strong>
        </p>
      ) : null}
      <details>
        <summary>{t('form:privacy.more')}</summary>
        <ul>
          <li>{t('form:privacy.not_stored')}</li>
          <li>{t('form:privacy.scrubbed')}</li>
          <li>{survey.interimReleases ? t('form:privacy.release_interim', { k }) : t('form:privacy.release_final', { k })}</li>
          <li>{t('form:privacy.small_groups', { k })}</li>
          <li>{t('form:privacy.no_withdrawal')}</li>
          <li>{t('form:privacy.working_group')}</li>
          {survey.access === 'invite' ? (
            <>
              <li>{t('form:privacy.invite_code')}</li>
              {/* "Compare this number": the number again, two screens below the one above. */}
              <li>
                {issuedSentence(issued ?? 0, locale, t)} {t('common:codes_issued_why')} {t('form:privacy.invite_cards')}
              </li>
            </>
          ) : (
            <li>{t('form:privacy.invented_open')}</li>
          )}
          <li>{t('form:privacy.optional')}</li>
        </ul>
      </details>
    </section>
  );
}

export function SurveyFormPage({
  ctx,
  survey,
  issued,
  values = {},
  errors = [],
  preview = false,
  since,
  switched = false,
}: {
  ctx: PageContext;
  survey: ResolvedDefinition;
  /** Invite-only surveys: the invitation codes issued so far (§5, public). */
  issued?: number | undefined;
  values?: FormValues;
  errors?: FieldError[];
  /** The form as partners will see it, for staff and the Working Group: marked, and posting nowhere (§12). */
  preview?: boolean;
  /** The previous round's commitments and where they stand (§13). */
  since?: Answered | undefined;
  /** Sent back by a language button: the page opens at those buttons. */
  switched?: boolean;
}) {
  const { t, locale } = ctx;
  const errorFor = new Map(errors.map((e) => [e.field, e.message]));
  const title = survey.title[locale];
  const codeError = errorFor.get('inviteCode');
  const questions = new Map(survey.questions.map((q) => [q.id, q]));
  return (
    <Layout ctx={ctx} title={errors.length > 0 ? `${t('form:error_prefix')} ${title}` : title}>
      {preview ? (
        <div class="notice preview" role="note">
          <p>
            <strong>{t('form:preview_banner')}</strong> {t('form:preview_note')}
          </p>
        </div>
      ) : null}
      <h1>{title}</h1>
      {survey.description ? <p class="lede">{survey.description[locale]}</p> : null}
      {errors.length > 0 ? (
        // autofocus: the summary is where keyboard and screen-reader users land, without any script.
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
          <h2 id="error-summary-title">{t('form:error_summary', { count: errors.length })}</h2>
          <ul>
            {errors.map((e) => {
              const target = e.field === 'inviteCode' ? 'invite-code' : questions.has(e.field) ? inputId(e.field) : undefined;
              const name = e.field === 'inviteCode' ? t('form:invite_code') : questions.get(e.field)?.prompt[locale];
              const text = name ? t('form:summary_item', { question: name, message: e.message }) : e.message;
              return <li key={e.field}>{target ? <a href={`#${target}`}>{text}</a> : text}</li>;
            })}
          </ul>
        </div>
      ) : null}
      <PrivacyNotice ctx={ctx} survey={survey} issued={issued} />
      {since ? <SinceLastRound answered={since} locale={locale} t={t} resultsHref={href(ctx, `/s/${since.survey.slug}/results`)} /> : null}
      {/* A preview's form has no address: its button sends nothing anywhere. */}
      <form {...(preview ? {} : { method: 'post', action: href(ctx, `/s/${survey.slug}`) })} noValidate>
        {preview ? null : (
          <>
            {/* The first submit button is the one Enter presses: sending, never a change of language. */}
            <button type="submit" class="visually-hidden" tabIndex={-1} aria-hidden="true">
              {t('form:submit')}
            </button>
            <LanguageSwitch ctx={ctx} slug={survey.slug} arrived={switched && errors.length === 0} />
          </>
        )}
        {survey.access === 'invite' ? (
          <div class={codeError ? 'q invalid' : 'q'}>
            <label for="invite-code">{t('form:invite_code')}</label>
            <p class="hint" id="invite-code-hint">
              {t('form:invite_code_hint')}
            </p>
            <ErrorText field="inviteCode" message={codeError} t={t} />
            <input
              type="text"
              id="invite-code"
              name="inviteCode"
              autoComplete="off"
              spellcheck={false}
              value={valuesOf(values.inviteCode)[0] ?? ''}
              aria-describedby={describedBy('invite-code-hint', codeError !== undefined && errorId('inviteCode'))}
              aria-invalid={codeError ? 'true' : undefined}
            />
          </div>
        ) : null}
        {sectionsOf(survey.questions).map((part, s, all) => {
          const fields = part.questions.map(({ q, n }) => (
            <QuestionField key={q.id} ctx={ctx} q={q} values={valuesOf(values[q.id])} error={errorFor.get(q.id)} position={{ n, total: survey.questions.length }} />
          ));
          // Questions before the first section's title stand on their own, as in a survey without sections.
          if (!part.title) return fields;
          return (
            <section class="form-section" aria-labelledby={`section-${s}`} key={`section-${s}`}>
              <h2 id={`section-${s}`}>
                <span class="qnum">{t('form:section_of', { n: all.filter((x) => x.title).indexOf(part) + 1, total: all.filter((x) => x.title).length })}</span>
                {part.title[locale]}
              </h2>
              {fields}
            </section>
          );
        })}
        {preview ? (
          <button type="button" aria-disabled="true">
            {t('form:submit')}
          </button>
        ) : (
          <button type="submit" id="send">{t('form:submit')}</button>
        )}
      </form>
    </Layout>
  );
}

export function ThanksPage({ ctx, survey }: { ctx: PageContext; survey: ResolvedDefinition }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('form:thanks_title')}>
      <h1>{t('form:thanks_title')}</h1>
      <p class="lede">{t('form:thanks_saved', { title: survey.title[ctx.locale] })}</p>
      <p>{t('form:thanks_unlinked')}</p>
      <p>{t(survey.interimReleases ? 'form:thanks_results_interim' : 'form:thanks_results', { k: survey.minGroupSize })}</p>
      <p>
        <a href={href(ctx, '/')}>{t('form:back_to_surveys')}</a>
      </p>
    </Layout>
  );
}

/** The home page: the surveys open now, and every survey whose results have been released (§12). */
export function HomePage({ ctx, surveys, results }: { ctx: PageContext; surveys: ResolvedDefinition[]; results: ResolvedDefinition[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('home:title')}>
      <h1>{t('home:title')}</h1>
      <p class="lede">{t('home:intro')}</p>
      <h2>{t('home:open_surveys')}</h2>
      {surveys.length === 0 ? (
        <p>{t('home:none_open')}</p>
      ) : (
        <ul class="surveys">
          {surveys.map((s) => (
            <li key={s.slug}>
              <a href={href(ctx, `/s/${s.slug}`)}>{s.title[locale]}</a>
              {s.description ? <p>{s.description[locale]}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('home:results')}</h2>
      {results.length === 0 ? (
        <p>{t('home:none_released')}</p>
      ) : (
        <ul class="surveys">
          {results.map((s) => (
            <li key={s.slug}>
              <a href={href(ctx, `/s/${s.slug}/results`)}>{t('home:results_of', { title: s.title[locale] })}</a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/**
 * A survey's form address once it no longer takes answers (§12): it says so, and leads to the
 * results when they have been released. A form sent after the close lands here too, storing nothing.
 */
export function ClosedPage({ ctx, survey, released }: { ctx: PageContext; survey: ResolvedDefinition; released: boolean }) {
  const { t, locale } = ctx;
  const title = t('form:closed_title', { title: survey.title[locale] });
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lede">{t('form:closed_body')}</p>
      {released ? (
        <p>
          <a class="button" href={href(ctx, `/s/${survey.slug}/results`)}>
            {t('form:closed_results')}
          </a>
        </p>
      ) : (
        <p>{t('form:closed_no_results')}</p>
      )}
      <p>
        <a href={href(ctx, '/')}>{t('form:back_to_surveys')}</a>
      </p>
    </Layout>
  );
}
