/** Data access for invitation codes: insert hashes, spend one inside a response's transaction, count. */
import type { Db } from '../db/client.js';
import { CandorError } from '../errors.js';
import { generateCode, hashCode } from './codes.js';

export function createInviteRepository(db: Db) {
  const { sqlite } = db;
  const insert = sqlite.prepare('insert into invites (survey_id, code_hash) values (?, ?)');
  const spend = sqlite.prepare('update invites set spent = 1 where survey_id = ? and code_hash = ? and spent = 0');
  const exists = sqlite.prepare<[number, string], number>('select 1 from invites where survey_id = ? and code_hash = ?').pluck();
  const counts = sqlite.prepare<[number], { issued: number; spent: number | null }>(
    'select count(*) as issued, sum(spent) as spent from invites where survey_id = ?',
  );

  return {
    /** Makes `count` new codes and stores their hashes; the codes themselves exist only in the reply. */
    generate: sqlite.transaction((surveyId: number, count: number): string[] => {
      const codes: string[] = [];
      while (codes.length < count) {
        const code = generateCode();
        // A collision of 60 random bits is vanishingly rare, but must not be silently shared.
        if (exists.get(surveyId, hashCode(surveyId, code))) continue;
        insert.run(surveyId, hashCode(surveyId, code));
        codes.push(code);
      }
      return codes;
    }),

    /**
     * Spends a code. Called inside the transaction that stores the response, so both happen or
     * neither; throws 403 for an unknown code and 409 for a spent one.
     */
    spend(surveyId: number, code: string): void {
      const hash = hashCode(surveyId, code);
      if (spend.run(surveyId, hash).changes === 1) return;
      throw exists.get(surveyId, hash) ? new CandorError(409, 'invite_code_used') : new CandorError(403, 'invite_code_invalid');
    },

    counts(surveyId: number): { issued: number; spent: number } {
      const row = counts.get(surveyId);
      return { issued: row?.issued ?? 0, spent: row?.spent ?? 0 };
    },
  };
}
export type InviteRepository = ReturnType<typeof createInviteRepository>;
