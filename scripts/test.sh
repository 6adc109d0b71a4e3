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
# --- memory: Qdrant's engine for the tests (begin) ---------------------------------------------
# PyPI qdrant-edge-py (Qdrant's Rust shard engine) behind tests/support/qdrant-adapter.py, so
# every run proves the Qdrant index too (unless QDRANT_URL names a real server).
qdrant_marker=".tools/qdrant/.installed-$(cksum <tests/support/qdrant-requirements.txt | cut -d' ' -f1)"
if [ -z "${QDRANT_URL:-}" ] && [ ! -f "$qdrant_marker" ]; then
  echo "jobs: installing Qdrant's engine for the tests (first run)..." >&2
  rm -rf .tools/qdrant
  { python3 -m venv .tools/qdrant && .tools/qdrant/bin/pip install --quiet --disable-pip-version-check \
      -r tests/support/qdrant-requirements.txt; } >.tools/qdrant-install.log 2>&1 \
    || { cat .tools/qdrant-install.log >&2; echo "jobs: pip could not install qdrant-edge-py (see above): check access to PyPI." >&2; exit 1; }
  touch "$qdrant_marker"
fi
# --- memory: Qdrant's engine for the tests (end) -----------------------------------------------
node --import tsx scripts/check-test-database.ts
echo "== type-check" && node_modules/.bin/tsc -p .
echo "== lint" && node_modules/.bin/eslint --max-warnings 0 . && node_modules/.bin/prettier --check . >/dev/null
echo "== tests" && exec node_modules/.bin/vitest run "$@"
