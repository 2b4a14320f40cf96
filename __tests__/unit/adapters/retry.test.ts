import { describe, expect, it } from '@jest/globals';
import { retrying } from '../../../src/adapters/retry.js';

class Transient extends Error {}

describe('retrying (p-retry with the caller’s waits)', () => {
  it.each([
    ['succeeds at once: one try, no wait', 0, 5, 1, []],
    ['fails twice, then succeeds: three tries, a wait before each retry', 2, 5, 3, [1, 2]],
    ['keeps failing: stops after the attempts, no wait after the last', 9, 4, 4, [1, 2, 3]],
    ['one attempt: never retried', 9, 1, 1, []]
  ])('%s', async (_name, failures, attempts, tries, waits) => {
    const seen: number[] = [];
    const asked: number[] = [];
    const run = retrying(
      async attempt => {
        seen.push(attempt);
        if (attempt <= failures) throw new Transient(`try ${attempt}`);
        return 'done';
      },
      { attempts, delay: (_error, attempt) => (asked.push(attempt), 0) }
    );
    if (failures >= attempts) await expect(run).rejects.toThrow(`try ${attempts}`);
    else await expect(run).resolves.toBe('done');
    expect(seen).toEqual(Array.from({ length: tries }, (_, i) => i + 1));
    expect(asked).toEqual(waits);
  });

  it.each([
    ['at the first try', 1],
    ['at a later try', 2]
  ])('a thrown non-Error is refused as p-retry refuses it, %s', async (_name, at) => {
    let tries = 0;
    const run = retrying(
      async attempt => {
        tries++;
        if (attempt < at) throw new Transient('once');
        throw 'a string';
      },
      { attempts: 5, delay: () => 0 }
    );
    await expect(run).rejects.toThrow('Non-error was thrown: "a string"');
    expect(tries).toBe(at);
  });

  it('a failure that is not retryable is thrown at once', async () => {
    let tries = 0;
    const run = retrying(
      async () => {
        tries++;
        throw new Error('for good');
      },
      { attempts: 5, retryable: error => error instanceof Transient, delay: () => 0 }
    );
    await expect(run).rejects.toThrow('for good');
    expect(tries).toBe(1);
  });

  it('a delay that throws (a Retry-After too long) stops the retries with its error', async () => {
    let tries = 0;
    const run = retrying(
      async () => {
        tries++;
        throw new Transient('busy');
      },
      {
        attempts: 5,
        delay: () => {
          throw new Error('asks to wait 600 s; giving up');
        }
      }
    );
    await expect(run).rejects.toThrow('giving up');
    expect(tries).toBe(1);
  });

  it('waits what the delay says before the next try', async () => {
    const started: number[] = [];
    await retrying(
      async attempt => {
        started.push(Date.now());
        if (attempt === 1) throw new Transient('once');
      },
      { attempts: 2, delay: () => 60 }
    );
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(55);
  });
});
