"""The tasks the worker runs (`manage.py notifications_worker`, django.tasks
with django-tasks-db's database backend). Arguments are ids: a task reads the
database as it is when it runs."""

import logging
from datetime import datetime

from django.tasks import default_task_backend, task
from django.utils import timezone

from forum.notifications import digests, email, fanout
from forum.services import audit_retention, login_limits

logger = logging.getLogger(__name__)


@task
def fan_out(kind: str, subject_id: int, actor_id: int | None = None) -> dict:
    handlers = {
        "answer": lambda: fanout.fan_out_answer(subject_id),
        "question": lambda: fanout.fan_out_question(subject_id),
        "accepted": lambda: fanout.fan_out_accepted(subject_id, actor_id),
        "helpful": lambda: fanout.fan_out_helpful(subject_id, actor_id),
        "live_starting": lambda: fanout.fan_out_live_starting(subject_id),
    }
    report = handlers[kind]()
    schedule_delivery(report.email_due)
    return {"rows": report.rows_written, "live": report.live_events, "emails": report.emails_queued}


@task
def deliver_due_emails() -> int:
    """Sends every due pending email; idempotent, so running it twice at once
    or again after a crash sends nothing twice (forum.notifications.email)."""
    return email.deliver_due()


@task
def periodic() -> dict:
    """Every minute, from the worker: the safety net for emails whose task was
    lost (a worker killed mid-task leaves its task row RUNNING forever), the
    digests due at this local hour, and the retention of the audit log and of
    spent login-attempt rows (deletes that find nothing on most runs)."""
    sent = email.deliver_due()
    queued = digests.queue_due_digests(now=timezone.now())
    purged = audit_retention.purge_expired()
    login_limits.forget_stale()
    return {"sent": sent, "digests": queued, "audit_purged": purged}


def schedule_delivery(due: list[datetime]) -> None:
    """One delivery task per distinct due minute (not one per email)."""
    minutes = sorted({d.replace(second=0, microsecond=0) for d in due})
    now = timezone.now()
    for minute in minutes:
        run_after = max(minute, now)
        try:
            if default_task_backend.supports_defer and run_after > now:
                deliver_due_emails.using(run_after=run_after).enqueue()
            else:
                deliver_due_emails.enqueue()
        except Exception:
            # The periodic sweep delivers it anyway; a task queue hiccup must
            # not lose the fan-out that already committed.
            logger.exception("Could not enqueue the email delivery for %s", run_after)
