import * as pep440 from '@renovatebot/pep440';
import semver from './semver.js';
import { dateHelper } from './dates.js';
import { UserError } from './errors.js';
import { refBranch, refPullRequest, refTag, shortSha, type RunContext } from './context.js';
import { parseAttributes } from './rule-lines.js';
import { renderTemplate, type TemplateVars } from './template.js';

/**
 * Tag rules and flavor in docker/metadata-action's syntax, with the same results for the same context,
 * plus imgver's computed version: `type=semver` also tags branch builds when a version was computed.
 */
export const TAG_TYPES = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
export type TagType = (typeof TAG_TYPES)[number];

const DEFAULT_PRIORITY: Record<TagType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100
};

/** docker/metadata-action's defaults when no tag rule is given. */
export const METADATA_ACTION_DEFAULT_TAGS = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
/** imgver's defaults when a version is computed: the version, and pull request previews. */
export const IMGVER_DEFAULT_TAGS = ['type=semver,pattern={{version}}', 'type=ref,event=pr'];

export interface TagRule {
  type: TagType;
  attrs: Record<string, string>;
  priority: number;
  source: string;
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

export interface ComputedVersion {
  /** Full SemVer, e.g. 1.2.3-rc.1+build.5. */
  version: string;
  /** The version as written in its tag, e.g. v1.2.3 (`{{raw}}`). */
  raw: string;
}

export interface TagInput {
  rules: string[];
  flavor: string[];
  images: string[];
  context: RunContext;
  computed?: ComputedVersion;
  service?: string;
  /** Extra template variables (imgver's globals); they override nothing of metadata-action's. */
  vars?: TemplateVars;
}

export interface TagResult {
  /** The highest-priority tag value (metadata-action's `version` output). */
  main?: string;
  partial: string[];
  latest: boolean;
  /** Tag names in output order, without image. */
  tagNames: string[];
  /** Full references image:tag, per image in order. */
  tags: string[];
  warnings: string[];
}

export function parseTagRule(line: string): TagRule {
  const attrs: Record<string, string> = {};
  let type: TagType | undefined;
  for (const { key, value } of parseAttributes(line, 'tag rule')) {
    if (key === undefined) attrs.value = value;
    else if (key === 'type') {
      if (!(TAG_TYPES as readonly string[]).includes(value)) {
        const hint = value.includes(',') ? '; the rule is one quoted field: quote single fields, e.g. type=match,"pattern=a,b"' : '';
        throw new UserError(`Unknown tag type attribute: ${value} in "${line}" (expected one of ${TAG_TYPES.join(', ')}${hint})`);
      }
      type = value as TagType;
    } else attrs[key] = value;
  }
  type ??= 'raw';
  const has = (k: string) => Object.prototype.hasOwnProperty.call(attrs, k);
  switch (type) {
    case 'schedule':
      if (!has('pattern')) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      if (!has('pattern')) throw new UserError(`Missing pattern attribute for "${line}" (e.g. pattern={{version}})`);
      // An empty pattern renders no tag: the release would have nothing to push.
      if (attrs.pattern.trim() === '') throw new UserError(`Empty pattern attribute for "${line}" (e.g. pattern={{version}})`);
      if (!has('value')) attrs.value = '';
      if (!has('match')) attrs.match = '';
      else checkRegExp(attrs.match, 'match', line, 'a regular expression whose first group is the version, e.g. "match=v(\\d+\\.\\d+\\.\\d+)$"');
      break;
    case 'match':
      if (!has('pattern') || attrs.pattern === '') throw new UserError(`Missing pattern attribute for "${line}"`);
      if (!has('group')) attrs.group = '0';
      if (Number.isNaN(Number(attrs.group))) throw new UserError(`Invalid match group for "${line}": expected a number`);
      if (!has('value')) attrs.value = '';
      break;
    case 'edge':
      if (!has('branch')) attrs.branch = '';
      break;
    case 'ref':
      if (!has('event')) throw new UserError(`Missing event attribute for "${line}" (expected event=branch, tag or pr)`);
      if (!['branch', 'tag', 'pr'].includes(attrs.event)) {
        throw new UserError(`Invalid event for "${line}": expected branch, tag or pr`);
      }
      if (attrs.event === 'pr' && !has('prefix')) attrs.prefix = 'pr-';
      break;
    case 'raw':
      if (!has('value')) throw new UserError(`Missing value attribute for "${line}"`);
      break;
    case 'sha':
      if (!has('prefix')) attrs.prefix = 'sha-';
      if (!has('format')) attrs.format = 'short';
      if (!['short', 'long'].includes(attrs.format)) throw new UserError(`Invalid format for "${line}": expected short or long`);
      break;
  }
  if (!has('enable')) attrs.enable = 'true';
  const priority = has('priority') ? Number(attrs.priority) : DEFAULT_PRIORITY[type];
  if (Number.isNaN(priority)) throw new UserError(`Invalid priority for "${line}": expected a number`);
  return { type, attrs, priority, source: line };
}

function checkRegExp(source: string, field: string, line: string, expected: string): void {
  try {
    new RegExp(source);
  } catch (error) {
    throw new UserError(`Invalid ${field} attribute in tag rule "${line}": ${(error as Error).message} (expected ${expected})`);
  }
}

/** A semver or pep440 rule's `match=`: the version is the regular expression's first group (or the whole match). */
function matchVersion(raw: string, match: string, warnings: string[]): string {
  if (match.length === 0) return raw;
  const found = raw.match(match);
  if (!found) {
    warnings.push(`${match} does not match ${raw}.`);
    return raw;
  }
  return found[1] ?? found[0];
}

/** Rules sorted by priority, highest first; equal priorities keep their order. */
export function parseTagRules(lines: string[]): TagRule[] {
  return lines.map(parseTagRule).sort((a, b) => b.priority - a.priority);
}

export function parseFlavor(lines: string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  for (const line of lines) {
    let onLatestFor: 'prefix' | 'suffix' | undefined;
    for (const { key, value } of parseAttributes(line, 'flavor')) {
      if (key === undefined) throw new UserError(`Invalid flavor entry: ${line} (expected key=value)`);
      switch (key) {
        case 'latest':
          if (!['auto', 'true', 'false'].includes(value)) {
            throw new UserError(`Invalid latest flavor entry: ${line} (expected latest=auto, true or false)`);
          }
          flavor.latest = value as Flavor['latest'];
          break;
        case 'prefix':
          flavor.prefix = value;
          onLatestFor = 'prefix';
          break;
        case 'suffix':
          flavor.suffix = value;
          onLatestFor = 'suffix';
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(value)) throw new UserError(`Invalid value for onlatest attribute: ${value} in "${line}"`);
          if (onLatestFor === 'prefix') flavor.prefixLatest = value === 'true';
          if (onLatestFor === 'suffix') flavor.suffixLatest = value === 'true';
          break;
        default:
          throw new UserError(`Unknown flavor entry: ${line} (expected latest=, prefix=, suffix=, onlatest=)`);
      }
    }
  }
  return flavor;
}

