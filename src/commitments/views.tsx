/**
 * The commitments' pages (§13): staff answer the published review theme by theme and change what
 * they wrote; the Working Group adds its note beside each. Every commitment shows its history —
 * the day, staff or the Working Group, and what changed — never who.
 */
import { SignedInLayout } from '../access/views.js';
import type { Principal } from '../access/tokens.js';
import { LOCALES } from '../i18n/index.js';
import type { PublishedReview } from '../review/service.js';
import type { ResolvedDefinition } from '../surveys/definition.js';
import { href, Notice, type PageContext } from '../web/layout.js';
import { CommitmentView, inThemeOrder, themeName } from './components.js';
import { COMMITMENT_STATUSES, type Commitment } from './repository.js';
import type { Answered } from './service.js';

export interface Frame {
  ctx: PageContext;
  principal: Principal;
  csrfToken: string;
}

/** What a form shows: the values as typed (or stored), and each field's messages. */
export interface FormState {
  values: Record<string, string>;
  errors: Map<string, string[]>;
}

export const emptyForm = (): FormState => ({ values: { status: 'planned' }, errors: new Map() });

/** A commitment's stored texts as the form's fields. */
export function formOf(c: Commitment): FormState {
  const values: Record<string, string> = { themeId: c.themeId === null ? '' : String(c.themeId), status: c.status, due: c.due ?? '' };
  for (const l of LOCALES) {
    values[`heard_${l}`] = c.heard[l];
    values[`action_${l}`] = c.action[l];
    values[`reason_${l}`] = c.reason?.[l] ?? '';
    values[`wgNote_${l}`] = c.wgNote?.[l] ?? '';
  }
  return { values, errors: new Map() };
}

/** Problems of the API's body ("$.heard.es") as the form's fields ("heard_es"). */
export function fieldErrors(problems: { path?: string; message: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const field = (p.path ?? '').replace(/^\$\.?/, '').replace(/\./g, '_');
    out.set(field, [...(out.get(field) ?? []), p.message]);
  }
  return out;
}

/** The name of a form field as the reader sees it: "What we heard", with its languages when given. */
function fieldLabel(ctx: PageContext, name: string, langs: string[]): string {
  const { t, locale } = ctx;
  const names: Record<string, string> = {
    heard: t('commitments:heard'),
    action: t('commitments:action'),
    reason: t('commitments:field_reason'),
    wgNote: t('commitments:wg_note_legend'),
    status: t('commitments:field_status'),
    due: t('commitments:field_due'),
    themeId: t('commitments:field_theme'),
  };
  const base = names[name] ?? name;
  if (langs.length === 0) return base;
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(langs.map((l) => t(`common:language_name.${l}`)));
  return `${base} (${list})`;
}

/**
 * The refusal above the form: one line per field and message — a text missing in two languages is
 * one line naming both — linked to the field (the keyboard lands on the summary first).
 */
