/**
 * Data access for releases: the aggregation reads (one GROUP BY per question over the answers table,
 * in its own key order, inside one read transaction so every count comes from the same moment) and the
 * snapshots. Nothing here loads individual responses: the result sets are counts.
 */
import type { Db } from '../db/client.js';
import { groupingQuestions, type ResolvedDefinition } from '../surveys/definition.js';
import type { Aggregates } from './compute.js';
import type { ReleaseJson } from './content.js';

export interface StoredRelease {
  id: number;
  releasedOn: string;
  final: boolean;
  /** The JSON served by the results endpoint, byte for byte. */
  json: string;
  content: ReleaseJson;
}

interface ReleaseRow {
  id: number;
  releasedOn: string;
  final: number;
  content: string;
}

export type AggregationProgress = (done: number, total: number, questionId: string) => void;

export function createReleaseRepository(db: Db) {
  const { sqlite } = db;
  const countRespondents = sqlite.prepare<[number], number>('select count(*) from responses where survey_id = ?').pluck();
  const cellsOfQuestion = sqlite.prepare<[number, string], { value: string; cohort: string; n: number }>(
    'select value, cohort, count(*) as n from answers where survey_id = ? and question_id = ? group by value, cohort',
  );
  const commentCounts = sqlite.prepare<[number], { questionId: string; n: number }>(
    'select question_id as questionId, count(*) as n from comments where survey_id = ? group by question_id',
  );

  const takeLease = sqlite.prepare(
    `insert into job_locks (name, holder, expires_at) values (?, ?, ?)
     on conflict(name) do update set holder = excluded.holder, expires_at = excluded.expires_at
     where job_locks.expires_at < ? or job_locks.holder = excluded.holder`,
  );

  const releaseColumns = 'id, released_on as releasedOn, final, content';
  const latestOf = sqlite.prepare<[number], ReleaseRow>(`select ${releaseColumns} from releases where survey_id = ? order by id desc limit 1`);
  const releasesOf = sqlite.prepare<[number], ReleaseRow>(`select ${releaseColumns} from releases where survey_id = ? order by id`);
  const finalOf = sqlite.prepare<[number], number>('select 1 from releases where survey_id = ? and final = 1 limit 1').pluck();
  const insertRelease = sqlite.prepare<[number, string, number, string], number>(
    'insert into releases (survey_id, released_on, final, content) values (?, ?, ?, ?) returning id',
  ).pluck();
  const freeLease = sqlite.prepare<[string, string]>('delete from job_locks where name = ? and holder = ?');

  // The one-row counter of transactions that stored responses since the file was last rewritten
  // (store.ts adds to it): kept in the file, so a restart does not rewrite a large file for nothing.
  const writesSince = sqlite.prepare<[], number>('select writes_since from file_rewrite where id = 1').pluck();
  const forgetWrites = sqlite.prepare<[number]>('update file_rewrite set writes_since = max(writes_since - ?, 0) where id = 1');

  const toStored = (row: ReleaseRow): StoredRelease => ({
    id: row.id,
    releasedOn: row.releasedOn,
    final: row.final === 1,
    json: row.content,
    content: JSON.parse(row.content) as ReleaseJson,
  });
  const countInvites = sqlite.prepare<[number], number>('select count(*) from invites where survey_id = ?').pluck();

  return {
    /** Every count the rules need, from one consistent read of the database. */
    aggregate: sqlite.transaction((surveyId: number, definition: ResolvedDefinition, progress?: AggregationProgress): Aggregates => {
      const questions = definition.questions.filter((q) => q.type !== 'text');
      const answers: Aggregates['answers'] = new Map();
      questions.forEach((q, i) => {
        const byValue = new Map<string, Map<string, number>>();
        for (const row of cellsOfQuestion.iterate(surveyId, q.id)) {
          let byCohort = byValue.get(row.value);
          if (!byCohort) byValue.set(row.value, (byCohort = new Map()));
          byCohort.set(row.cohort, row.n);
        }
        answers.set(q.id, byValue);
        progress?.(i + 1, questions.length, q.id);
      });
      const respondents = countRespondents.get(surveyId) ?? 0;
      // Every response has a row for each grouping question (skipping it is prefer_not_to_say),
      // so the first grouping question's rows count the respondents of every combination.
      const cohorts = new Map<string, number>();
      const first = groupingQuestions(definition)[0];
      if (first) {
        for (const byCohort of answers.get(first.id)?.values() ?? []) {
          for (const [cohort, n] of byCohort) cohorts.set(cohort, (cohorts.get(cohort) ?? 0) + n);
        }
      } else if (respondents > 0) {
        cohorts.set('', respondents);
      }
      const comments = new Map(commentCounts.all(surveyId).map((r) => [r.questionId, r.n]));
      return { respondents, cohorts, answers, comments };
    }),

    latest(surveyId: number): StoredRelease | undefined {
      const row = latestOf.get(surveyId);
      return row ? toStored(row) : undefined;
    },

    /** Every release of a survey, oldest first. */
    list(surveyId: number): StoredRelease[] {
      return releasesOf.all(surveyId).map(toStored);
    },

    /** Invitation codes ever issued for a survey (§5: a public figure). */
    invitationsIssued(surveyId: number): number {
      return countInvites.get(surveyId) ?? 0;
    },

    hasFinal(surveyId: number): boolean {
      return finalOf.get(surveyId) !== undefined;
    },

    /** Stores a release, as the exact text it is served as. */
    insert(surveyId: number, release: { releasedOn: string; final: boolean; json: string }): number {
      return insertRelease.get(surveyId, release.releasedOn, release.final ? 1 : 0, release.json)!;
    },

    /** Takes the named lease unless another holder has an unexpired one. */
    acquireLock(name: string, holder: string, now: number, ttlMs: number): boolean {
      return takeLease.run(name, holder, now + ttlMs, now).changes > 0;
    },

    releaseLock(name: string, holder: string): void {
      freeLease.run(name, holder);
    },

    /** How many transactions stored responses since the file was last rewritten. */
    writesSinceRewrite(): number {
      return writesSince.get() ?? 0;
    },

    /**
     * Rewrites the whole file in key order (VACUUM), then takes the writes it had been told of off
     * the counter: those committed meanwhile stay counted, and the next run rewrites again.
     * Throws, the counter untouched, when the rewrite cannot be made (a busy database, a full disk).
     */
    rewriteFile(writesSeen: number): void {
      sqlite.exec('VACUUM');
      forgetWrites.run(writesSeen);
    },
  };
}
export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;

/**
 * Adds `transactions` to the file's rewrite counter, as the writer (responses/store.ts) does in
 * each transaction that stores responses. For rows inserted around the writer (the release bench's
 * generated survey), so that the job still knows the file has to be rewritten.
 */
export function countWritesForRewrite(db: Db, transactions = 1): void {
  db.sqlite.prepare('update file_rewrite set writes_since = writes_since + ? where id = 1').run(transactions);
}
