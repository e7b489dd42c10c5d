"""Pre-litigation resolution (诉前化解) and major-case coordination (重大案件协调)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.i18n import Msg
from liaison.models import Institution, User

from ..models import (
    AdministrativeCase,
    Communication,
    Coordination,
    Dispute,
    MediationSession,
)
from ._common import (
    ADMINISTRATIVE_KINDS,
    K,
    _date,
    _err,
    _government_of,
    _locked,
    _notify,
    _of_kind,
)


@transaction.atomic
def dispute_create(
    *,
    by: User,
    title: str,
    applicant: str,
    agency: Institution,
    summary: str,
    received_on: dt.date,
    court: Institution | None = None,
    government: Institution | None = None,
    procuratorate: Institution | None = None,
) -> Dispute:
    """A dispute taken up for joint pre-litigation mediation by a court or a government."""
    access.require(by, "dispute.create")
    inst = by.institution
    agency = _of_kind(agency, "agency", ADMINISTRATIVE_KINDS, _("请选择涉事行政机关。"))
    if inst.kind == K.COURT:
        court = inst
        if government is None:
            government = agency if agency.kind == K.GOVERNMENT else agency.parent
    else:
        government = inst
    government = _of_kind(government, "government", (K.GOVERNMENT,), _("请选择参与化解的人民政府。"))
    court = _of_kind(court, "court", (K.COURT,), _("请选择参与化解的人民法院。"))
    procuratorate = _of_kind(
        procuratorate, "procuratorate", (K.PROCURATORATE,), _("请选择人民检察院。"), required=False
    )
    if _government_of(agency) != government.pk:
        raise _err("agency", _("涉事行政机关应为该政府或其工作部门。"))
    dispute = Dispute.objects.create(
        title=hub.clean_text(title, "title", max_length=200),
        applicant=hub.clean_text(applicant, "applicant", max_length=200),
        agency=agency,
        government=government,
        court=court,
        procuratorate=procuratorate,
        summary=hub.clean_text(summary, "summary", max_length=20000),
        received_on=_date(received_on, "received_on", _("受理日期")),
        created_by=by,
    )
    hub.audit(actor=by, action="dispute.create", target=dispute, after={"title": dispute.title, "agency": agency.name})
    for party in {i.pk: i for i in (court, government, agency, procuratorate) if i is not None}.values():
        if party.pk != inst.pk:
            _notify(
                party,
                kind="dispute.created",
                title=Msg(gettext_noop("行政争议诉前化解：%(t)s"), t=dispute.title),
                key=f"dispute.created:{dispute.uuid}:{party.pk}",
                url=dispute.get_absolute_url(),
            )
    return dispute


@transaction.atomic
def mediation_add(
    *, dispute: Dispute, by: User, held_on: dt.date, participants: str, result: str, location: str = ""
) -> MediationSession:
    dispute = _locked(dispute)
    access.require(by, "dispute.session", dispute)
    session = MediationSession.objects.create(
        dispute=dispute,
        held_on=_date(
            held_on, "held_on", _("调解日期"), not_before=dispute.received_on, not_before_label=_("受理日期")
        ),
        location=hub.clean_text(location, "location", max_length=100, required=False),
        participants=hub.clean_text(participants, "participants", max_length=2000),
        result=hub.clean_text(result, "result", max_length=20000),
    )
    hub.audit(actor=by, action="dispute.session", target=dispute, after={"held_on": session.held_on})
    return session


@transaction.atomic
def dispute_conclude(
    *, dispute: Dispute, by: User, status: str, outcome_on: dt.date, notes: str, case: AdministrativeCase | None = None
) -> Dispute:
    """Resolved before litigation, withdrawn, or filed as a case (linked when the case is visible)."""
    dispute = _locked(dispute)
    access.require(by, "dispute.conclude", dispute)
    final = (Dispute.Status.RESOLVED, Dispute.Status.WITHDRAWN, Dispute.Status.FILED)
    if status not in final:
        raise _err("status", _("请选择化解结果。"))
    if status == Dispute.Status.FILED:
        if case is None or not AdministrativeCase.objects.visible_to(by).filter(pk=case.pk).exists():
            raise _err("case", _("请选择已立案的行政案件。"))
    elif case is not None:
        raise _err("case", _("只有立案受理的争议才关联行政案件。"))
    dispute.outcome_on = _date(
        outcome_on, "outcome_on", _("化解日期"), not_before=dispute.received_on, not_before_label=_("受理日期")
    )
    dispute.outcome_notes = hub.clean_text(notes, "notes", max_length=20000)
    dispute.case = case
    hub.move(dispute, by=by, action="dispute.conclude", target=status, after={"case": case.number if case else ""})
    return dispute


# ----------------------------------------------------------------------------- 重大案件协调


@transaction.atomic
def coordination_open(
    *, case: AdministrativeCase, by: User, government: Institution, subject: str, opened_on: dt.date | None = None
) -> Coordination:
    """The court opens a coordination with the government on one of its major pending cases."""
    case = _locked(case)
    access.require(by, "coordination.open", case)  # a major case, pending (409 otherwise)
    government = _of_kind(government, "government", (K.GOVERNMENT,), _("请选择协调的人民政府。"))
    coordination = Coordination.objects.create(
        case=case,
        court=case.court,
        government=government,
        subject=hub.clean_text(subject, "subject", max_length=200),
        opened_on=_date(
            opened_on or timezone.localdate(),
            "opened_on",
            _("启动日期"),
            not_before=case.filed_on,
            not_before_label=_("立案日期"),
        ),
        created_by=by,
    )
    hub.audit(
        actor=by,
        action="coordination.open",
        target=coordination,
        after={"case": case.number, "government": government.name},
    )
    _notify(
        government,
        kind="coordination.opened",
        title=Msg(gettext_noop("重大案件协调：%(n)s %(s)s"), n=case.number, s=coordination.subject),
        key=f"coordination.opened:{coordination.uuid}",
        url=coordination.get_absolute_url(),
    )
    return coordination


@transaction.atomic
def coordination_invite(*, coordination: Coordination, by: User, procuratorate: Institution) -> Coordination:
    """Invite the procuratorate to supervise: it then sees the coordination and the case."""
    coordination = _locked(coordination)
    access.require(by, "coordination.invite", coordination)  # open, none invited yet (409 otherwise)
    procuratorate = _of_kind(procuratorate, "procuratorate", (K.PROCURATORATE,), _("请选择人民检察院。"))
    coordination.procuratorate = procuratorate
    coordination.invited_on = timezone.localdate()
    coordination.save(update_fields=["procuratorate", "invited_on"])
    hub.audit(actor=by, action="coordination.invite", target=coordination, after={"procuratorate": procuratorate.name})
    _notify(
        procuratorate,
        kind="coordination.invited",
        title=Msg(gettext_noop("邀请监督重大案件协调：%(n)s"), n=coordination.case.number),
        key=f"coordination.invited:{coordination.uuid}",
        url=coordination.get_absolute_url(),
    )
    return coordination


@transaction.atomic
def communication_add(
    *, coordination: Coordination, by: User, summary: str, occurred_on: dt.date | None = None
) -> Communication:
    coordination = _locked(coordination)
    access.require(by, "coordination.communicate", coordination)
    communication = Communication.objects.create(
        coordination=coordination,
        institution=by.institution,
        occurred_on=_date(
            occurred_on or timezone.localdate(),
            "occurred_on",
            _("沟通日期"),
            not_before=coordination.opened_on,
            not_before_label=_("启动日期"),
        ),
        summary=hub.clean_text(summary, "summary", max_length=20000),
        author=by,
    )
    hub.audit(
        actor=by,
        action="coordination.communicate",
        target=coordination,
        after={"occurred_on": communication.occurred_on},
    )
    for party_id in {coordination.court_id, coordination.government_id, coordination.procuratorate_id}:
        if party_id and party_id != by.institution_id:
            _notify(
                Institution.objects.get(pk=party_id),
                kind="coordination.communication",
                title=Msg(gettext_noop("协调沟通：%(n)s"), n=coordination.case.number),
                key=f"coordination.communication:{communication.pk}:{party_id}",
                url=coordination.get_absolute_url(),
            )
    return communication


@transaction.atomic
def coordination_close(
    *, coordination: Coordination, by: User, outcome: str, closed_on: dt.date | None = None
) -> Coordination:
    coordination = _locked(coordination)
    access.require(by, "coordination.close", coordination)
    coordination.outcome = hub.clean_text(outcome, "outcome", max_length=20000)
    coordination.closed_on = _date(
        closed_on or timezone.localdate(),
        "closed_on",
        _("结束日期"),
        not_before=coordination.opened_on,
        not_before_label=_("启动日期"),
    )
    hub.move(coordination, by=by, action="coordination.close", target=Coordination.Status.CLOSED)
    for party in (coordination.government, coordination.procuratorate):
        if party is not None:
            _notify(
                party,
                kind="coordination.closed",
                title=Msg(gettext_noop("重大案件协调结束：%(n)s"), n=coordination.case.number),
                body=coordination.outcome,
                key=f"coordination.closed:{coordination.uuid}:{party.pk}",
                url=coordination.get_absolute_url(),
            )
    return coordination
