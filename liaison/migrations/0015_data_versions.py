"""The sequence and trigger function of data versions (liaison.rowcount.watch), PostgreSQL only."""

from django.db import migrations

from liaison import rowcount


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0014_row_count"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rowcount.create(editor, rowcount.CREATE_VERSIONS),
            lambda apps, editor: rowcount.drop(editor, rowcount.DROP_VERSIONS),
            elidable=False,
        ),
    ]
