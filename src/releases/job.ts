/**
 * The aggregation job (§6): closes surveys whose closesAt has passed, makes the final release of
 * every closed survey, and interim releases where a survey asks for them. Runs on a schedule, on
 * demand and from the CLI, in the server's job thread (job-thread.ts) or in the caller's thread;
 * its calls are taken one at a time, and a lease in the database keeps two processes from
 * running at once. Arrival order does not outlive a run (§2): a run that finds responses stored
 * since the last rewrite (a counter in the file says so, across restarts) rewrites the file
 * (VACUUM), and every run ends by emptying the write-ahead log.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';
import { isMarker, releaseText, type ReleaseJson } from './content.js';
import { makeRelease } from './release.js';
import type { AggregationProgress, ReleaseRepository } from './repository.js';
import { interimReleaseDue } from './rules.js';
import { withTrends, type EarlierRound } from './trends.js';

export type SkipReason = 'draft' | 'interim_off' | 'not_due' | 'unchanged' | 'already_final' | 'busy';

export type ReleaseOutcome =
  | { released: true; final: boolean; releasedAt: string; release: ReleaseJson; passes: number }
  | { released: false; reason: SkipReason };

export interface RunSummary {
  closed: string[];
  released: { slug: string; final: boolean }[];
  skipped: { slug: string; reason: SkipReason }[];
  /** Surveys whose release failed this run (tried again at the next one); the others went ahead. */
  failed: { slug: string; error: string }[];
}

export interface JobOptions {
  db: Db;
  surveys: SurveyRepository;
  releases: ReleaseRepository;
  now?: () => Date;
  /** Progress of a large aggregation, for the command line. */
  progress?: (slug: string) => AggregationProgress;
  /** Progress of the audit passes, for the command line. */
  auditing?: (slug: string, pass: number, done: number, total: number, what: string) => void;
  /** Called before the file is rewritten (which takes seconds on a large file), for the command line. */
  rewriting?: () => void;
  /** Called when the rewrite could not be made (it is tried again at the next run). */
  rewriteFailed?: (err: Error) => void;
}

/** The name of the job's lease in job_locks. */
export const JOB_LOCK = 'aggregate';
const LOCK = JOB_LOCK;
const LEASE_MS = 15 * 60 * 1000;

