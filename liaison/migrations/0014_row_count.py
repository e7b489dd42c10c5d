"""The table and trigger function of exact whole-table counts (liaison.rowcount), PostgreSQL only."""

from django.db import migrations

from liaison import rowcount


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0013_keyword_grams"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rowcount.create(editor), lambda apps, editor: rowcount.drop(editor), elidable=False
        ),
    ]
