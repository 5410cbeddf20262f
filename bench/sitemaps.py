"""Sitemap benchmark: the index and one full 50,000-URL page of threads, with
N published threads in the database (seeded by one bulk insert if fewer).

    DEBUG=1 DATABASE_URL=postgres://.../<a scratch database> \\
        .venv/bin/python -m bench.sitemaps --threads 100000

In-process through Django's test client (no HTTP server: what is measured is
the view, its queries and the XML, not a network stack), against the real
PostgreSQL and the configured cache. Each URL is fetched cold (cache cleared)
and warm (served from the cache under the event cursor), `--repeat` times;
the report gives the median wall time, the number of SQL queries and the
response size. Seeds into the database it is given: never point it at one
whose data matters.
"""

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from forum.models import Question, User, Visibility

    have = Question.objects.filter(visibility=Visibility.PUBLISHED).count()
    if have < args.threads:
        author, _ = User.objects.get_or_create(username="bench-author", defaults={"email": "bench@example.invalid"})
        now = timezone.now()
        started = time.perf_counter()
        Question.objects.bulk_create(
            (
                Question(
                    title=f"Question de référence numéro {n} sur l'alternance en BTS",
                    body="Corps de la question.",
                    body_html="<p>Corps de la question.</p>",
                    author=author,
                    created_at=now,
                    last_activity_at=now,
                )
                for n in range(args.threads - have)
            ),
            batch_size=5_000,
        )
        print(f"seeded {args.threads - have} threads in {time.perf_counter() - started:.1f} s")
    total = Question.objects.filter(visibility=Visibility.PUBLISHED).count()

    client = Client()
    host = {"HTTP_HOST": "127.0.0.1"}
    print(f"{total} published threads; median of {args.repeat} runs")
    print(f"{'URL':32} {'state':5} {'time':>9} {'queries':>7} {'bytes':>10}")
    for url in ("/sitemap.xml", "/sitemap-questions.xml", "/sitemap-questions.xml?p=2"):
        for state in ("cold", "warm"):
            times, queries, size = [], 0, 0
            for _ in range(args.repeat):
                if state == "cold":
                    cache.clear()
                else:
                    client.get(url, **host)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, **host)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
                queries, size = len(captured), len(response.content)
            print(f"{url:32} {state:5} {statistics.median(times) * 1000:7.1f} ms {queries:7} {size:10}")


if __name__ == "__main__":
    main()
