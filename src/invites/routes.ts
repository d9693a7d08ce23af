/** Staff generate invitation codes (§5): shown once, only hashes kept. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../web/schemas.js';
import { CodeCount, generateFor, invitationLink } from './service.js';

const InvitesBody = z.strictObject({ count: CodeCount }).meta({ id: 'InvitesRequest' });
const InvitesReply = z
  .object({
    codes: z.array(z.string()).describe('Shown once: only their hashes are stored.'),
    links: z.array(z.string()).describe("Each code's invitation link, in the same order: PUBLIC_URL, then /s/{slug}?code={code}."),
    issued: z.number().int(),
    spent: z.number().int(),
  })
  .meta({ id: 'Invites' });

export default async function inviteRoutes(app: FastifyInstance, opts: { publicUrl: string }) {
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
      const codes = generateFor(app.invites, survey, request.body.count);
      // Shown once: no cache may keep a copy.
      const links = codes.map((code) => invitationLink(opts.publicUrl, survey.slug, code));
      return reply.code(201).header('cache-control', 'no-store').send({ codes, links, ...app.invites.counts(survey.id) });
    },
  );
}
