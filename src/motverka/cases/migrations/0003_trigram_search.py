"""Trigram indexes for the case lists' text search (decision 0018), on PostgreSQL only.

The search compares ``UPPER(column) LIKE '%WORD%'`` (``cases/search.py``); a GIN index with
``gin_trgm_ops`` over the same expression serves it. SQLite runs the same query without an
index, so there is nothing to do there.
"""

from django.db import migrations

INDEXES = (
    ("person_first_name_trgm", "people_person", "first_name"),
    ("person_last_name_trgm", "people_person", "last_name"),
    ("case_reference_trgm", "cases_case", "reference"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_list_indexes"),
        ("people", "0004_person_unit_required"),
    ]

    operations = [migrations.RunPython(create, drop)]
