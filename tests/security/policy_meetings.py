"""Cross-tenant matrix rows of meetings/ (联席会议, 纪要, 议定事项). See policy.py."""

from django.utils import timezone

from . import scenario
from .policy import ACTING, AGENCY, COURT, GOV, OFFICE, PERSONAS, PROC
from .rows import API, EXPORT, LIST, Row, create, on, uuid_of

VISIBLE = {
    # meetings: the proposer and the office; once the notice is issued, the invitees
    "meeting_proposed": {"env_staff"} | OFFICE,
    "meeting_notified": AGENCY | COURT | PROC | OFFICE,
    "invitation_court": AGENCY | COURT | PROC | OFFICE,
    "meeting_minuted": COURT | GOV | OFFICE,
    "minutes_circulated": COURT | GOV | OFFICE,
    "meeting_closed": COURT | GOV | OFFICE,
    # a decision: whoever sees its meeting, and its owner (an agency not invited) and the owner's superior
    "decision_env": COURT | GOV | OFFICE | {"env_staff"},
    "kind_zuotan": set(PERSONAS),  # the kinds are reference data every signed-in user reads
    # legal reviews (论证): the drafting government and the office; once the invitation letter is
    # issued, the invited court and procuratorate (a returned opinion: every one of them)
    "lreview_draft": GOV | OFFICE,
    "lreview_invited": GOV | COURT | PROC | OFFICE,
    "lreview_inv_court": GOV | COURT | PROC | OFFICE,
    "lreview_inv_proc": GOV | COURT | PROC | OFFICE,
    "lreview_opinion": GOV | COURT | PROC | OFFICE,
    # joint research: the lead (the court), the members' institutions, the government its report
    # goes to and the office; a class: the organiser (司法局), its audience and lecturers, the office
    "research": COURT | PROC | AGENCY | GOV | OFFICE,
    "milestone": COURT | PROC | AGENCY | GOV | OFFICE,
    "law_class": {"justice_legal"} | AGENCY | COURT | OFFICE,
    "class_material": {"justice_legal"} | AGENCY | COURT | OFFICE,
}

ALLOWED = {
    # meetings: anyone acting proposes; the city office convenes and keeps the minutes; the
    # convener's head (the office head, not a matrix persona) signs notices and minutes off
    "meeting.propose": {"*": ACTING},
    "meeting.office": {"*": {"office"}},
    "meeting.head": {"*": set()},
    "invitation.respond": {
        "invitation_court": COURT,
        "meeting_notified": AGENCY | COURT | PROC,
        "meeting_minuted": GOV,
        "meeting_closed": GOV,
    },
    # the API's minutes actions on a meeting without minutes: the office gets 409, others 403
    "minutes.office": {"*": {"office"}},
    "minutes.comment": {
        "minutes_circulated": COURT | GOV,
        "meeting_minuted": COURT | GOV,
        "meeting_closed": COURT | GOV,
        "meeting_notified": AGENCY | COURT | PROC,  # participants: 409 (no minutes yet)
    },
    "decision.office": {"*": {"office"}},
    "decision.progress": {"decision_env": {"env_staff", "office"}},
    "decision.report": {"decision_env": {"env_staff"}},
    # legal reviews: the government side drafts (government and its agencies); the drafting
    # institution's staff act on the review, its head signs the letters; each invitee answers for itself
    "legal_review.create": {"*": GOV | AGENCY | {"env_staff", "justice_legal", "county_gov_legal"}},
    "legal_review.drafter": {"*": GOV},
    "legal_review.head": {"*": {"gov_head"}},
    "legal_review.table": {"*": GOV | {"office", "auditor"}},
    "review_invitation.respond": {"lreview_inv_court": COURT, "lreview_inv_proc": PROC},
    # research and classes: anyone acting starts one; the lead's (organiser's) staff act on it, the
    # lead's head signs the report
    "research.create": {"*": ACTING},
    "research.lead": {"*": COURT},
    "research.head": {"*": {"court_head"}},
    "law_class.organizer": {"*": {"justice_legal"}},
}

