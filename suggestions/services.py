"""Writes for suggestions: explicit transitions, atomic and audited.

Each transition asks `access.require(by, verb, record)`, which reads its declaration in
flows.py: 403 when the actor may not, 409 when the state (or a condition such as "no reply
this round") does not allow it; state changes go through `hub.move` (audited in the same
transaction)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.calendar import compute_deadline
from liaison.errors import Conflict
from liaison.i18n import Msg, in_site_language, label
from liaison.models import Institution, LedgerEntry, Letter, User
from liaison.pdf import demote_headings

from .models import Extension, Filing, Reply, ReplyPeriodRule, Suggestion

S = Suggestion.Status
UNIT_LABEL = {"days": "日", "months": "个月"}
RECIPIENT_KINDS = (Institution.Kind.AGENCY, Institution.Kind.GOVERNMENT)


# ----------------------------------------------------------------------------- periods


def default_period(*, kind: str, subkind: str = "", urgent: bool = False) -> tuple[int, str]:
    """The configurable default reply period for a kind of suggestion (RULES.md)."""
    for key in ((kind, subkind, urgent), (kind, "", urgent), (kind, subkind, False), (kind, "", False)):
        rule = ReplyPeriodRule.objects.filter(kind=key[0], subkind=key[1], urgent=key[2]).first()
        if rule:
            return rule.period, rule.unit
    return 2, "months"


def _period_days(period: int, unit: str, reference: dt.date) -> int:
    return (compute_deadline(reference, period, unit).nominal - reference).days


def _resolve_period(kind, subkind, urgent, period, unit) -> tuple[int, str]:
    default = default_period(kind=kind, subkind=subkind, urgent=urgent)
    if period in (None, ""):
        return default
    unit = unit or "days"
    if unit not in UNIT_LABEL:
        raise ValidationError({"reply_unit": [_("期限单位只能是日或月。")]})
    try:
        period = int(period)
    except (TypeError, ValueError):
        raise ValidationError({"reply_period": [_("回复期限必须是正整数。")]}) from None
    if period < 1:
        raise ValidationError({"reply_period": [_("回复期限必须是正整数。")]})
    today = timezone.localdate()
    if _period_days(period, unit, today) > _period_days(*default, today):
        raise ValidationError(
            {
                "reply_period": [
                    _("回复期限不能长于规定期限（%(p)d%(u)s）。") % {"p": default[0], "u": UNIT_LABEL[default[1]]}
                ]
            }
        )
    return period, unit


def _same_level_procuratorate(court: Institution) -> Institution | None:
    return Institution.objects.filter(kind=Institution.Kind.PROCURATORATE, region=court.region, is_active=True).first()


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


# ----------------------------------------------------------------------------- drafting


def _validate_parties(issuer: Institution, recipient: Institution | None, cc) -> None:
    if recipient is None:
        raise ValidationError({"recipient": [_("请选择被建议单位。")]})
    if recipient.kind not in RECIPIENT_KINDS:
        raise ValidationError({"recipient": [_("被建议单位应为行政机关（政府或政府部门）。")]})
    if any(i.pk in (issuer.pk, recipient.pk) for i in cc):
        raise ValidationError({"cc": [_("抄送单位不能是发出机关或被建议单位。")]})


@hub.atomic_with_files()  # the draft and its files together, or neither
def suggestion_create(
    *,
    by: User,
    recipient: Institution | None,
    title: str,
    problem: str,
    recommendations: str,
    cc=(),
    subkind: str = "",
    category: str = Suggestion.Category.ENFORCEMENT,
    touches_procuratorial: bool = False,
    case_number: str = "",
    urgent: bool = False,
    reply_period=None,
    reply_unit=None,
    linked_from: Suggestion | None = None,
    files=(),
) -> Suggestion:
    """A draft, with the files chosen with it (the 建议书's 附件 once issued)."""
    access.require(by, "suggestion.create")
    issuer = by.institution
    kind = Suggestion.Kind.JUDICIAL if issuer.kind == Institution.Kind.COURT else Suggestion.Kind.PROCURATORIAL
    cc = list(cc)
    _validate_parties(issuer, recipient, cc)
    if kind == Suggestion.Kind.JUDICIAL:
        subkind = ""
    elif subkind not in (Suggestion.Subkind.GENERAL, Suggestion.Subkind.PUBLIC_INTEREST):
        raise ValidationError({"subkind": [_("请选择检察建议的类型。")]})
    if category not in Suggestion.Category.values:
        raise ValidationError({"category": [_("无效的问题类别。")]})
    if linked_from is not None:
        access.require(by, "suggestion.link", linked_from)
    period, unit = _resolve_period(kind, subkind, urgent, reply_period, reply_unit)
    s = Suggestion.objects.create(
        kind=kind,
        subkind=subkind,
        issuer=issuer,
        recipient=recipient,
        touches_procuratorial=bool(touches_procuratorial) and kind == Suggestion.Kind.JUDICIAL,
        case_number=hub.clean_text(case_number, "case_number", max_length=60, required=False),
        category=category,
        title=hub.clean_text(title, "title", max_length=200),
        problem=hub.clean_text(problem, "problem", max_length=20000),
        recommendations=hub.clean_text(recommendations, "recommendations", max_length=20000),
        urgent=bool(urgent),
        reply_period=period,
        reply_unit=unit,
        linked_from=linked_from,
        created_by=by,
    )
    _set_cc(s, cc)
    hub.audit(actor=by, action="suggestion.create", target=s, after={"kind": kind, "recipient": str(recipient)})
    hub.attachments_add_to_record(record=s, by=by, files=files, verb="suggestion.edit")
    return s


def _set_cc(s: Suggestion, cc) -> None:
    cc = list(cc)
    if s.touches_procuratorial:
        proc = _same_level_procuratorate(s.issuer)
        if proc and proc not in cc:
            cc.append(proc)
    s.cc.set(cc)


@hub.atomic_with_files()
def suggestion_update(*, suggestion: Suggestion, by: User, files=(), **fields) -> Suggestion:
    """The draft's new content, and the files added with it (all or nothing)."""
    s = _locked(suggestion)
    access.require(by, "suggestion.edit", s)
    cc = fields.pop("cc", None)
    # The procuratorate cc'd automatically because the draft touched procuratorial duties.
    auto_cc = _same_level_procuratorate(s.issuer) if s.touches_procuratorial else None
    for name in ("title", "problem", "recommendations"):
        if name in fields:
            setattr(s, name, hub.clean_text(fields[name], name, max_length=200 if name == "title" else 20000))
    for name in ("category", "case_number", "urgent", "touches_procuratorial", "recipient", "subkind"):
        if name in fields:
            setattr(s, name, fields[name])
    if s.category not in Suggestion.Category.values:
        raise ValidationError({"category": [_("无效的问题类别。")]})
    if s.kind == Suggestion.Kind.JUDICIAL:
        s.subkind = ""
    elif s.subkind not in (Suggestion.Subkind.GENERAL, Suggestion.Subkind.PUBLIC_INTEREST):
        raise ValidationError({"subkind": [_("请选择检察建议的类型。")]})
    s.touches_procuratorial = bool(s.touches_procuratorial) and s.kind == Suggestion.Kind.JUDICIAL
    current_cc = list(cc) if cc is not None else [i for i in s.cc.all() if auto_cc is None or i.pk != auto_cc.pk]
    _validate_parties(s.issuer, s.recipient, current_cc)
    # A new subkind or urgency changes the default period, which a kept period must not exceed.
    if any(name in fields for name in ("reply_period", "reply_unit", "urgent", "subkind")):
        s.reply_period, s.reply_unit = _resolve_period(
            s.kind, s.subkind, s.urgent, fields.get("reply_period"), fields.get("reply_unit")
        )
    s.save()
    _set_cc(s, current_cc)
    hub.audit(actor=by, action="suggestion.update", target=s, after={"title": s.title})
    hub.attachments_add_to_record(record=s, by=by, files=files, verb="suggestion.edit")
    return s


def _move(s: Suggestion, by: User, action: str, target: str, **extra) -> Suggestion:
    for key, value in extra.items():
        setattr(s, key, value)
    return hub.move(s, by=by, action=action, target=target)


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, by: User) -> Suggestion:
    s = _locked(suggestion)
    access.require(by, "suggestion.submit", s)
    s = _move(s, by, "suggestion.submit", S.SUBMITTED)
    hub.notify(
        users=access.institution_users(s.issuer, roles=[User.Role.HEAD]),
        kind="suggestion.submitted",
        title=Msg(gettext_noop("待审批：%(t)s"), t=s.title),
        key=f"suggestion.submitted:{s.uuid}:{timezone.now().timestamp():.0f}",
        url=s.get_absolute_url(),
        about=s,
        awaits="suggestion.approve",
    )
    return s


