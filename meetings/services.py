"""Writes for meetings: each transition checked by `access.require` (flows.py), atomic, audited.

Notice and minutes are the hub's numbered letters (source = the meeting); a decision's
obligation is a hub ledger entry whose source is the decision.
"""

import datetime as dt

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.calendar import compute_deadline
from liaison.i18n import Msg, in_site_language
from liaison.models import Institution, LedgerEntry, Letter, User

from .models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionUpdate,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingLink,
    Minutes,
    MinutesComment,
)

MS = Meeting.Status
IS = Invitation.Status
MN = Minutes.Status
DS = Decision.Status

_text = hub.clean_text

# Records a proposal or an agenda item may refer to: (app_label.model, words for it).
LINKABLE = {
    "cases.case": _("行政案件"),
    "cases.coordination": _("重大案件协调"),
    "suggestions.suggestion": _("司法建议、检察建议"),
    "liaison.letter": _("公文"),
    "meetings.meeting": _("会议"),
}


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("convener__region", "kind").get(pk=meeting.pk)


def _users(institutions, roles=None) -> list[User]:
    found = {}
    for inst in institutions:
        for u in access.institution_users(inst, roles or list(access.ACTING_ROLES)):
            found[u.pk] = u
    return list(found.values())


def _office_users(meeting: Meeting) -> list[User]:
    return list(User.objects.filter(is_active=True, role=User.Role.OFFICE, institution=meeting.convener)) or list(
        access.office_users_for(meeting.convener)
    )


# ----------------------------------------------------------------------------- links


def resolve_link(*, by: User, label: str, uuid) -> object:
    """The record `label`/`uuid` if `by` may see it; a field error otherwise (as if it did not exist)."""
    if label not in LINKABLE:
        raise ValidationError({"links": [_("不能关联此类记录。")]})
    try:
        model = apps.get_model(label)
    except LookupError:
        raise ValidationError({"links": [_("不能关联此类记录。")]}) from None
    try:
        return access.visible(model.objects.all(), by).get(uuid=uuid)
    except (model.DoesNotExist, ValueError, ValidationError):
        raise ValidationError({"links": [_("关联的记录不存在或无权查看。")]}) from None


def _add_links(meeting: Meeting, records, *, by: User, item: AgendaItem | None = None) -> None:
    for record in records:
        model = type(record)
        if f"{model._meta.app_label}.{model._meta.model_name}" not in LINKABLE:
            raise ValidationError({"links": [_("不能关联此类记录。")]})
        if not access.visible(model.objects.filter(pk=record.pk), by).exists():
            raise ValidationError({"links": [_("关联的记录不存在或无权查看。")]})
        MeetingLink.objects.get_or_create(
            meeting=meeting,
            agenda_item=item,
            target_type=ContentType.objects.get_for_model(model),
            target_id=record.pk,
        )


def visible_links(meeting: Meeting, user, *, item: AgendaItem | None = None, links=None) -> list:
    """The linked records `user` may see (others are left out, not hinted at)."""
    rows = (
        links
        if links is not None
        else [link for link in meeting.links.all() if link.agenda_item_id == (item.pk if item else None)]
    )
    by_type: dict[int, list[int]] = {}
    for link in rows:
        by_type.setdefault(link.target_type_id, []).append(link.target_id)
    found = []
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        try:
            found += list(access.visible(model.objects.filter(pk__in=ids), user))
        except LookupError:
            continue
    return found


# ----------------------------------------------------------------------------- proposal


def default_convener(institution: Institution) -> Institution:
    """The office of the institution's region, else the city office."""
    office = Institution.objects.filter(kind=Institution.Kind.OFFICE, region=institution.region, is_active=True).first()
    if office is None:
        office = Institution.objects.filter(
            kind=Institution.Kind.OFFICE, level=Institution.Level.CITY, is_active=True
        ).first()
    if office is None:
        raise ValidationError({"convener": [_("尚未设置领导小组办公室，无法提议召集会议。")]})
    return office


def _check_date(value, field: str, *, past_ok: bool = False) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValidationError({field: [_("请输入有效日期。")]})
    if not past_ok and value < timezone.localdate():
        raise ValidationError({field: [_("日期不能早于今天。")]})
    return value


