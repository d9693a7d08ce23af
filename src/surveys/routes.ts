/** Survey management for staff (§3, §10): create, list with live counts, open, close, edit drafts. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { parseWith, refusals } from '../validation.js';
import { ErrorBody } from '../web/schemas.js';
import { LocalizedText, SurveyDefinition } from './definition.js';
import { definitionFromTemplate, findTemplate, TEMPLATES } from './templates.js';
import type { SurveyRecord } from './repository.js';
import { acceptsResponses, StatusChange } from './service.js';

const Status = z.enum(['draft', 'open', 'closed']);

const SurveyReply = z
  .object({
    ...SurveyDefinition.shape,
    status: Status,
    access: z.enum(['open', 'invite']),
    minGroupSize: z.number().int(),
    minDiversity: z.number().int(),
    minComments: z.number().int(),
    interimReleases: z.boolean(),
  })
  .meta({ id: 'Survey' });

const SurveyListItem = z
  .object({
    slug: z.string(),
    status: Status,
    access: z.enum(['open', 'invite']),
    title: z.object({ en: z.string(), es: z.string(), fr: z.string() }),
    closesAt: z.string().nullable(),
    responses: z.number().int().describe('Live count: the only live figure staff may see (§6).'),
    codesIssued: z.number().int().optional().describe('Invite-only surveys: how many codes were generated.'),
    codesSpent: z.number().int().optional().describe('Invite-only surveys: how many codes are spent, never which.'),
    purged: z.boolean().describe('Raw responses deleted by npm run purge; the releases are kept.'),
  })
  .meta({ id: 'SurveyListItem' });

const SurveyPatch = z
  .strictObject({
    status: StatusChange.optional(),
    definition: SurveyDefinition.optional().describe('A whole new definition (same slug); only while the survey is a draft.'),
  })
  .meta({ id: 'SurveyPatch' });
// A patch's problems are in its definition, but for a wrong status: both are what an editor fixes.
refusals.add(SurveyPatch, { code: 'invalid_definition' });

const SlugParams = z.object({ slug: z.string().max(100) });

/** A draft made from a template (§12): the template's questions and settings, with this slug and title. */
const FromTemplate = z
  .strictObject({
    template: z
      .string()
      .max(100)
      .refine((id) => findTemplate(id) !== undefined, { params: { key: 'unknown_template', templates: TEMPLATES.map((t) => t.id).join(', ') } }),
    slug: SurveyDefinition.shape.slug,
    title: LocalizedText,
  })
  .meta({ id: 'FromTemplate' });
refusals.add(FromTemplate, { code: 'invalid_definition' });

const TemplateListItem = z
  .object({ id: z.string(), title: LocalizedText, questions: z.number().int().describe('How many questions it has.') })
  .meta({ id: 'Template' });
const DuplicateBody = z
  .strictObject({
    slug: SurveyDefinition.shape.slug.describe("The new round's address"),
    title: LocalizedText.optional().describe("The new round's title (the source's when left out)"),
  })
  .meta({ id: 'DuplicateRequest' });

const toReply = (s: SurveyRecord) => ({ ...s.definition, status: s.status });

export default async function surveyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const staff = app.requireRole('staff');
  const auth = [{ bearer: [] }];

  r.get(
    '/api/templates',
    {
      onRequest: staff,
      schema: { summary: 'The survey templates', tags: ['surveys'], security: auth, response: { 200: z.array(TemplateListItem), 401: ErrorBody, 403: ErrorBody } },
    },
    async () => TEMPLATES.map((t) => ({ id: t.id, title: t.title, questions: t.questions.length })),
  );

  r.post(
    '/api/surveys',
    {
      onRequest: staff,
      // `{ template, slug, title }` stands for the definition the template makes; that
      // definition is then validated like any other.
      preValidation: async (request) => {
        const body = request.body;
        if (typeof body === 'object' && body !== null && 'template' in body) {
          const { template, slug, title } = parseWith(FromTemplate, body);
          request.body = definitionFromTemplate(findTemplate(template)!, slug, title);
        }
      },
      schema: {
        summary: 'Create a survey (draft), from a definition or from a template',
        description: 'The body is a whole definition, or `{ "template": ID, "slug": …, "title": {en, es, fr} }` (see GET /api/templates; an unknown template is 400 at $.template).',
        tags: ['surveys'],
        security: auth,
        body: SurveyDefinition,
        response: { 201: SurveyReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(toReply(app.surveys.create(request.body))),
  );

  r.post(
    '/api/surveys/:slug/duplicate',
    {
      onRequest: staff,
      schema: {
        summary: 'Prepare the next round: a draft copy of a survey',
        description: "Same definition and question ids, same series (the source's slug when it had none), no closing date; from a source in any status.",
        tags: ['surveys'],
        security: auth,
        params: SlugParams,
        body: DuplicateBody,
        response: { 201: SurveyReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(toReply(app.surveys.duplicate(request.params.slug, request.body.slug, request.body.title))),
  );

  r.get(
    '/api/surveys',
    {
      onRequest: staff,
      schema: { summary: 'List surveys', tags: ['surveys'], security: auth, response: { 200: z.array(SurveyListItem), 401: ErrorBody, 403: ErrorBody } },
    },
    async () => app.surveys.list(),
  );

  r.get(
    '/api/surveys/:slug',
    {
      schema: {
        summary: 'The definition of an open survey',
        description: 'Anyone may read an open survey; staff may read drafts and closed surveys too.',
        tags: ['answering'],
        params: SlugParams,
        response: { 200: SurveyReply, 404: ErrorBody },
      },
    },
    async (request) => {
      const principal = request.identify();
      const isStaff = principal?.role === 'staff' || principal?.role === 'admin';
      if (isStaff) return toReply(app.surveys.get(request.params.slug));
      // To anyone else a draft, a closed survey and no survey at all look the same (a draft's slug
      // is nobody's business); past its closesAt a survey takes no answers (§3).
      const survey = app.surveys.find(request.params.slug);
      if (!survey || !acceptsResponses(survey)) throw new CandorError('survey_not_open');
      return toReply(survey);
    },
  );

  r.patch(
    '/api/surveys/:slug',
    {
      onRequest: staff,
      // The survey is found, and its draft state checked, before its new definition is judged:
      // an unknown survey is a 404 and an opened one a 409 whatever the body holds.
      preValidation: async (request) => {
        const survey = app.surveys.get((request.params as { slug: string }).slug);
        const body = request.body as { definition?: unknown } | undefined;
        if (body?.definition !== undefined && survey.status !== 'draft') throw new CandorError('survey_frozen');
      },
      schema: {
        summary: 'Open or close a survey, or replace a draft definition',
        tags: ['surveys'],
        security: auth,
        params: SlugParams,
        body: SurveyPatch,
        response: { 200: SurveyReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const { status, definition } = request.body;
      return toReply(app.surveys.update(request.params.slug, { ...(status ? { status } : {}), ...(definition !== undefined ? { definition } : {}) }));
    },
  );
}
