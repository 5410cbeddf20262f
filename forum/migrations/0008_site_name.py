"""Name the site "Alternance Q&A" for the Sites framework, which allauth's
emails use ("Hello from Alternance Q&A!", not "Hello from 127.0.0.1:8000!")."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

SITE_NAME = "Alternance Q&A"


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(getattr(settings, "SITE_URL", "")).netloc or "alternance-qa.fr"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"name": SITE_NAME, "domain": domain[:100]})


class Migration(migrations.Migration):
    dependencies = [("forum", "0007_seed_tag_synonyms"), ("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