@transaction.atomic
def suggestion_approve(*, suggestion: Suggestion, by: User) -> Suggestion:
    s = _locked(suggestion)
    access.require(by, "suggestion.approve", s)
    return _move(s, by, "suggestion.approve", S.APPROVED, approved_by=by)


@transaction.atomic
def suggestion_return(*, suggestion: Suggestion, by: User, reason: str) -> Suggestion:
    s = _locked(suggestion)
    access.require(by, "suggestion.return", s)
    reason = hub.clean_text(reason, "reason", max_length=2000)
    s = _move(s, by, "suggestion.return", S.DRAFT)
    hub.notify(
        users=[s.created_by],
        kind="suggestion.returned",
        title=Msg(gettext_noop("退回修改：%(t)s"), t=s.title),
        body=reason,
        key=f"suggestion.returned:{s.uuid}:{timezone.now().timestamp():.0f}",
        url=s.get_absolute_url(),
        about=s,
        awaits="suggestion.submit",
    )
    return s


@in_site_language
def letter_body(s: Suggestion) -> str:
    period = f"{s.reply_period}{UNIT_LABEL[s.reply_unit]}"
    lines = []
    if s.case_number:
        lines.append(_("本院在办理%(c)s案件中，发现你单位在工作中存在以下问题：") % {"c": s.case_number})
    else:
        lines.append(_("本院在履行职责中，发现你单位在工作中存在以下问题："))
    # The template's sections are 一、 and 二、: the user's own numbering inside them is one level
    # down (their 一、 becomes （一）), so the 建议书 never has two 一、 (GB/T 9704 §7.3.3).
    lines.append(_("一、发现的问题"))
    lines.extend(p for p in demote_headings(s.problem).splitlines() if p.strip())
    lines.append(_("二、建议"))
    lines.extend(p for p in demote_headings(s.recommendations).splitlines() if p.strip())
    lines.append(_("请你单位自收到本建议书之日起%(p)s内，将采纳建议及整改落实情况书面回复本院。") % {"p": period})
    return "\n".join(lines)


