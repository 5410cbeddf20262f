"""Computed searches over HTTP, with their whole CPU cost: the search page
served as production serves HTTP (granian with config/http_server.py, as
bench.run starts it; `--server uvicorn` for the ASGI server with the
entrypoint's flags; 2 workers, DEBUG off, psycopg's pool, Redis; no HTTP
cache in front, which every URL here would miss), wrk with bench/search_mix.lua `--fresh`
(every URL new, so the shared page cache never answers), and the CPU of the
server's processes plus that of the PostgreSQL backends of its database,
per request answered (docs/benchmarks.md, "Against Misago on the same data").

    .venv/bin/python -m bench.computed_search --database-url postgres://…/copy_of_big --port 8170
    # the same terms again and again (the shared results answer), as Misago was measured:
    .venv/bin/python -m bench.computed_search --database-url postgres://…/copy_of_big --repeated
    # another forum already running on the same data (its server's process id for the CPU):
    .venv/bin/python -m bench.computed_search --database-url postgres://…/its_db --running http://127.0.0.1:8160 \
        --running-pid 1234 --path '/api/search/?q=' --label other

The backends are found as every connection to the database but this one:
point it at a database nothing else uses (a copy: `CREATE DATABASE … TEMPLATE`).
Read-only. Needs wrk on PATH.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.run import (
    ROOT,
    UVICORN_ARGS,
    Server,
    http_app,
    process_cpu_seconds,
    process_tree_cpu_seconds,
    server_env,
)


def backend_cpu(admin, database: str) -> float:
    """User and system CPU seconds of the database's backends (those that
    exit during a run take theirs with them: the pool keeps its own open)."""
    rows = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
    ).fetchall()
    return sum(process_cpu_seconds(pid) for (pid,) in rows)


def wrk(url: str, connections: int, seconds: int, script_args: list[str]) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "search_mix.lua"), url, "--", *script_args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


class Running:
    """A server this command did not start: measured, never stopped."""

    def __init__(self, url: str, pid: int):
        self.base, self.pid = url.rstrip("/"), pid

    def url(self, path: str) -> str:
        return self.base + path

    def settle(self) -> float:
        time.sleep(2)
        return 2.0

    def cpu_seconds(self) -> float:
        return process_tree_cpu_seconds(self.pid)

    def stop(self) -> None:
        pass


def main(argv=None) -> int:
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument(
        "--path",
        action="append",
        help="the search's path, the term appended (default /recherche/?q=); twice or more for a page view "
        "of several requests (a shell, then its API call), rotated in order",
    )
    parser.add_argument(
        "--repeated",
        action="store_true",
        help="the 15 terms again and again, as Misago's search was measured for issue 11 (without --fresh: "
        "the application's shared results answer all but the first of each term; no HTTP cache in front)",
    )
    parser.add_argument("--label", default="ours")
    parser.add_argument("--server", choices=["granian", "uvicorn"], default="granian")
    parser.add_argument("--running", metavar="URL", help="measure a server already running there instead")
    parser.add_argument("--running-pid", type=int, help="its main process (its CPU and its children's are counted)")
    args = parser.parse_args(argv)
    paths = args.path or ["/recherche/?q="]
    database = urlsplit(args.database_url).path.lstrip("/")
    if args.running:
        if not args.running_pid:
            parser.error("--running needs --running-pid")
        app = Running(args.running, args.running_pid)
    elif args.server == "granian":
        app = http_app("granian-computed-search", args.port, server_env(args))
    else:
        command = [str(Path(sys.executable).parent / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1",
                   "--port", str(args.port), *UVICORN_ARGS]  # fmt: skip
        app = Server("uvicorn-computed-search", command, args.port, server_env(args))
    url = app.url("")
    try:
        with psycopg.connect(args.database_url, autocommit=True) as admin:
            fresh = [] if args.repeated else ["--fresh"]
            wrk(url, 10, 5, [*fresh, *paths])  # warm-up: the pool opens its connections
            app.settle()
            load_before = os.getloadavg()[0]
            server_before, database_before = app.cpu_seconds(), backend_cpu(admin, database)
            out = wrk(url, args.connections, args.seconds, [*fresh, *paths])
            server_cpu = app.cpu_seconds() - server_before
            database_cpu = backend_cpu(admin, database) - database_before
            load_after = os.getloadavg()[0]
    finally:
        app.stop()
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50, p99 = (re.search(rf"{p}%\s+(\S+)", out).group(1) for p in (50, 99))
    errors = "; ".join(re.findall(r"Socket errors:.*|Non-2xx.*", out)) or "no errors"
    server, postgres = server_cpu * 1000 / answered, database_cpu * 1000 / answered
    print(
        f"{args.label}: {rate:.1f} req/s ({answered} requests), p50 {p50}, p99 {p99}, {errors}; "
        f"CPU / request {server + postgres:.0f} ms ({server:.0f} server + {postgres:.0f} PostgreSQL); "
        f"load average {load_before:.1f} -> {load_after:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
