"""Notification fan-out benchmark: a popular tag with N followers gets a new
question.

    DATABASE_URL=postgres://.../alternance_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python -m bench.notifications_fanout --followers 10000

What the clocks measure, on PostgreSQL with the Redis channel layer and the
database task backend (as in production):

- the asker's request: `ask_question` through the service, commit included.
  The fan-out is not in it: the service enqueues one task row on commit.
- the fan-out: the task the worker runs (`forum.notifications.tasks.fan_out`),
  called here in-process like the worker would, from claim to return:
  grouped notification rows, one `notification.count` event per follower
  (rows in `Event` and group_send to Redis after commit), emails queued for
  the followers who chose email for this kind (`--email-share`).

The data set (N members following the tag) is made once and reused: run it
twice and the second run measures the same thing on a warm database.
"""

import argparse
import os
import platform
import time
from datetime import timedelta


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    import django

    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--email-share", type=float, default=0.1, help="Share of followers who want emails for it.")
    args = parser.parse_args(argv)
    setup_django()

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    from taggit.models import Tag

    from forum.models import Event, Notification, NotificationEmail, NotificationPreference, TagSubscription, User
    from forum.notifications import fanout
    from forum.services.questions import ask_question

    call_command("migrate", verbosity=0)
    tag, _ = Tag.objects.get_or_create(slug="bench-populaire", defaults={"name": "bench-populaire"})
    have = TagSubscription.objects.filter(tag=tag).count()
    if have < args.followers:
        password = make_password(None)
        joined = timezone.now() - timedelta(days=90)
        start = User.objects.filter(username__startswith="bench-follower-").count()
        users = User.objects.bulk_create(
            [
                User(username=f"bench-follower-{i}", email=f"f{i}@example.org", password=password, date_joined=joined)
                for i in range(start, start + args.followers - have)
            ]
        )
        TagSubscription.objects.bulk_create([TagSubscription(user=u, tag=tag) for u in users], ignore_conflicts=True)
        wanted = int(len(users) * args.email_share)
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user=u, channels={"tag_question": "email"}) for u in users[:wanted]],
            ignore_conflicts=True,
        )
    established = timezone.now() - timedelta(days=90)
    asker, _ = User.objects.get_or_create(
        username="bench-asker", defaults={"email": "asker@example.org", "date_joined": established}
    )
    n = Notification.objects.count()
    events_before = Event.objects.count()
    emails_before = NotificationEmail.objects.count()

    started = time.perf_counter()
    question = ask_question(
        author=asker,
        title=f"Question de bench {time.time():.0f} sur un tag populaire",
        body=f"Combien de temps pour notifier tous les abonnés d'un tag ? ({time.time()})",
        tags="bench-populaire",
    )
    asked = time.perf_counter() - started
    task = DBTaskResult.objects.filter(task_path="forum.notifications.tasks.fan_out").order_by("-enqueued_at").first()
    if task is None or task.args_kwargs["args"][1] != question.pk:
        raise SystemExit("the fan-out task was not enqueued")

    started = time.perf_counter()
    report = fanout.fan_out_question(question.pk)
    fanned = time.perf_counter() - started
    DBTaskResult.objects.filter(pk=task.pk).delete()  # done here, not by a worker

    layer = os.environ.get("REDIS_URL") or "in-memory"
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}, {connection.vendor}, {layer}")
    print(f"followers: {TagSubscription.objects.filter(tag=tag).count()}")
    print(f"asker's request (ask_question, commit included): {asked * 1000:.0f} ms")
    print(f"fan-out: {fanned:.2f} s")
    print(f"  notification rows written: {report.rows_written} (table +{Notification.objects.count() - n})")
    print(f"  live events: {report.live_events} (Event rows +{Event.objects.count() - events_before})")
    print(f"  emails queued: {report.emails_queued} (outbox +{NotificationEmail.objects.count() - emails_before})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
