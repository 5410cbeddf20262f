"""A stored tsvector per answer (issue 11, search at national scale): the
matching answer of each shown thread is chosen and ranked from these instead
of parsing every answer of those threads on each search. PostgreSQL only;
the table stays empty on SQLite. Numbered for the lead to renumber at merge.

The backfill is set-wise SQL in batches of answer ids (to_tsvector in the
database, nothing per row in Python); the text and configuration are those of
forum.search.postgres (ANSWER_SNIPPET_SOURCE, fr_unaccent), frozen here.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

BATCH = 50_000
TEXT_MAX = 20_000
BACKFILL = f"""INSERT INTO forum_answersearchvector (answer_id, vector, body_digest)
    SELECT id, to_tsvector('fr_unaccent'::regconfig, left(body, {TEXT_MAX})), md5(left(body, {TEXT_MAX}))
    FROM forum_answer WHERE id >= %s AND id < %s
    ON CONFLICT (answer_id) DO NOTHING"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM forum_answer")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(BACKFILL, [start, start + BATCH])


class Migration(migrations.Migration):
    dependencies = [("forum", "0014_search_speed")]

    operations = [
        migrations.CreateModel(
            name="AnswerSearchVector",
            fields=[
                (
                    "answer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_vector",
                        serialize=False,
                        to="forum.answer",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                ("body_digest", models.CharField(max_length=32)),
            ],
            options={"verbose_name": "answer search vector"},
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
