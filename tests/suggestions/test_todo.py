"""待办 for suggestions: each duty of the flow reaches the person who must act, and only them;
it leaves the list once done, and the notification that asked for it settles."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import todo
from liaison.models import Notification
from suggestions import services
from suggestions.models import Extension, Reply, Suggestion


def _labels(user):
    return [(i.label, i.obj.pk) for i in todo.items(user)]


def _open_notice(user, obj, awaits):
    return Notification.objects.filter(user=user, subject_id=obj.pk, awaits=awaits, settled_at__isnull=True)


def test_a_submitted_suggestion_waits_for_the_issuing_head_only(inst, court_clerk, court_head, agency_head):
    s = services.suggestion_create(
        by=court_clerk,
        recipient=inst["柳州市城市管理行政执法局"],
        title="关于规范行政执法程序的建议",
        problem="执法文书送达程序不规范。",
        recommendations="完善送达程序。",
    )
    services.suggestion_submit(suggestion=s, by=court_clerk)
    assert _labels(court_head) == [("待审批", s.pk)]
    # 审批同意 posts at once from the record's page: the to-do row opens that page (its URL is POST only)
    assert todo.items(court_head)[0].action_url == s.get_absolute_url()
    assert _labels(court_clerk) == [] and _labels(agency_head) == []
    assert _open_notice(court_head, s, "suggestion.approve").count() == 1

    services.suggestion_approve(suggestion=s, by=court_head)
    assert _labels(court_head) == [("待签发", s.pk)]
    assert not _open_notice(court_head, s, "suggestion.approve").exists()  # settled
    services.suggestion_issue(suggestion=s, by=court_head)
    assert _labels(court_head) == []


def test_receipt_reply_sign_off_and_evaluation(make_suggestion, court_clerk, court_head, agency_staff, agency_head):
    s = make_suggestion(court_clerk, court_head)
    assert ("待签收", s.pk) in _labels(agency_staff) and ("待签收", s.pk) in _labels(agency_head)
    assert _labels(court_clerk) == []

    s = services.suggestion_receive(suggestion=s, by=agency_staff)
    assert ("待签收", s.pk) not in _labels(agency_staff)
    due = [i for i in todo.items(agency_staff) if i.obj.pk == s.pk]
    assert [i.label for i in due] == ["待回复"] and due[0].due == s.reply_due

    reply = services.suggestion_reply(suggestion=s, by=agency_staff, measures="已完善送达程序。")
    assert ("待回复", s.pk) not in _labels(agency_staff)
    assert ("待签发回复", reply.pk) in _labels(agency_head)
    assert ("待签发回复", reply.pk) not in _labels(agency_staff)
    assert _open_notice(agency_head, reply, "reply.approve").count() == 1

    services.reply_approve(reply=Reply.objects.get(pk=reply.pk), by=agency_head)
    assert ("待签发回复", reply.pk) not in _labels(agency_head)
    assert not _open_notice(agency_head, reply, "reply.approve").exists()
    assert ("待评价", s.pk) in _labels(court_clerk) and ("待评价", s.pk) not in _labels(agency_staff)

    services.suggestion_evaluate(suggestion=Suggestion.objects.get(pk=s.pk), by=court_clerk, evaluation="adopted")
    assert ("待评价", s.pk) not in _labels(court_clerk)


def test_an_extension_request_waits_for_the_issuing_head(make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(court_clerk, court_head, received_on=dt.date.today(), receiver=agency_staff)
    ext = services.extension_request(suggestion=s, by=agency_staff, days=10, reasons="需要协调多个部门。")
    assert ("待审批延期", ext.pk) in _labels(court_head)
    assert ("待审批延期", ext.pk) not in _labels(court_clerk) and ("待审批延期", ext.pk) not in _labels(agency_staff)
    assert _open_notice(court_head, ext, "extension.decide").count() == 1

    services.extension_decide(extension=Extension.objects.get(pk=ext.pk), by=court_head, approve=True)
    assert ("待审批延期", ext.pk) not in _labels(court_head)
    assert not _open_notice(court_head, ext, "extension.decide").exists()


def test_the_list_costs_the_same_for_one_or_many(make_suggestion, court_clerk, court_head, agency_staff):
    make_suggestion(court_clerk, court_head)
    with CaptureQueriesContext(connection) as one:
        assert len(todo.items(agency_staff)) == 1
    for _ in range(4):
        make_suggestion(court_clerk, court_head)
    with CaptureQueriesContext(connection) as five:
        assert len(todo.items(agency_staff)) == 5
    assert len(five) == len(one)  # no query per row


def test_a_returned_reply_waits_for_its_author_until_resubmitted_or_withdrawn(
    make_suggestion, court_clerk, court_head, agency_staff, agency_head
):
    from liaison.models import User

    s = make_suggestion(court_clerk, court_head, received_on=dt.date.today(), receiver=agency_staff)
    colleague = User.objects.create_user(
        "agency_staff_2", password="x", institution=agency_staff.institution, role=agency_staff.role
    )
    reply = services.suggestion_reply(suggestion=s, by=agency_staff, measures="已完善送达程序。")
    # Awaiting sign-off, staff may still edit it, but it is not their to-do.
    assert ("待修改回复", reply.pk) not in _labels(agency_staff)

    services.reply_return(reply=reply, by=agency_head, reason="请写明整改完成时间。")
    assert ("待修改回复", reply.pk) in _labels(agency_staff)
    assert ("待修改回复", reply.pk) not in _labels(agency_head) and ("待签发回复", reply.pk) not in _labels(agency_head)
    assert ("待修改回复", reply.pk) not in _labels(colleague) and ("待修改回复", reply.pk) not in _labels(court_clerk)
    row = next(i for i in todo.items(agency_staff) if i.obj.pk == reply.pk)
    assert row.action_url == f"/suggestions/{s.uuid}/replies/{reply.uuid}/edit/" and row.due == s.reply_due
    assert _open_notice(agency_staff, reply, "reply.edit").count() == 1
    # The dashboard's row opens the edit page, which shows why it came back.
    from ._view_helpers import client_for

    assert "待修改回复" in client_for(agency_staff).get("/").content.decode()
    assert "请写明整改完成时间。" in client_for(agency_staff).get(row.action_url).content.decode()

    # Resubmitted: back to the head's 待签发回复; the author's row and notice are done with.
    services.reply_edit(reply=Reply.objects.get(pk=reply.pk), by=agency_staff, measures="已完善，1月底前完成。")
    assert ("待修改回复", reply.pk) not in _labels(agency_staff)
    assert ("待签发回复", reply.pk) in _labels(agency_head)
    assert not _open_notice(agency_staff, reply, "reply.edit").exists()

    # Returned again, then withdrawn: the row leaves too, and the round is open for a new reply.
    services.reply_return(reply=Reply.objects.get(pk=reply.pk), by=agency_head, reason="仍需补充。")
    assert ("待修改回复", reply.pk) in _labels(agency_staff)
    services.reply_withdraw(reply=Reply.objects.get(pk=reply.pk), by=agency_staff)
    assert ("待修改回复", reply.pk) not in _labels(agency_staff)
    assert not _open_notice(agency_staff, reply, "reply.edit").exists()
    assert ("待回复", s.pk) in _labels(agency_staff)
