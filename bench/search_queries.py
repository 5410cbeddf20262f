"""Search latency inside one process: `forum.search.search()` and `similar()`
called directly, one at a time, for rare, common and misspelled terms (the
same terms as the HTTP benchmark, bench/search.py), so that the database work
of a search is measured apart from the server and the template.

    DATABASE_URL=postgres://.../big .venv/bin/python -m bench.search_queries
    .venv/bin/python -m bench.search_queries --rounds 10 --explain

Each term runs ROUNDS times after one warm-up call; p50 and p95 are over every
call of a kind. `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the ranking
query for one common term. `--page` times the search page view instead (Django's
test client, DEBUG off, a new URL each time so the shared page cache never
answers), with its queries. Read-only: nothing is written to the database.
"""

import argparse
import os
import statistics
import time
from collections import defaultdict

TERMS = {
    "rare": ["Quimper boulangerie", "Cayenne", "aéronautique Colmar", "Ajaccio coiffure", "MBA Niort"],
    "common": ["contrat", "apprentissage", "salaire", "école", "entreprise alternance"],
    "misspelled": ["apprantissage", "contrat dapprentisage", "rémunérassion", "salère apprenti", "ecole alternanse"],
}
SIMILAR_TITLES = [
    "Rémunération apprenti 2e année",
    "Rupture de contrat d'apprentissage pendant la période d'essai",
    "Quelle école pour un BTS en alternance ?",
    "Congés payés en contrat de professionnalisation",
    "Trouver une entreprise à Quimper",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(call, rounds: int) -> list[float]:
    call()
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def breakdown(call, rounds: int) -> tuple[list[tuple[str, float]], float, float]:
    """The queries of `call` in order with the median time of each over
    `rounds` calls (after a warm-up), the median total and the median time
    outside SQL."""
    from django.db import connection

    per_query: dict[int, list[float]] = defaultdict(list)
    labels: dict[int, str] = {}
    totals, outside = [], []

    call()
    for _ in range(rounds):
        spent: list[float] = []

        def timer(execute, sql, params, many, context, spent=spent):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                labels.setdefault(len(spent), " ".join(sql.split())[:90])
                spent.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            call()
        total = (time.perf_counter() - started) * 1000
        totals.append(total)
        outside.append(total - sum(spent))
        for index, ms in enumerate(spent):
            per_query[index].append(ms)
    rows = [(labels[i], statistics.median(per_query[i])) for i in sorted(per_query)]
    return rows, statistics.median(totals), statistics.median(outside)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument(
        "--page",
        action="store_true",
        help="time the search page view instead (test client, anonymous, a URL never seen: computed, not shared)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from forum import search
    from forum.models import Question

    anonymous = AnonymousUser()
    if args.page:
        page_views(args.rounds)
        return
    print(
        f"{Question.objects.count():,} questions; {args.rounds} rounds per term after a warm-up; "
        f"1-minute load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'kind':<12}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, terms in TERMS.items():
        samples = []
        for term in terms:
            samples += timed(lambda term=term: search.search(term, viewer=anonymous), args.rounds)
        print(f"{kind:<12}{statistics.median(samples):>10.1f}{percentile(samples, 95):>10.1f}{max(samples):>10.1f}")
    samples = []
    for title in SIMILAR_TITLES:
        samples += timed(lambda title=title: search.similar(title, viewer=anonymous), args.rounds)
    print(f"{'similar()':<12}{statistics.median(samples):>10.1f}{percentile(samples, 95):>10.1f}{max(samples):>10.1f}")
    print(f"1-minute load average after: {os.getloadavg()[0]:.1f}")
    if args.breakdown:
        for kind, terms in TERMS.items():
            rows, total, outside = breakdown(lambda terms=terms: search.search(terms[0], viewer=anonymous), args.rounds)
            print(f"\n{kind} ({terms[0]!r}): {total:.1f} ms, of which {outside:.1f} ms outside SQL")
            for sql, ms in rows:
                print(f"  {ms:7.1f} ms  {sql}")
    if args.explain:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            search.search("contrat", viewer=anonymous)
        ranking = max(queries.captured_queries, key=lambda q: float(q["time"]))
        print(f"\nslowest query ({ranking['time']} s):\n{ranking['sql']}\n")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ranking["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


def page_views(rounds: int) -> None:
    """`/recherche/?q=` through Django's test client with DEBUG off, every URL
    new (`&_=n`, as bench/search_mix.lua --fresh) so the shared page cache
    never answers: the whole computed page, with its queries."""
    import itertools

    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    fresh = itertools.count()

    def view(term):
        response = client.get("/recherche/", {"q": term, "_": f"{os.getpid()}.{next(fresh)}"})
        assert response.status_code == 200, response.status_code
        assert response["X-Page-Cache"] != "hit"

    print(f"search page, computed; {rounds} rounds per term after a warm-up; load {os.getloadavg()[0]:.1f}")
    print(f"{'kind':<12}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, terms in TERMS.items():
        samples = []
        for term in terms:
            samples += timed(lambda term=term: view(term), rounds)
        print(f"{kind:<12}{statistics.median(samples):>10.1f}{percentile(samples, 95):>10.1f}{max(samples):>10.1f}")
    for kind, terms in TERMS.items():
        rows, total, outside = breakdown(lambda terms=terms: view(terms[0]), rounds)
        print(f"\n{kind} ({terms[0]!r}): {total:.1f} ms, of which {outside:.1f} ms outside SQL")
        for sql, ms in rows:
            print(f"  {ms:7.1f} ms  {sql}")
    print(f"1-minute load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
