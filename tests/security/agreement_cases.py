"""The cases app's part of the agreement test (tests/security/test_agreement.py).

`subjects(world)` builds, through the services as users would, one record in every state of
every model whose transitions cases/flows.py declares (and the variants a condition reads: a
case with and without a held hearing, with and without an obligation, a major one; an
enforcement whose assignment letter awaits sign-off, is issued, or has its reply drafted; an
observation before and after its day). `ATTEMPT[verb](user, obj)` takes the transition through
its real service with the least valid input; `page_url`/`api_url` name the detail page whose
buttons carry `data-verb` and the detail endpoint whose `allowed_actions` lists API names.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cases import services as cs
from cases.models import (
    AdministrativeCase,
    Cause,
    ClueTransfer,
    Coordination,
    Dispute,
    Enforcement,
    Observation,
    Outcome,
    SupervisionApplication,
)
from liaison.models import Institution

PAGES = {
    AdministrativeCase: ("cases:detail", "cases"),
    Coordination: ("cases:coordination_detail", "coordinations"),
    Dispute: ("cases:dispute_detail", "disputes"),
    Enforcement: ("cases:enforcement_detail", "enforcements"),
    SupervisionApplication: ("cases:supervision_detail", "supervisions"),
    ClueTransfer: ("cases:clue_detail", "clues"),
    Observation: ("cases:observation_detail", "observations"),
}


def page_url(obj) -> str | None:
    found = PAGES.get(type(obj))
    return reverse(found[0], kwargs={"uuid": obj.uuid}) if found else None


def api_url(obj) -> str | None:
    found = PAGES.get(type(obj))
    return f"/api/v1/{found[1]}/{obj.uuid}/" if found else None


def _today() -> dt.date:
    return timezone.localdate()


def _days(n: int) -> dt.date:
    return _today() - dt.timedelta(days=n)


def subjects(world):
    """(name, record) for every state of every cases workflow model; `world` maps persona → user."""
    clerk, head = world["court_clerk"], world["court_head"]
    inst = {name: world[name].institution for name in ("agency_staff", "gov_legal", "proc_staff", "env_staff")}
    agency, gov, proc = inst["agency_staff"], inst["gov_legal"], inst["proc_staff"]
    cause = Cause.objects.get(name="行政处罚")
    revoke = Outcome.objects.get(code="revoke")
    counter = iter(range(501, 700))

    def case(*, held=True, **extra):
        c = cs.case_create(
            by=clerk,
            number=f"（2026）桂02行初{next(counter)}号",
            instance="first",
            cause=cause,
            plaintiffs="原告甲",
            defendants=[agency],
            filed_on=_days(60),
            **extra,
        )
        # A held hearing lets a defendant record its appearance; a scheduled one does not.
        cs.hearing_add(case=c, by=clerk, held_on=_days(30) if held else _today() + dt.timedelta(days=7))
        return c

    out = []
    pending = case()
    out.append(("case_pending", pending))
    out.append(("case_pending_no_hearing_held", case(held=False)))
    major = case(major_category="land_expropriation")
    out.append(("case_major_pending", major))
    concluded = case()
    cs.case_conclude(case=concluded, by=clerk, outcome=revoke, concluded_on=_days(20), imposes_obligation=True)
    out.append(("case_concluded", concluded))
    for name, obligation in (("case_effective_obligation", True), ("case_effective_no_obligation", False)):
        c = case()
        cs.case_conclude(
            case=c,
            by=clerk,
            outcome=revoke,
            concluded_on=_days(20),
            effective_on=_days(5),
            imposes_obligation=obligation,
        )
        out.append((name, c))

    # 重大案件协调: open, open with the procuratorate invited, closed
    def coordination():
        return cs.coordination_open(case=case(major_category="environment"), by=clerk, government=gov, subject="协调")

    out.append(("coordination_open", coordination()))
    invited = coordination()
    cs.coordination_invite(coordination=invited, by=clerk, procuratorate=proc)
    out.append(("coordination_invited", invited))
    closed = coordination()
    cs.coordination_close(coordination=closed, by=clerk, outcome="协调结果")
    out.append(("coordination_closed", closed))

    # 诉前化解: open and each outcome
    def dispute():
        return cs.dispute_create(
            by=clerk, title="争议", applicant="申请人", agency=agency, summary="概况", received_on=_days(7)
        )

    out.append(("dispute_open", dispute()))
    for status in (Dispute.Status.RESOLVED, Dispute.Status.WITHDRAWN, Dispute.Status.FILED):
        d = dispute()
        cs.dispute_conclude(
            dispute=d,
            by=clerk,
            status=status,
            outcome_on=_today(),
            notes="结果",
            case=pending if status == Dispute.Status.FILED else None,
        )
        out.append((f"dispute_{status}", d))

    # 裁执分离: every state, and the assigned one before, at and after its letters
    def enforcement(money=False):
        return cs.enforcement_create(
            by=clerk,
            applicant=agency,
            basis="decision",
            basis_reference=f"柳城管罚〔2026〕{next(counter)}号",
            respondent="被执行人",
            obligation="拆除",
            money_obligation=money,
            applied_on=_days(10),
        )

    def ruled(by, ruling="granted", money=False):
        e = enforcement(money)
        reasons = "理由" if ruling == "refused" else ""
        return cs.enforcement_rule(
            enforcement=e, by=by, ruling=ruling, reasons=reasons, ruled_on=_days(3), assignee=None if money else agency
        )

    out.append(("enforcement_applied", enforcement()))
    out.append(("enforcement_refused", ruled(head, "refused")))
    out.append(("enforcement_court", ruled(head, money=True)))
    out.append(("enforcement_assigned_letter_pending", ruled(clerk)))
    out.append(("enforcement_assigned", ruled(head)))
    drafted = ruled(head)
    cs.enforcement_feedback_draft(enforcement=drafted, by=world["agency_staff"], result="已组织实施")
    out.append(("enforcement_assigned_reply_drafted", drafted))
    answered = ruled(head)
    cs.enforcement_feedback_draft(enforcement=answered, by=world["agency_head"], result="已组织实施")
    out.append(("enforcement_feedback", answered))
    closed_e = ruled(head)
    Enforcement.objects.filter(pk=closed_e.pk).update(status=Enforcement.Status.CLOSED)  # no step leads there yet
    out.append(("enforcement_closed", closed_e))

    # 执行监督: received, decided
    def supervision():
        return cs.supervision_create(
            by=world["proc_staff"],
            applicant="申请人",
            court=clerk.institution,
            enforcing_agency=agency,
            request="申请事项",
            received_on=_days(3),
        )

    out.append(("supervision_received", supervision()))
    decided = supervision()
    cs.supervision_decide(application=decided, by=world["proc_staff"], decision="support", reasons="理由")
    out.append(("supervision_decided", decided))

    # 违法线索移送: sent, received, handled
    def clue():
        return cs.clue_transfer_send(by=world["proc_staff"], recipient=gov, summary="线索", sent_on=_days(2))

    out.append(("clue_sent", clue()))
    received = clue()
    cs.clue_transfer_receive(clue=received, by=world["gov_legal"])
    out.append(("clue_received", received))
    handled = clue()
    cs.clue_transfer_receive(clue=handled, by=world["gov_legal"])
    cs.clue_transfer_handle(clue=handled, by=world["gov_legal"], result="已办结")
    out.append(("clue_handled", handled))

    # 庭审观摩: before its day and once held (it has no state of its own)
    for name, day in (("observation_scheduled", _today() + dt.timedelta(days=3)), ("observation_held", _today())):
        o = cs.observation_create(
            case=major, by=clerk, held_on=day, title="观摩", attendees=[(agency, 2)], procuratorate=proc
        )
        out.append((name, o))
    return [(name, type(obj).objects.get(pk=obj.pk)) for name, obj in out]


# ----------------------------------------------------------------------------- the services, least valid input


def _hearing(case):
    return case.hearings.order_by("held_on").first()  # the earliest: held where any is


def _appearance(user, case):
    defendants = list(case.defendants.order_by("id"))
    mine = [d for d in defendants if d.pk == user.institution_id]
    return cs.appearance_record(hearing=_hearing(case), by=user, defendant=(mine or defendants)[0], kind="none")


def _first_invited(o):
    return o.attendances.order_by("id").first().institution


def _named(name):
    return lambda: Institution.objects.get(name=name)


_government = _named("柳州市人民政府")
_procuratorate = _named("柳州市人民检察院")
_agency = _named("柳州市城市管理行政执法局")


ATTEMPT = {
    # cases
    "case.hearing": lambda u, c: cs.hearing_add(case=c, by=u, held_on=_today()),
    "case.appearance": _appearance,
    "coordination.open": lambda u, c: cs.coordination_open(case=c, by=u, government=_government(), subject="协调"),
    "case.conclude": lambda u, c: cs.case_conclude(
        case=c, by=u, outcome=Outcome.objects.get(code="revoke"), concluded_on=_today()
    ),
    "case.mark_effective": lambda u, c: cs.case_mark_effective(case=c, by=u, effective_on=_today()),
    "case.record_performance": lambda u, c: cs.case_record_performance(case=c, by=u, performed_voluntarily=True),
    "observation.create": lambda u, c: cs.observation_create(
        case=c, by=u, held_on=_today(), title="观摩", attendees=[(_agency(), 1)]
    ),
    "review.create": lambda u, c: cs.review_create(
        case=c, by=u, held_on=_today(), participants=[_agency()], act_problems="问题"
    ),
    "case.edit": lambda u, c: cs.case_update(case=c, by=u, summary="案情摘要（修改）"),
    # coordinations
    "coordination.invite": lambda u, c: cs.coordination_invite(coordination=c, by=u, procuratorate=_procuratorate()),
    "coordination.communicate": lambda u, c: cs.communication_add(coordination=c, by=u, summary="沟通"),
    "coordination.close": lambda u, c: cs.coordination_close(coordination=c, by=u, outcome="协调结果"),
    # disputes
    "dispute.session": lambda u, d: cs.mediation_add(
        dispute=d, by=u, held_on=_today(), participants="各方", result="调解情况"
    ),
    "dispute.conclude": lambda u, d: cs.dispute_conclude(
        dispute=d, by=u, status="resolved", outcome_on=_today(), notes="化解"
    ),
    # enforcements
    "enforcement.rule": lambda u, e: cs.enforcement_rule(
        enforcement=e, by=u, ruling="refused", reasons="理由", ruled_on=_today()
    ),
    "enforcement.feedback": lambda u, e: cs.enforcement_feedback_draft(enforcement=e, by=u, result="已组织实施"),
    # supervision applications
    "supervision.decide": lambda u, a: cs.supervision_decide(application=a, by=u, decision="support", reasons="理由"),
    # clue transfers
    "clue.receive": lambda u, c: cs.clue_transfer_receive(clue=c, by=u),
    "clue.handle": lambda u, c: cs.clue_transfer_handle(clue=c, by=u, result="已办结"),
    # observations
    "observation.attendance": lambda u, o: cs.observation_record_attendance(
        observation=o, by=u, institution=_first_invited(o), attended=1
    ),
}
