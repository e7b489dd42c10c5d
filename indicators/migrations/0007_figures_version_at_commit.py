"""The figures' data version bumped as a writing transaction commits, not at its first write
(liaison 0016): writers no longer hold the version's row for the rest of their transaction.
Same tables as 0006. PostgreSQL only."""

import importlib

from django.db import migrations

from liaison import rowcount

TABLES = importlib.import_module("indicators.migrations.0006_figures_version").TABLES


def at_first_write(apps, editor):
    """Back to 0006's shape: one statement-level trigger per table that bumps at once."""
    rowcount.unwatch(editor, "indicators", TABLES)
    if editor.connection.vendor != "postgresql":
        return
    editor.execute(
        f"INSERT INTO {rowcount.TABLE} (tbl, n) VALUES ('version:indicators', nextval('{rowcount.VERSIONS}')) "
        "ON CONFLICT (tbl) DO NOTHING"
    )
    for table in TABLES:
        q = editor.quote_name(table)
        editor.execute(
            f"CREATE TRIGGER {editor.quote_name(table + '_version_indicators')} AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {q} FOR EACH STATEMENT EXECUTE FUNCTION liaison_data_version_bump('version:indicators')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0006_figures_version"),
        ("liaison", "0016_data_versions_at_commit"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rowcount.watch(editor, "indicators", TABLES), at_first_write, elidable=False
        ),
    ]
