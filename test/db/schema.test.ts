/**
 * The migrations are hand-written SQL; src/db/schema.ts describes the same tables for drizzle's
 * types. These tests fail when the two disagree, and when the journal would make drizzle's
 * migrator skip a migration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase, type Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { tempDir } from '../helpers.js';

interface TableShape {
  /** Column name → declared type and whether NULL is refused. */
  columns: Record<string, { type: string; notNull: boolean }>;
  primaryKey: string[];
  /** Indexes made by CREATE INDEX (not those SQLite makes for a key). */
  indexes: Record<string, { unique: boolean; columns: string[] }>;
}

/** Every table src/db/schema.ts exports, as drizzle sees it. */
function described(): Record<string, TableShape> {
  const tables: Record<string, TableShape> = {};
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const columnName = (c: unknown) => {
      if (!is(c, SQLiteColumn)) throw new Error(`${config.name}: an index or key on an expression`);
      return c.name;
    };
    const single = config.columns.filter((c) => c.primary).map((c) => c.name);
    tables[config.name] = {
      columns: Object.fromEntries(config.columns.map((c) => [c.name, { type: c.getSQLType().toLowerCase(), notNull: c.notNull }])),
      primaryKey: single.length > 0 ? single : (config.primaryKeys[0]?.columns.map(columnName) ?? []),
      indexes: Object.fromEntries(config.indexes.map((i) => [i.config.name, { unique: i.config.unique, columns: i.config.columns.map(columnName) }])),
    };
  }
  return tables;
}

/** Every table of a migrated database, as SQLite reports it (drizzle's own bookkeeping left out). */
function migrated(db: Db): Record<string, TableShape> {
  const { sqlite } = db;
  const names = sqlite
    .prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> '__drizzle_migrations' order by name")
    .pluck()
    .all() as string[];
  const tables: Record<string, TableShape> = {};
  for (const name of names) {
    const columns = sqlite.prepare('select name, type, "notnull", pk from pragma_table_info(?) order by cid').all(name) as { name: string; type: string; notnull: number; pk: number }[];
    const indexes = sqlite.prepare("select name, \"unique\" from pragma_index_list(?) where origin = 'c'").all(name) as { name: string; unique: number }[];
    tables[name] = {
      columns: Object.fromEntries(columns.map((c) => [c.name, { type: c.type.toLowerCase(), notNull: c.notnull === 1 }])),
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      indexes: Object.fromEntries(
        indexes.map((i) => [i.name, { unique: i.unique === 1, columns: sqlite.prepare('select name from pragma_index_info(?) order by seqno').pluck().all(i.name) as string[] }]),
      ),
    };
  }
  return tables;
}

describe('src/db/schema.ts and the migrations', () => {
  it('describe the same tables: every column with its type and nullability, keys and indexes, both ways', () => {
    const db = openDatabase(join(tempDir(), 'candor.db'));
    try {
      const inSchema = described();
      const inDatabase = migrated(db);
      expect(Object.keys(inSchema).sort()).toEqual(Object.keys(inDatabase).sort());
      // Table by table, so that a failure names the table.
      for (const [table, shape] of Object.entries(inDatabase)) expect({ table, ...inSchema[table] }).toEqual({ table, ...shape });
    } finally {
      db.close();
    }
  });

  it('keep the journal in time order: the migrator skips an entry not later than the last one applied', () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string; when: number }[] };
    journal.entries.forEach((entry, i) => {
      expect(entry.idx, entry.tag).toBe(i);
      if (i > 0) expect(entry.when, entry.tag).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });
});