@transaction.atomic
def suggestion_issue(*, suggestion: Suggestion, by: User, issued_on: dt.date | None = None) -> Suggestion:
    """Head issues the approved suggestion as a numbered 建议书 letter to the recipient and cc's.

    `issued_on` (the 成文日期) may be a past date when a paper suggestion is entered late.
    """
    s = _locked(suggestion)
    access.require(by, "suggestion.issue", s)
    # The 承办人 of the 建议书 is the clerk who drafted the suggestion; the head signs it off.
    drafter = s.created_by if s.created_by.is_active and s.created_by.institution_id == s.issuer_id else by
    letter = hub.letter_create(
        by=drafter,
        title=letter_title(s),
        body=letter_body(s),
        addressees=[s.recipient],
        cc=list(s.cc.all()),
        series=Letter.Series.JIAN,
        urgency="特急" if s.urgent else "",
        source=s,
    )
    hub.attachments_to_letter(record=s, letter=letter)  # listed in the 建议书's 附件 line
    hub.letter_submit(letter=letter, by=drafter)
    letter = hub.letter_issue(letter=letter, by=by, issued_on=issued_on)
    return _move(s, by, "suggestion.issue", S.ISSUED, letter=letter, issued_on=letter.issued_on)


def letter_title(s: Suggestion) -> str:
    """The 建议书's title states its subject once: "关于规范强制拆除程序的司法建议" as written,
    "关于<subject>的司法建议" when the title does not name the kind, never "司法建议书：关于…的司法建议"."""
    kind = str(s.get_kind_display())
    title = s.title.strip()
    if kind in title or title.endswith("建议书") or title.endswith("建议"):
        return title
    subject = title.removeprefix("关于").removesuffix("的")
    return f"关于{subject}的{kind}"


# ----------------------------------------------------------------------------- receipt, reply


