"""QUALITY.md §10 — a worker killed mid-task loses nothing.

With task_acks_late, task_reject_on_worker_lost and prefetch 1 (settings), 20 letters are
rendered by a prefork worker whose children are SIGKILLed repeatedly while the broker (a
private Redis with an fsync'd append-only file) restarts once. Every letter must end with
exactly one stored PDF that parses. A kill that coincides with the restart cannot reject its
message; the broker redelivers it after the visibility timeout (settings: 10 minutes; the
worker here uses seconds, see worker_settings.py).
"""

import os
import random
import shutil
import signal
import subprocess
import time

import pytest
from celery import Celery

from liaison import services
from liaison.models import AuditEntry, Letter

from .conftest import PrivateRedis, Worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LETTERS = 20
KILLS = 6
TIMEOUT = 240


def pdf_parses(data: bytes, tmp_path) -> bool:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return False
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return True
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    result = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, timeout=30)
    return result.returncode == 0 and "Pages:" in result.stdout


def test_letters_survive_worker_kills_and_a_broker_restart(world, monkeypatch, tmp_path):
    clerk, head = world["court_clerk"], world["court_head"]
    addressee = world["agency_staff"].institution
    # Issue in the test process, and send the render tasks to the private broker explicitly.
    monkeypatch.setattr("liaison.tasks.render_letter_pdf.delay", lambda *args, **kwargs: None)
    ids = []
    for i in range(LETTERS):
        letter = services.letter_create(by=clerk, title=f"可靠性测试函 {i}", body="正文" * 200, addressees=[addressee])
        services.letter_submit(letter=letter, by=clerk)
        ids.append(services.letter_issue(letter=letter, by=head).pk)

    redis = PrivateRedis()
    worker = Worker(
        redis_url=redis.url, pool="prefork", concurrency=2, settings_module="tests.reliability.worker_settings"
    )
    kills = 0
    restarted = False
    rng = random.Random(20260301)
    # A client app of its own for the private broker (the project's app talks to REDIS_URL).
    client = Celery("reliability-client", broker=redis.url)
    try:
        worker.wait_ready(client)
        for pk in ids:
            client.send_task("liaison.tasks.render_letter_pdf", args=[pk], queue="pdf")
        deadline = time.monotonic() + TIMEOUT
        done = 0
        while time.monotonic() < deadline:
            done = Letter.objects.filter(pk__in=ids).exclude(pdf_sha256="").count()
            if done == LETTERS:
                break
            children = worker.children()
            if kills < KILLS and children:
                os.kill(rng.choice(children), signal.SIGKILL)
                kills += 1
            if not restarted and (kills >= KILLS // 2):
                redis.restart()
                restarted = True
            time.sleep(rng.uniform(0.3, 0.9))
        log = worker.log(tail=None)
    finally:
        worker.stop()
        redis.stop()

    letters = list(Letter.objects.filter(pk__in=ids))
    lost = [letter.doc_number for letter in letters if not letter.pdf_sha256]
    doc_numbers = [letter.doc_number for letter in letters]
    duplicates = len(doc_numbers) - len(set(doc_numbers))
    stores = AuditEntry.objects.filter(action="letter.pdf", target_id__in=ids).values_list("target_id", flat=True)
    stored_twice = len(list(stores)) - len(set(stores))
    unparsable = [
        letter.doc_number for letter in letters if letter.pdf_sha256 and not pdf_parses(letter.pdf.read(), tmp_path)
    ]
    lost_workers = log.count("Task handler raised error: WorkerLostError")
    print(
        f"\n{LETTERS} tasks, {kills} kills ({lost_workers} mid-task), broker restarted {int(restarted)}×, "
        f"{len(lost)} lost, {duplicates + stored_twice} duplicate letters, "
        f"{'all PDFs parse' if not unparsable else f'{len(unparsable)} PDFs do not parse'}"
    )
    assert kills == KILLS and restarted
    assert lost_workers >= 1, "no kill landed on a running task"
    assert lost == [], f"letters without a PDF: {lost}\nworker log:\n{log[-8000:]}"
    assert duplicates == 0 and stored_twice == 0
    assert unparsable == []
