import { COMMON_INPUTS, type ActionSpec } from './spec.js';

export const computeVersionSpec: ActionSpec = {
  name: 'compute-version',
  title: 'imgver compute-version',
  description:
    'Compute the next semantic version of every service of a monorepo (or of one image), with image tags and OCI labels compatible with docker/metadata-action.',
  inputs: {
    ...COMMON_INPUTS,
    images: {
      description: 'Single-image mode, no config needed: image names, one a line (docker/metadata-action syntax, name=…,enable=…).',
      multiline: true
    },
    service: { description: 'Only this service (a matrix job); its tags and labels fill the flat outputs.' },
    plan: { description: "A plan from a previous imgver step (detect-changes' changed services are honoured)." },
    'version-source': { description: 'ref | git-tag | file | registry. Overrides version.source of the config.' },
    'tag-format': { description: 'Git tag of a release, e.g. v{{version}} or {{service}}/v{{version}}. Overrides version.tag-format.' },
    'version-file': { description: 'Version file for source file: VERSION, package.json, Chart.yaml or path.json#field.' },
    bump: { description: 'auto (from the commits) | major | minor | patch | none.', default: 'auto' },
    prerelease: { description: 'true, false, or a prerelease identifier such as rc. Empty: as configured (prerelease: in the config).' },
    tags: { description: 'Tag rules in docker/metadata-action syntax, one a line (type=semver,pattern={{version}} …).', multiline: true },
    flavor: { description: 'Flavor lines in docker/metadata-action syntax (latest=auto, prefix=, suffix=, onlatest=).', multiline: true },
    labels: { description: 'Extra labels, key=value, one a line.', multiline: true },
    annotations: { description: 'Extra annotations, key=value, one a line.', multiline: true },
    'sep-tags': { description: 'Separator of the tags output.', default: '\n' },
    'sep-labels': { description: 'Separator of the labels output.', default: '\n' },
    'sep-annotations': { description: 'Separator of the annotations output.', default: '\n' },
    write: { description: 'Write the new version back to the version file and rotate CHANGELOG.md (no commit).', default: 'false', boolean: true }
  },
  outputs: {
    version: { description: 'The version (single image: the main tag, as docker/metadata-action); with services, the unified version or the only service’s.' },
    tags: { description: 'Full image references image:tag, separated by sep-tags.' },
    'tag-names': { description: 'Tag names without image, separated by sep-tags.' },
    labels: { description: 'Labels key=value, separated by sep-labels.' },
    annotations: { description: 'Annotations level:key=value, separated by sep-annotations.' },
    json: { description: 'JSON {tags, labels, annotations} (docker/metadata-action shape); with several services, {services: {name: {…}}}.', json: true },
    versions: { description: 'JSON object service → version.', json: true },
    plan: { description: 'The release plan (JSON, schema 1) for the next imgver step.', json: true },
    changed: { description: 'JSON array of the services that get a new release, in config order.', json: true },
    bump: { description: 'The bump applied: major, minor, patch or none (the highest over services).' },
    'bump-commit': { description: 'SHA of the commit whose message decided the bump, when one did.' },
    previous: { description: 'The previous version (unified, or the only service’s).' },
    release: { description: 'true when a new version is released; false when nothing is (version is then the current version).' },
    prerelease: { description: 'true when the version is a prerelease or a pull request preview.' },
    'written-files': { description: 'JSON array of the files written back (write: true).', json: true }
  }
};

export const ACTION_SPECS: ActionSpec[] = [computeVersionSpec];

export function findSpec(name: string): ActionSpec | undefined {
  return ACTION_SPECS.find(spec => spec.name === name);
}
