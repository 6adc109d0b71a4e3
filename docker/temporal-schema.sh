#!/bin/sh
# docker-compose's `temporal-schema` service (temporalio/admin-tools): creates Temporal's two
# databases on the shared PostgreSQL and brings their schemas to this release's version, as
# temporalio/auto-setup did at each start. Safe to run again.
set -eu
sql() { temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" "$@"; }
for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  # `create` fails when the database exists (every start after the first): that is fine.
  sql --db "$db" create || echo "Database $db exists."
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
echo "Temporal's schema is ready."
