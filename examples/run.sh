#!/usr/bin/env bash
# The whole imgver pipeline on the bundled example monorepo (api, web, worker, a shared lib, a chart): makes a git
# history in a temp dir with a bare repository as origin, releases it, changes one service, and releases again.
# With a Docker engine, docker-registry and helm here, it builds and pushes for real to a registry it starts on
# 127.0.0.1. Without them (or with IMGVER_EXAMPLE_NO_DOCKER=1) it still does for real everything that needs no Docker:
# detect, version, write-back, the chart edit (and package, with helm), the git release into the local origin; and
# it shows what it would build and retag.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
imgver="node $here/../dist/cli.js"
work=$(mktemp -d)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

helm_bin=${IMGVER_HELM:-$( [ -x "$here/../.tools/helm" ] && echo "$here/../.tools/helm" || command -v helm || true)}
# Debian's docker.io client (/usr/bin/docker) has BuildKit built in; a newer client may need the buildx plugin.
docker_bin=${IMGVER_DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || command -v docker || true)}
real=0
if [ "${IMGVER_EXAMPLE_NO_DOCKER:-${IMGVER_EXAMPLE_DRY_RUN:-0}}" != 1 ] && [ -n "$helm_bin" ] && [ -x "$helm_bin" ] && command -v docker-registry >/dev/null && [ -n "$docker_bin" ] && "$docker_bin" info >/dev/null 2>&1; then
  real=1
fi

mkdir "$work/repo"
cp -r "$here/monorepo/." "$work/repo"
cd "$work/repo"
if [ "$real" = 1 ]; then
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  mkdir -p "$work/registry"
  printf 'version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: "127.0.0.1:%s"}\n' "$work/registry" "$port" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" 2>/dev/null &
  registry_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  sed -i "s/localhost:5000/127.0.0.1:$port/g" imgver.yaml deploy/chart/values.yaml deploy/k8s/*/*.yaml deploy/k8s/overlays/*/*.yaml
  export IMGVER_DOCKER=$docker_bin IMGVER_HELM=$helm_bin DOCKER_CONFIG="$work/docker" HELM_CONFIG_HOME="$work/helm" HELM_CACHE_HOME="$work/helm" HELM_DATA_HOME="$work/helm"
  mode=(--release --write --stage-inputs "helm-sync: {push: oci://127.0.0.1:$port/charts}
build-tag-push: {network: none}")
  echo "== a Docker engine, a registry on 127.0.0.1:$port and helm: building and pushing for real" >&2
else
  # No Docker: no build-tag-push (the table shows what it would build and retag); the rest runs for real.
  export HELM_CONFIG_HOME="$work/helm" HELM_CACHE_HOME="$work/helm" HELM_DATA_HOME="$work/helm"
  if [ -n "$helm_bin" ] && [ -x "$helm_bin" ]; then
    export IMGVER_HELM=$helm_bin
    chart="helm-sync: {package-dir: $work/charts}"
    what="the chart is edited and packaged"
  else
    chart="helm-sync: {write-only: true}"
    what="the chart is edited (no helm here to package it)"
  fi
  mode=(--release --write --build-tag-push false --helm-sync true --stage-inputs "$chart")
  echo "== no Docker engine here: nothing is built or pushed (the table says what would be); versions, the" >&2
  echo "   write-back, the release commit and tags are real (into a local origin), and $what" >&2
fi

git init -q -b main
git config user.name example && git config user.email example@imgver.local
git add -A && git commit -q -m "feat: first version of api, web and worker"
git clone -q --bare . "$work/origin.git" && git remote add origin "$work/origin.git" && git fetch -q origin

show() {
  node -e '
let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => {
  const out = JSON.parse(s);
  const plan = out.plan;
  console.log(`stages: ${out.stages.join(" → ")}`);
  console.log("service  changed  version  image");
  for (const svc of plan.services) {
    const tag = (svc.tags ?? [])[0];
    const planned = !svc.release ? "-" : svc.changed ? `would build ${tag ?? ""}` : `would retag ${svc.previous ?? "latest"} → ${svc.version} (registry API, no build)`;
    const what = svc.action ? `${svc.action}${svc.digest ? " " + svc.digest.slice(0, 19) + "…" : ""}` : planned;
    console.log(`${svc.name.padEnd(8)} ${(svc.changed ? "yes" : "no").padEnd(8)} ${(svc.version ?? "-").padEnd(8)} ${what}`);
  }
  for (const chart of plan.charts ?? []) {
    const where = chart.ref ? `pushed ${chart.ref}` : chart.package ? `packaged ${chart.package.split("/").pop()}` : "edited";
    console.log(`chart ${chart.name} ${chart.version} (appVersion ${chart.appVersion}): ${where}`);
  }
  for (const c of (out["k8s-changes"] || []).filter(c => c.file.endsWith("prod/kustomization.yaml"))) console.log(`k8s ${c.file}:${c.line} ${c.what}: ${c.from ?? "(none)"} → ${c.to}`);
  console.log(`release: ${out["release-tags"].length ? out["release-tags"].join(", ") : "nothing to release"}${out["release-commit"] ? " on " + out["release-commit"].slice(0, 7) : ""}`);
});'
}

echo "== imgver pipeline: the first release" >&2
$imgver pipeline "${mode[@]}" --json 2>"$work/log" | show || { cat "$work/log" >&2; exit 1; }
echo "== a change to services/api only, then imgver pipeline again" >&2
echo "api v2" > services/api/main.txt
git commit -q -am "feat(api): add the orders endpoint"
$imgver pipeline "${mode[@]}" --json 2>"$work/log" | show || { cat "$work/log" >&2; exit 1; }
git log --oneline --decorate -3 >&2
