"""RGPD benchmark: how long a member's export and account deletion take on a
seeded database (bench/seed.py), with an event log of realistic size.

    DATABASE_URL=postgres://.../alternance_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python -m bench.account_deletion --events 200000

What the clocks measure, in one process on PostgreSQL:

- the export (`data_export.export_my_data`) of the most prolific member: every
  section, JSON included;
- the deletion (`account_deletion.delete_account`), keeping the posts and then
  removing them all, each from the password check to the end of the
  transaction's work. Both deletions run in a transaction that is rolled back,
  so the database can be measured again; on-commit work (sending to the channel
  layer) is not in them.

The deletion's cost is mostly the redaction scans (`ILIKE` over the event log's
payloads and the moderation notes of every post: `account_deletion.QUOTING_COLUMNS`),
hence `--events`: synthetic `answer.created` rows (author blocks of random
members) added once to the event log, like the 30 days `prune_events` keeps.
"""

import argparse
import json
import os
import platform
import random
import time


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


class RolledBack(Exception):
    pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000, help="Event log rows to have (added once).")
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from bench.seed import PASSWORD
    from forum.models import Answer, Event, Question, User
    from forum.services import account_deletion, data_export

    have = Event.objects.count()
    if have < args.events:
        members = list(User.objects.values_list("pk", "username", "display_name")[:5000])
        rng = random.Random(7)
        batch = []
        for n in range(args.events - have):
            pk, username, display_name = rng.choice(members)
            author = {"id": pk, "username": username, "display_name": display_name or username, "badges": []}
            body = "<p>Bonjour, voici ma réponse.</p>"
            payload = {"id": n, "question_id": n // 10, "author": author, "body_html": body}
            batch.append(Event(topic=f"thread:{n // 10}", name="answer.created", payload=payload))
            if len(batch) == 5000:
                Event.objects.bulk_create(batch)
                batch = []
        Event.objects.bulk_create(batch)

    member = User.objects.filter(is_active=True, is_superuser=False).annotate(n=Count("answers")).order_by("-n").first()
    posts = Question.objects.filter(author=member).count(), Answer.objects.filter(author=member).count()
    sizes = {
        "questions": Question.objects.count(),
        "answers": Answer.objects.count(),
        "events": Event.objects.count(),
        "members": User.objects.count(),
    }

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        export = data_export.export_my_data(member=member)
    export_seconds = time.perf_counter() - start
    export_bytes = len(json.dumps(export).encode())

    def timed_deletion(**choices) -> tuple[float, int]:
        start = time.perf_counter()
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                account_deletion.delete_account(member=User.objects.get(pk=member.pk), password=PASSWORD, **choices)
                elapsed = time.perf_counter() - start
                raise RolledBack()
        except RolledBack:
            pass
        return elapsed, len(captured)

    keep_seconds, keep_queries = timed_deletion()
    remove_seconds, remove_queries = timed_deletion(remove_all_posts=True)

    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}, {connection.vendor}")
    print(f"database: {sizes}")
    print(f"member: {posts[0]} questions, {posts[1]} answers")
    print("| what | seconds | queries |")
    print("| --- | ---: | ---: |")
    print(f"| export ({export_bytes / 1024:.0f} KiB of JSON) | {export_seconds:.2f} | {len(queries)} |")
    print(f"| deletion, posts kept | {keep_seconds:.2f} | {keep_queries} |")
    print(f"| deletion, every post removed | {remove_seconds:.2f} | {remove_queries} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
