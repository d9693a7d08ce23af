// The checkpoint thread: copies the write-ahead log into the database file a few times a second
// (PASSIVE: it never waits for, nor blocks, the writer or the readers), so that the writer thread
// never stops to checkpoint in the middle of a commit and partners' replies keep a short tail.
// Plain JavaScript: it only needs better-sqlite3.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.databasePath);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs ?? 1000);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ closed: true });
});
