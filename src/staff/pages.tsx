/**
 * The staff console (issue: "Staff run a survey round from the browser"): the list of surveys with
 * live response counts, creating a survey from a definition, opening, closing, releasing, the
 * latest results and invitation codes. Everything staff see here is what the API lets them see.
 */
import multipart from '@fastify/multipart';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignedInLayout } from '../access/session.js';
import type { Principal } from '../access/tokens.js';
import { CandorError } from '../errors.js';
import { LOCALES } from '../i18n/index.js';
import { generateFor, MAX_CODES_PER_REQUEST } from '../invites/service.js';
import type { SurveyListing, SurveyRecord } from '../surveys/repository.js';
import { href, Notice, type PageContext } from '../web/layout.js';
import { toCandorError, translateProblems } from '../web/plugin.js';
import { shownInPlace, statusOf } from '../web/errors.js';

interface Frame {
  ctx: PageContext;
  principal: Principal;
  csrfToken: string;
}

function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function StaffHome({ frame, surveys, notice }: { frame: Frame; surveys: SurveyListing[]; notice?: string | undefined }) {
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

function CreatePage({ frame, definition, error, problems }: { frame: Frame; definition?: string; error?: string; problems?: { path: string; message: string }[] }) {
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

function Setting({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

function SurveyPage({
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

function InvitesPage({ frame, survey, counts, codes, error }: { frame: Frame; survey: SurveyRecord; counts: { issued: number; spent: number }; codes?: string[]; error?: string | undefined }) {
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

type FormBody = Record<string, unknown>;
const field = (body: FormBody, name: string): string | undefined => {
  const v = body[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
};

export default async function staffPages(app: FastifyInstance, opts: { publicUrl: string }) {
  // Only the create form is multipart (a definition file); limits keep an upload small.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 1024 * 1024, files: 1, fields: 10 } });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = app.requirePageRole('staff');
  // Who is asking is checked on request (before any body is read); the CSRF token with the body.
  const post = { onRequest: page, preHandler: app.csrfProtection };
  const SlugParams = z.object({ slug: z.string().max(100) });
  const Query = z.object({ lang: z.string().optional(), done: z.string().max(20).optional() }).passthrough();

  // `page`: the address of the page shown, when it answers a form posted elsewhere — its language
  // links must lead to that page (a GET), not to the form's address, which only takes POSTs.
  const frame = (request: FastifyRequest, reply: FastifyReply, page?: string): Frame => ({
    ctx: page ? { ...request.pageContext(), path: page } : request.pageContext(),
    principal: request.principal!,
    csrfToken: reply.generateCsrf(),
  });
  const listing = (slug: string) => app.surveys.list().find((s) => s.slug === slug);

  const surveyPage = (request: FastifyRequest, reply: FastifyReply, slug: string, extra: { notice?: string; error?: string; status?: number } = {}) => {
    const survey = app.surveys.get(slug);
    const info = listing(slug);
    return reply.code(extra.status ?? 200).html(
      <SurveyPage
        frame={frame(request, reply, `/staff/surveys/${slug}`)}
        survey={{ ...survey, purged: info?.purged ?? false }}
        responses={info?.responses ?? 0}
        codes={survey.definition.access === 'invite' ? app.invites.counts(survey.id) : undefined}
        hasRelease={app.results.hasRelease(survey.id)}
        notice={extra.notice}
        error={extra.error}
      />,
    );
  };

  r.get('/staff', { onRequest: page, schema: { hide: true, querystring: Query } }, async (request, reply) =>
    reply.html(<StaffHome frame={frame(request, reply)} surveys={app.surveys.list()} />),
  );

  r.get('/staff/surveys/new', { onRequest: page, schema: { hide: true, querystring: Query } }, async (request, reply) =>
    reply.html(<CreatePage frame={frame(request, reply)} />),
  );

  r.post('/staff/surveys', { ...post, schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const file = body.file;
    const fileText = Buffer.isBuffer(file) && file.length > 0 ? file.toString('utf8') : undefined;
    // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses: drop it.
    const text = (fileText ?? field(body, 'definition') ?? '').replace(/^\uFEFF/, '');
    const t = request.t;
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return reply.code(400).html(<CreatePage frame={frame(request, reply, '/staff/surveys/new')} definition={text} error={t('staff:not_json')} />);
    }
    try {
      const survey = app.surveys.create(input);
      return reply.code(303).header('location', `/staff/surveys/${survey.slug}?lang=${request.locale}&done=created`).send();
    } catch (err) {
      const error = toCandorError(err as Error);
      if (!shownInPlace(error)) throw error;
      const problems = translateProblems(error.problems, t);
      return reply
        .code(statusOf(error))
        .html(<CreatePage frame={frame(request, reply, '/staff/surveys/new')} definition={text} error={t(`errors:${error.code}`, { ...error.params })} problems={problems} />);
    }
  });

  r.get('/staff/surveys/:slug', { onRequest: page, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const done = request.query.done;
    const notice = done && ['created', 'opened', 'closed', 'released', 'not_released'].includes(done) ? request.t(`staff:done.${done}`) : undefined;
    return surveyPage(request, reply, request.params.slug, notice ? { notice } : {});
  });

  r.post('/staff/surveys/:slug/status', { ...post, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const status = field((request.body ?? {}) as FormBody, 'status');
    if (status !== 'open' && status !== 'closed') throw new CandorError('malformed_body');
    try {
      app.surveys.update(request.params.slug, { status });
    } catch (err) {
      const error = toCandorError(err as Error);
      if (!shownInPlace(error)) throw error;
      return surveyPage(request, reply, request.params.slug, { status: statusOf(error), error: request.t(`errors:${error.code}`, { ...error.params }) });
    }
    return reply.code(303).header('location', `/staff/surveys/${request.params.slug}?lang=${request.locale}&done=${status === 'open' ? 'opened' : 'closed'}`).send();
  });

  r.post('/staff/surveys/:slug/release', { ...post, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const survey = app.surveys.get(request.params.slug);
    const outcome = await app.releases.release(survey);
    if (outcome.released) return reply.code(303).header('location', `/staff/surveys/${survey.slug}?lang=${request.locale}&done=released`).send();
    return surveyPage(request, reply, survey.slug, { notice: request.t(`results:not_released.${outcome.reason}`, { k: survey.definition.minGroupSize }) });
  });

  r.get('/staff/surveys/:slug/invites', { onRequest: page, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const survey = app.surveys.get(request.params.slug);
    return reply.html(<InvitesPage frame={frame(request, reply)} survey={survey} counts={app.invites.counts(survey.id)} />);
  });

  r.post('/staff/surveys/:slug/invites', { ...post, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const survey = app.surveys.get(request.params.slug);
    const body = (request.body ?? {}) as FormBody;
    const count = Number(field(body, 'count'));
    const t = request.t;
    if (!Number.isInteger(count) || count < 1 || count > MAX_CODES_PER_REQUEST) {
      return reply
        .code(400)
        .html(<InvitesPage frame={frame(request, reply)} survey={survey} counts={app.invites.counts(survey.id)} error={t('staff:bad_count', { max: MAX_CODES_PER_REQUEST })} />);
    }
    let codes: string[];
    try {
      codes = generateFor(app.invites, survey, count);
    } catch (err) {
      const error = toCandorError(err as Error);
      if (!shownInPlace(error)) throw error;
      // Read afresh: the survey may have closed since it was read above.
      return reply
        .code(statusOf(error))
        .html(<InvitesPage frame={frame(request, reply)} survey={app.surveys.get(survey.slug)} counts={app.invites.counts(survey.id)} error={t(`errors:${error.code}`)} />);
    }
    if (field(body, 'format') === 'csv') {
      // PUBLIC_URL, never the request's Host header: a forged Host would put another site's address on every card.
      const rows = [[t('staff:code'), t('staff:link')], ...codes.map((c) => [c, `${opts.publicUrl}/s/${survey.slug}?code=${encodeURIComponent(c)}`])];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${survey.slug}-invitation-codes.csv"`)
        .header('cache-control', 'no-store')
        .send(`\ufeff${stringify(rows, { escape_formulas: true })}`);
    }
    // Signed in: sent as private, no-store (access/session.tsx), like every page of a session.
    return reply.html(<InvitesPage frame={frame(request, reply)} survey={survey} counts={app.invites.counts(survey.id)} codes={codes} />);
  });
}
