#!/usr/bin/env bash
# What the integration tests need on a Debian machine: a Docker engine (Debian's docker.io, started without a bridge
# network), docker-registry (started by the tests themselves on 127.0.0.1), skopeo, htpasswd and openssl.
# Idempotent: installs only what is missing and starts dockerd only when it is not answering.
set -euo pipefail
need=()
for pair in /usr/sbin/dockerd:docker.io /usr/bin/docker-registry:docker-registry /usr/bin/skopeo:skopeo /usr/bin/htpasswd:apache2-utils /usr/bin/openssl:openssl; do
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
echo "test environment ready: $(/usr/bin/docker version --format 'docker engine {{.Server.Version}}'), $(docker-registry --version | awk '{print "registry " $3}'), $(skopeo --version)"
