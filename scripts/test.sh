#!/usr/bin/env bash
# `npm test`: set up on first run, then type-check, lint and run every test suite
# against a real Temporal dev server and real PostgreSQL, on the project's Node.js
# (npm may be running on an older one: from here on everything runs on Node 24).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
jobs_use_node
# The tests use the pinned Temporal CLI and time-skipping server unless told otherwise.
JOBS_PIN_TEMPORAL=1 bash scripts/bootstrap.sh
# Debian packages the tests use: docker-compose validates docker-compose.yml without a
# Docker engine; tmux gives `npm run chat` a real terminal (tests/chat-terminal.test.ts).
missing=()
for tool in docker-compose tmux; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "jobs: installing ${missing[*]} (first run)..." >&2
    { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 \
      || { echo "jobs: apt-get could not install ${missing[*]}; install them by hand." >&2; exit 1; }
  else
    echo "jobs: the tests need ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
# The smoke run of the lowest supported major (tests/assistant-process.test.ts) needs a Node 22.
if [ "$(node -p 'process.versions.node.split(".")[0]')" = 22 ]; then
  JOBS_SMOKE_NODE=$JOBS_NODE
elif [ "$(uname -s)" = Linux ]; then
  JOBS_SMOKE_NODE=$(jobs_registry_node "$JOBS_NODE_SMOKE_VERSION") || exit 1
fi
export JOBS_SMOKE_NODE=${JOBS_SMOKE_NODE:-}
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
# --- calendar: a real CalDAV server for the tests (begin) ---------------------------------------
# PyPI radicale (a CalDAV server that runs from a folder) in .tools/radicale; tests/support/radicale.ts
# starts one per test file with a throwaway storage folder and a user/password.
radicale_marker=".tools/radicale/.installed-$(cksum <tests/support/radicale-requirements.txt | cut -d' ' -f1)"
if [ ! -f "$radicale_marker" ]; then
  echo "jobs: installing the Radicale CalDAV server for the tests (first run)..." >&2
  rm -rf .tools/radicale
  { python3 -m venv .tools/radicale && .tools/radicale/bin/pip install --quiet --disable-pip-version-check \
      -r tests/support/radicale-requirements.txt; } >.tools/radicale-install.log 2>&1 \
    || { cat .tools/radicale-install.log >&2; echo "jobs: pip could not install radicale (see above): check access to PyPI." >&2; exit 1; }
  touch "$radicale_marker"
fi
# --- calendar: a real CalDAV server for the tests (end) -----------------------------------------
node --import tsx scripts/check-test-database.ts
echo "== Node.js $(node --version) runs the tests ($JOBS_NODE_SOURCE)${JOBS_SMOKE_NODE:+; smoke run on $("$JOBS_SMOKE_NODE" --version)}"
echo "== type-check" && node_modules/.bin/tsc -p .
echo "== lint" && node_modules/.bin/eslint --max-warnings 0 . && node_modules/.bin/prettier --check . >/dev/null
echo "== tests" && exec node_modules/.bin/vitest run "$@"
