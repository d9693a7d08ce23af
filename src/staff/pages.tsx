/**
 * The staff console (issue: "Staff run a survey round from the browser"): the list of surveys with
 * live response counts, creating a survey from a definition, opening, closing, releasing, the
 * latest results and invitation codes. Everything staff see here is what the API lets them see.
 */
import multipart from '@fastify/multipart';
import { stringify } from 'csv-stringify/sync';
import QRCode from 'qrcode';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { CodeCount, generateFor, invitationLink, MAX_CODES_PER_REQUEST } from '../invites/service.js';
import { SurveyDefinition } from '../surveys/definition.js';
import { StatusChange } from '../surveys/service.js';
import { SurveyFormPage } from '../responses/form.js';
import { form, refusals } from '../validation.js';
import { inPlace } from '../web/errors.js';
import { refusalNotice } from '../web/plugin.js';
import { CardsPage, ConfirmPage, CreatePage, type Frame, InvitesPage, StaffHome, SurveyPage } from './views.js';

/** The largest definition accepted from the create form, as a file or pasted. */
const MAX_DEFINITION_BYTES = 1024 * 1024;

/** The create form: a definition file, or the definition pasted (the file wins when both are sent). */
const CreateForm = z.object({
  file: z.instanceof(Buffer).optional(),
  definition: form.one(z.string().max(MAX_DEFINITION_BYTES)).optional(),
});
const StatusForm = z.object({ status: form.one(StatusChange) });
const DuplicateForm = z.object({ slug: form.one(z.string().trim().pipe(SurveyDefinition.shape.slug)) });
const InvitesForm = z.object({ count: form.integer(CodeCount), format: form.one(z.enum(['page', 'csv', 'cards'])).optional() });
refusals.add(InvitesForm, { code: 'invite_count_invalid', params: { max: MAX_CODES_PER_REQUEST } });

/** The definition's text as sent, to show again beside its problems. Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses: it is dropped. */
function definitionText(body: unknown): string {
  const { file, definition } = (body ?? {}) as { file?: unknown; definition?: unknown };
  const fileText = Buffer.isBuffer(file) && file.length > 0 ? file.toString('utf8') : undefined;
  const pasted = typeof definition === 'string' ? definition : Array.isArray(definition) && typeof definition[0] === 'string' ? definition[0] : undefined;
  return (fileText ?? pasted ?? '').replace(/^\uFEFF/, '');
}

