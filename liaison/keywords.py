"""Keyword search (`?q=`) that an index serves on PostgreSQL at any length, Chinese included.

`icontains` is `UPPER(col::text) LIKE UPPER('%q%')`, which no B-tree serves. pg_trgm serves it
from three characters, but most Chinese keywords are two (公安, 执法) and pg_bigm is not
installed. So a searched column can get a GIN index on its characters and pairs of adjacent
characters (`liaison_grams`, migration liaison 0013), and `matches` asks `icontains` only of the
rows whose column holds every pair of the keyword (its one character when it has one): true
of every row that contains the keyword, so the index narrows the rows and the substring test
still decides — the same rows as `icontains` alone, which is all SQLite gets.

The grams are read from the index, never computed row by row (~20 µs a row: 20,000 titles
took 400 ms): `liaison_grams` is declared costly (COST 1000) so that the planner prefers the
index, and `matches` reads the candidates in a query of its own, capped at `FEW` rows.
"""

from django.db import connection

# The column's characters and adjacent pairs; the keyword's pairs (its character if it has one).
FUNCTIONS = """
CREATE OR REPLACE FUNCTION liaison_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, k)), '{}')
  FROM generate_series(1, char_length(t)) i, (VALUES (1), (2)) n(k)
  WHERE i + k - 1 <= char_length(t)
$$;
CREATE OR REPLACE FUNCTION liaison_query_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN char_length(t) < 2 THEN ARRAY[t]
         ELSE (SELECT array_agg(DISTINCT substr(t, i, 2)) FROM generate_series(1, char_length(t) - 1) i) END
$$;
"""
DROP_FUNCTIONS = "DROP FUNCTION IF EXISTS liaison_grams(text); DROP FUNCTION IF EXISTS liaison_query_grams(text);"


# A keyword with more candidates than this is common to most rows: the index is no help then.
FEW = 1000


def matches(model, field: str, q: str):
    """The primary keys of `model` rows whose `field` contains q (`icontains`), for `__in`.

    On PostgreSQL first read from the column's gram index, the substring tested on the
    candidates only: up to `FEW` matching keys come back as a list (one short query; every later query of
    the request tests a constant list). A keyword that many rows contain (〔, 2026 in a 文号)
    gives more: then the plain subquery — a sequential scan is the cheapest way to find most
    rows; an index-fed subquery of 64,000 keys took 3-5 times longer (hashing them, and JIT
    compilation, switched on by the plan's cost the grams' declared cost inflates: 40 ms).
    """
    rows = model._base_manager.filter(**{f"{field}__icontains": q}).order_by().values("pk")
    if connection.vendor != "postgresql" or not q:
        return rows
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    # `strpos` is the `LIKE` of `icontains` (its pattern escapes % and _: a plain substring), in a
    # form no pg_trgm index serves: with the `LIKE`, a column that also has one (the 案号) was read
    # through it — for a keyword of two characters, the whole trigram index (355 ms).
    indexed = model._base_manager.extra(
        where=[
            f"liaison_grams(UPPER(({column})::text)) @> liaison_query_grams(UPPER(%s))",
            f"strpos(UPPER(({column})::text), UPPER(%s)) > 0",
        ],
        params=[q, q],
    ).order_by()
    keys = list(indexed.values_list("pk", flat=True)[: FEW + 1])
    return keys if len(keys) <= FEW else rows


def gram_indexes(table: str, indexes: list[tuple[str, str]]):
    """The migration operation that creates (name, column) gram indexes on PostgreSQL and analyses
    the table (the planner's estimate of a keyword's rows needs the expressions' statistics);
    nothing elsewhere. The indexes are not in the models' state (SQLite has no GIN)."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, column in indexes:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (liaison_grams(UPPER(("{column}")::text)))'
            )
        schema_editor.execute(f'ANALYZE "{table}"')

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _ in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
