"""gunicorn's configuration for the HTTP processes (docker/entrypoint.sh,
ROLE=http; docs/operations.md, "Serving: gunicorn for HTTP, uvicorn for
/ws/"). Read from the environment like config/settings.py:

    gunicorn -c python:config.gunicorn_conf config.wsgi:application

WEB_CONCURRENCY  worker processes (2): about one per core given to the container
WEB_THREADS      threads per worker (4): requests that wait on PostgreSQL
                 overlap; each thread holds at most one pooled connection
GRACEFUL_TIMEOUT seconds a stopping worker finishes its requests (8)
MAX_REQUESTS     requests before a worker is replaced (0: never, the default),
                 with a random jitter of a tenth so workers do not restart
                 together. A retiring worker drops the requests in flight on
                 its keep-alive connections: each replacement cost a few
                 errors under load (docs/benchmarks.md), so it is off unless a
                 leak calls for it; the container's memory limit is the guard
PORT             the port (8000)

Access log lines are JSON like every other log line (config/json_logs.py),
with the same message as uvicorn's, so one log query reads both kinds of
process. The client address in them is the one TRUSTED_PROXY_COUNT picks
(config/forwarded.py sets REMOTE_ADDR before the log reads it).
"""

import os

from gunicorn.glogging import Logger


def _int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw.strip() else default
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, got {value}")
    return value


bind = [f"0.0.0.0:{_int('PORT', 8000, 1)}"]
workers = _int("WEB_CONCURRENCY", 2, 1)
# gthread, not sync: keep-alive with the proxy, and a slow client or a page
# waiting on PostgreSQL does not hold the whole worker (docs/benchmarks.md,
# "Which server answers HTTP").
worker_class = "gthread"
threads = _int("WEB_THREADS", 4, 1)
graceful_timeout = _int("GRACEFUL_TIMEOUT", 8, 1)
# A worker silent this long is killed: longer than any request may take
# (the database's statement timeout and the cache's socket timeout are shorter).
timeout = 60
max_requests = _int("MAX_REQUESTS", 0, 0)
max_requests_jitter = max_requests // 10
# Behind a keep-alive pool: longer than the HTTP cache's backend_idle_timeout
# (4 s, compose.yaml), and than Caddy's idle 2 s default without a cache, so
# the pool never reuses a connection this side is closing.
keepalive = 5
# Loaded once in the arbiter and forked: shared pages of memory, and an import
# error stops the container at start rather than in a crash loop of workers.
preload_app = True
# The arbiter's own lines and the access log, both as JSON lines.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s - "%(r)s" %(s)s'
logger_class = "config.gunicorn_conf.JsonAccessLogger"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.json_logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.json_logs.JsonFormatter"}},
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"],
                  "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    # Django's LOGGING (config/settings.py) takes over the root logger when the app loads.
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}  # fmt: skip


class JsonAccessLogger(Logger):
    """Adds the request id and the duration to each access line as fields of
    their own (the request's context variable is gone when gunicorn logs)."""

    def access(self, resp, req, environ, request_time):
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = next((v for k, v in resp.headers if k.lower() == "x-request-id"), "")
        self.access_log.info(
            '%s - "%s %s %s" %s',
            environ.get("REMOTE_ADDR", "-"),
            environ["REQUEST_METHOD"],
            environ.get("RAW_URI", environ.get("PATH_INFO", "")),
            environ["SERVER_PROTOCOL"],
            status,
            extra={
                "request_id": request_id,
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
            },
        )


def child_exit(server, worker):
    # With several workers, prometheus-client keeps each process's values in
    # PROMETHEUS_MULTIPROC_DIR; a dead worker's live gauges must stop counting.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def when_ready(server):
    # A new release renders pages differently (forum.page_versions.release):
    # what the HTTP cache in front kept from the previous one goes.
    from forum import http_cache

    http_cache.ban_everything()
