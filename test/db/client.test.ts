/** The SQLite file (§2, §11): folder created, durable and privacy pragmas, migrations applied once, WAL emptied. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase } from '../../src/db/client.js';
import { makeApp, openSurvey, sampleAnswers, submit, tempDir } from '../helpers.js';

describe('openDatabase', () => {
  it('creates the database\'s folder when it is missing', () => {
    const path = join(tempDir(), 'nested', 'deeper', 'candor.db');
    const db = openDatabase(path);
    expect(existsSync(path)).toBe(true);
    db.close();
  });

  it('uses WAL with synchronous = FULL, secure_delete and foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'candor.db'));
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.sqlite.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies every migration on first open, and again on a second open changes nothing', () => {
    const path = join(tempDir(), 'candor.db');
    const first = openDatabase(path);
    const tables = () => first.sqlite.prepare("select name from sqlite_schema where type = 'table' order by name").pluck().all() as string[];
    for (const table of ['surveys', 'responses', 'answers', 'comments', 'tokens']) expect(tables()).toContain(table);
    first.sqlite.prepare("insert into tokens (label, role, token_hash) values ('x', 'staff', 'h')").run();
    const applied = first.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get();
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(applied).toBe(journal.entries.length);
    first.close();
    const second = openDatabase(path);
    expect(second.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get()).toBe(applied);
    expect(second.sqlite.prepare('select label from tokens').pluck().all()).toEqual(['x']);
    second.close();
  });

  it('makes every table STRICT, so a wrong type fails loudly', () => {
    const db = openDatabase(join(tempDir(), 'candor.db'));
    const list = db.sqlite.prepare("pragma table_list").all() as { name: string; schema: string; strict: number }[];
    const ours = list.filter((t) => t.schema === 'main' && !t.name.startsWith('sqlite_') && !t.name.startsWith('__drizzle'));
    expect(ours.length).toBeGreaterThanOrEqual(5);
    for (const t of ours) expect(t.strict, t.name).toBe(1);
    expect(() => db.sqlite.prepare("insert into tokens (label, role, token_hash, revoked) values ('x', 'staff', 'h', 'not a number')").run()).toThrow();
    db.close();
  });

  it('keeps migrations as named SQL files listed in the journal', () => {
    const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort();
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(files).toEqual(journal.entries.map((e) => `${e.tag}.sql`));
    for (const f of files) expect(f).toMatch(/^\d{4}_[a-z0-9]+(_[a-z0-9]+)+\.sql$/);
  });
});

describe('the write-ahead log', () => {
  it('is emptied by a checkpoint and when the app closes, so arrival order does not linger', async () => {
    const t = await makeApp();
    await openSurvey(t);
    for (let i = 0; i < 5; i++) await submit(t, 'learning-lab-2026', { answers: sampleAnswers() });
    const wal = `${t.config.databasePath}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(0);
    t.db.checkpoint();
    expect(statSync(wal).size).toBe(0);
    await submit(t, 'learning-lab-2026', { answers: sampleAnswers() });
    expect(statSync(wal).size).toBeGreaterThan(0);
    await t.app.close();
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    // Acknowledged responses are in the database itself.
    const reopened = openDatabase(t.config.databasePath);
    expect(reopened.sqlite.prepare('select count(*) from responses').pluck().get()).toBe(6);
    reopened.close();
  });
});
