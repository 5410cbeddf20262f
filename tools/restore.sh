#!/usr/bin/env bash
# Restores a dump made by tools/backup.sh into a database that must be new
# and empty (create it first: `createdb alternance_restore`); never over the
# live one. Then check it and point DATABASE_URL at it (docs/operations.md,
# "Backups").
#
#   tools/restore.sh /backups/alternance-2026-12-01.dump postgres://.../alternance_restore
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DUMP TARGET_DATABASE_URL" >&2; exit 2; }
dump=$1
url=$2
tables=$(psql "$url" -Atc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
    echo "restore: the target database already has $tables tables; restore into a new, empty one" >&2
    exit 1
fi
# One transaction: a restore that fails half-way leaves the target empty,
# not half-filled.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
echo "restore: $dump restored into $(psql "$url" -Atc 'SELECT current_database()')"
