/**
 * The composition root: every repository and service of Candor, built once from a database and
 * the configuration. buildApp hands them to the app (candorPlugin below) and every command-line
 * script builds the same object, so that nothing is wired twice and every part shares one survey
 * repository (and its cache of opened definitions).
 */
import fp from 'fastify-plugin';
import { createSessionRepository, type SessionRepository } from './access/sessions.js';
import { createTokenRepository, type TokenRepository } from './access/tokens.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { createInviteRepository, type InviteRepository } from './invites/repository.js';
import { createReleaseJob, JOB_LOCK, type JobOptions } from './releases/job.js';
import { createReleaseRepository, type ReleaseRepository } from './releases/repository.js';
import { startJobThread, type JobApi } from './releases/thread-client.js';
import { createResponseRepository } from './responses/repository.js';
import { createScrubber } from './responses/scrub.js';
import { createResponseService, type ResponseService } from './responses/service.js';
import { createResultsService, type ResultsService } from './results/service.js';
import { createReviewRepository } from './review/repository.js';
import { createReviewService, type ReviewService } from './review/service.js';
import { createCommitmentRepository } from './commitments/repository.js';
import { createCommitmentService, type CommitmentService } from './commitments/service.js';
import { createSurveyRepository, type SurveyRepository } from './surveys/repository.js';
import { createSurveyService, type SurveyService } from './surveys/service.js';

export interface CandorOptions {
  /** Store responses from a writer thread (default: yes, when the database is a file). */
  writerThread?: boolean;
  /** Make releases in a thread of their own (default: yes, when the database is a file and no clock is given). */
  jobThread?: boolean;
  /** The release job's and the review's clock (tests fix the day; it keeps the job in this thread). */
  now?: () => Date;
  /** Where the job's warnings go (a skipped rewrite); standard error by default. */
  warn?: (message: string) => void;
  /** Progress of the job, for the command line (in this thread only). */
  jobProgress?: Pick<JobOptions, 'progress' | 'auditing' | 'rewriting'>;
}

export interface Candor {
  db: Db;
  config: Config;
  surveys: SurveyService;
  responses: ResponseService;
  invites: InviteRepository;
  tokens: TokenRepository;
  sessions: SessionRepository;
  review: ReviewService;
  /** What the funder will do about what it heard (§13). */
  commitments: CommitmentService;
  results: ResultsService;
  /** The release job, in its thread or in this one: run, release, retryCheckpoint. */
  job: JobApi;
  /** For the job's neighbours (the purge, the scripts): what has been released. */
  releases: ReleaseRepository;
  /** For the job's neighbours: surveys as stored. */
  surveyRepository: SurveyRepository;
  /** Waits for the responses a partner was told are saved and for a release under way, then closes the database. */
  close(): Promise<void>;
}

/** The release job on a connection, as the job thread, the CLI and the app (without a thread) make it. */
function releaseJobOn(db: Db, deps: { surveys: SurveyRepository; releases: ReleaseRepository }, options: Omit<JobOptions, 'db' | 'surveys' | 'releases'> = {}): JobApi {
  const job = createReleaseJob({ db, ...deps, ...options });
  return { ...job, retryCheckpoint: async () => job.retryCheckpoint(), close: () => job.settled() };
}

export function createCandor(db: Db, config: Config, options: CandorOptions = {}): Candor {
  const file = !db.sqlite.memory;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const surveyRepository = createSurveyRepository(db);
  const releases = createReleaseRepository(db);
  const invites = createInviteRepository(db);
  const scrub = createScrubber(config.scrubTerms);
  // The writer thread opens the very file the app uses.
  const responseRepository = createResponseRepository(db, options.writerThread !== false && file ? { thread: { databasePath: db.sqlite.name } } : {});
  const jobThread = (options.jobThread ?? !options.now) && file;
  const job = jobThread
    ? // A job thread stopped mid-run (at shutdown) cannot free its lease: it is freed here, or the
      // next process would wait for the lease to expire.
      startJobThread(db.sqlite.name, warn, (holder) => releases.releaseLock(JOB_LOCK, holder))
    : releaseJobOn(
        db,
        { surveys: surveyRepository, releases },
        {
          rewriteFailed: (err) => warn(`database rewrite skipped (${err.message}); the next run tries again`),
          ...(options.now ? { now: options.now } : {}),
          ...options.jobProgress,
        },
      );
  const review = createReviewService({ surveys: surveyRepository, releases, reviews: createReviewRepository(db), scrub, ...(options.now ? { now: options.now } : {}) });
  let closed: Promise<void> | undefined;
  return {
    db,
    config,
    surveys: createSurveyService(surveyRepository, { minGroupSize: config.minGroupSize, minDiversity: config.minDiversity }),
    responses: createResponseService({ surveys: surveyRepository, responses: responseRepository, scrub }),
    invites,
    tokens: createTokenRepository(db),
    sessions: createSessionRepository(db),
    review,
    commitments: createCommitmentService({ commitments: createCommitmentRepository(db), review, surveys: surveyRepository, ...(options.now ? { now: options.now } : {}) }),
    results: createResultsService({ surveys: surveyRepository, releases, invites }),
    job,
    releases,
    surveyRepository,
    close() {
      closed ??= (async () => {
        try {
          await job.close();
          await responseRepository.close();
        } finally {
          db.close();
        }
      })();
      return closed;
    },
  };
}

/** What features receive: the services, as decorators of the app. */
type Decorated = Pick<Candor, 'db' | 'surveys' | 'responses' | 'invites' | 'tokens' | 'sessions' | 'review' | 'commitments' | 'results'>;
const DECORATED = ['db', 'surveys', 'responses', 'invites', 'tokens', 'sessions', 'review', 'commitments', 'results'] as const satisfies readonly (keyof Decorated)[];

declare module 'fastify' {
  // The decorators are Candor's own fields, with their types.
  interface FastifyInstance extends Decorated {}
}

/**
 * The services as the app's decorators, the one way features receive them; closed with the app
 * (last: hooks run in reverse order of registration, so every feature's own onClose runs first).
 */
export const candorPlugin = fp<{ candor: Candor }>(
  async (app, { candor }) => {
    // decorate's types pair each name with its own type; the loop cannot say that, Decorated does.
    for (const name of DECORATED) app.decorate(name, candor[name] as never);
    app.addHook('onClose', async () => candor.close());
  },
  { name: 'candor' },
);
