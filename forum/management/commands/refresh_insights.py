from django.core.management.base import BaseCommand

from forum.insights.dashboard import COMMUNITY_SECONDS, refresh_community_figures


class Command(BaseCommand):
    help = (
        "Compute the insights dashboard's community figures for the 7, 30 and 90-day periods in every "
        f"language, so that no reader waits for them. Schedule it more often than every {COMMUNITY_SECONDS} s."
    )

    def handle(self, *args, **options):
        written = refresh_community_figures()
        self.stdout.write(f"{written} periods refreshed.")
