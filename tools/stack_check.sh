#!/usr/bin/env bash
# CI's check of the production recipe (docs/operations.md, "The compose
# stack"): builds the Dockerfile with buildah, starts the compose stack's
# services from the image on this machine's PostgreSQL and Redis (two HTTP
# processes on granian behind the HTTP cache, Varnish with deploy/varnish/,
# two websocket processes on uvicorn, the notifications worker, a migration
# job) behind Caddy with the stack's own deploy/Caddyfile, then checks
# through the proxy: /readyz, security headers, /static/, the client address
# through two trusted hops, websockets on both websocket processes hearing
# answers posted through both HTTP processes, anonymous pages served by the
# cache until an answer bans them, members' pages never; and a backup/restore
# round trip of the seeded database.
#
#   bash tools/stack_check.sh        (as root; .ci/run calls it)
#
# No Docker engine: `buildah run --isolation chroot` shares the host's network,
# so each process listens on a loopback port of its own (docs/known-traps.md,
# "Containers"). Uses its own database (STACK_DB, dropped at the end) and
# Redis database (STACK_REDIS_DB, emptied at start); kills and removes
# everything it started, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

STACK_DB=${STACK_DB:-alternance_stack}
STACK_REDIS_DB=${STACK_REDIS_DB:-15}
PG=${STACK_PG:-postgres://postgres@127.0.0.1:5432}
IMAGE=localhost/alternance-qa:stack-check
DEMO_PASSWORD=stack-check-demo-password
started=$(date +%s)

say() { echo "stack check [$(($(date +%s) - started))s]: $*"; }
# CI shows the end of the output: the reason is said again after the logs
# (cleanup), with the disk space, which a full disk would explain.
failure=""
fail() {
    failure=$*
    echo "stack check: FAILED: $*" >&2
    exit 1
}
# A command that fails outside `fail` (set -e) names itself the same way.
trap 'code=$?; [ -n "$failure" ] || failure="line $LINENO exited with $code: $BASH_COMMAND"' ERR

# --- Tools: installed when missing, like .ci/run installs chromium ----------
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v caddy >/dev/null || missing+=(caddy)
command -v pg_dump >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
# In /usr/sbin, which a non-login root shell may not have on its PATH.
VARNISHD=$(command -v varnishd || echo /usr/sbin/varnishd)
# varnishadm (the probes' view, below) comes in the same package.
{ [ -x "$VARNISHD" ] && command -v varnishadm >/dev/null; } || missing+=(varnish)
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/stack-check.XXXXXX)
containers=()
groups=()
stop_services() {
    # Each process was started in a session of its own: its group is exactly
    # what this script started (buildah run and the server under it). TERM
    # first, as an orchestrator would, KILL after 10 s.
    for group in "${groups[@]}"; do kill -TERM -- "-$group" 2>/dev/null || true; done
    for group in "${groups[@]}"; do
        for _ in $(seq 1 40); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.25; done
        kill -KILL -- "-$group" 2>/dev/null || true
    done
    groups=()
}
cleanup() {
    local status=$?
    stop_services
    for container in "${containers[@]}"; do buildah rm "$container" >/dev/null 2>&1 || true; done
    if [ $status -ne 0 ]; then
        for log in "$work"/*.log; do
            [ -f "$log" ] && { echo "--- $(basename "$log") (last lines)"; tail -25 "$log"; }
        done
    fi
    for db in "$STACK_DB" "${STACK_DB}_restore"; do
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
    if [ $status -ne 0 ]; then
        df -h / /tmp /var/lib/containers 2>/dev/null | awk '!seen[$0]++' >&2 || true
        echo "stack check: FAILED after $(($(date +%s) - started))s: ${failure:-exit status $status}" >&2
    fi
    exit $status
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
WEB1_PORT=$(free_port)
WEB2_PORT=$(free_port)
WS1_PORT=$(free_port)
WS2_PORT=$(free_port)
HTTPS_PORT=$(free_port)
HTTP_PORT=$(free_port)
CACHE_PORT=$(free_port)
CACHE_BAN_PORT=$(free_port)
SITE="https://localhost:$HTTPS_PORT"

# --- The image ---------------------------------------------------------------
say "base image (once per machine) and build"
bash tools/container-base.sh >"$work/base.log" 2>&1 || fail "base image, see $work/base.log"
previous=$(buildah images --quiet --no-trunc "$IMAGE" 2>/dev/null || true)
buildah bud --isolation chroot --pull=never --layers --format docker -v /etc/ssl/certs:/etc/ssl/certs:ro -t "$IMAGE" . \
    >"$work/build.log" 2>&1 || fail "image build"
# The previous run's image lost its tag to this one: remove it (its layers
# shared with this build stay), or every commit would leave one behind.
if [ -n "$previous" ] && [ "$previous" != "$(buildah images --quiet --no-trunc "$IMAGE")" ]; then
    buildah rmi "$previous" >/dev/null 2>&1 || true
fi
say "image built"

# --- Database and Redis of the stack ------------------------------------------
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $STACK_DB WITH (FORCE)" >/dev/null
psql "$PG/postgres" -qc "CREATE DATABASE $STACK_DB" >/dev/null
# Cached pages are keyed by event cursors, which a new database hands out again.
redis-cli -n "$STACK_REDIS_DB" FLUSHDB >/dev/null

# The environment of compose.yaml's app services, with this machine's
# addresses; the proxy and the cache run on the host, so both are 127.0.0.1.
app_env=(
    -e "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
    -e "ALLOWED_HOSTS=localhost"
    -e "SITE_URL=$SITE"
    -e "DATABASE_URL=$PG/$STACK_DB"
    -e "REDIS_URL=redis://127.0.0.1:6379/$STACK_REDIS_DB"
    -e "MIGRATE_ON_START=0"
    -e "BEHIND_TLS_PROXY=1"
    -e "FORWARDED_ALLOW_IPS=127.0.0.1"
    -e "HTTP_CACHE_BAN_URLS=http://127.0.0.1:$CACHE_BAN_PORT"
    -e "SECURE_HSTS_SECONDS=3600"
    -e "SECURE_HSTS_INCLUDE_SUBDOMAINS=1"
    -e "SILENCED_SYSTEM_CHECKS=security.W021"
    # The deploy check refuses development email backends. Nothing listens
    # there: a due email fails and stays in the outbox for a later sweep.
    -e "EMAIL_BACKEND=smtp"
    -e "EMAIL_HOST=127.0.0.1"
    -e "EMAIL_PORT=$(free_port)"
    -e "WEB_CONCURRENCY=1"
    -e "DB_POOL_MAX=4"
)

# The HTTP processes are behind Caddy and the cache (which appends Caddy's
# address to X-Forwarded-For); everything else is reached from Caddy directly.
http_env=(-e "TRUSTED_PROXY_COUNT=2" -e ROLE=http)
one_hop=(-e "TRUSTED_PROXY_COUNT=1")

new_container() {  # sets CONTAINER (not a $(...): the list must grow in this shell)
    CONTAINER=$(buildah from --pull=never "$IMAGE")
    containers+=("$CONTAINER")
}

# --- One-off jobs: migrate once, seed, collect the static files -------------
new_container
jobs=$CONTAINER
say "migrate (once, before any web process)"
buildah run --isolation chroot "${app_env[@]}" "${one_hop[@]}" "$jobs" /app/docker/entrypoint.sh python manage.py migrate --noinput \
    >"$work/migrate.log" 2>&1 || fail "migrate"
# No ban list: the cache starts below, and the web processes ban everything
# when they start (config/http_server.py); the seed's bans would only fill
# its log with refused connections.
buildah run --isolation chroot "${app_env[@]}" "${one_hop[@]}" -e HTTP_CACHE_BAN_URLS= "$jobs" \
    /app/docker/entrypoint.sh python manage.py seed_demo --password "$DEMO_PASSWORD" >"$work/seed.log" 2>&1 ||
    fail "seed_demo"
# Through a file, not a pipe: each side's failure then says which it was.
buildah run --isolation chroot "$jobs" tar -C /app/staticfiles -cf - . >"$work/static.tar" 2>"$work/static-copy.log" ||
    fail "reading /app/staticfiles out of the image"
mkdir -p "$work/static"
tar -C "$work/static" -xf "$work/static.tar" 2>>"$work/static-copy.log" || fail "extracting the static files"
rm -f "$work/static.tar"
say "migrated, seeded, $(find "$work/static" -type f | wc -l) static files"

# --- Long-running services ---------------------------------------------------
start() {  # start NAME COMMAND...: in a session of its own, output to NAME.log
    local name=$1
    shift
    setsid "$@" >"$work/$name.log" 2>&1 &
    groups+=($!)
}
# The cache first, as compose.yaml's command runs it (backends.vcl written
# from WEB_UPSTREAMS, found through vcl_path), so that the web processes'
# ban at start (config/http_server.py) reaches it. Run by root on the host:
# no jail, its own working directory; killed with the others (its group).
mkdir -p "$work/varnish"
WEB_UPSTREAMS="127.0.0.1:$WEB1_PORT 127.0.0.1:$WEB2_PORT" SITE_HOST=localhost HEALTH_INTERVAL=1s \
    sh deploy/varnish/backends.sh >"$work/varnish/backends.vcl"
start cache "$VARNISHD" -F -j none -n "$work/varnish/instance" \
    -a "127.0.0.1:$CACHE_PORT" -a "purge=127.0.0.1:$CACHE_BAN_PORT" \
    -p vcl_path="$work/varnish:$PWD/deploy/varnish" -p backend_idle_timeout=4s \
    -f "$PWD/deploy/varnish/default.vcl" -s malloc,64m
for attempt in $(seq 1 30); do
    # Its purge listener answers anything but a BAN with a 404 of its own.
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CACHE_BAN_PORT/")" = 404 ] && break
    [ "$attempt" -lt 30 ] || fail "the cache (varnishd) never listened"
    sleep 1
done
new_container
start web1 buildah run --isolation chroot "${app_env[@]}" "${http_env[@]}" -e "PORT=$WEB1_PORT" "$CONTAINER" \
    /app/docker/entrypoint.sh serve
new_container
start web2 buildah run --isolation chroot "${app_env[@]}" "${http_env[@]}" -e "PORT=$WEB2_PORT" "$CONTAINER" \
    /app/docker/entrypoint.sh serve
new_container
start ws1 buildah run --isolation chroot "${app_env[@]}" "${one_hop[@]}" -e ROLE=ws -e "PORT=$WS1_PORT" "$CONTAINER" \
    /app/docker/entrypoint.sh serve
new_container
start ws2 buildah run --isolation chroot "${app_env[@]}" "${one_hop[@]}" -e ROLE=ws -e "PORT=$WS2_PORT" "$CONTAINER" \
    /app/docker/entrypoint.sh serve
new_container
start worker buildah run --isolation chroot "${app_env[@]}" "${one_hop[@]}" "$CONTAINER" /app/docker/entrypoint.sh \
    python manage.py notifications_worker
mkdir -p "$work/caddy"
start proxy env XDG_DATA_HOME="$work/caddy" XDG_CONFIG_HOME="$work/caddy" \
    SITE_HOST=localhost TLS=internal HTTP_PORT="$HTTP_PORT" HTTPS_PORT="$HTTPS_PORT" \
    WEB_UPSTREAMS="127.0.0.1:$CACHE_PORT" WS_UPSTREAMS="127.0.0.1:$WS1_PORT 127.0.0.1:$WS2_PORT" \
    STATIC_DIR="$work/static" \
    caddy run --config deploy/Caddyfile --adapter caddyfile

# Each web process: its container's own probe, as compose.yaml's healthcheck.
for port in "$WEB1_PORT" "$WEB2_PORT" "$WS1_PORT" "$WS2_PORT"; do
    for attempt in $(seq 1 90); do
        curl -fsS -o /dev/null -H "Host: localhost" "http://127.0.0.1:$port/readyz" && break
        [ "$attempt" -lt 90 ] || fail "web process on $port never ready"
        sleep 1
    done
done
# ... and the cache's probes found both: a process probed while it started is
# marked sick and needs two good probes (.threshold) to take requests again;
# until then the cache sends everything to the other one, and the check below
# that both took answers failed on a loaded machine.
for attempt in $(seq 1 30); do
    healthy=$(varnishadm -n "$work/varnish/instance" backend.list 2>/dev/null |
        grep -cE '\.web[0-9]+ +probe +[0-9]+/[0-9]+ +healthy' || true)
    [ "$healthy" -ge 2 ] && break
    [ "$attempt" -lt 30 ] || fail "the cache found $healthy of the 2 web processes ready"
    sleep 1
done
curl -fsS -o /dev/null -H "Host: localhost" "http://127.0.0.1:$CACHE_PORT/readyz" || fail "no web process ready behind the cache"
ca="$work/caddy/caddy/pki/authorities/local/root.crt"
for attempt in $(seq 1 60); do
    [ -f "$ca" ] && curl -fsS -o /dev/null --cacert "$ca" --resolve "localhost:$HTTPS_PORT:127.0.0.1" "$SITE/readyz" && break
    [ "$attempt" -lt 60 ] || fail "proxy never answered /readyz"
    sleep 1
done
say "two HTTP processes, the cache, two websocket processes, the worker and the proxy are up"

# --- Through the proxy, from inside the image: the client's view -------------
# Caddy keeps its root certificate readable by root only; the image runs as app.
install -m 0644 "$ca" "$work/proxy-ca.crt"
new_container
buildah run --isolation chroot -v "$work/proxy-ca.crt:/tmp/proxy-ca.crt:ro" "$CONTAINER" python /app/tools/stack_probe.py \
    --base "$SITE" --plain "http://localhost:$HTTP_PORT" --ca /tmp/proxy-ca.crt \
    --username demo-hr --password "$DEMO_PASSWORD" || fail "probe through the proxy"

# --- What the web processes saw ----------------------------------------------
# The logs are JSON lines (config/uvicorn_logging.json, config/access_log.py):
# quotes come escaped.
for web in web1 web2; do
    answers=$(grep -cE '\\?"POST /api/v1/threads/[0-9]+/answers/ HTTP/1.1\\?" 201' "$work/$web.log" || true)
    sockets=$(grep -cE '\\?"WebSocket /ws/\\?" \[accepted\]' "$work/$web.log" || true)
    [ "$answers" -ge 1 ] && [ "$sockets" -eq 0 ] || fail "HTTP process $web took $answers answers, $sockets websockets"
    say "$web (granian) took $answers answer(s)"
done
for ws in ws1 ws2; do
    sockets=$(grep -cE '\\?"WebSocket /ws/\\?" \[accepted\]' "$work/$ws.log" || true)
    [ "$sockets" -ge 1 ] || fail "websocket process $ws held $sockets websockets"
    say "$ws (uvicorn) held $sockets websocket(s): each socket heard the answers posted through both HTTP processes"
done
# The forged address a client put in X-Forwarded-For reached no process.
# (Captured, not piped into grep -q: under pipefail its early exit could fail
# the pipeline.)
forged=$(grep -h 'readyz?forged-forwarded-for' "$work/web1.log" "$work/web2.log" || true)
[ -n "$forged" ] || fail "the forged request never reached a web process"
if grep -q '203\.0\.113\.7' <<<"$forged"; then
    fail "a client-written X-Forwarded-For reached the web process: $forged"
fi
# ... and the address the HTTP process logged is the probe's own (it connected
# from 127.0.0.2): two hops counted, the cache (127.0.0.1, trusted) and the
# proxy (127.0.0.1, which the cache appended). One hop would log the proxy's.
grep -q '127\.0\.0\.2' <<<"$forged" || fail "the HTTP process logged another client address: $forged"
say "two trusted hops: the client's own address logged, its forged X-Forwarded-For replaced by the proxy"
grep -qiE 'traceback|Internal Server Error' "$work/web1.log" "$work/web2.log" "$work/ws1.log" "$work/ws2.log" \
    "$work/worker.log" \
    && fail "a traceback in the logs"
# Every ban reached the cache (forum/http_cache.py logs those that did not).
grep -q 'Could not ban' "$work/web1.log" "$work/web2.log" "$work/ws1.log" "$work/ws2.log" "$work/worker.log" \
    && fail "a ban did not reach the cache"

# --- Backup and restore of the seeded database -------------------------------
counts() {  # every table of the public schema with its exact row count
    psql "$1" -At -F ' ' -c "
        SELECT table_name,
               (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', table_name),
                                                    false, true, '')))[1]::text
        FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        ORDER BY table_name"
}
# The services stop first: a dump is a consistent snapshot, but the live
# counts compared with it must be of the same moment.
stop_services
say "services stopped"
bash tools/backup.sh "$PG/$STACK_DB" "$work/stack.dump"
psql "$PG/postgres" -qc "CREATE DATABASE ${STACK_DB}_restore" >/dev/null
bash tools/restore.sh "$work/stack.dump" "$PG/${STACK_DB}_restore"
counts "$PG/$STACK_DB" >"$work/counts-before"
counts "$PG/${STACK_DB}_restore" >"$work/counts-after"
diff -u "$work/counts-before" "$work/counts-after" || fail "row counts differ after restore"
tables=$(wc -l <"$work/counts-before")
rows=$(awk '{ sum += $2 } END { print sum }' "$work/counts-before")
answers=$(awk '$1 == "forum_answer" { print $2 }' "$work/counts-before")
[ "${answers:-0}" -gt 0 ] || fail "the seeded database has no answers to restore"
say "backup/restore round trip: $tables tables, $rows rows, identical counts ($answers answers)"
say "passed in $(($(date +%s) - started))s"
