/** The funder's answer to the published review (§13): commitments, their status and history. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LocalizedText } from '../surveys/definition.js';
import { ErrorBody } from '../web/schemas.js';
import { COMMITMENT_STATUSES } from './repository.js';

const Status = z.enum(COMMITMENT_STATUSES);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).describe('A month: "2027-06".');
/** "not_doing — which needs a reason in all three languages" (§13). */
const reasonWhenNotDoing = (v: { status?: string | undefined; reason?: unknown }, ctx: z.core.$RefinementCtx<unknown>) => {
  if (v.status === 'not_doing' && v.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], params: { key: 'reason_required' } });
};

export const CreateBody = z
  .strictObject({
    themeId: z.number().int().nullable().describe('A theme of this survey\'s published review, or null for the review as a whole.'),
    heard: LocalizedText.describe('What we heard.'),
    action: LocalizedText.describe('What we will do.'),
    status: Status.default('planned'),
    reason: LocalizedText.optional(),
    due: Month.optional(),
  })
  .superRefine(reasonWhenNotDoing)
  .meta({ id: 'NewCommitment' });

export const PatchBody = z
  .strictObject({
    heard: LocalizedText.optional(),
    action: LocalizedText.optional(),
    status: Status.optional(),
    reason: LocalizedText.nullable().optional(),
    due: Month.nullable().optional(),
    wgNote: LocalizedText.nullable().optional().describe('The Working Group\'s note, beside staff\'s text: the only field it may change.'),
  })
  .meta({ id: 'CommitmentPatch' });

const CommitmentReply = z
  .object({
    id: z.number().int(),
    themeId: z.number().int().nullable(),
    heard: LocalizedText,
    action: LocalizedText,
    status: Status,
    reason: LocalizedText.nullable(),
    due: z.string().nullable(),
    wgNote: LocalizedText.nullable(),
    history: z.array(z.object({ date: z.string(), by: z.enum(['staff', 'wg']), changes: z.array(z.string()) })).describe('Its creation and every change: the day and the role, never who.'),
  })
  .meta({ id: 'Commitment' });

export default async function commitmentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const SlugParams = z.object({ slug: z.string().max(100) });
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  r.get(
    '/api/surveys/:slug/commitments',
    {
      schema: {
        summary: 'What the funder will do (public once the review is published)',
        tags: ['commitments'],
        params: SlugParams,
        response: { 200: z.array(CommitmentReply), 404: ErrorBody },
      },
    },
    async (request) => app.commitments.list(request.params.slug),
  );

  r.post(
    '/api/surveys/:slug/commitments',
    {
      onRequest: app.requireRole('staff'),
      schema: {
        summary: 'Answer the published review with a commitment (staff)',
        tags: ['commitments'],
        security,
        params: SlugParams,
        body: CreateBody,
        response: { 201: z.object({ id: z.number().int() }), ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(app.commitments.create(request.params.slug, request.body)),
  );

  r.patch(
    '/api/commitments/:id',
    {
      onRequest: app.requireRole('staff', 'wg'),
      schema: {
        summary: 'Change a commitment (staff), or add the Working Group\'s note (wg)',
        tags: ['commitments'],
        security,
        params: z.object({ id: z.coerce.number().int() }),
        body: PatchBody,
        response: { 200: CommitmentReply, ...errors },
      },
    },
    async (request) => app.commitments.update(request.params.id, request.body, request.principal!.role === 'wg' ? 'wg' : 'staff'),
  );
}
