"""HTTP benchmark: the pages and API of the forum served as production serves
them, measured with wrk next to a floor, on a database seeded by bench.seed.

    .venv/bin/python -m bench.seed                     # once: the national-scale database
    .venv/bin/python -m bench.run --label before --write-docs
    .venv/bin/python -m bench.run --connections 50 --duration 5   # a quick look
    .venv/bin/python -m bench.run --pages home,thread --no-search   # some pages only
    .venv/bin/python -m bench.run --no-http-cache --who anonymous   # the app server alone, no Varnish in front

What runs, in order:

1. the floor (bench/floor.py: a bare Django JSON view on gunicorn, 2 sync
   workers), at each connection count;
2. the app exactly as production serves it: granian as docker/entrypoint.sh
   serves HTTP (ROLE=http: config/http_server.py, 2 workers of 4 threads, DEBUG
   off, PostgreSQL with psycopg's pool, Redis cache and channel layer) behind
   Varnish with the project's VCL (bench/varnish.py, deploy/varnish/; the web
   processes ban through HTTP_CACHE_BAN_URLS and trust two proxies, as in the
   compose stack). wrk sends every request to Varnish, as Caddy does:
   anonymous shared pages come from the cache, signed-in requests (the
   session cookie) pass through to granian. Every page of PAGES, anonymous
   and signed in, at each connection count; then the search latency mix
   (bench/search.py) at 20 concurrent clients. With --no-http-cache, wrk asks
   granian directly (the setup of every run before 2026-12-04 19:00, when
   gunicorn served HTTP, as it did until 2026-12-06);
3. with --compare-asgi (the default), the same pages at 50 connections on
   uvicorn (config.asgi, 2 workers, the ROLE=ws/all command): the setup the
   image used for everything until 2026-12.

Before that, in this process: each URL is fetched once with Django's test
client to check it answers 200 (a redirect is never measured: thread URLs come
from get_absolute_url() at run time) and to count its SQL queries
(CaptureQueriesContext, second request, so per-process warm-ups do not count).

Results go to stdout, and with --write-docs to a new dated section at the end
of docs/benchmarks.md (earlier sections are kept).
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alternance_bench_big"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SEARCH_TERMS = "contrat apprentissage"

# The pages measured: (name, path). `{thread_url}`, `{thread_id}` and
# `{tag_url}` are filled at run time. A path that answers 404 is reported as
# absent (e.g. /api/v1/search/ before the search issue lands), not measured.
PAGES = [
    ("home", "/"),
    ("tag page", "{tag_url}"),
    ("thread, 30 answers", "{thread_url}"),
    ("REST thread list", "/api/v1/threads/"),
    ("REST thread detail", "/api/v1/threads/{thread_id}/"),
    ("REST thread answers", "/api/v1/threads/{thread_id}/answers/"),
    ("search page", "/recherche/?q=" + SEARCH_TERMS.replace(" ", "+")),
    ("REST search", "/api/v1/search/?q=" + SEARCH_TERMS.replace(" ", "+")),
]

# docker/entrypoint.sh's command, minus --proxy-headers' production address:
# keep the two in step (tests/test_bench_run.py checks the flags).
UVICORN_ARGS = [
    "--workers", "2",
    "--ws", "websockets-sansio",
    "--ws-max-size", "65536",
    "--ws-per-message-deflate", "false",
    "--proxy-headers",
    "--timeout-graceful-shutdown", "8",
    "--no-server-header",
]  # fmt: skip

# docker/entrypoint.sh's HTTP command (ROLE=http), run by this interpreter;
# the port and the worker count come from PORT and WEB_CONCURRENCY, as in the
# image (tests/test_bench_run.py checks it is the entrypoint's).
HTTP_SERVER_ARGS = ["-m", "config.http_server"]
# --pages: a word of each page's name selects it ("thread", "REST", "search").

# What Caddy puts in X-Forwarded-For in production (a reader's address); Varnish
# appends Caddy's, here wrk's, and the web processes take the second from the
# right (TRUSTED_PROXY_COUNT=2). A documentation address (RFC 5737).
CLIENT_ADDRESS = "198.51.100.7"

# The app's server's name in the results.
APP = "granian"


@dataclass
class Wrk:
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    # CPU seconds of the server's processes per completed request: much less
    # sensitive than req/s to what else runs on the machine.
    server_cpu_ms: float | None = None
    # Of which Varnish's (behind the HTTP cache only).
    cache_cpu_ms: float | None = None
    # varnishstat's MAIN.client_req, and those of them Varnish answered
    # without asking a web process (client_req - backend_req: a member's list
    # read is two lookups, so cache_hit over client_req would count it twice),
    # during the run (behind the HTTP cache only).
    cache_requests: int = 0
    cache_hits: int = 0

    @property
    def hit_share(self) -> float | None:
        return self.cache_hits / self.cache_requests if self.cache_requests else None

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


@dataclass
class Page:
    name: str
    path: str
    signed_in: bool
    sql: int | None = None
    status: int | None = None
    note: str = ""
    results: dict = field(default_factory=dict)  # (server, connections) -> Wrk


# --- wrk --------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> Wrk:
    """The numbers of one `wrk --latency` run."""
    result = Wrk()
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.requests_per_second = float(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        result.p50_ms = _duration_ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        result.p99_ms = _duration_ms(m.group(1))
    if m := re.search(r"(\d+) requests in", output):
        result.requests = int(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result.non_2xx = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result.socket_errors = sum(int(x) for x in m.groups())
    return result


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk not found: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install wrk (Debian/Ubuntu) or brew install wrk")
    return found


def run_wrk(url: str, *, connections: int, duration: int, cookie: str = "", headers: dict | None = None) -> Wrk:
    command = [
        "wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


# --- servers ----------------------------------------------------------------------------


def process_cpu_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """User + system CPU of one process so far (0 once it is gone); with
    `reaped_children`, plus that of its children that exited and were waited
    for: a server that replaces a worker (granian after WORKER_MAX_RSS)
    would otherwise lose the old one's CPU from the sum."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def in_process_environment(*, database_url: str, redis_url: str, allowed_hosts: str = "127.0.0.1,testserver") -> None:
    """The servers' settings for Django set up in this process (bench.profile,
    bench.hit_instructions): DEBUG off, the bench database and Redis."""
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 60),
        ALLOWED_HOSTS=allowed_hosts,
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def configure_django(env: dict) -> None:
    """Set up Django in this process with the servers' settings, to check the
    pages in-process first. The throttles too: a run within a minute of
    another would get 429s and measure nothing."""
    keys = (
        "DATABASE_URL",
        "REDIS_URL",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "THROTTLE_ANON_READ",
        "THROTTLE_USER_READ",
    )
    os.environ.update({k: env[k] for k in keys})
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


