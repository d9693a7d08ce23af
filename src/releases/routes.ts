/** On-demand release for staff (§6): run the aggregation for one survey now. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../web/schemas.js';

const SlugParams = z.object({ slug: z.string().max(100) });

const ReleaseReply = z
  .object({
    released: z.boolean(),
    final: z.boolean().optional(),
    releasedAt: z.string().optional(),
    reason: z.enum(['draft', 'interim_off', 'not_due', 'unchanged', 'already_final', 'busy']).optional(),
    message: z.string().describe("What happened, in the reader's language."),
  })
  .meta({ id: 'ReleaseReply' });

export default async function releaseRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/surveys/:slug/release',
    {
      onRequest: app.requireRole('staff'),
      schema: {
        summary: 'Run the aggregation for this survey now',
        description: 'Closed surveys get their final release; open surveys with interimReleases an interim one when at least k respondents were added.',
        tags: ['results'],
        security: [{ bearer: [] }],
        params: SlugParams,
        response: { 200: ReleaseReply, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const survey = app.surveys.get(request.params.slug);
      const outcome = await app.releases.release(survey);
      if (outcome.released) {
        return {
          released: true,
          final: outcome.final,
          releasedAt: outcome.releasedAt,
          message: request.t(outcome.final ? 'results:released_final' : 'results:released_interim'),
        };
      }
      return { released: false, reason: outcome.reason, message: request.t(`results:not_released.${outcome.reason}`, { k: survey.definition.minGroupSize }) };
    },
  );
}
