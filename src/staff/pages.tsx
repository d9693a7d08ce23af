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
import { DraftDefinition, type LocalizedText, SurveyDefinition } from '../surveys/definition.js';
import type { SurveyRecord } from '../surveys/repository.js';
import { definitionFromTemplate, findTemplate, TEMPLATES } from '../surveys/templates.js';
import { StatusChange } from '../surveys/service.js';
import { SurveyFormPage } from '../responses/form.js';
import { form, parseWith, refusals } from '../validation.js';
import { inPlace } from '../web/errors.js';
import { refusalNotice, translateProblems } from '../web/plugin.js';
import { CardsPage, ConfirmPage, CreatePage, DeletePage, type Frame, InvitesPage, StaffHome, type StartChoices, SurveyPage } from './views.js';
import { applyAction, averageJointGroup, BuilderForm, type BuilderState, nested, stateFromDefinition, stateFromForm } from './builder.js';
import { BuilderPage, byField } from './builder-view.js';

/** The largest definition accepted from the create form, as a file or pasted. */
const MAX_DEFINITION_BYTES = 1024 * 1024;

/** The create form: a definition file, or the definition pasted (the file wins when both are sent). */
const CreateForm = z.object({
  file: z.instanceof(Buffer).optional(),
  definition: form.one(z.string().max(MAX_DEFINITION_BYTES)).optional(),
});
const StatusForm = z.object({ status: form.one(StatusChange) });
const text = form.one(z.string().max(4000)).optional().transform((v) => v ?? '');
const StartForm = z.object({
  start: form.one(z.string().max(200)),
  slug: form.one(z.string().trim().pipe(SurveyDefinition.shape.slug)),
  title_en: text,
  title_es: text,
  title_fr: text,
}).transform(({ start, slug, title_en: en, title_es: es, title_fr: fr }) => ({ start, slug, title: { en, es, fr } }));
// datetime-local: minutes, read as UTC.
const ClosingForm = z.object({ closesAt: form.one(z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)).transform((v) => `${v}:00Z`) });
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
  const Query = z.object({ lang: z.string().optional(), done: z.string().max(20).optional(), expected: z.string().max(10).optional() }).passthrough();

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
        hasFinal={app.results.hasFinal(survey.id)}
        notice={extra.notice}
        error={extra.error}
      />,
    );
  };

  r.get('/staff', { onRequest: page, schema: { hide: true, querystring: Query } }, async (request, reply) =>
    reply.html(<StaffHome frame={frame(request, reply)} surveys={app.surveys.list()} notice={request.query.done === 'deleted' ? request.t('builder:deleted') : undefined} />),
  );

  /** What a new survey can start from: the templates, and every survey (a copy of any round). */
  const choices = (): StartChoices => ({
    templates: TEMPLATES.map((tpl) => ({ id: tpl.id, title: tpl.title, questions: tpl.questions.length })),
    surveys: app.surveys.list().map((sv) => ({ slug: sv.slug, title: sv.title })),
  });

  r.get('/staff/surveys/new', { onRequest: page, schema: { hide: true, querystring: Query } }, async (request, reply) =>
    reply.html(<CreatePage frame={frame(request, reply)} choices={choices()} />),
  );

  // Blank, from a template, or a copy: a draft made at once, then built on its edit page.
  const sentStart = new WeakMap<FastifyRequest, Record<string, unknown>>();
  r.post(
    '/staff/surveys/start',
    {
      onRequest: page,
      preValidation: [
        app.csrfProtection,
        async (request) => {
          sentStart.set(request, { ...(Object(request.body) as Record<string, unknown>) });
        },
      ],
      schema: { hide: true, querystring: Query, body: StartForm },
      errorHandler: inPlace((request, reply, refusal) => {
        const { error, problems } = refusalNotice(refusal, request.t);
        const sent = sentStart.get(request) ?? {};
        const field = (name: string) => (typeof sent[name] === 'string' ? (sent[name] as string) : '');
        const start = { start: field('start'), slug: field('slug'), title: { en: field('title_en'), es: field('title_es'), fr: field('title_fr') } };
        // A taken address is said beside the field it concerns.
        const located = refusal.code === 'slug_taken' ? [{ path: '$.slug', message: error }] : problems;
        return reply.html(<CreatePage frame={frame(request, reply, '/staff/surveys/new')} choices={choices()} start={start} startError={{ error, problems: located }} />);
      }),
    },
    async (request, reply) => {
      const { start, slug, title } = request.body;
      const given = Object.fromEntries(Object.entries(title).filter(([, v]) => v.trim() !== '')) as Partial<LocalizedText>;
      let survey;
      if (start === 'blank') {
        survey = app.surveys.createDraft(parseWith(DraftDefinition, { slug, title: { en: '', es: '', fr: '', ...given }, access: 'invite', questions: [] })).survey;
      } else if (start.startsWith('template:')) {
        const template = findTemplate(start.slice('template:'.length));
        if (!template) throw new CandorError('invalid_request', [{ path: '$.start', code: 'unknown_template', params: { templates: TEMPLATES.map((tpl) => tpl.id).join(', ') } }]);
        survey = app.surveys.createDraft(definitionFromTemplate(template, slug, { ...template.title, ...given })).survey;
      } else {
        survey = app.surveys.duplicate(start.slice('copy:'.length), slug, given);
      }
      return reply.code(303).header('location', `/staff/surveys/${survey.slug}/edit?lang=${request.locale}&done=created`).send();
    },
  );

  /** The builder page, for a stored draft or for what was just sent. */
  const builderPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    survey: SurveyRecord,
    state: BuilderState,
    extra: { refusal?: CandorError; notice?: string; expected?: string } = {},
  ) => {
    const t = request.t;
    const missing = byField(translateProblems(app.surveys.missing(survey), t));
    const expected = extra.expected ?? String(app.invites.counts(survey.id).issued || 30);
    const joint = averageJointGroup(survey.definition, Number(expected) || 30);
    const k = survey.definition.minGroupSize;
    const warning =
      joint && joint.average < k
        ? t('builder:small_groups', { groups: joint.groups, expected: Number(expected) || 30, average: new Intl.NumberFormat(request.locale, { maximumFractionDigits: 1 }).format(joint.average), k })
        : undefined;
    const refusal = extra.refusal ? { error: refusalNotice(extra.refusal, t).error, problems: byField(translateProblems(extra.refusal.problems, t)) } : undefined;
    return reply.html(
      <BuilderPage frame={frame(request, reply, `/staff/surveys/${survey.slug}/edit`)} slug={survey.slug} state={state} missing={missing} refusal={refusal} notice={extra.notice} warning={warning} expected={expected} />,
    );
  };

  r.get('/staff/surveys/:slug/edit', { onRequest: page, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const survey = app.surveys.get(request.params.slug);
    // Only a draft is built: an opened survey's page says what it is.
    if (survey.status !== 'draft') return reply.code(303).header('location', `/staff/surveys/${survey.slug}?lang=${request.locale}`).send();
    const done = request.query.done;
    const notice = done === 'created' ? request.t('staff:done.created') : done === 'saved' ? request.t('builder:saved') : undefined;
    const expected = request.query.expected;
    return builderPage(request, reply, survey, stateFromDefinition(survey.definition), { ...(notice ? { notice } : {}), ...(expected ? { expected } : {}) });
  });

  /** What the builder's form sent, kept to show it again beside a refusal. */
  const sentForm = new WeakMap<FastifyRequest, Record<string, unknown>>();
  r.post(
    '/staff/surveys/:slug/edit',
    {
      onRequest: page,
      preValidation: [
        app.csrfProtection,
        async (request) => {
          sentForm.set(request, nested(request.body));
        },
      ],
      schema: { hide: true, params: SlugParams, querystring: Query, body: BuilderForm },
      // A refused save shows the page again with everything as it was typed.
      errorHandler: inPlace((request, reply, refusal) => {
        const survey = app.surveys.get((request.params as { slug: string }).slug);
        const sent = sentForm.get(request) ?? {};
        return builderPage(request, reply, survey, stateFromForm(sent), { refusal, expected: typeof sent.expected === 'string' ? sent.expected : '' });
      }),
    },
    async (request, reply) => {
      const { action, draft, expected } = request.body;
      const survey = app.surveys.get(request.params.slug);
      const applied = applyAction(parseWith(DraftDefinition, { ...draft, slug: survey.slug, ...(survey.definition.series ? { series: survey.definition.series } : {}) }), action);
      app.surveys.saveDraft(survey.slug, applied.draft);
      const query = `lang=${request.locale}&done=saved${expected !== undefined ? `&expected=${expected}` : ''}`;
      return reply.code(303).header('location', `/staff/surveys/${survey.slug}/edit?${query}${applied.anchor ? `#${applied.anchor}` : ''}`).send();
    },
  );

  r.get('/staff/surveys/:slug/delete', { onRequest: page, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) =>
    reply.html(<DeletePage frame={frame(request, reply)} survey={app.surveys.get(request.params.slug)} />),
  );

  r.post(
    '/staff/surveys/:slug/delete',
    {
      ...post,
      schema: { hide: true, params: SlugParams, querystring: Query },
      errorHandler: inPlace((request, reply, refusal) => surveyPage(request, reply, (request.params as { slug: string }).slug, { error: refusalNotice(refusal, request.t).error })),
    },
    async (request, reply) => {
      app.surveys.deleteDraft(request.params.slug);
      return reply.code(303).header('location', `/staff?lang=${request.locale}&done=deleted`).send();
    },
  );

  r.post(
    '/staff/surveys/:slug/closing',
    {
      ...post,
      schema: { hide: true, params: SlugParams, querystring: Query, body: ClosingForm },
      errorHandler: inPlace((request, reply, refusal) => {
        const { error, problems } = refusalNotice(refusal, request.t);
        return surveyPage(request, reply, (request.params as { slug: string }).slug, { error: [error, ...problems.map((p) => p.message)].join(' ') });
      }),
    },
    async (request, reply) => {
      app.surveys.moveClosing(request.params.slug, request.body.closesAt);
      return reply.code(303).header('location', `/staff/surveys/${request.params.slug}?lang=${request.locale}&done=closing_moved`).send();
    },
  );

  r.post(
    '/staff/surveys',
    {
      ...post,
      schema: { hide: true, querystring: Query, body: CreateForm },
      errorHandler: inPlace((request, reply, refusal) =>
        reply.html(<CreatePage frame={frame(request, reply, '/staff/surveys/new')} choices={choices()} definition={definitionText(request.body)} {...refusalNotice(refusal, request.t)} />),
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
    const notice = done && ['created', 'opened', 'closed', 'released', 'not_released', 'duplicated', 'closing_moved'].includes(done) ? request.t(`staff:done.${done}`) : undefined;
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
      return reply.html(<SurveyFormPage ctx={request.pageContext()} survey={survey.definition} issued={app.results.codesIssued(survey)} since={app.commitments.sinceLastRound(survey)} preview />);
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