def _deadline_text(s: Suggestion, start: dt.date, label: str):
    return compute_deadline(start, s.reply_period, s.reply_unit, label)


@transaction.atomic
def suggestion_receive(*, suggestion: Suggestion, by: User, received_on: dt.date | None = None) -> Suggestion:
    """签收: the reply period runs from the day of receipt (paper delivery may give a past date)."""
    s = _locked(suggestion)
    access.require(by, "suggestion.receive", s)
    delivery = s.letter.deliveries.get(recipient=s.recipient)
    # The receipt itself is recorded by on_letter_signed, as when the letter page is used.
    hub.delivery_sign(delivery=delivery, by=by, signed_on=received_on)
    s.refresh_from_db()
    return s


def on_letter_signed(*, delivery, by) -> None:
    """The recipient signed for a suggestion's 建议书 (here or on the letter page): start the reply period."""
    s = Suggestion.objects.select_for_update().filter(letter_id=delivery.letter_id, status=S.ISSUED).first()
    if s is None or delivery.recipient_id != s.recipient_id:
        return  # not a suggestion letter, or a cc's copy
    deadline = _deadline_text(s, delivery.signed_on, "签收")
    s = _move(
        s,
        by,
        "suggestion.receive",
        S.RECEIVED,
        received_on=delivery.signed_on,
        reply_due=deadline.due,
        reply_due_explained=deadline.explain(),
    )
    hub.ledger_open(
        owner=s.recipient,
        title=Msg(gettext_noop("回复%(k)s %(n)s"), k=label(s, "kind"), n=s.letter.doc_number),
        start_date=delivery.signed_on,
        period=s.reply_period,
        unit=s.reply_unit,
        source=s,
        start_label="签收",
        by=by,
    )


@hub.atomic_with_files()
def suggestion_reply(*, suggestion: Suggestion, by: User, measures: str, files=()) -> Reply:
    """The agency's written reply for the current round, with its files (the 复函's 附件; all or
    nothing); a head's reply is signed off at once."""
    s = _locked(suggestion)  # concurrent replies queue here; the loser sees the reply and gets 409
    access.require(by, "suggestion.reply", s)  # 409 too when this round's reply exists
    measures = hub.clean_text(measures, "measures", max_length=20000)
    try:
        with transaction.atomic():
            reply = Reply.objects.create(suggestion=s, round=s.round, measures=measures, created_by=by)
    except IntegrityError:
        raise Conflict(_("本轮已有书面回复，不能重复回复。")) from None
    hub.audit(actor=by, action="suggestion.reply", target=s, after={"round": s.round})
    reply.suggestion = s
    hub.attachments_add_to_record(record=reply, by=by, files=files, verb="reply.edit", audit_on=s)
    if by.role == User.Role.HEAD:
        _send_reply(s, reply, head=by)
    else:
        _ask_head(reply)
    return reply


def _locked_reply(reply: Reply) -> Reply:
    s = _locked(reply.suggestion)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    locked.suggestion = s
    return locked


def _ask_head(reply: Reply) -> None:
    s = reply.suggestion
    hub.notify(
        users=access.institution_users(s.recipient, roles=[User.Role.HEAD]),
        kind="suggestion.reply_pending",
        title=Msg(gettext_noop("待签发回复：%(t)s"), t=s.title),
        key=f"suggestion.reply_pending:{reply.uuid}:{timezone.now().timestamp():.6f}",
        url=s.get_absolute_url(),
        about=reply,
        awaits="reply.approve",
    )


@transaction.atomic
def reply_return(*, reply: Reply, by: User, reason: str) -> Reply:
    """The recipient's head returns a pending reply to its author for revision, with a reason."""
    reply = _locked_reply(reply)
    access.require(by, "reply.return", reply)
    reply.return_reason = hub.clean_text(reason, "reason", max_length=2000)
    hub.move(
        reply,
        by=by,
        action="reply.return",
        target=Reply.Status.RETURNED,
        update_fields=["status", "return_reason"],
        after={"reason": reply.return_reason},
    )
    hub.audit(actor=by, action="reply.return", target=reply.suggestion, after={"round": reply.round})
    hub.notify(
        users=[reply.created_by],
        kind="suggestion.reply_returned",
        title=Msg(gettext_noop("回复被退回修改：%(t)s"), t=reply.suggestion.title),
        body=reply.return_reason,
        key=f"suggestion.reply_returned:{reply.uuid}:{timezone.now().timestamp():.6f}",
        url=reply.suggestion.get_absolute_url(),
        about=reply,
        awaits="reply.edit",
    )
    return reply


