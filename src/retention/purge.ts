/**
 * Retention (§2, §10): once a survey's results are final, its raw responses and the comments the
 * Working Group did not publish are deleted; the releases and the published review stay. With
 * secure_delete on, a checkpoint and a VACUUM, the deleted answers leave the file itself.
 */
import type { Db } from '../db/client.js';
import type { ReleaseRepository } from '../releases/repository.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';

export class PurgeRefused extends Error {
  constructor(readonly reason: 'not_found' | 'not_closed' | 'no_final_release') {
    super(reason);
  }
}

export interface PurgeReport {
  responses: number;
  answers: number;
  comments: number;
  invites: number;
  /**
   * Whether the deleted rows have left the database file and its write-ahead log. False when
   * another connection (a running Candor in the middle of a long read) kept the log from being
   * checkpointed and emptied until `waitMs` ran out: the old pages stay in the file until the next
   * checkpoint, so the purge must be run again.
   */
  fileClean: boolean;
}

/** Checks that a survey may be purged: closed, with its final release made. */
export function purgeable(surveys: SurveyRepository, releases: ReleaseRepository, slug: string): SurveyRecord {
  const survey = surveys.findBySlug(slug);
  if (!survey) throw new PurgeRefused('not_found');
  if (survey.status !== 'closed') throw new PurgeRefused('not_closed');
  if (!releases.hasFinal(survey.id)) throw new PurgeRefused('no_final_release');
  return survey;
}

export function purgeSurvey(db: Db, surveys: SurveyRepository, survey: SurveyRecord, { waitMs = 15_000 }: { waitMs?: number } = {}): PurgeReport {
  const { sqlite } = db;
  const id = survey.id;
  const report = sqlite.transaction((): Omit<PurgeReport, 'fileClean'> => {
    const answers = sqlite.prepare('delete from answers where survey_id = ?').run(id).changes;
    const responses = sqlite.prepare('delete from responses where survey_id = ?').run(id).changes;
    // README choice 17: "not published" means not in the Working Group's latest published review.
    // "Every comment that was not published": kept are only the comments of the Working Group's
    // latest published review (a comment marked published after it, or never in a published
    // review, goes too). Without a published review, every comment goes.
    const comments = sqlite
      .prepare(
        // A published comment is kept when the review shows it: under its question, or among
        // "other comments" (questionId null) when the review names no comment of its question.
        `with review as (select content from reviews where survey_id = ? order by id desc limit 1)
         delete from comments where survey_id = ? and not (status = 'published' and exists (
           select 1 from json_each((select content from review), '$.comments') as j
           where json_extract(j.value, '$.text') = comments.text
             and (json_extract(j.value, '$.questionId') = comments.question_id
               or (json_extract(j.value, '$.questionId') is null and not exists (
                 select 1 from json_each((select content from review), '$.comments') as named
                 where json_extract(named.value, '$.questionId') = comments.question_id)))))`,
      )
      .run(id, id).changes;
    sqlite.prepare('delete from comment_themes where survey_id = ? and comment_id not in (select id from comments where survey_id = ?)').run(id, id);
    const invites = sqlite.prepare('delete from invites where survey_id = ?').run(id).changes;
    surveys.markPurged(id);
    return { responses, answers, comments, invites };
  })();
  // Out of the write-ahead log, then out of the file: VACUUM rewrites it without the freed pages.
  // A checkpoint can be kept from finishing by another connection's open read (db.checkpoint()
  // would say nothing): the rewritten pages would then sit in the log while the file keeps the old
  // ones. So it is retried, and the caller told when it could not finish.
  db.checkpoint();
  sqlite.exec('VACUUM');
  return { ...report, fileClean: db.checkpoint(waitMs) };
}
