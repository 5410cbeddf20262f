"""Instructions per cached-page hit, counted by valgrind's callgrind: a figure
that does not move with the machine's load (wall and CPU times on a busy
machine do), for comparing two versions of the page-cache hit path.

    .venv/bin/python -m bench.hit_instructions                 # home and the 30-answer thread
    .venv/bin/python -m bench.hit_instructions --requests 200 --pages home

Each page is served N and then 2N times by the WSGI application
(config/wsgi.py, as gunicorn calls it, without a socket) in a child process
under callgrind, after warm-up hits; the difference divided by N is what one
anonymous hit costs the web process, start-up and warm-up cancelled out.
PostgreSQL's and Redis's own work is in other processes and not counted. The
database is the one bench.seed makes; settings as bench.run's servers.
"""

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL

PAGES = ("home", "thread")
WARM_UP = 5


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--requests", type=int, default=100, help="N: the hits of the shorter run")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    environment(args)
    if args.child:
        return serve_hits(args.child, args.requests)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (apt-get install valgrind)")
    for page in args.pages.split(","):
        with ThreadPoolExecutor(2) as pool:
            short, long = pool.map(lambda n, page=page: counted(page, n, args), (args.requests, 2 * args.requests))
        print(f"{page}: {(long - short) / args.requests / 1e6:.2f} M instructions per hit ({args.requests} hits)")
    return 0


def environment(args) -> None:
    os.environ.update(
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 60),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def counted(page: str, hits: int, args) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.hit_instructions",
        "--child",
        page,
        "--requests",
        str(hits),
        "--database-url",
        args.database_url,
        "--redis-url",
        args.redis_url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the {page} child failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def serve_hits(page: str, hits: int) -> int:
    from config.wsgi import application

    if page == "home":
        path = "/"
    else:
        from bench.seed import reference_thread

        path = reference_thread().get_absolute_url()

    def start_response(status, headers, exc_info=None):
        start_response.status, start_response.headers = status, dict(headers)

    def hit():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        b"".join(application(environ, start_response))

    for _ in range(WARM_UP):
        hit()
    if not start_response.status.startswith("200") or start_response.headers.get("X-Page-Cache") != "hit":
        raise SystemExit(f"{path}: {start_response.status}, X-Page-Cache {start_response.headers.get('X-Page-Cache')}")
    for _ in range(hits):
        hit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
