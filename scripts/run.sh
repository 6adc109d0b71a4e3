#!/usr/bin/env bash
# Runs a command on the project's Node.js (scripts/node-runtime.sh) after the one-time
# setup, with the project's tools on PATH. Every npm script goes through it, and so can
# you: `bash scripts/run.sh vitest run tests/session.test.ts`, `bash scripts/run.sh tsc -p .`
# With `--preflight <command>` first, scripts/preflight.ts checks what that command needs
# before anything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
jobs_use_node
if [ "${1:-}" = --preflight ]; then
  jobs_preflight "$2"
  shift 2
fi
bash scripts/bootstrap.sh
PATH="$(dirname "$JOBS_NODE"):$PWD/node_modules/.bin:$PATH"
exec "$@"
