"""The figures' data version (liaison.rowcount.watch): bumped by every write to a table the five
indicators are computed from, so `selectors.compute` can cache them without going stale.
PostgreSQL only; nothing on SQLite (where the figures are not cached).

The tables are those the computation's statements read (the aggregate, the units, the counting
rules and the 败诉 outcomes); tests/indicators/test_cache.py checks that every table its SQL names
is watched, so a new source table needs a migration like this one."""

from django.db import migrations

from liaison import rowcount

TABLES = [
    "cases_administrativecase",
    "cases_administrativecase_defendants",
    "cases_hearing",
    "cases_hearingdefendant",
    "cases_appearance",
    "cases_cause",
    "cases_outcome",
    "suggestions_suggestion",
    "indicators_countingrules",
    "liaison_institution",
    "liaison_region",
]


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_annual_report"),
        ("cases", "0009_case_row_count"),
        ("suggestions", "0008_title_trigram_index"),
        ("liaison", "0015_data_versions"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rowcount.watch(editor, "indicators", TABLES),
            lambda apps, editor: rowcount.unwatch(editor, "indicators", TABLES),
            elidable=False,
        ),
    ]
