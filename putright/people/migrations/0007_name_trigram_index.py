"""Searching residents by part of their name without reading every complaint: a trigram index (PostgreSQL).

The workspace's search asks for names containing the words typed (`name__icontains`, which PostgreSQL runs
as UPPER(name) LIKE UPPER('%words%')). A B-tree cannot answer "contains"; a GIN index of the trigrams of
UPPER(name) can, so a search that matches nobody costs a few index pages instead of a scan of the landlord's
complaints. SQLite has no trigram indexes: there the migration does nothing and the search reads the rows.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "people_person_name_trgm"


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        # The expression is exactly the one Django's icontains compares, or PostgreSQL would not use it.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person USING gin ((UPPER(name::text)) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_anonymous"),
    ]

    operations = [
        # TrigramExtension does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
