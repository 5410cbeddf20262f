"""Search at national scale (issue 16): similar questions match titles only,
through a GIN expression index on published questions' titles
(forum.search.postgres.TITLE_VECTOR spells the same expression). PostgreSQL
only; nothing to do on SQLite. Numbered for the lead to renumber at merge.
"""

from django.db import migrations

FORWARD = """CREATE INDEX IF NOT EXISTS forum_question_title_fts ON forum_question
    USING gin (to_tsvector('fr_unaccent'::regconfig, title)) WHERE visibility = 'published'"""
BACKWARD = "DROP INDEX IF EXISTS forum_question_title_fts"


def run(statement: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("forum", "0013_notifications")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
