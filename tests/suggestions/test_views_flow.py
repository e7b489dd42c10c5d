"""The flow through the pages: each action for the right persona, 404 for outsiders, 403 for a
too-low role, bad input beside the field with nothing saved, wrong state as a message, CSRF."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.models import AuditEntry, LedgerEntry
from suggestions import services
from suggestions.models import Extension, Reply, Suggestion

from ._view_helpers import CITY_AGENCY, client_for, draft
from .conftest import D


def url(s, suffix=""):
    return f"/suggestions/{s.uuid}/{suffix}"


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def issued(make_suggestion, court_clerk, court_head, inst):
    return make_suggestion(court_clerk, court_head, title="已发出的司法建议", cc=[inst["柳州市人民政府"]])


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff, inst):
    today = timezone.localdate()
    return make_suggestion(
        court_clerk, court_head, issued_on=today, received_on=today, receiver=agency_staff, cc=[inst["柳州市人民政府"]]
    )


@pytest.fixture
def replied(received, agency_head):
    services.suggestion_reply(suggestion=received, by=agency_head, measures="已完善送达程序。")
    received.refresh_from_db()
    return received


# ----------------------------------------------------------------------------- the whole journey


def test_the_whole_journey_through_the_pages(court_clerk, court_head, agency_staff, agency_head, inst):
    clerk, head = client_for(court_clerk), client_for(court_head)
    s = draft(court_clerk, inst[CITY_AGENCY])
    assert clerk.post(url(s, "submit/")).status_code == 302
    assert head.post(url(s, "approve/")).status_code == 302
    assert head.get(url(s, "issue/")).status_code == 200  # the confirmation page
    s.refresh_from_db()
    assert s.status == "approved"
    response = head.post(url(s, "issue/"), {"issued_on": ""}, follow=True)
    s.refresh_from_db()
    assert s.status == "issued" and s.letter.doc_number in " ".join(messages_of(response))

    staff, agency_boss = client_for(agency_staff), client_for(agency_head)
    assert staff.get(url(s, "receive/")).status_code == 200
    staff.post(url(s, "receive/"), {"received_on": ""})
    s.refresh_from_db()
    assert s.status == "received" and s.received_on == timezone.localdate() and s.reply_due

    staff.post(url(s, "reply/"), {"measures": "已完善送达程序。"})
    pending = Reply.objects.get(suggestion=s)
    assert pending.status == "pending"
    assert agency_boss.get(url(s, f"replies/{pending.uuid}/approve/")).status_code == 200
    agency_boss.post(url(s, f"replies/{pending.uuid}/approve/"))
    s.refresh_from_db()
    pending.refresh_from_db()
    assert s.status == "replied" and pending.letter.doc_number

    # Evaluation: step 1 shows a confirmation and saves nothing; step 2 saves.
    data = {"evaluation": "partly", "reasons": "送达问题未完全整改", "rectify": "on", "rectify_days": "20"}
    step1 = clerk.post(url(s, "evaluate/"), data)
    assert step1.status_code == 200 and "确认评价" in step1.content.decode()
    s.refresh_from_db()
    assert s.status == "replied" and not s.evaluation
    step2 = clerk.post(url(s, "evaluate/"), {**data, "rectify": "True", "confirmed": "1"})
    assert step2.status_code == 302
    s.refresh_from_db()
    assert (s.status, s.evaluation, s.round) == ("rectifying", "partly", 2)


# ----------------------------------------------------------------------------- 404 for outsiders


@pytest.mark.parametrize(
    "suffix,data",
    [
        ("submit/", {}),
        ("approve/", {}),
        ("return/", {"reason": "r"}),
        ("issue/", {}),
        ("withdraw/", {"reason": "r"}),
        ("receive/", {}),
        ("reply/", {"measures": "m"}),
        ("extension/", {"days": "10", "reasons": "r"}),
        ("evaluate/", {"evaluation": "adopted", "confirmed": "1"}),
    ],
)
def test_outsiders_get_404_and_change_nothing(world, issued, suffix, data):
    before = AuditEntry.objects.count()
    for name in ("env_staff", "justice_legal"):
        assert client_for(world[name]).post(url(issued, suffix), data).status_code == 404, name
        assert client_for(world[name]).get(url(issued, suffix)).status_code in (404, 405), name
    issued.refresh_from_db()
    assert issued.status == "issued" and AuditEntry.objects.count() == before


def test_outsiders_get_404_on_reply_and_extension_decisions(world, received, agency_staff):
    reply = services.suggestion_reply(suggestion=received, by=agency_staff, measures="m")
    client = client_for(world["env_staff"])
    assert client.post(url(received, f"replies/{reply.uuid}/approve/")).status_code == 404
    reply.delete()
    ext = services.extension_request(suggestion=received, by=agency_staff, days=10, reasons="r")
    assert client.post(url(received, f"extensions/{ext.uuid}/decide/"), {"decision": "approve"}).status_code == 404
    ext.refresh_from_db()
    assert ext.status == "pending"


# ----------------------------------------------------------------------------- 403 for a too-low role


def test_clerk_may_not_approve_or_issue(court_clerk, court_head, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    services.suggestion_submit(suggestion=s, by=court_clerk)
    client = client_for(court_clerk)
    assert client.post(url(s, "approve/")).status_code == 403
    assert client.post(url(s, "return/"), {"reason": "r"}).status_code == 403
    services.suggestion_approve(suggestion=s, by=court_head)
    assert client.get(url(s, "issue/")).status_code == 403
    assert client.post(url(s, "issue/")).status_code == 403
    assert client.post(url(s, "withdraw/"), {"reason": "r"}).status_code == 403
    s.refresh_from_db()
    assert s.status == "approved"


@pytest.mark.parametrize(
    "suffix,data",
    [
        ("receive/", {}),
        ("reply/", {"measures": "m"}),
        ("withdraw/", {"reason": "r"}),
        ("evaluate/", {"evaluation": "adopted", "confirmed": "1"}),
        ("extension/", {"days": "10", "reasons": "r"}),
    ],
)
def test_auditor_may_read_but_do_nothing(auditor, issued, suffix, data):
    client = client_for(auditor)
    assert client.get(url(issued)).status_code == 200
    assert client.post(url(issued, suffix), data).status_code == 403
    issued.refresh_from_db()
    assert issued.status == "issued"


def test_cc_government_may_not_sign_for_or_reply(gov_legal, gov_head, issued, agency_staff):
    for user in (gov_legal, gov_head):
        assert client_for(user).post(url(issued, "receive/")).status_code == 403
    services.suggestion_receive(suggestion=issued, by=agency_staff)
    for user in (gov_legal, gov_head):
        assert client_for(user).post(url(issued, "reply/"), {"measures": "m"}).status_code == 403
        assert client_for(user).get(url(issued, "reply/")).status_code == 403
    assert not Reply.objects.exists()


def test_issuer_may_not_reply_and_recipient_may_not_evaluate(court_clerk, agency_staff, replied):
    assert client_for(court_clerk).post(url(replied, "reply/"), {"measures": "m"}).status_code == 403
    data = {"evaluation": "adopted", "confirmed": "1"}
    assert client_for(agency_staff).post(url(replied, "evaluate/"), data).status_code == 403
    replied.refresh_from_db()
    assert replied.status == "replied"


def test_agency_staff_may_not_sign_off_its_own_reply(received, agency_staff):
    reply = services.suggestion_reply(suggestion=received, by=agency_staff, measures="m")
    assert client_for(agency_staff).post(url(received, f"replies/{reply.uuid}/approve/")).status_code == 403
    reply.refresh_from_db()
    assert reply.status == "pending"


def test_recipient_may_not_decide_its_own_extension(received, agency_staff, agency_head, court_clerk):
    ext = services.extension_request(suggestion=received, by=agency_staff, days=10, reasons="r")
    for user in (agency_head, court_clerk):
        response = client_for(user).post(url(received, f"extensions/{ext.uuid}/decide/"), {"decision": "approve"})
        assert response.status_code == 403
    ext.refresh_from_db()
    assert ext.status == "pending"


# ----------------------------------------------------------------------------- bad input, wrong state


def test_withdraw_needs_a_reason(court_head, issued):
    response = client_for(court_head).post(url(issued, "withdraw/"), {"reason": "  "})
    assert response.status_code == 200 and "请写明理由。" in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == "issued"
    response = client_for(court_head).post(url(issued, "withdraw/"), {"reason": "事实认定有误"})
    issued.refresh_from_db()
    assert response.status_code == 302 and issued.status == "withdrawn" and issued.withdrawn_reason == "事实认定有误"


def test_receive_with_a_future_date_is_refused_beside_the_field(agency_staff, issued):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(agency_staff).post(url(issued, "receive/"), {"received_on": tomorrow})
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == ["签收日期不能晚于今天。"]
    issued.refresh_from_db()
    assert issued.status == "issued" and not LedgerEntry.objects.exists()


def test_receive_on_a_past_paper_delivery_date_starts_the_period_then(
    agency_staff, make_suggestion, court_clerk, court_head
):
    s = make_suggestion(court_clerk, court_head, issued_on=D("2025-12-12"))
    client_for(agency_staff).post(url(s, "receive/"), {"received_on": "2025-12-15"})
    s.refresh_from_db()
    assert s.received_on == D("2025-12-15") and s.reply_due == D("2026-02-24")


def test_empty_reply_is_refused_and_nothing_saved(agency_staff, received):
    response = client_for(agency_staff).post(url(received, "reply/"), {"measures": ""})
    assert response.status_code == 200 and "请写明采取的措施。" in response.content.decode()
    assert not Reply.objects.exists()


def test_second_reply_in_a_round_is_a_message_not_a_500(agency_staff, received):
    client = client_for(agency_staff)
    client.post(url(received, "reply/"), {"measures": "第一次"})
    response = client.post(url(received, "reply/"), {"measures": "第二次"}, follow=True)
    assert response.status_code == 200
    assert Reply.objects.count() == 1


def test_approving_a_draft_is_a_message_not_a_500(court_clerk, court_head, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    response = client_for(court_head).post(url(s, "approve/"), follow=True)
    assert response.status_code == 200
    assert any("不能执行此操作" in m for m in messages_of(response))
    s.refresh_from_db()
    assert s.status == "draft"


def test_issue_page_of_a_draft_redirects_with_a_message(court_clerk, court_head, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    response = client_for(court_head).get(url(s, "issue/"), follow=True)
    assert response.redirect_chain[-1][0] == url(s)
    assert any("不能执行此操作" in m for m in messages_of(response))


def test_issue_with_a_future_date_is_refused(court_clerk, court_head, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    services.suggestion_submit(suggestion=s, by=court_clerk)
    services.suggestion_approve(suggestion=s, by=court_head)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(court_head).post(url(s, "issue/"), {"issued_on": tomorrow})
    assert response.status_code == 200 and response.context["form"].errors
    s.refresh_from_db()
    assert s.status == "approved" and s.letter_id is None


def test_return_with_reason_sends_back_to_draft(court_clerk, court_head, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    services.suggestion_submit(suggestion=s, by=court_clerk)
    client = client_for(court_head)
    assert client.post(url(s, "return/"), {"reason": ""}).status_code == 200
    s.refresh_from_db()
    assert s.status == "submitted"
    client.post(url(s, "return/"), {"reason": "请补充案号"})
    s.refresh_from_db()
    assert s.status == "draft"


def test_evaluation_partly_without_reasons_stops_at_step_one(court_clerk, replied):
    response = client_for(court_clerk).post(url(replied, "evaluate/"), {"evaluation": "partly", "reasons": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reasons"] == ["部分采纳或未采纳时必须说明理由。"]
    assert "确认评价" not in response.content.decode().split("<main")[1].split("请修改")[0]
    replied.refresh_from_db()
    assert replied.status == "replied" and not replied.evaluation


def test_evaluation_confirmed_with_bad_input_is_refused_too(court_clerk, replied):
    data = {"evaluation": "not_adopted", "reasons": "", "confirmed": "1"}
    response = client_for(court_clerk).post(url(replied, "evaluate/"), data)
    assert response.status_code == 200 and "部分采纳或未采纳时必须说明理由。" in response.content.decode()
    replied.refresh_from_db()
    assert replied.status == "replied"


def test_evaluation_step_one_leaves_no_trace(court_clerk, replied, agency_staff):
    audits, notes = AuditEntry.objects.count(), agency_staff.notifications.count()
    client_for(court_clerk).post(url(replied, "evaluate/"), {"evaluation": "adopted"})
    assert AuditEntry.objects.count() == audits and agency_staff.notifications.count() == notes


def test_going_back_from_the_confirmation_keeps_the_input(court_clerk, replied):
    data = {"evaluation": "partly", "reasons": "保留的理由", "rectify": "False", "back": "1"}
    response = client_for(court_clerk).post(url(replied, "evaluate/"), data)
    assert response.status_code == 200 and "保留的理由" in response.content.decode()
    replied.refresh_from_db()
    assert replied.status == "replied"


def test_extension_request_and_decision(received, agency_staff, court_head):
    staff = client_for(agency_staff)
    response = staff.post(url(received, "extension/"), {"days": "0", "reasons": "r"})
    assert response.status_code == 200 and "延长天数应在 1 至 180 日之间。" in response.content.decode()
    assert not Extension.objects.exists()
    staff.post(url(received, "extension/"), {"days": "15", "reasons": "涉及多部门，需协调"})
    ext = Extension.objects.get()
    head = client_for(court_head)
    decide = url(received, f"extensions/{ext.uuid}/decide/")
    response = head.post(decide, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and "不同意延期时请说明理由。" in response.content.decode()
    ext.refresh_from_db()
    assert ext.status == "pending"
    old_due = received.reply_due
    head.post(decide, {"decision": "approve"})
    ext.refresh_from_db()
    received.refresh_from_db()
    assert ext.status == "approved" and received.reply_due > old_due
    # Decided once: a second decision is a message, not a 500.
    assert head.post(decide, {"decision": "refuse", "reason": "x"}, follow=True).status_code == 200


def test_unknown_reply_or_extension_id_is_404(received, agency_head, court_head):
    missing = "00000000-0000-0000-0000-000000000000"
    assert client_for(agency_head).get(url(received, f"replies/{missing}/approve/")).status_code == 404
    assert client_for(court_head).get(url(received, f"extensions/{missing}/decide/")).status_code == 404


# ----------------------------------------------------------------------------- CSRF


def test_every_action_refuses_posts_without_csrf_token(court_clerk, court_head, agency_staff, issued, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    clerk = client_for(court_clerk, enforce_csrf_checks=True)
    assert clerk.post(url(s, "submit/")).status_code == 403
    assert clerk.post(url(s, "edit/"), {"title": "x"}).status_code == 403
    head = client_for(court_head, enforce_csrf_checks=True)
    assert head.post(url(issued, "withdraw/"), {"reason": "r"}).status_code == 403
    staff = client_for(agency_staff, enforce_csrf_checks=True)
    assert staff.post(url(issued, "receive/")).status_code == 403
    s.refresh_from_db()
    issued.refresh_from_db()
    assert s.status == "draft" and issued.status == "issued"


def test_reply_evaluate_and_extension_refuse_posts_without_csrf_token(replied, court_clerk, court_head, agency_staff):
    clerk = client_for(court_clerk, enforce_csrf_checks=True)
    assert clerk.post(url(replied, "evaluate/"), {"evaluation": "adopted", "confirmed": "1"}).status_code == 403
    replied.refresh_from_db()
    assert replied.status == "replied"
    services.suggestion_evaluate(
        suggestion=replied, by=court_clerk, evaluation="partly", reasons="r", rectify=True, rectify_days=10
    )
    staff = client_for(agency_staff, enforce_csrf_checks=True)
    assert staff.post(url(replied, "reply/"), {"measures": "m"}).status_code == 403
    assert staff.post(url(replied, "extension/"), {"days": "5", "reasons": "r"}).status_code == 403
    assert Reply.objects.filter(suggestion=replied).count() == 1 and not Extension.objects.exists()


def test_withdrawn_suggestion_shows_its_reason(court_head, issued, agency_staff):
    client_for(court_head).post(url(issued, "withdraw/"), {"reason": "事实认定有误"})
    body = client_for(agency_staff).get(url(issued)).content.decode()
    assert "已撤回" in body and "事实认定有误" in body
    assert Suggestion.objects.get(pk=issued.pk).status == "withdrawn"


def test_sign_off_and_extension_decision_refuse_posts_without_csrf_token(
    received, agency_staff, agency_head, court_head
):
    reply = services.suggestion_reply(suggestion=received, by=agency_staff, measures="m")
    head = client_for(agency_head, enforce_csrf_checks=True)
    assert head.post(url(received, f"replies/{reply.uuid}/approve/")).status_code == 403
    reply.refresh_from_db()
    assert reply.status == "pending"
    reply.delete()
    ext = services.extension_request(suggestion=received, by=agency_staff, days=10, reasons="r")
    issuer_head = client_for(court_head, enforce_csrf_checks=True)
    assert issuer_head.post(url(received, f"extensions/{ext.uuid}/decide/"), {"decision": "approve"}).status_code == 403
    ext.refresh_from_db()
    assert ext.status == "pending"
