#!/usr/bin/env bash
# `npm test`: set up on first run, then type-check, lint and run every test suite
# against a real Temporal dev server and real PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests use the pinned Temporal CLI and time-skipping server unless told otherwise.
JOBS_PIN_TEMPORAL=1 bash scripts/bootstrap.sh
# Debian's docker-compose validates docker-compose.yml without a Docker engine.
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "jobs: installing docker-compose (first run)..." >&2
    { apt-get update -qq && apt-get install -y -qq docker-compose; } >/dev/null 2>&1 \
      || { echo "jobs: apt-get could not install docker-compose; install it by hand." >&2; exit 1; }
  else
    echo "jobs: docker-compose is needed to validate docker-compose.yml: sudo apt-get install docker-compose" >&2
    exit 1
  fi
fi
node --import tsx scripts/check-test-database.ts
echo "== type-check" && node_modules/.bin/tsc -p .
echo "== lint" && node_modules/.bin/eslint --max-warnings 0 . && node_modules/.bin/prettier --check . >/dev/null
echo "== tests" && exec node_modules/.bin/vitest run "$@"
