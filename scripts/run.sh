#!/usr/bin/env bash
# Runs a command on the project's Node.js (scripts/node-runtime.sh) after the one-time
# setup, with the project's tools on PATH. Every npm script goes through it, and so can
# you: `bash scripts/run.sh vitest run tests/session.test.ts`, `bash scripts/run.sh tsc -p .`
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
jobs_use_node
bash scripts/bootstrap.sh
PATH="$(dirname "$JOBS_NODE"):$PWD/node_modules/.bin:$PATH"
exec "$@"
