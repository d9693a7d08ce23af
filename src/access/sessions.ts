/** Data access for sign-in sessions: random ids, an expiry, the token they belong to. */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Orm } from '../db/client.js';
import { sessions } from '../db/schema.js';

export function createSessionRepository(orm: Orm) {
  return {
    /** Starts a session; expired ones are cleared on the way. */
    start(tokenId: number, expiresAt: number, now: number): string {
      orm.delete(sessions).where(lt(sessions.expiresAt, now)).run();
      const id = randomBytes(24).toString('base64url');
      orm.insert(sessions).values({ id, tokenId, expiresAt }).run();
      return id;
    },
    /** The token id of a live session, or undefined. */
    tokenOf(id: string, now: number): number | undefined {
      return orm
        .select({ tokenId: sessions.tokenId })
        .from(sessions)
        .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
        .get()?.tokenId;
    },
    end(id: string): void {
      orm.delete(sessions).where(eq(sessions.id, id)).run();
    },
  };
}
