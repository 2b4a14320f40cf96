import pRetry from 'p-retry';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Retries {
  /** Tries in all, the first one included. */
  attempts: number;
  /** How long to wait after try `attempt` failed with `error`, before the next one; throwing stops the retries. */
  delay: (error: Error, attempt: number) => number;
  /** Whether a failure is worth another try (default: every failure). */
  retryable?: (error: Error) => boolean;
}

/**
 * Runs `run` (given the try's number, from 1) until it resolves, a failure is not retryable, or the tries run out;
 * then the last failure is thrown. p-retry counts the tries and decides when to stop; the wait between tries is the
 * caller's (a server's Retry-After, or a jitter rule p-retry's options cannot express), so p-retry's own timeout is
 * zero and the wait happens once it has decided to try again.
 */
export async function retrying<T>(run: (attempt: number) => Promise<T>, retries: Retries): Promise<T> {
  // The first try runs before p-retry is called: nearly every registry request succeeds at once, and a run over a
  // thousand services makes thousands of them, each paying p-retry's set-up otherwise. A first failure is handed to
  // p-retry as its own first attempt (not run again), so everything after it is p-retry's as before.
  let first: unknown;
  try {
    return await run(1);
  } catch (error) {
    first = error;
  }
  return pRetry(attempt => (attempt === 1 ? Promise.reject(first) : run(attempt)), {
    retries: Math.max(0, retries.attempts - 1),
    minTimeout: 0,
    shouldRetry: async ({ error, attemptNumber }) => {
      if (retries.retryable && !retries.retryable(error)) return false;
      const wait = retries.delay(error, attemptNumber);
      if (wait > 0) await sleep(wait);
      return true;
    }
  });
}
