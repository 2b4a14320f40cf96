#!/usr/bin/env bash
# Runs imgver on the bundled example monorepo: makes a git history in a temp dir (two services, a shared lib),
# releases both, changes one service, and shows what detect-changes finds and what compute-version plans for it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
imgver="node $here/../dist/cli.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/monorepo/." "$work"
cd "$work"
git init -q -b main
git -c user.name=example -c user.email=example@imgver.local add -A
git -c user.name=example -c user.email=example@imgver.local commit -q -m "feat: first version of api and web"
git tag api/v1.4.0
git tag web/v2.0.3
echo "api v2" > services/api/main.txt
git -c user.name=example -c user.email=example@imgver.local commit -q -am "feat(api): add the orders endpoint"
echo "docs" > services/web/README.md
git add -A
git -c user.name=example -c user.email=example@imgver.local commit -q -m "docs(web): readme only (excluded by !**/*.md)"
echo "== git log" >&2
git log --oneline --decorate >&2
echo "== imgver detect-changes (since each service's last release)" >&2
plan=$($imgver detect-changes --default-branch main --json | node -e '
let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => {
  const out = JSON.parse(s);
  for (const svc of out.plan.services) console.error(`${svc.name}: ${svc.changed ? "changed" : "unchanged"} (${svc.reason})`);
  console.error("matrix: " + JSON.stringify(out.matrix));
  console.log(JSON.stringify(out.plan));
});')
echo "== imgver compute-version --plan <detect-changes plan>" >&2
$imgver compute-version --plan "$plan" --json | node -e '
let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => {
  const out = JSON.parse(s);
  console.log("versions:", JSON.stringify(out.versions));
  console.log("changed: ", JSON.stringify(out.changed));
  console.log("tags:\n  " + out.tags.split("\n").join("\n  "));
  for (const svc of out.plan.services) console.log(`${svc.name}: ${svc.previous} -> ${svc.version} (${svc.release ? "release" : "no release"}; ${svc.bumpReason})`);
});'
echo "== imgver release --dry-run (a bare repository as origin)" >&2
git clone -q --bare . "$work.origin.git" && trap 'rm -rf "$work" "$work.origin.git"' EXIT
git remote add origin "$work.origin.git"
computed=$($imgver compute-version --plan "$plan" --write --json | node -e '
let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => console.log(JSON.stringify(JSON.parse(s).plan)));')
$imgver release --plan "$computed" --dry-run --moving-tags --json | node -e '
let s = ""; process.stdin.on("data", d => (s += d)).on("end", () => console.log("release tags:", JSON.stringify(JSON.parse(s).tags)));'