@transaction.atomic
def meeting_propose(
    *,
    by: User,
    kind: MeetingKind,
    title: str,
    reasons: str,
    proposed_date=None,
    participants=(),
    links=(),
) -> Meeting:
    """Any institution proposes a meeting (年度会议与常规联席会议 are the office's to propose)."""
    access.require(by, "meeting.propose")
    if kind is None or not kind.is_active:
        raise ValidationError({"kind": [_("请选择会议类别。")]})
    if kind.office_only and not access.is_office(by):
        raise ValidationError({"kind": [_("“%(k)s”由领导小组办公室提议召集。") % {"k": kind.name}]})
    participants = [p for p in participants if p.pk != by.institution_id]
    m = Meeting.objects.create(
        kind=kind,
        title=_text(title, "title", max_length=200),
        reasons=_text(reasons, "reasons", max_length=20000),
        proposer=by.institution,
        proposed_by=by,
        proposed_date=_check_date(proposed_date, "proposed_date"),
        convener=default_convener(by.institution),
    )
    m.proposed_participants.set(participants)
    _add_links(m, links, by=by)
    hub.audit(actor=by, action="meeting.propose", target=m, after={"kind": kind.code, "status": m.status})
    if m.convener_id != by.institution_id:
        hub.notify(
            users=_office_users(m),
            kind="meeting.proposed",
            title=Msg(gettext_noop("会议提议：%(t)s（%(p)s）"), t=m.title, p=m.proposer.short_name),
            key=f"meeting.proposed:{m.uuid}",
            url=m.get_absolute_url(),
        )
    return m


@transaction.atomic
def meeting_propose_scheduled(
    *, kind: MeetingKind, key: str, title: str, reasons: str, proposed_date
) -> Meeting | None:
    """The schedule's proposal, made once per key by the city office (None when it exists)."""
    if Meeting.objects.filter(schedule_key=key).exists():
        return None
    office = default_convener(
        Institution.objects.filter(kind=Institution.Kind.OFFICE, level=Institution.Level.CITY).first()
        or Institution.objects.filter(kind=Institution.Kind.OFFICE).first()
    )
    sid = transaction.savepoint()
    try:
        m = Meeting.objects.create(
            kind=kind,
            title=title,
            reasons=reasons,
            proposer=office,
            convener=office,
            proposed_date=proposed_date,
            schedule_key=key,
        )
    except Exception:  # a concurrent run made it first (unique schedule_key)
        transaction.savepoint_rollback(sid)
        return None
    transaction.savepoint_commit(sid)
    m.proposed_participants.set(
        Institution.objects.filter(kind__in=kind.default_invitee_kinds, level=Institution.Level.CITY, is_active=True)
    )
    hub.audit(actor=None, action="meeting.propose", target=m, after={"kind": kind.code, "schedule": key})
    hub.notify(
        users=_office_users(m),
        kind="meeting.proposed",
        title=Msg(gettext_noop("按计划提议召开：%(t)s"), t=m.title),
        key=f"meeting.proposed:{m.uuid}",
        url=m.get_absolute_url(),
    )
    return m


