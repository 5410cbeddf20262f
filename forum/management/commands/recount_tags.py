from django.core.management.base import BaseCommand

from forum.models import TagQuestionCount


class Command(BaseCommand):
    help = "Rebuild the published-question count of every tag from the tagged rows (after a bulk import)."

    def handle(self, *args, **options):
        tags = TagQuestionCount.objects.recount()
        self.stdout.write(f"{tags} tags counted.")
