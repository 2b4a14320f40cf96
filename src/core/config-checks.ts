import type { Config } from './config.js';
import { dependencyProblems, globProblem, type FilterProblem } from './changes.js';

/**
 * What the schema cannot say: globs, lib names, depends-on, and tag formats that need the per-service scheme.
 * Each problem carries its key path, so config-errors.ts can name the line.
 */
export function configProblems(config: Config): FilterProblem[] {
  const units = [
    ...config.services.map(s => ({ kind: 'services', name: s.name, paths: s.paths, dependsOn: s.dependsOn })),
    ...config.libs.map(l => ({ kind: 'libs', name: l.name, paths: l.paths, dependsOn: l.dependsOn }))
  ];
  const serviceNames = new Set(config.services.map(s => s.name));
  const clash = config.libs.find(lib => serviceNames.has(lib.name));
  if (clash) return [{ path: ['libs', clash.name], message: `"${clash.name}" is both a service and a lib: give them different names` }];
  // A pattern many units share (a `!**/*.md` in every service) is checked once.
  const checked = new Set<string>();
  for (const unit of units) {
    for (let i = 0; i < unit.paths.length; i++) {
      const pattern = unit.paths[i];
      if (checked.has(pattern)) continue;
      const problem = globProblem(pattern);
      if (problem) return [{ path: [unit.kind, unit.name, 'paths', i], message: `glob "${pattern}" ${problem}` }];
      checked.add(pattern);
    }
  }
  const kindOf = new Map(units.map(u => [u.name, u.kind]));
  const problems = dependencyProblems(units, (name, i) => [kindOf.get(name)!, name, 'depends-on', i]);
  if (problems.length > 0) return problems;
  if (config.version.scheme === 'unified' && config.version.tagFormat && /\{\{\s*service\s*\}\}/.test(config.version.tagFormat)) {
    return [{ path: ['version', 'tag-format'], message: '{{service}} needs scheme per-service (unified has one tag per release)' }];
  }
  const withFormat = config.version.scheme === 'unified' && config.services.find(s => s.tagFormat);
  if (withFormat) return [{ path: ['services', withFormat.name, 'tag-format'], message: 'only the per-service scheme has a tag format per service' }];
  const outside = config.deploy.kubernetes.findIndex(p => /^([\\/]|[A-Za-z]:)/.test(p) || p.replace(/\\/g, '/').split('/').includes('..'));
  if (outside !== -1) {
    return [{ path: ['deploy', 'kubernetes', outside], message: `"${config.deploy.kubernetes[outside]}" is outside the working directory: manifest paths are relative to it and stay inside it` }];
  }
  return [];
}
