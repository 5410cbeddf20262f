"""Instructions per request, counted by valgrind's callgrind: a figure that
does not move with the machine's load (wall and CPU times on a busy or
virtualised machine do), for comparing two versions of a page's code.

    .venv/bin/python -m bench.hit_instructions                 # anonymous hits: home, 30-answer thread
    .venv/bin/python -m bench.hit_instructions --member --pages home,tag,search --requests 20

Each page is served N and then 2N times by the WSGI application
(config/wsgi.py, as granian calls it, without a socket) in a child process
under callgrind, after warm-up requests; the difference divided by N is what
one request costs the web process, start-up and warm-up cancelled out.
Anonymous requests are page-cache hits (checked); with --member they are a
signed-in member's: rendered for them, or for the list pages the members'
shared page with their account menu written in.
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

from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, in_process_environment, reference_tag_url
from bench.run import PAGES as PAGES_MEASURED

PAGES = ("home", "thread")
WARM_UP = 5


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--requests", type=int, default=100, help="N: the hits of the shorter run")
    parser.add_argument("--pages", default=",".join(PAGES), help="of home, thread, tag, search")
    parser.add_argument("--member", action="store_true", help="signed in (bench.run's member)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    in_process_environment(database_url=args.database_url, redis_url=args.redis_url, allowed_hosts="127.0.0.1")
    if args.child:
        return serve(args.child, args.requests, member=args.member)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (apt-get install valgrind)")
    for page in args.pages.split(","):
        with ThreadPoolExecutor(2) as pool:
            short, long = pool.map(lambda n, page=page: counted(page, n, args), (args.requests, 2 * args.requests))
        who = "member" if args.member else "anonymous hit"
        print(f"{page}, {who}: {(long - short) / args.requests / 1e6:.2f} M instructions per request ({args.requests})")
    return 0


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
        *(["--member"] if args.member else []),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"the {page} child failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def serve(page: str, requests: int, *, member: bool) -> int:
    from config.wsgi import application

    path, cookie = page_path(page), ""
    if member:
        from django.test import Client

        from bench.seed import BENCH_USERNAME
        from forum.models import User

        client = Client()
        client.force_login(User.objects.get(username=BENCH_USERNAME))
        cookie = f"sessionid={client.cookies['sessionid'].value}"

    def start_response(status, headers, exc_info=None):
        start_response.status, start_response.headers = status, dict(headers)

    def hit():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path.partition("?")[0],
            "QUERY_STRING": path.partition("?")[2],
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": cookie,
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
    cached = start_response.headers.get("X-Page-Cache")
    # A member's list page may come from the members' shared pages (frontend/page_cache.py).
    if not start_response.status.startswith("200") or cached not in ((None, "member-hit") if member else ("hit",)):
        raise SystemExit(f"{path}: {start_response.status}, X-Page-Cache {cached}")
    for _ in range(requests):
        hit()
    return 0


def page_path(page: str) -> str:
    from bench.seed import reference_thread

    if page == "home":
        return "/"
    if page == "search":
        return dict(PAGES_MEASURED)["search page"]
    if page == "thread":
        return reference_thread().get_absolute_url()
    if page == "tag":
        return reference_tag_url()
    raise SystemExit(f"unknown page {page!r}: home, thread, tag or search")


if __name__ == "__main__":
    sys.exit(main())