/** metadata-action's tag sanitising: anything outside the tag alphabet becomes '-'. */
export function sanitizeTag(tag: string): string {
  return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

const OCI_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const IMAGE_NAME = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function isValidTag(tag: string): boolean {
  return OCI_TAG.test(tag);
}

/** An image name as a registry accepts it (host[:port]/path, no tag); the host may be written in capitals. */
export function isValidImageName(image: string): boolean {
  return IMAGE_NAME.test(image.toLowerCase());
}

export function checkImageName(image: string, where: string): string {
  const name = image.toLowerCase();
  if (!IMAGE_NAME.test(name)) {
    throw new UserError(`Image "${image}" in ${where} is not a valid image name (expected e.g. ghcr.io/acme/api, without a tag)`);
  }
  return name;
}

/**
 * metadata-action's images input: `name` or `name=…,enable=…` a line; a single line of bare names is a list of
 * names (`ghcr.io/a/app,docker.io/a/app`), as there.
 */
export function parseImages(lines: string[]): string[] {
  const images: string[] = [];
  if (lines.length === 1) {
    const fields = parseAttributes(lines[0], 'image');
    if (fields.length > 1 && fields.every(field => field.key === undefined && !field.value.includes('='))) {
      return fields.map(field => checkImageName(field.value, "input 'images'"));
    }
  }
  for (const line of lines) {
    let name = '';
    let enable = true;
    for (const { key, value } of parseAttributes(line, 'image')) {
      if (key === undefined || key === 'name') name = value;
      else if (key === 'enable') {
        if (!['true', 'false'].includes(value)) throw new UserError(`Invalid enable attribute value: ${line}`, { input: 'images' });
        enable = value === 'true';
      } else throw new UserError(`Unknown image attribute: ${line} (expected name= and enable=)`, { input: 'images' });
    }
    if (!name) throw new UserError(`Image name attribute empty: ${line}`, { input: 'images' });
    if (enable) images.push(checkImageName(name, "input 'images'"));
  }
  return images;
}

export function isDefaultBranch(context: RunContext): boolean {
  const branch = context.ref.replace(/^refs\/heads\//, '');
  if (!branch) return false;
  if (context.defaultBranch && context.defaultBranch === branch) return true;
  // These events always run on the default branch's last commit.
  return /create|discussion|issues|schedule/.test(context.eventName);
}

/** The variables metadata-action offers in every attribute (its "global expressions"). */
export function globalVars(context: RunContext, extra: TemplateVars = {}): TemplateVars {
  const tag = refTag(context.ref);
  const baseRef = (() => {
    const payload = context.payload as { base_ref?: string; pull_request?: { base?: { ref?: string } } };
    if (tag !== undefined && typeof payload.base_ref === 'string') return payload.base_ref.replace(/^refs\/heads\//, '');
    if (refPullRequest(context.ref) !== undefined && payload.pull_request?.base?.ref) return payload.pull_request.base.ref;
    return '';
  })();
  return {
    branch: refBranch(context.ref) ?? '',
    tag: tag ?? '',
    sha: shortSha(context.sha, context.shortShaLength),
    base_ref: baseRef,
    is_default_branch: String(isDefaultBranch(context)),
    is_not_default_branch: String(!isDefaultBranch(context)),
    date: dateHelper(context.now, 'date'),
    commit_date: dateHelper(context.commitDate ?? context.now, 'commit_date'),
    ...extra
  };
}

/** Evaluates the rules for one image set. Pure: every input comes in as arguments. */
export function computeTags(input: TagInput): TagResult {
  const { context, computed } = input;
  const vars = globalVars(context, input.vars);
  const render = (template: string) => renderTemplate(template, vars);
  const rules = parseTagRules(input.rules.length > 0 ? input.rules : METADATA_ACTION_DEFAULT_TAGS);
  const flavor = parseFlavor(input.flavor);
  const warnings: string[] = [];
  let main: string | undefined;
  const partial: string[] = [];
  let latest: boolean | undefined;
  const tagRef = refTag(context.ref);
  const isTag = tagRef !== undefined;
  const latestFor = (auto: boolean) => (flavor.latest === 'auto' ? auto : flavor.latest === 'true');

  const withAffixes = (value: string, rule: TagRule): string => {
    let out = value;
    if ('prefix' in rule.attrs) out = render(rule.attrs.prefix) + out;
    else if (flavor.prefix) out = render(flavor.prefix) + out;
    if ('suffix' in rule.attrs) out = out + render(rule.attrs.suffix);
    else if (flavor.suffix) out = out + render(flavor.suffix);
    return out;
  };

  const add = (value: string, rule: TagRule, isLatest: boolean) => {
    if (value.length === 0) return;
    const tag = sanitizeTag(value);
    if (!isValidTag(tag)) {
      throw new UserError(
        `Tag "${tag}" made by rule "${rule.source}" is not a valid image tag (at most 128 of A-Z a-z 0-9 _ . -, not starting with . or -)`
      );
    }
    if (main === undefined) main = tag;
    else if (tag !== main) partial.push(tag);
    if (latest === undefined) latest = isLatest;
  };

  for (const rule of rules) {
    const enabled = render(rule.attrs.enable);
    if (!['true', 'false'].includes(enabled)) {
      throw new UserError(`Invalid value for enable attribute: ${enabled} in "${rule.source}" (expected true or false)`);
    }
    if (enabled !== 'true') continue;
    switch (rule.type) {
      case 'schedule': {
        if (!/schedule/.test(context.eventName)) break;
        add(withAffixes(render(rule.attrs.pattern), rule), rule, latestFor(false));
        break;
      }
      case 'semver': {
        let raw: string | undefined;
        let text: string | undefined;
        if (rule.attrs.value.length > 0) raw = text = matchVersion(render(rule.attrs.value), rule.attrs.match, warnings).replace(/\//g, '-');
        else if (computed) {
          raw = computed.raw;
          text = computed.version;
        } else if (isTag) raw = text = matchVersion(tagRef, rule.attrs.match, warnings).replace(/\//g, '-');
        if (raw === undefined || text === undefined) break;
        const parsed = semver.parse(text, { loose: true });
        if (!parsed || !semver.valid(text)) {
          warnings.push(`${text} is not a valid semver. More info: https://semver.org/`);
          break;
        }
        const semverVars: TemplateVars = {
          ...vars,
          raw,
          version: parsed.version,
          major: parsed.major,
          minor: parsed.minor,
          patch: parsed.patch,
          prerelease: parsed.prerelease.join('.'),
          build: parsed.build.join('.')
        };
        const pattern = rule.attrs.pattern;
        if (parsed.prerelease.length > 0) {
          const value = /^\{\{\s*raw\s*\}\}$/.test(pattern) ? renderTemplate(pattern, semverVars) : parsed.version;
          add(withAffixes(value, rule), rule, latestFor(false));
        } else {
          add(withAffixes(renderTemplate(pattern, semverVars), rule), rule, latestFor(true));
        }
        break;
      }
      case 'pep440': {
        let raw: string | undefined;
        if (rule.attrs.value.length > 0) raw = matchVersion(render(rule.attrs.value), rule.attrs.match, warnings).replace(/\//g, '-');
        else if (computed) raw = computed.version;
        else if (isTag) raw = matchVersion(tagRef, rule.attrs.match, warnings).replace(/\//g, '-');
        if (raw === undefined) break;
        const pep = pep440.valid(raw) ? pep440.explain(raw) : null;
        if (!pep) {
          warnings.push(`${raw} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
          break;
        }
        const clean = pep440.clean(raw) ?? raw;
        if (pep.is_prerelease || pep.is_postrelease || pep.is_devrelease) {
          const value = /^\{\{\s*raw\s*\}\}$/.test(rule.attrs.pattern) ? raw : clean;
          add(withAffixes(value, rule), rule, latestFor(false));
        } else {
          const pepVars = { ...vars, raw, version: clean, major: pep440.major(raw), minor: pep440.minor(raw), patch: pep440.patch(raw) };
          add(withAffixes(renderTemplate(rule.attrs.pattern, pepVars), rule), rule, latestFor(true));
        }
        break;
      }
      case 'match': {
        let raw: string | undefined;
        if (rule.attrs.value.length > 0) raw = render(rule.attrs.value);
        else if (isTag) raw = tagRef;
        else if (computed) raw = computed.raw;
        if (raw === undefined) break;
        const regex = rule.attrs.pattern.match(/^\/(.+)\/(.*)$/);
        let match: RegExpMatchArray | null;
        try {
          match = regex ? raw.match(new RegExp(regex[1], regex[2])) : raw.match(rule.attrs.pattern);
        } catch (error) {
          throw new UserError(`Invalid pattern in "${rule.source}": ${(error as Error).message}`);
        }
        if (!match) {
          warnings.push(`${rule.attrs.pattern} does not match ${raw}.`);
          break;
        }
        const group = match[Number(rule.attrs.group)];
        if (group === undefined) {
          warnings.push(`Group ${rule.attrs.group} does not exist for ${rule.attrs.pattern} pattern.`);
          break;
        }
        add(withAffixes(group, rule), rule, latestFor(true));
        break;
      }
      case 'ref': {
        const event = rule.attrs.event;
        if (event === 'branch') {
          const branch = refBranch(context.ref);
          if (branch !== undefined) add(withAffixes(branch, rule), rule, latestFor(false));
        } else if (event === 'tag') {
          if (tagRef !== undefined) add(withAffixes(tagRef, rule), rule, latestFor(true));
        } else {
          const pr = refPullRequest(context.ref);
          if (pr !== undefined) add(withAffixes(pr, rule), rule, latestFor(false));
        }
        break;
      }
      case 'edge': {
        const branch = refBranch(context.ref);
        if (branch === undefined) break;
        const edgeBranch = rule.attrs.branch || context.defaultBranch || '';
        if (edgeBranch !== branch) break;
        add(withAffixes('edge', rule), rule, latestFor(false));
        break;
      }
      case 'raw':
        add(withAffixes(render(rule.attrs.value), rule), rule, latestFor(false));
        break;
      case 'sha': {
        if (!context.sha) break;
        const value = rule.attrs.format === 'short' ? shortSha(context.sha, context.shortShaLength) : context.sha;
        add(withAffixes(value, rule), rule, latestFor(false));
        break;
      }
    }
  }

  const uniquePartial = partial.filter((tag, i) => partial.indexOf(tag) === i);
  const isLatest = main !== undefined && latest === true;
  const tagNames: string[] = [];
  if (main !== undefined) {
    tagNames.push(main, ...uniquePartial);
    if (isLatest) {
      const latestTag = sanitizeTag(
        `${flavor.prefixLatest ? render(flavor.prefix) : ''}latest${flavor.suffixLatest ? render(flavor.suffix) : ''}`
      );
      if (!tagNames.includes(latestTag)) tagNames.push(latestTag);
    }
  }
  const images = input.images.length > 0 ? input.images : [''];
  const tags = images.flatMap(image => tagNames.map(tag => (image ? `${image}:${tag}` : tag)));
  return { main, partial: uniquePartial, latest: isLatest, tagNames, tags, warnings };
}

