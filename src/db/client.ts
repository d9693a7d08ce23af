/** Opens the SQLite file: creates its folder, sets the durability and privacy pragmas, migrates. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Past this size the checkpoint thread empties the write-ahead log at once, rather than at its
 * minute tick, and a log that was reset is cut back to it (journal_size_limit): under sustained
 * load the log otherwise grows without bound, holding arrival order until it is emptied (§2).
 */
export const WAL_LIMIT_BYTES = 4 * 1024 * 1024;

export interface Db {
  /** The connection: repositories prepare their statements on it once; pragmas. */
  sqlite: Database.Database;
  /**
   * Moves the write-ahead log into the database and empties it, so arrival order does not linger
   * (§2). A reader elsewhere (a backup, a CLI) can hold the log: retries for up to `waitMs`
   * (blocking) and answers whether the log is now empty.
   */
  checkpoint(waitMs?: number): boolean;
  close(): void;
}

/** The pragmas every connection uses; the bench applies the same ones to its bare baseline. */
function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  // A response is acknowledged only once it is on disk: nobody can be asked to answer again.
  sqlite.pragma('synchronous = FULL');
  // Deleted rows (purged surveys) are overwritten with zeros instead of lingering in free pages.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A log that was reset is truncated to this size by the next commit, so that one burst of
  // writes does not leave a large file behind (which would also keep old frames on disk longer).
  sqlite.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
}

/** wal_checkpoint(TRUNCATE), retried while another connection's readers hold the log. */
function truncateWal(sqlite: Database.Database, waitMs: number): boolean {
  const deadline = Date.now() + waitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    // Each attempt itself waits up to busy_timeout for a writer to finish.
    const [row] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!row || row.busy === 0) return true;
    if (Date.now() >= deadline) return false;
    Atomics.wait(pause, 0, 0, 100);
  }
}

export function openDatabase(path: string, options: { migrate?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  // The migrations are hand-written SQL files listed in migrations/meta/_journal.json. drizzle's
  // migrator applies, in one transaction, every entry whose `when` is later than the last one
  // recorded in __drizzle_migrations: a new entry must be later than all before it. The migrator
  // is the only use of drizzle at run time; the repositories prepare their own statements.
  if (options.migrate !== false) migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_FOLDER });
  let closed = false;
  return {
    sqlite,
    checkpoint(waitMs = 0) {
      if (closed) return false;
      return truncateWal(sqlite, waitMs);
    },
    close() {
      if (closed) return;
      try {
        truncateWal(sqlite, 2000);
        sqlite.pragma('optimize');
      } finally {
        closed = true;
        sqlite.close();
      }
    },
  };
}
