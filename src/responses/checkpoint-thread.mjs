// The checkpoint thread: copies the write-ahead log into the database file every second
// (PASSIVE: it never waits for, nor blocks, the writer or the readers), so that the writer thread
// never stops to checkpoint in the middle of a commit and partners' replies keep a short tail.
// Once a minute it also tries to empty the log (TRUNCATE), without waiting: the log holds recent
// writes in the order they were made (§2), so it is emptied whenever nothing is writing, not only
// at the release job's runs. (Not more often: a truncated log must grow again, and the writes
// that grow it are slower — measured as a longer tail of partners' replies.)
// Plain JavaScript: it only needs better-sqlite3.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.databasePath);
db.pragma('busy_timeout = 0');
let ticks = 0;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (++ticks % 60 === 0) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Busy: the next tick tries again.
  }
}, workerData.intervalMs ?? 1000);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ closed: true });
});
