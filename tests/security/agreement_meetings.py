"""Agreement subjects for meetings/ (see test_agreement.py): a meeting in every state, an
invitation pending, attending and excused, minutes in every state, a decision in every state.

A meeting's page and API offer the viewer's own invitation's and the minutes' actions too, so
each invitation subject is the only invitation of its meeting (another invitee's own
invitation would otherwise be offered on the same page under the same verb)."""

import datetime as dt

from django.utils import timezone

from meetings import services as ms
from meetings.models import Decision, Invitation, Meeting, MeetingKind, Minutes


def subjects(world):
    kind = MeetingKind.objects.get(code="zuotan")
    office = world["office"]
    office_head = world["office_head"]
    starts = timezone.now() + dt.timedelta(days=3)
    inst = {p: world[p].institution for p in ("agency_staff", "court_clerk", "gov_legal", "env_staff")}

    def proposed(by="court_clerk"):
        return ms.meeting_propose(by=world[by], kind=kind, title="协调一致测试会议", reasons="理由")

    def convened(invitees=("gov_legal",)):
        m = proposed()
        ms.agenda_add(meeting=m, by=office, title="议程")
        return ms.meeting_convene(
            meeting=m, by=office, starts_at=starts, location="会议室", invitees=[inst[p] for p in invitees]
        )

    def notified(invitees=("gov_legal",)):
        m = convened(invitees)
        ms.meeting_issue_notice(meeting=m, by=office_head)
        return Meeting.objects.get(pk=m.pk)

    def held():
        m = notified()
        return ms.meeting_hold(meeting=m, by=office, attendance=[{"institution": inst["gov_legal"], "name": "陆海燕"}])

    def decided():
        m = held()
        d = ms.decision_add(meeting=m, by=office, text="落实事项", owner=inst["env_staff"], period=20)
        return m, d

    out = [("proposed", proposed())]
    out.append(("declined", ms.meeting_decline(meeting=proposed(), by=office, reason="不予召集")))
    out.append(("convened", convened()))
    m = notified()
    out.append(("notified", m))
    out.append(("invitation pending", m.invitations.get()))
    for attending, name in ((True, "invitation attending"), (False, "invitation apology")):
        m = notified()
        inv = ms.invitation_respond(
            invitation=m.invitations.get(),
            by=world["gov_legal"],
            attending=attending,
            attendees="陆海燕 科长" if attending else "",
            apology_reason="" if attending else "另有公务",
        )
        out.append((name, Invitation.objects.get(pk=inv.pk)))
    out.append(("cancelled", ms.meeting_cancel(meeting=convened(), by=office, reason="取消")))

    # Held, a decision in draft and minutes being drafted.
    m, draft_decision = decided()
    out.append(("held", Meeting.objects.get(pk=m.pk)))
    out.append(("decision draft", draft_decision))
    out.append(("minutes draft", ms.minutes_draft(meeting=m, by=office)))
    m, _d = decided()
    minutes = ms.minutes_draft(meeting=m, by=office)
    out.append(("minutes circulated", ms.minutes_circulate(minutes=minutes, by=office)))
    m, _d = decided()
    minutes = ms.minutes_draft(meeting=m, by=office)
    out.append(("minutes pending", ms.minutes_submit(minutes=minutes, by=office)))

    # Minutes issued: the meeting is 纪要已印发 and its decisions are open on the owner's ledger.
    def issued():
        m, d = decided()
        minutes = ms.minutes_draft(meeting=m, by=office)
        ms.minutes_submit(minutes=minutes, by=office)
        minutes = ms.minutes_approve(minutes=minutes, by=office_head)
        return Meeting.objects.get(pk=m.pk), Minutes.objects.get(pk=minutes.pk), Decision.objects.get(pk=d.pk)

    m, minutes, d = issued()
    out += [("minuted", m), ("minutes issued", minutes), ("decision open", d)]
    _m, _mn, d = issued()
    d = ms.decision_report(decision=d, by=world["env_staff"], evidence="已落实")
    out.append(("decision reported", Decision.objects.get(pk=d.pk)))
    _m, _mn, d = issued()
    ms.decision_report(decision=d, by=world["env_staff"], evidence="已落实")
    ms.decision_confirm(decision=Decision.objects.get(pk=d.pk), by=office)
    out.append(("decision done", Decision.objects.get(pk=d.pk)))
    return out


ATTEMPT = {
    "meeting.convene": lambda u, m: ms.meeting_convene(
        meeting=m, by=u, starts_at=timezone.now() + dt.timedelta(days=3), location="会议室", invitees=[m.proposer]
    ),
    "meeting.decline": lambda u, m: ms.meeting_decline(meeting=m, by=u, reason="不予召集"),
    "meeting.agenda": lambda u, m: ms.agenda_add(meeting=m, by=u, title="新议程"),
    "meeting.issue_notice": lambda u, m: ms.meeting_issue_notice(meeting=m, by=u),
    "meeting.hold": lambda u, m: ms.meeting_hold(
        meeting=m, by=u, attendance=[{"institution": m.convener, "name": "张三"}]
    ),
    "meeting.decide": lambda u, m: ms.decision_add(meeting=m, by=u, text="新事项", owner=m.proposer, period=20),
    "meeting.draft_minutes": lambda u, m: ms.minutes_draft(meeting=m, by=u),
    "meeting.cancel": lambda u, m: ms.meeting_cancel(meeting=m, by=u, reason="取消"),
    "invitation.respond": lambda u, i: ms.invitation_respond(
        invitation=i, by=u, attending=False, apology_reason="另有公务"
    ),
    "minutes.edit": lambda u, mn: ms.minutes_update(minutes=mn, by=u, title="新标题"),
    "minutes.circulate": lambda u, mn: ms.minutes_circulate(minutes=mn, by=u),
    "minutes.comment": lambda u, mn: ms.minutes_comment(minutes=mn, by=u, text="意见"),
    "minutes.submit": lambda u, mn: ms.minutes_submit(minutes=mn, by=u),
    "minutes.approve": lambda u, mn: ms.minutes_approve(minutes=mn, by=u),
    "minutes.return": lambda u, mn: ms.minutes_return(minutes=mn, by=u, reason="请修改"),
    "decision.edit": lambda u, d: ms.decision_update(decision=d, by=u, text="改后的事项"),
    "decision.progress": lambda u, d: ms.decision_progress(decision=d, by=u, text="进展"),
    "decision.report": lambda u, d: ms.decision_report(decision=d, by=u, evidence="已落实"),
    "decision.confirm": lambda u, d: ms.decision_confirm(decision=d, by=u),
    "decision.return": lambda u, d: ms.decision_return(decision=d, by=u, reason="继续落实"),
}


def _meeting(obj) -> Meeting:
    return obj if isinstance(obj, Meeting) else obj.meeting


def page_url(obj):
    """A decision has its own page; invitations' and minutes' buttons are on their meeting's page."""
    if isinstance(obj, Decision):
        return f"/meetings/decisions/{obj.uuid}/"
    return f"/meetings/{_meeting(obj).uuid}/"


def api_url(obj):
    if isinstance(obj, Decision):
        return f"/api/v1/decisions/{obj.uuid}/"
    return f"/api/v1/meetings/{_meeting(obj).uuid}/"
