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

export { randomId };

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
  else if (outcome && 'refused' in outcome) pending.reject(new CandorError(outcome.refused === 'invite_code_used' ? 409 : 403, outcome.refused));
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
    }
    let thread: Thread | undefined;
    const inFlight = new Map<number, Pending[]>();
    let ids = 0;
    let failed: Error | undefined;
    // Started with the first response, not with the app: most apps (commands, tests) store none.
    const start = (): Thread => {
      // writer-thread.mjs loads writer-thread.ts through tsx, wherever the server was started from.
      const worker = new Worker(new URL('./writer-thread.mjs', import.meta.url), { workerData: { databasePath } });
      const ready = new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (message: { ready?: true; id?: number; outcomes?: WriteOutcome[] }) => {
          if (message.ready) resolve();
          if (message.id !== undefined) {
            const batch = inFlight.get(message.id)!;
            inFlight.delete(message.id);
            done(batch, message.outcomes ?? []);
          }
        });
      });
      worker.on('error', (err) => {
        failed = err;
        for (const [, batch] of inFlight) done(batch, []);
        inFlight.clear();
      });
      ready.catch((err: unknown) => (failed = err as Error));
      return { worker, ready };
    };
    send = (batch) => {
      if (failed) return done(batch, []);
      thread ??= start();
      const id = ++ids;
      inFlight.set(id, batch);
      thread.worker.postMessage({ id, batch: batch.map((p) => p.item) });
    };
    close = async () => {
      if (!thread) return;
      const { worker, ready } = thread;
      await ready.catch(() => undefined);
      // Whatever was accepted is written before the thread stops.
      while (!failed && (busy || queue.length > 0)) await new Promise((r) => setTimeout(r, 5));
      if (!failed) {
        await new Promise<void>((resolve) => {
          worker.on('message', (m: { closed?: true }) => m.closed && resolve());
          worker.postMessage({ close: true });
        });
      }
      await worker.terminate();
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
