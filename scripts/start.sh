#!/usr/bin/env bash
# `npm start`: check the configuration, set up on first run, then run the whole assistant
# on the project's Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
jobs_use_node
jobs_preflight start
bash scripts/bootstrap.sh
exec node --import tsx worker/run-assistant.ts
