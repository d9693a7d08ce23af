/**
 * The release job as a named plugin: `app.releases` (the job itself is built in candor.ts). It runs in a thread of its own when the
 * database is a file (job-thread.ts), in the event loop's thread otherwise (in-memory databases,
 * tests that set the job's clock). Closing a survey answers at once and its final release follows;
 * a release that cannot be made now (another process holds the lease, a failure) is logged and
 * tried again until it is made. Runs every AGGREGATE_INTERVAL_SECONDS (0: never).
 */
import fp from 'fastify-plugin';
import type { ReleaseOutcome, RunSummary } from './job.js';
import type { JobApi } from './thread-client.js';

export interface Releases {
  /** One pass of the job over every survey (undefined: another process holds the lease). */
  run(): Promise<RunSummary | undefined>;
  /** Makes the release this survey is due now; resolves once it is stored. */
  release(survey: { slug: string }): Promise<ReleaseOutcome>;
}

declare module 'fastify' {
  interface FastifyInstance {
    releases: Releases;
  }
}

/** How long a release that could not be made waits before it is tried again: doubling from 5 s, at most 5 minutes. */
export const RETRY_MS = 5000;
const RETRY_MAX_MS = 5 * 60 * 1000;
const retryDelay = (attempt: number) => Math.min(RETRY_MS * 2 ** (attempt - 1), RETRY_MAX_MS);

export default fp<{ job: JobApi; intervalSeconds: number }>(
  async (app, opts) => {
    const { job } = opts;

    let closing = false;
    const timers = new Set<NodeJS.Timeout>();
    const later = (fn: () => void, ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closing) fn();
      }, ms);
      timer.unref();
      timers.add(timer);
    };

    // Arrival order must not outlive a run (§2): if a reader kept the log from being emptied,
    // try again every few seconds until it is.
    let emptying = false;
    const emptyLogSoon = () => {
      if (emptying || !job.walPending()) return;
      emptying = true;
      const attempt = () =>
        void job.retryCheckpoint().then(
          (empty) => (empty ? (emptying = false) : later(attempt, RETRY_MS)),
          () => later(attempt, RETRY_MS),
        );
      later(attempt, RETRY_MS);
    };

    const release = async (survey: { slug: string }): Promise<ReleaseOutcome> => {
      const outcome = await job.release(survey);
      emptyLogSoon();
      return outcome;
    };

    /** A release nobody waits for (a survey just closed): logged and retried until it is made. */
    const releaseInBackground = (slug: string, attempt = 1): void => {
      const retry = (why: string) => {
        if (closing) {
          app.log.warn({ survey: slug, attempt }, `the release could not be made (${why}); it will be made when Candor next starts`);
          return;
        }
        const wait = retryDelay(attempt);
        app.log.warn({ survey: slug, attempt }, `the release could not be made (${why}); trying again in ${wait / 1000} s`);
        later(() => releaseInBackground(slug, attempt + 1), wait);
      };
      release({ slug }).then(
        (outcome) => (outcome.released || outcome.reason !== 'busy' ? undefined : retry('another aggregation run holds the lease')),
        (err: unknown) => retry(err instanceof Error ? err.message : String(err)),
      );
    };

    app.decorate('releases', { run: () => job.run().finally(emptyLogSoon), release });
    // Closing triggers the final release (§3); the request that closed the survey does not wait for it.
    app.surveys.onClosed((survey) => releaseInBackground(survey.slug));
    // A survey closed without its final release (the server stopped before it was made) gets it
    // now, whatever the schedule: a release is never silently dropped.
    app.addHook('onReady', async () => {
      for (const listed of app.surveys.list()) {
        const survey = listed.status === 'closed' ? app.surveys.find(listed.slug) : undefined;
        if (survey && !app.results.hasFinal(survey.id)) releaseInBackground(survey.slug);
      }
    });

    let running: Promise<unknown> | undefined;
    if (opts.intervalSeconds > 0) {
      const timer = setInterval(() => {
        if (running) return;
        running = job
          .run()
          .then((summary) => {
            emptyLogSoon();
            if (summary && (summary.released.length > 0 || summary.closed.length > 0)) {
              app.log.info({ closed: summary.closed, released: summary.released.map((r) => r.slug) }, 'aggregation run');
            }
            for (const f of summary?.failed ?? []) app.log.error({ survey: f.slug }, `the release failed (${f.error}); the next run tries again`);
          })
          .catch((err: unknown) => app.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'aggregation run failed; the next run tries again'))
          .finally(() => (running = undefined));
      }, opts.intervalSeconds * 1000);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
    app.addHook('onClose', async () => {
      closing = true;
      for (const t of timers) clearTimeout(t);
      // The job itself is closed with the rest of Candor (candor.ts), after this.
      await running;
    });
  },
  { name: 'candor-releases', dependencies: ['candor'] },
);
