/**
 * The release job's thread (§6): aggregation, the audit's integer programs and the file rewrite
 * run here, on a connection of their own, so that the server keeps answering partners while a
 * release is made. Takes one command at a time from the main thread (thread-client.ts) and answers
 * each with its outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/client.js';
import { createSurveyRepository } from '../surveys/repository.js';
import { createReleaseJob } from './job.js';
import { createReleaseRepository } from './repository.js';
import type { JobCommand, JobReply } from './thread-client.js';

const { databasePath } = workerData as { databasePath: string };
// The main thread has applied the migrations already.
const db = openDatabase(databasePath, { migrate: false });
const warnings: string[] = [];
const job = createReleaseJob({
  db,
  surveys: createSurveyRepository(db),
  releases: createReleaseRepository(db),
  rewriteFailed: (err) => warnings.push(`database rewrite skipped (${err.message}); the next run tries again`),
});

async function answer(command: JobCommand): Promise<unknown> {
  switch (command.kind) {
    case 'run':
      return job.run();
    case 'release':
      return job.release({ slug: command.slug });
    case 'retryCheckpoint':
      return job.retryCheckpoint();
  }
}

/** Commands under way: closing waits for them, so that no release is cut off half-made. */
const underWay = new Set<Promise<unknown>>();

parentPort!.on('message', (message: JobCommand | { close: true }) => {
  if ('close' in message) {
    void Promise.allSettled([...underWay]).then(() => {
      db.close();
      parentPort!.postMessage({ closed: true });
    });
    return;
  }
  const done = answer(message);
  underWay.add(done);
  void done.finally(() => underWay.delete(done)).catch(() => undefined);
  done.then(
    (value) => parentPort!.postMessage({ id: message.id, ok: true, value, walPending: job.walPending(), warnings: warnings.splice(0) } satisfies JobReply),
    (err: unknown) =>
      parentPort!.postMessage({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err), walPending: job.walPending(), warnings: warnings.splice(0) } satisfies JobReply),
  );
});
parentPort!.postMessage({ ready: true, holder: job.holder });
