/** Staff generate invitation codes (§5): shown once, only hashes kept. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import type { SurveyRecord } from '../surveys/repository.js';
import { ErrorBody } from '../web/schemas.js';
import type { InviteRepository } from './repository.js';

export const MAX_CODES_PER_REQUEST = 1000;

export const InvitesBody = z.strictObject({ count: z.number().int().min(1).max(MAX_CODES_PER_REQUEST) }).meta({ id: 'InvitesRequest' });
export const InvitesReply = z
  .object({
    codes: z.array(z.string()).describe('Shown once: only their hashes are stored.'),
    issued: z.number().int(),
    spent: z.number().int(),
  })
  .meta({ id: 'Invites' });

/**
 * Codes can be made for invite-only surveys that have not closed. The number ever issued is
 * published with the final release (§5), so none may be added after it: the repository checks
 * again in the transaction that stores them, since the job may close the survey meanwhile.
 */
export function generateFor(invites: InviteRepository, survey: SurveyRecord, count: number): string[] {
  if (survey.definition.access !== 'invite') throw new CandorError(409, 'survey_not_invite_only');
  // README choice 10: "after the final release" is read as "once the survey is closed".
  if (survey.status === 'closed') throw new CandorError(409, 'survey_closed');
  return invites.generate(survey.id, count);
}

export default async function inviteRoutes(app: FastifyInstance, opts: { invites: InviteRepository }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/surveys/:slug/invites',
    {
      onRequest: app.requireRole('staff'),
      schema: {
        summary: 'Generate invitation codes (invite-only surveys)',
        description: 'Answers the codes once. Staff can later see how many are spent, never which.',
        tags: ['surveys'],
        security: [{ bearer: [] }],
        params: z.object({ slug: z.string().max(100) }),
        body: InvitesBody,
        response: { 201: InvitesReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const survey = app.surveys.get(request.params.slug);
      const codes = generateFor(opts.invites, survey, request.body.count);
      // Shown once: no cache may keep a copy.
      return reply.code(201).header('cache-control', 'no-store').send({ codes, ...opts.invites.counts(survey.id) });
    },
  );
}
