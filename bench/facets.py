"""Facet counts and discovery lists on a large forum (PostgreSQL only).

    DATABASE_URL=postgres://… DEBUG=1 .venv/bin/python -m bench.facets --questions 100000 --answers 300000

Bulk-inserts questions (random facets, a third without any), answers and
helpful votes spread over the last 60 days with INSERT … SELECT
generate_series (seconds, not minutes), ANALYZEs, then times in this process,
against the real reads of forum.queries and forum.thread_filters, each read
REPEAT times after one warm-up:

- the facet counts of the home list (all published questions) and of a tag page;
- page 1 of "unanswered, oldest first", "popular this week", "solved by a
  verified HR" (no verified HR in the bulk data: the worst case, nothing matches)
  and a list filtered by two facets.

A page's SQL is what the web page and the API run for their list (the
question rows, 20 per page; prefetches excluded). The rows it adds are tagged
with the title prefix BENCH and removed by --clean. Prints a Markdown table.
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402

from forum import queries  # noqa: E402
from forum.models import FACETS, Question  # noqa: E402
from forum.thread_filters import ThreadFilters  # noqa: E402
from tests.factories import make_user  # noqa: E402

PREFIX = "BENCH "


def _array(values) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def seed(questions: int, answers: int, votes: int) -> None:
    clean()
    author = make_user(username="bench-author")
    voters = [make_user(username=f"bench-voter-{i}").pk for i in range(2)]
    facet = {name: _array(["", *choices.values]) for name, choices in FACETS.items()}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO forum_question (title, body, body_html, author_id, created_at, last_activity_at,
                is_locked, visibility, view_count, answer_count, moderation_reason, moderation_note,
                diploma, contract, sector, region)
            SELECT '{PREFIX}' || i, 'texte', '<p>texte</p>', %s,
                now() - (random() * interval '60 days'), now() - (random() * interval '60 days'),
                false, 'published', 0, 0, '', '',
                CASE WHEN mod(i, 3) = 0 THEN '' ELSE ({facet["diploma"]})[1 + mod((random() * 10)::int, 11)] END,
                CASE WHEN mod(i, 3) = 0 THEN '' ELSE ({facet["contract"]})[1 + mod((random() * 2)::int, 3)] END,
                CASE WHEN mod(i, 3) = 0 THEN '' ELSE ({facet["sector"]})[1 + mod((random() * 9)::int, 10)] END,
                CASE WHEN mod(i, 3) = 0 THEN '' ELSE ({facet["region"]})[1 + mod((random() * 18)::int, 19)] END
            FROM generate_series(1, %s) AS i
            """,
            [author.pk, questions],
        )
        cursor.execute(
            f"""
            INSERT INTO forum_answer (question_id, body, body_html, author_id, created_at, visibility,
                vote_count, moderation_reason, moderation_note)
            SELECT q.id, 'réponse', '<p>réponse</p>', %s, now() - (random() * interval '60 days'),
                'published', 0, '', ''
            FROM (SELECT id FROM forum_question WHERE title LIKE '{PREFIX}%%' ORDER BY random() LIMIT %s) AS q,
                generate_series(1, 3) AS n
            """,
            [voters[0], answers // 3],
        )
        cursor.execute(
            f"""
            UPDATE forum_question q SET answer_count = a.n FROM (
                SELECT question_id, count(*) AS n FROM forum_answer GROUP BY question_id) a
            WHERE a.question_id = q.id AND q.title LIKE '{PREFIX}%%'
            """
        )
        cursor.execute(
            """
            INSERT INTO forum_vote (answer_id, user_id, created_at)
            SELECT a.id, v.user_id, now() - (random() * interval '60 days')
            FROM (SELECT id FROM forum_answer a WHERE body = 'réponse' ORDER BY random() LIMIT %s) AS a,
                unnest(%s::int[]) AS v(user_id)
            ON CONFLICT DO NOTHING
            """,
            [votes // 2, voters[:2]],
        )
        cursor.execute("ANALYZE forum_question; ANALYZE forum_answer; ANALYZE forum_vote;")
        print(f"seeded in {time.perf_counter() - started:.1f} s")


def clean() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM forum_vote WHERE user_id IN (SELECT id FROM forum_user WHERE username LIKE 'bench-%%')"
        )
        cursor.execute(
            "DELETE FROM forum_answer WHERE question_id IN "
            f"(SELECT id FROM forum_question WHERE title LIKE '{PREFIX}%%')"
        )
        cursor.execute(f"DELETE FROM forum_question WHERE title LIKE '{PREFIX}%%'")
    from forum.models import User

    User.objects.filter(username__startswith="bench-").delete()


def timed(label: str, run, repeat: int) -> tuple[str, float, float]:
    run()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return label, statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def measure(repeat: int) -> list[tuple[str, float, float]]:
    def page(**kwargs):
        return lambda: list(queries.question_list(None, **kwargs).prefetch_related(None)[:20])

    return [
        timed("facet counts, home list", lambda: ThreadFilters().facet_counts(queries.question_list(None)), repeat),
        timed(
            "facet counts, home list, region=bretagne",
            lambda: ThreadFilters(region="bretagne").facet_counts(queries.question_list(None)),
            repeat,
        ),
        timed("page 1, unanswered oldest first", page(status="unanswered", ordering="oldest"), repeat),
        timed("page 1, popular this week", page(ordering="hot"), repeat),
        timed("page 1, solved by a verified HR", page(status="solved_by_verified"), repeat),
        timed(
            "page 1, diploma=bts&region=bretagne",
            lambda: list(
                ThreadFilters(diploma="bts", region="bretagne")
                .apply(queries.question_list(None))
                .prefetch_related(None)[:20]
            ),
            repeat,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=300_000)
    parser.add_argument("--votes", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--clean", action="store_true", help="remove the bench rows and stop")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: set DATABASE_URL.")
    if args.clean:
        clean()
        return
    if not args.no_seed:
        seed(args.questions, args.answers, args.votes)
    print(f"{Question.objects.count()} questions")
    print("| read | median ms | p95 ms |\n| --- | --- | --- |")
    for label, median, p95 in measure(args.repeat):
        print(f"| {label} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
