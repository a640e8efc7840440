#!/usr/bin/env bash
# Static checks of the container files, runnable with no Docker engine (CI can call it):
#   - both compose files, with `docker compose config` when the compose plugin exists, else against
#     the Compose Specification schema with dclint (npm) when node is there;
#   - both HAProxy configs with `haproxy -c` when haproxy is installed;
#   - the entrypoint and scale-out script with `sh -n` / `bash -n`.
# A checker that is not installed is reported as skipped, never as passed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# dclint, pinned; its npm package carries the Compose Specification JSON schema.
DCLINT_VERSION=3.1.0
failed=0
skipped=0

run() { # label command...
  local label="$1"; shift
  if "$@" >/tmp/validate.$$ 2>&1; then
    echo "ok      $label"
  else
    echo "FAILED  $label"; sed 's/^/        /' /tmp/validate.$$; failed=1
  fi
  rm -f /tmp/validate.$$
}
skip() { echo "skipped $1"; skipped=$((skipped + 1)); }

if docker compose version >/dev/null 2>&1; then
  run "docker compose config (stack)" docker compose -f docker-compose.yml config -q
  run "docker compose config (stack + test)" docker compose -f docker-compose.yml -f docker-compose.test.yml config -q
elif command -v npx >/dev/null 2>&1; then
  # Schema errors fail; dclint's style opinions (key order, quoting) are only warnings.
  run "compose files against the Compose Specification schema (dclint)" \
    npx --yes "dclint@$DCLINT_VERSION" docker-compose.yml docker-compose.test.yml
else
  skip "compose files: neither the docker compose plugin nor npx is installed"
fi

# In CI (root, Debian) the checker is worth a package install: best effort, bounded, never fatal.
if ! command -v haproxy >/dev/null 2>&1 && [[ "${CI:-}" == true && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "installing haproxy for the config check"
  { timeout 180 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 180 apt-get install -y -qq haproxy; } \
    >/tmp/validate-apt.$$ 2>&1 || echo "        (haproxy install failed: $(tail -1 /tmp/validate-apt.$$))"
  rm -f /tmp/validate-apt.$$
fi
if command -v haproxy >/dev/null 2>&1; then
  run "haproxy -c deploy/haproxy.cfg" haproxy -c -q -f deploy/haproxy.cfg
  run "haproxy -c deploy/haproxy-local.cfg" haproxy -c -q -f deploy/haproxy-local.cfg
else
  skip "haproxy configs: haproxy is not installed"
fi

run "sh -n deploy/docker-entrypoint.sh" sh -n deploy/docker-entrypoint.sh
run "bash -n scripts/scale-out-local.sh" bash -n scripts/scale-out-local.sh

echo "container checks: $([[ $failed == 0 ]] && echo passed || echo FAILED) ($skipped skipped)"
exit "$failed"
