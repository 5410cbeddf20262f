"""Delete audit-log entries older than the retention period (the one
documented exception to the append-only audit log, with the redaction of a
deleted member's values: forum/services/audit_retention.py).

Idempotent; the notifications worker also runs it in its periodic sweep, so
cron is only needed where no worker runs:

    python manage.py purge_audit_log
"""

from django.core.management.base import BaseCommand

from forum.services.audit_retention import purge_expired, retention


class Command(BaseCommand):
    help = "Delete audit-log entries older than AUDIT_LOG_RETENTION_DAYS (365 by default)."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(
            f"{deleted} audit entr{'y' if deleted == 1 else 'ies'} deleted (older than {retention().days} days)."
        )