@transaction.atomic
def meeting_decline(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    m = _lock_meeting(meeting)
    access.require(by, "meeting.decline", m)
    m.decline_reason = _text(reason, "reason", max_length=5000)
    hub.move(m, by=by, action="meeting.decline", target=MS.DECLINED, after={"reason": m.decline_reason})
    if m.proposed_by_id:
        hub.notify(
            users=_users([m.proposer]),
            kind="meeting.declined",
            title=Msg(gettext_noop("会议提议不予召集：%(t)s"), t=m.title),
            body=m.decline_reason,
            key=f"meeting.declined:{m.uuid}",
            url=m.get_absolute_url(),
        )
    return m


# ----------------------------------------------------------------------------- convening and notice


def _fmt_dt(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@in_site_language
def notice_body(m: Meeting) -> str:
    lines = [
        _("经研究，定于%(when)s在%(where)s召开%(kind)s，现将有关事项通知如下：")
        % {"when": _fmt_dt(m.starts_at), "where": m.location, "kind": m.kind.name},
        "",
        _("一、会议议题"),
        m.title,
    ]
    agenda = list(m.agenda.all())
    if agenda:
        lines += ["", _("二、会议议程")]
        for n, item in enumerate(agenda, 1):
            presenter = f"（{item.presenter.short_name}）" if item.presenter_id else ""
            lines.append(f"{n}. {item.title}{presenter}")
    lines += [
        "",
        _("%(n)s、参会人员") % {"n": "三" if agenda else "二"},
        m.kind.participants or _("各受邀单位相关负责人及工作人员。"),
        "",
        _("%(n)s、其他事项") % {"n": "四" if agenda else "三"},
        _("请各单位于会前在平台“会议”栏目回复参会人员名单；不能参会的，请说明理由。"),
    ]
    return "\n".join(lines)


@transaction.atomic
def meeting_convene(
    *,
    meeting: Meeting,
    by: User,
    starts_at: dt.datetime,
    location: str,
    invitees,
    ends_at: dt.datetime | None = None,
) -> Meeting:
    """The office accepts: fixes time, place and invitees, and drafts the numbered notice for its head."""
    m = _lock_meeting(meeting)
    access.require(by, "meeting.convene", m)
    if not isinstance(starts_at, dt.datetime):
        raise ValidationError({"starts_at": [_("请填写会议开始时间。")]})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": [_("会议时间不能早于现在。")]})
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("结束时间应晚于开始时间。")]})
    invitees = list({i.pk: i for i in invitees if i.pk != m.convener_id}.values())
    if not invitees:
        raise ValidationError({"invitees": [_("请至少选择一个受邀单位。")]})
    m.starts_at, m.ends_at = starts_at, ends_at
    m.location = _text(location, "location", max_length=200)
    m.save(update_fields=["starts_at", "ends_at", "location"])
    Invitation.objects.bulk_create([Invitation(meeting=m, institution=i) for i in invitees])
    letter = hub.letter_create(
        by=by,
        title=Msg(gettext_noop("关于召开%(k)s的通知"), k=m.kind.name).stored(),
        body=notice_body(m),
        addressees=invitees,
        series=Letter.Series.TONGZHI,
        source=m,
    )
    m.notice_letter = letter
    hub.move(
        m,
        by=by,
        action="meeting.convene",
        target=MS.CONVENED,
        after={"starts_at": starts_at, "location": m.location, "invitees": len(invitees)},
    )
    hub.letter_submit(letter=letter, by=by)
    letter.refresh_from_db()
    if m.proposed_by_id and m.proposer_id != m.convener_id:
        hub.notify(
            users=_users([m.proposer]),
            kind="meeting.convened",
            title=Msg(gettext_noop("会议提议已受理：%(t)s（%(w)s）"), t=m.title, w=starts_at),
            key=f"meeting.convened:{m.uuid}",
            url=m.get_absolute_url(),
        )
    return m


@transaction.atomic
def meeting_issue_notice(*, meeting: Meeting, by: User) -> Meeting:
    """The convener's head signs the notice off: numbered, delivered, and the meeting is 已通知."""
    m = _lock_meeting(meeting)
    access.require(by, "meeting.issue_notice", m)
    hub.letter_issue(letter=m.notice_letter, by=by)  # on_letter_issued moves the meeting
    m.refresh_from_db()
    return m


def on_letter_issued(*, letter: Letter, by) -> None:
    """A meeting's notice was issued (here or on the letter page): the invitees may now reply."""
    if letter.source_type_id != ContentType.objects.get_for_model(Meeting).pk:
        return
    m = Meeting.objects.select_for_update().filter(pk=letter.source_id).first()
    if m is None or m.notice_letter_id != letter.pk or m.status != MS.CONVENED:
        return
    hub.move(m, by=by, action="meeting.notify", target=MS.NOTIFIED, after={"notice": letter.doc_number})
    hub.notify(
        users=_users([i.institution for i in m.invitations.select_related("institution")]),
        kind="meeting.notice",
        title=Msg(gettext_noop("会议通知：%(t)s（%(w)s）"), t=m.title, w=m.starts_at),
        body=_("请回复参会人员或请假理由。"),
        key=f"meeting.notice:{m.uuid}",
        url=m.get_absolute_url(),
    )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    m = _lock_meeting(meeting)
    access.require(by, "meeting.cancel", m)
    m.cancel_reason = _text(reason, "reason", max_length=5000)
    was_notified = m.status == MS.NOTIFIED
    hub.move(m, by=by, action="meeting.cancel", target=MS.CANCELLED, after={"reason": m.cancel_reason})
    if was_notified:
        hub.notify(
            users=_users([i.institution for i in m.invitations.select_related("institution")]),
            kind="meeting.cancelled",
            title=Msg(gettext_noop("会议取消：%(t)s"), t=m.title),
            body=m.cancel_reason,
            key=f"meeting.cancelled:{m.uuid}",
            url=m.get_absolute_url(),
        )
    return m


# ----------------------------------------------------------------------------- agenda


