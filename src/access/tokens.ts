/** Access tokens (§9): random secrets shown once; only their SHA-256 is stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';

export const ROLES = ['admin', 'staff', 'wg'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  tokenId: number;
  label: string;
  role: Role;
}

function generateToken(): string {
  return `cnd_${randomBytes(32).toString('base64url')}`;
}

/** Tokens carry 256 random bits, so a plain fast hash is enough: there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface TokenRow {
  id: number;
  label: string;
  role: Role;
  revoked: number;
}

export class TokenLabelTaken extends Error {
  constructor(label: string) {
    super(`A token labelled "${label}" already exists (revoked ones too: labels are never reused); choose another label.`);
  }
}

export function createTokenRepository(db: Db) {
  const { sqlite } = db;
  // Prepared once: verify and active run on every signed-in request.
  const byLabel = sqlite.prepare<[string], number>('select id from tokens where label = ?').pluck();
  const insert = sqlite.prepare<[string, string, string]>('insert into tokens (role, label, token_hash) values (?, ?, ?)');
  const byHash = sqlite.prepare<[string], TokenRow>('select id, label, role, revoked from tokens where token_hash = ?');
  const byId = sqlite.prepare<[number], TokenRow>('select id, label, role, revoked from tokens where id = ?');
  const all = sqlite.prepare<[], { label: string; role: Role; createdOn: string; revoked: number }>(
    'select label, role, created_on as createdOn, revoked from tokens order by label',
  );
  const revokeByLabel = sqlite.prepare<[string]>('update tokens set revoked = 1 where label = ?');

  const toPrincipal = (row: TokenRow | undefined): Principal | undefined =>
    !row || row.revoked ? undefined : { tokenId: row.id, label: row.label, role: row.role };

  return {
    /** Stores the hash of a new token and returns the token itself, which is never stored. */
    create(role: Role, label: string): string {
      if (byLabel.get(label) !== undefined) throw new TokenLabelTaken(label);
      const token = generateToken();
      insert.run(role, label, hashToken(token));
      return token;
    },
    /** The active token with this secret, or undefined (unknown or revoked). */
    verify(token: string): Principal | undefined {
      return toPrincipal(byHash.get(hashToken(token)));
    },
    /** The token by id if still active: signed-in sessions re-check it on every request. */
    active(tokenId: number): Principal | undefined {
      return toPrincipal(byId.get(tokenId));
    },
    list(): { label: string; role: Role; createdOn: string; revoked: boolean }[] {
      return all.all().map((r) => ({ ...r, revoked: r.revoked === 1 }));
    },
    /** Revokes by label; returns false when no active token has that label. */
    revoke(label: string): boolean {
      return revokeByLabel.run(label).changes > 0;
    },
  };
}
export type TokenRepository = ReturnType<typeof createTokenRepository>;
