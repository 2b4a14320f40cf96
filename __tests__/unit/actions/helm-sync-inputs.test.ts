import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../../../src/core/plan.js';
import { chartWriteBackInputs } from '../../../src/actions/helm-sync-inputs.js';
import { getInputs } from '../../../src/actions/helm-sync.js';
import { helmSyncSpec } from '../../../src/actions/stage-specs.js';
import { withDefaults } from '../../../src/actions/sub-run.js';
import { commonInputs } from '../../../src/actions/inputs.js';

/** release builds helm-sync's inputs itself: they are the ones helm-sync reads from the same values as strings. */
describe("release's write-back of the charts (chartWriteBackInputs)", () => {
  it.each([
    ['.', {}, [{ path: 'charts/api' }]],
    ['services', {}, [{ path: 'charts/api' }, { path: 'charts/umbrella' }]],
    // A release run with its own config file and context writes the charts back with them.
    ['.', { config: 'ci/imgver.yaml', ref: 'refs/tags/v2.0.0', sha: 'a'.repeat(40) }, [{ path: 'charts/api' }]]
  ])('in %s, with %j, for %j', (workingDirectory, common: Record<string, string>, charts) => {
    const plan: Plan = { schema: 1, services: [], charts };
    const release = commonInputs(withDefaults(helmSyncSpec.inputs, { 'working-directory': workingDirectory, ...common }), new Set(['working-directory', ...Object.keys(common)]));
    const given = { 'working-directory': workingDirectory, ...common, charts: charts.map(c => c.path).join('\n'), 'write-only': 'true' };
    expect(chartWriteBackInputs(release, plan)).toEqual(getInputs(withDefaults(helmSyncSpec.inputs, given), new Set(Object.keys(given)), plan));
  });
});