export default async function staffPages(app: FastifyInstance, opts: { publicUrl: string }) {
  // Only the create form is multipart (a definition file); limits keep an upload small.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 1024 * 1024, files: 1, fields: 10 } });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = app.requirePageRole('staff');
  // Who is asking is checked on request (before any body is read); the CSRF token with the body.
  // Both before the body is judged by the route's schema: a forged or stale form is refused as such.
  const post = { onRequest: page, preValidation: app.csrfProtection };
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

  const surveyPage = (request: FastifyRequest, reply: FastifyReply, slug: string, extra: { notice?: string; error?: string } = {}) => {
    const survey = app.surveys.get(slug);
    const info = listing(slug);
    return reply.html(
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

  r.post(
    '/staff/surveys',
    {
      ...post,
      schema: { hide: true, querystring: Query, body: CreateForm },
      errorHandler: inPlace((request, reply, refusal) =>
        reply.html(<CreatePage frame={frame(request, reply, '/staff/surveys/new')} definition={definitionText(request.body)} {...refusalNotice(refusal, request.t)} />),
      ),
    },
    async (request, reply) => {
      let input: unknown;
      try {
        input = JSON.parse(definitionText(request.body));
      } catch {
        throw new CandorError('definition_not_json');
      }
      const survey = app.surveys.create(input);
      return reply.code(303).header('location', `/staff/surveys/${survey.slug}?lang=${request.locale}&done=created`).send();
    },
  );

  r.get('/staff/surveys/:slug', { onRequest: page, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const done = request.query.done;
    const notice = done && ['created', 'opened', 'closed', 'released', 'not_released', 'duplicated'].includes(done) ? request.t(`staff:done.${done}`) : undefined;
    return surveyPage(request, reply, request.params.slug, notice ? { notice } : {});
  });

  r.post(
    '/staff/surveys/:slug/status',
    {
      ...post,
      schema: { hide: true, params: SlugParams, querystring: Query, body: StatusForm },
      errorHandler: inPlace((request, reply, refusal) =>
        surveyPage(request, reply, (request.params as { slug: string }).slug, { error: refusalNotice(refusal, request.t).error }),
      ),
    },
    async (request, reply) => {
      const { status } = request.body;
      app.surveys.update(request.params.slug, { status });
      return reply.code(303).header('location', `/staff/surveys/${request.params.slug}?lang=${request.locale}&done=${status === 'open' ? 'opened' : 'closed'}`).send();
    },
  );

  for (const [path, to] of [['open', 'open'], ['close', 'closed']] as const) {
    r.get(`/staff/surveys/:slug/${path}`, { onRequest: page, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) =>
      reply.html(<ConfirmPage frame={frame(request, reply)} survey={app.surveys.get(request.params.slug)} to={to} />),
    );
  }

  // The form exactly as partners will see it, in any status and language, posting nowhere (§12).
  // The Working Group may look too: partners see the questions before they are asked.
  r.get(
    '/staff/surveys/:slug/preview',
    { onRequest: app.requirePageRole('staff', 'wg'), schema: { hide: true, params: SlugParams, querystring: Query } },
    async (request, reply) => {
      const survey = app.surveys.get(request.params.slug);
      return reply.html(<SurveyFormPage ctx={request.pageContext()} survey={survey.definition} issued={app.results.codesIssued(survey)} preview />);
    },
  );

  r.post(
    '/staff/surveys/:slug/duplicate',
    {
      ...post,
      schema: { hide: true, params: SlugParams, querystring: Query, body: DuplicateForm },
      errorHandler: inPlace((request, reply, refusal) => {
        const { error, problems } = refusalNotice(refusal, request.t);
        // The message says it all here: "$.slug" means nothing to staff.
        return surveyPage(request, reply, (request.params as { slug: string }).slug, { error: [error, ...problems.map((p) => p.message)].join(' ') });
      }),
    },
    async (request, reply) => {
      const copy = app.surveys.duplicate(request.params.slug, request.body.slug);
      return reply.code(303).header('location', `/staff/surveys/${copy.slug}?lang=${request.locale}&done=duplicated`).send();
    },
  );

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

  r.post(
    '/staff/surveys/:slug/invites',
    {
      ...post,
      schema: { hide: true, params: SlugParams, querystring: Query, body: InvitesForm },
      // Read afresh: the survey may have closed since the form was shown.
      errorHandler: inPlace((request, reply, refusal) => {
        const survey = app.surveys.get((request.params as { slug: string }).slug);
        return reply.html(<InvitesPage frame={frame(request, reply)} survey={survey} counts={app.invites.counts(survey.id)} error={refusalNotice(refusal, request.t).error} />);
      }),
    },
    async (request, reply) => {
      const survey = app.surveys.get(request.params.slug);
      const codes = generateFor(app.invites, survey, request.body.count).map((code) => ({ code, link: invitationLink(opts.publicUrl, survey.slug, code) }));
      const t = request.t;
      if (request.body.format === 'csv') {
        const rows = [[t('staff:code'), t('staff:link')], ...codes.map((c) => [c.code, c.link])];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${survey.slug}-invitation-codes.csv"`)
          .header('cache-control', 'no-store')
          .send(`\ufeff${stringify(rows, { escape_formulas: true })}`);
      }
      if (request.body.format === 'cards') {
        const cards = await Promise.all(codes.map(async (c) => ({ ...c, qrSvg: await QRCode.toString(c.link, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 }) })));
        return reply.html(<CardsPage frame={frame(request, reply)} survey={survey} cards={cards} />);
      }
      // Signed in: sent as private, no-store (access/session.tsx), like every page of a session.
      return reply.html(<InvitesPage frame={frame(request, reply)} survey={survey} counts={app.invites.counts(survey.id)} codes={codes} />);
    },
  );
}
