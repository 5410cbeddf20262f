"""Search latency at 20 concurrent clients, for rare, common and misspelled
terms, against whatever search endpoint the server has: `/api/v1/search/?q=`
when it answers, else the search page `/?q=`.

    .venv/bin/python -m bench.search http://127.0.0.1:9150   # a running server
    (bench.run calls run_search on its own uvicorn)

Each kind of term runs for SECONDS with CLIENTS clients, each sending its next
query as soon as the previous answer arrived (closed loop, like wrk): the
latency is the full request time seen by the client, on the same cores as the
server.
"""

import asyncio
import statistics
import sys
import time

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


async def _run(base_url: str, cookie: str, seconds: float) -> tuple[str, dict]:
    headers = {"Cookie": cookie} if cookie else {}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:
        endpoint = None
        for candidate in ENDPOINTS:
            if (await client.get(candidate + "contrat")).status_code == 200:
                endpoint = candidate
                break
        if endpoint is None:
            raise RuntimeError("no search endpoint answers 200")
        results = {}
        for kind, terms in TERMS.items():
            results[kind] = await _kind(client, endpoint, terms, seconds)
    return endpoint, results


def run_search(base_url: str, *, cookie: str = "", seconds: float = SECONDS) -> str:
    """Measure and return a Markdown paragraph and table for docs/benchmarks.md."""
    endpoint, results = asyncio.run(_run(base_url, cookie, seconds))
    lines = [
        f"Search latency: `{endpoint}…`, {CLIENTS} concurrent clients (httpx, closed loop), {seconds:g} s per kind "
        f"of term, {'signed in' if cookie else 'anonymous'}. Terms: "
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


if __name__ == "__main__":
    run_search(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9150")
