#!/usr/bin/env bash
# `npm run <script>`: runs the given command on the project's Node.js (scripts/node-runtime.sh)
# after the one-time setup, e.g. `bash scripts/run.sh node --import tsx worker/main.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
jobs_use_node
bash scripts/bootstrap.sh
exec "$@"