MEETINGS = ("meeting_proposed", "meeting_notified", "meeting_minuted")
LREVIEWS = ("lreview_draft", "lreview_invited")
LREVIEW_INVITATIONS = ("lreview_inv_court", "lreview_inv_proc")
MEETING_OFFICE_PAGES = ("convene", "decline", "agenda", "hold", "decide", "draft_minutes", "cancel")


def kind_code(record):
    return {"code": "zuotan"}


WEB_ROUTES: dict[str, Row] = {
    "meetings:index": LIST,
    "meetings:propose": create("meeting.propose"),
    "meetings:calendar": LIST,
    "meetings:feed": Row(methods=("GET", "POST")),
    "meetings:ical": Row(
        skip="a secret-token feed without login: tests/meetings/test_views.py (visible meetings only, revoked 404)"
    ),
    "meetings:decisions": LIST,
    "meetings:decisions_bulk": Row(methods=("POST",), verb="decision.office"),
    "meetings:decision_detail": Row(targets=("decision_env",), kwargs=uuid_of),
    "meetings:detail": Row(targets=MEETINGS + ("meeting_closed",), kwargs=uuid_of),
    **{f"meetings:{name}": on("meeting.office", MEETINGS) for name in MEETING_OFFICE_PAGES},
    "meetings:issue_notice": on("meeting.head", MEETINGS),
    "meetings:respond": on("invitation.respond", ("invitation_court",)),
    **{
        f"meetings:minutes_{name}": on("minutes.office", ("minutes_circulated",))
        for name in ("edit", "circulate", "submit")
    },
    "meetings:minutes_comment": on("minutes.comment", ("minutes_circulated",)),
    **{f"meetings:minutes_{name}": on("meeting.head", ("minutes_circulated",)) for name in ("approve", "return")},
    **{f"meetings:decision_{name}": on("decision.office", ("decision_env",)) for name in ("edit", "confirm", "return")},
    "meetings:decision_progress": on("decision.progress", ("decision_env",)),
    "meetings:decision_report": on("decision.report", ("decision_env",)),
    "meetings:reviews": LIST,
    "meetings:review_create": create("legal_review.create"),
    "meetings:review_detail": Row(targets=LREVIEWS, kwargs=uuid_of),
    "meetings:review_table": Row(targets=LREVIEWS, kwargs=uuid_of, get_verb="legal_review.table"),
    "meetings:review_attach": on("legal_review.drafter", LREVIEWS),
    "meetings:review_conclude": on("legal_review.drafter", LREVIEWS),
    **{f"meetings:review_{name}": on("legal_review.head", LREVIEWS) for name in ("invite", "issue")},
    **{f"meetings:review_{name}": on("review_invitation.respond", LREVIEW_INVITATIONS) for name in ("opine", "return")},
    "meetings:review_decide": on("legal_review.drafter", ("lreview_opinion",)),
    "meetings:research": LIST,
    "meetings:research_create": create("research.create"),
    "meetings:research_detail": Row(targets=("research",), kwargs=uuid_of),
    **{
        f"meetings:research_{n}": on("research.lead", ("research",)) for n in ("member", "milestone", "start", "report")
    },
    "meetings:research_issue": on("research.head", ("research",)),
    "meetings:milestone_complete": on("research.lead", ("milestone",)),
    "meetings:progress": LIST,
    "meetings:progress_pdf": LIST,
    "meetings:classes": LIST,
    "meetings:class_create": create("research.create"),
    "meetings:class_detail": Row(targets=("law_class",), kwargs=uuid_of),
    **{
        f"meetings:class_{n}": on("law_class.organizer", ("law_class",))
        for n in ("lecturer", "material", "hold", "cancel")
    },
    "meetings:class_material_download": Row(targets=("class_material",), kwargs=uuid_of),
}

