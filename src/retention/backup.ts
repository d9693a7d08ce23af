/**
 * Online backup (§10): `VACUUM INTO`, a consistent copy taken while Candor runs (writers go on),
 * which can be restored by pointing DATABASE_PATH at it. Unlike a page-by-page copy, it rebuilds
 * every page in key order: within a page, rows of a live database sit in the order they were
 * written until the page is next rewritten, and a backup must not carry that trace away. It holds
 * what the database holds otherwise — guard it like the answers themselves.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Db } from '../db/client.js';

export function backupDatabase(db: Db, destination: string): { bytes: number } {
  mkdirSync(dirname(resolve(destination)), { recursive: true });
  if (existsSync(destination)) throw new Error(`${destination} already exists; choose another file (a backup never overwrites one).`);
  db.sqlite.prepare('VACUUM INTO ?').run(resolve(destination));
  return { bytes: statSync(destination).size };
}
