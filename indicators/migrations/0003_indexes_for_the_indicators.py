"""Indexes the indicator statements need on the cases tables (bench/indicators.py).

One agency's figures walk its defendant rows and look each case up: with
(institution_id, administrativecase_id) and a case index that covers the counted columns,
both are index-only scans (no heap visit per case). The M2M through table is created by
Django, so these are raw SQL here; PostgreSQL gets covering (INCLUDE) indexes.
"""

from django.db import migrations

INDEXES = [
    ("ind_defendant_case", "cases_administrativecase_defendants", "(institution_id, administrativecase_id)", ""),
    (
        "ind_case_counted",
        "cases_administrativecase",
        "(id)",
        "INCLUDE (effective_on, concluded_on, instance, outcome_id, cause_id, imposes_obligation, performed_voluntarily)",
    ),
    ("ind_hearing_case_held", "cases_hearing", "(case_id, held_on)", ""),
    ("ind_appearance_defendant", "cases_appearance", "(defendant_id, hearing_id)", "INCLUDE (kind)"),
]


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, table, columns, include in INDEXES:
        if include and not postgres:
            if name == "ind_case_counted":
                continue  # SQLite has no INCLUDE, and its rowid already is the case id
            include = ""
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns} {include}")


def drop(apps, schema_editor):
    for name, *_rest in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_bulletin"), ("cases", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