API_ROUTES: dict[tuple[str, str], Row] = {
    ("GET", API + "meeting-kinds/"): LIST,
    ("GET", API + "meeting-kinds/{code}/"): Row(targets=("kind_zuotan",), kwargs=kind_code),
    ("GET", API + "meetings/"): LIST,
    ("POST", API + "meetings/"): Row(verb="meeting.propose"),
    ("GET", API + "meetings/export/"): EXPORT,
    ("GET", API + "meetings/{uuid}/"): Row(targets=MEETINGS + ("meeting_closed",), kwargs=uuid_of),
    **{
        ("POST", API + f"meetings/{{uuid}}/{name}/"): on("meeting.office", MEETINGS, methods=("POST",))
        for name in ("convene", "decline", "agenda", "hold", "decide", "draft-minutes", "cancel")
    },
    ("POST", API + "meetings/{uuid}/issue-notice/"): on("meeting.head", MEETINGS, methods=("POST",)),
    ("POST", API + "meetings/{uuid}/respond/"): on(
        "invitation.respond", ("meeting_proposed", "meeting_notified", "meeting_minuted"), methods=("POST",)
    ),
    **{
        ("POST", API + f"meetings/{{uuid}}/{name}-minutes/"): on("minutes.office", MEETINGS, methods=("POST",))
        for name in ("edit", "circulate", "submit")
    },
    ("POST", API + "meetings/{uuid}/comment-minutes/"): on(
        "minutes.comment", ("meeting_notified", "meeting_minuted"), methods=("POST",)
    ),
    **{
        ("POST", API + f"meetings/{{uuid}}/{name}-minutes/"): on("meeting.head", MEETINGS, methods=("POST",))
        for name in ("approve", "return")
    },
    ("GET", API + "decisions/"): LIST,
    ("GET", API + "decisions/export/"): EXPORT,
    ("POST", API + "decisions/bulk-progress/"): Row(verb="decision.office"),
    ("GET", API + "decisions/{uuid}/"): Row(targets=("decision_env",), kwargs=uuid_of),
    **{
        ("POST", API + f"decisions/{{uuid}}/{name}/"): on("decision.office", ("decision_env",), methods=("POST",))
        for name in ("edit", "confirm", "return")
    },
    ("POST", API + "decisions/{uuid}/progress/"): on("decision.progress", ("decision_env",), methods=("POST",)),
    ("POST", API + "decisions/{uuid}/report/"): on("decision.report", ("decision_env",), methods=("POST",)),
    # legal reviews (论证): the review, each invitee's invitation and each opinion are records of their own
    ("GET", API + "legal-reviews/"): LIST,
    ("GET", API + "legal-reviews/export/"): EXPORT,
    ("POST", API + "legal-reviews/"): Row(verb="legal_review.create"),
    ("GET", API + "legal-reviews/{uuid}/"): Row(targets=LREVIEWS, kwargs=uuid_of),
    **{
        ("POST", API + f"legal-reviews/{{uuid}}/{name}/"): on("legal_review.drafter", LREVIEWS, methods=("POST",))
        for name in ("attach", "conclude")
    },
    **{
        ("POST", API + f"legal-reviews/{{uuid}}/{name}/"): on("legal_review.head", LREVIEWS, methods=("POST",))
        for name in ("invite", "issue")
    },
    ("GET", API + "review-invitations/{uuid}/"): Row(targets=LREVIEW_INVITATIONS, kwargs=uuid_of),
    **{
        ("POST", API + f"review-invitations/{{uuid}}/{name}/"): on(
            "review_invitation.respond", LREVIEW_INVITATIONS, methods=("POST",)
        )
        for name in ("opine", "return-opinions")
    },
    ("GET", API + "review-opinions/{uuid}/"): Row(targets=("lreview_opinion",), kwargs=uuid_of),
    ("POST", API + "review-opinions/{uuid}/decide/"): on(
        "legal_review.drafter", ("lreview_opinion",), methods=("POST",)
    ),
    # joint research and its milestones
    ("GET", API + "research/"): LIST,
    ("GET", API + "research/export/"): EXPORT,
    ("POST", API + "research/"): Row(verb="research.create"),
    ("GET", API + "research/{uuid}/"): Row(targets=("research",), kwargs=uuid_of),
    **{
        ("POST", API + f"research/{{uuid}}/{name}/"): on("research.lead", ("research",), methods=("POST",))
        for name in ("member", "milestone", "start", "report")
    },
    ("POST", API + "research/{uuid}/issue/"): on("research.head", ("research",), methods=("POST",)),
    ("GET", API + "research-milestones/{uuid}/"): Row(targets=("milestone",), kwargs=uuid_of),
    ("POST", API + "research-milestones/{uuid}/complete/"): on("research.lead", ("milestone",), methods=("POST",)),
    # rule-of-law classes (anyone acting arranges one, like research: the same right)
    ("GET", API + "law-classes/"): LIST,
    ("GET", API + "law-classes/export/"): EXPORT,
    ("POST", API + "law-classes/"): Row(verb="research.create"),
    ("GET", API + "law-classes/{uuid}/"): Row(targets=("law_class",), kwargs=uuid_of),
    **{
        ("POST", API + f"law-classes/{{uuid}}/{name}/"): on("law_class.organizer", ("law_class",), methods=("POST",))
        for name in ("lecturer", "material", "hold", "cancel")
    },
}


