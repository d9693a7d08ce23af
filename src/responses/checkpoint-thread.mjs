// The checkpoint thread: copies the write-ahead log into the database file every second
// (PASSIVE: it never waits for, nor blocks, the writer or the readers), so that the writer thread
// never stops to checkpoint in the middle of a commit and partners' replies keep a short tail.
// The log holds recent writes in the order they were made (§2), so it is also emptied:
// - by size: every 100 ms it looks at the -wal file, and past `walLimitBytes` (a few MB) it
//   checkpoints the whole log and resets it (RESTART) at once. Under sustained load a PASSIVE
//   checkpoint never catches up with the writer, so without this the log grows without bound
//   (300 MB was seen). The writer's next commit then starts the log again from its beginning and,
//   by journal_size_limit, cuts the file back to the limit: it stays a few MB, its old frames
//   overwritten by new ones;
// - by time: once a minute it tries to empty the log (TRUNCATE), without waiting, so that it is
//   emptied whenever nothing is writing, not only at the release job's runs. (Not more often: a
//   truncated log must grow again, and the writes that grow it are slower — measured as a longer
//   tail of partners' replies. The reset above reuses the file for the same reason.)
// Plain JavaScript: it only needs better-sqlite3.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { databasePath, walLimitBytes = 4 * 1024 * 1024, intervalMs = 1000 } = workerData;
const SIZE_CHECK_MS = 100;
const TRUNCATE_EVERY_MS = 60_000;
// How long a reset may wait for the writer's commit under way (a few ms each) to end, and then for
// readers to move on: it holds the write lock during the latter, so partners wait as long at most.
const RESTART_WAIT_MS = 250;

const walPath = `${databasePath}-wal`;
const walSize = () => statSync(walPath, { throwIfNoEntry: false })?.size ?? 0;

const db = new Database(databasePath);
db.pragma('busy_timeout = 0');
let lastPassive = Date.now();
let lastTruncate = Date.now();
const timer = setInterval(() => {
  const now = Date.now();
  try {
    if (walSize() > walLimitBytes) {
      // Most frames first, without a lock; then the rest, and the reset, under the write lock.
      db.pragma('wal_checkpoint(PASSIVE)');
      db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
      try {
        db.pragma('wal_checkpoint(RESTART)');
      } finally {
        db.pragma('busy_timeout = 0');
      }
      lastPassive = now;
    } else if (now - lastTruncate >= TRUNCATE_EVERY_MS) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      lastTruncate = lastPassive = now;
    } else if (now - lastPassive >= intervalMs) {
      db.pragma('wal_checkpoint(PASSIVE)');
      lastPassive = now;
    }
  } catch {
    // Busy: the next tick tries again.
  }
}, SIZE_CHECK_MS);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ closed: true });
});
