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

# package:command. git is used by the tests of run metadata, Redis by the rate limiter,
# Prometheus by the metric source, PostgreSQL by the team store, Chromium by the HTML report's
# browser tests (driven through playwright-core; nothing downloads a browser).
SERVICES=(
  "git:git"
  "redis-server:redis-server"
  "prometheus:prometheus"
  "postgresql:initdb"
  "chromium:chromium"
)

# Debian keeps PostgreSQL's server programs in /usr/lib/postgresql/VERSION/bin, off PATH: link
# the newest version's into /usr/local/bin, where the tests look for them.
link_postgres() {
  command -v initdb >/dev/null 2>&1 && return 0
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] || return 0
  for program in initdb postgres pg_ctl; do
    $sudo ln -sf "$bin/$program" "/usr/local/bin/$program"
  done
}

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
link_postgres

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

echo "install-services: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
link_postgres