@hub.atomic_with_files()
def reply_edit(*, reply: Reply, by: User, measures: str, files=()) -> Reply:
    """Staff revise a reply awaiting sign-off (or returned), adding files if they choose (all or
    nothing): it waits for the head again."""
    reply = _locked_reply(reply)
    access.require(by, "reply.edit", reply)
    measures = hub.clean_text(measures, "measures", max_length=20000)
    returned = reply.status == Reply.Status.RETURNED
    # checked while the reply may still be edited (a returned one too), before it moves
    hub.attachments_add_to_record(record=reply, by=by, files=files, verb="reply.edit", audit_on=reply.suggestion)
    reply.measures = measures
    hub.move(reply, by=by, action="reply.edit", target=Reply.Status.PENDING, update_fields=["status", "measures"])
    hub.audit(actor=by, action="reply.edit", target=reply.suggestion, after={"round": reply.round})
    if returned:
        _ask_head(reply)
    return reply


@transaction.atomic
def reply_withdraw(*, reply: Reply, by: User) -> Reply:
    """Staff withdraw a reply not yet sent: the round is open again for a new reply."""
    reply = _locked_reply(reply)
    access.require(by, "reply.withdraw", reply)
    hub.move(reply, by=by, action="reply.withdraw", target=Reply.Status.WITHDRAWN, update_fields=["status"])
    hub.audit(actor=by, action="reply.withdraw", target=reply.suggestion, after={"round": reply.round})
    return reply


def suggestion_attach(*, suggestion: Suggestion, by: User, upload):
    """A file for the draft (the 建议书's 附件 once issued): the letters' upload rules, while it may be edited."""
    return suggestion_attach_files(suggestion=suggestion, by=by, files=[upload])[0]


@hub.atomic_with_files()
def suggestion_attach_files(*, suggestion: Suggestion, by: User, files) -> list:
    """Files for the draft, all or none."""
    s = _locked(suggestion)
    return hub.attachments_add_to_record(record=s, by=by, files=files, verb="suggestion.edit")


def reply_attach(*, reply: Reply, by: User, upload):
    """A file for a reply not yet sent (the 复函's 附件 once sent), by those who may edit it."""
    return reply_attach_files(reply=reply, by=by, files=[upload])[0]


@hub.atomic_with_files()
def reply_attach_files(*, reply: Reply, by: User, files) -> list:
    """Files for a reply not yet sent, all or none."""
    reply = _locked_reply(reply)
    return hub.attachments_add_to_record(record=reply, by=by, files=files, verb="reply.edit", audit_on=reply.suggestion)


@transaction.atomic
def suggestion_detach(*, suggestion: Suggestion, by: User, attachment) -> None:
    """Take a file off the draft (while it may be edited)."""
    s = _locked(suggestion)
    hub.attachment_remove_from_record(record=s, attachment=attachment, by=by, verb="suggestion.edit")


@transaction.atomic
def reply_detach(*, reply: Reply, by: User, attachment) -> None:
    """Take a file off a reply not yet sent."""
    reply = _locked_reply(reply)
    hub.attachment_remove_from_record(
        record=reply, attachment=attachment, by=by, verb="reply.edit", audit_on=reply.suggestion
    )


@transaction.atomic
def reply_approve(*, reply: Reply, by: User) -> Reply:
    s = _locked(reply.suggestion)
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    reply.suggestion = s
    access.require(by, "reply.approve", reply)
    _send_reply(s, reply, head=by)
    return reply


