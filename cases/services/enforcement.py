"""Enforcement separated from adjudication (裁执分离): ruling, assignment letter, feedback."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.calendar import compute_deadline
from liaison.i18n import Msg, in_site_language, label
from liaison.models import Institution, LedgerEntry, Letter, User

from ..models import (
    AdministrativeCase,
    Enforcement,
)
from ._common import (
    ADMINISTRATIVE_KINDS,
    CS,
    ES,
    K,
    _cn_date,
    _date,
    _err,
    _government_of,
    _locked,
    _notify,
    _of_kind,
)


@transaction.atomic
def enforcement_create(
    *,
    by: User,
    applicant: Institution,
    basis: str,
    basis_reference: str,
    respondent: str,
    obligation: str,
    money_obligation: bool,
    applied_on: dt.date,
    case: AdministrativeCase | None = None,
) -> Enforcement:
    """The court registers an agency's application for enforcement (行政非诉或生效裁判)."""
    access.require(by, "enforcement.create")
    applicant = _of_kind(applicant, "applicant", ADMINISTRATIVE_KINDS, _("申请机关应为人民政府或政府部门。"))
    if basis not in Enforcement.Basis.values:
        raise _err("basis", _("请选择执行依据类别。"))
    if case is not None:
        if case.court_id != by.institution_id:
            raise _err("case", _("请选择本院审理的案件。"))
        if basis == Enforcement.Basis.JUDGMENT and case.status != CS.EFFECTIVE:
            raise _err("case", _("执行依据应为已生效的裁判。"))
    enforcement = Enforcement.objects.create(
        court=by.institution,
        applicant=applicant,
        case=case,
        basis=basis,
        basis_reference=hub.clean_text(basis_reference, "basis_reference", max_length=100),
        respondent=hub.clean_text(respondent, "respondent", max_length=200),
        obligation=hub.clean_text(obligation, "obligation", max_length=20000),
        money_obligation=bool(money_obligation),
        applied_on=_date(applied_on, "applied_on", _("申请日期")),
        created_by=by,
    )
    hub.audit(
        actor=by,
        action="enforcement.create",
        target=enforcement,
        after={"applicant": applicant.name, "money_obligation": enforcement.money_obligation},
    )
    return enforcement


def _assignable(enforcement: Enforcement, assignee: Institution) -> bool:
    """The government of the court's region or of the applicant, or an agency of that government."""
    governments = {_government_of(enforcement.applicant)}
    governments |= set(
        Institution.objects.filter(kind=K.GOVERNMENT, region_id=enforcement.court.region_id).values_list(
            "pk", flat=True
        )
    )
    return _government_of(assignee) in governments - {None}


@in_site_language
def _assignment_body(e: Enforcement) -> str:
    return "\n".join(
        [
            _("本院于%(d)s对%(a)s申请执行的%(r)s作出准予执行裁定。")
            % {"d": _cn_date(e.ruled_on), "a": e.applicant.name, "r": e.basis_reference},
            _("被执行人：%(p)s。") % {"p": e.respondent},
            _("执行内容：%(o)s") % {"o": e.obligation},
            _(
                "根据裁执分离工作机制，该项非金钱给付义务由你单位组织实施。请依法及时组织实施，"
                "并于%(due)s前将执行情况书面反馈本院。"
            )
            % {"due": _cn_date(e.feedback_due)},
        ]
    )