class Server:
    """A server process group started here, stopped by its own group id.
    With `front` (a started bench.varnish.VarnishProcess whose upstream is
    this server), requests go through it: url(), settle() and the CPU count
    include it; rss() stays this server's own (see front_rss)."""

    def __init__(self, name: str, command: list[str], port: int, env: dict, health: str = "/healthz", front=None):
        self.name, self.port, self.health, self.front = name, port, health, front
        self.log = open(ROOT / "var" / f"bench-{name}.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{health}", timeout=5):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"{name} did not start: see var/bench-{name}.log") from None
                time.sleep(0.3)

    def cpu_seconds(self) -> float:
        return self.own_cpu_seconds() + self.front_cpu_seconds()

    def own_cpu_seconds(self) -> float:
        return process_tree_cpu_seconds(self.process.pid)

    def front_cpu_seconds(self) -> float:
        """varnishd's manager and its cache process (0 without a front)."""
        if self.front is None or self.front.process is None:
            return 0.0
        return process_tree_cpu_seconds(self.front.process.pid)

    def front_rss(self) -> list[tuple[int, int, int]]:
        if self.front is None or self.front.process is None:
            return []
        return process_tree_rss(self.front.process.pid)

    def cache_counters(self) -> dict[str, int]:
        """varnishstat's counters of the front (empty without one)."""
        if self.front is None:
            return {}
        return varnish_counters(self.front.workdir / "instance")

    def settle(self, *, quick: float = 0.5, limit: float = 180.0) -> float:
        """Wait until the server answers /healthz quickly again. wrk's
        connections close at the end of a run but their requests may still be
        queued (in a sync worker's accept backlog, or in a thread pool): the
        next page must not pay for them. Returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            began = time.monotonic()
            try:
                with urllib.request.urlopen(self.url(self.health), timeout=limit):
                    pass
            except OSError:
                time.sleep(0.5)
                continue
            if time.monotonic() - began < quick:
                break
        return time.monotonic() - started

    def url(self, path: str) -> str:
        if self.front is not None:
            return self.front.url + path
        return f"http://127.0.0.1:{self.port}{path}"

    def rss(self) -> list[tuple[int, int, int]]:
        """(pid, RSS, peak RSS) in MiB of the server and its workers."""
        return process_tree_rss(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def process_tree_cpu_seconds(pid: int) -> float:
    """A process's CPU, with its reaped children's, plus its live children's."""
    own = process_cpu_seconds(pid, reaped_children=True)
    return own + sum(process_cpu_seconds(child) for child in children(pid))


