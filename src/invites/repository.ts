/** Data access for invitation codes: insert their hashes, count them. A code is spent by responses/store.ts. */
import type { Db } from '../db/client.js';
import { generateCode, hashCode } from './codes.js';

export function createInviteRepository(db: Db) {
  const { sqlite } = db;
  const insert = sqlite.prepare('insert into invites (survey_id, code_hash) values (?, ?)');
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

    counts(surveyId: number): { issued: number; spent: number } {
      const row = counts.get(surveyId);
      return { issued: row?.issued ?? 0, spent: row?.spent ?? 0 };
    },
  };
}
export type InviteRepository = ReturnType<typeof createInviteRepository>;
