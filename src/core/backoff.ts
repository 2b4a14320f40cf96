/**
 * How long to wait before retrying after losing a race (a refused push, a taken tag): exponential with full jitter,
 * so runs that collided once spread out instead of colliding again in step. The window grows from the time an
 * attempt took (runs collide when their attempts overlap, so on a slow runner the window is wider), never below
 * the base. Attempt 1 never waits.
 */
export interface Backoff {
  /** The least ceiling of the first retry's wait. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

export const PUSH_BACKOFF: Backoff = { baseMs: 250, capMs: 20_000 };
export const RESERVE_BACKOFF: Backoff = { baseMs: 100, capMs: 5_000 };

export function backoffDelay(attempt: number, backoff: Backoff, attemptMs = 0, random: () => number = Math.random): number {
  if (attempt <= 1) return 0;
  const ceiling = Math.min(backoff.capMs, Math.max(backoff.baseMs, attemptMs) * 2 ** (attempt - 2));
  return Math.round(random() * ceiling);
}
