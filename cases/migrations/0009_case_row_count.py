"""Cases are counted by triggers (liaison.rowcount): the office's unfiltered list reads its 共 N 条
from one row instead of counting every case. PostgreSQL only; nothing on SQLite."""

from django.db import migrations

from liaison import rowcount

TABLE = "cases_administrativecase"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_overdue_first"),
        ("liaison", "0014_row_count"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rowcount.install(editor, TABLE),
            lambda apps, editor: rowcount.uninstall(editor, TABLE),
            elidable=False,
        ),
    ]