@transaction.atomic
def agenda_add(*, meeting: Meeting, by: User, title: str, presenter: Institution | None = None, links=()) -> AgendaItem:
    m = _lock_meeting(meeting)
    access.require(by, "meeting.agenda", m)
    position = (m.agenda.aggregate(n=Max("position"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=m, position=position, title=_text(title, "title", max_length=200), presenter=presenter
    )
    _add_links(m, links, by=by, item=item)
    hub.audit(actor=by, action="meeting.agenda_add", target=m, after={"item": item.title})
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by: User) -> None:
    m = _lock_meeting(item.meeting)
    access.require(by, "meeting.agenda", m)
    hub.audit(actor=by, action="meeting.agenda_remove", target=m, before={"item": item.title})
    item.delete()


# ----------------------------------------------------------------------------- replies and attendance


@transaction.atomic
def invitation_respond(
    *, invitation: Invitation, by: User, attending: bool, attendees: str = "", apology_reason: str = ""
) -> Invitation:
    inv = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    access.require(by, "invitation.respond", inv)
    before = inv.status
    if attending:
        inv.attendees = _text(attendees, "attendees", max_length=2000)
        inv.apology_reason = ""
        inv.status = IS.ATTENDING
    else:
        inv.apology_reason = _text(apology_reason, "apology_reason", max_length=2000)
        inv.attendees = ""
        inv.status = IS.APOLOGY
    inv.responded_by, inv.responded_at = by, timezone.now()
    inv.save()
    hub.audit(
        actor=by,
        action="invitation.respond",
        target=inv.meeting,
        before={"status": before},
        after={"institution": str(inv.institution), "status": inv.status},
    )
    return inv


def attendance_prefill(m: Meeting) -> list[dict]:
    """One row per person an invitee said would attend ("姓名 职务" per line)."""
    rows = []
    for inv in m.invitations.select_related("institution"):
        if inv.status != IS.ATTENDING:
            continue
        for line in inv.attendee_lines():
            name, _sep, post = line.partition(" ")
            rows.append({"institution": inv.institution, "name": name[:40], "post": post.strip()[:60], "present": True})
    return rows


@transaction.atomic
def meeting_hold(*, meeting: Meeting, by: User, attendance: list[dict], held_on: dt.date | None = None) -> Meeting:
    """签到: record who came; the meeting is 已召开 and its decisions and minutes may follow."""
    m = _lock_meeting(meeting)
    access.require(by, "meeting.hold", m)
    today = timezone.localdate()
    planned = timezone.localtime(m.starts_at).date() if m.starts_at else today
    held_on = held_on or min(planned, today)
    if held_on > today:
        raise ValidationError({"held_on": [_("会议尚未召开：召开日期不能晚于今天。")]})
    allowed = {m.convener_id, m.proposer_id} | {i.institution_id for i in m.invitations.all()}
    rows = []
    for n, row in enumerate(attendance or []):
        inst = row.get("institution")
        name = (row.get("name") or "").strip()
        if not name:
            continue
        if inst is None or inst.pk not in allowed:
            raise ValidationError({"attendance": [_("第%(n)d行：单位不是本次会议的参会单位。") % {"n": n + 1}]})
        rows.append(
            Attendance(
                meeting=m,
                institution=inst,
                name=_text(name, "attendance", max_length=40),
                post=_text(row.get("post", ""), "attendance", max_length=60, required=False),
                present=bool(row.get("present", True)),
            )
        )
    if not any(r.present for r in rows):
        raise ValidationError({"attendance": [_("请至少登记一名到会人员。")]})
    m.attendance.all().delete()
    Attendance.objects.bulk_create(rows)
    m.held_on = held_on
    hub.move(
        m,
        by=by,
        action="meeting.hold",
        target=MS.HELD,
        after={"held_on": held_on, "present": sum(r.present for r in rows)},
    )
    return m


# ----------------------------------------------------------------------------- decisions


def _decision_deadline(m: Meeting, *, due_date=None, period=None, unit=None):
    start = m.held_on or timezone.localdate()
    if due_date not in (None, ""):
        if not isinstance(due_date, dt.date):
            raise ValidationError({"due_date": [_("请输入有效日期。")]})
        if due_date <= start:
            raise ValidationError({"due_date": [_("完成期限应晚于会议召开日期（%(d)s）。") % {"d": start.isoformat()}]})
        period, unit = (due_date - start).days, LedgerEntry.Unit.DAYS
    elif period in (None, ""):
        period, unit = m.kind.decision_period, m.kind.decision_unit
    try:
        period = int(period)
    except (TypeError, ValueError):
        raise ValidationError({"period": [_("期限必须是正整数。")]}) from None
    unit = unit or LedgerEntry.Unit.DAYS
    if unit not in LedgerEntry.Unit.values:
        raise ValidationError({"unit": [_("无效的期限单位。")]})
    if not 1 <= period <= 1000:
        raise ValidationError({"period": [_("期限必须在1到1000之间。")]})
    return period, unit, compute_deadline(start, period, unit, "会议召开")


@transaction.atomic
def decision_add(
    *, meeting: Meeting, by: User, text: str, owner: Institution | None, due_date=None, period=None, unit=None
) -> Decision:
    m = _lock_meeting(meeting)
    access.require(by, "meeting.decide", m)
    if owner is None:
        raise ValidationError({"owner": [_("请选择责任单位。")]})
    period, unit, deadline = _decision_deadline(m, due_date=due_date, period=period, unit=unit)
    position = (m.decisions.aggregate(n=Max("position"))["n"] or 0) + 1
    d = Decision.objects.create(
        meeting=m,
        position=position,
        text=_text(text, "text", max_length=5000),
        owner=owner,
        period=period,
        unit=unit,
        due_date=deadline.due,
        due_explained=deadline.explain(),
    )
    hub.audit(actor=by, action="decision.add", target=d, after={"owner": str(owner), "due_date": d.due_date})
    return d


@transaction.atomic
def decision_update(
    *, decision: Decision, by: User, text=None, owner=None, due_date=None, period=None, unit=None
) -> Decision:
    d = Decision.objects.select_for_update().select_related("meeting__convener", "meeting__kind").get(pk=decision.pk)
    access.require(by, "decision.edit", d)
    if text is not None:
        d.text = _text(text, "text", max_length=5000)
    if owner is not None:
        d.owner = owner
    if due_date is not None or period is not None:
        d.period, d.unit, deadline = _decision_deadline(d.meeting, due_date=due_date, period=period, unit=unit)
        d.due_date, d.due_explained = deadline.due, deadline.explain()
    d.save()
    hub.audit(actor=by, action="decision.update", target=d, after={"owner": str(d.owner), "due_date": d.due_date})
    return d


@transaction.atomic
def decision_remove(*, decision: Decision, by: User) -> None:
    d = Decision.objects.select_for_update().select_related("meeting__convener").get(pk=decision.pk)
    access.require(by, "decision.edit", d)
    hub.audit(actor=by, action="decision.remove", target=d.meeting, before={"decision": d.text[:100]})
    d.delete()


def _decision_update(d: Decision, by: User, kind: str, text: str) -> DecisionUpdate:
    return DecisionUpdate.objects.create(decision=d, kind=kind, text=text, institution=by.institution, by=by)


def _lock_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("meeting__convener__region", "owner").get(pk=decision.pk)


@transaction.atomic
def decision_progress(*, decision: Decision, by: User, text: str) -> DecisionUpdate:
    d = _lock_decision(decision)
    access.require(by, "decision.progress", d)
    update = _decision_update(d, by, DecisionUpdate.Kind.PROGRESS, _text(text, "text", max_length=5000))
    hub.audit(actor=by, action="decision.progress", target=d, after={"text": update.text[:200]})
    return update


@transaction.atomic
def decision_progress_bulk(*, decisions, by: User, text: str) -> int:
    """The office's bulk progress note (督办) on several open decisions; all or none."""
    text = _text(text, "text", max_length=5000)
    decisions = list(decisions)
    if not decisions:
        raise ValidationError({"decisions": [_("请至少选择一项议定事项。")]})
    for d in decisions:
        decision_progress(decision=d, by=by, text=text)
    return len(decisions)


@transaction.atomic
def decision_report(*, decision: Decision, by: User, evidence: str, done_on: dt.date | None = None) -> Decision:
    """The owner reports the decision carried out, with evidence; the office confirms."""
    d = _lock_decision(decision)
    access.require(by, "decision.report", d)
    d.evidence = _text(evidence, "evidence", max_length=10000)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": [_("办结日期不能晚于今天。")]})
    if d.meeting.held_on and done_on < d.meeting.held_on:
        raise ValidationError({"done_on": [_("办结日期不能早于会议召开日期。")]})
    d.reported_on = done_on
    _decision_update(d, by, DecisionUpdate.Kind.REPORT, d.evidence)
    hub.move(d, by=by, action="decision.report", target=DS.REPORTED, after={"done_on": done_on})
    hub.notify(
        users=_office_users(d.meeting),
        kind="decision.reported",
        title=Msg(gettext_noop("议定事项报请办结：%(o)s %(t)s"), o=d.owner.short_name, t=d.title),
        body=d.evidence[:500],
        key=f"decision.reported:{d.uuid}:{timezone.now().timestamp():.0f}",
        url=d.get_absolute_url(),
    )
    return d


@transaction.atomic
def decision_confirm(*, decision: Decision, by: User, note: str = "") -> Decision:
    """The office confirms the evidence: the decision is done and its ledger entry closes."""
    d = _lock_decision(decision)
    access.require(by, "decision.confirm", d)
    d.confirmed_by, d.done_on = by, d.reported_on
    _decision_update(
        d, by, DecisionUpdate.Kind.CONFIRMED, _text(note, "note", max_length=2000, required=False) or _("确认办结。")
    )
    hub.move(d, by=by, action="decision.confirm", target=DS.DONE, after={"done_on": d.done_on})
    hub.ledger_close_for_source(source=d, owner=d.owner, evidence=d.evidence, done_on=d.done_on, by=by)
    hub.notify(
        users=_users([d.owner]),
        kind="decision.confirmed",
        title=Msg(gettext_noop("议定事项已确认办结：%(t)s"), t=d.title),
        key=f"decision.confirmed:{d.uuid}",
        url=d.get_absolute_url(),
    )
    return d


@transaction.atomic
def decision_return(*, decision: Decision, by: User, reason: str) -> Decision:
    d = _lock_decision(decision)
    access.require(by, "decision.return", d)
    reason = _text(reason, "reason", max_length=2000)
    _decision_update(d, by, DecisionUpdate.Kind.RETURNED, reason)
    d.reported_on = None
    hub.move(d, by=by, action="decision.return", target=DS.OPEN, after={"reason": reason})
    hub.notify(
        users=_users([d.owner]),
        kind="decision.returned",
        title=Msg(gettext_noop("议定事项退回继续落实：%(t)s"), t=d.title),
        body=reason,
        key=f"decision.returned:{d.uuid}:{timezone.now().timestamp():.0f}",
        url=d.get_absolute_url(),
    )
    return d


# ----------------------------------------------------------------------------- minutes


def minutes_prefill(m: Meeting) -> str:
    """The draft: time, place, who attended and who sent apologies, the agenda and the decisions."""
    held = m.held_on or timezone.localdate()
    lines = [
        _("%(y)d年%(mo)d月%(d)d日，%(c)s在%(w)s召开%(k)s，研究%(t)s。现将会议议定事项纪要如下：")
        % {
            "y": held.year,
            "mo": held.month,
            "d": held.day,
            "c": m.convener.name,
            "w": m.location or _("会议室"),
            "k": m.kind.name,
            "t": m.title,
        },
    ]
    agenda = list(m.agenda.all())
    if agenda:
        lines += ["", _("一、会议议程")]
        for n, item in enumerate(agenda, 1):
            presenter = f"（{item.presenter.short_name}汇报）" if item.presenter_id else ""
            lines.append(f"{n}. {item.title}{presenter}")
    decisions = list(m.decisions.select_related("owner"))
    lines += ["", _("%(n)s、议定事项") % {"n": "二" if agenda else "一"}]
    if decisions:
        for n, d in enumerate(decisions, 1):
            lines.append(
                _("%(n)d. %(t)s（责任单位：%(o)s；完成期限：%(d)s）")
                % {"n": n, "t": d.text, "o": d.owner.name, "d": d.due_date.isoformat()}
            )
    else:
        lines.append(_("（本次会议无议定事项。）"))
    present: dict[str, list[str]] = {}
    for a in m.attendance.select_related("institution"):
        if a.present:
            present.setdefault(a.institution.short_name, []).append(f"{a.name}{a.post and ' ' + a.post}")
    lines += ["", _("出席：")]
    for inst, names in present.items():
        lines.append(f"{inst}：{'、'.join(names)}")
    apologies = [i for i in m.invitations.select_related("institution") if i.status == IS.APOLOGY]
    if apologies:
        lines += ["", _("请假：")]
        for inv in apologies:
            lines.append(f"{inv.institution.short_name}（{inv.apology_reason}）")
    return "\n".join(lines)


@transaction.atomic
def minutes_draft(*, meeting: Meeting, by: User) -> Minutes:
    m = _lock_meeting(meeting)
    access.require(by, "meeting.draft_minutes", m)
    minutes = Minutes.objects.create(
        meeting=m, title=_("%(t)s会议纪要") % {"t": m.kind.name}, body=minutes_prefill(m), drafted_by=by
    )
    hub.audit(actor=by, action="minutes.draft", target=m, after={"minutes": str(minutes.uuid)})
    return minutes


def _lock_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update()
        .select_related("meeting__convener__region", "meeting__kind")
        .get(pk=minutes.pk)
    )