def _send_reply(s: Suggestion, reply: Reply, *, head: User) -> None:
    author = reply.created_by
    letter = hub.letter_create(
        by=author,
        title=Msg(gettext_noop("关于%(n)s办理情况的回复"), n=s.letter.doc_number).stored(),
        body=reply.measures,
        addressees=[s.issuer],
        cc=list(s.cc.all()),
        series=Letter.Series.FU,
        source=s,
    )
    hub.attachments_to_letter(record=reply, letter=letter)  # listed in the 复函's 附件 line
    hub.letter_submit(letter=letter, by=author)
    letter = hub.letter_issue(letter=letter, by=head)
    today = timezone.localdate()
    reply.letter = letter
    reply.sent_on = today
    hub.move(
        reply, by=head, action="reply.approve", target=Reply.Status.SENT, update_fields=["letter", "status", "sent_on"]
    )
    _move(s, head, "suggestion.reply_sent", S.REPLIED, replied_on=today)
    hub.ledger_close_for_source(source=s, owner=s.recipient, evidence=letter.doc_number, done_on=today, by=head)


@transaction.atomic
def suggestion_evaluate(
    *, suggestion: Suggestion, by: User, evaluation: str, reasons: str = "", rectify: bool = False, rectify_days=None
) -> Suggestion:
    """The issuer's evaluation; "partly" or "not adopted" may open a rectification round."""
    s = _locked(suggestion)
    access.require(by, "suggestion.evaluate", s)
    if evaluation not in Suggestion.Evaluation.values:
        raise ValidationError({"evaluation": [_("请选择评价结果。")]})
    reasons = (reasons or "").strip()
    if evaluation != Suggestion.Evaluation.ADOPTED and not reasons:
        raise ValidationError({"reasons": [_("部分采纳或未采纳时必须说明理由。")]})
    if rectify and evaluation == Suggestion.Evaluation.ADOPTED:
        raise ValidationError({"rectify": [_("已采纳的建议无需再整改。")]})
    today = timezone.localdate()
    s = _move(
        s, by, "suggestion.evaluate", S.EVALUATED, evaluation=evaluation, evaluation_reasons=reasons, evaluated_on=today
    )
    if rectify:
        try:
            days = int(rectify_days)
        except (TypeError, ValueError):
            raise ValidationError({"rectify_days": [_("请填写整改回复期限（天数）。")]}) from None
        if not 1 <= days <= 365:
            raise ValidationError({"rectify_days": [_("整改期限应在 1 至 365 日之间。")]})
        deadline = compute_deadline(today, days, "days", "评价")
        s = _move(
            s,
            by,
            "suggestion.rectify",
            S.RECTIFYING,
            round=s.round + 1,
            reply_due=deadline.due,
            reply_due_explained=deadline.explain(),
        )
        hub.ledger_open(
            owner=s.recipient,
            title=Msg(gettext_noop("整改回复（第%(r)d轮）%(n)s"), r=s.round, n=s.letter.doc_number),
            start_date=today,
            period=days,
            unit=LedgerEntry.Unit.DAYS,
            source=s,
            start_label="评价",
            by=by,
        )
    hub.notify_institution(
        institution=s.recipient,
        roles=list(access.ACTING_ROLES),
        kind="suggestion.evaluated",
        title=Msg(gettext_noop("建议办理评价：%(e)s %(n)s"), e=label(s, "evaluation"), n=s.letter.doc_number),
        body=reasons,
        key=f"suggestion.evaluated:{s.uuid}:{s.round}",
        url=s.get_absolute_url(),
    )
    return s


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, by: User, reason: str) -> Suggestion:
    s = _locked(suggestion)
    access.require(by, "suggestion.withdraw", s)
    reason = hub.clean_text(reason, "reason", max_length=2000)
    s = _move(s, by, "suggestion.withdraw", S.WITHDRAWN, withdrawn_reason=reason)
    if s.letter_id:
        hub.notify_institution(
            institution=s.recipient,
            roles=list(access.ACTING_ROLES),
            kind="suggestion.withdrawn",
            title=Msg(gettext_noop("建议已撤回：%(n)s"), n=s.letter.doc_number),
            body=reason,
            key=f"suggestion.withdrawn:{s.uuid}",
            url=s.get_absolute_url(),
        )
    return s


# ----------------------------------------------------------------------------- extensions


