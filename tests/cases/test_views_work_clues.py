"""违法线索移送 pages: list by direction, sending, receipt, handling with confirmation."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from cases import services
from cases.models import ClueTransfer
from liaison.models import LedgerEntry

from ._work_helpers import body, bulk_clues, client_for, listed, queries_for, rows_of, today

LIST = "/cases/clues/"
NEW = "/cases/clues/new/"
GOV = "柳州市人民政府"


def url(clue, action=""):
    return f"/cases/clues/{clue.uuid}/{action + '/' if action else ''}"


@pytest.fixture
def clue(proc_staff, inst):
    """市检察院 → 市政府."""
    return services.clue_transfer_send(
        by=proc_staff, recipient=inst[GOV], summary="某局违法发放许可的线索。", sent_on=today() - dt.timedelta(days=4)
    )


def entry(clue):
    return LedgerEntry.objects.get(source_type__model="cluetransfer", source_id=clue.pk)


# ----------------------------------------------------------------------------- list


def test_sender_and_recipient_see_it_in_their_direction(clue, proc_staff, gov_legal):
    assert [c.pk for c in listed(client_for(proc_staff).get(LIST, {"box": "sent"}))] == [clue.pk]
    assert listed(client_for(proc_staff).get(LIST, {"box": "received"})) == []
    assert [c.pk for c in listed(client_for(gov_legal).get(LIST, {"box": "received"}))] == [clue.pk]
    assert "已移送" in body(client_for(gov_legal).get(LIST))


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "agency_staff", "court_clerk"])
def test_outsiders_list_nothing(clue, world, persona):
    response = client_for(world[persona]).get(LIST)
    assert listed(response) == [] and "违法发放许可" not in body(response)


@pytest.mark.parametrize("persona", ["proc_staff", "gov_legal", "office"])
def test_list_query_count_is_the_same_at_10_and_200_rows(world, inst, proc_staff, persona):
    client = client_for(world[persona])
    bulk_clues(inst["柳州市人民检察院"], inst[GOV], proc_staff, 10, prefix="甲")
    few, _r = queries_for(client, LIST, {"sort": "recipient"})
    bulk_clues(inst["柳州市人民检察院"], inst[GOV], proc_staff, 190, prefix="乙")
    many, response = queries_for(client, LIST, {"sort": "recipient"})
    assert response.context["page"].paginator.count == 200 and few == many <= 12


def test_export_and_filters(proc_staff, inst, clue):
    bulk_clues(inst["柳州市人民检察院"], inst[GOV], proc_staff, 20, prefix="批量")
    client = client_for(proc_staff)
    assert [c.summary for c in listed(client.get(LIST, {"q": "批量7"}))] == ["批量7"]
    assert listed(client.get(LIST, {"status": "handled"})) == []
    assert client.get(LIST, {"box": "up", "status": "?", "sort": "x"}).status_code == 200
    header, rows = rows_of(client.get(LIST + "export/", {"q": "批量"}))
    assert header[:2] == ("移送单位", "接收单位") and len(rows) == 20


# ----------------------------------------------------------------------------- send


def test_sending_a_clue(gov_legal, inst):
    client = client_for(gov_legal)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW, {"recipient": str(inst["柳州市人民检察院"].uuid), "summary": "线索", "sent_on": today().isoformat()}
    )
    clue = ClueTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == url(clue)
    assert clue.sender == gov_legal.institution and entry(clue).owner.name == "柳州市人民检察院"


@pytest.mark.parametrize("persona", ["agency_staff", "auditor", "office"])
def test_only_governments_courts_and_procuratorates_send(world, inst, persona):
    client = client_for(world[persona])
    data = {"recipient": str(inst[GOV].uuid), "summary": "线索", "sent_on": today().isoformat()}
    assert client.get(NEW).status_code == 403 and client.post(NEW, data).status_code == 403
    assert not ClueTransfer.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"summary": ""}, "summary"),
        ({"recipient": str(uuid.UUID(int=5))}, "recipient"),
        ({"sent_on": "2099-01-01"}, "sent_on"),
        ({"case": "（2026）桂02行初404号"}, "case"),
    ],
)
def test_bad_clue_is_refused_beside_the_field(proc_staff, inst, change, field):
    data = {"recipient": str(inst[GOV].uuid), "summary": "线索内容甲", "sent_on": today().isoformat(), **change}
    response = client_for(proc_staff).post(NEW, data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not ClueTransfer.objects.exists()


def test_a_clue_cannot_be_sent_to_oneself(proc_staff, inst):
    data = {"recipient": str(inst["柳州市人民检察院"].uuid), "summary": "x", "sent_on": today().isoformat()}
    response = client_for(proc_staff).post(NEW, data)
    assert "recipient" in response.context["form"].errors and not ClueTransfer.objects.exists()


def test_sending_needs_the_csrf_token(proc_staff, inst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(proc_staff)
    data = {"recipient": str(inst[GOV].uuid), "summary": "x", "sent_on": today().isoformat()}
    assert client.post(NEW, data).status_code == 403 and not ClueTransfer.objects.exists()


# ----------------------------------------------------------------------------- detail, receive, handle


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "court_clerk"])
def test_detail_and_actions_are_404_for_outsiders(clue, world, persona):
    client = client_for(world[persona])
    for action in ("", "receive", "handle"):
        assert client.get(url(clue, action)).status_code == 404
    assert client.post(url(clue, "receive"), {}).status_code == 404


def test_recipient_receives_then_handles_with_confirmation(clue, gov_legal, proc_staff):
    client = client_for(gov_legal)
    text = body(client.get(url(clue)))
    assert "接收…" in text and "办结…" not in text and "移送线索" in text
    assert client.get(url(clue, "receive")).status_code == 200
    assert client.post(url(clue, "receive"), {"received_on": ""}).status_code == 302
    clue.refresh_from_db()
    assert clue.status == "received" and clue.received_on == today()
    assert "办结…" in body(client.get(url(clue)))
    data = {"result": "已立案调查并处理。", "handled_on": ""}
    step1 = client.post(url(clue, "handle"), data)
    assert step1.status_code == 200 and "确认办结" in body(step1)
    clue.refresh_from_db()
    assert clue.status == "received"
    assert client.post(url(clue, "handle"), {**data, "confirmed": "1"}).status_code == 302
    clue.refresh_from_db()
    assert clue.status == "handled" and entry(clue).status == "done"
    sender_view = body(client_for(proc_staff).get(url(clue)))
    assert "已立案调查并处理" in sender_view and "已办结" in sender_view


@pytest.mark.parametrize("persona", ["proc_staff", "auditor", "office"])
def test_only_the_recipient_receives_and_handles(clue, world, persona):
    client = client_for(world[persona])
    assert client.get(url(clue, "receive")).status_code == 403
    assert client.post(url(clue, "receive"), {}).status_code == 403
    services.clue_transfer_receive(clue=clue, by=world["gov_legal"])
    assert client.post(url(clue, "handle"), {"result": "x", "confirmed": "1"}).status_code == 403
    clue.refresh_from_db()
    assert clue.status == "received"


def test_bad_dates_and_results_are_refused(clue, gov_legal):
    client = client_for(gov_legal)
    early = (clue.sent_on - dt.timedelta(days=1)).isoformat()
    response = client.post(url(clue, "receive"), {"received_on": early})
    assert response.status_code == 200 and "received_on" in response.context["form"].errors
    clue.refresh_from_db()
    assert clue.status == "sent"
    client.post(url(clue, "receive"), {})
    response = client.post(url(clue, "handle"), {"result": "", "confirmed": "1"})
    assert "result" in response.context["form"].errors
    clue.refresh_from_db()
    assert clue.status == "received"


def test_handling_before_receipt_is_a_message(clue, gov_legal):
    response = client_for(gov_legal).get(url(clue, "handle"), follow=True)
    assert "不能执行此操作" in body(response)


def test_receipt_and_handling_need_the_csrf_token(clue, gov_legal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(gov_legal)
    assert client.post(url(clue, "receive"), {}).status_code == 403
    clue.refresh_from_db()
    assert clue.status == "sent"