@transaction.atomic
def minutes_update(*, minutes: Minutes, by: User, title=None, body=None, prefill: bool = False) -> Minutes:
    mn = _lock_minutes(minutes)
    access.require(by, "minutes.edit", mn)
    if prefill:
        mn.body = minutes_prefill(mn.meeting)
    if title is not None:
        mn.title = _text(title, "title", max_length=200)
    if body is not None:
        mn.body = _text(body, "body", max_length=50000)
    mn.save(update_fields=["title", "body"])
    hub.audit(actor=by, action="minutes.update", target=mn.meeting, after={"title": mn.title})
    return mn


def _participants(m: Meeting) -> list[Institution]:
    found = {m.proposer_id: m.proposer} if m.proposer_id != m.convener_id else {}
    for inv in m.invitations.select_related("institution"):
        found[inv.institution_id] = inv.institution
    return list(found.values())


@transaction.atomic
def minutes_circulate(*, minutes: Minutes, by: User) -> Minutes:
    mn = _lock_minutes(minutes)
    access.require(by, "minutes.circulate", mn)
    hub.move(mn, by=by, action="minutes.circulate", target=MN.CIRCULATED)
    hub.notify(
        users=_users(_participants(mn.meeting)),
        kind="minutes.circulated",
        title=Msg(gettext_noop("纪要征求意见：%(t)s"), t=mn.meeting.title),
        key=f"minutes.circulated:{mn.uuid}",
        url=mn.meeting.get_absolute_url(),
    )
    return mn


