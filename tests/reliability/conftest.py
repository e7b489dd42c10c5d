"""Real processes for the reliability suites: a Celery worker (and, where needed, a private Redis).

The worker runs `celery -A liaison worker` against the pytest test database: PostgreSQL
(`DATABASE_URL`), or SQLite in a file (`SQLITE_TEST_NAME`; the Makefile sets it). It uses
`liaison.test_settings`, so generated files land in the same MEDIA_ROOT the test reads.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
CELERY = str(Path(sys.executable).with_name("celery"))


def database_url_for_subprocess() -> str:
    """The URL of the test database this pytest run created, for another process to open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("a worker process cannot open the in-memory SQLite test database: set SQLITE_TEST_NAME")
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "127.0.0.1"
        port = db["PORT"] or "5432"
        return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
    pytest.skip(f"no worker support for {connection.vendor}")


def require_redis_url() -> str:
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is empty (make test-celery sets it)")
    return settings.REDIS_URL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    """One `celery worker` subprocess; its log is kept for the failure message."""

    def __init__(
        self, *, redis_url: str, pool: str = "solo", concurrency: int = 1, settings_module="liaison.test_settings"
    ):
        self.name = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log_path = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
        env = {k: v for k, v in os.environ.items() if not k.startswith("SQLITE_TEST")}
        env.update(
            DJANGO_SETTINGS_MODULE=settings_module,
            PYTHONPATH=str(BASE_DIR),
            DATABASE_URL=database_url_for_subprocess(),
            REDIS_URL=redis_url,
            CELERY_TASK_ALWAYS_EAGER="0",
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="INFO",
        )
        cmd = [
            CELERY,
            "-A",
            "liaison",
            "worker",
            "-Q",
            "celery,pdf",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "-n",
            self.name,
            "--without-gossip",
            "--without-mingle",
            "--purge",
            "-l",
            "INFO",
        ]
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, app, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log()}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise AssertionError(f"worker not ready after {timeout:.0f} s:\n{self.log()}")

    def children(self) -> list[int]:
        """Pids of the prefork pool's child processes."""
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def log(self, tail: int | None = 6000) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace")
        return text[-tail:] if tail else text

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
        self.log_path.unlink(missing_ok=True)


class PrivateRedis:
    """A redis-server of our own (append-only file, fsync always), so a test may restart it."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="redis-"))
        self.proc = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        cmd = [
            self.binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.dir),
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--daemonize",
            "no",
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("private redis-server did not start")

    def restart(self) -> None:
        self.proc.send_signal(signal.SIGTERM)  # Redis flushes the append-only file on SIGTERM
        self.proc.wait(timeout=10)
        self.start()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def celery_app_not_eager(monkeypatch, settings):
    """The test process's Celery app sends tasks to the broker instead of running them in-process."""
    from liaison.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "task_always_eager", False)
    return app