def process_tree_rss(pid: int) -> list[tuple[int, int, int]]:
    """(pid, RSS, peak RSS) in MiB of a process and its children."""
    out = []
    for each in [pid, *children(pid)]:
        status = _proc_status(each)
        if status:
            out.append((each, status.get("VmRSS", 0) // 1024, status.get("VmHWM", 0) // 1024))
    return out


# The varnishstat counters read around each run (MAIN.* of Varnish 7).
CACHE_COUNTERS = ("client_req", "backend_req", "cache_hit", "cache_miss", "cache_hitmiss", "cache_hitpass",
                  "s_pass", "n_object", "bans", "bans_added", "backend_conn", "backend_fail",
                  "sess_drop", "sess_fail")  # fmt: skip


def parse_varnishstat(output: str) -> dict[str, int]:
    """MAIN counters of `varnishstat -1 -j`: Varnish 6.5+ nests them under
    "counters", older versions list them at the top level."""
    data = json.loads(output)
    counters = data.get("counters", data)
    return {name: int(counters[f"MAIN.{name}"]["value"]) for name in CACHE_COUNTERS if f"MAIN.{name}" in counters}


def varnish_counters(instance: Path) -> dict[str, int]:
    binary = shutil.which("varnishstat") or "/usr/bin/varnishstat"
    done = subprocess.run([binary, "-n", str(instance), "-1", "-j"], capture_output=True, text=True, check=True)
    return parse_varnishstat(done.stdout)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _proc_status(pid: int) -> dict:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, _, v in (line.partition(":") for line in lines) if v.strip().endswith("kB")}


# --- in-process checks ------------------------------------------------------------------


def reference_tag_url() -> str:
    """The tag page measured: the most used tag's."""
    from django.db.models import Count
    from django.urls import reverse
    from taggit.models import Tag

    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    if tag is None:
        raise SystemExit("no tag: seed the database with `python -m bench.seed` first")
    return reverse("frontend:tag", kwargs={"slug": tag.slug})


def member_cookie(client) -> str:
    """The cookies a signed-in browser sends after its first page: its session
    and its CSRF cookie. Without the latter every response would mint and set
    a new CSRF secret, which no browser's second request costs."""
    client.get("/")
    names = [name for name in ("sessionid", "csrftoken") if name in client.cookies]
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names)


