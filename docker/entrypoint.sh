#!/bin/sh
# Container entrypoint.
#   serve (default)  refuse to start on an unsafe configuration, migrate, then
#                    serve what ROLE says:
#                      http  HTTP with granian (config.wsgi), the default
#                      ws    websockets (/ws/) with uvicorn (config.asgi)
#                      all   both with uvicorn, for a single container
#                    behind one proxy that sends /ws/ to the ws processes and
#                    the rest to the http ones (docs/operations.md, "Serving").
#   anything else    run it as is, e.g. `python manage.py createsuperuser`
set -eu

if [ "${1:-serve}" != "serve" ]; then
    exec "$@"
fi

ROLE=${ROLE:-http}
case "$ROLE" in
    http | ws | all) ;;
    *) echo "ROLE must be http, ws or all, got '$ROLE'" >&2; exit 2 ;;
esac

# Warnings count: a weak SECRET_KEY (a missing one already stops the settings
# at import), DEBUG on, no HTTPS settings or a console email backend stop the
# container here rather than in front of users.
python manage.py check --deploy --fail-level WARNING

# With several replicas, run migrations once as a separate step before the
# rollout and set MIGRATE_ON_START=0 (docs/operations.md).
if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi

# Several workers share one /metrics through prometheus-client's
# multiprocess folder, which must start empty (docs/operations.md,
# "Observability"); a single worker counts in memory.
if [ "${WEB_CONCURRENCY:-2}" -gt 1 ] && [ -z "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    export PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus-multiproc
fi
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    rm -rf "${PROMETHEUS_MULTIPROC_DIR:?}"/*
fi

if [ "$ROLE" = "http" ]; then
    # granian, WSGI: a quarter of uvicorn's CPU per request, and less than
    # gunicorn's (docs/benchmarks.md, "Which server answers HTTP").
    # Workers, threads, graceful timeout, memory limit per worker and the
    # release's ban of the HTTP cache: config/http_server.py.
    exec python -m config.http_server
fi

# --proxy-headers: client address and scheme from X-Forwarded-* sent by the
# addresses in FORWARDED_ALLOW_IPS (uvicorn's variable, default 127.0.0.1):
# set it to the proxy's address, never "*" (the settings refuse it), so the
# access log shows the address TRUSTED_PROXY_COUNT picks (docs/operations.md).
# --ws-max-size: uvicorn accepts 16 MiB websocket messages unless told.
# --ws-per-message-deflate false: compressing every fan-out frame per socket
# doubled server CPU per delivery in bench/fanout.py (docs/benchmarks.md).
# --ws websockets-sansio (uvicorn's default today, named so that a change of
# default cannot turn it off): the protocol whose sockets take live frames
# serialised once (api/direct_writes.py).
# --timeout-graceful-shutdown: websockets would otherwise hold a stop until
# Docker kills the container (10 s); clients reconnect and catch up by cursor.
exec uvicorn config.asgi:application \
    --host 0.0.0.0 \
    --port "${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-2}" \
    --ws websockets-sansio \
    --ws-max-size 65536 \
    --ws-per-message-deflate false \
    --proxy-headers \
    --timeout-graceful-shutdown "${GRACEFUL_TIMEOUT:-8}" \
    --no-server-header \
    --log-config config/uvicorn_logging.json
