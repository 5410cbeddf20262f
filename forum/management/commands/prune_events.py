"""Delete websocket events older than the retention horizon (30 days by default).

Idempotent, meant for cron (daily):

    python manage.py prune_events --days 30

A client resuming from a cursor older than the horizon gets `resync` (reload,
then follow live): see docs/websocket.md.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from forum.services.event_log import DEFAULT_RETENTION, prune_events


class Command(BaseCommand):
    help = "Delete websocket events older than --days (default 30); older cursors get `resync`."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_RETENTION.days,
            help="Keep this many days of events (default: %(default)s).",
        )

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = prune_events(older_than=timedelta(days=days))
        self.stdout.write(f"{deleted} event(s) deleted (older than {days} day(s)).")
