"""A real Celery worker against Redis renders issued letters and runs the daily sweep.

`make test-celery` (REDIS_URL set; on SQLite the Makefile also sets SQLITE_TEST_NAME so the
worker can open the test database).
"""

import datetime as dt
import hashlib
import time

import pytest

from liaison import services
from liaison.models import AuditEntry, LedgerEntry, Letter, Notification

from .conftest import Worker, require_redis_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(celery_app_not_eager):
    redis_url = require_redis_url()
    w = Worker(redis_url=redis_url, pool="solo")
    try:
        w.wait_ready(celery_app_not_eager)
        yield w
    finally:
        w.stop()


def wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


def test_worker_renders_the_pdf_of_an_issued_letter(worker, world):
    clerk, head = world["court_clerk"], world["court_head"]
    letter = services.letter_create(
        by=clerk, title="关于行政争议实质性化解工作的函", body="经研究……", addressees=[world["gov_legal"].institution]
    )
    services.letter_submit(letter=letter, by=clerk)
    started = time.monotonic()
    services.letter_issue(letter=letter, by=head)  # commits; on_commit sends the task to Redis
    assert Letter.objects.get(pk=letter.pk).pdf_sha256 == ""  # not rendered in-process

    stored = wait_for(lambda: Letter.objects.filter(pk=letter.pk).exclude(pdf_sha256="").first(), timeout=60)
    assert stored is not None, f"no PDF after 60 s; worker log:\n{worker.log()}"
    print(f"\nworker rendered {stored.doc_number} in {time.monotonic() - started:.2f} s")
    data = stored.pdf.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == stored.pdf_sha256
    assert AuditEntry.objects.filter(action="letter.pdf", target_id=letter.pk).count() == 1


def test_sweep_deadlines_round_trip_through_the_worker(worker, world):
    from liaison.tasks import sweep_deadlines

    owner = world["agency_staff"].institution
    entry = services.ledger_open(
        owner=owner, title="书面回复检察建议（逾期）", start_date=dt.date(2026, 1, 5), period=10, unit="days"
    )
    result = sweep_deadlines.delay().get(timeout=60)
    assert result == {"reminded": 0, "escalated": 1}, worker.log()
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OVERDUE
    assert Notification.objects.filter(kind="ledger.overdue", user=world["agency_staff"]).count() == 1
    # Run again through the worker: nothing new.
    assert sweep_deadlines.delay().get(timeout=60) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(kind="ledger.overdue", user=world["agency_staff"]).count() == 1
