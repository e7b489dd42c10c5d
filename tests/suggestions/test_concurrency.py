"""Ten people reply to one suggestion at the same moment: one reply, nine clear 409s.

PostgreSQL only (`DATABASE_URL=postgres://… pytest tests/suggestions/test_concurrency.py`):
the guarantee under test is the row lock plus the one-reply-per-round constraint, which
SQLite cannot exercise (it serialises every writer).
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from suggestions.models import Reply

from ._api_helpers import detail
from .conftest import D

THREADS = 10

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://…)"),
    pytest.mark.django_db(transaction=True),
]


def test_ten_concurrent_replies_make_one_reply_and_nine_conflicts(
    make_suggestion, court_clerk, court_head, agency_staff, agency_head, monkeypatch
):
    # Replies are under test, not PDF rendering: keep WeasyPrint out of the threads.
    monkeypatch.setattr("liaison.tasks.render_letter_pdf.delay", lambda *args, **kwargs: None)
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_staff
    )
    url = detail(s, "reply")
    barrier = threading.Barrier(THREADS)
    answers, errors = [], []

    def reply(i):
        try:
            client = APIClient()
            # Staff replies wait for the head; a head's reply is sent at once: both race here.
            client.force_authenticate(agency_head if i % 2 else agency_staff)
            barrier.wait(timeout=30)
            response = client.post(url, {"measures": f"第{i}份回复"}, format="json")
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reply, args=(i,)) for i in range(THREADS)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in workers), "a replying thread hung"
    assert errors == []

    codes = Counter(code for code, _body in answers)
    accepted, conflicts = codes[201], codes[409]
    print(f"{THREADS} concurrent replies: {accepted} accepted, {conflicts} conflicts")
    assert (accepted, conflicts) == (1, THREADS - 1), codes
    assert all(body["code"] == "conflict" and body["detail"] for code, body in answers if code == 409)
    assert Reply.objects.filter(suggestion=s).count() == 1
