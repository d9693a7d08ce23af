/** Waiting in tests for the condition an assertion needs, rather than for a fixed time that a busy machine may outlast. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a probe answers while the condition does not hold yet. */
type NotYet = undefined | null | false;

/**
 * Polls `probe` every `every` ms until it answers something other than undefined, null or false,
 * and resolves with that answer; fails naming `what` once `ms` have passed. A probe that throws
 * fails at once: it is the test's own assertion.
 */
export async function until<T>(what: string, probe: () => T | NotYet | Promise<T | NotYet>, ms = 15_000, every = 20): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}
