"""The HTTP server of the image (docker/entrypoint.sh, ROLE=http): granian
serving config/wsgi.py (docs/operations.md, "Serving: granian for HTTP,
uvicorn for /ws/"). Read from the environment like config/settings.py:

    python -m config.http_server

WEB_CONCURRENCY  worker processes (2): about one per core given to the container
WEB_THREADS      threads per worker running requests (4): requests that wait
                 on PostgreSQL overlap; each holds at most one pooled connection
GRACEFUL_TIMEOUT seconds a stopping worker has to finish its requests (8)
WORKER_MAX_RSS   MiB of memory after which a worker is replaced (0: never, the
                 default); the container's memory limit is the guard
PORT             the port (8000)

granian rather than gunicorn: the same WSGI application, its HTTP parsed in
Rust. A signed-in member's cached page cost 0.1-0.6 ms less server CPU on it
than on gunicorn's gthread workers (about 2 ms), and it served 4-36 % more of
them at 50 connections (docs/benchmarks.md, "Which server answers HTTP, for
members"). The access log is the application's (config/access_log.py): one
JSON line per request with its request id, whichever server runs it.

This process is granian's main process: it binds the port, loads the
application once (an import error stops the container at start rather than
in a loop of respawned workers), forks the workers, replaces one that dies,
and on SIGTERM lets them finish their requests for GRACEFUL_TIMEOUT seconds.
"""

import os

from granian.constants import Interfaces
from granian.server import Server


def _int(environ, name: str, default: int, minimum: int) -> int:
    raw = environ.get(name, "")
    try:
        value = int(raw) if raw.strip() else default
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, got {value}")
    return value


def server_options(environ=os.environ) -> dict:
    """granian's options (granian.server.Server's keywords) from the environment."""
    if environ.get("MAX_REQUESTS", "0").strip() not in ("", "0"):
        # gunicorn's, until 2026-12-06: a deployment still setting it would
        # otherwise believe its workers are recycled.
        raise SystemExit("MAX_REQUESTS was gunicorn's and is not read any more: set WORKER_MAX_RSS (MiB) instead")
    max_rss = _int(environ, "WORKER_MAX_RSS", 0, 0)
    return {
        "address": "0.0.0.0",
        "port": _int(environ, "PORT", 8000, 1),
        "interface": Interfaces.WSGI,
        "workers": _int(environ, "WEB_CONCURRENCY", 2, 1),
        "blocking_threads": _int(environ, "WEB_THREADS", 4, 1),
        "websockets": False,
        "workers_kill_timeout": _int(environ, "GRACEFUL_TIMEOUT", 8, 1),
        "workers_max_rss": max_rss or None,
        # gunicorn's arbiter did it: a worker that dies is replaced.
        "respawn_failed_workers": True,
        "respawn_interval": 1.0,
        # granian's own lines (start, stop, a worker's exit) as JSON too.
        "log_dictconfig": {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"json": {"()": "config.json_logs.JsonFormatter"}},
            "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
            "loggers": {"_granian": {"handlers": ["json"], "level": "INFO", "propagate": False}},
        },
        "log_access": False,
    }


def main() -> None:
    options = server_options()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import config.wsgi  # noqa: F401 (loaded here, forked into every worker)
    from forum import http_cache

    server = Server("config.wsgi:application", **options)
    # Bound, not yet serving: a new release renders pages differently
    # (forum.page_versions.release), so what the HTTP cache in front kept from
    # the previous one goes. Sent again a little later by this process, which
    # lives as long as the server, for pages the old release's processes were
    # still rendering.
    server.on_startup(http_cache.ban_everything)
    server.serve()


if __name__ == "__main__":
    main()
