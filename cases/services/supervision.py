"""Supervision (协作配合): enforcement-supervision applications, case supervision, clue transfers."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.calendar import compute_deadline
from liaison.errors import Conflict
from liaison.i18n import Msg, in_site_language, label
from liaison.models import Institution, LedgerEntry, User

from ..models import (
    AdministrativeCase,
    CaseSupervision,
    ClueTransfer,
    Enforcement,
    SupervisionApplication,
)
from ..selectors import case_in_jurisdiction
from ._common import (
    ADMINISTRATIVE_KINDS,
    ES,
    K,
    _cn_date,
    _date,
    _err,
    _in_jurisdiction,
    _locked,
    _notify,
    _of_kind,
    _send_letter,
)


@in_site_language
def _supervision_letter_body(app: SupervisionApplication, *, to_court: bool) -> str:
    lines = [
        _("本院于%(d)s收到%(a)s提出的行政执行监督申请。") % {"d": _cn_date(app.received_on), "a": app.applicant},
        _("申请事项与理由：%(r)s") % {"r": app.request},
    ]
    if app.enforcement_id:
        lines.append(_("涉及执行依据：%(b)s。") % {"b": app.enforcement.basis_reference})
    if to_court:
        lines.append(_("本院已依法受理审查。请你院协助提供准予执行裁定及相关案卷材料。"))
    else:
        lines.append(_("本院已依法受理审查。请你单位协助提供强制执行实施情况及相关材料。"))
    lines.append(_("本院将于%(d)s前依法作出支持或者不支持监督申请的决定。") % {"d": _cn_date(app.decision_due)})
    return "\n".join(lines)


@transaction.atomic
def supervision_create(
    *,
    by: User,
    applicant: str,
    court: Institution,
    enforcing_agency: Institution,
    request: str,
    received_on: dt.date,
    enforcement: Enforcement | None = None,
) -> SupervisionApplication:
    """An enforced party applied to the procuratorate: open the decision period and 函告 the
    court that ruled and the agency that enforces (work plan 四(六)2)."""
    access.require(by, "supervision.create")
    court = _of_kind(court, "court", (K.COURT,), _("请选择作出裁定的人民法院。"))
    enforcing_agency = _of_kind(
        enforcing_agency, "enforcing_agency", ADMINISTRATIVE_KINDS, _("请选择负责实施强制执行的行政机关。")
    )
    if enforcement is not None and (
        enforcement.court_id != court.pk
        or enforcement.assignee_id != enforcing_agency.pk
        or enforcement.status not in (ES.ASSIGNED, ES.FEEDBACK, ES.CLOSED)
    ):
        raise _err("enforcement", _("执行案件与作出裁定的法院、实施机关不一致。"))
    received_on = _date(received_on, "received_on", _("收到申请日期"))
    deadline = compute_deadline(received_on, settings.SUPERVISION_DECISION_MONTHS, LedgerEntry.Unit.MONTHS, "收到申请")
    app = SupervisionApplication.objects.create(
        procuratorate=by.institution,
        applicant=hub.clean_text(applicant, "applicant", max_length=200),
        enforcement=enforcement,
        court=court,
        enforcing_agency=enforcing_agency,
        request=hub.clean_text(request, "request", max_length=20000),
        received_on=received_on,
        decision_due=deadline.due,
        decision_due_explained=deadline.explain(),
        created_by=by,
    )
    hub.audit(
        actor=by,
        action="supervision.create",
        target=app,
        after={"applicant": app.applicant, "court": court.name, "enforcing_agency": enforcing_agency.name},
    )
    hub.ledger_open(
        owner=app.procuratorate,
        title=Msg(gettext_noop("执行监督申请作出决定：%(a)s"), a=app.applicant),
        start_date=received_on,
        period=settings.SUPERVISION_DECISION_MONTHS,
        unit=LedgerEntry.Unit.MONTHS,
        source=app,
        start_label="收到申请",
        by=by,
    )
    title = _("关于%(a)s申请行政执行监督有关情况的函") % {"a": app.applicant}
    for addressee, to_court in ((court, True), (enforcing_agency, False)):
        _send_letter(
            by=by,
            title=title,
            body=_supervision_letter_body(app, to_court=to_court),
            addressees=[addressee],
            source=app,
        )
    return app


@transaction.atomic
def supervision_decide(
    *, application: SupervisionApplication, by: User, decision: str, reasons: str, decided_on: dt.date | None = None
) -> SupervisionApplication:
    app = _locked(application)
    access.require(by, "supervision.decide", app)
    if decision not in (SupervisionApplication.Decision.SUPPORT, SupervisionApplication.Decision.NOT_SUPPORT):
        raise _err("decision", _("请选择支持或不支持监督申请。"))
    app.decision = decision
    app.decision_reasons = hub.clean_text(reasons, "reasons", max_length=20000)
    app.decided_on = _date(
        decided_on or timezone.localdate(),
        "decided_on",
        _("决定日期"),
        not_before=app.received_on,
        not_before_label=_("收到申请日期"),
    )
    hub.move(
        app,
        by=by,
        action="supervision.decide",
        target=SupervisionApplication.Status.DECIDED,
        after={"decision": decision},
    )
    hub.ledger_close_for_source(
        source=app,
        owner=app.procuratorate,
        evidence=f"{app.get_decision_display()}：{app.decision_reasons}"[:5000],
        done_on=app.decided_on,
        by=by,
    )
    for party in (app.court, app.enforcing_agency):
        _notify(
            party,
            kind="supervision.decided",
            title=Msg(gettext_noop("执行监督决定：%(d)s（%(a)s）"), d=label(app, "decision"), a=app.applicant),
            body=app.decision_reasons,
            key=f"supervision.decided:{app.uuid}:{party.pk}",
            url=app.get_absolute_url(),
        )
    return app


@transaction.atomic
def case_supervision_create(
    *, by: User, case: AdministrativeCase, notes: str, opened_on: dt.date | None = None
) -> CaseSupervision:
    """个案监督 of a case heard by a court the procuratorate supervises; it then sees the case."""
    access.require(by, "case_supervision.create")
    proc = by.institution
    if not isinstance(case, AdministrativeCase) or not _in_jurisdiction(proc, case.court):
        raise _err("case", _("该案件不属于本院监督范围。"))
    case = _locked(case)
    if CaseSupervision.objects.filter(procuratorate=proc, case=case).exists():
        raise Conflict(_("本院已对该案件立案监督。"))
    record = CaseSupervision.objects.create(
        procuratorate=proc,
        case=case,
        opened_on=_date(
            opened_on or timezone.localdate(),
            "opened_on",
            _("立案监督日期"),
            not_before=case.filed_on,
            not_before_label=_("立案日期"),
        ),
        notes=hub.clean_text(notes, "notes", max_length=20000),
        created_by=by,
    )
    # The reason is the audit trail's: opening 个案监督 widens what the procuratorate sees.
    hub.audit(
        actor=by,
        action="case_supervision.create",
        target=case,
        after={"procuratorate": proc.name, "reason": record.notes},
    )
    _notify(
        case.court,
        kind="case.supervised",
        title=Msg(gettext_noop("个案监督：%(p)s 监督 %(n)s"), p=proc.short_name, n=case.number),
        body=record.notes,
        key=f"case.supervised:{case.uuid}:{proc.pk}",
        url=case.get_absolute_url(),
    )
    return record


def case_supervision_answer(number: str) -> str:
    """What a 个案监督 request by 案号 answers, whether or not the case was found."""
    return _(
        "已受理对 %(n)s 的个案监督。如该案由本院监督范围内的法院审理，即已立案监督：审理法院收到通知，"
        "该案出现在本院的案件列表中；否则不会有任何案件出现。"
    ) % {"n": number}


@transaction.atomic
def case_supervision_request(
    *, by: User, number: str, notes: str, opened_on: dt.date | None = None
) -> CaseSupervision | None:
    """个案监督 asked for by 案号, as the procuratorate's head signs it off (it cannot see the case yet).

    One answer whether or not a court it supervises has such a case, so the request is no way to
    probe for cases: a match opens the supervision (the case becomes visible, the court is told,
    the reason is audited); no match writes an audit entry with the number and the reason, for the
    office to see who asked for what. The dates checked are those that do not depend on the case
    (a supervision opened before the case was filed is recorded from its filing date)."""
    access.require(by, "case_supervision.create")
    proc = by.institution
    reason = hub.clean_text(notes, "notes", max_length=20000)
    opened = _date(opened_on or timezone.localdate(), "opened_on", _("立案监督日期"))
    case = case_in_jurisdiction(procuratorate=proc, number=number)
    if case is None:
        hub.audit(
            actor=by,
            action="case_supervision.unmatched",
            target=proc,
            after={"number": (number or "")[:40], "reason": reason},
        )
        return None
    return case_supervision_create(by=by, case=case, notes=reason, opened_on=max(opened, case.filed_on))


@transaction.atomic
def clue_transfer_send(
    *, by: User, recipient: Institution, summary: str, sent_on: dt.date, case: AdministrativeCase | None = None
) -> ClueTransfer:
    """违法线索移送: the recipient must handle it within settings.CLUE_HANDLING_DAYS (its ledger)."""
    access.require(by, "clue.create")
    recipient = _of_kind(
        recipient, "recipient", (K.GOVERNMENT, K.AGENCY, K.COURT, K.PROCURATORATE), _("请选择接收线索的单位。")
    )
    if recipient.pk == by.institution_id:
        raise _err("recipient", _("不能向本单位移送线索。"))
    if case is not None and not AdministrativeCase.objects.visible_to(by).filter(pk=case.pk).exists():
        raise _err("case", _("请选择本单位可见的行政案件。"))
    clue = ClueTransfer.objects.create(
        sender=by.institution,
        recipient=recipient,
        case=case,
        summary=hub.clean_text(summary, "summary", max_length=20000),
        sent_on=_date(sent_on, "sent_on", _("移送日期")),
        created_by=by,
    )
    hub.audit(actor=by, action="clue.send", target=clue, after={"recipient": recipient.name})
    hub.ledger_open(
        owner=recipient,
        title=Msg(gettext_noop("办理%(s)s移送的违法线索"), s=clue.sender.short_name),
        start_date=clue.sent_on,
        period=settings.CLUE_HANDLING_DAYS,
        unit=LedgerEntry.Unit.DAYS,
        source=clue,
        start_label="移送",
        by=by,
    )
    _notify(
        recipient,
        kind="clue.sent",
        title=Msg(gettext_noop("违法线索移送：%(s)s"), s=clue.sender.short_name),
        key=f"clue.sent:{clue.uuid}",
        url=clue.get_absolute_url(),
        about=clue,
        awaits="clue.receive",
    )
    return clue


@transaction.atomic
def clue_transfer_receive(*, clue: ClueTransfer, by: User, received_on: dt.date | None = None) -> ClueTransfer:
    clue = _locked(clue)
    access.require(by, "clue.receive", clue)
    clue.received_on = _date(
        received_on or timezone.localdate(),
        "received_on",
        _("接收日期"),
        not_before=clue.sent_on,
        not_before_label=_("移送日期"),
    )
    hub.move(
        clue,
        by=by,
        action="clue.receive",
        target=ClueTransfer.Status.RECEIVED,
        update_fields=["received_on", "status"],
        after={"received_on": clue.received_on},
    )
    return clue


@transaction.atomic
def clue_transfer_handle(
    *, clue: ClueTransfer, by: User, result: str, handled_on: dt.date | None = None
) -> ClueTransfer:
    clue = _locked(clue)
    access.require(by, "clue.handle", clue)
    clue.handling_result = hub.clean_text(result, "result", max_length=20000)
    clue.handled_on = _date(
        handled_on or timezone.localdate(),
        "handled_on",
        _("办结日期"),
        not_before=clue.received_on,
        not_before_label=_("接收日期"),
    )
    hub.move(
        clue,
        by=by,
        action="clue.handle",
        target=ClueTransfer.Status.HANDLED,
        update_fields=["handling_result", "handled_on", "status"],
        after={"handled_on": clue.handled_on},
    )
    hub.ledger_close_for_source(
        source=clue, owner=clue.recipient, evidence=clue.handling_result[:5000], done_on=clue.handled_on, by=by
    )
    _notify(
        clue.sender,
        kind="clue.handled",
        title=Msg(gettext_noop("移送线索已办结：%(r)s"), r=clue.recipient.short_name),
        body=clue.handling_result,
        key=f"clue.handled:{clue.uuid}",
        url=clue.get_absolute_url(),
    )
    return clue
