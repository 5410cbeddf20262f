"""Search latency at 20 concurrent clients, for rare, common and misspelled
terms, against whatever search endpoint the server has: `/api/v1/search/?q=`
when it answers, else the search page `/?q=`.

    .venv/bin/python -m bench.search http://127.0.0.1:9150   # a running server
    .venv/bin/python -m bench.search --serve --database-url postgres://…/alternance_bench_big
    (bench.run calls run_search on the server it measured)

`--serve` starts the app as bench.run does, as production serves HTTP
(Varnish with deploy/varnish/default.vcl in front of granian, 2 workers,
DEBUG off, psycopg's pool, Redis; `--no-http-cache`: granian alone),
measures anonymous then signed in, and stops it; `--page` measures the search
page (`/recherche/?q=`) instead of the REST endpoint. With `--writes R`, a
member answers a thread R times a second during the runs (through the
services, as the web would: every answer is an event, and an event makes every
stored search result stale, so the shared results are searched again); the
answers stay in the database.

Each kind of term runs for SECONDS with CLIENTS connections of wrk, each
sending its next query as soon as the previous answer arrived (closed loop),
through bench/search_mix.lua (the kind's five terms in turn; it reports p95):
the latency is the full request time seen by the client, on the same cores as
the server. (wrk, not a Python client: an asyncio client on these cores spent
more per request than a shared result costs, and measured itself.)
"""

import argparse
import os
import random
import re
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CLIENTS = 20
SECONDS = 15
# Edit freely: the seed's vocabulary is the demo threads plus diplomas,
# sectors and towns (bench/seed.py). bench/search_mix.lua holds the same
# (tests/test_bench_search_mix.py keeps them in step).
TERMS = {
    "rare": ["Quimper boulangerie", "Cayenne", "aéronautique Colmar", "Ajaccio coiffure", "MBA Niort"],
    "common": ["contrat", "apprentissage", "salaire", "école", "entreprise alternance"],
    "misspelled": ["apprantissage", "contrat dapprentisage", "rémunérassion", "salère apprenti", "ecole alternanse"],
}
ENDPOINTS = ["/api/v1/search/?q=", "/?q="]
PAGE_ENDPOINT = "/recherche/?q="
SCRIPT = Path(__file__).resolve().parent / "search_mix.lua"


def _answers(url: str, headers: dict) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status == 200
    except urllib.error.URLError:
        return False


