"""The one place that may change or delete audit-log entries.

The audit log is append-only (forum/models/audit.py refuses every update and
delete through the ORM, and tests/test_audit_log_is_append_only.py proves no
route can do it). The RGPD makes two exceptions, both here and nowhere else,
both without a front door a person can call with chosen rows:

- **retention**: an entry is kept `AUDIT_LOG_RETENTION_DAYS` (365 by default,
  stated in the privacy policy), then deleted by `purge_expired`, run by
  `manage.py purge_audit_log` and by the notifications worker's periodic sweep;
- **erasure**: when a member deletes their account, their personal values
  (name, email...) are replaced in the entries that quote them
  (`redact_member_values`, called by forum.services.account_deletion). The
  entry itself, its action, date and ids stay, so the decision is still
  accountable."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from forum.models import AuditLog
from forum.redaction import Redactor

DEFAULT_RETENTION_DAYS = 365


def retention() -> timedelta:
    return timedelta(days=getattr(settings, "AUDIT_LOG_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete the entries older than the retention period; returns how many.
    An entry exactly at the limit is kept (the period is "at most N days")."""
    cutoff = (now or timezone.now()) - retention()
    # The base QuerySet's delete: AuditLogQuerySet.delete refuses on purpose.
    deleted, _ = models.QuerySet.delete(AuditLog.objects.filter(created_at__lt=cutoff))
    return deleted


def redact_member_values(redactor: Redactor) -> int:
    """Replace a deleted member's personal values in every entry quoting them;
    returns the number of entries changed."""
    if not redactor.needles:
        return 0
    pattern = redactor.sql_pattern
    found = (
        Q(target_repr__iregex=pattern)
        | Q(reason__iregex=pattern)
        | Q(before_text__iregex=pattern)
        | Q(after_text__iregex=pattern)
    )
    rows = AuditLog.objects.annotate(
        before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
    ).filter(found)
    changed = 0
    for entry in rows.iterator():
        values = {
            "target_repr": redactor.text(entry.target_repr)[:200],
            "reason": redactor.text(entry.reason),
            "before": redactor.json(entry.before),
            "after": redactor.json(entry.after),
        }
        # The base QuerySet's update: AuditLogQuerySet.update refuses on purpose.
        changed += models.QuerySet.update(AuditLog.objects.filter(pk=entry.pk), **values)
    return changed
