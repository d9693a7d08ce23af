/** Shared by the invitation and retention tests: the raw bytes of a database, the spellings of a code (rank correlation lives in test/stats.ts). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every byte of the database's files (the .db, its -wal and -shm), as latin1 text for searching. */
export function databaseBytes(path: string): string {
  const dir = dirname(path);
  const base = path.slice(dir.length + 1);
  return readdirSync(dir)
    .filter((f) => f === base || f === `${base}-wal` || f === `${base}-shm` || f === `${base}-journal`)
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

/** The spellings of a code someone could search the files for. */
export const spellings = (code: string) => [code, code.replace(/-/g, ''), code.toLowerCase(), code.replace(/-/g, '').toLowerCase(), code.slice(0, 9)];

export { ranks, spearman } from '../stats.js';
