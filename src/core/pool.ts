import pMap from 'p-map';

/**
 * Runs fn over items, at most `limit` at a time (p-map), and returns the results in item order. When any call fails,
 * the failure of the earliest item is thrown (after every call has settled), so errors read the same as in a plain
 * loop: p-map's own stop-on-error would throw the first failure in time, and its aggregate lists them in time order.
 */
export async function mapInOrder<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const settled = await pMap(
    items,
    async (item, index): Promise<PromiseSettledResult<R>> => {
      try {
        return { status: 'fulfilled', value: await fn(item, index) };
      } catch (reason) {
        return { status: 'rejected', reason };
      }
    },
    { concurrency: Math.max(1, limit) }
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map(r => (r as PromiseFulfilledResult<R>).value);
}