@transaction.atomic
def minutes_comment(*, minutes: Minutes, by: User, text: str) -> MinutesComment:
    mn = _lock_minutes(minutes)
    access.require(by, "minutes.comment", mn)
    comment = MinutesComment.objects.create(
        minutes=mn, institution=by.institution, by=by, text=_text(text, "text", max_length=5000)
    )
    hub.audit(actor=by, action="minutes.comment", target=mn.meeting, after={"text": comment.text[:200]})
    hub.notify(
        users=_office_users(mn.meeting),
        kind="minutes.comment",
        title=Msg(gettext_noop("纪要意见：%(i)s 对“%(t)s”"), i=by.institution.short_name, t=mn.meeting.title),
        body=comment.text[:500],
        key=f"minutes.comment:{comment.pk}",
        url=mn.meeting.get_absolute_url(),
    )
    return comment


@transaction.atomic
def minutes_submit(*, minutes: Minutes, by: User) -> Minutes:
    mn = _lock_minutes(minutes)
    access.require(by, "minutes.submit", mn)
    hub.move(mn, by=by, action="minutes.submit", target=MN.PENDING)
    hub.notify(
        users=_users([mn.meeting.convener], roles=[User.Role.HEAD]),
        kind="minutes.pending",
        title=Msg(gettext_noop("纪要待审定：%(t)s"), t=mn.meeting.title),
        key=f"minutes.pending:{mn.uuid}:{timezone.now().timestamp():.0f}",
        url=mn.meeting.get_absolute_url(),
    )
    return mn


