"""Gram indexes (`liaison.keywords`) on the case list's keyword columns, on PostgreSQL only.

pg_trgm (migration 0007) serves keywords of three or more characters; most Chinese keywords
are two (公安, 建材, 行初). `keywords.matches` reads those from these indexes: each 案号's and
plaintiffs' characters and adjacent pairs, on the expressions `icontains` compares. Nothing on
SQLite; nothing in the models' state.
"""

from django.db import migrations

from liaison import keywords


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_case_row_count"),
        ("liaison", "0013_keyword_grams"),
    ]

    operations = [
        keywords.gram_indexes(
            "cases_administrativecase",
            [("case_number_grams", "number"), ("case_plaintiffs_grams", "plaintiffs")],
        ),
    ]
