#!/usr/bin/env bash
# A logical backup of the forum's PostgreSQL database, in pg_dump's custom
# format (compressed, restorable table by table with pg_restore).
#
#   tools/backup.sh "$DATABASE_URL" /backups/alternance-$(date +%F).dump
#
# Run it where pg_dump's major version is at least the server's (in the
# compose stack: `docker compose exec db pg_dump ...`, docs/operations.md,
# "Backups"). The dump holds personal data: keep it encrypted, readable by
# the operators only. tools/stack_check.sh restores one in CI.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DATABASE_URL OUTPUT.dump" >&2; exit 2; }
url=$1
out=$2
# Written beside the target, then renamed: a failed or interrupted dump never
# leaves a truncated file under the name a restore would pick.
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$out.partial" "$url"
mv "$out.partial" "$out"
echo "backup: $out ($(du -h "$out" | cut -f1))"
