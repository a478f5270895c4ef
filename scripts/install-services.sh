#!/usr/bin/env bash
# Installs the Debian packages shipgate's tests start as real services (ARCHITECTURE §4).
# Tests start each one on a loopback port in a temp dir and stop it after; with
# SHIPGATE_REQUIRE_SERVICES=1 (as in .ci/run) a test that cannot find its service fails
# instead of skipping.
#
# Each entry: the Debian package and the command that proves it is installed. The list grows with
# the features that need a service (Postgres store, Prometheus metric source, Redis rate limiter,
# Chromium for the dashboard). Run as root, or with sudo available.
set -euo pipefail

# package:command. No feature needs a service yet: the eval pipeline runs on SQLite, which is a
# library, not a service. git is used by the tests of run metadata.
SERVICES=(
  "git:git"
  "redis-server:redis-server"
  "prometheus:prometheus"
)

missing=()
for entry in "${SERVICES[@]}"; do
  package="${entry%%:*}"
  command="${entry#*:}"
  command -v "$command" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-services: all present (${SERVICES[*]%%:*})"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-services: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
