/**
 * Writing responses, in batches: one transaction per batch, one savepoint per response. Shared by
 * the in-process writer and the writer thread (writer-thread.ts), so both store exactly the same
 * rows. Ids are random; the tables are WITHOUT ROWID, so nothing stored counts, dates or orders
 * the responses. An invitation code is spent here, in the same savepoint as its response: both
 * happen or neither, and nothing links the two. Each transaction that stores a response also adds
 * one to the file's rewrite counter, so the release job knows to rewrite the file's pages.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/** 128 random bits: never sequential, never derived from anything about the sender. */
export const randomId = (): string => randomBytes(16).toString('base64url');

/** One response as it is written: canonical answers, scrubbed comments, the hash of its code. */
export interface WriteItem {
  surveyId: number;
  answers: { questionId: string; value: string }[];
  cohort: string;
  comments: { questionId: string; text: string }[];
  /** Invite-only surveys: the hash of the code to spend (see invites/codes.ts). */
  codeHash?: string | undefined;
}

/** What happened to one item of a batch. */
export type Refusal = 'invite_code_used' | 'invite_code_invalid' | 'survey_not_open';
export type WriteOutcome = { ok: true } | { ok: false; refused: Refusal } | { ok: false; error: string };

class Refused extends Error {
  constructor(readonly refused: Refusal) {
    super(refused);
  }
}

/** How long a batch waits for the write lock (a purge's VACUUM, a backup) before it gives up. */
const BUSY_WAIT_MS = 60_000;
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function createBatchStore(sqlite: Database.Database): (batch: readonly WriteItem[]) => WriteOutcome[] {
  const insertResponse = sqlite.prepare('insert into responses (survey_id, id) values (?, ?)');
  const insertComment = sqlite.prepare('insert into comments (survey_id, id, question_id, text) values (?, ?, ?, ?)');
  const spendCode = sqlite.prepare('update invites set spent = 1 where survey_id = ? and code_hash = ? and spent = 0');
  const codeExists = sqlite.prepare('select 1 from invites where survey_id = ? and code_hash = ?').pluck();
  const surveyState = sqlite.prepare<[number], { status: string; closesAt: string | null }>('select status, closes_at as closesAt from surveys where id = ?');
  // New rows sit in their pages in the order they were written until the release job rewrites the
  // file (README, "Within a page"). One counter row, one more per transaction: it says how many
  // commits the next rewrite has to cover, never which response came when.
  const noteWrite = sqlite.prepare('update file_rewrite set writes_since = writes_since + 1 where id = 1');
  // One multi-row insert for a response's answers (about 20 % faster than one row at a time),
  // prepared once per number of answers.
  const answerInserts = new Map<number, Database.Statement>();
  const insertAnswers = (count: number): Database.Statement => {
    let statement = answerInserts.get(count);
    if (!statement) {
      const rows = Array.from({ length: count }, () => '(?, ?, ?, ?, ?)').join(', ');
      statement = sqlite.prepare(`insert into answers (survey_id, response_id, question_id, value, cohort) values ${rows}`);
      answerInserts.set(count, statement);
    }
    return statement;
  };

  // Called inside the batch's transaction, better-sqlite3 runs this as a savepoint: a refused
  // code or a failed insert undoes this response only.
  const writeOne = sqlite.transaction((item: WriteItem, now: number) => {
    const { surveyId } = item;
    // README choice 16: a response is checked against its survey again when it is written.
    // Checked again here, under the write lock: a response validated just before the survey
    // closed must not be stored after its final release has counted the rest (it would never be
    // released, yet its sender was told it was saved).
    const state = surveyState.get(surveyId);
    if (!state || state.status !== 'open' || (state.closesAt !== null && Date.parse(state.closesAt) <= now)) {
      throw new Refused('survey_not_open');
    }
    if (item.codeHash !== undefined && spendCode.run(surveyId, item.codeHash).changes !== 1) {
      throw new Refused(codeExists.get(surveyId, item.codeHash) ? 'invite_code_used' : 'invite_code_invalid');
    }
    const responseId = randomId();
    insertResponse.run(surveyId, responseId);
    if (item.answers.length > 0) {
      const params: (string | number)[] = [];
      for (const a of item.answers) params.push(surveyId, responseId, a.questionId, a.value, item.cohort);
      insertAnswers(item.answers.length).run(params);
    }
    // Comments get ids of their own: nothing ties them to the response or its grouping answers.
    for (const c of item.comments) insertComment.run(surveyId, randomId(), c.questionId, c.text);
  });

  const writeBatch = sqlite.transaction((batch: readonly WriteItem[]): WriteOutcome[] => {
    const outcomes = batch.map((item): WriteOutcome => {
      try {
        writeOne(item, Date.now());
        return { ok: true };
      } catch (err) {
        if (err instanceof Refused) return { ok: false, refused: err.refused };
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    });
    if (outcomes.some((o) => o.ok)) noteWrite.run();
    return outcomes;
  });

  return (batch) => {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (;;) {
      try {
        return writeBatch.immediate(batch);
      } catch (err) {
        // Another connection holds the write lock for longer than busy_timeout (a purge's VACUUM):
        // wait for it rather than fail partners' answers.
        if ((err as { code?: string }).code === 'SQLITE_BUSY' && Date.now() < deadline) {
          pause(200);
          continue;
        }
        // The commit itself failed: nothing of the batch is stored, and every sender is told so.
        const error = err instanceof Error ? err.message : String(err);
        return batch.map(() => ({ ok: false, error }));
      }
    }
  };
}
