/**
 * The survey builder's page (§12): every text in English, Spanish and French side by side, the
 * settings in plain words with a line of help each, questions added, edited, moved and removed
 * with buttons (no script), and what is still missing before the survey can open shown beside
 * the field it concerns. Every button saves the whole form first: nothing typed is lost.
 */
import type { ComponentChildren } from 'preact';
import { SignedInLayout } from '../access/views.js';
import { LOCALES, type Locale } from '../i18n/index.js';
import { href, Notice } from '../web/layout.js';
import { type BuilderState, QUESTION_TYPES, type Texts } from './builder.js';
import { Csrf, type Frame } from './views.js';

/** Messages by field name ("questions[2].prompt.fr"), from problems' paths. */
export type FieldMessages = Map<string, string[]>;

export function byField(problems: { path?: string; message: string }[]): FieldMessages {
  const out: FieldMessages = new Map();
  for (const p of problems) {
    const field = (p.path ?? '').replace(/^\$\.?/, '');
    out.set(field, [...(out.get(field) ?? []), p.message]);
  }
  return out;
}

const idOf = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]+/g, '-')}`;

function FieldNote({ name, errors, missing }: { name: string; errors: FieldMessages; missing: FieldMessages }) {
  const error = errors.get(name);
  const todo = missing.get(name);
  return (
    <>
      {error ? (
        <p class="field-error" id={`${idOf(name)}-error`}>
          {error.join(' ')}
        </p>
      ) : null}
      {!error && todo ? (
        <p class="field-missing" id={`${idOf(name)}-missing`}>
          {todo.join(' ')}
        </p>
      ) : null}
    </>
  );
}

const describedBy = (name: string, errors: FieldMessages, missing: FieldMessages, hint?: string) =>
  [hint, errors.has(name) ? `${idOf(name)}-error` : undefined, !errors.has(name) && missing.has(name) ? `${idOf(name)}-missing` : undefined].filter(Boolean).join(' ') || undefined;

/** One text in three languages, side by side: a fieldset, its legend, a labelled field per language. */
function TextsField({
  name,
  legend,
  value,
  multiline = false,
  hint,
  errors,
  missing,
  t,
}: {
  name: string;
  legend: string;
  value: Texts;
  multiline?: boolean;
  hint?: string;
  errors: FieldMessages;
  missing: FieldMessages;
  t: Frame['ctx']['t'];
}) {
  const hintId = hint ? `${idOf(name)}-hint` : undefined;
  return (
    <fieldset class="texts">
      <legend>{legend}</legend>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <FieldNote name={name} errors={errors} missing={missing} />
      <div class="langs">
        {LOCALES.map((l: Locale) => {
          const field = `${name}.${l}`;
          const props = {
            id: idOf(field),
            name: field,
            lang: l,
            'aria-describedby': describedBy(field, errors, missing, hintId),
            'aria-invalid': errors.has(field) ? ('true' as const) : undefined,
          };
          return (
            <div class={missing.has(field) || errors.has(field) ? 'lang missing' : 'lang'} key={l}>
              <label for={props.id}>{t(`common:language_name.${l}`, { lng: l })}</label>
              <FieldNote name={field} errors={errors} missing={missing} />
              {multiline ? <textarea {...props} rows={2}>{value[l]}</textarea> : <input type="text" {...props} value={value[l]} />}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function Setting({ name, label, help, children, errors, missing }: { name: string; label: string; help: string; children: ComponentChildren; errors: FieldMessages; missing: FieldMessages }) {
  return (
    <div class="q">
      <label for={idOf(name)}>{label}</label>
      <p class="hint" id={`${idOf(name)}-hint`}>
        {help}
      </p>
      <FieldNote name={name} errors={errors} missing={missing} />
      {children}
    </div>
  );
}

export function BuilderPage({
  frame,
  slug,
  state,
  missing,
  refusal,
  notice,
  warning,
  expected,
}: {
  frame: Frame;
  slug: string;
  state: BuilderState;
  /** What the draft still lacks before it can open, by field. */
  missing: FieldMessages;
  /** A refused save: its message, and its problems by field. */
  refusal?: { error: string; problems: FieldMessages } | undefined;
  notice?: string | undefined;
  /** The warning about joint groups too small to publish, when it applies. */
  warning?: string | undefined;
  expected: string;
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const errors = refusal?.problems ?? new Map<string, string[]>();
  const shownTitle = state.title[locale] || slug;
  const title = t('builder:title', { title: shownTitle });
  const missingCount = [...missing.values()].reduce((n, m) => n + m.length, 0);
  const input = (name: string, extra: Record<string, unknown> = {}) => ({
    id: idOf(name),
    name,
    'aria-describedby': describedBy(name, errors, missing, `${idOf(name)}-hint`),
    'aria-invalid': errors.has(name) ? ('true' as const) : undefined,
    ...extra,
  });
  return (
    <SignedInLayout {...frame} title={refusal ? `${t('form:error_prefix')} ${title}` : title}>
      <p>
        <a href={href(ctx, `/staff/surveys/${slug}`)}>{t('staff:back_to_survey')}</a>
      </p>
      <h1>{title}</h1>
      <Notice message={notice} error={refusal?.error} problems={refusal ? [...refusal.problems].flatMap(([, m]) => m.map((message) => ({ message }))) : undefined} />
      <p class="lede">{t('builder:intro')}</p>
      {missingCount > 0 ? (
        <p class="notice" role="status">
          {t('builder:missing_count', { count: missingCount })}
        </p>
      ) : (
        <p class="notice" role="status">
          {t('builder:complete')}
        </p>
      )}
      <form method="post" action={href(ctx, `/staff/surveys/${slug}/edit`)} noValidate>
        <Csrf token={csrfToken} />
        {/* Enter in a field saves: the first submit button of the form is the one pressed. */}
        <button type="submit" name="action" value="save" class="visually-hidden" tabIndex={-1} aria-hidden="true">
          {t('builder:save')}
        </button>

        <h2>{t('builder:about')}</h2>
        <TextsField name="title" legend={t('builder:survey_title')} value={state.title} errors={errors} missing={missing} t={t} />
        <TextsField name="description" legend={t('builder:description')} hint={t('builder:description_hint')} value={state.description} multiline errors={errors} missing={missing} t={t} />

        <h2>{t('builder:settings')}</h2>
        <fieldset class="q">
          <legend>{t('staff:access_label')}</legend>
          <p class="hint" id={`${idOf('access')}-hint`}>
            {t('builder:access_help')}
          </p>
          <FieldNote name="access" errors={errors} missing={missing} />
          {(['invite', 'open'] as const).map((a) => (
            <div class="choice" key={a}>
              <input type="radio" id={idOf(`access-${a}`)} name="access" value={a} checked={state.access === a} aria-describedby={`${idOf('access')}-hint`} />
              <label for={idOf(`access-${a}`)}>{t(`staff:access.${a}`)}</label>
            </div>
          ))}
        </fieldset>
        <Setting name="minGroupSize" label={t('staff:k_label')} help={t('builder:k_help')} errors={errors} missing={missing}>
          <input type="number" inputMode="numeric" min={3} {...input('minGroupSize')} value={state.minGroupSize} />
        </Setting>
        <Setting name="minDiversity" label={t('staff:c_label')} help={t('builder:c_help')} errors={errors} missing={missing}>
          <input type="number" inputMode="numeric" min={1} {...input('minDiversity')} value={state.minDiversity} />
        </Setting>
        <Setting name="minComments" label={t('staff:min_comments_label')} help={t('builder:min_comments_help')} errors={errors} missing={missing}>
          <input type="number" inputMode="numeric" min={1} {...input('minComments')} value={state.minComments} />
        </Setting>
        <Setting name="closesAt" label={t('builder:closes_label')} help={t('builder:closes_help')} errors={errors} missing={missing}>
          <input type="datetime-local" {...input('closesAt')} value={state.closesAt} />
        </Setting>
        <div class="q">
          <div class="choice">
            <input type="checkbox" id={idOf('interimReleases')} name="interimReleases" value="yes" checked={state.interimReleases} aria-describedby={`${idOf('interimReleases')}-hint`} />
            <label for={idOf('interimReleases')}>{t('builder:interim_label')}</label>
          </div>
          <p class="hint" id={`${idOf('interimReleases')}-hint`}>
            {t('builder:interim_help')}
          </p>
        </div>

        <h2 id="questions">{t('staff:questions_title', { count: state.questions.length })}</h2>
        <FieldNote name="questions" errors={errors} missing={missing} />
        {warning ? (
          <p class="notice warning" role="status">
            {warning}
          </p>
        ) : null}
        <Setting name="expected" label={t('builder:expected_label')} help={t('builder:expected_help')} errors={errors} missing={missing}>
          <input type="number" inputMode="numeric" min={1} {...input('expected')} value={expected} />
        </Setting>
        {state.questions.map((q, i) => {
          const name = `questions[${i}]`;
          const isChoice = q.type === 'single_choice' || q.type === 'multi_choice';
          return (
            <section class="builder-question" id={`question-${i}`} aria-labelledby={`question-${i}-title`} key={`${q.id}-${i}`}>
              <h3 id={`question-${i}-title`}>
                {t('builder:question_n', { n: i + 1, count: state.questions.length })} · {t(`staff:question_type.${q.type}`, { min: q.min, max: q.max })}
              </h3>
              <input type="hidden" name={`${name}.id`} value={q.id} />
              <input type="hidden" name={`${name}.type`} value={q.type} />
              <FieldNote name={name} errors={errors} missing={missing} />
              <TextsField name={`${name}.prompt`} legend={t('builder:prompt')} value={q.prompt} multiline errors={errors} missing={missing} t={t} />
              <TextsField name={`${name}.help`} legend={t('builder:help')} hint={t('builder:help_hint')} value={q.help} multiline errors={errors} missing={missing} t={t} />
              <TextsField name={`${name}.section`} legend={t('builder:section')} hint={t('builder:section_hint')} value={q.section} errors={errors} missing={missing} t={t} />
              {isChoice ? (
                <fieldset class="options">
                  <legend>{t('builder:options')}</legend>
                  <FieldNote name={`${name}.options`} errors={errors} missing={missing} />
                  {q.options.map((o, j) => (
                    <div class="option" key={`${o.value}-${j}`}>
                      <input type="hidden" name={`${name}.options[${j}].value`} value={o.value} />
                      <TextsField name={`${name}.options[${j}].label`} legend={t('builder:option_n', { n: j + 1 })} value={o.label} errors={errors} missing={missing} t={t} />
                      <button type="submit" name="action" value={`remove_option:${i}:${j}`} class="link">
                        {t('builder:remove_option', { n: j + 1 })}
                      </button>
                    </div>
                  ))}
                  <button type="submit" name="action" value={`add_option:${i}`} class="secondary">
                    {t('builder:add_option')}
                  </button>
                </fieldset>
              ) : null}
              {q.type === 'rating' ? (
                <div class="range">
                  <Setting name={`${name}.min`} label={t('builder:min')} help={t('builder:range_help')} errors={errors} missing={missing}>
                    <input type="number" inputMode="numeric" {...input(`${name}.min`)} value={q.min} />
                  </Setting>
                  <Setting name={`${name}.max`} label={t('builder:max')} help={t('builder:range_help')} errors={errors} missing={missing}>
                    <input type="number" inputMode="numeric" {...input(`${name}.max`)} value={q.max} />
                  </Setting>
                </div>
              ) : null}
              {q.type === 'text' ? (
                <Setting name={`${name}.maxLength`} label={t('builder:max_length')} help={t('builder:max_length_help')} errors={errors} missing={missing}>
                  <input type="number" inputMode="numeric" min={1} {...input(`${name}.maxLength`)} value={q.maxLength} />
                </Setting>
              ) : null}
              <div class="choice">
                <input type="checkbox" id={idOf(`${name}.required`)} name={`${name}.required`} value="yes" checked={q.required} />
                <label for={idOf(`${name}.required`)}>{t('builder:required')}</label>
              </div>
              {q.type === 'single_choice' ? (
                <div class="choice">
                  <input type="checkbox" id={idOf(`${name}.grouping`)} name={`${name}.grouping`} value="yes" checked={q.grouping} aria-describedby={`${idOf(`${name}.grouping`)}-hint`} />
                  <label for={idOf(`${name}.grouping`)}>{t('builder:grouping')}</label>
                  <p class="hint" id={`${idOf(`${name}.grouping`)}-hint`}>
                    {t('builder:grouping_help')}
                  </p>
                  <FieldNote name={`${name}.grouping`} errors={errors} missing={missing} />
                </div>
              ) : null}
              <p class="actions">
                {i > 0 ? (
                  <button type="submit" name="action" value={`up:${i}`} class="secondary">
                    {t('builder:move_up', { n: i + 1 })}
                  </button>
                ) : null}
                {i < state.questions.length - 1 ? (
                  <button type="submit" name="action" value={`down:${i}`} class="secondary">
                    {t('builder:move_down', { n: i + 1 })}
                  </button>
                ) : null}
                <button type="submit" name="action" value={`remove:${i}`} class="secondary">
                  {t('builder:remove', { n: i + 1 })}
                </button>
              </p>
            </section>
          );
        })}
        <fieldset class="add-question">
          <legend>{t('builder:add_question')}</legend>
          <p class="actions">
            {QUESTION_TYPES.map((type) => (
              <button type="submit" name="action" value={`add:${type}`} class="secondary" key={type}>
                {t(`builder:add.${type}`)}
              </button>
            ))}
          </p>
        </fieldset>
        <p class="actions">
          <button type="submit" name="action" value="save">
            {t('builder:save')}
          </button>
        </p>
      </form>
    </SignedInLayout>
  );
}