@transaction.atomic
def enforcement_rule(
    *,
    enforcement: Enforcement,
    by: User,
    ruling: str,
    reasons: str = "",
    ruled_on: dt.date,
    assignee: Institution | None = None,
) -> Enforcement:
    """The court's ruling. Refused, or granted: money obligations stay with the court, the others
    go to the government or its designated agency by a numbered letter, with a feedback period."""
    e = _locked(enforcement)
    access.require(by, "enforcement.rule", e)
    if ruling not in (Enforcement.Ruling.GRANTED, Enforcement.Ruling.REFUSED):
        raise _err("ruling", _("请选择审查结果。"))
    ruled_on = _date(ruled_on, "ruled_on", _("裁定日期"), not_before=e.applied_on, not_before_label=_("申请日期"))
    reasons = hub.clean_text(reasons, "reasons", max_length=20000, required=ruling == Enforcement.Ruling.REFUSED)
    assigned = ruling == Enforcement.Ruling.GRANTED and not e.money_obligation
    if assigned:
        assignee = _of_kind(
            assignee, "assignee", ADMINISTRATIVE_KINDS, _("非金钱给付义务须指定组织实施的政府或其指定的行政机关。")
        )
        if not _assignable(e, assignee):
            raise _err("assignee", _("组织实施机关应为本级人民政府或其指定的工作部门。"))
    e.ruling, e.ruling_reasons, e.ruled_on = ruling, reasons, ruled_on
    if ruling == Enforcement.Ruling.REFUSED:
        target = ES.REFUSED
    elif not assigned:
        target = ES.COURT
    else:
        deadline = compute_deadline(ruled_on, settings.ENFORCEMENT_FEEDBACK_DAYS, LedgerEntry.Unit.DAYS, "裁定")
        target, e.assignee = ES.ASSIGNED, assignee
        e.feedback_due, e.feedback_due_explained = deadline.due, deadline.explain()
    hub.move(
        e,
        by=by,
        action="enforcement.rule",
        target=target,
        after={"ruling": ruling, "assignee": str(assignee) if assigned else ""},
    )
    if assigned:
        # Saved first: issuing the letter fires on_letter_issued, which looks the letter up on the row.
        e.assignment_letter = hub.letter_create(
            by=by,
            title=Msg(gettext_noop("关于组织实施%(r)s强制执行的函"), r=e.basis_reference).stored(),
            body=_assignment_body(e),
            addressees=[assignee],
            cc=[e.applicant] if e.applicant_id != assignee.pk else [],
            series=Letter.Series.HAN,
            source=e,
        )
        e.save(update_fields=["assignment_letter"])
        hub.letter_submit(letter=e.assignment_letter, by=by)
        if by.role == User.Role.HEAD:
            hub.letter_issue(letter=e.assignment_letter, by=by)
        e.refresh_from_db()
    _notify(
        e.applicant,
        kind="enforcement.ruled",
        title=Msg(gettext_noop("执行申请审查结果：%(r)s %(b)s"), r=label(e, "ruling"), b=e.basis_reference),
        body=reasons,
        key=f"enforcement.ruled:{e.uuid}",
        url=e.get_absolute_url(),
    )
    return e


@transaction.atomic
def enforcement_feedback_draft(*, enforcement: Enforcement, by: User, result: str) -> Letter:
    """The assignee's written feedback to the court, submitted for its head's sign-off (a head's
    is issued at once); issuing it closes the obligation (on_letter_issued)."""
    e = _locked(enforcement)
    access.require(by, "enforcement.feedback", e)  # assignment letter issued, no reply drafted yet
    result = hub.clean_text(result, "result", max_length=20000)
    letter = hub.letter_create(
        by=by,
        title=Msg(gettext_noop("关于%(n)s组织实施情况的反馈"), n=e.assignment_letter.doc_number).stored(),
        body=result,
        addressees=[e.court],
        series=Letter.Series.FU,
        source=e,
    )
    e.feedback_letter = letter
    e.save(update_fields=["feedback_letter"])
    hub.audit(actor=by, action="enforcement.feedback_draft", target=e, after={"letter": str(letter.uuid)})
    hub.letter_submit(letter=letter, by=by)
    if by.role == User.Role.HEAD:
        letter = hub.letter_issue(letter=letter, by=by)
    letter.refresh_from_db()
    return letter


def on_letter_issued(*, letter: Letter, by) -> None:
    """A letter belonging to an enforcement was issued (here or on the letter page).

    The court's assignment letter starts the assignee's ledger entry; the assignee's letter is
    its written feedback: the enforcement moves to FEEDBACK and the entry closes.
    """
    if letter.source_type_id is None or letter.source_type_id != ContentType.objects.get_for_model(Enforcement).pk:
        return
    e = Enforcement.objects.select_for_update().filter(pk=letter.source_id).first()
    if e is None or e.assignee_id is None:
        return
    if letter.pk == e.assignment_letter_id:
        hub.ledger_open(
            owner=e.assignee,
            title=Msg(gettext_noop("书面反馈执行情况：%(r)s（%(n)s）"), r=e.basis_reference, n=letter.doc_number),
            start_date=e.ruled_on,
            period=settings.ENFORCEMENT_FEEDBACK_DAYS,
            unit=LedgerEntry.Unit.DAYS,
            source=e,
            start_label="裁定",
            by=by,
        )
        hub.audit(actor=by, action="enforcement.assign", target=e, after={"letter": letter.doc_number})
    elif letter.issuer_id == e.assignee_id and e.status == ES.ASSIGNED:
        e.feedback_on, e.feedback_letter = letter.issued_on, letter
        hub.move(
            e,
            by=by,
            action="enforcement.feedback",
            target=ES.FEEDBACK,
            update_fields=["status", "feedback_on", "feedback_letter"],
            after={"letter": letter.doc_number},
        )
        hub.ledger_close_for_source(
            source=e, owner=e.assignee, evidence=letter.doc_number, done_on=letter.issued_on, by=by
        )
