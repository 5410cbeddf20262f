from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0022_nudges"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="discreet_from",
            field=models.JSONField(blank=True, default=list, verbose_name="hidden from"),
        ),
        migrations.AddField(
            model_name="question",
            name="discreet_everywhere",
            field=models.BooleanField(default=False, verbose_name="hidden from everyone"),
        ),
    ]
