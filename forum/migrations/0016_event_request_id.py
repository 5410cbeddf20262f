from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("forum", "0015_answer_search_vectors")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="request_id",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
