"""The tasks the worker runs (`manage.py notifications_worker`, django.tasks
with django-tasks-db's database backend). Arguments are ids: a task reads the
database as it is when it runs."""

import logging
from datetime import datetime

from django.core.cache import cache
from django.tasks import default_task_backend, task
from django.utils import timezone

from forum.insights import dashboard
from forum.notifications import digests, email, fanout, nudges
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
        "live_changed": lambda: fanout.fan_out_live_changed(subject_id),
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
    digests due at this local hour, the retention of the audit log and of
    spent login-attempt rows (deletes that find nothing on most runs), and
    the insights dashboard's shared figures every few minutes, and the
    calendar reminders that fall due (before the emails, so that theirs go in
    the same run unless quiet hours hold them)."""
    try:
        reminders = nudges.send_due_reminders(now=timezone.now()).rows_written
    except Exception:
        # The emails and the rest of the sweep must not wait for a bad window.
        logger.exception("Calendar reminders failed")
        reminders = 0
    sent = email.deliver_due()
    queued = digests.queue_due_digests(now=timezone.now())
    purged = audit_retention.purge_expired()
    login_limits.forget_stale()
    insights = _refresh_insights_if_due()
    return {
        "sent": sent,
        "digests": queued,
        "audit_purged": purged,
        "insights_refreshed": insights,
        "calendar_reminders": reminders,
    }


# The dashboard's shared community figures live dashboard.COMMUNITY_SECONDS
# (300 s): refreshed a minute before, readers of the preset periods never
# compute them.
INSIGHTS_REFRESH_SECONDS = 240


def _refresh_insights_if_due() -> int:
    """At most once per INSIGHTS_REFRESH_SECONDS whatever the number of
    workers (`cache.add` only succeeds for the first); skipped while the
    cache is away, since the figures are kept there anyway."""
    try:
        due = cache.add("insights:refresh-due", True, INSIGHTS_REFRESH_SECONDS)
    except Exception:  # the cache is an optimisation (docs/known-traps.md)
        logger.warning("insights refresh skipped: cache unavailable", exc_info=True)
        return 0
    return dashboard.refresh_community_figures() if due else 0


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
