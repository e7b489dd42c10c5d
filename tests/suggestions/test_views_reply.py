"""书面回复 through the pages. A head's reply is numbered and sent the moment it is signed off, so it
is written, then reviewed on a confirmation page, then sent; a staff member's reply goes to the head
in one step and says so; the head's sign-off of it is a confirmation page too."""

import pytest
from django.utils import timezone

from liaison.models import AuditEntry, Letter
from suggestions import services
from suggestions.models import Reply

from ._view_helpers import client_for

MEASURES = "一、已组织执法人员专题培训。\n\n二、已修订送达规范。"


def url(s, suffix=""):
    return f"/suggestions/{s.uuid}/{suffix}"


def main_of(response) -> str:
    return response.content.decode().split("<main")[1]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff, inst):
    today = timezone.localdate()
    return make_suggestion(
        court_clerk, court_head, issued_on=today, received_on=today, receiver=agency_staff, cc=[inst["柳州市人民政府"]]
    )


# ----------------------------------------------------------------------------- a head's reply: two steps


def test_head_reply_page_says_it_will_be_confirmed_then_sent(received, agency_head):
    body = main_of(client_for(agency_head).get(url(received, "reply/")))
    assert "直接签发" in body and "下一步：确认签发" in body
    assert "提交负责人签发" not in body


def test_head_reply_step_one_shows_the_confirmation_and_sends_nothing(received, agency_head, court_clerk):
    letters, audits, notes = Letter.objects.count(), AuditEntry.objects.count(), court_clerk.notifications.count()
    response = client_for(agency_head).post(url(received, "reply/"), {"measures": MEASURES})
    assert response.status_code == 200
    body = main_of(response)
    assert "确认签发书面回复" in body and "确认签发回复" in body and "返回修改" in body
    assert "不能再修改或撤回" in body
    assert "已组织执法人员专题培训" in body and "已修订送达规范" in body
    assert received.issuer.name in body and "柳州市人民政府" in body  # where the reply letter goes
    received.refresh_from_db()
    assert received.status == "received"
    assert not Reply.objects.exists()
    assert Letter.objects.count() == letters and AuditEntry.objects.count() == audits
    assert court_clerk.notifications.count() == notes


def test_head_reply_confirmed_is_numbered_and_sent(received, agency_head):
    client = client_for(agency_head)
    step1 = client.post(url(received, "reply/"), {"measures": MEASURES})
    hidden = step1.context["form"]["measures"].value()
    response = client.post(url(received, "reply/"), {"measures": hidden, "confirmed": "1"}, follow=True)
    received.refresh_from_db()
    r = Reply.objects.get(suggestion=received)
    assert received.status == "replied" and r.status == "sent" and r.letter.doc_number
    assert "已组织执法人员专题培训" in r.measures and "已修订送达规范" in r.measures
    assert any(r.letter.doc_number in m for m in messages_of(response))


def test_going_back_from_the_reply_confirmation_keeps_the_text(received, agency_head):
    response = client_for(agency_head).post(url(received, "reply/"), {"measures": "保留的回复内容", "back": "1"})
    assert response.status_code == 200
    body = main_of(response)
    assert "保留的回复内容" in body and "确认签发书面回复" not in body
    assert not Reply.objects.exists()


def test_head_reply_without_text_stops_beside_the_field(received, agency_head):
    response = client_for(agency_head).post(url(received, "reply/"), {"measures": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["measures"] == ["请写明采取的措施。"]
    assert "确认签发书面回复" not in main_of(response)


def test_head_reply_confirmed_without_text_is_refused_too(received, agency_head):
    response = client_for(agency_head).post(url(received, "reply/"), {"measures": "", "confirmed": "1"})
    assert response.status_code == 200 and "请写明采取的措施。" in response.content.decode()
    assert not Reply.objects.exists()


def test_head_reply_when_the_round_is_already_answered_is_a_message_at_step_one(received, agency_staff, agency_head):
    services.suggestion_reply(suggestion=received, by=agency_staff, measures="承办人的回复")
    response = client_for(agency_head).post(url(received, "reply/"), {"measures": MEASURES}, follow=True)
    assert response.redirect_chain and "本轮已有书面回复" in " ".join(messages_of(response))
    assert Reply.objects.count() == 1


# ----------------------------------------------------------------------------- a staff member's reply: one step, to the head


def test_staff_reply_page_says_it_goes_to_the_head(received, agency_staff):
    body = main_of(client_for(agency_staff).get(url(received, "reply/")))
    assert "提交后送本单位负责人签发，不会直接送达发出机关" in body
    assert "提交负责人签发" in body and "下一步：确认签发" not in body


def test_staff_reply_goes_to_the_head_in_one_step(received, agency_staff, agency_head):
    response = client_for(agency_staff).post(url(received, "reply/"), {"measures": MEASURES}, follow=True)
    r = Reply.objects.get(suggestion=received)
    assert r.status == "pending" and r.letter is None
    assert any("负责人签发" in m for m in messages_of(response))
    assert agency_head.notifications.filter(kind="suggestion.reply_pending").exists()


# ----------------------------------------------------------------------------- the head's sign-off of a staff reply


def test_sign_off_page_shows_the_reply_as_it_will_be_sent_and_changes_nothing(received, agency_staff, agency_head):
    r = services.suggestion_reply(suggestion=received, by=agency_staff, measures=MEASURES)
    response = client_for(agency_head).get(url(received, f"replies/{r.uuid}/approve/"))
    assert response.status_code == 200
    body = main_of(response)
    assert "确认签发书面回复" in body and "不能再修改或撤回" in body
    assert "已组织执法人员专题培训" in body and str(agency_staff) in body
    assert "返回修改" not in body and "取消" in body  # nothing to go back to: the text is the staff's
    r.refresh_from_db()
    assert r.status == "pending"


def test_sign_off_confirmed_sends_the_staff_reply(received, agency_staff, agency_head):
    r = services.suggestion_reply(suggestion=received, by=agency_staff, measures=MEASURES)
    response = client_for(agency_head).post(url(received, f"replies/{r.uuid}/approve/"), follow=True)
    r.refresh_from_db()
    received.refresh_from_db()
    assert r.status == "sent" and received.status == "replied"
    assert any(r.letter.doc_number in m for m in messages_of(response))
