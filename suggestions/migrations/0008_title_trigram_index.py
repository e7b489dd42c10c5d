"""A trigram index on the suggestion title as the keyword search compares it, PostgreSQL only.

`title__icontains` is `UPPER("title"::text) LIKE UPPER('%…%')`. With the list ordered overdue
first (`URGENT_ORDER`) a keyword's page is sorted, not walked along the created_at index, and
with no statistics on `UPPER(title)` the planner guessed 13 rows for 规范 (6,655 actual) and
chose nested loops over materialised rows: 349 ms, 41,460 temp blocks for the office's page.
The index serves patterns of 3+ characters and, analysed, gives the expression's statistics
(the same request: 27 ms, 4,305 buffers in all). Like cases 0007: nothing on SQLite, nothing in
the models' state.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "suggestions_suggestion"
NAME = "suggestion_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "{TABLE}" USING gin (UPPER("title"::text) gin_trgm_ops)'
    )
    schema_editor.execute(f'ANALYZE "{TABLE}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0007_overdue_first"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]
