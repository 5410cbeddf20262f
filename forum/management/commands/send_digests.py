"""Send the daily and weekly digests due now (08:00 Europe/Paris, weekly on
Mondays). The notifications worker runs the same every minute; this is for
cron or a manual run. Idempotent: a member gets one digest per period."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from forum.notifications.digests import queue_due_digests


class Command(BaseCommand):
    help = "Send the notification digests due now."

    def handle(self, *args, **options):
        sent = queue_due_digests(now=timezone.now())
        self.stdout.write(f"{sent} digest(s) sent")
