/** Access tokens (§9): shown once, only a hash stored, revocable; Bearer gives 401 or 403 as specified. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenRepository, hashToken, ROLES, TokenLabelTaken } from '../../src/access/tokens.js';
import { openDatabase } from '../../src/db/client.js';
import { makeApp, tempDir } from '../helpers.js';

const freshRepo = () => {
  const path = join(tempDir(), 'tokens.db');
  const db = openDatabase(path);
  return { db, path, repo: createTokenRepository(db) };
};

describe('the token repository', () => {
  it('returns a long random token and stores only its hash: the token is nowhere in the database files', () => {
    const { db, path, repo } = freshRepo();
    const token = repo.create('staff', 'Amina, programme staff');
    // 256 random bits in base64url, after a prefix that makes a leaked token easy to recognise.
    expect(token).toMatch(/^cnd_[A-Za-z0-9_-]{43}$/);
    const row = db.sqlite.prepare('select * from tokens').get() as Record<string, unknown>;
    expect(Object.values(row)).not.toContain(token);
    expect(row.token_hash).toBe(hashToken(token));
    expect(row.token_hash).not.toContain(token.slice(4, 20));
    db.close();
    const bytes = readdirSync(dirname(path)).map((f) => readFileSync(join(dirname(path), f)).toString('latin1')).join('');
    expect(bytes).toContain(hashToken(token));
    expect(bytes).not.toContain(token);
    expect(bytes).not.toContain(token.slice(4));
  });

  it('verifies a token to its label and role, and nothing else', () => {
    const { repo } = freshRepo();
    const tokens = Object.fromEntries(ROLES.map((role) => [role, repo.create(role, `${role} person`)]));
    for (const role of ROLES) expect(repo.verify(tokens[role]!)).toMatchObject({ role, label: `${role} person` });
    expect(new Set(Object.values(tokens)).size).toBe(ROLES.length);
    expect(repo.verify('cnd_unknown')).toBeUndefined();
    expect(repo.verify('')).toBeUndefined();
    expect(repo.verify(hashToken(tokens.staff!))).toBeUndefined(); // the stored hash is not a token
  });

  it('revokes by label, at once', () => {
    const { repo } = freshRepo();
    const token = repo.create('wg', 'Working group reviewer');
    const principal = repo.verify(token)!;
    expect(repo.revoke('Working group reviewer')).toBe(true);
    expect(repo.verify(token)).toBeUndefined();
    expect(repo.active(principal.tokenId)).toBeUndefined();
    expect(repo.revoke('nobody')).toBe(false);
  });

  it('refuses a second token with the same label', () => {
    const { repo } = freshRepo();
    repo.create('staff', 'same');
    expect(() => repo.create('admin', 'same')).toThrow(TokenLabelTaken);
  });

  it('lists labels, roles, creation days and revocation, never a token or a hash', () => {
    const { repo } = freshRepo();
    const a = repo.create('staff', 'b-staff');
    repo.create('wg', 'a-wg');
    repo.revoke('a-wg');
    const list = repo.list();
    expect(list.map((t) => [t.label, t.role, t.revoked])).toEqual([
      ['a-wg', 'wg', true],
      ['b-staff', 'staff', false],
    ]);
    for (const t of list) {
      expect(t.createdOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(JSON.stringify(t)).not.toContain(hashToken(a));
      expect(JSON.stringify(t)).not.toContain(a);
    }
  });
});

describe('Authorization: Bearer', () => {
  it('accepts the token in any case of "Bearer", and refuses other schemes and revoked tokens with 401', async () => {
    const t = await makeApp();
    const token = t.token('staff');
    const get = (authorization?: string) => t.app.inject({ method: 'GET', url: '/api/surveys', headers: authorization ? { authorization } : {} });
    expect((await get(`Bearer ${token}`)).statusCode).toBe(200);
    expect((await get(`bearer ${token}`)).statusCode).toBe(200);
    for (const bad of [undefined, token, `Basic ${token}`, `Bearer ${token}x`, `Bearer ${hashToken(token)}`, 'Bearer ', `Bearer ${token} extra`]) {
      expect((await get(bad)).statusCode, String(bad)).toBe(401);
    }
    t.app.tokens.revoke('staff-0');
    expect((await get(`Bearer ${token}`)).statusCode).toBe(401);
  });

  it('answers 403 to a known token without the role, and lets admin through', async () => {
    const t = await makeApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('wg') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('admin') })).statusCode).toBe(200);
  });
});