def _kind(base_url: str, endpoint: str, kind: str, seconds: float, headers: dict) -> dict:
    """One wrk run over the kind's terms: requests, errors and percentiles (ms)."""
    from bench.run import ensure_wrk, parse_wrk

    command = [ensure_wrk(), "-t2", f"-c{CLIENTS}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(SCRIPT)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, base_url, "--", f"--kind={kind}", endpoint], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    result = parse_wrk(out)
    found = re.search(r"search_mix percentiles_us p50=(\d+) p95=(\d+) p99=(\d+)", out)
    p50, p95, p99 = (int(v) / 1000 for v in found.groups()) if found else (0.0, 0.0, 0.0)
    return {
        "requests": result.requests,
        "rate": result.requests_per_second,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "errors": result.non_2xx + result.socket_errors,
    }


def run_search(
    base_url: str,
    *,
    cookie: str = "",
    seconds: float = SECONDS,
    endpoints: list[str] | None = None,
    headers: dict | None = None,
) -> str:
    """Measure and return a Markdown paragraph and table for docs/benchmarks.md."""
    headers = dict(headers or {}) | ({"Cookie": cookie} if cookie else {})
    endpoint = next((e for e in endpoints or ENDPOINTS if _answers(base_url + e + "contrat", headers)), None)
    if endpoint is None:
        raise RuntimeError("no search endpoint answers 200")
    # Each term asked once first: the first kind measured otherwise carried
    # the servers' first searches (their connections' first full-text work),
    # p95 of 0.65-0.76 s against 1.4-1.8 ms for the kinds after it.
    for term in (term for terms in TERMS.values() for term in terms):
        _answers(base_url + endpoint + urllib.parse.quote(term), headers)
    load_before = os.getloadavg()[0]
    results = {kind: _kind(base_url, endpoint, kind, seconds, headers) for kind in TERMS}
    lines = [
        f"Search latency: `{endpoint}…`, {CLIENTS} concurrent clients (wrk, closed loop), {seconds:g} s per kind "
        f"of term, {'signed in' if cookie else 'anonymous'}, 1-minute load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after. Terms: "
        + "; ".join(f"{kind}: {', '.join(terms)}" for kind, terms in TERMS.items())
        + ".",
        "",
        "| terms | requests | req/s | p50 | p95 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, r in results.items():
        lines.append(
            f"| {kind} | {r['requests']} | {r['rate']:,.1f} | {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} "
            f"| {r['errors']} |"
        )
    text = "\n".join(lines)
    print(text)
    return text


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def serve_and_run(args) -> None:
    """Start the app as bench.run serves it, measure anonymous and signed in, stop it."""
    from bench.run import client_headers, http_app, member_cookie, server_env, start_front

    env = server_env(args)
    front = None
    if args.http_cache:
        front, front_env = start_front(args.port, "bench-search-varnish")
        env |= front_env
    # This process signs the member in, and its writer's answers ban the cache as the servers' would.
    keys = ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTP_CACHE_BAN_URLS")
    os.environ.update({k: env[k] for k in keys if k in env})
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.seed import BENCH_USERNAME
    from forum.models import User

    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(User.objects.get(username=BENCH_USERNAME))
    cookie = member_cookie(member)
    connection.close()
    endpoints = [PAGE_ENDPOINT] if args.page else ENDPOINTS
    try:
        app = http_app("granian-search", args.port, env, front=front)
        try:
            if front is not None:
                front.wait_backends_healthy()
            print("served by", "Varnish in front of granian" if front else "granian alone (no HTTP cache)")
            for who in ("", cookie):
                app.settle()
                cpu_before = app.cpu_seconds()
                with Writer(args.writes) as writer:
                    run_search(
                        app.url(""), cookie=who, seconds=args.seconds, endpoints=endpoints, headers=client_headers(app)
                    )
                print(f"server CPU during the run: {app.cpu_seconds() - cpu_before:.1f} s; {writer.summary()}\n")
        finally:
            app.stop()
    finally:
        if front is not None:
            front.stop()


class Writer:
    """A member answering a random thread `rate` times a second, in a thread
    of this process, through forum.services (events, cache bans and all)."""

    def __init__(self, rate: float):
        self.rate, self.done, self.refused = rate, 0, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Writer":
        if self.rate > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()

    def summary(self) -> str:
        return f"{self.done} answers written during it ({self.refused} refused)" if self.rate > 0 else "no writes"

    def _run(self) -> None:
        from django.db import connection

        from bench.seed import BENCH_USERNAME, REFERENCE_ANSWERS
        from forum.exceptions import ForumError
        from forum.models import Question, User, Visibility
        from forum.services.answers import post_answer

        # A new draw each run: runs repeated on one database with the same
        # authors, threads and text were refused by the daily limits and the
        # duplicate check (a second run on one morning: 2 written, 65 refused).
        generator = random.Random()
        authors = list(User.objects.filter(is_active=True).exclude(username=BENCH_USERNAME).order_by("pk")[:5000])
        # Threads well below bench.run's reference thread, the only one with
        # REFERENCE_ANSWERS answers (bench.seed.reference_thread): no run makes another.
        threads = list(
            Question.objects.filter(visibility=Visibility.PUBLISHED, is_locked=False, answer_count__lt=20)
            .order_by("-pk")
            .values_list("pk", flat=True)[:5000]
        )
        try:
            while not self.stop.wait(1 / self.rate):
                question = Question.objects.get(pk=generator.choice(threads))
                if question.answer_count >= REFERENCE_ANSWERS - 2:
                    continue
                try:
                    post_answer(
                        author=generator.choice(authors),
                        question=question,
                        body="En alternance, le contrat d'apprentissage fixe le salaire selon l'âge et l'année : "
                        f"vérifiez la grille de votre convention collective (réponse {generator.randrange(10**9)}).",
                    )
                    self.done += 1
                except ForumError:
                    self.refused += 1
        finally:
            connection.close()


if __name__ == "__main__":
    from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:9150")
    parser.add_argument("--serve", action="store_true", help="start the app on --database-url first")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--port", type=int, default=9160)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--page", action="store_true", help="the search page rather than the REST endpoint")
    parser.add_argument("--no-http-cache", dest="http_cache", action="store_false", help="granian alone")
    parser.add_argument("--writes", type=float, default=0, help="answers written per second during the runs")
    cli = parser.parse_args()
    if cli.serve:
        serve_and_run(cli)
    else:
        run_search(cli.url, seconds=cli.seconds, endpoints=[PAGE_ENDPOINT] if cli.page else ENDPOINTS)
