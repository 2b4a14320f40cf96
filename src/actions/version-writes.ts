import semver from '../core/semver.js';
import type { Config } from '../core/config.js';
import type { RunContext } from '../core/context.js';
import { formatDate } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { LineResult } from '../core/bump-policy.js';
import { renderTemplate, type TemplateVars } from '../core/template.js';
import { changelogPathOf, newestChangelogVersion, type VersionLine } from '../core/version-line.js';
import { readTextIfExists, resolveInside, writeFilesAtomically, type FileWrite } from '../adapters/files.js';

/**
 * Write-back (write: true): each released line's version file and changelog, every file computed in memory first,
 * then written atomically. With forwardOnly (a rebased release), a file that holds a newer version is left as it is.
 */
export async function writeBack(args: {
  cwd: string;
  config: Config;
  lines: VersionLine[];
  results: Map<string, LineResult>;
  context: RunContext;
  vars: TemplateVars;
  forwardOnly?: boolean;
  log: Logger;
}): Promise<string[]> {
  const writes = await planWrites(args);
  if (writes.length === 0) {
    args.log.info('Nothing to write back');
    return [];
  }
  await writeFilesAtomically(writes.map(w => ({ path: resolveInside(args.cwd, w.path, { name: `The file ${w.path}` }), text: w.text })));
  const written = writes.map(w => w.path);
  args.log.info(`Wrote ${written.join(', ')}`);
  return written;
}

async function planWrites(args: Parameters<typeof writeBack>[0]): Promise<FileWrite[]> {
  const { cwd, config, lines, results, context } = args;
  const writes: FileWrite[] = [];
  const { parseVersionFileSpec, readVersionFile, writeVersionFile } = await import('../core/version-file.js');
  const { rotateChangelog } = await import('../core/changelog.js');
  for (const line of lines) {
    const result = results.get(line.services[0].name)!;
    if (!result.release || !result.version) continue;
    const vars: TemplateVars = { ...args.vars, version: result.version, service: line.name };
    if (line.versionFile) {
      const spec = parseVersionFileSpec(line.versionFile);
      const text = await readTextIfExists(resolveInside(cwd, spec.path, { name: `Version file ${spec.path} (version.file or the version-file input)`, input: 'version-file' }, 'file'));
      if (text === undefined) throw new UserError(`Version file ${spec.path} does not exist (in ${cwd})`, { file: spec.path });
      const current = args.forwardOnly ? semver.valid(readVersionFile(spec, text)) : null;
      if (current && semver.gt(current, result.version)) {
        args.log.info(`${spec.path} holds ${current} already, newer than ${result.version}: left as it is`);
        continue;
      }
      const fields = Object.fromEntries(Object.entries(config.version.fileFields).map(([k, v]) => [k, renderTemplate(v, vars)]));
      const next = writeVersionFile(spec, text, result.version, fields);
      if (next !== text) writes.push({ path: spec.path, text: next });
    }
    const changelogPath = changelogPathOf(config, line.name === 'unified', line.services[0]);
    if (!changelogPath) continue;
    const text = await readTextIfExists(resolveInside(cwd, changelogPath, { name: `Changelog ${changelogPath} (version.changelog)` }, 'file'));
    if (text === undefined) {
      if (typeof config.version.changelog === 'string') throw new UserError(`Changelog ${changelogPath} (version.changelog) does not exist`, { file: changelogPath });
      continue;
    }
    const newest = args.forwardOnly ? newestChangelogVersion(text) : undefined;
    if (newest && semver.gt(newest, result.version)) {
      args.log.info(`${changelogPath} has a section for ${newest} already, newer than ${result.version}: left as it is`);
      continue;
    }
    const next = rotateChangelog({
      text,
      file: changelogPath,
      version: result.version,
      date: formatDate(context.now, 'YYYY-MM-DD'),
      tag: result.releaseTag ?? line.format.render(result.version)
    });
    if (next !== text) writes.push({ path: changelogPath, text: next });
  }
  return writes;
}
