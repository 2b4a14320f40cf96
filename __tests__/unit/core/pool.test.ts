import { describe, expect, it } from '@jest/globals';
import { mapInOrder } from '../../../src/core/pool.js';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('mapInOrder', () => {
  it.each([1, 3, 8, 100])('limit %i: results in item order, as many calls at once as the limit allows and never more', async limit => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 20 }, (_, i) => i);
    const results = await mapInOrder(items, limit, async item => {
      peak = Math.max(peak, ++running);
      await sleep((item * 7) % 5);
      running--;
      return item * 2;
    });
    expect(results).toEqual(items.map(i => i * 2));
    // The pool fills up to its limit: a pool that ran one call at a time would pass a bare "at most the limit".
    expect(peak).toBe(Math.min(limit, items.length));
  });

  it('throws the earliest item’s failure, after every call settled', async () => {
    const done: number[] = [];
    await expect(
      mapInOrder([0, 1, 2, 3], 4, async item => {
        await sleep(item === 1 ? 20 : 1);
        done.push(item);
        if (item === 1 || item === 3) throw new Error(`item ${item}`);
        return item;
      })
    ).rejects.toThrow('item 1');
    expect(done.sort()).toEqual([0, 1, 2, 3]);
  });

  it('an empty list is an empty result', async () => {
    expect(await mapInOrder([], 8, async () => 1)).toEqual([]);
  });
});
