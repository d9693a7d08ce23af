/**
 * Data access for releases: the aggregation reads (one GROUP BY per question over the answers table,
 * in its own key order, inside one read transaction so every count comes from the same moment) and the
 * snapshots. Nothing here loads individual responses: the result sets are counts.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobLocks, releases } from '../db/schema.js';
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

export type AggregationProgress = (done: number, total: number, questionId: string) => void;

export function createReleaseRepository(db: Db) {
  const { sqlite, orm } = db;
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

  const toStored = (row: typeof releases.$inferSelect): StoredRelease => ({
    id: row.id,
    releasedOn: row.releasedOn,
    final: row.final,
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
      const row = orm.select().from(releases).where(eq(releases.surveyId, surveyId)).orderBy(desc(releases.id)).limit(1).get();
      return row ? toStored(row) : undefined;
    },

    /** Every release of a survey, oldest first. */
    list(surveyId: number): StoredRelease[] {
      return orm.select().from(releases).where(eq(releases.surveyId, surveyId)).orderBy(releases.id).all().map(toStored);
    },

    /** Invitation codes ever issued for a survey (§5: a public figure). */
    invitationsIssued(surveyId: number): number {
      return countInvites.get(surveyId) ?? 0;
    },

    hasFinal(surveyId: number): boolean {
      return orm.select({ id: releases.id }).from(releases).where(and(eq(releases.surveyId, surveyId), eq(releases.final, true))).get() !== undefined;
    },

    /** Stores a release, as the exact text it is served as. */
    insert(surveyId: number, release: { releasedOn: string; final: boolean; json: string }): number {
      return orm.insert(releases).values({ surveyId, releasedOn: release.releasedOn, final: release.final, content: release.json }).returning({ id: releases.id }).get().id;
    },

    /** Takes the named lease unless another holder has an unexpired one. */
    acquireLock(name: string, holder: string, now: number, ttlMs: number): boolean {
      return takeLease.run(name, holder, now + ttlMs, now).changes > 0;
    },

    releaseLock(name: string, holder: string): void {
      orm.delete(jobLocks).where(and(eq(jobLocks.name, name), eq(jobLocks.holder, holder))).run();
    },
  };
}
export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;
