/** The submission service as a named plugin: `app.responses`, with the scrubber built from the deny-list. */
import fp from 'fastify-plugin';
import { createSurveyRepository } from '../surveys/repository.js';
import { createResponseRepository } from './repository.js';
import { createScrubber } from './scrub.js';
import { createResponseService, type CodeSpender, type ResponseService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    responses: ResponseService;
  }
}

export default fp<{ scrubTerms: readonly string[]; spendCode?: CodeSpender }>(
  async (app, opts) => {
    app.decorate(
      'responses',
      createResponseService({
        surveys: createSurveyRepository(app.db),
        responses: createResponseRepository(app.db),
        scrub: createScrubber(opts.scrubTerms),
        ...(opts.spendCode ? { spendCode: opts.spendCode } : {}),
      }),
    );
  },
  { name: 'candor-responses', dependencies: ['candor-db'] },
);
