"""Cross-tenant matrix rows of cases/ (行政诉讼案件, 协调, 执行, 监督, 线索, 争议, 观摩, 复盘). See policy.py."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from . import scenario
from .policy import AGENCY, ALL_COURTS, COUNTY_COURT, COURT, GOV, GOVERNMENTS, OFFICE, PROC
from .rows import API, EXPORT, LIST, Row, create, on, uuid_of
from .scenario import MINIMAL_PDF

VISIBLE = {
    # cases: the court, the defendants and their superior government, a supervising
    # procuratorate (coordination invitation, observation), the office
    "case_plain": COURT | AGENCY | GOV | OFFICE,
    "case_major": COURT | AGENCY | GOV | PROC | OFFICE,
    # a county government's superior is the city government
    "case_county": COUNTY_COURT | {"county_gov_legal"} | GOV | OFFICE,
    # its 案号, named by the clue, dispute, enforcement and review linked to it (scenario.py)
    "case_county_number": COUNTY_COURT | {"county_gov_legal"} | GOV | OFFICE,
    "coordination": COURT | AGENCY | GOV | PROC | OFFICE,
    "enforcement": COURT | AGENCY | GOV | OFFICE,
    "supervision": PROC | COURT | AGENCY | OFFICE,
    "clue": PROC | GOV | OFFICE,
    "dispute": COURT | AGENCY | GOV | OFFICE,
    "observation": COURT | AGENCY | PROC | OFFICE,
    "review": COURT | AGENCY | OFFICE,
}

CASE_COURT = {
    "case_plain": COURT,
    "case_major": COURT,
    "case_county": COUNTY_COURT,
    "coordination": COURT,
    "enforcement": COURT,
    "observation": COURT,
    "review": COURT,
}

# Verbs are about who may act, whatever the record's state (see policy_liaison).
ALLOWED = {
    "case.create": {"*": ALL_COURTS},
    "case.import": {"*": ALL_COURTS},
    "case.edit": CASE_COURT,
    "case.hearing": CASE_COURT,
    # the court records every appearance; a defendant its own
    "case.appearance": {
        "case_plain": COURT | AGENCY,
        "case_major": COURT | AGENCY,
        "case_county": COUNTY_COURT | {"county_gov_legal"},
    },
    "coordination.open": CASE_COURT,
    "coordination.invite": CASE_COURT,
    "coordination.close": CASE_COURT,
    "coordination.communicate": {"coordination": COURT | GOV | PROC},
    "dispute.create": {"*": ALL_COURTS | GOVERNMENTS},
    "dispute.session": {"dispute": COURT | GOV | AGENCY},
    "dispute.conclude": {"dispute": COURT | GOV},
    "enforcement.create": {"*": ALL_COURTS},
    "enforcement.rule": CASE_COURT,
    "enforcement.feedback": {"enforcement": AGENCY},
    "supervision.create": {"*": PROC},
    # the head signs 个案监督 off (issue 11): it widens what the procuratorate sees
    "case_supervision.create": {"*": {"proc_head"}},
    "supervision.decide": {"supervision": PROC},
    "clue.create": {"*": ALL_COURTS | PROC | GOVERNMENTS},
    "clue.receive": {"clue": GOV},
    "clue.handle": {"clue": GOV},
    "observation.create": CASE_COURT,
    "observation.attendance": CASE_COURT,
    "review.create": CASE_COURT,
}

CASES = ("case_plain", "case_major", "case_county")


def case_hearing(record):
    return {"uuid": record.uuid, "hearing_uuid": record.hearings.order_by("held_on").first().uuid}


def case_explanation(record):
    hearing = record.hearings.order_by("held_on").last()
    return {"uuid": record.uuid, "hearing_uuid": hearing.uuid, "defendant_uuid": record.defendants.first().uuid}


WEB_ROUTES: dict[str, Row] = {
    "cases:index": LIST,
    "cases:export": EXPORT,
    "cases:create": create("case.create"),
    "cases:import": create("case.import"),
    "cases:import_template": create("case.import", methods=("GET",)),
    "cases:import_preview": Row(
        skip="a kept upload behind a per-user token: tests/cases/test_views_import.py (another user's token → 404)"
    ),
    "cases:coordinations": LIST,
    "cases:coordination_export": EXPORT,
    "cases:coordination_detail": Row(targets=("coordination",), kwargs=uuid_of),
    "cases:coordination_communicate": on("coordination.communicate", ("coordination",)),
    "cases:coordination_invite": on("coordination.invite", ("coordination",)),
    "cases:coordination_close": on("coordination.close", ("coordination",)),
    "cases:detail": Row(targets=CASES, kwargs=uuid_of),
    "cases:edit": on("case.edit", CASES),
    "cases:hearing_add": on("case.hearing", CASES),
    "cases:appearance": on("case.appearance", ("case_plain",), kwargs=case_hearing),
    "cases:appearance_explanation": Row(targets=("case_plain",), kwargs=case_explanation),
    "cases:conclude": on("case.edit", CASES),
    "cases:effective": on("case.edit", CASES),
    "cases:performance": on("case.edit", CASES),
    "cases:coordination_open": on("coordination.open", CASES),
    "cases:enforcements": LIST,
    "cases:enforcements_export": EXPORT,
    "cases:enforcement_create": create("enforcement.create"),
    "cases:enforcement_detail": Row(targets=("enforcement",), kwargs=uuid_of),
    "cases:enforcement_rule": on("enforcement.rule", ("enforcement",)),
    "cases:enforcement_feedback": on("enforcement.feedback", ("enforcement",)),
    "cases:supervisions": LIST,
    "cases:supervisions_export": EXPORT,
    "cases:supervision_create": create("supervision.create"),
    "cases:supervision_detail": Row(targets=("supervision",), kwargs=uuid_of),
    "cases:supervision_decide": on("supervision.decide", ("supervision",)),
    "cases:case_supervision_create": create("case_supervision.create"),
    "cases:clues": LIST,
    "cases:clues_export": EXPORT,
    "cases:clue_create": create("clue.create"),
    "cases:clue_detail": Row(targets=("clue",), kwargs=uuid_of),
    "cases:clue_receive": on("clue.receive", ("clue",)),
    "cases:clue_handle": on("clue.handle", ("clue",)),
    "cases:disputes": LIST,
    "cases:disputes_export": EXPORT,
    "cases:dispute_create": create("dispute.create"),
    "cases:dispute_detail": Row(targets=("dispute",), kwargs=uuid_of),
    "cases:mediation_add": on("dispute.session", ("dispute",)),
    "cases:dispute_conclude": on("dispute.conclude", ("dispute",)),
    "cases:observations": LIST,
    "cases:observations_export": EXPORT,
    # without ?case= a picker anyone may open; with it, the court of that case only
    "cases:observation_create": on("observation.create", CASES, kwargs=None, query=lambda r: {"case": r.uuid}),
    "cases:observation_detail": Row(targets=("observation",), kwargs=uuid_of),
    "cases:observation_attendance": on("observation.attendance", ("observation",)),
    "cases:reviews": LIST,
    "cases:reviews_export": EXPORT,
    "cases:review_create": on("review.create", CASES, kwargs=None, query=lambda r: {"case": r.uuid}),
    "cases:review_detail": Row(targets=("review",), kwargs=uuid_of),
}

API_ROUTES: dict[tuple[str, str], Row] = {
    ("GET", API + "cases/"): LIST,
    ("POST", API + "cases/"): Row(verb="case.create"),
    ("GET", API + "cases/{uuid}/"): Row(targets=CASES, kwargs=uuid_of),
    ("PATCH", API + "cases/{uuid}/"): on("case.edit", CASES, methods=("PATCH",)),
    ("POST", API + "cases/{uuid}/hearings/"): on("case.hearing", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/appearances/"): on("case.appearance", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/conclude/"): on("case.edit", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/mark-effective/"): on("case.edit", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/record-performance/"): on("case.edit", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/coordinations/"): on("coordination.open", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/observations/"): on("observation.create", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/reviews/"): on("review.create", CASES, methods=("POST",)),
    ("POST", API + "cases/import/"): Row(verb="case.import"),
    ("POST", API + "cases/import/commit/"): Row(verb="case.import"),
    ("POST", API + "case-supervisions/"): Row(verb="case_supervision.create"),
    ("GET", API + "coordinations/"): LIST,
    ("GET", API + "coordinations/{uuid}/"): Row(targets=("coordination",), kwargs=uuid_of),
    ("POST", API + "coordinations/{uuid}/invite/"): on("coordination.invite", ("coordination",), methods=("POST",)),
    ("POST", API + "coordinations/{uuid}/communications/"): on(
        "coordination.communicate", ("coordination",), methods=("POST",)
    ),
    ("POST", API + "coordinations/{uuid}/close/"): on("coordination.close", ("coordination",), methods=("POST",)),
    ("GET", API + "disputes/"): LIST,
    ("POST", API + "disputes/"): Row(verb="dispute.create"),
    ("GET", API + "disputes/{uuid}/"): Row(targets=("dispute",), kwargs=uuid_of),
    ("POST", API + "disputes/{uuid}/sessions/"): on("dispute.session", ("dispute",), methods=("POST",)),
    ("POST", API + "disputes/{uuid}/conclude/"): on("dispute.conclude", ("dispute",), methods=("POST",)),
    ("GET", API + "enforcements/"): LIST,
    ("POST", API + "enforcements/"): Row(verb="enforcement.create"),
    ("GET", API + "enforcements/{uuid}/"): Row(targets=("enforcement",), kwargs=uuid_of),
    ("POST", API + "enforcements/{uuid}/rule/"): on("enforcement.rule", ("enforcement",), methods=("POST",)),
    ("POST", API + "enforcements/{uuid}/feedback/"): on("enforcement.feedback", ("enforcement",), methods=("POST",)),
    ("GET", API + "supervisions/"): LIST,
    ("POST", API + "supervisions/"): Row(verb="supervision.create"),
    ("GET", API + "supervisions/{uuid}/"): Row(targets=("supervision",), kwargs=uuid_of),
    ("POST", API + "supervisions/{uuid}/decide/"): on("supervision.decide", ("supervision",), methods=("POST",)),
    ("GET", API + "clues/"): LIST,
    ("POST", API + "clues/"): Row(verb="clue.create"),
    ("GET", API + "clues/{uuid}/"): Row(targets=("clue",), kwargs=uuid_of),
    ("POST", API + "clues/{uuid}/receive/"): on("clue.receive", ("clue",), methods=("POST",)),
    ("POST", API + "clues/{uuid}/handle/"): on("clue.handle", ("clue",), methods=("POST",)),
    ("GET", API + "observations/"): LIST,
    ("GET", API + "observations/{uuid}/"): Row(targets=("observation",), kwargs=uuid_of),
    ("POST", API + "observations/{uuid}/attendance/"): on(
        "observation.attendance", ("observation",), methods=("POST",)
    ),
    ("GET", API + "reviews/"): LIST,
    ("GET", API + "reviews/{uuid}/"): Row(targets=("review",), kwargs=uuid_of),
}


def records(world) -> dict:
    """Three cases (one county), a coordination, an enforcement, a supervision, a clue, a dispute,
    an observation and a review; the last four linked to the county case the others cannot see."""
    import datetime as dt

    from cases import services as cs
    from cases.models import Cause, Outcome

    today = timezone.localdate()
    inst = {
        u: world[u].institution for u in ("agency_staff", "gov_legal", "proc_staff", "court_clerk", "county_gov_legal")
    }
    cause = Cause.objects.get(name="行政处罚")
    counter = iter(range(101, 200))

    def case(author, defendant, **extra):
        mark = scenario.canary(world[author].institution)
        court_code = "桂02" if author == "court_clerk" else "桂0202"
        number = f"（2026）{court_code}行初{next(counter)}号"
        c = cs.case_create(
            by=world[author],
            number=number,
            instance="first",
            cause=cause,
            plaintiffs=f"原告{mark}",
            defendants=[inst[defendant]],
            filed_on=today - dt.timedelta(days=60),
            summary=f"案情{mark}",
            **extra,
        )
        return c, mark

    objs = {}
    plain, mark = case("court_clerk", "agency_staff")
    hearing = cs.hearing_add(
        case=plain, by=world["court_clerk"], held_on=today - dt.timedelta(days=30), court_room="第一法庭"
    )
    cs.appearance_record(
        hearing=hearing,
        by=world["court_clerk"],
        defendant=inst["agency_staff"],
        kind="head",
        person_name="罗永强",
        person_post="局长",
    )
    hearing2 = cs.hearing_add(
        case=plain, by=world["court_clerk"], held_on=today - dt.timedelta(days=25), court_room="第二法庭"
    )
    cs.appearance_record(
        hearing=hearing2,
        by=world["court_clerk"],
        defendant=inst["agency_staff"],
        kind="delegated",
        person_name="覃文斌",
        person_post="法规科科员",
        explanation=SimpleUploadedFile(f"书面说明{mark}.pdf", MINIMAL_PDF, "application/pdf"),
    )
    cs.case_conclude(
        case=plain,
        by=world["court_clerk"],
        outcome=Outcome.objects.get(code="revoke"),
        concluded_on=today - dt.timedelta(days=20),
        effective_on=today - dt.timedelta(days=5),
        imposes_obligation=True,
    )
    objs["case_plain"] = (plain, mark)

    major, mark = case("court_clerk", "agency_staff", major_category="land_expropriation")
    coordination = cs.coordination_open(
        case=major, by=world["court_clerk"], government=inst["gov_legal"], subject=f"协调{mark}"
    )
    cs.coordination_invite(coordination=coordination, by=world["court_clerk"], procuratorate=inst["proc_staff"])
    cs.communication_add(coordination=coordination, by=world["court_clerk"], summary=f"沟通{mark}")
    objs["case_major"] = (major, mark)
    objs["coordination"] = (coordination, mark)

    objs["case_county"] = case("county_clerk", "county_gov_legal")

    mark = scenario.canary(inst["court_clerk"])
    enforcement = cs.enforcement_create(
        by=world["court_clerk"],
        applicant=inst["agency_staff"],
        basis="decision",
        basis_reference=f"柳城管罚〔2026〕{next(counter)}号",
        respondent=f"被执行人{mark}",
        obligation=f"拆除{mark}",
        money_obligation=False,
        applied_on=today - dt.timedelta(days=10),
    )
    cs.enforcement_rule(
        enforcement=enforcement,
        by=world["court_head"],
        ruling="granted",
        reasons="",
        ruled_on=today - dt.timedelta(days=3),
        assignee=inst["agency_staff"],
    )
    objs["enforcement"] = (enforcement, mark)

    mark = scenario.canary(inst["proc_staff"])
    supervision = cs.supervision_create(
        by=world["proc_staff"],
        applicant=f"申请人{mark}",
        court=inst["court_clerk"],
        enforcing_agency=inst["agency_staff"],
        request=f"申请{mark}",
        received_on=today - dt.timedelta(days=3),
    )
    objs["supervision"] = (supervision, mark)

    mark = scenario.canary(inst["proc_staff"])
    clue = cs.clue_transfer_send(
        by=world["proc_staff"], recipient=inst["gov_legal"], summary=f"线索{mark}", sent_on=today
    )
    objs["clue"] = (clue, mark)

    mark = scenario.canary(inst["court_clerk"])
    dispute = cs.dispute_create(
        by=world["court_clerk"],
        title=f"争议{mark}",
        applicant=f"申请人{mark}",
        agency=inst["agency_staff"],
        summary=f"概况{mark}",
        received_on=today - dt.timedelta(days=7),
    )
    objs["dispute"] = (dispute, mark)

    mark = scenario.canary(inst["court_clerk"])
    observation = cs.observation_create(
        case=major,
        by=world["court_clerk"],
        held_on=today,
        title=f"观摩{mark}",
        attendees=[(inst["agency_staff"], 5)],
        procuratorate=inst["proc_staff"],
    )
    objs["observation"] = (observation, mark)

    mark = scenario.canary(inst["court_clerk"])
    review = cs.review_create(
        case=plain,
        by=world["court_clerk"],
        held_on=today,
        participants=[inst["agency_staff"]],
        act_problems=f"问题{mark}",
    )
    objs["review"] = (review, mark)

    # Linked records the viewer may not see (issue 11, item 0): the clue, dispute, enforcement
    # and review point at the county court's case, which most of their parties cannot see. Its
    # 案号 is a canary of its own, so every page and export is scanned for it.
    from cases.models import ClueTransfer, Dispute, Enforcement, Review

    county = objs["case_county"][0]
    for model, record in ((ClueTransfer, clue), (Dispute, dispute), (Enforcement, enforcement), (Review, review)):
        model.objects.filter(pk=record.pk).update(case=county)
    objs["case_county_number"] = (county, county.number)
    return objs
