"""Search latency at 20 concurrent clients, for rare, common and misspelled
terms, against whatever search endpoint the server has: `/api/v1/search/?q=`
when it answers, else the search page `/?q=`.

    .venv/bin/python -m bench.search http://127.0.0.1:9150   # a running server
    .venv/bin/python -m bench.search --serve --database-url postgres://…/alternance_bench_big
    (bench.run calls run_search on its own uvicorn)

`--serve` starts the app as bench.run does (uvicorn with the flags of
docker/entrypoint.sh, 2 workers, DEBUG off, psycopg's pool, Redis), measures
anonymous then signed in, and stops it; `--page` measures the search page
(`/recherche/?q=`) instead of the REST endpoint.

Each kind of term runs for SECONDS with CLIENTS clients, each sending its next
query as soon as the previous answer arrived (closed loop, like wrk): the
latency is the full request time seen by the client, on the same cores as the
server.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

CLIENTS = 20
SECONDS = 15
# Edit freely: the seed's vocabulary is the demo threads plus diplomas,
# sectors and towns (bench/seed.py).
TERMS = {
    "rare": ["Quimper boulangerie", "Cayenne", "aéronautique Colmar", "Ajaccio coiffure", "MBA Niort"],
    "common": ["contrat", "apprentissage", "salaire", "école", "entreprise alternance"],
    "misspelled": ["apprantissage", "contrat dapprentisage", "rémunérassion", "salère apprenti", "ecole alternanse"],
}
ENDPOINTS = ["/api/v1/search/?q=", "/?q="]
PAGE_ENDPOINT = "/recherche/?q="


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _kind(client: httpx.AsyncClient, endpoint: str, terms: list[str], seconds: float) -> tuple[list, int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def worker(index: int) -> None:
        nonlocal errors
        n = index
        while time.monotonic() < deadline:
            term = terms[n % len(terms)]
            n += 1
            started = time.perf_counter()
            try:
                response = await client.get(endpoint + term)
                if response.status_code != 200:
                    errors += 1
                    continue
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker(i) for i in range(CLIENTS)))
    return latencies, errors


async def _run(base_url: str, cookie: str, seconds: float, endpoints: list[str]) -> tuple[str, dict]:
    headers = {"Cookie": cookie} if cookie else {}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:
        endpoint = None
        for candidate in endpoints:
            if (await client.get(candidate + "contrat")).status_code == 200:
                endpoint = candidate
                break
        if endpoint is None:
            raise RuntimeError("no search endpoint answers 200")
        results = {}
        for kind, terms in TERMS.items():
            results[kind] = await _kind(client, endpoint, terms, seconds)
    return endpoint, results


def run_search(base_url: str, *, cookie: str = "", seconds: float = SECONDS, endpoints: list[str] | None = None) -> str:
    """Measure and return a Markdown paragraph and table for docs/benchmarks.md."""
    load_before = os.getloadavg()[0]
    endpoint, results = asyncio.run(_run(base_url, cookie, seconds, endpoints or ENDPOINTS))
    lines = [
        f"Search latency: `{endpoint}…`, {CLIENTS} concurrent clients (httpx, closed loop), {seconds:g} s per kind "
        f"of term, {'signed in' if cookie else 'anonymous'}, 1-minute load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after. Terms: "
        + "; ".join(f"{kind}: {', '.join(terms)}" for kind, terms in TERMS.items())
        + ".",
        "",
        "| terms | requests | req/s | p50 | p95 | p99 | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, (latencies, errors) in results.items():
        if latencies:
            lines.append(
                f"| {kind} | {len(latencies)} | {len(latencies) / seconds:.1f} | "
                f"{statistics.median(latencies):,.0f} ms | {percentile(latencies, 95):,.0f} ms | "
                f"{percentile(latencies, 99):,.0f} ms | {errors} |"
            )
        else:
            lines.append(f"| {kind} | 0 | 0 | — | — | — | {errors} |")
    text = "\n".join(lines)
    print(text)
    return text


def serve_and_run(args) -> None:
    """Start the app as bench.run does, measure anonymous and signed in, stop it."""
    from bench.run import UVICORN_ARGS, Server, server_env

    env = server_env(args)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
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
    cookie = f"sessionid={member.cookies['sessionid'].value}"
    connection.close()
    endpoints = [PAGE_ENDPOINT] if args.page else ENDPOINTS
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    command = [uvicorn, "config.asgi:application", "--host", "127.0.0.1", "--port", str(args.port), *UVICORN_ARGS]
    app = Server("uvicorn-search", command, args.port, env)
    try:
        for who in ("", cookie):
            app.settle()
            cpu_before = app.cpu_seconds()
            run_search(app.url(""), cookie=who, seconds=args.seconds, endpoints=endpoints)
            print(f"server CPU during the run: {app.cpu_seconds() - cpu_before:.1f} s\n")
    finally:
        app.stop()


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
    cli = parser.parse_args()
    if cli.serve:
        serve_and_run(cli)
    else:
        run_search(cli.url, seconds=cli.seconds, endpoints=[PAGE_ENDPOINT] if cli.page else ENDPOINTS)
