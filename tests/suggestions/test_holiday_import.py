"""A holiday notice saved by the administrator moves a suggestion's reply deadline with its ledger entry."""

import datetime as dt

import pytest

from liaison import services as hub
from liaison.holiday_notice import parse_notice
from liaison.models import LedgerEntry

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至6日（周三）放假调休，共6天。1月9日（周六）上班。"""


def test_reply_deadline_follows_the_recomputed_ledger_entry(
    make_suggestion, court_clerk, court_head, agency_staff, admin_user
):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-05"), receiver=agency_staff
    )
    entry = LedgerEntry.objects.get(source_id=s.pk, owner=s.recipient, source_type__model="suggestion")
    assert s.reply_due == entry.due_date
    before = s.reply_due
    hub.holiday_notice_apply(by=admin_user, notice=parse_notice(NOTICE_2027))
    s.refresh_from_db()
    entry.refresh_from_db()
    assert before == D("2027-01-05")  # two months from receipt (the default period of a 司法建议)
    assert entry.due_date == D("2027-01-07")  # the made-up holiday runs to 6 January
    assert s.reply_due == entry.due_date
    assert s.reply_due_explained == entry.due_explained