@transaction.atomic
def extension_request(*, suggestion: Suggestion, by: User, days, reasons: str) -> Extension:
    s = _locked(suggestion)
    access.require(by, "suggestion.request_extension", s)  # 409 too once replied or with one pending
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": [_("请填写延长天数。")]}) from None
    if not 1 <= days <= 180:
        raise ValidationError({"days": [_("延长天数应在 1 至 180 日之间。")]})
    reasons = hub.clean_text(reasons, "reasons", max_length=5000)
    ext = Extension.objects.create(suggestion=s, days=days, reasons=reasons, requested_by=by)
    hub.audit(actor=by, action="suggestion.request_extension", target=s, after={"days": days})
    hub.notify_institution(
        institution=s.issuer,
        roles=[User.Role.HEAD],
        kind="suggestion.extension",
        title=Msg(gettext_noop("延期申请：%(n)s 申请延长 %(d)d 日"), n=s.letter.doc_number, d=days),
        body=reasons,
        key=f"suggestion.extension:{ext.uuid}",
        url=s.get_absolute_url(),
        about=ext,
        awaits="extension.decide",
    )
    return ext


@transaction.atomic
def extension_decide(*, extension: Extension, by: User, approve: bool, reason: str = "") -> Extension:
    s = _locked(extension.suggestion)
    ext = Extension.objects.select_for_update().get(pk=extension.pk)
    ext.suggestion = s
    access.require(by, "extension.decide", ext)
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": [_("不同意延期时请说明理由。")]})
    ext.decided_by = by
    ext.decided_at = timezone.now()
    ext.decision_reason = (reason or "").strip()
    hub.move(
        ext, by=by, action="extension.decide", target=Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    )
    if approve and s.status in Suggestion.OPEN_STATES:
        old_due = s.reply_due
        deadline = compute_deadline(old_due, ext.days, "days", "原届满日")
        s.reply_due = deadline.due
        s.reply_due_explained = f"{s.reply_due_explained}；经批准延期 {ext.days} 日：{deadline.explain()}"
        s.save(update_fields=["reply_due", "reply_due_explained"])
        hub.ledger_extend_for_source(
            source=s, owner=s.recipient, start_date=old_due, period=ext.days, explained=s.reply_due_explained, by=by
        )
    hub.audit(
        actor=by,
        action="suggestion.decide_extension",
        target=s,
        after={"approved": approve, "days": ext.days, "reply_due": s.reply_due},
    )
    hub.notify_institution(
        institution=s.recipient,
        roles=list(access.ACTING_ROLES),
        kind="suggestion.extension_decided",
        title=Msg(gettext_noop("延期申请已同意，新的回复期限 %(d)s"), d=s.reply_due)
        if approve
        else Msg(gettext_noop("延期申请未获同意")),
        body=ext.decision_reason,
        key=f"suggestion.extension_decided:{ext.uuid}",
        url=s.get_absolute_url(),
    )
    return ext


# ----------------------------------------------------------------------------- filing (备案)


def _office_for(inst: Institution) -> Institution | None:
    offices = Institution.objects.filter(kind=Institution.Kind.OFFICE, is_active=True)
    return offices.filter(region=inst.region).first() or offices.filter(level=Institution.Level.CITY).first()


@transaction.atomic
def filing_create(*, by: User, kind: str, title: str, summary: str, filed_on=None, suggestion=None) -> Filing:
    access.require(by, "filing.create")
    if kind not in Filing.Kind.values:
        raise ValidationError({"kind": [_("无效的备案类别。")]})
    if kind == Filing.Kind.SUGGESTION:
        if suggestion is None:
            raise ValidationError({"suggestion": [_("请选择本院发出的检察建议。")]})
        access.require(by, "suggestion.file", suggestion)  # 403: not ours; 409: not yet issued
    filed_on = filed_on or timezone.localdate()
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": [_("备案日期不能晚于今天。")]})
    office = _office_for(by.institution)
    if office is None:
        raise ValidationError({"non_field_errors": [_("未找到领导小组办公室。")]})
    filing = Filing.objects.create(
        procuratorate=by.institution,
        office=office,
        kind=kind,
        suggestion=suggestion if kind == Filing.Kind.SUGGESTION else None,
        title=hub.clean_text(title, "title", max_length=200),
        summary=hub.clean_text(summary, "summary", max_length=20000),
        filed_on=filed_on,
        created_by=by,
    )
    hub.audit(actor=by, action="filing.create", target=filing, after={"kind": kind, "office": str(office)})
    hub.notify_institution(
        institution=office,
        roles=[User.Role.OFFICE],
        kind="filing.created",
        title=Msg(gettext_noop("备案：%(t)s"), t=filing.title),
        key=f"filing.created:{filing.uuid}",
        url=reverse("suggestions:filings"),
    )
    return filing


