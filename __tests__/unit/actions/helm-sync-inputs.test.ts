import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { chartWriteBackInputs } from '../../../src/actions/helm-sync-inputs.js';
import { getInputs } from '../../../src/actions/helm-sync.js';
import { helmSyncSpec } from '../../../src/actions/specs.js';
import { withDefaults } from '../../../src/actions/sub-run.js';

/** release builds helm-sync's inputs itself: they are the ones helm-sync reads from the same values as strings. */
describe("release's write-back of the charts (chartWriteBackInputs)", () => {
  it.each([
    ['.', [{ path: 'charts/api' }]],
    ['services', [{ path: 'charts/api' }, { path: 'charts/umbrella' }]]
  ])('in %s, for %j', (workingDirectory, charts) => {
    const plan: Plan = { schema: 1, services: [], charts };
    const given = { 'working-directory': workingDirectory, charts: charts.map(c => c.path).join('\n'), 'write-only': 'true' };
    expect(chartWriteBackInputs(workingDirectory, plan)).toEqual(getInputs(withDefaults(helmSyncSpec.inputs, given), new Set(Object.keys(given)), plan));
  });
});
