"""Full-text search (issue 11): the per-thread search documents, the lexicon
for "did you mean", and what each database needs to search them.

PostgreSQL: the unaccent and pg_trgm extensions (creating them needs a role
allowed to, see docs/operations.md), a `fr_unaccent` text search configuration
(French stemming after removing accents), GIN indexes on both vectors and a
trigram index on the lexicon. SQLite: two FTS5 tables (public and moderator
text) with accent folding. Each part is a no-op on the other database.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION fr_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
    "CREATE INDEX forum_searchdoc_public_gin ON forum_searchdocument USING gin (public_vector)",
    "CREATE INDEX forum_searchdoc_full_gin ON forum_searchdocument USING gin (full_vector)",
    "CREATE INDEX forum_searchterm_trgm ON forum_searchterm USING gin (word gin_trgm_ops)",
]
# The configuration and extensions stay: other databases objects may use them.
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS forum_searchdoc_public_gin",
    "DROP INDEX IF EXISTS forum_searchdoc_full_gin",
    "DROP INDEX IF EXISTS forum_searchterm_trgm",
]
FTS_COLUMNS = "title, tags, body, boosted, answers"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {name} USING fts5({FTS_COLUMNS}, tokenize='unicode61 remove_diacritics 2')"
    for name in ("forum_search_public", "forum_search_full")
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS forum_search_public", "DROP TABLE IF EXISTS forum_search_full"]


def run_for(vendor: str, statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement)

    return run


def index_existing_threads(apps, schema_editor):
    # Current code on purpose: the index is derived data, and rebuild() reads
    # only question ids before it has any to index (a fresh database).
    from forum import search

    search.rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("forum", "0010_tag_question_counts")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "question",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="forum.question",
                    ),
                ),
                ("public_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("full_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "search document"},
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
            options={"verbose_name": "search term"},
        ),
        migrations.RunPython(run_for("postgresql", POSTGRES_FORWARD), run_for("postgresql", POSTGRES_BACKWARD)),
        migrations.RunPython(run_for("sqlite", SQLITE_FORWARD), run_for("sqlite", SQLITE_BACKWARD)),
        migrations.RunPython(index_existing_threads, migrations.RunPython.noop),
    ]
