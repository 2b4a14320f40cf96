// The inputs and outputs of each stage, declared once: action.yml, the CLI and the pipeline's pass-through inputs
// are generated from them (the pipeline, merge-plans and init are declared in specs.ts).
import { COMMON_INPUTS, REGISTRY_INPUTS, type ActionSpec } from './spec.js';

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
    'version-source': { description: 'ref | git-tag | file | registry | metadata. Overrides version.source of the config. metadata is docker/metadata-action\'s mode (tags from the ref and event, no version computed), the default with images; without images it gives bare tag names.' },
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
    write: { description: 'Write the new version back to the version file and rotate CHANGELOG.md (no commit).', default: 'false', boolean: true },
    reserve: {
      description:
        'Push each release tag to origin now, on the commit to be built, so the version is owned before anything is built; a version another run took moves this run to the next free one. The release step then commits without tagging again.',
      default: 'false',
      boolean: true
    },
    'dry-run': { description: 'Compute and print the versions and tags only: write back and reserve nothing (write and reserve are ignored).', default: 'false', boolean: true },
    'max-attempts': { description: 'With reserve: how many versions are tried when other runs keep taking them (1-50).', default: '10' }
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

export const detectChangesSpec: ActionSpec = {
  name: 'detect-changes',
  title: 'imgver detect-changes',
  description:
    'Decide which services of a monorepo changed, with the right base on every event (push, new branch, force-push, pull request, merge queue, tag, dispatch), shallow clones deepened as needed, and a build matrix of the changed services.',
  inputs: {
    ...COMMON_INPUTS,
    filters: {
      description:
        "Inline filters in dorny/paths-filter syntax (name: [globs], anchors, 'added|modified: glob'), or the path of a YAML file holding them. Globs match as picomatch matches them (extglob groups such as !(a|b) included). Rules apply in order; '!glob' excludes. Names that are services of the config keep their image and depends-on.",
      multiline: true
    },
    base: {
      description:
        'Compare with this commit, tag or branch (a branch: its merge-base with head); HEAD: the staged and unstaged changes of the checkout (dorny/paths-filter’s local changes). Default: chosen per event.'
    },
    head: { description: 'Compare up to this commit. Default: the event’s head (the pull request head, or the pushed commit).' },
    all: { description: 'Mark every service changed (e.g. a manual full rebuild).', default: 'false', boolean: true },
    'tag-format': { description: 'Release tag format for tag pushes and the last-release base. Default: version.tag-format of the config.' },
    'max-files': { description: 'Changed files listed per service in the files and plan outputs; the full list goes to the file at files-path.', default: '100' },
    'matrix-size': { description: 'Jobs per matrix chunk (GitHub allows 256).', default: '256' },
    'list-files': {
      description:
        "List each filter's files in its <name>_files output (and in listed-files): none, csv (comma separated, quoted where needed), json (an array), shell (space separated, quoted where needed), escape (space separated, backslash escapes).",
      default: 'none'
    },
    'predicate-quantifier': {
      description: "some: a filter's rules apply in order ('!glob' excludes). every: a file counts only when every rule holds for it ('!glob' holding where glob does not match), as dorny/paths-filter's every.",
      default: 'some'
    }
  },
  outputs: {
    changed: { description: 'JSON array of the changed services, in config order (libs are in services).', json: true },
    any: { description: 'true when any service changed.' },
    count: { description: 'How many services changed.' },
    services: { description: 'JSON object name → true/false for every service and lib: fromJSON(steps.x.outputs.services).api.', json: true },
    base: { description: 'The base commit compared with (empty when everything counts, or when bases differ per service).' },
    head: { description: 'The head commit compared.' },
    matrix: {
      description: 'JSON {"include":[{service, image, context, dockerfile, …}]} of the changed services, for strategy.matrix (the first matrix-size entries).',
      json: true
    },
    matrices: { description: 'JSON array of matrix chunks of at most matrix-size entries, when more services changed than one matrix may hold.', json: true },
    files: { description: 'JSON object name → changed files (at most max-files each).', json: true },
    'files-path': { description: 'On a runner, the path of a JSON file (in RUNNER_TEMP) with every changed file per name, when a list was cut at max-files; else empty (off a runner the list-files outputs hold every file).' },
    plan: { description: 'The release plan (JSON, schema 1) for compute-version.', json: true },
    changes: { description: 'JSON array of the filters (services and libs) that changed, as dorny/paths-filter’s changes output.', json: true },
    counts: { description: 'JSON object name → how many changed files matched it (the run step’s <name>_count outputs).', json: true },
    'listed-files': {
      description: 'JSON object name → its files in the list-files format (the run step’s <name>_files outputs), when list-files is not none.',
      json: true
    }
  }
};

