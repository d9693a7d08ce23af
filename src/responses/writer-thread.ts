/**
 * The writer thread: owns the connection that stores responses, so that the commits (an fsync
 * each, synchronous = FULL) and the write-ahead log's checkpoints never block the event loop that
 * serves partners. Receives batches, answers one outcome per response.
 */
import { statSync } from 'node:fs';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { openDatabase, WAL_LIMIT_BYTES } from '../db/client.js';
import { createBatchStore, type WriteItem } from './store.js';

const { databasePath } = workerData as { databasePath: string };
// The main thread has applied the migrations already.
const db = openDatabase(databasePath, { migrate: false });
// The writer never checkpoints: the checkpoint thread does, beside it, so that no commit waits for
// the log to be copied into the file. (The release job still empties the log at every run, §2.)
db.sqlite.pragma('wal_autocheckpoint = 0');
const checkpointer = new Worker(new URL('./checkpoint-thread.mjs', import.meta.url), { workerData: { databasePath, walLimitBytes: WAL_LIMIT_BYTES } });
// A failed checkpoint thread must not take the writer down: the release job still empties the log.
checkpointer.on('error', () => undefined);
const writeBatch = createBatchStore(db.sqlite);
/** Three times the checkpoint thread's limit: reached only when that thread falls behind. */
const WAL_CEILING_BYTES = 3 * WAL_LIMIT_BYTES;
const walSize = () => statSync(`${databasePath}-wal`, { throwIfNoEntry: false })?.size ?? 0;

parentPort!.on('message', (message: { id: number; batch: WriteItem[] } | { close: true }) => {
  if ('close' in message) {
    checkpointer.once('message', () => {
      void checkpointer.terminate();
      db.close();
      parentPort!.postMessage({ closed: true });
    });
    checkpointer.postMessage('close');
    return;
  }
  parentPort!.postMessage({ id: message.id, outcomes: writeBatch(message.batch) });
  // The backstop of the checkpoint thread's reset by size: on a machine too busy to schedule that
  // thread in time, the writer resets the log itself once it passes the ceiling (after answering,
  // so only the next batch waits). The log then never holds much more than the ceiling.
  if (walSize() > WAL_CEILING_BYTES) {
    try {
      db.sqlite.pragma('wal_checkpoint(RESTART)');
    } catch {
      // Readers held it past busy_timeout: the next batch tries again.
    }
  }
});
parentPort!.postMessage({ ready: true });
