"""The gram functions of `liaison.keywords` (PostgreSQL only) and the letters' 文号 gram index.

`liaison_grams(text)` (a text's characters and adjacent pairs) and `liaison_query_grams(text)`
(a keyword's pairs, or its one character); `keywords.gram_indexes` indexes a searched column.
Nothing on SQLite; nothing in the models' state.
"""

from django.db import migrations

from liaison import keywords


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(keywords.FUNCTIONS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(keywords.DROP_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0012_overdue_first"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        keywords.gram_indexes("liaison_letter", [("letter_doc_number_grams", "doc_number")]),
    ]
