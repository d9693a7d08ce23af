/** The SQLite file (§2, §11): folder created, durable and privacy pragmas, migrations applied once, WAL emptied. */
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
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

  it('upgrades a database made before answers were keyed by cell, keeping every answer', () => {
    // The migrations up to 0005, as an older Candor applied them, then a few stored answers.
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag === '0006_answers_keyed_by_cell');
    expect(upTo).toBeGreaterThan(0);
    const older = join(tempDir(), 'migrations');
    cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
    writeFileSync(join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
    const path = join(tempDir(), 'candor.db');
    const before = new Database(path);
    migrate(drizzle(before), { migrationsFolder: older });
    before.prepare("insert into surveys (slug, status, definition, min_group_size, min_diversity, min_comments, access, interim_releases) values ('s', 'open', '{}', 5, 1, 8, 'open', 0)").run();
    const rows = [
      ['r2', 'q1', '4', 'africa'],
      ['r1', 'q1', '4', 'africa'],
      ['r1', 'q2', 'a', 'africa'],
      ['r3', 'q1', '2', 'asia'],
    ];
    for (const id of new Set(rows.map((r) => r[0]!))) before.prepare('insert into responses (survey_id, id) values (1, ?)').run(id);
    for (const r of rows) before.prepare('insert into answers (survey_id, response_id, question_id, value, cohort) values (1, ?, ?, ?, ?)').run(...r);
    before.close();

    const db = openDatabase(path);
    const all = () => db.sqlite.prepare('select response_id, question_id, value, cohort from answers order by response_id, question_id').raw().all();
    expect(all()).toEqual([rows[1], rows[2], rows[0], rows[3]]);
    const key = db.sqlite.prepare("select name from pragma_index_xinfo('sqlite_autoindex_answers_1') where key = 1 order by seqno").pluck().all();
    expect(key).toEqual(['survey_id', 'question_id', 'value', 'cohort', 'response_id']);
    expect(db.sqlite.prepare("select count(*) from sqlite_schema where type = 'index' and tbl_name = 'answers' and sql is not null").pluck().get()).toBe(0);
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