# ----------------------------------------------------------------------------- periodic letter (函告)


def quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The quarter before the one containing `day`."""
    first_month = ((day.month - 1) // 3) * 3 + 1
    this_start = dt.date(day.year, first_month, 1)
    end = this_start - dt.timedelta(days=1)
    start = dt.date(end.year, ((end.month - 1) // 3) * 3 + 1, 1)
    return start, end


@in_site_language
def _report_body(issuer: Institution, start: dt.date, end: dt.date, rows) -> str:
    from .selectors import Rate

    period = f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    lines = [
        _(
            "根据《柳州市“一府两院”法治共建联动机制工作方案》关于定期函告建议发布和回复情况的要求，现将%(p)s本院发出建议及回复情况函告如下："
        )
        % {"p": period},
        _("一、总体情况"),
    ]
    totals = {
        k: sum(r[k] for r in rows) for k in ("issued", "received", "replied", "on_time", "due", "overdue", "adopted")
    }
    lines.append(
        _(
            "本期发出建议%(issued)d件，被建议单位签收%(received)d件，书面回复%(replied)d件（按期回复%(on_time)d件），"
            "回复率%(rate)s（%(replied)d/%(due)d），按期回复率%(otr)s（%(on_time)d/%(due)d），逾期未回复%(overdue)d件，采纳%(adopted)d件。"
        )
        % {**totals, "rate": Rate(totals["replied"], totals["due"]), "otr": Rate(totals["on_time"], totals["due"])}
    )
    lines.append(_("二、各被建议单位情况"))
    for r in rows:
        lines.append(
            _("%(g)s：发出%(issued)d件，回复%(replied)d件，按期%(on_time)d件，逾期%(overdue)d件，回复率%(rate)s。")
            % {**r, "g": r["group"], "rate": r["reply_rate"]}
        )
    if not rows:
        lines.append(_("本期无发出或到期的建议。"))
    lines.append(_("三、工作建议"))
    lines.append(_("请督促逾期未回复的单位及时书面回复，并抓好建议的整改落实。"))
    return "\n".join(lines)


@transaction.atomic
def periodic_report_draft(*, issuer: Institution, start: dt.date, end: dt.date):
    """Draft the 函告 for one issuer and period, submitted for its head's sign-off. Idempotent."""
    from .models import PeriodicReport
    from .selectors import statistics

    existing = PeriodicReport.objects.filter(issuer=issuer, start=start, end=end).first()
    if existing:
        return existing
    head = access.institution_users(issuer, roles=[User.Role.HEAD]).order_by("id").first()
    government = Institution.objects.filter(
        kind=Institution.Kind.GOVERNMENT, region=issuer.region, is_active=True
    ).first()
    if head is None or government is None:
        return None
    rows = statistics(user=head, start=start, end=end, group_by="recipient")
    cc = []
    if issuer.kind == Institution.Kind.COURT:
        proc = _same_level_procuratorate(issuer)
        cc = [proc] if proc else []
    kind_label = "司法建议" if issuer.kind == Institution.Kind.COURT else "检察建议"
    letter = hub.letter_create(
        by=head,
        title=Msg(
            gettext_noop("关于%(y)d年%(a)d月至%(b)d月%(k)s发布和回复情况的函"),
            y=start.year,
            a=start.month,
            b=end.month,
            k=kind_label,
        ).stored(),
        body=_report_body(issuer, start, end, rows),
        addressees=[government],
        cc=cc,
        series=Letter.Series.HAN,
    )
    hub.letter_submit(letter=letter, by=head)
    return PeriodicReport.objects.create(issuer=issuer, start=start, end=end, letter=letter)


def periodic_reports_draft_all(*, today: dt.date | None = None) -> int:
    """For every court and procuratorate that issued suggestions, draft last quarter's 函告."""
    start, end = quarter_bounds(today or timezone.localdate())
    issuers = Institution.objects.filter(
        pk__in=Suggestion.objects.filter(letter__isnull=False).values("issuer_id"), is_active=True
    )
    made = 0
    for issuer in issuers:
        if periodic_report_draft(issuer=issuer, start=start, end=end):
            made += 1
    return made
