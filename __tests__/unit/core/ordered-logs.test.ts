import { describe, expect, it } from '@jest/globals';
import type { Logger } from '../../../src/core/logger.js';
import { OrderedLogs } from '../../../src/core/ordered-logs.js';

function lines(): { log: Logger; out: string[] } {
  const out: string[] = [];
  const log: Logger = {
    info: m => out.push(m),
    debug: m => out.push(`debug: ${m}`),
    warning: m => out.push(`warning: ${m}`),
    mask: secret => out.push(`mask ${secret}`),
    group: async (name, fn) => {
      out.push(`── ${name}`);
      return fn();
    }
  };
  return { log, out };
}

describe('OrderedLogs', () => {
  it('replays each item in the order asked, whatever order they logged in, each once, in its group', async () => {
    const { log, out } = lines();
    const logs = new OrderedLogs<string>(log);
    const b = logs.for('b');
    const a = logs.for('a');
    b.info('b1');
    a.warning('a1');
    b.debug('b2');
    a.mask('s3cret');
    await logs.replay('a', 'a: retag');
    await logs.replay('b', 'b: retag');
    await logs.replay('a', 'a: retag');
    expect(out).toEqual(['mask s3cret', '── a: retag', 'warning: a1', '── b: retag', 'b1', 'debug: b2']);
  });

  it.each([['an item that logged nothing'], ['an item never recorded']])('%s: no group', async name => {
    const { log, out } = lines();
    const logs = new OrderedLogs<string>(log);
    if (name.startsWith('an item that')) logs.for('x');
    await logs.replay('x', 'x');
    expect(out).toEqual([]);
  });
});