export const buildTagPushSpec: ActionSpec = {
  name: 'build-tag-push',
  title: 'imgver build-tag-push',
  description:
    "Build and push each changed service's image with all its tags in one build; give unchanged services their new tags by the registry API, without a rebuild; never overwrite a released version; safe to re-run.",
  inputs: {
    ...COMMON_INPUTS,
    plan: { description: "The plan from compute-version (each service's tags, labels and whether it changed). Without it: the config's services, or one image from tags." },
    service: { description: 'Only this service of the plan (a matrix job); its digest fills the digest output.' },
    tags: { description: 'One image without a plan: full references image:tag, one a line (as docker/build-push-action).', multiline: true },
    labels: { description: 'One image without a plan: labels key=value, one a line.', multiline: true },
    context: { description: 'One image without a plan: the build context.', default: '.' },
    file: { description: 'One image without a plan: the Dockerfile (default: Dockerfile in the context).' },
    unchanged: {
      description:
        "What unchanged services get: retag (the previous release's image gets the new tags by registry API, no layer moves), skip (nothing), or latest (the image tagged latest gets the new tags).",
      default: 'retag'
    },
    platforms: { description: 'Target platforms, comma or newline separated (several need docker buildx).', multiline: true },
    'build-args': { description: 'Build arguments KEY=VALUE, one a line ({{service}} and {{version}} are replaced).', multiline: true },
    secrets: { description: 'Build secrets id=value, one a line: passed through the environment, never argv, masked in logs.', multiline: true },
    'secret-files': { description: 'Build secrets from files, id=path, one a line.', multiline: true },
    cache: {
      description: 'Build cache per service: none, gha (GitHub Actions cache, scope = service), registry (image:buildcache), or inline. buildx only for gha and registry.',
      default: 'none'
    },
    'cache-from': { description: 'Extra --cache-from entries, one a line ({{service}} and {{image}} are replaced).', multiline: true },
    'cache-to': { description: 'Extra --cache-to entries, one a line ({{service}} and {{image}} are replaced).', multiline: true },
    provenance: { description: 'true or false: provenance attestations (buildx). Empty: the builder’s default.' },
    network: { description: 'Network mode of RUN steps during the build (e.g. host).' },
    target: { description: 'Dockerfile target stage to build.' },
    builder: { description: 'auto (buildx when present, else docker build + docker push), buildx, or docker.', default: 'auto' },
    push: { description: 'Push the images (false: build only, nothing reaches a registry).', default: 'true', boolean: true },
    force: { description: 'Move version tags that already exist on another image (normally a clear error).', default: 'false', boolean: true },
    verify: { description: 'After pushing, check every tag resolves to the expected digest.', default: 'true', boolean: true },
    'dry-run': { description: 'Print the exact builds and registry writes; build, push and write nothing (registries are still read).', default: 'false', boolean: true },
    ...REGISTRY_INPUTS,
    'ecr-login': { description: 'Log Docker in to Amazon ECR registries of the plan with GetAuthorizationToken before building.', default: 'true', boolean: true },
    'ecr-create-repository': { description: 'Create missing Amazon ECR repositories before pushing.', default: 'false', boolean: true }
  },
  outputs: {
    digests: { description: 'JSON object service → image digest, for every service that has an image (always set, also for retagged and skipped).', json: true },
    images: { description: 'JSON object service → repo@sha256:… (immutable references for deployments).', json: true },
    digest: { description: 'The digest of the only (or service input’s) service.' },
    built: { description: 'JSON array of the services built.', json: true },
    retagged: { description: 'JSON array of the services given their tags by the registry API (including re-runs that found their build pushed).', json: true },
    skipped: { description: 'JSON array of the services left alone.', json: true },
    plan: { description: 'The plan with digest, action and pushed tags per service.', json: true }
  }
};