@transaction.atomic
def minutes_return(*, minutes: Minutes, by: User, reason: str) -> Minutes:
    mn = _lock_minutes(minutes)
    access.require(by, "minutes.return", mn)
    mn.return_reason = _text(reason, "reason", max_length=2000)
    hub.move(mn, by=by, action="minutes.return", target=MN.DRAFT, after={"reason": mn.return_reason})
    hub.notify(
        users=[mn.drafted_by],
        kind="minutes.returned",
        title=Msg(gettext_noop("纪要退回修改：%(t)s"), t=mn.meeting.title),
        body=mn.return_reason,
        key=f"minutes.returned:{mn.uuid}:{timezone.now().timestamp():.0f}",
        url=mn.meeting.get_absolute_url(),
    )
    return mn


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by: User, issued_on: dt.date | None = None) -> Minutes:
    """The convener's head approves: the minutes are issued as a numbered 纪要 to the participants
    (decision owners not among them in cc), and every decision opens on its owner's ledger."""
    mn = _lock_minutes(minutes)
    access.require(by, "minutes.approve", mn)
    m = _lock_meeting(mn.meeting)
    decisions = list(m.decisions.select_related("owner"))
    addressees = [i for i in _participants(m) if i.pk != m.convener_id]
    to_ids = {i.pk for i in addressees} | {m.convener_id}
    cc = list({d.owner_id: d.owner for d in decisions if d.owner_id not in to_ids}.values())
    if not addressees:
        raise ValidationError({"addressees": [_("没有可送达的与会单位。")]})
    letter = hub.letter_create(
        by=by, title=mn.title, body=mn.body, addressees=addressees, cc=cc, series=Letter.Series.JIYAO, source=m
    )
    hub.letter_submit(letter=letter, by=by)
    letter = hub.letter_issue(letter=letter, by=by, issued_on=issued_on)
    mn.letter, mn.approved_by = letter, by
    hub.move(mn, by=by, action="minutes.approve", target=MN.ISSUED, after={"letter": letter.doc_number})
    hub.move(m, by=by, action="meeting.minute", target=MS.MINUTED, after={"minutes": letter.doc_number})
    start = m.held_on
    for d in decisions:
        entry = hub.ledger_open(
            owner=d.owner,
            title=Msg(gettext_noop("落实议定事项：%(t)s（%(n)s）"), t=d.title, n=letter.doc_number),
            start_date=start,
            period=d.period,
            unit=d.unit,
            source=d,
            start_label="会议召开",
            by=by,
        )
        d.ledger_entry = entry
        d.due_date, d.due_explained = entry.due_date, entry.due_explained
        hub.move(d, by=by, action="decision.open", target=DS.OPEN, after={"ledger": str(entry.uuid)})
        hub.notify(
            users=_users([d.owner]),
            kind="decision.assigned",
            title=Msg(gettext_noop("议定事项：%(t)s（%(d)s前完成）"), t=d.title, d=d.due_date.isoformat()),
            body=d.due_explained,
            key=f"decision.assigned:{d.uuid}",
            url=d.get_absolute_url(),
        )
    return mn


