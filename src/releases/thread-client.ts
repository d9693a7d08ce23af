/**
 * The main thread's side of the release job's thread: the same calls as the job itself
 * (run, release, retryCheckpoint), each a message answered by the thread. A thread that stops is
 * started again at the next call; a call it could not answer fails with an error the caller logs.
 */
import { Worker } from 'node:worker_threads';
import type { ReleaseOutcome, RunSummary } from './job.js';

export type JobCommand = { id: number } & ({ kind: 'run' } | { kind: 'release'; slug: string } | { kind: 'retryCheckpoint' });
export type JobReply = { id: number; walPending: boolean; warnings: string[] } & ({ ok: true; value: unknown } | { ok: false; error: string });

/** What the server needs of the job, wherever it runs. */
export interface JobApi {
  run(): Promise<RunSummary | undefined>;
  release(survey: { slug: string }): Promise<ReleaseOutcome>;
  retryCheckpoint(): Promise<boolean>;
  walPending(): boolean;
  close(): Promise<void>;
}

export function startJobThread(databasePath: string, warn: (message: string) => void, freeLease: (holder: string) => void): JobApi {
  let worker: Worker | undefined;
  let ready: Promise<void> = Promise.resolve();
  let nextId = 1;
  let walPending = false;
  /** The lease holder of the running thread's job. */
  let holder: string | undefined;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const start = (): Worker => {
    // job-thread.mjs loads job-thread.ts through tsx, wherever the server was started from.
    const w = new Worker(new URL('./job-thread.mjs', import.meta.url), { workerData: { databasePath } });
    ready = new Promise<void>((resolve, reject) => {
      w.once('exit', () => reject(new Error('the release job thread stopped')));
      w.on('message', (m: JobReply | { ready: true; holder: string } | { closed: true }) => {
        if ('ready' in m) {
          holder = m.holder;
          return resolve();
        }
        if ('closed' in m) return;
        walPending = m.walPending;
        for (const line of m.warnings) warn(line);
        const call = waiting.get(m.id);
        waiting.delete(m.id);
        if (!call) return;
        if (m.ok) call.resolve(m.value);
        else call.reject(new Error(m.error));
      });
    });
    ready.catch(() => undefined);
    const bury = (err: Error) => {
      if (worker !== w) return;
      worker = undefined;
      // A thread that died mid-run never freed its lease: free it, or every call would wait for it to expire.
      if (holder) freeLease(holder);
      holder = undefined;
      // Calls in flight are answered with the error: their releases are retried by the caller.
      for (const [id, call] of waiting) {
        waiting.delete(id);
        call.reject(err);
      }
    };
    w.on('error', (err) => {
      warn(`the release job thread failed: ${err.message}`);
      bury(err);
    });
    w.on('exit', () => bury(new Error('the release job thread stopped')));
    return w;
  };

  const call = async <T>(command: { kind: 'run' } | { kind: 'release'; slug: string } | { kind: 'retryCheckpoint' }): Promise<T> => {
    const w = (worker ??= start());
    await ready;
    if (worker !== w) throw new Error('the release job thread stopped');
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ ...command, id });
    });
  };

  return {
    run: () => call<RunSummary | undefined>({ kind: 'run' }),
    release: (survey) => call<ReleaseOutcome>({ kind: 'release', slug: survey.slug }),
    retryCheckpoint: () => call<boolean>({ kind: 'retryCheckpoint' }),
    walPending: () => walPending,
    async close() {
      const w = worker;
      if (!w) return;
      worker = undefined;
      await ready.catch(() => undefined);
      // Commands already sent are answered first: the thread takes messages in order.
      await Promise.race([
        new Promise<void>((resolve) => {
          w.on('message', (m: { closed?: true }) => m.closed && resolve());
          w.postMessage({ close: true });
        }),
        new Promise<void>((resolve) => setTimeout(resolve, 60_000).unref()),
      ]);
      await w.terminate();
      // Stopped mid-run, the thread never freed its lease.
      if (holder) freeLease(holder);
    },
  };
}
