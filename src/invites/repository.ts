/** Data access for invitation codes: insert their hashes, count them. A code is spent by responses/store.ts. */
import type { Db } from '../db/client.js';
import { CandorError } from '../errors.js';
import { generateCode, hashCode } from './codes.js';

export function createInviteRepository(db: Db) {
  const { sqlite } = db;
  const insert = sqlite.prepare('insert into invites (survey_id, code_hash) values (?, ?)');
  const exists = sqlite.prepare<[number, string], number>('select 1 from invites where survey_id = ? and code_hash = ?').pluck();
  const counts = sqlite.prepare<[number], { issued: number; spent: number | null }>(
    'select count(*) as issued, sum(spent) as spent from invites where survey_id = ?',
  );
  const closed = sqlite
    .prepare<[number, number], number>("select 1 from surveys where id = ? and (status = 'closed' or exists (select 1 from releases where survey_id = ? and final = 1))")
    .pluck();

  const generate = sqlite.transaction((surveyId: number, count: number): string[] => {
    // §5: the number of codes issued is published with the final release, and must stay true.
    // Checked in the writing transaction, not before it: the job closes a survey from another
    // connection when its closesAt passes, and makes the final release right after.
    if (closed.get(surveyId, surveyId)) throw new CandorError('survey_closed');
    const codes: string[] = [];
    while (codes.length < count) {
      const code = generateCode();
      // A collision of 60 random bits is vanishingly rare, but must not be silently shared.
      if (exists.get(surveyId, hashCode(surveyId, code))) continue;
      insert.run(surveyId, hashCode(surveyId, code));
      codes.push(code);
    }
    return codes;
  });

  return {
    /**
     * Makes `count` new codes and stores their hashes; the codes themselves exist only in the
     * reply. Refused (409, nothing stored) once the survey has closed or has its final release.
     */
    generate: (surveyId: number, count: number): string[] => generate.immediate(surveyId, count),

    counts(surveyId: number): { issued: number; spent: number } {
      const row = counts.get(surveyId);
      return { issued: row?.issued ?? 0, spent: row?.spent ?? 0 };
    },
  };
}
export type InviteRepository = ReturnType<typeof createInviteRepository>;
