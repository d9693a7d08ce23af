/** Shared by the invitation and retention tests: the raw bytes of a database, the spellings of a code, rank correlation. */
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

/** Ranks (1-based, ties averaged). */
export function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation of two equally long series. */
export function spearman(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length < 3) throw new Error('spearman needs two series of the same length (at least 3)');
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (a.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}