export const helmSyncSpec: ActionSpec = {
  name: 'helm-sync',
  title: 'imgver helm-sync',
  description:
    "Keep Helm charts in step with a release: version and quoted appVersion in Chart.yaml, the new image tags and digests in values files (every comment and quote kept), helm lint --strict, a reproducible helm package, helm push to an OCI registry.",
  inputs: {
    ...COMMON_INPUTS,
    plan: { description: "The plan from compute-version or build-tag-push (versions, image tags, digests). Without it: the version input, or the pushed tag (v1.2.3)." },
    charts: { description: 'Chart directories, one a line (default: charts: of the config). Marker comments (# imgver: api) in their values files say what to update.', multiline: true },
    version: { description: 'The release version (1.2.3 or v1.2.3); overrides the plan and the pushed tag.' },
    'app-version': { description: 'appVersion template ({{version}}, {{tag}}, {{sha}}). Default: app-version of the chart config, else {{version}}.' },
    'image-tag': {
      description: "Image tag template for names the plan has no image for (a chart-only repository): {{tag}} (the pushed git tag), {{version}}, {{sha}}. Default: {{tag}} on a tag push, else {{version}}."
    },
    push: { description: 'OCI destination of the packaged charts, e.g. oci://ghcr.io/acme/charts (default: push: of the chart config; none: no upload).' },
    'write-only': { description: 'Only update the files (GitOps repositories): no helm lint, package or push.', default: 'false', boolean: true },
    'dry-run': { description: 'Print a unified diff of every file that would change; write, package and push nothing.', default: 'false', boolean: true },
    force: { description: 'Overwrite a chart version that already exists in the registry with other content (normally a clear error).', default: 'false', boolean: true },
    lint: { description: 'Run helm lint --strict before packaging.', default: 'true', boolean: true },
    'package-dir': { description: 'Where the .tgz packages go (default: a directory under RUNNER_TEMP or the system temp dir).' },
    ...REGISTRY_INPUTS
  },
  outputs: {
    charts: { description: 'JSON array, one entry per chart: path, name, version, appVersion, ref (oci://… when pushed), digest (the pushed manifest), package, archiveDigest, pushed (pushed, exists, or none).', json: true },
    'changed-files': { description: 'JSON array of the files changed (or, in a dry run, that would change), relative to working-directory.', json: true },
    plan: { description: 'The plan with the charts.', json: true }
  }
};

export const k8sSyncSpec: ActionSpec = {
  name: 'k8s-sync',
  title: 'imgver k8s-sync',
  description:
    'Keep Kubernetes manifests and kustomize overlays in step with a release: image references (tag and digest) of every container and kustomize images: entry, the version as an annotation on the workload and its pod template, every comment kept; written back, or a pull request in a deploy repository; --rollback restores the previous image.',
  inputs: {
    ...COMMON_INPUTS,
    plan: { description: 'The plan from build-tag-push (each service’s version, tags and digest).' },
    paths: { description: 'Manifest files, directories or globs, one a line (default: deploy.kubernetes of the config).', multiline: true },
    digest: { description: 'Pin by digest when the plan has one: repo:1.2.3@sha256:… in manifests, newTag + digest in kustomizations.', default: 'true', boolean: true },
    'annotation-prefix': { description: 'Prefix of the version annotation (<prefix>/<service>.version), never kubernetes.io; none: no annotation.', default: 'imgver.dev' },
    rollback: { description: 'Restore the service’s previous image and annotation (from the version manifest, else the manifests’ git history).', default: 'false', boolean: true },
    service: { description: 'Only this service (rollback: the service to roll back).' },
    to: { description: 'rollback: the version or tag to go back to (default: the one before the current).' },
    manifest: { description: 'rollback: the version manifest whose history is used (default: deploy/<environment>/version-manifest.yaml with environment).' },
    environment: { description: 'rollback: the environment whose version manifest is used.' },
    'deploy-repository': { description: 'A GitOps repository (owner/name) to change instead of this one: the change goes on a branch there and a pull request is opened or updated.' },
    'deploy-branch': { description: 'The deploy repository’s branch the pull request targets (default: its default branch).' },
    branch: { description: 'The branch in the deploy repository (default: imgver/k8s-sync/<services>, one per set of services).' },
    token: { description: 'Token for the deploy repository (contents and pull-requests: write there). The CLI reads GITHUB_TOKEN.' },
    'dry-run': { description: 'Print a unified diff of every file that would change; write and push nothing.', default: 'false', boolean: true }
  },
  outputs: {
    'changed-files': { description: 'JSON array of the files changed (or that would change), relative to working-directory or the deploy repository.', json: true },
    changes: { description: 'JSON array of the edits: file, line, service, what, from, to.', json: true },
    images: { description: 'JSON object service → the reference now deployed (repo:tag@digest).', json: true },
    'pull-request': { description: 'URL of the pull request in the deploy repository (empty without one).' },
    'pull-request-number': { description: 'Number of that pull request.' },
    plan: { description: 'The plan, with the changed files added to its written files (the release step commits them).', json: true }
  }
};

