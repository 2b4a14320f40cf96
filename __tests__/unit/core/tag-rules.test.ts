import { beforeAll, describe, expect, it } from '@jest/globals';
import { computeTags, parseFlavor, parseTagRule } from '../../../src/core/tag-rules.js';
import { prepareRuleLines } from '../../../src/core/rule-lines.js';
import type { RunContext } from '../../../src/core/context.js';

beforeAll(() => prepareRuleLines(['"']));

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';

function ctx(ref: string, extra: Partial<RunContext> = {}): RunContext {
  return {
    eventName: ref.startsWith('refs/pull/') ? 'pull_request' : 'push',
    ref,
    sha: SHA,
    defaultBranch: 'main',
    repo: { name: 'repo' },
    payload: {},
    now: new Date('2020-01-10T00:30:00Z'),
    ...extra
  };
}

// Expectations follow docker/metadata-action's documented behaviour for the same context.
describe('tag rules (docker/metadata-action compatible)', () => {
  it.each<[string, RunContext, string[], string[], string[]]>([
    ['defaults on a branch', ctx('refs/heads/dev'), [], [], ['dev']],
    ['defaults on a tag', ctx('refs/tags/v1.1.1'), [], [], ['v1.1.1', 'latest']],
    ['defaults on a PR', ctx('refs/pull/15/merge'), [], [], ['pr-15']],
    ['semver patterns on a tag', ctx('refs/tags/v1.2.3'), ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'], [], ['1.2.3', '1.2', 'latest']],
    ['semver prerelease keeps only the version', ctx('refs/tags/v2.0.8-beta.67'), ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'], [], ['2.0.8-beta.67']],
    ['semver {{raw}}', ctx('refs/tags/v1.2.3'), ['type=semver,pattern={{raw}}'], [], ['v1.2.3', 'latest']],
    ['semver skipped on branch without value', ctx('refs/heads/main'), ['type=semver,pattern={{version}}', 'type=ref,event=branch'], [], ['main']],
    ['semver with value', ctx('refs/heads/main'), ['type=semver,pattern={{version}},value=v3.1.0'], [], ['3.1.0', 'latest']],
    ['sha short and long', ctx('refs/heads/main'), ['type=sha', 'type=sha,format=long,prefix='], [], ['sha-860c190', SHA]],
    ['edge on default branch', ctx('refs/heads/main'), ['type=edge'], [], ['edge']],
    ['edge not on other branch', ctx('refs/heads/dev'), ['type=edge', 'type=ref,event=branch'], [], ['dev']],
    ['raw with is_default_branch', ctx('refs/heads/main'), ['type=raw,value=latest,enable={{is_default_branch}}', 'type=ref,event=branch'], [], ['main', 'latest']],
    ['raw disabled off default branch', ctx('refs/heads/dev'), ['type=raw,value=latest,enable={{is_default_branch}}', 'type=ref,event=branch'], [], ['dev']],
    ['bare line is raw', ctx('refs/heads/dev'), ['foo'], [], ['foo']],
    ['branch sanitised', ctx('refs/heads/feature/new-UI'), ['type=ref,event=branch'], [], ['feature-new-UI']],
    ['priority reorders', ctx('refs/tags/v1.0.0'), ['type=sha', 'type=semver,pattern={{version}},priority=50'], [], ['sha-860c190', '1.0.0']],
    ['flavor prefix and suffix', ctx('refs/tags/v1.2.3'), ['type=semver,pattern={{version}}'], ['prefix=foo-', 'suffix=-bar'], ['foo-1.2.3-bar', 'latest']],
    ['flavor onlatest', ctx('refs/tags/v1.2.3'), ['type=semver,pattern={{version}}'], ['suffix=-alpine,onlatest=true'], ['1.2.3-alpine', 'latest-alpine']],
    ['latest=false', ctx('refs/tags/v1.2.3'), ['type=semver,pattern={{version}}'], ['latest=false'], ['1.2.3']],
    ['latest=true on a branch', ctx('refs/heads/dev'), ['type=ref,event=branch'], ['latest=true'], ['dev', 'latest']],
    ['rule prefix overrides flavor', ctx('refs/heads/dev'), ['type=ref,event=branch,prefix=br-'], ['prefix=fl-'], ['br-dev']],
    ['match group', ctx('refs/tags/v1.2.3-rc'), ['type=match,pattern=\\d+.\\d+.\\d+,group=0'], [], ['1.2.3', 'latest']],
    ['pep440', ctx('refs/tags/1.2.3rc1'), ['type=pep440,pattern={{version}}'], [], ['1.2.3rc1']],
    ['date template', ctx('refs/heads/main'), ["type=raw,value={{date 'YYYYMMDD-HHmm'}}"], [], ['20200110-0030']],
    ['date with tz', ctx('refs/heads/main'), ["type=raw,value={{date 'YYYYMMDD-HH' tz='Asia/Tokyo'}}"], [], ['20200110-09']],
    ['schedule nightly', ctx('refs/heads/main', { eventName: 'schedule' }), ['type=schedule'], [], ['nightly']],
    ['duplicates removed', ctx('refs/tags/v1.0.0'), ['type=semver,pattern={{version}}', 'type=raw,value=1.0.0'], [], ['1.0.0', 'latest']],
    ['is_not_default_branch off the default branch', ctx('refs/heads/dev'), ['type=raw,value=notdef,enable={{is_not_default_branch}}'], [], ['notdef']],
    ['is_not_default_branch on the default branch', ctx('refs/heads/main'), ['type=raw,value=notdef,enable={{is_not_default_branch}}', 'type=ref,event=branch'], [], ['main']],
    ['semver match= on a tag', ctx('refs/tags/p1/v1.0.0'), ['type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$'], [], ['1.0.0', 'latest']],
    ['semver value= and match= on a branch', ctx('refs/heads/main'), ['type=semver,pattern={{version}},value=p1/v1.2.3,match=v(\\d.\\d.\\d)$'], [], ['1.2.3', 'latest']],
    ['pep440 value= and match= on a branch', ctx('refs/heads/main'), ['type=pep440,pattern={{major}}.{{minor}},value=p1/v1.2.3,match=v(\\d.\\d.\\d)$'], [], ['1.2', 'latest']],
    ['semver match= that does not match keeps the value', ctx('refs/heads/main'), ['type=semver,pattern={{version}},value=v1.2.3,match=^x(.*)$'], [], ['1.2.3', 'latest']],
    ['commit_date with an unquoted format is ISO 8601', ctx('refs/heads/main'), ['type=raw,value={{commit_date YYYY-MM-DD}}'], [], ['2020-01-10T00-30-00Z']],
    ['DOCKER_METADATA_SHORT_SHA_LENGTH', ctx('refs/heads/main', { shortShaLength: 12 }), ['type=sha', 'type=raw,value=x-{{sha}}'], [], ['x-860c1904a1ce', 'sha-860c1904a1ce']],
    ['date with an unquoted format and a zone', ctx('refs/heads/main'), ["type=raw,value={{date YYYY tz='Asia/Tokyo'}}"], [], ['2020-01-10T09-30-00-09-00']]
  ])('[%#] %s', (_name, context, rules, flavor, expected) => {
    const result = computeTags({ rules, flavor, images: [], context });
    expect(result.tagNames).toEqual(expected);
  });

  it.each<[string, { version: string; raw: string }, string[], string[], string[]]>([
    ['computed version tags a branch build', { version: '4.20.5', raw: 'v4.20.5' }, ['type=semver,pattern={{version}}'], [], ['4.20.5', 'latest']],
    ['computed prerelease: no latest', { version: '1.3.0-rc.1', raw: 'v1.3.0-rc.1' }, ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'], [], ['1.3.0-rc.1']],
    ['per-service suffix from flavor', { version: '4.20.5', raw: 'v4.20.5' }, ['type=semver,pattern={{version}}', 'type=semver,pattern={{version}},suffix=-{{service}}'], ['latest=false'], ['4.20.5', '4.20.5-api']],
    ['imgver globals', { version: '1.2.3', raw: 'v1.2.3' }, ['type=raw,value={{version}}-{{sha7}}'], [], ['1.2.3-860c190']]
  ])('[%#] %s', (_name, computed, rules, flavor, expected) => {
    const vars = { service: 'api', version: computed.version, sha7: '860c190' };
    const result = computeTags({ rules, flavor, images: ['ghcr.io/acme/api'], context: ctx('refs/heads/main'), computed, vars });
    expect(result.tagNames).toEqual(expected);
    expect(result.tags[0]).toBe(`ghcr.io/acme/api:${expected[0]}`);
  });

  it.each([
    ['type=foo', /Unknown tag type attribute: foo/],
    ['type=semver', /Missing pattern attribute/],
    ['type=ref', /Missing event attribute/],
    ['type=ref,event=bar', /Invalid event/],
    ['type=sha,format=medium', /Invalid format/],
    ['type=raw', /Missing value attribute/],
    ['type=match,pattern=x,group=a', /Invalid match group/],
    ['type=raw,value=x,priority=high', /Invalid priority/],
    ['type=semver,pattern={{version}},match=v(', /^Invalid match attribute in tag rule "type=semver,pattern=\{\{version\}\},match=v\(": .* \(expected a regular expression whose first group is the version/],
    ['"type=match,pattern=a"', /Unknown tag type attribute: match,pattern=a in .* \(expected one of .*; the rule is one quoted field: quote single fields/]
  ])('[%#] rule %s is an error', (line, message) => {
    expect(() => parseTagRule(line)).toThrow(message);
  });

  it.each([
    ['latest=maybe', /Invalid latest flavor entry/],
    ['foo=bar', /Unknown flavor entry/],
    ['prefix', /Invalid flavor entry/],
    ['prefix=a,onlatest=yes', /Invalid value for onlatest/]
  ])('[%#] flavor %s is an error', (line, message) => {
    expect(() => parseFlavor([line])).toThrow(message);
  });

  it('rejects a tag that is not a valid OCI tag', () => {
    const long = 'b'.repeat(140);
    expect(() => computeTags({ rules: ['type=ref,event=branch'], flavor: [], images: [], context: ctx(`refs/heads/${long}`) })).toThrow(
      /not a valid image tag/
    );
  });

  it('rejects an enable value that is not a boolean', () => {
    expect(() => computeTags({ rules: ['type=raw,value=x,enable=yes'], flavor: [], images: [], context: ctx('refs/heads/main') })).toThrow(
      /Invalid value for enable attribute: yes/
    );
  });

  it('names unknown template variables', () => {
    expect(() => computeTags({ rules: ['type=raw,value={{nope}}'], flavor: [], images: [], context: ctx('refs/heads/main') })).toThrow(
      /Unknown template variable "nope"/
    );
  });
});