def records(world) -> dict:
    """A proposal only its proposer and the office see; a notified 协调会 with invitees; a
    座谈会 whose minutes are issued, with a decision owned by an agency that was not invited."""
    import datetime as dt

    from meetings import services as ms
    from meetings.models import MeetingKind

    kinds = {k.code: k for k in MeetingKind.objects.all()}
    inst = {u: world[u].institution for u in ("agency_staff", "court_clerk", "proc_staff", "gov_legal", "env_staff")}
    start = timezone.now() + dt.timedelta(days=3)
    objs = {}

    mark = scenario.canary(inst["env_staff"])
    proposed = ms.meeting_propose(
        by=world["env_staff"], kind=kinds["zuotan"], title=f"提议{mark}", reasons=f"理由{mark}"
    )
    objs["meeting_proposed"] = (proposed, mark)

    mark = scenario.canary(inst["agency_staff"])
    m = ms.meeting_propose(by=world["agency_staff"], kind=kinds["xietiao"], title=f"协调{mark}", reasons=f"理由{mark}")
    ms.agenda_add(meeting=m, by=world["office"], title=f"议程{mark}")
    ms.meeting_convene(
        meeting=m,
        by=world["office"],
        starts_at=start,
        location=f"地点{mark}",
        invitees=[inst["agency_staff"], inst["court_clerk"], inst["proc_staff"]],
    )
    ms.meeting_issue_notice(meeting=m, by=world["office_head"])
    objs["meeting_notified"] = (m, mark)
    objs["invitation_court"] = (m.invitations.get(institution=inst["court_clerk"]), mark)

    mark = scenario.canary(inst["court_clerk"])
    m = ms.meeting_propose(by=world["court_clerk"], kind=kinds["zuotan"], title=f"座谈{mark}", reasons=f"理由{mark}")
    ms.meeting_convene(
        meeting=m, by=world["office"], starts_at=start, location=f"地点{mark}", invitees=[inst["gov_legal"]]
    )
    ms.meeting_issue_notice(meeting=m, by=world["office_head"])
    inv = m.invitations.get()
    ms.invitation_respond(invitation=inv, by=world["gov_legal"], attending=True, attendees=f"陆海燕 {mark}")
    ms.meeting_hold(meeting=m, by=world["office"], attendance=ms.attendance_prefill(m))
    ms.decision_add(meeting=m, by=world["office"], text=f"落实{mark}", owner=inst["env_staff"], period=20)
    minutes = ms.minutes_draft(meeting=m, by=world["office"])
    ms.minutes_circulate(minutes=minutes, by=world["office"])
    objs["meeting_minuted"] = (m, mark)
    objs["minutes_circulated"] = (minutes, mark)
    # a second held meeting whose minutes are issued: its decision is on env's ledger
    mark = scenario.canary(inst["court_clerk"])
    m2 = ms.meeting_propose(by=world["court_clerk"], kind=kinds["zuotan"], title=f"座谈二{mark}", reasons=f"理由{mark}")
    ms.meeting_convene(meeting=m2, by=world["office"], starts_at=start, location="x", invitees=[inst["gov_legal"]])
    ms.meeting_issue_notice(meeting=m2, by=world["office_head"])
    ms.meeting_hold(meeting=m2, by=world["office"], attendance=[{"institution": inst["gov_legal"], "name": "陆海燕"}])
    objs["meeting_closed"] = (m2, mark)
    mark = scenario.canary(inst["env_staff"])
    decision = ms.decision_add(meeting=m2, by=world["office"], text=f"落实{mark}", owner=inst["env_staff"], period=20)
    mn2 = ms.minutes_draft(meeting=m2, by=world["office"])
    ms.minutes_submit(minutes=mn2, by=world["office"])
    ms.minutes_approve(minutes=mn2, by=world["office_head"])
    decision.refresh_from_db()
    objs["decision_env"] = (decision, mark)
    objs["kind_zuotan"] = (kinds["zuotan"], "CANARY-none-reference-data")
    objs.update(_legal_reviews(world))
    return objs


