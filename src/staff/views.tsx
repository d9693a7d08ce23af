/** The staff console's pages as components (Frame, the survey list, create form, survey page, invitation codes), rendered by ./pages.tsx. */
import { SignedInLayout } from '../access/views.js';
import type { Principal } from '../access/tokens.js';
import { LOCALES } from '../i18n/index.js';
import { MAX_CODES_PER_REQUEST } from '../invites/service.js';
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
          <table>
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
                    <a href={href(ctx, `/staff/surveys/${s.slug}`)}>{s.title[locale]}</a>
                    <br />
                    <code>{s.slug}</code>
                  </th>
                  <td>{t(`staff:status.${s.status}`)}</td>
                  <td class="num">{s.purged ? t('staff:purged') : fmt.format(s.responses)}</td>
                  <td class="num">{s.access === 'invite' ? t('staff:codes_of', { spent: fmt.format(s.codesSpent ?? 0), issued: fmt.format(s.codesIssued ?? 0) }) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SignedInLayout>
  );
}

export function CreatePage({ frame, definition, error, problems }: { frame: Frame; definition?: string; error?: string; problems?: { path: string; message: string }[] }) {
  const { ctx, csrfToken } = frame;
  const { t } = ctx;
  return (
    <SignedInLayout {...frame} title={error ? `${t('form:error_prefix')} ${t('staff:create_title')}` : t('staff:create_title')}>
      <h1>{t('staff:create_title')}</h1>
      <Notice error={error} problems={problems} />
      <p class="lede">{t('staff:create_intro')}</p>
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
  notice,
  error,
}: {
  frame: Frame;
  survey: SurveyRecord & { purged: boolean };
  responses: number;
  codes?: { issued: number; spent: number } | undefined;
  hasRelease: boolean;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { ctx, csrfToken } = frame;
  const { t, locale } = ctx;
  const def = survey.definition;
  const fmt = new Intl.NumberFormat(locale);
  const slug = survey.slug;
  return (
    <SignedInLayout {...frame} title={def.title[locale]}>
      <p>
        <a href={href(ctx, '/staff')}>{t('staff:back')}</a>
      </p>
      <h1>{def.title[locale]}</h1>
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
        <form method="post" action={href(ctx, `/staff/surveys/${slug}/status`)}>
          <Csrf token={csrfToken} />
          <input type="hidden" name="status" value="open" />
          <p>{t('staff:open_note')}</p>
          <button type="submit">{t('staff:open')}</button>
        </form>
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
          <form method="post" action={href(ctx, `/staff/surveys/${slug}/status`)}>
            <Csrf token={csrfToken} />
            <input type="hidden" name="status" value="closed" />
            <p>{t('staff:close_note')}</p>
            <button type="submit">{t('staff:close')}</button>
          </form>
        </>
      ) : null}
      {survey.status !== 'draft' ? (
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
        </ul>
      ) : (
        <p>{t('staff:no_release')}</p>
      )}
    </SignedInLayout>
  );
}

export function InvitesPage({ frame, survey, counts, codes, error }: { frame: Frame; survey: SurveyRecord; counts: { issued: number; spent: number }; codes?: string[]; error?: string | undefined }) {
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
                  <tr key={c}>
                    <td>
                      <code>{c}</code>
                    </td>
                    <td>
                      <code>{`/s/${survey.slug}?code=${c}`}</code>
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
            <button type="submit" name="format" value="csv" class="secondary">
              {t('staff:generate_csv')}
            </button>
          </p>
        </form>
      )}
    </SignedInLayout>
  );
}