def prepare_pages(*, signed_in_user) -> tuple[list[Page], str]:
    """Fill the URL templates, check each URL answers 200, count its queries.
    Returns the pages and the signed-in session cookie."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.seed import reference_thread

    thread = reference_thread()
    if thread is None:
        raise SystemExit("no reference thread: seed the database with `python -m bench.seed` first")
    values = {
        "thread_url": thread.get_absolute_url(),
        "thread_id": thread.pk,
        "tag_url": reference_tag_url(),
    }
    anonymous = Client(HTTP_HOST="127.0.0.1")
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(signed_in_user)
    cookie = member_cookie(member)

    pages = []
    for name, template in PAGES:
        path = template.format(**values)
        for signed_in, client in ((False, anonymous), (True, member)):
            page = Page(name=name, path=path, signed_in=signed_in)
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            page.status = response.status_code
            page.sql = len(queries)
            if response.status_code == 404:
                page.note = "absent (404)"
            elif 300 <= response.status_code < 400:
                page.note = f"redirects to {response.get('Location')}: fix PAGES, a redirect is never measured"
            elif response.status_code != 200:
                page.note = f"answers {response.status_code}"
            pages.append(page)
    return pages, cookie


# --- the run ----------------------------------------------------------------------------


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-" + "k" * 60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # One client address and one member send everything: without these,
        # the read throttles would answer 429 after 120 (600) requests. The
        # throttle's cache round trip is still paid on every API request.
        # (Per second since DRF's own throttle, which kept every timestamp of
        # the window, made a minute of one member at 300 req/s cost 0.9 ms of
        # CPU per request; api/throttling.py counts in O(1) now.)
        THROTTLE_ANON_READ="100000/s",
        THROTTLE_USER_READ="100000/s",
        LOG_LEVEL="ERROR",
        WEB_CONCURRENCY="2",
    )
    return env


def start_front(port: int, name: str):
    """Varnish with the project's VCL (bench/varnish.py) in front of the app
    on `port`, started first (the HTTP server bans everything as it starts:
    a new release), and what the app's environment needs to ban in it and to
    trust it: Caddy, then Varnish, the compose stack's two hops."""
    from bench.varnish import VarnishProcess

    workdir = ROOT / "var" / name
    shutil.rmtree(workdir, ignore_errors=True)
    front = VarnishProcess(upstreams=[f"127.0.0.1:{port}"], workdir=workdir).start()
    return front, {"HTTP_CACHE_BAN_URLS": front.ban_url, "TRUSTED_PROXY_COUNT": "2", "FORWARDED_ALLOW_IPS": "127.0.0.1"}


def http_app(name: str, port: int, env: dict, front=None) -> Server:
    """The forum as docker/entrypoint.sh serves HTTP (ROLE=http)."""
    command = [sys.executable, *HTTP_SERVER_ARGS]
    return Server(name, command, port, env | {"PORT": str(port)}, front=front)


def client_headers(server: Server) -> dict[str, str]:
    """What wrk sends, as browsers and the app ask (the HTTP cache stores
    shared pages gzipped); through the cache, wrk is Caddy: it names the
    reader (see CLIENT_ADDRESS)."""
    headers = {"Accept-Encoding": "gzip"}
    if server.front is not None:
        headers["X-Forwarded-For"] = CLIENT_ADDRESS
    return headers


def measure(server: Server, pages: list[Page], cookie: str, connections: list[int], args) -> None:
    for page in pages:
        if page.note:
            continue
        for c in connections:
            duration = args.duration_single if c == 1 else args.duration
            server.settle()
            cpu_before, cache_cpu_before = server.cpu_seconds(), server.front_cpu_seconds()
            counters_before = server.cache_counters()
            result = run_wrk(server.url(page.path), connections=c, duration=duration,
                             cookie=cookie if page.signed_in else "", headers=client_headers(server))  # fmt: skip
            if result.requests:
                result.server_cpu_ms = (server.cpu_seconds() - cpu_before) / result.requests * 1000
                if server.front is not None:
                    result.cache_cpu_ms = (server.front_cpu_seconds() - cache_cpu_before) / result.requests * 1000
            if counters_before:
                counters_after = settled_counters(server, counters_before, result.requests)
                result.cache_requests = counters_after["client_req"] - counters_before["client_req"]
                backend = counters_after["backend_req"] - counters_before["backend_req"]
                result.cache_hits = max(0, result.cache_requests - backend)
            page.results[(server.name, c)] = result
            who = "signed in" if page.signed_in else "anonymous"
            hits = f"  cache hits {result.hit_share:.1%}" if result.hit_share is not None else ""
            print(f"  {page.name:22} {who:9} c={c:<3} {result.requests_per_second:8.1f} req/s  "
                  f"p50 {result.p50_ms:8.1f} ms  p99 {result.p99_ms:8.1f} ms  errors {result.errors}  "
                  f"CPU/request {result.server_cpu_ms or 0:.1f} ms{hits}")  # fmt: skip


