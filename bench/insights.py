"""The HR insights dashboard (/veille/) on a national-scale forum (PostgreSQL).

    .venv/bin/python -m bench.insights --reseed      # seed 100,000 questions, then measure
    .venv/bin/python -m bench.insights               # measure again on the seeded database

Seeding reuses bench/seed.py's COPY seeding (100,000 questions over three
years, `--answers-per` 3 by default: the dashboard reads questions, first
answers and badges, not long threads), then adds what the dashboard reads and
the seed does not write: facets on two thirds of the questions, questions
addressed to organisations (one in twenty, plus one in fifty to the measured
member's organisation), followers on one question in ten, and three followed
tags for the measured member.

Each page is measured twice: with the community figures shared by the
viewers of the period (what most requests get, `forum.insights.dashboard`
keeps them 5 minutes) and computed (the cache is cleared before each request:
what the first viewer of a period pays). The clock measures the whole page in this process (Django's test client:
middleware, every figure's SQL, template), not the network or an ASGI
server: what the figures cost. Each page is fetched once to warm up, then
`--runs` times; the table gives p50 and p95. The load average before and
after goes with the numbers, since other processes share the machine.
"""

import argparse
import os
import statistics
import sys
import time

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alternance_bench_insights"


def enrich() -> None:
    from django.db import connection

    from forum.models import FACETS

    def choices(facet: str) -> str:
        return "ARRAY[" + ",".join(f"'{value}'" for value in FACETS[facet].values) + "]"

    started = time.monotonic()
    with connection.cursor() as cursor:
        for facet in ("diploma", "region", "sector", "contract"):
            values = choices(facet)
            cursor.execute(
                f"UPDATE forum_question SET {facet} = ({values})[1 + floor(random() * array_length({values}, 1))::int] "
                "WHERE random() < 0.66"
            )
        cursor.execute(
            """
            INSERT INTO forum_questionaddressee (question_id, organisation_id, created_at)
            SELECT id, 1 + mod(id * 7, (SELECT count(*) FROM forum_organisation)), created_at
            FROM forum_question WHERE mod(id, 20) = 0
            ON CONFLICT DO NOTHING
            """
        )
        cursor.execute(
            """
            INSERT INTO forum_threadsubscription (user_id, question_id, following, created_at)
            SELECT 2 + mod(q.id * 31 + n * 7919, (SELECT count(*) FROM forum_user) - 2), q.id, true, q.created_at
            FROM forum_question q, generate_series(1, 4) AS n
            WHERE mod(q.id, 10) = 3 AND n <= 1 + mod(q.id, 4)
            ON CONFLICT DO NOTHING
            """
        )
    print(f"  enrich: {time.monotonic() - started:.1f} s")


def viewer():
    """A verified HR member (with questions addressed to their organisation
    and followed tags) and a moderator."""
    from django.db import connection

    from forum.models import Badge, BadgeRole, TagQuestionCount, TagSubscription, User
    from tests.factories import make_moderator

    badge = Badge.objects.active().filter(role=BadgeRole.HR).order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO forum_questionaddressee (question_id, organisation_id, created_at)
            SELECT id, %s, created_at FROM forum_question WHERE mod(id, 50) = 1
            ON CONFLICT DO NOTHING
            """,
            [badge.organisation_id],
        )
    for count in TagQuestionCount.objects.order_by("-question_count")[:3]:
        TagSubscription.objects.get_or_create(user=badge.user, tag_id=count.tag_id)
    moderator = User.objects.filter(username="bench-moderator").first() or make_moderator(username="bench-moderator")
    return badge, moderator


def measure(client, url: str, runs: int, *, cold: bool = False) -> tuple[float, float]:
    """`cold`: the shared community figures are dropped before each request
    (what the first viewer of a period in five minutes pays)."""
    from django.core.cache import cache

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reseed", action="store_true", help="drop, seed and enrich the database first")
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--answers-per", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    if args.reseed:
        from bench import seed

        seed.main(
            ["--database-url", args.database_url, "--questions", str(args.questions)]
            + ["--answers-per", str(args.answers_per)]
        )
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.reseed:
        enrich()
    badge, moderator = viewer()
    if args.reseed:
        from bench.seed import analyze

        analyze()

    from forum.models import Question

    print(
        f"{Question.objects.count():,} questions; HR member {badge.user.username}, organisation {badge.organisation_id}"
    )
    load_before = os.getloadavg()
    rows = []
    for who, user, extra in (
        ("verified HR (own organisation)", badge.user, ""),
        ("moderator (one organisation)", moderator, f"&organisation={badge.organisation.slug}"),
    ):
        client = Client(headers={"accept-language": "fr"})
        client.force_login(user)
        for period in ("7", "30", "90"):
            p50, p95 = measure(client, f"/veille/?period={period}{extra}", args.runs)
            rows.append((who, period, "shared", p50, p95))
            p50, p95 = measure(client, f"/veille/?period={period}{extra}", args.runs, cold=True)
            rows.append((who, period, "computed", p50, p95))
    load_after = os.getloadavg()
    print()
    print("| viewer | period (days) | community figures | p50 (ms) | p95 (ms) |")
    print("| --- | --- | --- | --- | --- |")
    for who, period, community, p50, p95 in rows:
        print(f"| {who} | {period} | {community} | {p50:.0f} | {p95:.0f} |")
    print()
    print(
        f"load average before: {load_before[0]:.2f} {load_before[1]:.2f}; "
        f"after: {load_after[0]:.2f} {load_after[1]:.2f} ({os.cpu_count()} cores); "
        f"{args.runs} runs per row after one warm-up"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
