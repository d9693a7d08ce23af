/** Data access for sign-in sessions: random ids, an expiry, the token they belong to. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';

export function createSessionRepository(db: Db) {
  const { sqlite } = db;
  // Prepared once: tokenOf runs on every signed-in request.
  const clearExpired = sqlite.prepare<[number]>('delete from sessions where expires_at < ?');
  const insert = sqlite.prepare<[string, number, number]>('insert into sessions (id, token_id, expires_at) values (?, ?, ?)');
  const live = sqlite.prepare<[string, number], number>('select token_id from sessions where id = ? and expires_at > ?').pluck();
  const remove = sqlite.prepare<[string]>('delete from sessions where id = ?');

  return {
    /** Starts a session; expired ones are cleared on the way. */
    start(tokenId: number, expiresAt: number, now: number): string {
      clearExpired.run(now);
      const id = randomBytes(24).toString('base64url');
      insert.run(id, tokenId, expiresAt);
      return id;
    },
    /** The token id of a live session, or undefined. */
    tokenOf(id: string, now: number): number | undefined {
      return live.get(id, now);
    },
    end(id: string): void {
      remove.run(id);
    },
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
