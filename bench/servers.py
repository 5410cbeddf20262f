"""Which server should answer HTTP: the same pages, and the floor's bare
view, on each candidate server in one run, compared by server CPU per request
(what a core can serve) and req/s at 50 connections.

    .venv/bin/python -m bench.servers --duration 5
    .venv/bin/python -m bench.servers --servers uvicorn,gunicorn --pages home,thread

Candidates (2 worker processes each, DEBUG off, PostgreSQL through psycopg's
pool, Redis cache; the same environment as bench/run.py's servers):

- uvicorn, ASGI, as the image served everything until 2026-12 (`config.asgi`);
- gunicorn with sync workers, WSGI (`config.wsgi`);
- gunicorn with gthread workers (WEB_THREADS threads each, 4), WSGI, as the
  image served HTTP until 2026-12-06;
- granian, WSGI (WEB_THREADS threads each), as the image serves HTTP since
  (`config/http_server.py` sets the same options), and ASGI.

The access log is the application's (config/access_log.py): every WSGI
candidate writes it.

Anonymous pages and the REST list are measured (`--who member`: the same
pages signed in, with the bench member's session and CSRF cookies): what
decides the server is the cost of HTTP and middleware around cheap (cached)
responses; slow pages wait on PostgreSQL whatever serves them (bench/run.py
measures those).
Results go to stdout as a Markdown table for docs/benchmarks.md.
"""

import argparse
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.run import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    ROOT,
    UVICORN_ARGS,
    Server,
    _ms,
    _n,
    configure_django,
    ensure_wrk,
    prepare_pages,
    run_wrk,
    server_env,
)

PAGE_NAMES = {"home": "home", "tag": "tag page", "thread": "thread, 30 answers", "api": "REST thread list"}


def candidates(bin_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """name -> (command for the app, command for the floor), without --port."""
    python = str(bin_dir / "python")
    gunicorn = [str(bin_dir / "gunicorn"), "--workers", "2"]
    threads = os.environ.get("WEB_THREADS", "4")
    gthread = ["--worker-class", "gthread", "--threads", threads]
    servers = {
        "uvicorn": (
            [str(bin_dir / "uvicorn"), "config.asgi:application", *UVICORN_ARGS],
            [str(bin_dir / "uvicorn"), "bench.floor:asgi_application", "--workers", "2", "--no-access-log"],
        ),
        "gunicorn sync": (
            [*gunicorn, "config.wsgi:application"],
            [*gunicorn, "bench.floor:application"],
        ),
        "gunicorn gthread": (
            # Its last configuration in the image (keep-alive 5 s).
            [*gunicorn, *gthread, "--keep-alive", "5", "config.wsgi:application"],
            [*gunicorn, *gthread, "bench.floor:application"],
        ),
    }
    granian = [python, "-m", "granian", "--workers", "2", "--no-ws", "--log-level", "error"]
    wsgi = ["--interface", "wsgi", "--blocking-threads", threads]
    servers["granian wsgi"] = (
        [*granian, *wsgi, "config.wsgi:application"],
        [*granian, *wsgi, "bench.floor:application"],
    )
    servers["granian asgi"] = (
        [*granian, "--interface", "asgi", "config.asgi:application"],
        [*granian, "--interface", "asgi", "bench.floor:asgi_application"],
    )
    return servers


def with_port(command: list[str], port: int) -> list[str]:
    if "granian" in command:
        return [*command[:-1], "--host", "127.0.0.1", "--port", str(port), command[-1]]
    if command[0].endswith("gunicorn"):
        return [*command[:-1], "--bind", f"127.0.0.1:{port}", command[-1]]
    return [*command, "--host", "127.0.0.1", "--port", str(port)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--port", type=int, default=9150)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--servers", default="", help="comma-separated names (default: every candidate)")
    parser.add_argument("--pages", default=",".join(PAGE_NAMES), help=f"among {','.join(PAGE_NAMES)}")
    parser.add_argument("--who", choices=("anonymous", "member"), default="anonymous")
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_wrk()
    (ROOT / "var").mkdir(exist_ok=True)

    env = server_env(args)
    configure_django(env)
    from django.db import connection

    from bench.seed import BENCH_USERNAME
    from forum.models import User

    pages, cookie = prepare_pages(signed_in_user=User.objects.get(username=BENCH_USERNAME))
    connection.close()
    wanted = {PAGE_NAMES[p] for p in args.pages.split(",")}
    signed_in = args.who == "member"
    pages = [p for p in pages if p.signed_in == signed_in and p.name in wanted and not p.note]
    cookie = cookie if signed_in else ""

    servers = candidates(Path(sys.executable).parent)
    names = args.servers.split(",") if args.servers else list(servers)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    rows = []  # (server, page, Wrk)
    for name in names:
        app_command, floor_command = servers[name]
        for what, command, paths in (("floor", floor_command, [("floor", "/", "")]),
                                     ("app", app_command, [(p.name, p.path, cookie) for p in pages])):  # fmt: skip
            server = Server(f"servers-{name.replace(' ', '-')}-{what}", with_port(command, args.port),
                            args.port, env, health="/" if what == "floor" else "/healthz")  # fmt: skip
            try:
                for page_name, path, page_cookie in paths:
                    server.settle()
                    cpu_before = server.cpu_seconds()
                    result = run_wrk(
                        server.url(path), connections=args.connections, duration=args.duration, cookie=page_cookie
                    )
                    if result.requests:
                        result.server_cpu_ms = (server.cpu_seconds() - cpu_before) / result.requests * 1000
                    rows.append((name, page_name, result))
                    print(f"  {name:17} {page_name:20} {result.requests_per_second:8.1f} req/s  "
                          f"p99 {result.p99_ms:8.1f} ms  errors {result.errors}  "
                          f"CPU/request {result.server_cpu_ms or 0:.2f} ms", flush=True)  # fmt: skip
            finally:
                server.stop()
    load_after = os.getloadavg()

    floor = {name: r for name, page, r in rows if page == "floor"}
    lines = [
        f"Servers compared {started:%Y-%m-%d %H:%M} UTC{' — ' + args.label if args.label else ''} "
        f"(`python -m bench.servers`): {args.connections} connections, {args.duration} s per run, 2 worker "
        f"processes each; {args.who} pages are cache hits. Share = req/s over gunicorn sync's floor.",
        "",
        "| server | page | req/s | p99 | errors | server CPU / request | share of the floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    reference = floor.get("gunicorn sync")
    for name, page, r in rows:
        share = r.requests_per_second / reference.requests_per_second if reference else 0
        lines.append(f"| {name} | {page} | {_n(r.requests_per_second)} | {_ms(r.p99_ms)} | {r.errors} | "
                     f"{r.server_cpu_ms or 0:.2f} ms | {share:.2f} |")  # fmt: skip
    lines += ["", f"1-minute load average before → after: {load_before[0]:.1f} → {load_after[0]:.1f}."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
