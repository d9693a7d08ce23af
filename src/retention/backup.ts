/**
 * Online backup (§10) with SQLite's backup API: a consistent copy taken while Candor runs, which
 * can be restored by pointing DATABASE_PATH at it. It holds what the database holds — guard it
 * like the answers themselves.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Db } from '../db/client.js';

export async function backupDatabase(db: Db, destination: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  mkdirSync(dirname(resolve(destination)), { recursive: true });
  if (existsSync(destination)) throw new Error(`${destination} already exists; choose another file (a backup never overwrites one).`);
  await db.sqlite.backup(destination, {
    progress: ({ totalPages, remainingPages }) => {
      onProgress?.(totalPages - remainingPages, totalPages);
      return 200; // pages per step: other connections keep working between steps
    },
  });
}
