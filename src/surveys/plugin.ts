/** The survey service as a named plugin: `app.surveys`. */
import fp from 'fastify-plugin';
import { createSurveyRepository } from './repository.js';
import { createSurveyService, type SurveyDefaults, type SurveyService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    surveys: SurveyService;
  }
}

export default fp<{ defaults: SurveyDefaults }>(
  async (app, { defaults }) => {
    app.decorate('surveys', createSurveyService(createSurveyRepository(app.db), defaults));
  },
  { name: 'candor-surveys', dependencies: ['candor-db'] },
);
