import { describe, expect, it } from '@jest/globals';
import { backoffDelay, PUSH_BACKOFF } from '../../../src/core/backoff.js';

describe('backoffDelay (exponential, full jitter, from the time an attempt took)', () => {
  const backoff = { baseMs: 100, capMs: 2000 };
  it.each([
    ['the first attempt never waits', 1, 0, 1, 0],
    ['the second waits up to the base', 2, 0, 1, 100],
    ['then doubles', 3, 0, 1, 200],
    ['and doubles again', 4, 0, 1, 400],
    ['up to the cap', 9, 0, 1, 2000],
    ['a slow attempt widens the window', 2, 700, 1, 700],
    ['a slow attempt widens it, doubled per attempt', 3, 700, 1, 1400],
    ['still capped', 5, 700, 1, 2000],
    ['jitter: anywhere from 0', 3, 0, 0, 0],
    ['jitter: half the window', 3, 0, 0.5, 100]
  ])('%s (attempt %i, attempt took %i ms, random %d): %i ms', (_name, attempt, attemptMs, random, expected) => {
    expect(backoffDelay(attempt, backoff, attemptMs, () => random)).toBe(expected);
  });

  it('runs that collided spread out: 16 waits of the same attempt are not in step', () => {
    const waits = Array.from({ length: 16 }, () => backoffDelay(4, PUSH_BACKOFF, 500));
    expect(new Set(waits).size).toBeGreaterThan(12);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(2000);
  });
});
