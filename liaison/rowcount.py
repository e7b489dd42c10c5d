"""Exact row counts of whole tables without counting them: a counter kept by triggers (PostgreSQL).

The office oversees every region, so its case list and API have no filter at all and the page's
共 N 条 was `SELECT count(*)` of 200,000 rows on every request (an index-only scan of 221 pages:
12-40 ms of PostgreSQL's CPU, more than the rest of the request's SQL together). A table whose
app installs the triggers (`install(table)` in a migration) has its number of rows in
`liaison_row_count`, kept by statement-level triggers on INSERT, DELETE and TRUNCATE in the same
transaction as the change: exact, and each transaction reads the count its snapshot sees, as
`count(*)` would. Writers of the table serialise on the counter's row until they commit (case
registration and imports are rare; a bulk insert is one update per statement).

On SQLite, and for a table without triggers, `exact()` answers None and the caller counts.
"""

from django.db import connections

TABLE = "liaison_row_count"

CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (tbl text PRIMARY KEY, n bigint NOT NULL)",
    f"""CREATE OR REPLACE FUNCTION liaison_row_count_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE {TABLE} SET n = n + (SELECT count(*) FROM new_rows) WHERE tbl = TG_TABLE_NAME;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE {TABLE} SET n = n - (SELECT count(*) FROM old_rows) WHERE tbl = TG_TABLE_NAME;
  ELSE
    UPDATE {TABLE} SET n = 0 WHERE tbl = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END $$""",
]
DROP = ["DROP FUNCTION IF EXISTS liaison_row_count_keep() CASCADE", f"DROP TABLE IF EXISTS {TABLE}"]


def create(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


def install(schema_editor, table: str) -> None:
    """Count `table` from now on: its rows counted once (under a lock that keeps writers out
    meanwhile), then the three triggers."""
    if schema_editor.connection.vendor != "postgresql":
        return
    q = schema_editor.quote_name(table)
    schema_editor.execute(f"LOCK TABLE {q} IN SHARE ROW EXCLUSIVE MODE")
    schema_editor.execute(
        f"INSERT INTO {TABLE} (tbl, n) SELECT %s, count(*) FROM {q} ON CONFLICT (tbl) DO UPDATE SET n = EXCLUDED.n",
        [table],
    )
    for name, event, ref in (
        ("ins", "INSERT", "REFERENCING NEW TABLE AS new_rows"),
        ("del", "DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ("trunc", "TRUNCATE", ""),
    ):
        trigger = schema_editor.quote_name(f"{table}_count_{name}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {q}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {q} {ref} FOR EACH STATEMENT "
            "EXECUTE FUNCTION liaison_row_count_keep()"
        )


def uninstall(schema_editor, table: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    q = schema_editor.quote_name(table)
    for name in ("ins", "del", "trunc"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {schema_editor.quote_name(f'{table}_count_{name}')} ON {q}")
    schema_editor.execute(f"DELETE FROM {TABLE} WHERE tbl = %s", [table])


def exact(model, using: str = "default") -> int | None:
    """The number of rows of `model`'s table when its triggers keep it, else None. A model whose
    migration installs the triggers says so (`row_count_kept = True` on the class): other tables
    are counted without asking the counter table first."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not getattr(model, "row_count_kept", False):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {TABLE} WHERE tbl = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row else None
