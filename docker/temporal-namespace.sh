#!/bin/sh
# docker-compose's `temporal-namespace` service (temporalio/admin-tools): registers Jobs'
# namespace once the server answers. Idempotent.
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
temporal operator namespace describe -n "$ns" --address temporal:7233 >/dev/null 2>&1 \
  || temporal operator namespace create -n "$ns" --retention 30d --address temporal:7233
echo "Namespace $ns is ready."
