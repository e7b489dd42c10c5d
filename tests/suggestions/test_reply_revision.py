"""Replies go both ways inside the recipient: the head returns a reply for revision with a reason,
staff edit a reply awaiting sign-off (or returned) and withdraw one not yet sent."""

import pytest

from liaison.models import AuditEntry, LedgerEntry, Notification
from suggestions import services
from suggestions.models import Reply

from ._view_helpers import client_for
from .conftest import D


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff):
    return make_suggestion(
        court_clerk, court_head, issued_on=D("2025-12-12"), received_on=D("2025-12-15"), receiver=agency_staff
    )


@pytest.fixture
def pending(received, agency_staff):
    return services.suggestion_reply(suggestion=received, by=agency_staff, measures="已完善送达程序。")


def reply_url(r, action):
    return f"/suggestions/{r.suggestion.uuid}/replies/{r.uuid}/{action}/"


def test_the_head_returns_a_reply_and_staff_revise_it_for_sign_off(pending, agency_staff, agency_head):
    page = client_for(agency_head).get(f"/suggestions/{pending.suggestion.uuid}/").content.decode()
    assert f'href="{reply_url(pending, "return")}" data-verb="reply.return"' in page
    asked = Notification.objects.get(user=agency_head, kind="suggestion.reply_pending")
    empty = client_for(agency_head).post(reply_url(pending, "return"), {"reason": ""})
    assert empty.status_code == 200 and "请写明理由" in empty.content.decode()
    response = client_for(agency_head).post(reply_url(pending, "return"), {"reason": "请写明整改完成时间。"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Reply.Status.RETURNED and pending.return_reason == "请写明整改完成时间。"
    asked.refresh_from_db()
    assert asked.settled_at is not None  # the head's 待签发 notice is done with
    told = Notification.objects.get(user=agency_staff, kind="suggestion.reply_returned")
    assert told.body == "请写明整改完成时间。" and told.awaits == "reply.edit"
    assert AuditEntry.objects.filter(action="reply.return", target_id=pending.suggestion_id).exists()
    # Returned: the head cannot sign it off; staff see the reason and edit it.
    assert client_for(agency_head).post(reply_url(pending, "approve"), follow=True).status_code == 200
    pending.refresh_from_db()
    assert pending.status == Reply.Status.RETURNED
    staff_page = client_for(agency_staff).get(f"/suggestions/{pending.suggestion.uuid}/").content.decode()
    assert "请写明整改完成时间。" in staff_page and 'data-verb="reply.edit"' in staff_page
    form = client_for(agency_staff).get(reply_url(pending, "edit")).content.decode()
    assert "已完善送达程序。" in form and "请写明整改完成时间。" in form
    client_for(agency_staff).post(reply_url(pending, "edit"), {"measures": "已完善送达程序，于2026年1月底前完成。"})
    pending.refresh_from_db()
    assert pending.status == Reply.Status.PENDING and "1月底" in pending.measures
    told.refresh_from_db()
    assert told.settled_at is not None
    assert Notification.objects.filter(user=agency_head, kind="suggestion.reply_pending", settled_at=None).count() == 1
    services.reply_approve(reply=pending, by=agency_head)
    pending.refresh_from_db()
    assert pending.status == Reply.Status.SENT and "1月底" in pending.letter.body


def test_staff_withdraw_a_pending_reply_and_may_reply_again(pending, agency_staff, agency_head, api):
    s = pending.suggestion
    assert client_for(agency_staff).get(reply_url(pending, "withdraw")).status_code == 200
    client_for(agency_staff).post(reply_url(pending, "withdraw"))
    pending.refresh_from_db()
    assert pending.status == Reply.Status.WITHDRAWN
    s.refresh_from_db()
    assert s.status == "received"
    assert LedgerEntry.objects.get(source_id=s.pk, owner=s.recipient).status == LedgerEntry.Status.OPEN
    assert "reply" in api(agency_staff).get(f"/api/v1/suggestions/{s.uuid}/").json()["allowed_actions"]
    again = services.suggestion_reply(suggestion=s, by=agency_staff, measures="重新起草的回复。")
    assert again.round == pending.round and again.status == Reply.Status.PENDING


def test_the_api_returns_edits_and_withdraws(pending, agency_staff, agency_head, api):
    s = pending.suggestion
    url = f"/api/v1/suggestions/{s.uuid}/"
    assert {"approve-reply", "return-reply"} <= set(api(agency_head).get(url).json()["allowed_actions"])
    body = {"reply": str(pending.uuid), "reason": "请补充"}
    assert api(agency_staff).post(url + "return-reply/", body, format="json").status_code == 403
    bad = api(agency_head).post(url + "return-reply/", {"reply": str(pending.uuid)}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    returned = api(agency_head).post(url + "return-reply/", body, format="json")
    assert returned.status_code == 200
    assert returned.json()["replies"][0]["status"] == "returned"
    assert api(agency_head).post(url + "approve-reply/", {"reply": str(pending.uuid)}, format="json").status_code == 409
    edited = api(agency_staff).post(url + "edit-reply/", {"reply": str(pending.uuid), "measures": "改"}, format="json")
    assert edited.status_code == 200 and edited.json()["replies"][0]["status"] == "pending"
    gone = api(agency_staff).post(url + "withdraw-reply/", {"reply": str(pending.uuid)}, format="json")
    assert gone.status_code == 200
    assert (
        api(agency_staff).post(url + "withdraw-reply/", {"reply": str(pending.uuid)}, format="json").status_code == 409
    )


def test_only_the_recipient_touches_its_reply(pending, court_clerk, court_head, agency_staff, outsider_agency, api):
    for action in ("return", "edit", "withdraw"):
        assert client_for(outsider_agency).get(reply_url(pending, action)).status_code == 404
        assert client_for(court_clerk).get(reply_url(pending, action)).status_code == 403
    assert client_for(agency_staff).get(reply_url(pending, "return")).status_code == 403
    url = f"/api/v1/suggestions/{pending.suggestion.uuid}/"
    assert (
        api(outsider_agency).post(url + "edit-reply/", {"reply": str(pending.uuid), "measures": "x"}).status_code == 404
    )
    assert api(court_clerk).post(url + "withdraw-reply/", {"reply": str(pending.uuid)}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Reply.Status.PENDING


def test_a_sent_reply_is_neither_edited_nor_withdrawn(pending, agency_staff, agency_head):
    from liaison.errors import Conflict

    services.reply_approve(reply=pending, by=agency_head)
    for service in (services.reply_withdraw, services.reply_return):
        with pytest.raises(Conflict):
            kwargs = {"reason": "x"} if service is services.reply_return else {}
            service(reply=pending, by=agency_head if service is services.reply_return else agency_staff, **kwargs)
    refused = client_for(agency_staff).post(reply_url(pending, "edit"), {"measures": "改"}, follow=True)
    assert "已回复" in refused.content.decode()
    pending.refresh_from_db()
    assert pending.status == Reply.Status.SENT
