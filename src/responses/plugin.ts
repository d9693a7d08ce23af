/** The submission service as a named plugin: `app.responses`, with the scrubber built from the deny-list. */
import fp from 'fastify-plugin';
import { createSurveyRepository } from '../surveys/repository.js';
import { createResponseRepository } from './repository.js';
import { createScrubber } from './scrub.js';
import { createResponseService, type ResponseService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    responses: ResponseService;
  }
}

export default fp<{ scrubTerms: readonly string[]; writerThread?: { databasePath: string } }>(
  async (app, opts) => {
    const responses = createResponseRepository(app.db, opts.writerThread ? { thread: opts.writerThread } : {});
    // Registered before the database plugin's own onClose runs (hooks run in reverse order of
    // registration): everything a partner was told is saved is written before the file closes.
    app.addHook('onClose', async () => responses.close());
    app.decorate('responses', createResponseService({ surveys: createSurveyRepository(app.db), responses, scrub: createScrubber(opts.scrubTerms) }));
  },
  { name: 'candor-responses', dependencies: ['candor-db'] },
);
