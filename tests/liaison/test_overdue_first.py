"""Overdue first on the ledger (工作台账) and its API: open entries by due date, so the most overdue
come first and the soonest due next, then the closed ones (latest due first); the order is stored
with the row (LedgerEntry.due_rank/open_due) and follows its state through the services."""

import datetime as dt

from django.utils import timezone

from liaison import services
from liaison.models import LedgerEntry

from ._view_helpers import client_for, entry

API = "/api/v1/ledger/"


def _world(owner):
    """Created in an order that is none of the expected ones; one closed entry is the most overdue by date."""
    today = timezone.localdate()
    made = {}
    for title, due_in, status in [
        ("二十天后到期", 20, "open"),
        ("已办结", -30, "done"),
        ("逾期一天", -1, "overdue"),
        ("三天后到期", 3, "open"),
        ("已免除", -3, "waived"),
        ("逾期五天", -5, "overdue"),
    ]:
        made[title] = entry(owner, title=title, due_in=due_in)
        LedgerEntry.objects.filter(pk=made[title].pk).update(status=status)
    assert LedgerEntry.objects.get(pk=made["逾期五天"].pk).due_date == today - dt.timedelta(days=5)
    return ["逾期五天", "逾期一天", "三天后到期", "二十天后到期", "已免除", "已办结"]


def test_the_ledger_puts_overdue_first_then_by_due_date_then_closed(agency_staff, office):
    expected = _world(agency_staff.institution)
    for user in (agency_staff, office):
        response = client_for(user).get("/ledger/")
        assert [e.title for e in response.context["page"].object_list] == expected, user
        body = response.content.decode()
        body = body[body.index("<tbody") :]
        assert body.index("逾期五天") < body.index("逾期一天") < body.index("三天后到期") < body.index("已办结")


def test_the_api_reads_in_the_same_order_and_an_explicit_order_wins(agency_staff, api):
    expected = _world(agency_staff.institution)
    client = api(agency_staff)
    assert [r["title"] for r in client.get(API).json()["results"]] == expected
    by_due = [r["title"] for r in client.get(API, {"ordering": "due_date"}).json()["results"]]
    assert by_due == ["已办结", "逾期五天", "已免除", "逾期一天", "三天后到期", "二十天后到期"]
    page = client_for(agency_staff).get("/ledger/", {"sort": "due_date"}).context["page"].object_list
    assert [e.title for e in page] == by_due
    response = client.get(API, {"ordering": "evidence"})
    assert response.status_code == 400 and "ordering" in response.json()


def test_closing_an_entry_moves_it_behind_the_open_ones(agency_staff):
    expected = _world(agency_staff.institution)
    late = LedgerEntry.objects.get(title="逾期五天")
    assert (late.due_rank, late.open_due) == (0, late.due_date)
    services.ledger_complete(entry=late, by=agency_staff, evidence="已书面答复。")
    late = LedgerEntry.objects.get(pk=late.pk)
    assert (late.status, late.due_rank, late.open_due) == ("done", 2, None)
    page = client_for(agency_staff).get("/ledger/").context["page"].object_list
    # among the closed ones by due date, latest first: 已免除 (-3), 逾期五天 (-5), 已办结 (-30)
    assert [e.title for e in page] == [*expected[1:4], "已免除", "逾期五天", "已办结"]
