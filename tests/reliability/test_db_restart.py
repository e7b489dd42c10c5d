"""QUALITY.md 12: PostgreSQL restarted while API writes run.

The test starts a PostgreSQL cluster of its own (initdb into a temporary folder, its own
port and socket; as the `postgres` user when run as root), so restarting it breaks nobody
else's tests, migrates a database there, and runs the portal on it under gunicorn (2 sync
workers, DEBUG=0, persistent connections with health checks) on 127.0.0.1. Four client
threads then create letters through the API, each write with its own `Idempotency-Key`,
retrying a write on a connection error or a 5xx with the same key until it is acknowledged
(201). Mid-load the cluster is restarted twice: once `fast` (sessions cut, transactions
rolled back) and once `immediate` (a crash: WAL recovery on start).

Then, read straight from the database: every acknowledged write is there exactly once, with
its deliveries and its audit entry (none half-written); every acknowledged write sent once
more answers the stored answer and adds nothing (a retried request makes no duplicate).
Prints `db restart: …` with the figures.
"""

import concurrent.futures
import glob
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from .conftest import BASE_DIR, free_port

pytestmark = pytest.mark.slow

WRITES = 240
THREADS = 4
HEADERS = {"X-Forwarded-Proto": "https", "Content-Type": "application/json", "Accept-Language": "zh-hans"}


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own: data, socket and log in one temporary folder."""

    def __init__(self):
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.as_postgres = os.geteuid() == 0  # the server refuses to run as root
        self.dir = Path(tempfile.mkdtemp(prefix="fylink-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "server.log"
        self.port = free_port()
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run([self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        self.start()

    def _run(self, cmd, check=True):
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    @property
    def options(self) -> str:
        return f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def start(self):
        self._run([self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", self.options, "-w", "start"])

    def restart(self, mode: str) -> float:
        t = time.monotonic()
        self._run([self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"])
        self.start()
        return time.monotonic() - t

    def stop(self):
        if self.data.exists():
            self._run([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


SETUP = """
import django
django.setup()
from django.conf import settings
from rest_framework.authtoken.models import Token
from liaison.demo import ensure_demo_users
from liaison.models import User
ensure_demo_users(settings.DEMO_PASSWORD)
clerk = User.objects.get(username="court_clerk")
agency = User.objects.get(username="agency_staff").institution
print(Token.objects.get_or_create(user=clerk)[0].key, agency.uuid)
"""


@pytest.fixture
def portal():
    pg = PrivatePostgres()
    server = None
    try:
        subprocess.run(
            ["runuser", "-u", "postgres", "--"] * pg.as_postgres
            + [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "fylink_restart"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        url = pg.url("fylink_restart")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SQLITE_TEST", "PYTEST", "DJANGO_SETTINGS"))}
        env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="liaison.settings", PYTHONUNBUFFERED="1", REDIS_URL="")
        setup_env = {**env, "DEBUG": "1"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=setup_env,
            check=True,
            timeout=600,
        )
        out = subprocess.run(
            [sys.executable, "-c", SETUP], cwd=BASE_DIR, env=setup_env, check=True, capture_output=True, text=True
        )
        token, addressee = out.stdout.split()[-2:]
        port = free_port()
        server_env = {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": "restart-test-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }
        log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "liaison.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=BASE_DIR,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/api/v1/", headers=HEADERS)
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("gunicorn did not answer:\n" + Path(log.name).read_text()[-3000:])
        yield {"pg": pg, "port": port, "token": token, "addressee": addressee, "url": url, "log": log.name}
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        pg.stop()


def post(port, token, key, body) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        headers = {**HEADERS, "Authorization": f"Token {token}", "Idempotency-Key": key}
        conn.request("POST", "/api/v1/letters/", body=json.dumps(body).encode(), headers=headers)
        r = conn.getresponse()
        raw = r.read()
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {"raw": raw[:200].decode(errors="replace")}
        return r.status, data, {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def test_every_acknowledged_write_survives_restarts_once(portal):
    import psycopg

    run = uuid.uuid4().hex[:8]
    port, token = portal["port"], portal["token"]
    acked: dict[str, dict] = {}
    failures = {"errors": 0, "5xx": 0, "retried_writes": 0, "replayed_in_load": 0}
    lock = threading.Lock()

    def body(i):
        return {"title": f"重启测试 {run} {i:04d}", "body": f"第 {i} 件。", "addressees": [portal["addressee"]]}

    def write(i):
        key = f"{run}-{i}"
        deadline = time.monotonic() + 120
        tries = 0
        while time.monotonic() < deadline:
            tries += 1
            try:
                status, data, headers = post(port, token, key, body(i))
            except (OSError, http.client.HTTPException):
                with lock:
                    failures["errors"] += 1
                time.sleep(0.2)
                continue
            if status >= 500:
                with lock:
                    failures["5xx"] += 1
                time.sleep(0.2)
                continue
            assert status == 201, (status, data)
            with lock:
                acked[key] = {"i": i, "uuid": data["uuid"], "title": body(i)["title"]}
                failures["retried_writes"] += tries > 1
                failures["replayed_in_load"] += headers.get("idempotent-replayed") == "true"
            return
        raise AssertionError(f"write {i} not acknowledged in 120 s")

    downtime = []

    def restarts():
        for mode, after in (("fast", WRITES // 3), ("immediate", 2 * WRITES // 3)):
            while len(acked) < after:
                time.sleep(0.05)
            downtime.append((mode, portal["pg"].restart(mode)))

    t0 = time.monotonic()
    restarter = threading.Thread(target=restarts)
    restarter.start()
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(write, range(WRITES)))
    restarter.join(timeout=120)
    elapsed = time.monotonic() - t0
    assert len(downtime) == 2, "the database was not restarted twice during the load"

    # Every acknowledged write sent once more: the stored answer, nothing new.
    again_same = 0
    for key, a in list(acked.items())[::8]:
        status, data, headers = post(port, token, key, body(a["i"]))
        assert status == 201 and headers.get("idempotent-replayed") == "true" and data["uuid"] == a["uuid"]
        again_same += 1

    conninfo = portal["url"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute(
            """
            select l.uuid::text, l.title,
                   (select count(*) from liaison_delivery d where d.letter_id = l.id),
                   (select count(*) from liaison_auditentry a
                     where a.action = 'letter.create' and a.target_id = l.id)
            from liaison_letter l where l.title like %s
            """,
            [f"重启测试 {run} %"],
        )
        rows = cur.fetchall()
    by_title: dict[str, list] = {}
    for row in rows:
        by_title.setdefault(row[1], []).append(row)
    duplicates = sum(len(v) - 1 for v in by_title.values())
    missing = [a["title"] for a in acked.values() if a["title"] not in by_title]
    wrong = [a["title"] for a in acked.values() if a["title"] in by_title and by_title[a["title"]][0][0] != a["uuid"]]
    half = [r[1] for r in rows if r[2] < 1 or r[3] != 1]
    unacked_rows = len([t for t in by_title if t not in {a["title"] for a in acked.values()}])
    print(
        f"\ndb restart: {WRITES} writes by {THREADS} clients in {elapsed:.0f} s, PostgreSQL restarted "
        + ", ".join(f"{m} ({s:.1f} s down)" for m, s in downtime)
        + f"; {failures['errors']} connection errors and {failures['5xx']} 5xx answers retried with the same key "
        f"({failures['retried_writes']} writes retried, {failures['replayed_in_load']} answered from the stored answer); "
        f"{len(acked)} acknowledged, {len(acked) - len(missing)} persisted, {len(missing)} lost, "
        f"{duplicates} duplicates, {len(half)} half-written, {unacked_rows} unacknowledged rows; "
        f"{again_same} acknowledged writes sent again: same answer, nothing new"
    )
    assert len(acked) == WRITES
    assert not missing, f"acknowledged but not in the database: {missing[:5]}"
    assert not wrong, f"a title's row is not the acknowledged one: {wrong[:5]}"
    assert duplicates == 0, "a retried write made a second letter"
    assert not half, f"letters without their deliveries or audit entry: {half[:5]}"
    assert unacked_rows == 0