export const releaseSpec: ActionSpec = {
  name: 'release',
  title: 'imgver release',
  description:
    'Commit the version files, create an annotated git tag per release and push branch and tags in one atomic push, safe when runs race (retry on a moved branch, recompute or fail on a taken version); optional moving major/minor tags and GitHub Releases with notes.',
  inputs: {
    ...COMMON_INPUTS,
    plan: {
      description:
        'The plan from compute-version (write: true), build-tag-push or helm-sync: its release tags, and the files they wrote. Without it, release runs compute-version (write: true) itself.'
    },
    files: { description: 'More files to commit with the release, one a line, relative to working-directory.', multiline: true },
    'commit-message': { description: 'The release commit message: {{versions}} is the release tags, {{version}} the first version.', default: 'chore(release): {{versions}} [skip ci]' },
    remote: { description: 'The git remote to push to.', default: 'origin' },
    branch: { description: 'The branch to commit the release to (default: the pushed branch). On a tag push without it, only tags are pushed.' },
    'on-conflict': {
      description:
        'When another run took the version first: fail (stop, naming both commits) or recompute (compute the versions again on the new tip and release the next free one). A branch that merely moved is always rebased on.',
      default: 'fail'
    },
    'max-attempts': { description: 'How many times the push is tried on a moving branch (1-50), with a jittered wait between tries.', default: '10' },
    'moving-tags': { description: 'Also move the major and minor tags (v1, v1.2) to a final release: the only tags ever force-pushed.', default: 'false', boolean: true },
    'github-release': { description: 'Create or update a GitHub Release per tag (prerelease for prerelease versions).', default: 'false', boolean: true },
    'release-notes': {
      description: "Notes of the GitHub Release: changelog (the version's CHANGELOG.md section), commits (the commits since the previous release, grouped by type) or auto (changelog, else commits).",
      default: 'auto'
    },
    token: { description: 'Token for GitHub Releases (contents: write). Default: the job token; the CLI reads GITHUB_TOKEN.', runnerDefault: '${{ github.token }}' },
    'dry-run': { description: 'Show what would be committed, tagged, pushed and published; change nothing.', default: 'false', boolean: true }
  },
  outputs: {
    tags: { description: 'JSON array of the release tags (pushed, or found pushed by an earlier run).', json: true },
    commit: { description: 'The commit the release is on (the release commit, or the current one when there was nothing to commit).' },
    'release-urls': { description: 'JSON object tag → GitHub Release URL.', json: true },
    plan: { description: 'The plan with the release (commit, branch, tags, moving tags, URLs); versions recomputed on a new tip replace the old ones.', json: true }
  }
};

export const deployManifestSpec: ActionSpec = {
  name: 'deploy-manifest',
  title: 'imgver deploy-manifest',
  description:
    'Know and control what runs where: a version manifest per environment (tag, digest, history) with init, update, set, pull-latest, resolve, rollback, promote (with a registry retag of the floating tag), history, status, check-updates and verify. CLI: imgver manifest <command>.',
  inputs: {
    ...COMMON_INPUTS,
    command: { description: 'update | set | pull-latest | resolve | rollback | promote | history | status | check-updates | verify | init.' },
    manifest: { description: 'The manifest file (default: deploy/<environment>/version-manifest.yaml with environment, else version-manifest.yaml).' },
    environment: { description: 'The environment whose manifest this is (deploy/<environment>/version-manifest.yaml).' },
    plan: { description: 'update: the plan from build-tag-push (each pushed service’s version tag and digest).' },
    service: { description: 'Only this service (init, update, set, rollback, promote, pull-latest, resolve, history, check-updates).' },
    tag: { description: 'update, set: the tag to record (its digest is read from the registry). set marks it custom (a hotfix).' },
    to: { description: 'rollback: the tag to go back to (default: the previous version). promote: the target environment or manifest path.' },
    from: { description: 'promote: the source environment or manifest path.' },
    all: { description: 'rollback: every service whose previous version differs.', default: 'false', boolean: true },
    retag: { description: 'promote: point the target environment’s floating tag at each promoted digest through the registry API (no pull, no rebuild).', default: 'false', boolean: true },
    'floating-tag': { description: 'promote --retag: the floating tag ({{environment}} is the target environment, e.g. prod or beta-acme).', default: '{{environment}}' },
    history: { description: 'Versions kept in each service’s history.', default: '5' },
    'env-file': { description: 'The docker-compose environment file written with the manifest (default: versions.env beside it; none: no file).' },
    url: { description: 'verify: the version endpoint to poll (JSON {"version": …} or plain text).' },
    expect: { description: 'verify: the version the endpoint must report (a leading v is ignored).' },
    timeout: { description: 'verify: seconds to keep polling.', default: '300' },
    interval: { description: 'verify: seconds between polls.', default: '5' },
    'dry-run': { description: 'Show what would change (and which tags would move); write and retag nothing.', default: 'false', boolean: true },
    ...REGISTRY_INPUTS
  },
  outputs: {
    manifest: { description: 'The manifest (JSON) after the command.', json: true },
    changed: { description: 'JSON array of the services whose entry changed.', json: true },
    report: { description: 'JSON: status rows, history per service, newer tags per service (check-updates), or {url, version, polls, verified} (verify).', json: true },
    backup: { description: 'The backup made before the change (.version-backups/…), empty when nothing was written.' },
    'manifest-file': { description: 'The manifest file written, relative to working-directory.' },
    'env-file': { description: 'The environment file written with it.' }
  }
};
