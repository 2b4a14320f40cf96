import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { outlineData } from '../../../src/core/yaml-data.js';

const jsYaml = (text: string) => load(text, { schema: CORE_SCHEMA });
/** What pushChart read a packaged Chart.yaml with before (yaml-edit.ts's parseYamlFile, then toJS). */
const yamlLibrary = (text: string) => parseDocument(text, { uniqueKeys: false }).toJS();

const HELM_BENCH = `charts:\n  - path: deploy/all\n    images:\n${Array.from({ length: 5 }, (_, i) => `      svc00${i}: image.svc00${i}`).join('\n')}\n`;
const DETECT_BENCH = [
  'image: ghcr.io/acme/{{service}}',
  'libs:',
  "  lib0:\n    paths: ['libs/lib0/**']",
  'services:',
  "  s000:\n    paths: ['services/s000/**', '!**/*.md']\n    depends-on: [lib0]"
].join('\n');

describe('YAML data read by the line scanner', () => {
  it.each<[string, string]>([
    ['a chart repository', HELM_BENCH],
    ['the detect-changes bench', DETECT_BENCH],
    ['the k8s-sync bench', 'image: ghcr.io/acme/{{service}}\nservices:\n  a: {}\n  b: {}\ndeploy:\n  kubernetes: [deploy/k8s]\n'],
    ['flow maps', 'version: {source: file, file: VERSION, file-mode: bump}\nservices:\n  api:\n'],
    ['the example monorepo', readFileSync('examples/monorepo/imgver.yaml', 'utf8')],
    ['comments and blank lines', '# top\n\nversion:   # the version\n  source: git-tag  # from tags\n\n  # indented comment\n  initial: v1\n'],
    ['a leading document marker', '---\nimage: x\n'],
    ['quoted values', `a: "x \\"y\\" \\u00e9"\nb: 'it''s'\nc: ""\nd: ''\ne: "{{version}}"\n`],
    ['nulls, booleans and integers', 'a:\nb: ~\nc: null\nd: NULL\ne: true\nf: False\ng: 0\nh: -12\ni: 42\n'],
    ['plain strings that look like other things', 'a: yes\nb: off\nc: TrUe\nd: nulls\ne: x1.0\nf: a#b\ng: a b  c\n'],
    ['sequences', 'a:\n  - x\n  - "y"\n  -\n  - k: v\n    l: w\nb:\n- at the key column\n'],
    ['flow collections', "a: []\nb: {}\nc: [x, 'y', \"z\"]\nd: {k: v, 'q k': \"w\", n: 1, t: true, e: ~}\ne: [ spaced , out ]\n"],
    ['quoted keys', '"a b": 1\n\'c\': 2\n'],
    ['keys that are words in other YAML versions', 'yes: 1\nno: 2\non: 3\n'],
    ['a value with colons not followed by space', 'image: localhost:5000/acme/{{service}}\n'],
    ['versions', 'version: 1.2.3\nappVersion: 0.1.0-rc.1+b.2\ninitial: 10.20.30\n'],
    ['a Chart.yaml as helm packages it', 'apiVersion: v2\nappVersion: 1.0.0\ndependencies:\n- name: sub\n  repository: file://../sub\n  version: 0.1.0\nname: all\nversion: 1.0.0\n']
  ])('%s: the data js-yaml and the yaml library read', (_name, text) => {
    const data = outlineData(text);
    expect(data).not.toBeUndefined();
    expect(data).toEqual(jsYaml(text));
    expect(data).toEqual(yamlLibrary(text));
  });

  it.each<[string, string]>([
    ['a block scalar', 'tags: |\n  type=sha\n'],
    ['a folded scalar', 'tags: >\n  a\n'],
    ['a nested flow collection', 'a: [[x]]\n'],
    ['a flow map in a flow sequence', 'a: [{k: v}]\n'],
    ['a trailing comma', 'a: [x, ]\n'],
    ['a colon in a flow scalar', 'a: [x:y]\n'],
    ['a flow map entry without a value', 'a: {k}\n'],
    ['a duplicate flow key', 'a: {k: 1, k: 2}\n'],
    ['a float', 'a: 1.5\n'],
    ['an integer with underscores', 'a: 1_000\n'],
    ['a hexadecimal integer', 'a: 0x1F\n'],
    ['a leading zero', 'a: 007\n'],
    ['a version with one dot', 'appVersion: 1.0\n'],
    ['a negative zero', 'a: -0\n'],
    ['a signed version', 'a: -1.2.3\n'],
    ['.inf', 'a: .inf\n'],
    ['a key that may be a number', '1_000: x\n'],
    ['a numeric key', '1: x\n'],
    ['__proto__', '__proto__: x\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line flow collection', 'a: [x,\n  y]\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['an empty file', ''],
    ['only comments', '# nothing\n'],
    ['a top-level sequence', '- a\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a control character JSON does not read', 'a: "x\u0001"\n'],
    ['an escape JSON does not have', 'a: "\\x41"\n'],
    ['a merge key', 'a:\n  <<: {b: 1}\n']
  ])('%s: left to the libraries', (_name, text) => {
    expect(outlineData(text)).toBeUndefined();
  });
});
