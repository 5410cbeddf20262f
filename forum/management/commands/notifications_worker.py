"""The notifications worker: django-tasks-db's worker loop, plus a periodic
`forum.notifications.tasks.periodic` enqueued every PERIOD seconds.

The periodic task is the safety net the database backend lacks: a worker
killed in the middle of a task leaves that task's row RUNNING forever, so
emails are tracked in our own outbox (`NotificationEmail`) and every minute
any due one is sent, whatever happened to the task that was meant to send
it. It also sends the digests due at this local hour.

Run one (or more: rows are claimed with SKIP LOCKED) per deployment:
`python manage.py notifications_worker`. `./dev serve` starts one.
"""

import threading
import time
from datetime import timedelta

from django.db import close_old_connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

from forum.notifications.tasks import fan_out, periodic
from forum.services.live_sessions import announce_live_sessions

PERIOD = 60.0
# A fan-out to 10,000 followers takes seconds (bench/notifications_fanout.py).
STALE_AFTER = 600.0


class Command(DbWorkerCommand):
    help = "Run the notification tasks (fan-out, emails, digests) from the database queue."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--period", type=float, default=PERIOD, help="Seconds between periodic sweeps (emails due, digests)."
        )
        parser.add_argument(
            "--requeue-after",
            type=float,
            default=STALE_AFTER,
            help="At start, run again the fan-out tasks RUNNING for longer than this many seconds (a dead worker's).",
        )

    def handle(self, *args, period: float, requeue_after: float, **options):
        self._requeue_stale(requeue_after)
        # A daemon thread: it dies with the worker, and only enqueues (the
        # worker loop runs the task), so it never competes for a task row.
        threading.Thread(target=self._tick, args=(period,), daemon=True, name="periodic").start()
        super().handle(*args, **options)

    def _requeue_stale(self, seconds: float) -> None:
        """A worker killed mid-task leaves the row RUNNING forever. Emails
        need nothing (the periodic sweep reads our outbox), but a fan-out would
        be lost: put it back in the queue. Its rows were written in chunk
        transactions, so a rerun after a kill between two chunks counts the
        first chunk's event twice in their grouped rows: a wrong count, never
        a second row or email."""
        stale = timezone.now() - timedelta(seconds=seconds)
        requeued = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, task_path=fan_out.module_path, started_at__lt=stale
        ).update(status=TaskResultStatus.READY, started_at=None)
        if requeued:
            self.stderr.write(f"requeued {requeued} fan-out task(s) left running by a stopped worker")

    def _tick(self, period: float) -> None:
        while True:
            try:
                periodic.enqueue()
                # Live sessions that started or ended: followers told, pages updated.
                announce_live_sessions.enqueue()
            except Exception as error:  # the database may be restarting
                self.stderr.write(f"could not enqueue the periodic sweep: {error}")
            finally:
                close_old_connections()
            time.sleep(period)
