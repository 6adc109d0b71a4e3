#!/usr/bin/env bash
# `npm start`: set up on first run, then run the whole assistant.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node --import tsx worker/run-assistant.ts
