/** Access tokens (§9): random secrets shown once; only their SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Orm } from '../db/client.js';
import { tokens } from '../db/schema.js';

export const ROLES = ['admin', 'staff', 'wg'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  tokenId: number;
  label: string;
  role: Role;
}

export function generateToken(): string {
  return `cnd_${randomBytes(32).toString('base64url')}`;
}

/** Tokens carry 256 random bits, so a plain fast hash is enough: there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenLabelTaken extends Error {
  constructor(label: string) {
    super(`A token labelled "${label}" already exists (revoked ones too: labels are never reused); choose another label.`);
  }
}

export function createTokenRepository(orm: Orm) {
  return {
    /** Stores the hash of a new token and returns the token itself, which is never stored. */
    create(role: Role, label: string): string {
      const existing = orm.select({ id: tokens.id }).from(tokens).where(eq(tokens.label, label)).get();
      if (existing) throw new TokenLabelTaken(label);
      const token = generateToken();
      orm.insert(tokens).values({ role, label, tokenHash: hashToken(token) }).run();
      return token;
    },
    /** The active token with this secret, or undefined (unknown or revoked). */
    verify(token: string): Principal | undefined {
      const row = orm.select().from(tokens).where(eq(tokens.tokenHash, hashToken(token))).get();
      if (!row || row.revoked) return undefined;
      return { tokenId: row.id, label: row.label, role: row.role };
    },
    /** The token by id if still active: signed-in sessions re-check it on every request. */
    active(tokenId: number): Principal | undefined {
      const row = orm.select().from(tokens).where(eq(tokens.id, tokenId)).get();
      if (!row || row.revoked) return undefined;
      return { tokenId: row.id, label: row.label, role: row.role };
    },
    list() {
      return orm
        .select({ label: tokens.label, role: tokens.role, createdOn: tokens.createdOn, revoked: tokens.revoked })
        .from(tokens)
        .orderBy(tokens.label)
        .all();
    },
    /** Revokes by label; returns false when no active token has that label. */
    revoke(label: string): boolean {
      const result = orm.update(tokens).set({ revoked: true }).where(eq(tokens.label, label)).run();
      return result.changes > 0;
    },
  };
}
export type TokenRepository = ReturnType<typeof createTokenRepository>;
