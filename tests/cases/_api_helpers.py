"""Builders shared by the cases API tests (test_api_*.py)."""

import datetime as dt

from django.core.files.storage import default_storage

from cases import services
from cases.models import (
    AdministrativeCase,
    Appearance,
    CaseSupervision,
    ClueTransfer,
    Communication,
    Coordination,
    Dispute,
    Enforcement,
    Hearing,
    MediationSession,
    Observation,
    ObservationAttendance,
    Review,
    SupervisionApplication,
)
from liaison.models import AuditEntry, Delivery, LedgerEntry, Letter, Notification

from .conftest import APPLICANT, CITY_AGENCY, D

API = "/api/v1/"
CASES = f"{API}cases/"
GOV = "柳州市人民政府"
PROC = "柳州市人民检察院"
COURT = "柳州市中级人民法院"
HEARD_ON = D("2026-03-10")

RESOURCES = {
    AdministrativeCase: "cases",
    Coordination: "coordinations",
    Dispute: "disputes",
    Enforcement: "enforcements",
    SupervisionApplication: "supervisions",
    ClueTransfer: "clues",
    Observation: "observations",
    Review: "reviews",
}


def detail(obj, action=""):
    return f"{API}{RESOURCES[type(obj)]}/{obj.uuid}/" + (f"{action}/" if action else "")


def collection(model):
    return f"{API}{RESOURCES[model]}/"


def snapshot():
    """Row counts (and stored files) a refused request must leave untouched."""
    counts = tuple(
        model.objects.count()
        for model in (
            AdministrativeCase,
            Hearing,
            Appearance,
            Dispute,
            MediationSession,
            Coordination,
            Communication,
            Enforcement,
            SupervisionApplication,
            CaseSupervision,
            ClueTransfer,
            Observation,
            ObservationAttendance,
            Review,
            Letter,
            Delivery,
            LedgerEntry,
            AuditEntry,
            Notification,
        )
    )
    try:
        files = sorted(default_storage.listdir("appearances")[1])
    except FileNotFoundError:
        files = []
    return counts, files


def states():
    """Each record's status, to check a refused request changed none."""
    return [
        sorted(model.objects.values_list("pk", "status"))
        for model in (AdministrativeCase, Dispute, Coordination, Enforcement, SupervisionApplication, ClueTransfer)
    ]


def post(client, url, data=None, method="post"):
    return getattr(client, method)(url, data if data is not None else {}, format="json")


def case_payload(inst, **extra):
    return {
        "number": "（2026）桂02行初88号",
        "instance": "first",
        "cause": "行政处罚",
        "plaintiffs": ["张三", "李四"],
        "defendants": [str(inst[CITY_AGENCY].uuid)],
        "filed_on": "2026-03-02",
        **extra,
    }


def bulk_cases(n, court, created_by, defendant, cause, *, prefix="（2025）桂02行初", major=""):
    """Many cases written directly (test data for lists, not a workflow)."""
    rows = AdministrativeCase.objects.bulk_create(
        AdministrativeCase(
            number=f"{prefix}{1000 + i}号",
            court=court,
            cause=cause,
            plaintiffs=f"原告{i}",
            filed_on=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
            major_category=major,
            created_by=created_by,
        )
        for i in range(n)
    )
    Through = AdministrativeCase.defendants.through
    Through.objects.bulk_create(Through(administrativecase_id=c.pk, institution_id=defendant.pk) for c in rows)
    return rows


def bulk_enforcements(n, court_user, applicant, assignee):
    return Enforcement.objects.bulk_create(
        Enforcement(
            court=court_user.institution,
            applicant=applicant,
            basis="decision",
            basis_reference=f"柳罚〔2026〕{i + 1}号",
            respondent=f"被执行人{i}",
            obligation="限期拆除。",
            applied_on=D("2026-02-10"),
            status=Enforcement.Status.ASSIGNED,
            ruling="granted",
            ruled_on=D("2026-03-02"),
            assignee=assignee,
            feedback_due=D("2026-04-01"),
            created_by=court_user,
        )
        for i in range(n)
    )


# ----------------------------------------------------------------------------- scenario


def build(state, *, world, inst, make_case, make_enforcement, outcome):
    """A record in the named state, made through the services as the users would.

    The case's court is the city court (court_clerk, court_head); its defendant the city
    agency (agency_staff, agency_head), whose government is the city's (gov_legal).
    """
    clerk, head = world["court_clerk"], world["court_head"]
    if state in ("case", "concluded_case", "effective_case", "coordination", "observation"):
        case = make_case(major_category="land_expropriation")
        services.hearing_add(case=case, by=clerk, held_on=HEARD_ON, court_room="第一法庭")
        if state == "case":
            return case
        if state == "coordination":
            return services.coordination_open(case=case, by=clerk, government=inst[GOV], subject="征收补偿协调")
        if state == "observation":
            return services.observation_create(
                case=case, by=clerk, held_on=D("2026-04-01"), title="庭审观摩", attendees=[(inst[CITY_AGENCY], 5)]
            )
        return services.case_conclude(
            case=case,
            by=clerk,
            outcome=outcome("revoke"),
            concluded_on=D("2026-05-06"),
            effective_on=D("2026-05-25") if state == "effective_case" else None,
            imposes_obligation=True,
        )
    if state == "dispute":
        return services.dispute_create(
            by=clerk,
            title="房屋征收补偿争议",
            applicant="王五",
            agency=inst[CITY_AGENCY],
            summary="申请人对补偿标准有异议。",
            received_on=D("2026-06-01"),
        )
    if state in ("enforcement", "assigned"):
        e = make_enforcement()
        if state == "assigned":
            e = services.enforcement_rule(
                enforcement=e, by=head, ruling="granted", ruled_on=D("2026-03-02"), assignee=inst[CITY_AGENCY]
            )
        return e
    if state == "supervision":
        return services.supervision_create(
            by=world["proc_staff"],
            applicant="柳州某置业有限公司",
            court=inst[COURT],
            enforcing_agency=inst[CITY_AGENCY],
            request="认为强制执行程序违法。",
            received_on=D("2026-06-01"),
        )
    if state in ("clue_sent", "clue_received"):
        clue = services.clue_transfer_send(
            by=clerk, recipient=inst[CITY_AGENCY], summary="审理中发现违法线索。", sent_on=D("2026-06-01")
        )
        if state == "clue_received":
            clue = services.clue_transfer_receive(clue=clue, by=world["agency_staff"], received_on=D("2026-06-02"))
        return clue
    raise ValueError(state)


__all__ = ["APPLICANT", "CITY_AGENCY", "D"]