export function createReleaseJob(opts: JobOptions) {
  const now = opts.now ?? (() => new Date());
  const holder = randomUUID();
  /** The calls of this job, one at a time: each waits for the one before. */
  let queue: Promise<unknown> = Promise.resolve();
  let walPending = false;

  /**
   * Within a page of a live database, rows sit in the order they were written (the newest
   * nearest the page's start) until the page is rebuilt. When partners have written since the
   * last rewrite, VACUUM rebuilds every page in key order: afterwards no page says which of its
   * rows came first. Skipped, and tried at the next run, when a writer holds the database.
   */
  function rewriteIfWritten(): void {
    // Counted in the file by every transaction that stores responses (and their comments), so a
    // restarted server or a command knows whether the last rewrite left anything behind.
    const writes = opts.releases.writesSinceRewrite();
    if (writes === 0) return;
    opts.rewriting?.();
    try {
      opts.releases.rewriteFile(writes);
    } catch (err) {
      // A busy database, a full disk: the releases this run made stand, and the next run tries
      // again. The rewrite never fails the run.
      opts.rewriteFailed?.(err as Error);
    }
  }

  /** Runs `fn` after the calls before it, holding the lease; undefined when another process holds it. */
  function exclusively<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const run = queue.then(async () => {
      if (!opts.releases.acquireLock(LOCK, holder, now().getTime(), LEASE_MS)) return undefined;
      try {
        return await fn();
      } finally {
        opts.releases.releaseLock(LOCK, holder);
        // Another connection's open read can keep the log from being emptied: say so, so that the
        // caller tries again soon rather than at the next run.
        walPending = !opts.db.checkpoint();
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The rounds of this survey's series that opened before it, each with its latest release (§13).
   * A survey that names no series is the series of its own slug.
   */
  function earlierRounds(survey: SurveyRecord): EarlierRound[] {
    const rounds = opts.surveys.rounds(survey.definition.series ?? survey.slug);
    const at = rounds.findIndex((r) => r.id === survey.id);
    return rounds.slice(0, Math.max(at, 0)).flatMap((r) => {
      const release = opts.releases.latest(r.id);
      return release ? [{ survey: r.slug, release: release.content }] : [];
    });
  }

  /** Makes the release this survey is due, if any. Assumes the lease is held. */
  async function releaseSurvey(slug: string): Promise<ReleaseOutcome> {
    // Read afresh: the caller's record may be older than the lease.
    const survey = opts.surveys.findBySlug(slug);
    if (!survey || survey.status === 'draft') return { released: false, reason: 'draft' };
    const earlier = opts.releases.list(survey.id);
    const latest = earlier.at(-1);
    if (latest?.final) return { released: false, reason: 'already_final' };
    const final = survey.status === 'closed';
    const def = survey.definition;
    const previousRespondents = latest && !isMarker(latest.content.respondents) ? latest.content.respondents.n : latest ? 0 : undefined;
    if (!final) {
      if (!def.interimReleases) return { released: false, reason: 'interim_off' };
      const respondents = opts.surveys.countResponses(survey.id);
      if (!interimReleaseDue(respondents, previousRespondents, def.minGroupSize)) return { released: false, reason: 'not_due' };
    }
    const aggregates = opts.releases.aggregate(survey.id, def, opts.progress?.(survey.slug));
    const releasedAt = now().toISOString().slice(0, 10);
    const made = await makeRelease(
      {
        definition: def,
        aggregates,
        final,
        releasedAt,
        // Only the published count, or the marker: releases of earlier versions carried more (stale).
        earlier: earlier.map((r) => ({ releasedAt: r.content.releasedAt, respondents: isMarker(r.content.respondents) ? { suppressed: true as const } : { n: r.content.respondents.n } })),
        invitationsIssued: opts.releases.invitationsIssued(survey.id),
      },
      opts.auditing ? { progress: (pass, done, total, what) => opts.auditing!(survey.slug, pass, done, total, what) } : {},
    );
    // Rule 6: a run that would change nothing makes no new release.
    if (!final && latest && JSON.stringify(latest.content.respondents) === JSON.stringify(made.json.respondents)) return { released: false, reason: 'unchanged' };
    // The earlier rounds' figures, copied from their audited final releases: nothing new (§13).
    const json = final ? withTrends(made.json, earlierRounds(survey)) : made.json;
    opts.releases.insert(survey.id, { releasedOn: releasedAt, final, json: releaseText(json) });
    return { released: true, final, releasedAt, release: json, passes: made.passes };
  }

  return {
    /** Who holds the lease when this job runs (to free it if the job is stopped mid-run). */
    holder,

    /** Resolves once every call made so far has finished (before the database is closed). */
    settled: (): Promise<void> => queue.then(() => undefined),

    /** True when the last run could not empty the write-ahead log (a reader held it). */
    walPending: () => walPending,

    /** Tries again to empty the write-ahead log; answers whether it is now empty. */
    retryCheckpoint(): boolean {
      walPending = !opts.db.checkpoint();
      return !walPending;
    },

    /** One pass over every survey. Resolves to undefined when another process holds the lease. */
    run(): Promise<RunSummary | undefined> {
      return exclusively(async () => {
        const summary: RunSummary = { closed: [], released: [], skipped: [], failed: [] };
        const at = now().getTime();
        for (const survey of opts.surveys.listByStatus('open')) {
          const closesAt = survey.definition.closesAt;
          if (closesAt !== undefined && Date.parse(closesAt) <= at) {
            opts.surveys.setStatus(survey.id, 'closed');
            summary.closed.push(survey.slug);
          }
        }
        for (const survey of [...opts.surveys.listByStatus('open'), ...opts.surveys.listByStatus('closed')]) {
          // One survey's failure must not hold back the others' releases, nor the rewrite.
          try {
            const outcome = await releaseSurvey(survey.slug);
            if (outcome.released) summary.released.push({ slug: survey.slug, final: outcome.final });
            else if (outcome.reason !== 'already_final' && outcome.reason !== 'interim_off') summary.skipped.push({ slug: survey.slug, reason: outcome.reason });
          } catch (err) {
            summary.failed.push({ slug: survey.slug, error: err instanceof Error ? err.message : String(err) });
          }
        }
        rewriteIfWritten();
        return summary;
      });
    },

    /** Releases one survey now (on demand, or when it closes). */
    async release(survey: Pick<SurveyRecord, 'slug'>): Promise<ReleaseOutcome> {
      return (await exclusively(() => releaseSurvey(survey.slug))) ?? { released: false, reason: 'busy' };
    },
  };
}
export type ReleaseJob = ReturnType<typeof createReleaseJob>;