function ErrorSummary({ ctx, error, form, prefix }: { ctx: PageContext; error: string; form: FormState; prefix: string }) {
  const { t } = ctx;
  const lines = new Map<string, { name: string; langs: string[]; message: string; target: string }>();
  for (const [field, messages] of form.errors) {
    const [name, lang] = field.split('_') as [string, string | undefined];
    const inLanguage = lang !== undefined && (LOCALES as readonly string[]).includes(lang);
    const message = messages.join(' ');
    const key = `${name}|${message}`;
    const line = lines.get(key) ?? { name, langs: [], message, target: `${prefix}-${inLanguage ? field : ['heard', 'action', 'reason', 'wgNote'].includes(name) ? `${name}_en` : name}` };
    if (inLanguage) line.langs.push(lang);
    lines.set(key, line);
  }
  return (
    <div class="error-summary" role="alert" aria-labelledby="problem-title" tabIndex={-1} autofocus>
      <h2 id="problem-title">{error}</h2>
      <ul>
        {[...lines.values()].map((line) => (
          <li key={line.target + line.message}>
            {line.name === '' ? line.message : <a href={`#${line.target}`}>{t('commitments:summary_item', { field: fieldLabel(ctx, line.name, line.langs), message: line.message })}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Errors({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p class="field-error" id={id}>
      {messages.join(' ')}
    </p>
  );
}

/** A text in the three languages, side by side, each with its own message. */
function Texts({ ctx, name, legend, hint, form, prefix, rows = 3 }: { ctx: PageContext; name: string; legend: string; hint?: string; form: FormState; prefix: string; rows?: number }) {
  const { t } = ctx;
  const hintId = `${prefix}-${name}-hint`;
  const whole = form.errors.get(name);
  return (
    <fieldset class="q">
      <legend>{legend}</legend>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <Errors id={`${prefix}-${name}-error`} messages={whole} />
      <div class="langs-side">
        {LOCALES.map((l) => {
          const field = `${name}_${l}`;
          const id = `${prefix}-${field}`;
          const messages = form.errors.get(field);
          const describedBy = [hint ? hintId : '', whole ? `${prefix}-${name}-error` : '', messages ? `${id}-error` : ''].filter(Boolean).join(' ');
          return (
            <div key={l}>
              <label for={id}>{t(`common:language_name.${l}`)}</label>
              <Errors id={`${id}-error`} messages={messages} />
              <textarea id={id} name={field} lang={l} rows={rows} aria-invalid={messages || whole ? 'true' : undefined} aria-describedby={describedBy || undefined}>
                {form.values[field] ?? ''}
              </textarea>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The fields staff write: the texts, where it stands, why not, and by when. */
function StaffFields({ ctx, form, prefix }: { ctx: PageContext; form: FormState; prefix: string }) {
  const { t } = ctx;
  const statusErrors = form.errors.get('status');
  const dueErrors = form.errors.get('due');
  return (
    <>
      <Texts ctx={ctx} name="heard" legend={t('commitments:heard')} hint={t('commitments:field_heard_hint')} form={form} prefix={prefix} />
      <Texts ctx={ctx} name="action" legend={t('commitments:action')} hint={t('commitments:field_action_hint')} form={form} prefix={prefix} />
      <div class="field">
        <label for={`${prefix}-status`}>{t('commitments:field_status')}</label>
        <Errors id={`${prefix}-status-error`} messages={statusErrors} />
        <select id={`${prefix}-status`} name="status" aria-invalid={statusErrors ? 'true' : undefined}>
          {COMMITMENT_STATUSES.map((s) => (
            <option key={s} value={s} selected={form.values.status === s}>
              {t(`commitments:status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <Texts ctx={ctx} name="reason" legend={t('commitments:field_reason')} hint={t('commitments:field_reason_hint')} form={form} prefix={prefix} rows={2} />
      <div class="field">
        <label for={`${prefix}-due`}>{t('commitments:field_due')}</label>
        <p class="hint" id={`${prefix}-due-hint`}>
          {t('commitments:field_due_hint')}
        </p>
        <Errors id={`${prefix}-due-error`} messages={dueErrors} />
        <input
          type="month"
          id={`${prefix}-due`}
          name="due"
          value={form.values.due ?? ''}
          pattern="[0-9]{4}-[0-9]{2}"
          aria-invalid={dueErrors ? 'true' : undefined}
          aria-describedby={[`${prefix}-due-hint`, dueErrors ? `${prefix}-due-error` : ''].filter(Boolean).join(' ')}
        />
      </div>
    </>
  );
}

/** The history of a commitment, oldest first: the day, the role, the fields — never who. */
export function History({ ctx, commitment }: { ctx: PageContext; commitment: Commitment }) {
  const { t, locale } = ctx;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  return (
    <details class="history">
      <summary>
        {t('commitments:history_title')} ({commitment.history.length})
      </summary>
      <ol>
        {commitment.history.map((h, i) => {
          const when = date.format(new Date(`${h.date}T00:00:00Z`));
          const by = t(`commitments:by.${h.by}`);
          return (
            <li key={i}>
              {h.changes.includes('created')
                ? t('commitments:history_created', { date: when, by })
                : t('commitments:history_changed', { date: when, by, fields: list.format(h.changes.map((c) => t(`commitments:field.${c}`))) })}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

function NotPublished({ frame, title }: { frame: Frame; title: string }) {
  const { t } = frame.ctx;
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      <p>{t('commitments:not_published')}</p>
    </SignedInLayout>
  );
}

function Hidden({ frame }: { frame: Frame }) {
  return <input type="hidden" name="_csrf" value={frame.csrfToken} />;
}

export function StaffCommitmentsPage({
  frame,
  def,
  answered,
  form,
  notice,
  error,
}: {
  frame: Frame;
  def: ResolvedDefinition;
  answered: Answered | undefined;
  /** The add form, as typed when refused. */
  form: FormState;
  notice?: string | undefined;
  /** The refusal of the add form, shown above it. */
  error?: string | undefined;
}) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const title = t('commitments:page_title', { title: def.title[locale] });
  if (!answered) return <NotPublished frame={frame} title={title} />;
  const { review, commitments } = answered;
  const themes = [...review.themes].sort((a, b) => b.count - a.count || a.id - b.id);
  const answeredThemes = new Set(commitments.map((c) => c.themeId));
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      {error ? <ErrorSummary ctx={ctx} error={error} form={form} prefix="new" /> : <Notice message={notice} />}
      <p class="lede">{t('commitments:page_intro')}</p>
      <p>
        <a href={href(ctx, `/s/${def.slug}/results`)}>{t('commitments:on_results')}</a>
      </p>
      {themes.length > 0 ? (
        <section aria-labelledby="themes-title">
          <h2 id="themes-title">{t('commitments:themes_title')}</h2>
          <ul>
            {themes.map((theme) => (
              <li key={theme.id}>{answeredThemes.has(theme.id) ? t('commitments:theme_answered', { theme: theme.label[locale] }) : t('commitments:theme_open', { theme: theme.label[locale] })}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="list-title">
        <h2 id="list-title">{t('commitments:list_title')}</h2>
        {commitments.length === 0 ? <p>{t('commitments:none')}</p> : null}
        {inThemeOrder(review, commitments).map((c) => (
          <div class="commitment-admin" key={c.id}>
            <CommitmentView commitment={c} review={review} locale={locale} t={t} id={`commitment-${c.id}`} />
            <History ctx={ctx} commitment={c} />
            <p>
              <a href={href(ctx, `/staff/commitments/${c.id}`)}>{t('commitments:edit')}</a>
            </p>
          </div>
        ))}
      </section>
      <section aria-labelledby="add-title">
        <h2 id="add-title">{t('commitments:add_title')}</h2>
        <form method="post" action={href(ctx, `/staff/surveys/${def.slug}/commitments`)} novalidate>
          <Hidden frame={frame} />
          <div class="field">
            <label for="new-themeId">{t('commitments:field_theme')}</label>
            <Errors id="new-themeId-error" messages={form.errors.get('themeId')} />
            <select id="new-themeId" name="themeId">
              {themes.map((theme) => (
                <option key={theme.id} value={String(theme.id)} selected={form.values.themeId === String(theme.id)}>
                  {theme.label[locale]}
                </option>
              ))}
              <option value="" selected={form.values.themeId === ''}>
                {t('commitments:whole_review')}
              </option>
            </select>
          </div>
          <StaffFields ctx={ctx} form={form} prefix="new" />
          <button type="submit">{t('commitments:add')}</button>
        </form>
      </section>
    </SignedInLayout>
  );
}

export function EditCommitmentPage({
  frame,
  def,
  review,
  commitment,
  form,
  error,
}: {
  frame: Frame;
  def: ResolvedDefinition;
  review: PublishedReview;
  commitment: Commitment;
  form: FormState;
  error?: string | undefined;
}) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const title = t('commitments:edit_title', { title: def.title[locale] });
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      {error ? <ErrorSummary ctx={ctx} error={error} form={form} prefix="edit" /> : null}
      <dl class="settings">
        <dt>{t('commitments:field_theme')}</dt>
        <dd>{themeName(review, commitment.themeId, locale, t)}</dd>
      </dl>
      <form method="post" action={href(ctx, `/staff/commitments/${commitment.id}`)} novalidate>
        <Hidden frame={frame} />
        <StaffFields ctx={ctx} form={form} prefix="edit" />
        <button type="submit">{t('commitments:save')}</button>
      </form>
      {commitment.wgNote ? (
        <section aria-labelledby="wg-note-title">
          <h2 id="wg-note-title">{t('commitments:wg_note')}</h2>
          <p lang={locale}>{commitment.wgNote[locale]}</p>
        </section>
      ) : null}
      <History ctx={ctx} commitment={commitment} />
      <p>
        <a href={href(ctx, `/staff/surveys/${def.slug}/commitments`)}>{t('commitments:back')}</a>
      </p>
    </SignedInLayout>
  );
}

export function WgCommitmentsPage({
  frame,
  def,
  answered,
  notice,
  refused,
}: {
  frame: Frame;
  def: ResolvedDefinition;
  answered: Answered | undefined;
  notice?: string | undefined;
  /** A note refused: which commitment, what was typed, and why. */
  refused?: { id: number; form: FormState; error: string } | undefined;
}) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const title = t('commitments:wg_title', { title: def.title[locale] });
  if (!answered) return <NotPublished frame={frame} title={title} />;
  const { review, commitments } = answered;
  return (
    <SignedInLayout {...frame} title={title}>
      <h1>{title}</h1>
      {refused ? <ErrorSummary ctx={ctx} error={refused.error} form={refused.form} prefix={`note-${refused.id}`} /> : <Notice message={notice} />}
      <p class="lede">{t('commitments:wg_intro')}</p>
      {commitments.length === 0 ? <p>{t('commitments:wg_none')}</p> : null}
      {inThemeOrder(review, commitments).map((c) => {
        const form = refused?.id === c.id ? refused.form : formOf(c);
        return (
          <div class="commitment-admin" key={c.id}>
            <CommitmentView commitment={c} review={review} locale={locale} t={t} level={2} id={`commitment-${c.id}`} />
            <form method="post" action={href(ctx, `/wg/${def.slug}/commitments/${c.id}/note`)} novalidate>
              <Hidden frame={frame} />
              <Texts ctx={ctx} name="wgNote" legend={t('commitments:wg_note_legend')} hint={t('commitments:wg_note_hint')} form={form} prefix={`note-${c.id}`} rows={2} />
              <button type="submit">{t('commitments:save_note')}</button>
            </form>
            <History ctx={ctx} commitment={c} />
          </div>
        );
      })}
    </SignedInLayout>
  );
}