def _legal_reviews(world) -> dict:
    """A draft only the city government (and the office) sees; a review sent to the city court and
    procuratorate: the court has returned one opinion, the procuratorate has not answered."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import reviews

    court, proc = world["court_clerk"].institution, world["proc_staff"].institution
    objs = {}
    mark = scenario.canary(world["gov_legal"].institution)
    draft = reviews.review_create(
        by=world["gov_legal"], subject="decision", title=f"草案{mark}", summary=f"说明{mark}", invitees=[court, proc]
    )
    objs["lreview_draft"] = (draft, mark)
    mark = scenario.canary(world["gov_legal"].institution)
    r = reviews.review_create(
        by=world["gov_legal"],
        subject="normative",
        title=f"办法{mark}",
        summary=f"说明{mark}",
        invitees=[court, proc],
        draft=SimpleUploadedFile("草案.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    reviews.review_invite(review=r, by=world["gov_head"])
    invitations = {i.institution_id: i for i in r.invitations.all()}
    opinion = reviews.opinion_add(
        invitation=invitations[court.pk], by=world["court_clerk"], clause="第一条", text=f"意见{mark}"
    )
    reviews.invitation_return(invitation=invitations[court.pk], by=world["court_clerk"])
    objs["lreview_invited"] = (r, mark)
    objs["lreview_inv_court"] = (invitations[court.pk], mark)
    objs["lreview_inv_proc"] = (invitations[proc.pk], mark)
    objs["lreview_opinion"] = (opinion, mark)
    objs.update(_research_and_classes(world))
    return objs


def _research_and_classes(world) -> dict:
    """Research led by the city court with the procuratorate and the government's agency as
    members; a class organised by the city 司法局 for the city 城管局, taught by the court."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import research as rs

    court, proc, agency = (world[u].institution for u in ("court_clerk", "proc_staff", "agency_staff"))
    objs = {}
    mark = scenario.canary(court)
    r = rs.research_create(by=world["court_clerk"], topic="land", title=f"调研{mark}", purpose=f"目的{mark}")
    for inst, name in ((court, "黄立明"), (proc, "莫丽娟"), (agency, "覃文斌")):
        rs.research_member_add(research=r, by=world["court_clerk"], institution=inst, name=name)
    m = rs.research_milestone_add(
        research=r, by=world["court_clerk"], title=f"节点{mark}", due_date=timezone.localdate()
    )
    objs["research"] = (r, mark)
    objs["milestone"] = (m, mark)
    mark = scenario.canary(world["justice_legal"].institution)
    c = rs.class_create(
        by=world["justice_legal"],
        title=f"课堂{mark}",
        starts_at=timezone.now(),
        location=f"地点{mark}",
        audience=[agency],
    )
    rs.lecturer_add(law_class=c, by=world["justice_legal"], institution=court, name="梁振华")
    material = rs.material_add(
        law_class=c, by=world["justice_legal"], upload=SimpleUploadedFile("讲义.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    objs["law_class"] = (c, mark)
    objs["class_material"] = (material, mark)
    return objs
