/**
 * The release job as a named plugin: `app.releases`. Makes the final release when a survey
 * closes, runs every AGGREGATE_INTERVAL_SECONDS (0: never), and stops with the app.
 */
import fp from 'fastify-plugin';
import { createSurveyRepository } from '../surveys/repository.js';
import { createReleaseJob, type ReleaseJob } from './job.js';
import { createReleaseRepository, type ReleaseRepository } from './repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    releases: ReleaseJob & { repository: ReleaseRepository };
  }
}

export default fp<{ intervalSeconds: number; now?: () => Date }>(
  async (app, opts) => {
    const repository = createReleaseRepository(app.db);
    const job = createReleaseJob({
      db: app.db,
      surveys: createSurveyRepository(app.db),
      releases: repository,
      rewriteFailed: (err) => app.log.warn({ err: { type: err.name, message: err.message } }, 'database rewrite skipped; the next run tries again'),
      ...(opts.now ? { now: opts.now } : {}),
    });
    // Arrival order must not outlive a run (§2): if a reader kept the log from being emptied,
    // try again every few seconds until it is.
    let retry: NodeJS.Timeout | undefined;
    const emptyLogSoon = () => {
      if (retry || !job.walPending()) return;
      retry = setInterval(() => {
        if (job.retryCheckpoint()) {
          clearInterval(retry);
          retry = undefined;
        }
      }, 5000);
      retry.unref();
    };
    app.addHook('onClose', async () => clearInterval(retry));
    const release: ReleaseJob['release'] = (survey) => {
      const outcome = job.release(survey);
      emptyLogSoon();
      return outcome;
    };
    app.decorate('releases', { ...job, release, repository });
    // Closing triggers the final release (§3).
    app.surveys.onClosed((survey) => {
      release(survey);
    });
    if (opts.intervalSeconds > 0) {
      const timer = setInterval(() => {
        try {
          const summary = job.run();
          emptyLogSoon();
          if (summary && (summary.released.length > 0 || summary.closed.length > 0)) {
            app.log.info({ closed: summary.closed, released: summary.released.map((r) => r.slug) }, 'aggregation run');
          }
        } catch (err) {
          app.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'aggregation run failed');
        }
      }, opts.intervalSeconds * 1000);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
  },
  { name: 'candor-releases', dependencies: ['candor-db', 'candor-surveys'] },
);
