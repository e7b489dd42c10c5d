"""QUALITY.md 14: pg_dump -Fc → restore into a fresh database → the same rows, and the portal runs on the copy.

Prints `backup/restore: T tables, R rows, counts and checksums equal; portal on the copy: …`.
PostgreSQL only (the production database); uses the pytest test database as the source.
"""

import io
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from .conftest import BASE_DIR, database_url_for_subprocess

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _pg_env(url: str) -> tuple[dict, str]:
    u = urlsplit(url)
    env = {**os.environ, "PGHOST": u.hostname or "127.0.0.1", "PGPORT": str(u.port or 5432), "PGUSER": u.username or ""}
    if u.password:
        env["PGPASSWORD"] = u.password
    return env, u.path.lstrip("/")


def _fingerprint(cur) -> dict[str, tuple[int, str]]:
    """Per table: row count and an md5 of every row's text, in a stable order."""
    cur.execute("select tablename from pg_tables where schemaname = 'public' order by tablename")
    out = {}
    for (table,) in cur.fetchall():
        cur.execute(
            f"select count(*), md5(coalesce(string_agg(t::text, chr(10) order by t::text), '')) from \"{table}\" t"
        )
        out[table] = cur.fetchone()
    return out


def test_dump_restore_gives_the_same_rows_and_a_working_portal(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are for the production database: set DATABASE_URL=postgres://…")
    for tool in ("pg_dump", "pg_restore", "createdb", "dropdb"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    call_command("seed_scale", cases=1500, suggestions=300, letters=300, stdout=io.StringIO())
    source_url = database_url_for_subprocess()
    env, source = _pg_env(source_url)
    copy = f"{source}_restore_{uuid.uuid4().hex[:6]}"
    dump = tmp_path / "fylink.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source], env=env, check=True)
    subprocess.run(["createdb", copy], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", copy, str(dump)], env=env, check=True)
        with connection.cursor() as cur:
            before = _fingerprint(cur)
        import psycopg

        conninfo = source_url.rsplit("/", 1)[0] + "/" + copy
        with psycopg.connect(conninfo.replace("postgres://", "postgresql://", 1)) as conn, conn.cursor() as cur:
            after = _fingerprint(cur)
        rows = sum(n for n, _ in before.values())
        differing = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
        assert not differing, f"tables differ after restore: {differing}"
        # The portal on the copy: no unapplied migration, and the case list answers with the seeded cases.
        copy_env = {**os.environ, "DATABASE_URL": conninfo, "DJANGO_SETTINGS_MODULE": "liaison.test_settings"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=BASE_DIR,
            env=copy_env,
            check=True,
            capture_output=True,
        )
        probe = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=copy_env, check=True, capture_output=True, text=True
        )
        status, count = probe.stdout.split()[-2:]
        assert status == "200" and int(count) == 1500, probe.stdout + probe.stderr
        print(
            f"\nbackup/restore: {len(before)} tables, {rows} rows, counts and checksums equal "
            f"(dump {dump.stat().st_size // 1024} KiB); portal on the copy: /api/v1/cases/ answered {status} "
            f"with {count} cases"
        )
    finally:
        subprocess.run(["dropdb", "--if-exists", copy], env=env, check=False)


PROBE = """
import django, os
django.setup()
from django.test import Client
from liaison.models import User
office = User.objects.filter(role="office", institution__kind="office").order_by("username").first()
c = Client()
c.force_login(office)
r = c.get("/api/v1/cases/")
print(r.status_code, r.json()["count"])
"""


def test_readme_documents_backup_with_the_media_volume():
    text = Path(BASE_DIR, "README.md").read_text()
    assert "pg_dump -Fc" in text and "pg_restore" in text and "media" in text
