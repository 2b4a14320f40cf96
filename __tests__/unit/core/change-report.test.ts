import { describe, expect, it } from '@jest/globals';
import type { BaseDecision, Unit } from '../../../src/core/change-base.js';
import { buildUnits, changeOutputs, changeReport, reasonText, runBase, unitOutcomes } from '../../../src/core/change-report.js';
import { normalizeConfig } from '../../../src/core/config.js';
import type { ChangeReason } from '../../../src/core/changes.js';

const file = (path: string) => ({ status: 'modified' as const, path });
const decision = (extra: Partial<BaseDecision> = {}): BaseDecision => ({ base: 'b', head: 'h', why: 'push: since b', ...extra });

describe('detect-changes: what is reported (core/change-report.ts)', () => {
  it.each([
    ['files', { changed: true, files: [file('a/1')] }, decision(), 'a/1'],
    ['more than three files', { changed: true, files: ['1', '2', '3', '4'].map(file) }, decision(), '1, 2, 3, … (4 files)'],
    ['a dependency', { changed: true, files: [], via: ['web', 'lib'] }, decision(), 'depends on web → lib'],
    ['everything counts', { changed: true, files: [file('x')] }, decision({ all: true, why: 'all: true' }), 'all: true'],
    ['skipped', { changed: false, files: [] }, decision({ skip: true, why: 'tag api-v1 releases api only' }), 'tag api-v1 releases api only'],
    ['nothing', { changed: false, files: [] }, decision(), 'no matching change']
  ])('why: %s', (_what, reason: ChangeReason, d, expected) => {
    expect(reasonText(reason, d)).toBe(expected);
  });

  it.each([
    ['no inline filters: services and libs', undefined, ['api', 'web', 'shared']],
    ['inline filters replace a service and add one; libs stay', [{ name: 'api', rules: [{ pattern: 'src/**' }], dependsOn: [] }, { name: 'docs', rules: [{ pattern: 'docs/**' }], dependsOn: [] }], ['api', 'docs', 'shared']]
  ])('units: %s', (_what, inline, names) => {
    const config = normalizeConfig({ services: { api: { 'depends-on': ['shared'] }, web: {} }, libs: { shared: { paths: ['lib/**'] } } } as never);
    const units = buildUnits(config, inline);
    expect(units.map(u => u.spec.name)).toEqual(names);
    expect(units.find(u => u.spec.name === 'api')!.spec.dependsOn).toEqual(['shared']);
  });

  it.each([
    ['one base', [decision(), decision()], 'b'],
    ['bases per service', [decision(), decision({ base: 'c' })], ''],
    ['skipped ones do not count', [decision(), decision({ base: 'c', skip: true })], 'b']
  ])('the run base: %s', (_what, list, expected) => {
    expect(runBase(new Map(list.map((d, i) => [`s${i}`, d]))).base).toBe(expected);
  });

  it('outputs: a filter named like an output keeps the declared output and warns; paths-filter outputs per filter', () => {
    const units: Unit[] = ['api', 'count'].map(name => ({ spec: { name, rules: [], dependsOn: [] } }));
    const d = decision();
    const closures = new Map([[d, new Map<string, ChangeReason>([['api', { changed: true, files: [file('api/x')] }], ['count', { changed: false, files: [] }]])]]);
    const outcomes = unitOutcomes(units, new Map([['api', d], ['count', d]]), closures);
    const report = changeReport({ units, outcomes, maxFiles: 100, ref: 'refs/heads/main', sha: 'h', base: 'b', head: 'h' });
    const warnings: string[] = [];
    const outputs = changeOutputs({ units, report, matrices: [{ include: [] }], base: 'b', head: 'h', filesPath: '', listFiles: 'none', fixed: new Set(['count', 'changes']), warn: m => warnings.push(m) });
    expect(outputs).toMatchObject({ api: 'true', api_count: '1', count_count: '0', changes: '["api"]', counts: '{"api":1,"count":0}' });
    // The declared output: how many services changed (these filters are inline names without a service).
    expect(outputs.count).toBe('0');
    expect(warnings).toEqual(['Filter "count" has the name of an output, so it has no output of its own: read it from the services output']);
    expect(report.plan).toMatchObject({ schema: 1, ref: 'refs/heads/main', base: 'b', head: 'h', services: [] });
  });
});
