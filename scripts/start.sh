#!/usr/bin/env bash
# `npm start`: check the configuration, set up on first run, then run the whole assistant
# on the project's Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
jobs_use_node
jobs_preflight start
bash scripts/bootstrap.sh
# Node keeps compiled modules between starts (a restart loads the same code).
export NODE_COMPILE_CACHE="$PWD/node_modules/.cache/node-compile-cache"
exec node --import tsx worker/run-assistant.ts
