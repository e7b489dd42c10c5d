"""The defendants M2M gets an explicit through model carrying the case's counted fields, and
each defendant's place at each hearing gets a row (HearingDefendant), both filled here.

The M2M table stays as Django created it (same name, columns, unique constraint and
indexes): the state learns the model, the database only gains nullable columns (so SQLite
adds them in place and keeps the raw indexes of indicators 0003). The fill is one set-based
statement per table, on PostgreSQL as on SQLite (1.2 million defendant rows: seconds).
"""

import django.db.models.deletion
from django.db import migrations, models

LINKS = "cases_administrativecase_defendants"
COPIED = (
    "instance",
    "cause_id",
    "outcome_id",
    "concluded_on",
    "effective_on",
    "imposes_obligation",
    "performed_voluntarily",
)


def fill(apps, schema_editor):
    columns = ", ".join(COPIED)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {LINKS} AS d SET ({columns}) = ({', '.join(f'c.{c}' for c in COPIED)}) "
            "FROM cases_administrativecase AS c WHERE c.id = d.administrativecase_id"
        )
    else:
        schema_editor.execute(
            f"UPDATE {LINKS} SET ({columns}) = (SELECT {columns} FROM cases_administrativecase AS c "
            f"WHERE c.id = {LINKS}.administrativecase_id)"
        )
    schema_editor.execute(
        "INSERT INTO cases_hearingdefendant "
        "(hearing_id, institution_id, case_id, held_on, concluded_on, appearance, explained) "
        "SELECT h.id, d.institution_id, h.case_id, h.held_on, d.concluded_on, COALESCE(a.kind, ''), "
        "CASE WHEN a.kind = 'delegated' AND a.explanation <> '' THEN TRUE ELSE FALSE END "
        f"FROM cases_hearing AS h JOIN {LINKS} AS d ON d.administrativecase_id = h.case_id "
        "LEFT JOIN cases_appearance AS a ON a.hearing_id = h.id AND a.defendant_id = d.institution_id"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {LINKS}")
        schema_editor.execute("ANALYZE cases_hearingdefendant")


COPY_FIELDS = [
    ("instance", models.CharField(blank=True, max_length=15, null=True)),
    (
        "cause",
        models.ForeignKey(
            blank=True,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="+",
            to="cases.cause",
        ),
    ),
    (
        "outcome",
        models.ForeignKey(
            blank=True,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="+",
            to="cases.outcome",
        ),
    ),
    ("concluded_on", models.DateField(blank=True, null=True)),
    ("effective_on", models.DateField(blank=True, null=True)),
    ("imposes_obligation", models.BooleanField(blank=True, null=True)),
    ("performed_voluntarily", models.BooleanField(blank=True, null=True)),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_court_order_index"),
        ("indicators", "0003_indexes_for_the_indicators"),
        ("liaison", "0007_idempotent_requests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CaseDefendant",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "administrativecase",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="cases.administrativecase"
                            ),
                        ),
                        (
                            "institution",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="liaison.institution"),
                        ),
                    ],
                    options={
                        "db_table": "cases_administrativecase_defendants",
                        "unique_together": {("administrativecase", "institution")},
                    },
                ),
                migrations.AlterField(
                    model_name="administrativecase",
                    name="defendants",
                    field=models.ManyToManyField(
                        related_name="cases_defended",
                        through="cases.CaseDefendant",
                        to="liaison.institution",
                        verbose_name="被告行政机关",
                    ),
                ),
            ],
            database_operations=[],
        ),
        *[migrations.AddField(model_name="casedefendant", name=name, field=field) for name, field in COPY_FIELDS],
        migrations.CreateModel(
            name="HearingDefendant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("held_on", models.DateField()),
                ("concluded_on", models.DateField(blank=True, null=True)),
                (
                    "appearance",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("head", "负责人出庭"),
                            ("delegated", "委托工作人员出庭（附书面说明）"),
                            ("none", "无人出庭"),
                        ],
                        max_length=10,
                    ),
                ),
                ("explained", models.BooleanField(default=False)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.administrativecase"
                    ),
                ),
                (
                    "hearing",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.hearing",
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="liaison.institution",
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # Indexes after the fill: building them once is faster than keeping them during it.
        migrations.AddIndex(
            model_name="casedefendant",
            index=models.Index(
                fields=["institution", "effective_on"],
                include=[
                    "administrativecase",
                    "concluded_on",
                    "instance",
                    "outcome",
                    "cause",
                    "imposes_obligation",
                    "performed_voluntarily",
                ],
                name="defendant_effective",
            ),
        ),
        migrations.AddIndex(
            model_name="casedefendant",
            index=models.Index(
                fields=["institution", "concluded_on"],
                include=[
                    "administrativecase",
                    "effective_on",
                    "instance",
                    "outcome",
                    "cause",
                    "imposes_obligation",
                    "performed_voluntarily",
                ],
                name="defendant_concluded",
            ),
        ),
        migrations.AddConstraint(
            model_name="hearingdefendant",
            constraint=models.UniqueConstraint(fields=("hearing", "institution"), name="one_place_per_defendant"),
        ),
        migrations.AddIndex(
            model_name="hearingdefendant",
            index=models.Index(
                fields=["institution", "held_on"],
                include=["concluded_on", "appearance", "explained"],
                name="place_held",
            ),
        ),
    ]
