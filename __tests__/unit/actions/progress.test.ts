import { describe, expect, it } from '@jest/globals';
import { Progress } from '../../../src/actions/progress.js';

/** A progress line per item of a long run: `[37/200] web retagged 0.2.0 (0.4 s)`. */
describe('progress lines', () => {
  it('pads the count to the total and times each item from its own start', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = new Progress({ info: l => lines.push(l) }, 200, () => now);
    const first = progress.start();
    now = 400;
    const second = progress.start();
    now = 800;
    second('web retagged 0.2.0');
    now = 12_400;
    first('api built 0.2.0');
    expect(lines).toEqual(['[  1/200] web retagged 0.2.0 (0.4 s)', '[  2/200] api built 0.2.0 (12 s)']);
  });
});
