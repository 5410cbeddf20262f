"""Re-index every thread and rebuild the "did you mean" lexicon.

The services keep the index current on every write; run this after restoring
a backup made without it, after bulk-loading rows outside the services (a
benchmark seed), or to drop words of posts hidden since (the lexicon only
grows between rebuilds)."""

from django.core.management.base import BaseCommand

from forum import search


class Command(BaseCommand):
    help = "Re-index every thread for full-text search and rebuild the correction lexicon."

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(f"Indexed {count} threads.")
