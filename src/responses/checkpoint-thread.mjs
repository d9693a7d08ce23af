// The checkpoint thread: copies the write-ahead log into the database file every second
// (PASSIVE: it never waits for, nor blocks, the writer or the readers), so that the writer thread
// never stops to checkpoint in the middle of a commit and partners' replies keep a short tail.
// The log holds recent writes in the order they were made (§2), so it is also emptied:
// - by size: every 100 ms it looks at the -wal file, and past `walLimitBytes` (a few MB) it
//   checkpoints at once rather than at the next second. Under sustained load a checkpoint once a
//   second never catches up with the writer, so without this the log grows without bound (300 MB
//   was seen). Once a checkpoint has copied every frame, the writer's next commit starts the log
//   again from its beginning and, by journal_size_limit, cuts the file back to the limit: it stays
//   a few MB, its old frames overwritten by new ones. The writer itself resets the log past three
//   times the limit, should this thread fall behind;
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
      // Every 100 ms while the log is over the limit, without a lock: once every frame is copied,
      // the writer's next commit starts the log again from its beginning (and journal_size_limit
      // cuts the file back). A RESTART here, under the write lock, doubled partners' p99 (59–67 →
      // 136 ms in the submissions bench); when this cannot keep up, the writer resets the log
      // itself past three times the limit (writer-thread.ts).
      db.pragma('wal_checkpoint(PASSIVE)');
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
