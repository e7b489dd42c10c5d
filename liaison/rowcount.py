"""Counters kept by triggers (PostgreSQL): exact row counts of whole tables, and data versions.

The office oversees every region, so its case list and API have no filter at all and the page's
共 N 条 was `SELECT count(*)` of 200,000 rows on every request (an index-only scan of 221 pages:
12-40 ms of PostgreSQL's CPU, more than the rest of the request's SQL together). A table whose
app installs the triggers (`install(table)` in a migration) has its number of rows in
`liaison_row_count`, kept by statement-level triggers on INSERT, DELETE and TRUNCATE in the same
transaction as the change: exact, and each transaction reads the count its snapshot sees, as
`count(*)` would. Writers of the table serialise on the counter's row until they commit (case
registration and imports are rare; a bulk insert is one update per statement).

On SQLite, and for a table without triggers, `exact()` answers None and the caller counts.

A **data version** is a row of the same table that names a set of tables instead of one: every
transaction that writes one of them (`watch(name, tables)` in a migration) sets it to the next
value of one sequence **as it commits**. Whatever writes them — a service, `queryset.update()`, a
bulk insert, raw SQL, the admin — the version changes, and becomes visible when (and only when)
the write commits, so a cache keyed by `version(name)` cannot serve figures of an older state:
- read the version before computing: the computation's snapshot is then at least as new (a write
  committed in between only makes the cached value newer than its key, never older);
- the sequence never gives a number twice, even to a transaction that rolls back, so a value
  computed inside a transaction that is then rolled back is under a number no one reads again;
- the database's oid is part of the answer, so a database dropped and created again (whose
  sequence starts over) or a copy (`createdb -T`) never matches an entry cached for another;
- a transaction that has written a watched table and not yet committed gets None from
  `version()` (a statement-level trigger marks it, `liaison.wrote_<name>`, local to the
  transaction): its own uncommitted rows are in what it computes, so it neither reads nor
  stores the cache.
The bump is a deferred constraint trigger (one UPDATE per transaction, at COMMIT), so writers
hold the version's row only while they commit: they do not queue behind one another's open
transactions, and a transaction never waits on it while holding a row another needs (taking it
as the first write went, two writers locking records in opposite orders could deadlock on it).
A TRUNCATE (no row trigger) bumps it at once. `version()` answers None on SQLite and when no
migration installed the row.
"""

import re

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

VERSIONS = "liaison_data_version"  # the sequence every data version takes its next value from
CREATE_VERSIONS = [
    f"CREATE SEQUENCE IF NOT EXISTS {VERSIONS}",
    f"""CREATE OR REPLACE FUNCTION liaison_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {TABLE} SET n = nextval('{VERSIONS}') WHERE tbl = TG_ARGV[0];
  RETURN NULL;
END $$""",
]
DROP_VERSIONS = [
    "DROP FUNCTION IF EXISTS liaison_data_version_bump() CASCADE",
    f"DROP SEQUENCE IF EXISTS {VERSIONS}",
]
# At commit (migration liaison 0016): the statement-level mark of a writing transaction, and the
# deferred row-level bump, once per transaction (the second GUC says it is done).
CREATE_DEFERRED_VERSIONS = [
    """CREATE OR REPLACE FUNCTION liaison_data_version_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('liaison.wrote_' || TG_ARGV[0], 'on', true);
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION liaison_data_version_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('liaison.bumped_' || TG_ARGV[1], true) = 'on' THEN
    RETURN NULL;
  END IF;
  UPDATE {TABLE} SET n = nextval('{VERSIONS}') WHERE tbl = TG_ARGV[0];
  PERFORM set_config('liaison.bumped_' || TG_ARGV[1], 'on', true);
  RETURN NULL;
END $$""",
]
DROP_DEFERRED_VERSIONS = [
    "DROP FUNCTION IF EXISTS liaison_data_version_mark() CASCADE",
    "DROP FUNCTION IF EXISTS liaison_data_version_commit() CASCADE",
]


def create(schema_editor, statements=CREATE) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def drop(schema_editor, statements=DROP) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
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


# ----------------------------------------------------------------------------- data versions

VERSION_EVENTS = ("INSERT", "UPDATE", "DELETE")
NAME = re.compile(r"[a-z][a-z0-9_]*")  # part of a setting's name (liaison.wrote_<name>)


def _version_key(name: str) -> str:
    return f"version:{name}"  # never a table's name (the counts' rows)


def _version_triggers(schema_editor, name: str, table: str) -> dict[str, str]:
    base = f"{table}_version_{name}"
    return {kind: schema_editor.quote_name(base + suffix) for kind, suffix in VERSION_TRIGGERS.items()}


VERSION_TRIGGERS = {"mark": "", "commit": "_commit", "truncate": "_truncate"}


def watch(schema_editor, name: str, tables: list[str]) -> None:
    """Bump the data version `name` when a transaction that wrote `tables` commits, from now on: per
    table, a statement-level trigger marks the transaction, a deferred row-level one bumps the
    version once as it commits, and a TRUNCATE bumps it at once."""
    if schema_editor.connection.vendor != "postgresql":
        return
    if not NAME.fullmatch(name):
        raise ValueError(f"a data version's name is [a-z][a-z0-9_]*: {name!r}")
    key = _version_key(name)
    schema_editor.execute(
        f"INSERT INTO {TABLE} (tbl, n) VALUES (%s, nextval('{VERSIONS}')) ON CONFLICT (tbl) DO NOTHING", [key]
    )
    events = " OR ".join(VERSION_EVENTS)
    for table in tables:
        q, t = schema_editor.quote_name(table), _version_triggers(schema_editor, name, table)
        for trigger in t.values():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {q}")
        schema_editor.execute(
            f"CREATE TRIGGER {t['mark']} AFTER {events} ON {q} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION liaison_data_version_mark('{name}')"
        )
        schema_editor.execute(
            f"CREATE CONSTRAINT TRIGGER {t['commit']} AFTER {events} ON {q} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION liaison_data_version_commit('{key}', '{name}')"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {t['truncate']} AFTER TRUNCATE ON {q} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION liaison_data_version_bump('{key}')"
        )


def unwatch(schema_editor, name: str, tables: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        for trigger in _version_triggers(schema_editor, name, table).values():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {schema_editor.quote_name(table)}")
    schema_editor.execute(f"DELETE FROM {TABLE} WHERE tbl = %s", [_version_key(name)])


def watched(name: str, using: str = "default") -> set[str] | None:
    """The tables whose writes bump `name`: those with all of its triggers, enabled (read from the
    catalogue: what is installed, not what is declared)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = ANY(ARRAY[c.relname || %s, c.relname || %s, c.relname || %s]) "
            "AND t.tgenabled <> 'D' GROUP BY c.relname HAVING count(*) = %s",
            [f"_version_{name}{suffix}" for suffix in VERSION_TRIGGERS.values()] + [len(VERSION_TRIGGERS)],
        )
        return {row[0] for row in cursor.fetchall()}


def version(name: str, using: str = "default") -> str | None:
    """The current data version `name` in this transaction's view, with the database's identity
    (one query); None on SQLite, when the version is not kept, and in a transaction that has
    written a watched table (its figures are its own until it commits)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT oid FROM pg_database WHERE datname = current_database()), n, "
            f"current_setting(%s, true) FROM {TABLE} WHERE tbl = %s",
            [f"liaison.wrote_{name}", _version_key(name)],
        )
        row = cursor.fetchone()
    if row is None or row[2] == "on":
        return None
    return f"{row[0]}.{row[1]}"