# ----------------------------------------------------------------------------- schedules


def _next_workday_after(day: dt.date) -> dt.date:
    from liaison.calendar import WorkCalendar

    cal = WorkCalendar()
    day = day + dt.timedelta(days=1)
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def scheduled_proposals(*, today: dt.date | None = None) -> list[Meeting]:
    """December: the annual 三长 meeting; a quarter's first month: its regular work meeting. Idempotent."""
    today = today or timezone.localdate()
    made = []
    if today.month == 12:
        kind = MeetingKind.objects.filter(code="sanzhang_annual", is_active=True).first()
        if kind:
            m = meeting_propose_scheduled(
                kind=kind,
                key=f"sanzhang:{today.year}",
                title=_("%(y)d年度“三长”联席会商会议") % {"y": today.year},
                reasons=_(
                    "按照工作方案四(一)、五(二)1，年度会议在每年年底或年初召开，总结全年联动工作，会商研究法治共建。"
                ),
                proposed_date=dt.date(today.year, 12, 28),
            )
            made += [m] if m else []
    if today.month in (1, 4, 7, 10):
        kind = MeetingKind.objects.filter(code="work_regular", is_active=True).first()
        if kind:
            quarter = (today.month - 1) // 3 + 1
            m = meeting_propose_scheduled(
                kind=kind,
                key=f"work:{today.year}Q{quarter}",
                title=_("%(y)d年第%(q)d季度“一府两院”联动工作常规联席会议") % {"y": today.year, "q": quarter},
                reasons=_("按照工作方案五(二)2，常规联席会议原则上每季度召开一次。"),
                proposed_date=_next_workday_after(dt.date(today.year, today.month, 20)),
            )
            made += [m] if m else []
    return made


def send_reminders(*, today: dt.date | None = None) -> int:
    """The working day before a notified meeting, remind the invitees who have not sent apologies (once)."""
    from liaison.calendar import WorkCalendar

    today = today or timezone.localdate()
    if not WorkCalendar().is_workday(today):
        return 0
    until = _next_workday_after(today)
    sent = 0
    candidates = Meeting.objects.filter(status=MS.NOTIFIED, reminded_at__isnull=True, starts_at__isnull=False)
    for m in candidates.select_related("kind"):
        day = timezone.localtime(m.starts_at).date()
        if not (today < day <= until):
            continue
        with transaction.atomic():
            if not Meeting.objects.filter(pk=m.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                continue
            invited = [i.institution for i in m.invitations.select_related("institution") if i.status != IS.APOLOGY]
            hub.notify(
                users=_users(invited),
                kind="meeting.reminder",
                title=Msg(gettext_noop("会议提醒：%(t)s（%(w)s，%(p)s）"), t=m.title, w=m.starts_at, p=m.location),
                key=f"meeting.reminder:{m.uuid}",
                url=m.get_absolute_url(),
            )
            hub.audit(actor=None, action="meeting.remind", target=m, after={"day": day})
            sent += 1
    return sent