def settled_counters(server: Server, before: dict[str, int], requests: int, limit: float = 5.0) -> dict[str, int]:
    """The front's counters once they count the `requests` wrk completed:
    Varnish's worker threads add theirs to the shared counters in batches
    (when idle, or every few requests), so a reading right after wrk can miss
    a run's last requests, or all of a short one's."""
    deadline = time.monotonic() + limit
    while True:
        after = server.cache_counters()
        if after["client_req"] - before["client_req"] >= requests or time.monotonic() > deadline:
            return after
        time.sleep(0.2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--port", type=int, default=9150, help="first of the three ports used")
    parser.add_argument("--connections", default="1,50,200")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--duration-single", type=int, default=5, help="seconds per wrk run at 1 connection")
    parser.add_argument("--no-compare-asgi", dest="compare_asgi", action="store_false")
    parser.add_argument(
        "--no-http-cache",
        dest="http_cache",
        action="store_false",
        help="wrk asks the app server directly, without Varnish in front (the setup before 2026-12-04)",
    )
    parser.add_argument("--pages", default="", help="comma-separated words of page names (default: every page)")
    parser.add_argument(
        "--who",
        choices=("all", "anonymous", "member"),
        default="all",
        help="anonymous or signed-in requests only (default: both)",
    )
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument("--label", default="", help="what code this is (e.g. 'before', a commit)")
    parser.add_argument("--note", default="", help="what else was running")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    connections = [int(c) for c in args.connections.split(",")]
    # A stopped run still stops the servers it started (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_wrk()
    (ROOT / "var").mkdir(exist_ok=True)

    env = server_env(args)
    configure_django(env)
    from django.db import connection

    from bench.seed import BENCH_USERNAME
    from forum.models import Answer, Question, User

    user = User.objects.get(username=BENCH_USERNAME)
    pages, cookie = prepare_pages(signed_in_user=user)
    if args.pages:
        words = [w.strip().lower() for w in args.pages.split(",") if w.strip()]
        pages = [p for p in pages if any(w in p.name.lower() for w in words)]
    if args.who != "all":
        pages = [p for p in pages if p.signed_in == (args.who == "member")]
    scale = {"questions": Question.objects.count(), "answers": Answer.objects.count(),
             "members": User.objects.count()}  # fmt: skip
    connection.close()
    for page in pages:
        if page.note:
            print(f"  {page.name}: {page.note}")

    started = datetime.now(UTC)
    load = {"before": os.getloadavg()}
    rss = {}
    py = sys.executable
    bin_dir = Path(py).parent

    print("floor: bare Django JSON view, gunicorn, 2 sync workers")
    floor = Server("floor", [str(bin_dir / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{args.port + 1}",
                             "bench.floor:application"], args.port + 1, env, health="/")  # fmt: skip
    try:
        floor_results = {}
        for c in connections:
            duration = args.duration_single if c == 1 else args.duration
            floor.settle()
            floor_results[c] = run_wrk(floor.url("/"), connections=c, duration=duration)
            print(f"  floor c={c:<3} {floor_results[c].requests_per_second:8.1f} req/s")
        rss["floor"] = floor.rss()
    finally:
        floor.stop()

    app_env = env
    front = None
    cache_totals: dict[str, int] = {}
    if args.http_cache:
        print("app: Varnish (deploy/varnish/default.vcl) in front of granian config.wsgi, as production serves HTTP")
        front, front_env = start_front(args.port, "bench-varnish")
        app_env = env | front_env
    else:
        print("app: granian config.wsgi, as docker/entrypoint.sh serves HTTP (ROLE=http), no HTTP cache in front")
    search = None
    try:
        app = http_app(APP, args.port, app_env, front=front)
        try:
            if front is not None:
                front.wait_backends_healthy()
            measure(app, pages, cookie, connections, args)
            rss[APP] = app.rss()
            if front is not None:
                rss["varnishd"] = app.front_rss()
                cache_totals = app.cache_counters()
            if args.search:
                from bench.search import run_search

                app.settle()
                search = run_search(app.url(""), cookie=cookie, headers=client_headers(app))
        finally:
            app.stop()
    finally:
        if front is not None:
            front.stop()

    if args.compare_asgi:
        print("app: uvicorn config.asgi, 2 workers (ASGI for everything, as before 2026-12)")
        asgi = Server("uvicorn", [str(bin_dir / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1",
                                  "--port", str(args.port + 2), *UVICORN_ARGS], args.port + 2, env)  # fmt: skip
        try:
            measure(asgi, pages, cookie, [50] if 50 in connections else connections[:1], args)
            rss["uvicorn"] = asgi.rss()
        finally:
            asgi.stop()
    load["after"] = os.getloadavg()

    text = report(pages=pages, floor=floor_results, connections=connections, rss=rss, load=load, search=search,
                  scale=scale, started=started, args=args, cache_totals=cache_totals)  # fmt: skip
    print(text)
    if args.write_docs:
        with DOCS.open("a") as docs:
            docs.write("\n" + text)
        print(f"appended to {DOCS.relative_to(ROOT)}")
    return 0


# --- the report -------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _ms(value: float) -> str:
    if value >= 10:
        return f"{value:,.0f} ms"
    # A request answered from the HTTP cache takes microseconds.
    return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


def report(*, pages, floor, connections, rss, load, search, scale, started, args, cache_totals=None) -> str:
    http_cache = getattr(args, "http_cache", False)
    if http_cache:
        serving = (
            "Served as production serves it: Varnish with `deploy/varnish/default.vcl` (`bench/varnish.py`: "
            "malloc 256 MiB, 50–1,000 threads) in front of granian as `docker/entrypoint.sh` serves HTTP "
            "(ROLE=http, `config/http_server.py`: 2 workers of 4 threads, DEBUG off, PostgreSQL through psycopg's "
            "pool, "
            "Redis cache and channel layer; `HTTP_CACHE_BAN_URLS` set to Varnish's ban listener, "
            "`TRUSTED_PROXY_COUNT=2`). wrk asks Varnish for every page, as Caddy does: anonymous shared pages "
            "may come from the cache; so may a thread's REST detail, once the cache asked the application about "
            "the reader and thread (which counts the view); signed-in requests carry the session and CSRF "
            "cookies: the REST list and search of a member whose lists are anyone's may come from the cache "
            "once it asked the application what the session is (`api/edge_reader.py`), and so may the home, "
            "discovery and search pages, assembled by the cache from the members' copy and the member's menu "
            "(Edge Side Includes, `frontend/views/edge.py`); so may their thread and tag pages and a thread's "
            "REST answers, once the cache asked the application about the member and page (which counts the "
            "thread's reader); everything else of theirs passes to granian. "
            "Server CPU counts granian's and varnishd's processes (Varnish's own in brackets); "
            "hits = the share of requests Varnish answered without granian "
            "(1 − `MAIN.backend_req` / `MAIN.client_req`) during the run. "
        )
    else:
        serving = (
            "Served by granian as `docker/entrypoint.sh` serves HTTP (ROLE=http, `config/http_server.py`: "
            "2 workers of 4 threads, DEBUG off, PostgreSQL through psycopg's pool, Redis cache and channel layer), "
            "wrk asking it directly (no HTTP cache in front: `--no-http-cache`). "
        )
    lines = [
        f"### HTTP run {started:%Y-%m-%d %H:%M} UTC{' — ' + args.label if args.label else ''}",
        "",
        f"Data: {scale['questions']:,} questions, {scale['answers']:,} answers, {scale['members']:,} members "
        f"(`python -m bench.seed`). {serving}"
        f"wrk: {args.duration_single} s at 1 connection, {args.duration} s otherwise, 10 s timeout, one run each, "
        "`Accept-Encoding: gzip` on the app's pages as browsers send it, no warm-up beyond the query count's "
        "two requests; share = req/s over the floor's at the same connections.",
        "",
        "Floor (bare Django JSON view, gunicorn, 2 sync workers): "
        + ", ".join(f"{_n(floor[c].requests_per_second)} req/s at {c}" for c in connections)
        + ".",
        "",
    ]
    ref = 50 if 50 in connections else connections[-1]
    hits = any(r.hit_share is not None for p in pages for r in p.results.values())
    per_c = 6 if hits else 5
    header = f"| page | who | SQL | server CPU / request ({ref} conn.) |"
    rule = "| --- | --- | ---: | ---: |"
    for c in connections:
        header += f" req/s {c} | p50 {c} | p99 {c} | errors {c} | share {c} |" + (f" hits {c} |" if hits else "")
        rule += " ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if hits else "")
    lines += [header, rule]
    for page in pages:
        who = "member" if page.signed_in else "anonymous"
        row = f"| {page.name} `{page.path}` | {who} | {page.sql if page.sql is not None else '—'} |"
        if page.note:
            row += f" — | {page.note} |" + " |" * (per_c * len(connections) - 1)
            lines.append(row)
            continue
        ref_result = page.results.get((APP, ref))
        cpu = "—"
        if ref_result and ref_result.server_cpu_ms:
            cpu = _ms(ref_result.server_cpu_ms)
            if ref_result.cache_cpu_ms is not None:
                cpu += f" ({_ms(ref_result.cache_cpu_ms)})"
        row += f" {cpu} |"
        for c in connections:
            r = page.results.get((APP, c))
            if r is None:
                row += " — |" * per_c
                continue
            share = r.requests_per_second / floor[c].requests_per_second if floor[c].requests_per_second else 0
            # wrk reports 0 latencies when no request completed (all timed out).
            p50, p99 = (_ms(r.p50_ms), _ms(r.p99_ms)) if r.requests else ("—", "—")
            row += f" {_n(r.requests_per_second)} | {p50} | {p99} | {r.errors} | {share:.3f} |"
            if hits:
                row += f" {r.hit_share:.1%} |" if r.hit_share is not None else " — |"
        lines.append(row)

    if any(("uvicorn", 50) in p.results for p in pages):
        lines += [
            "",
            "Serving setup, same pages at 50 connections: uvicorn (ASGI for everything, as before 2026-12) against "
            "granian `config.wsgi` as the entrypoint serves HTTP (uvicorn kept for `/ws/`)"
            + (", granian behind Varnish as above, uvicorn asked directly:" if http_cache else ":"),
            "",
            "| page | who | uvicorn req/s | p99 | CPU / req | granian req/s | p99 | CPU / req | req/s ratio |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for page in pages:
            a, w = page.results.get(("uvicorn", 50)), page.results.get((APP, 50))
            if a and w:
                who = "member" if page.signed_in else "anonymous"
                ratio = w.requests_per_second / a.requests_per_second if a.requests_per_second else 0
                lines.append(f"| {page.name} | {who} | {_n(a.requests_per_second)} | {_ms(a.p99_ms)} | "
                             f"{_ms(a.server_cpu_ms or 0)} | {_n(w.requests_per_second)} | {_ms(w.p99_ms)} | "
                             f"{_ms(w.server_cpu_ms or 0)} | {ratio:.2f}× |")  # fmt: skip

    if search:
        lines += ["", search, ""]
    lines += [""]
    for name, procs in rss.items():
        lines.append(
            f"- RSS at the end of its runs, {name}: "
            + ", ".join(f"{now} MiB (peak {peak})" for _pid, now, peak in procs)
            + f"; total {sum(p[1] for p in procs)} MiB."
        )
    if cache_totals:
        lines.append(
            "- varnishstat at the end of the page runs (every page, warm-up requests included): "
            + ", ".join(f"`{name}` {value:,}" for name, value in cache_totals.items())
            + "."
        )
    lines += [
        f"- 1-minute load average before → after the whole run: {load['before'][0]:.1f} → {load['after'][0]:.1f}.",
        f"- Machine: {os.cpu_count()} cores ({_cpu_model()}), Python {platform.python_version()}, "
        "PostgreSQL and Redis on loopback; wrk and the servers share the cores.",
    ]
    if args.note:
        lines.append(f"- {args.note}")
    return "\n".join(lines) + "\n"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
