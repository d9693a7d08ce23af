/**
 * Stores responses with group commit: the responses that arrive while a commit is under way are
 * written together in the next one (one transaction, a savepoint each), and each request is
 * answered only once its transaction is on disk. One fsync then serves many partners, and
 * nothing acknowledged can be lost.
 *
 * Two engines share store.ts: a writer thread (the server's: commits never block the event loop)
 * and the calling thread itself (for commands, tests and in-memory databases).
 */
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/client.js';
import { CandorError } from '../errors.js';
import type { ParsedResponse } from './validate.js';
import { createBatchStore, randomId, type WriteItem, type WriteOutcome } from './store.js';

{ randomId };

export interface StoredText {
  questionId: string;
  /** Already scrubbed. */
  text: string;
}

interface Pending {
  item: WriteItem;
  resolve(): void;
  reject(err: Error): void;
}

function settle(pending: Pending, outcome: WriteOutcome | undefined): void {
  if (outcome?.ok) pending.resolve();
  else if (outcome && 'refused' in outcome) {
    pending.reject(new CandorError(outcome.refused));
  }
  else pending.reject(new Error(`the response could not be stored: ${outcome?.error ?? 'no answer from the writer'}`));
}

export interface ResponseRepositoryOptions {
  /** Store from a writer thread (default: in the calling thread). Needs a database file. */
  thread?: { databasePath: string };
}

export function createResponseRepository(db: Db, options: ResponseRepositoryOptions = {}) {
  let queue: Pending[] = [];
  let busy = false;
  let send: (batch: Pending[]) => void;
  let close: () => Promise<void> = async () => {};

  const next = () => {
    if (busy || queue.length === 0) return;
    busy = true;
    const batch = queue;
    queue = [];
    send(batch);
  };
  const done = (batch: Pending[], outcomes: readonly (WriteOutcome | undefined)[]) => {
    batch.forEach((p, i) => settle(p, outcomes[i]));
    busy = false;
    next();
  };

  if (options.thread) {
    const { databasePath } = options.thread;
    interface Thread {
      worker: Worker;
      ready: Promise<void>;
      /** Set once the thread has failed or stopped: its batches are answered with an error. */
      dead: boolean;
    }
    let thread: Thread | undefined;
    const inFlight = new Map<number, Pending[]>();
    let ids = 0;
    let closing = false;

    /** A thread that died answers its batches with an error (nothing of them is stored). */
    const bury = (t: Thread) => {
      if (t.dead) return;
      t.dead = true;
      if (thread === t) thread = undefined; // the next batch starts a new thread
      for (const [id, batch] of inFlight) {
        inFlight.delete(id);
        done(batch, []);
      }
    };

    // Started with the first response, not with the app: most apps (commands, tests) store none.
    const start = (): Thread => {
      // writer-thread.mjs loads writer-thread.ts through tsx, wherever the server was started from.
      const worker = new Worker(new URL('./writer-thread.mjs', import.meta.url), { workerData: { databasePath } });
      const t: Thread = { worker, ready: Promise.resolve(), dead: false };
      t.ready = new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', () => reject(new Error('the writer thread stopped')));
        worker.on('message', (message: { ready?: true; id?: number; outcomes?: WriteOutcome[] }) => {
          if (message.ready) resolve();
          if (message.id !== undefined && inFlight.has(message.id)) {
            const batch = inFlight.get(message.id)!;
            inFlight.delete(message.id);
            done(batch, message.outcomes ?? []);
          }
        });
      });
      t.ready.catch(() => undefined);
      worker.on('error', () => bury(t));
      worker.on('exit', () => bury(t));
      return t;
    };
    send = (batch) => {
      if (closing && !thread) return done(batch, []);
      thread ??= start();
      const id = ++ids;
      inFlight.set(id, batch);
      thread.worker.postMessage({ id, batch: batch.map((p) => p.item) });
    };
    close = async () => {
      const t = thread;
      if (!t) return;
      await t.ready.catch(() => undefined);
      // Whatever was accepted is written before the thread stops (for a minute at most).
      const deadline = Date.now() + 60_000;
      while (!t.dead && (busy || queue.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      closing = true;
      if (!t.dead) {
        await Promise.race([
          new Promise<void>((resolve) => {
            t.worker.on('message', (m: { closed?: true }) => m.closed && resolve());
            t.worker.postMessage({ close: true });
          }),
          new Promise<void>((resolve) => t.worker.once('exit', () => resolve())),
          new Promise<void>((resolve) => setTimeout(resolve, 10_000)),
        ]);
      }
      await t.worker.terminate();
    };
  } else {
    const writeBatch = createBatchStore(db.sqlite);
    // After the I/O callbacks of this turn of the event loop: every request already read joins.
    send = (batch) => setImmediate(() => done(batch, writeBatch(batch.map((p) => p.item))));
  }

  return {
    /**
     * Stores a response; resolves once it is durable. Rejects with a 409/403 CandorError when its
     * invitation code is spent or unknown, or with the database's error; then nothing of it is stored.
     */
    store(surveyId: number, response: ParsedResponse, texts: StoredText[], codeHash?: string): Promise<void> {
      return new Promise((resolve, reject) => {
        queue.push({ item: { surveyId, answers: response.answers, cohort: response.cohort, comments: texts, codeHash }, resolve, reject });
        next();
      });
    },
    /** Waits for everything accepted to be written, then stops the writer thread. */
    close: () => close(),
  };
}
export type ResponseRepository = ReturnType<typeof createResponseRepository>;
