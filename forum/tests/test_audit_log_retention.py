"""Audit entries are kept AUDIT_LOG_RETENTION_DAYS, then purged: the one
deletion the append-only log allows (forum/services/audit_retention.py),
checked at the edge of the period. Everything else still refuses."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.models import AuditLog
from forum.notifications.tasks import periodic
from forum.services import audit_retention


def entry_aged(age: timedelta, now) -> AuditLog:
    return AuditLog.objects.create(action="test.aged", target_type="user", target_id=1, created_at=now - age)


@pytest.fixture
def now():
    return timezone.now()


def test_an_entry_at_the_limit_is_kept_and_one_second_older_is_purged(db, settings, now):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    at_limit = entry_aged(timedelta(days=30), now)
    older = entry_aged(timedelta(days=30, seconds=1), now)
    recent = entry_aged(timedelta(days=1), now)
    assert audit_retention.purge_expired(now=now) == 1
    assert set(AuditLog.objects.values_list("pk", flat=True)) == {at_limit.pk, recent.pk}
    assert not AuditLog.objects.filter(pk=older.pk).exists()
    assert audit_retention.purge_expired(now=now) == 0


def test_the_command_purges_with_the_default_of_a_year(db, now):
    kept = entry_aged(timedelta(days=364), now)
    entry_aged(timedelta(days=366), now)
    out = StringIO()
    call_command("purge_audit_log", stdout=out)
    assert "1 audit entry deleted (older than 365 days)" in out.getvalue()
    assert list(AuditLog.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_worker_periodic_sweep_purges_too(db, now):
    entry_aged(timedelta(days=400), now)
    assert periodic.call()["audit_purged"] == 1
    assert not AuditLog.objects.exists()


def test_the_orm_still_refuses_to_change_or_delete_entries(db, now):
    entry = entry_aged(timedelta(days=400), now)
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(PermissionError):
        entry.delete()


def test_the_sweep_forgets_spent_login_attempts_but_not_live_ones(db, settings, now):
    from forum.models import LoginThrottle
    from forum.services import login_limits

    window = settings.FORUM.get("LOGIN_ATTEMPT_WINDOW_MINUTES", 15)
    spent = LoginThrottle.objects.create(
        key="login:zq@typo.fr", attempts=2, window_started_at=now - timedelta(minutes=window, seconds=1)
    )
    counting = LoginThrottle.objects.create(
        key="login:counting", attempts=2, window_started_at=now - timedelta(minutes=1)
    )
    locked = LoginThrottle.objects.create(
        key="login:locked",
        attempts=6,
        window_started_at=now - timedelta(hours=1),
        locked_until=now + timedelta(minutes=5),
    )
    assert login_limits.forget_stale(now=now) == 1
    assert set(LoginThrottle.objects.values_list("pk", flat=True)) == {counting.pk, locked.pk}
    assert not LoginThrottle.objects.filter(pk=spent.pk).exists()
