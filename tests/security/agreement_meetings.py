"""Agreement subjects for meetings/ (see test_agreement.py): a meeting in every state, an
invitation pending, attending and excused, minutes in every state, a decision in every state;
a legal review, its invitations and opinions, research, milestones and classes in every state.

A meeting's page and API offer the viewer's own invitation's and the minutes' actions too, so
each invitation subject is the only invitation of its meeting (another invitee's own
invitation would otherwise be offered on the same page under the same verb)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import research as rs
from meetings import reviews as rv
from meetings import services as ms
from meetings.models import (
    Decision,
    Invitation,
    LawClass,
    LegalReview,
    Meeting,
    MeetingKind,
    Milestone,
    Minutes,
    Research,
    ReviewInvitation,
    ReviewOpinion,
)


def subjects(world):
    return [*meeting_subjects(world), *review_subjects(world), *research_subjects(world)]


def meeting_subjects(world):
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


# ----------------------------------------------------------------------------- legal reviews, research, classes
# Their pages and APIs: a review's page shows the review's buttons, the viewer's own invitation's and
# each shown opinion's (each button names its record); an invitation and an opinion have their own
# detail API. Every opinion subject is returned (an unreturned one is its invitee's alone, while its
# review's page is the drafter's too).


def _pdf(name="草案.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", "application/pdf")


def review_subjects(world):
    gov, gov_head = world["gov_legal"], world["gov_head"]
    court, proc = world["court_clerk"], world["proc_staff"]

    def created(draft=True):
        return rv.review_create(
            by=gov,
            subject="normative",
            title="协调一致测试办法",
            summary="起草说明",
            invitees=[court.institution, proc.institution],
            draft=_pdf() if draft else None,
        )

    def invited():
        r = created()
        rv.review_invite(review=r, by=gov_head)
        return r, {i.institution_id: i for i in r.invitations.all()}

    def answered(by, inv, *texts):
        ops = [rv.opinion_add(invitation=inv, by=by, text=t, clause="第一条") for t in texts]
        rv.invitation_return(invitation=inv, by=by)
        return ops

    out = [("review draft", LegalReview.objects.get(pk=created(draft=False).pk))]
    # invited: the court returned two opinions (one answered), the procuratorate has one not yet returned
    r, inv = invited()
    undecided, adopted = answered(court, inv[court.institution_id], "意见一", "意见二")
    rv.opinion_decide(opinion=adopted, by=gov, adoption="adopted")
    rv.opinion_add(invitation=inv[proc.institution_id], by=proc, text="尚未反馈的意见")
    out += [
        ("review invited", LegalReview.objects.get(pk=r.pk)),
        ("review invitation pending", ReviewInvitation.objects.get(pk=inv[proc.institution_id].pk)),
        ("review invitation returned", ReviewInvitation.objects.get(pk=inv[court.institution_id].pk)),
        ("opinion undecided", ReviewOpinion.objects.get(pk=undecided.pk)),
        ("opinion adopted", ReviewOpinion.objects.get(pk=adopted.pk)),
    ]

    def concluded():
        r, inv = invited()
        (partly,) = answered(court, inv[court.institution_id], "部分采纳的意见")
        (rejected,) = answered(proc, inv[proc.institution_id], "不采纳的意见")
        rv.opinion_decide(opinion=partly, by=gov, adoption="partly", reason="部分合理")
        rv.opinion_decide(opinion=rejected, by=gov, adoption="rejected", reason="另有规定")
        return rv.review_conclude(review=r, by=gov), partly, rejected

    r, partly, rejected = concluded()
    out += [
        ("review concluded", LegalReview.objects.get(pk=r.pk)),
        ("opinion partly", ReviewOpinion.objects.get(pk=partly.pk)),
        ("opinion rejected", ReviewOpinion.objects.get(pk=rejected.pk)),
    ]
    r, _p, _r = concluded()
    rv.review_issue(review=r, by=gov_head)
    out.append(("review issued", LegalReview.objects.get(pk=r.pk)))
    return out


def research_subjects(world):
    court = world["court_clerk"]
    today = timezone.localdate()

    def planned():
        r = rs.research_create(by=court, topic="land", title="协调一致测试调研", purpose="目的")
        for persona, name in (("court_clerk", "黄立明"), ("proc_staff", "莫丽娟"), ("agency_staff", "覃文斌")):
            rs.research_member_add(research=r, by=court, institution=world[persona].institution, name=name)
        return r

    def active():
        r = planned()
        m = rs.research_milestone_add(research=r, by=court, title="实地走访", due_date=today)
        return rs.research_start(research=r, by=court), m

    def reported():
        r, _m = active()
        return rs.research_report(research=r, by=court, title="调研报告", body="正文")

    out = [("research planning", Research.objects.get(pk=planned().pk))]
    r, open_milestone = active()
    done = rs.milestone_complete(
        milestone=rs.research_milestone_add(research=r, by=court, title="形成初稿", due_date=today), by=court
    )
    out += [
        ("research active", Research.objects.get(pk=r.pk)),
        ("milestone open", Milestone.objects.get(pk=open_milestone.pk)),
        ("milestone done", Milestone.objects.get(pk=done.pk)),
        ("research reported", Research.objects.get(pk=reported().pk)),
    ]
    r = rs.research_issue(research=reported(), by=world["court_head"])
    out.append(("research issued", Research.objects.get(pk=r.pk)))

    justice = world["justice_legal"]

    def planned_class():
        c = rs.class_create(
            by=justice,
            title="协调一致测试课堂",
            starts_at=timezone.now() - dt.timedelta(hours=1),
            location="会议室",
            audience=[world["agency_staff"].institution],
        )
        rs.lecturer_add(law_class=c, by=justice, institution=court.institution, name="梁振华")
        return c

    out.append(("class planned", LawClass.objects.get(pk=planned_class().pk)))
    c = planned_class()
    short = world["agency_staff"].institution.short_name
    rs.class_hold(law_class=c, by=justice, attendance=f"{short} 12", held_on=today)
    out.append(("class held", LawClass.objects.get(pk=c.pk)))
    c = rs.class_cancel(law_class=planned_class(), by=justice, reason="改期")
    out.append(("class cancelled", LawClass.objects.get(pk=c.pk)))
    return out


ATTEMPT.update(
    {
        "legal_review.attach": lambda u, r: rv.review_attach(review=r, by=u, upload=_pdf()),
        "legal_review.invite": lambda u, r: rv.review_invite(review=r, by=u),
        "legal_review.conclude": lambda u, r: rv.review_conclude(review=r, by=u),
        "legal_review.issue": lambda u, r: rv.review_issue(review=r, by=u),
        "review_invitation.opine": lambda u, i: rv.opinion_add(invitation=i, by=u, text="意见"),
        # no general opinion: "return" is offered once the invitee has an opinion (has_opinions)
        "review_invitation.return": lambda u, i: rv.invitation_return(invitation=i, by=u),
        "review_opinion.decide": lambda u, o: rv.opinion_decide(opinion=o, by=u, adoption="adopted"),
        "research.member": lambda u, r: rs.research_member_add(research=r, by=u, institution=r.lead, name="张三"),
        "research.milestone": lambda u, r: rs.research_milestone_add(
            research=r, by=u, title="新节点", due_date=timezone.localdate()
        ),
        "research.start": lambda u, r: rs.research_start(research=r, by=u),
        "research.report": lambda u, r: rs.research_report(research=r, by=u, title="报告", body="正文"),
        "research.issue": lambda u, r: rs.research_issue(research=r, by=u),
        "milestone.complete": lambda u, m: rs.milestone_complete(milestone=m, by=u),
        "law_class.lecturer": lambda u, c: rs.lecturer_add(law_class=c, by=u, institution=c.organizer, name="张三"),
        "law_class.material": lambda u, c: rs.material_add(law_class=c, by=u, upload=_pdf("讲义.pdf")),
        "law_class.hold": lambda u, c: rs.class_hold(
            law_class=c,
            by=u,
            attendance=f"{c.audience.first().short_name} 10",
            held_on=timezone.localdate(),
        ),
        "law_class.cancel": lambda u, c: rs.class_cancel(law_class=c, by=u, reason="改期"),
    }
)


def _meeting(obj) -> Meeting:
    return obj if isinstance(obj, Meeting) else obj.meeting


def urls(obj) -> tuple[str, str]:
    """(page, detail API) of a subject. Invitations' and minutes' buttons are on their meeting's page
    and in its API; a review invitation, an opinion and a milestone have an API of their own, and
    their buttons are on their review's or research's page."""
    if isinstance(obj, Decision):
        return f"/meetings/decisions/{obj.uuid}/", f"/api/v1/decisions/{obj.uuid}/"
    if isinstance(obj, LegalReview):
        return f"/meetings/reviews/{obj.uuid}/", f"/api/v1/legal-reviews/{obj.uuid}/"
    if isinstance(obj, ReviewInvitation):
        return f"/meetings/reviews/{obj.review.uuid}/", f"/api/v1/review-invitations/{obj.uuid}/"
    if isinstance(obj, ReviewOpinion):
        return f"/meetings/reviews/{obj.invitation.review.uuid}/", f"/api/v1/review-opinions/{obj.uuid}/"
    if isinstance(obj, Research):
        return f"/meetings/research/{obj.uuid}/", f"/api/v1/research/{obj.uuid}/"
    if isinstance(obj, Milestone):
        return f"/meetings/research/{obj.research.uuid}/", f"/api/v1/research-milestones/{obj.uuid}/"
    if isinstance(obj, LawClass):
        return f"/meetings/classes/{obj.uuid}/", f"/api/v1/law-classes/{obj.uuid}/"
    m = _meeting(obj)
    return f"/meetings/{m.uuid}/", f"/api/v1/meetings/{m.uuid}/"


def page_url(obj):
    return urls(obj)[0]


def api_url(obj):
    return urls(obj)[1]
