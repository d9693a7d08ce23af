/**
 * The aggregation job (§6): closes surveys whose closesAt has passed, makes the final release of
 * every closed survey, and interim releases where a survey asks for them. Runs on a schedule, on
 * demand and from the CLI; a lease in the database keeps two runs from overlapping. Arrival order
 * does not outlive a run (§2): a run that finds new responses or comments rewrites the file
 * (VACUUM), and every run ends by emptying the write-ahead log.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';
import { computeRelease, type ReleaseContent } from './compute.js';
import type { AggregationProgress, ReleaseRepository } from './repository.js';
import { interimReleaseDue } from './rules.js';

export type SkipReason = 'draft' | 'interim_off' | 'not_due' | 'unchanged' | 'already_final' | 'busy';

export type ReleaseOutcome =
  | { released: true; final: boolean; releasedAt: string; release: ReleaseContent & { releasedAt: string } }
  | { released: false; reason: SkipReason };

export interface RunSummary {
  closed: string[];
  released: { slug: string; final: boolean }[];
  skipped: { slug: string; reason: SkipReason }[];
}

export interface JobOptions {
  db: Db;
  surveys: SurveyRepository;
  releases: ReleaseRepository;
  now?: () => Date;
  /** Progress of a large aggregation, for the command line. */
  progress?: (slug: string) => AggregationProgress;
  /** Called before the file is rewritten (which takes seconds on a large file), for the command line. */
  rewriting?: () => void;
  /** Called when the rewrite could not be made (it is tried again at the next run). */
  rewriteFailed?: (err: Error) => void;
}

const LOCK = 'aggregate';
const LEASE_MS = 15 * 60 * 1000;

export function createReleaseJob(opts: JobOptions) {
  const now = opts.now ?? (() => new Date());
  const holder = randomUUID();
  let running = false;
  let walPending = false;
  let rewrittenAt: string | undefined;

  /**
   * Within a page of a live database, rows sit in the order they were written (the newest
   * nearest the page's start) until the page is rebuilt. When partners have written since the
   * last rewrite, VACUUM rebuilds every page in key order: afterwards no page says which of its
   * rows came first. Skipped, and tried at the next run, when a writer holds the database.
   */
  function rewriteIfWritten(): void {
    const { sqlite } = opts.db;
    // Counts grow with every response and comment; only a purge removes rows, and its VACUUM
    // moves the schema version on, so the mark changes whenever anything new was written.
    const markNow = () =>
      sqlite.prepare("select (select count(*) from responses) || '/' || (select count(*) from comments) || '/' || (select schema_version from pragma_schema_version)").pluck().get() as string;
    if (markNow() === rewrittenAt) return;
    opts.rewriting?.();
    try {
      sqlite.exec('VACUUM');
      rewrittenAt = markNow();
    } catch (err) {
      // A busy database, a full disk: the releases this run made stand, and the next run tries
      // again. The rewrite never fails the run.
      opts.rewriteFailed?.(err as Error);
    }
  }

  /** Runs `fn` holding the lease, or returns undefined when another run holds it. */
  function exclusively<T>(fn: () => T): T | undefined {
    if (running) return undefined;
    if (!opts.releases.acquireLock(LOCK, holder, now().getTime(), LEASE_MS)) return undefined;
    running = true;
    try {
      return fn();
    } finally {
      running = false;
      opts.releases.releaseLock(LOCK, holder);
      // Another connection's open read can keep the log from being emptied: say so, so that the
      // caller tries again soon rather than at the next run.
      walPending = !opts.db.checkpoint();
    }
  }

  /** Makes the release this survey is due, if any. Assumes the lease is held. */
  function releaseSurvey(survey: SurveyRecord): ReleaseOutcome {
    if (survey.status === 'draft') return { released: false, reason: 'draft' };
    const latest = opts.releases.latest(survey.id);
    if (latest?.final) return { released: false, reason: 'already_final' };
    const final = survey.status === 'closed';
    const def = survey.definition;
    if (!final) {
      if (!def.interimReleases) return { released: false, reason: 'interim_off' };
      const respondents = opts.surveys.countResponses(survey.id);
      if (!interimReleaseDue(respondents, latest?.state?.respondents, def.minGroupSize)) return { released: false, reason: 'not_due' };
    }
    const aggregates = opts.releases.aggregate(survey.id, def, opts.progress?.(survey.slug));
    const previous = latest?.state ? { content: latest.content, state: latest.state } : undefined;
    const { content, state } = computeRelease({ definition: def, aggregates, final, previous });
    if (!final && latest && sameContent(latest.content, content)) return { released: false, reason: 'unchanged' };
    const releasedAt = now().toISOString().slice(0, 10);
    const { survey: slug, minGroupSize, final: isFinal, respondents, questions } = content;
    // Key order fixed here, and by computeRelease: the stored text is what every reader gets.
    const published = { survey: slug, minGroupSize, releasedAt, final: isFinal, respondents, questions };
    opts.releases.insert(survey.id, { releasedOn: releasedAt, final, json: JSON.stringify(published), state: final ? null : state });
    return { released: true, final, releasedAt, release: published };
  }

  return {
    /** True when the last run could not empty the write-ahead log (a reader held it). */
    walPending: () => walPending,

    /** Tries again to empty the write-ahead log; answers whether it is now empty. */
    retryCheckpoint(): boolean {
      walPending = !opts.db.checkpoint();
      return !walPending;
    },

    /** One pass over every survey. Returns undefined when another run holds the lease. */
    run(): RunSummary | undefined {
      return exclusively(() => {
        const summary: RunSummary = { closed: [], released: [], skipped: [] };
        const at = now().getTime();
        for (const survey of opts.surveys.listByStatus('open')) {
          const closesAt = survey.definition.closesAt;
          if (closesAt !== undefined && Date.parse(closesAt) <= at) {
            opts.surveys.setStatus(survey.id, 'closed');
            summary.closed.push(survey.slug);
          }
        }
        for (const survey of [...opts.surveys.listByStatus('open'), ...opts.surveys.listByStatus('closed')]) {
          const outcome = releaseSurvey(survey);
          if (outcome.released) summary.released.push({ slug: survey.slug, final: outcome.final });
          else if (outcome.reason !== 'already_final' && outcome.reason !== 'interim_off') summary.skipped.push({ slug: survey.slug, reason: outcome.reason });
        }
        rewriteIfWritten();
        return summary;
      });
    },

    /** Releases one survey now (on demand, or when it closes). */
    release(survey: SurveyRecord): ReleaseOutcome {
      return exclusively(() => releaseSurvey(survey)) ?? { released: false, reason: 'busy' };
    },
  };
}
export type ReleaseJob = ReturnType<typeof createReleaseJob>;

function sameContent(previous: ReleaseContent & { releasedAt?: string }, next: ReleaseContent): boolean {
  const { releasedAt: _releasedAt, ...rest } = previous;
  const { survey, minGroupSize, final, respondents, questions } = rest;
  return JSON.stringify({ survey, minGroupSize, final, respondents, questions }) === JSON.stringify(next);
}
