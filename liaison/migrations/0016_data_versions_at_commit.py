"""Data versions bumped as the writing transaction commits (liaison.rowcount): the functions of the
statement-level mark and the deferred bump. PostgreSQL only."""

from django.db import migrations

from liaison import rowcount


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0015_data_versions"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rowcount.create(editor, rowcount.CREATE_DEFERRED_VERSIONS),
            lambda apps, editor: rowcount.drop(editor, rowcount.DROP_DEFERRED_VERSIONS),
            elidable=False,
        ),
    ]
