"""Expire verified badges past their date and send renewal reminders.

Idempotent, meant for cron (daily is enough; hourly is harmless):

    python manage.py expire_badges --site-url https://alternance-qa.fr
"""

from django.core.management.base import BaseCommand

from forum.services.verification import expire_badges


class Command(BaseCommand):
    help = "Expire verified badges past their date and remind members 30 days before expiry (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=None,
            help="Public address of the site, for the link in reminders (default: settings.SITE_URL).",
        )

    def handle(self, *args, site_url=None, **options):
        report = expire_badges(site_url=site_url)
        self.stdout.write(f"{report.expired} badge(s) expired, {report.reminded} reminder(s) sent.")
