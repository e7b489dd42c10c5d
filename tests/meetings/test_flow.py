"""The meeting flow through the services: proposal to confirmed decision, with 403/404/409 refusals."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import access, workflow
from liaison.errors import Conflict
from liaison.models import AuditEntry, LedgerEntry, Letter, Notification
from meetings import services
from meetings.models import Decision, Invitation, Meeting, Minutes

from .conftest import soon

MS, DS = Meeting.Status, Decision.Status


def _visible(user, obj):
    return access.visible(type(obj).objects.filter(pk=obj.pk), user).exists()


def test_kinds_are_data_with_the_work_plans_defaults(kinds):
    assert {"leading_group", "sanzhang_annual", "sanzhang_major", "work_regular", "work_adhoc"} <= set(kinds)
    assert {"tongbao", "xietiao", "zuotan", "yanpan", "legal_review", "research", "law_class"} <= set(kinds)
    assert kinds["sanzhang_annual"].cadence == "annual" and kinds["sanzhang_annual"].office_only
    assert kinds["work_regular"].cadence == "quarterly"
    assert not kinds["xietiao"].office_only  # 各单位发起定向会商邀约 (五(三))


def test_proposal_goes_to_the_office_and_is_seen_by_proposer_and_office_only(walk, world):
    m = walk.proposed()
    assert m.status == MS.PROPOSED and m.convener.kind == "office"
    assert _visible(world["agency_staff"], m) and _visible(world["office"], m) and _visible(world["auditor"], m)
    assert not _visible(world["court_clerk"], m)  # proposed participant, but not yet invited
    assert not _visible(world["env_staff"], m)
    assert Notification.objects.filter(user=world["office"], kind="meeting.proposed").exists()


def test_only_the_office_proposes_the_annual_and_regular_meetings(world, kinds):
    with pytest.raises(ValidationError) as exc:
        services.meeting_propose(
            by=world["agency_staff"], kind=kinds["sanzhang_annual"], title="年度会议", reasons="总结"
        )
    assert "kind" in exc.value.message_dict
    services.meeting_propose(by=world["office"], kind=kinds["sanzhang_annual"], title="年度会议", reasons="总结")


def test_auditor_may_not_propose(world, kinds):
    with pytest.raises(PermissionDenied):
        services.meeting_propose(by=world["auditor"], kind=kinds["zuotan"], title="座谈", reasons="交流")


def test_decline_with_reason(walk, world):
    m = walk.proposed()
    with pytest.raises(PermissionDenied):
        services.meeting_decline(meeting=m, by=world["agency_staff"], reason="x")
    with pytest.raises(ValidationError):
        services.meeting_decline(meeting=m, by=world["office"], reason="  ")
    m = services.meeting_decline(meeting=m, by=world["office"], reason="已纳入季度联席会议议题。")
    assert m.status == MS.DECLINED
    with pytest.raises(Conflict):
        services.meeting_convene(meeting=m, by=world["office"], starts_at=soon(), location="x", invitees=[m.proposer])


def test_convene_drafts_the_numbered_notice_for_the_heads_sign_off(walk, world, city):
    m = walk.convened()
    assert m.status == MS.CONVENED
    letter = m.notice_letter
    assert letter.status == Letter.Status.PENDING and letter.series == Letter.Series.TONGZHI
    assert letter.issuer == m.convener and {i.pk for i in letter.addressees()} == {
        city["agency"].pk,
        city["court"].pk,
        city["proc"].pk,
    }
    assert "市中院第三会议室" in letter.body and "通报涉占道经营案件情况" in letter.body
    # invitees do not see the meeting before the notice is issued
    assert not _visible(world["court_clerk"], m)
    with pytest.raises(PermissionDenied):
        services.meeting_issue_notice(meeting=m, by=world["office"])  # staff, not the head
    with pytest.raises(PermissionDenied):
        services.meeting_issue_notice(meeting=m, by=world["court_head"])  # a head, not the convener's
    m = services.meeting_issue_notice(meeting=m, by=world["office_head"])
    m.notice_letter.refresh_from_db()
    assert m.status == MS.NOTIFIED
    assert m.notice_letter.doc_number.startswith("柳联办通知〔")
    assert _visible(world["court_clerk"], m) and _visible(world["proc_staff"], m)
    assert not _visible(world["env_staff"], m)
    assert Notification.objects.filter(user=world["court_clerk"], kind="meeting.notice").exists()
    with pytest.raises(Conflict):
        services.meeting_issue_notice(meeting=m, by=world["office_head"])


def test_notice_issued_on_the_letter_page_moves_the_meeting_too(walk, world):
    from liaison import services as hub

    m = walk.convened()
    hub.letter_issue(letter=m.notice_letter, by=world["office_head"])
    m.refresh_from_db()
    assert m.status == MS.NOTIFIED


def test_convene_refuses_bad_input_and_saves_nothing(walk, world):
    m = walk.proposed()
    past = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.meeting_convene(meeting=m, by=world["office"], starts_at=past, location="x", invitees=[m.proposer])
    assert "starts_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.meeting_convene(meeting=m, by=world["office"], starts_at=soon(), location="x", invitees=[])
    assert "invitees" in exc.value.message_dict
    m.refresh_from_db()
    assert m.status == MS.PROPOSED and not m.invitations.exists() and m.notice_letter_id is None


def test_responses_attendees_or_apology(walk, world, city):
    m = walk.responded()
    inv = {i.institution_id: i for i in m.invitations.all()}
    assert inv[city["court"].pk].status == Invitation.Status.ATTENDING
    assert inv[city["proc"].pk].status == Invitation.Status.APOLOGY
    with pytest.raises(PermissionDenied):  # another institution's invitation
        services.invitation_respond(
            invitation=inv[city["court"].pk], by=world["agency_staff"], attending=True, attendees="x"
        )
    with pytest.raises(ValidationError):
        services.invitation_respond(invitation=inv[city["court"].pk], by=world["court_clerk"], attending=False)
    # a reply may change until the meeting is held
    services.invitation_respond(
        invitation=inv[city["proc"].pk], by=world["proc_staff"], attending=True, attendees="莫丽娟 检察官"
    )
    rows = services.attendance_prefill(m)
    assert [(r["institution"].pk, r["name"]) for r in rows] == [
        (city["agency"].pk, "覃文斌"),
        (city["court"].pk, "黄立明"),
        (city["court"].pk, "梁振华"),
        (city["proc"].pk, "莫丽娟"),
    ]


def test_reply_before_the_notice_is_a_conflict(walk, world, city):
    m = walk.convened()
    inv = m.invitations.get(institution=city["court"])
    with pytest.raises(Conflict):
        services.invitation_respond(invitation=inv, by=world["court_clerk"], attending=True, attendees="x")


def test_hold_records_attendance(walk, world, city):
    m = walk.responded()
    with pytest.raises(ValidationError):
        services.meeting_hold(meeting=m, by=world["office"], attendance=[])
    with pytest.raises(ValidationError):
        services.meeting_hold(
            meeting=m, by=world["office"], attendance=[{"institution": city["env"], "name": "廖静", "present": True}]
        )
    with pytest.raises(PermissionDenied):
        services.meeting_hold(meeting=m, by=world["court_clerk"], attendance=services.attendance_prefill(m))
    m = services.meeting_hold(meeting=m, by=world["office"], attendance=services.attendance_prefill(m))
    assert m.status == MS.HELD and m.attendance.filter(present=True).count() == 3


def test_decision_due_date_follows_the_calendar(walk, world, city):
    m = walk.held()
    # 2026-10-01 is 国庆节: a due date on it moves to the next working day
    d = services.decision_add(meeting=m, by=world["office"], text="x", owner=city["agency"], period=10)
    assert d.due_date >= m.held_on + dt.timedelta(days=10)
    assert "会议召开" in d.due_explained
    with pytest.raises(ValidationError):
        services.decision_add(meeting=m, by=world["office"], text="x", owner=city["agency"], due_date=m.held_on)
    with pytest.raises(ValidationError):
        services.decision_add(meeting=m, by=world["office"], text="x", owner=None)
    with pytest.raises(PermissionDenied):
        services.decision_add(meeting=m, by=world["agency_staff"], text="x", owner=city["agency"])


def test_decision_due_on_a_holiday_rolls_forward(walk, world, city):
    m = walk.held()
    Meeting.objects.filter(pk=m.pk).update(held_on=dt.date(2026, 9, 20))
    m.refresh_from_db()
    d = services.decision_add(
        meeting=m, by=world["office"], text="x", owner=city["agency"], due_date=dt.date(2026, 10, 1)
    )
    assert d.due_date == dt.date(2026, 10, 8) and "→ 2026-10-08" in d.due_explained  # 国庆 1–7 Oct


def test_minutes_prefilled_circulated_approved_issued_and_decisions_on_the_ledger(walk, world, city):
    m = walk.decided()
    mn = services.minutes_draft(meeting=m, by=world["office"])
    for words in (
        "通报涉占道经营案件情况",
        "黄立明 书记员",
        "请假",
        "同日有庭审任务",
        "市城管局牵头制定占道经营执法指引",
    ):
        assert words in mn.body
    with pytest.raises(Conflict):
        services.minutes_draft(meeting=m, by=world["office"])
    assert not _visible(world["court_clerk"], mn)  # a draft stays with the office
    services.minutes_circulate(minutes=mn, by=world["office"])
    assert _visible(world["court_clerk"], mn)
    with pytest.raises(PermissionDenied):
        services.minutes_comment(minutes=mn, by=world["env_staff"], text="x")
    services.minutes_comment(minutes=mn, by=world["court_clerk"], text="请补充报送要求。")
    assert mn.comments.get().institution == city["court"]
    with pytest.raises(Conflict):  # the head approves only what the office submitted
        services.minutes_approve(minutes=mn, by=world["office_head"])
    services.minutes_update(minutes=mn, by=world["office"], body=mn.body + "\n指引完成后报送市中院。")
    services.minutes_submit(minutes=mn, by=world["office"])
    mn = services.minutes_approve(minutes=mn, by=world["office_head"])
    letter = mn.letter
    assert letter.status == Letter.Status.ISSUED and "指引完成后报送市中院。" in letter.body
    assert {i.pk for i in letter.addressees()} == {city["agency"].pk, city["court"].pk, city["proc"].pk}
    with pytest.raises(Conflict):
        services.minutes_comment(minutes=mn, by=world["court_clerk"], text="晚了")


def test_minutes_approval_needs_submission_then_the_convener_head(walk, world, city):
    m = walk.decided()
    mn = services.minutes_draft(meeting=m, by=world["office"])
    with pytest.raises(Conflict):
        services.minutes_approve(minutes=mn, by=world["office_head"])
    services.minutes_submit(minutes=mn, by=world["office"])
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=mn, by=world["office"])
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=mn, by=world["court_head"])
    with pytest.raises(Conflict):  # decisions are frozen once the minutes go to the head
        services.decision_add(meeting=m, by=world["office"], text="y", owner=city["agency"])
    services.minutes_return(minutes=mn, by=world["office_head"], reason="请补充出席人员职务。")
    mn.refresh_from_db()
    assert mn.status == Minutes.Status.DRAFT
    services.minutes_submit(minutes=mn, by=world["office"])
    mn = services.minutes_approve(minutes=mn, by=world["office_head"])
    assert mn.status == Minutes.Status.ISSUED
    assert mn.letter.series == Letter.Series.JIYAO and mn.letter.doc_number.startswith("柳联办纪〔")
    m.refresh_from_db()
    assert m.status == MS.MINUTED


def test_decision_lands_on_the_owners_ledger_and_closes_only_with_office_confirmation(walk, world, city):
    m = walk.minuted()
    d = walk.decision
    assert d.status == DS.OPEN
    entry = d.ledger_entry
    assert entry.owner == city["agency"] and entry.source == d and entry.due_date == d.due_date
    assert entry.status == LedgerEntry.Status.OPEN
    assert Notification.objects.filter(user=world["agency_staff"], kind="decision.assigned").exists()
    # the owner sees the decision; an institution with no part in it does not
    assert _visible(world["agency_staff"], d) and not _visible(world["env_staff"], d)
    services.decision_progress(decision=d, by=world["agency_staff"], text="已起草指引初稿。")
    with pytest.raises(PermissionDenied):
        services.decision_report(decision=d, by=world["court_clerk"], evidence="x")
    with pytest.raises(Conflict):
        services.decision_confirm(decision=d, by=world["office"])
    services.decision_report(decision=d, by=world["agency_staff"], evidence="指引已印发（柳城管发〔2026〕3号）。")
    d.refresh_from_db()
    assert d.status == DS.REPORTED
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN  # still open until the office confirms
    services.decision_return(decision=d, by=world["office"], reason="请附指引文本。")
    d.refresh_from_db()
    assert d.status == DS.OPEN
    services.decision_report(decision=d, by=world["agency_staff"], evidence="指引文本见附件。")
    with pytest.raises(PermissionDenied):
        services.decision_confirm(decision=d, by=world["agency_head"])
    services.decision_confirm(decision=d, by=world["office"])
    d.refresh_from_db()
    entry.refresh_from_db()
    assert d.status == DS.DONE and entry.status == LedgerEntry.Status.DONE and entry.evidence == "指引文本见附件。"
    assert list(
        AuditEntry.objects.filter(action__startswith="decision.", target_id=d.pk).values_list("action", flat=True)
    )[::-1] == [
        "decision.add",
        "decision.open",
        "decision.progress",
        "decision.report",
        "decision.return",
        "decision.report",
        "decision.confirm",
    ]
    assert m.minutes.letter.cc() == [] or city["agency"] not in m.minutes.letter.cc()


def test_decision_owner_not_invited_sees_the_decision_not_the_meeting(walk, world, city):
    m = walk.held()
    d = services.decision_add(meeting=m, by=world["office"], text="市生态环境局配合", owner=city["env"], period=20)
    assert not _visible(world["env_staff"], d)  # before the minutes are issued
    mn = services.minutes_draft(meeting=m, by=world["office"])
    services.minutes_submit(minutes=mn, by=world["office"])
    mn = services.minutes_approve(minutes=mn, by=world["office_head"])
    assert city["env"] in mn.letter.cc()
    d.refresh_from_db()
    assert _visible(world["env_staff"], d) and not _visible(world["env_staff"], m)


def test_buttons_follow_the_table(walk, world):
    m = walk.notified()
    assert [t.verb for t in workflow.available(world["office"], m)] == [
        "meeting.agenda",
        "meeting.hold",
        "meeting.cancel",
    ]
    assert workflow.available(world["court_clerk"], m) == []
    inv = m.invitations.get(institution=world["court_clerk"].institution)
    assert workflow.api_actions(world["court_clerk"], inv) == ["respond"]


def test_cancel_after_notice_tells_the_invitees(walk, world):
    m = walk.notified()
    services.meeting_cancel(meeting=m, by=world["office"], reason="因故延期。")
    m.refresh_from_db()
    assert m.status == MS.CANCELLED
    assert Notification.objects.filter(user=world["proc_staff"], kind="meeting.cancelled").exists()
    with pytest.raises(Conflict):
        services.meeting_hold(meeting=m, by=world["office"], attendance=[])
