"""Writes for joint research (共同调研, 工作方案四(八)) and rule-of-law classes (法治课堂, 四(七)):
each transition checked by `access.require` (flows.py), atomic, audited through the hub.

A research report is the hub's numbered 函 from the lead institution to its region's people's
government (to the leading-group office when the government itself leads). A class's materials
pass the hub's upload rules (content sniffed, the name's extension matching it).
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access, uploads
from liaison import services as hub
from liaison.i18n import Msg
from liaison.models import Institution, Letter, User

from .models import ClassAttendance, ClassMaterial, LawClass, Lecturer, Milestone, Research, ResearchMember

RS = Research.Status
CS = LawClass.Status
IK = Institution.Kind

_text = hub.clean_text


def _users(institutions, roles=None) -> list[User]:
    qs = User.objects.filter(institution__in=list(institutions), is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return list(qs)


def _lock_research(r: Research) -> Research:
    return (
        Research.objects.select_for_update(of=("self",))
        .select_related("lead", "government", "report_letter")
        .get(pk=r.pk)
    )


def report_addressee(lead: Institution) -> Institution:
    """The lead's region's people's government; the leading-group office when the government leads."""
    from .services import default_convener

    gov = Institution.objects.filter(kind=IK.GOVERNMENT, region=lead.region, is_active=True).order_by("id").first()
    if gov is None or gov.pk == lead.pk:
        return default_convener(lead)
    return gov


@transaction.atomic
def research_create(*, by: User, topic: str, title: str, purpose: str, topic_other: str = "") -> Research:
    access.require(by, "research.create")
    if topic not in Research.Topic.values:
        raise ValidationError({"topic": [_("请选择调研领域。")]})
    topic_other = _text(topic_other, "topic_other", max_length=60, required=topic == Research.Topic.OTHER)
    r = Research.objects.create(
        topic=topic,
        topic_other=topic_other if topic == Research.Topic.OTHER else "",
        title=_text(title, "title", max_length=200),
        purpose=_text(purpose, "purpose", max_length=20000),
        lead=by.institution,
        government=report_addressee(by.institution),
        created_by=by,
    )
    hub.audit(actor=by, action="research.create", target=r, after={"title": r.title, "topic": topic})
    return r


@transaction.atomic
def research_member_add(*, research: Research, by: User, institution: Institution, name: str, post: str = ""):
    r = _lock_research(research)
    access.require(by, "research.member", r)
    if institution.kind not in (IK.GOVERNMENT, IK.AGENCY, IK.COURT, IK.PROCURATORATE, IK.OFFICE):
        raise ValidationError({"institution": [_("调研组成员来自政府及其部门、法院、检察院。")]})
    member = ResearchMember.objects.create(
        research=r,
        institution=institution,
        name=_text(name, "name", max_length=40),
        post=_text(post, "post", max_length=60, required=False),
    )
    hub.audit(
        actor=by, action="research.member", target=r, after={"institution": str(institution), "name": member.name}
    )
    return member


@transaction.atomic
def research_milestone_add(*, research: Research, by: User, title: str, due_date: dt.date) -> Milestone:
    r = _lock_research(research)
    access.require(by, "research.milestone", r)
    if due_date is None:
        raise ValidationError({"due_date": [_("请填写计划完成日期。")]})
    if due_date < r.created_at.date() - dt.timedelta(days=1):
        raise ValidationError({"due_date": [_("计划完成日期不能早于调研立项。")]})
    m = Milestone.objects.create(research=r, title=_text(title, "title", max_length=200), due_date=due_date)
    hub.audit(actor=by, action="research.milestone", target=r, after={"title": m.title, "due_date": due_date})
    return m


@transaction.atomic
def research_start(*, research: Research, by: User) -> Research:
    r = _lock_research(research)
    access.require(by, "research.start", r)
    hub.move(r, by=by, action="research.start", target=RS.ACTIVE)
    members = {m.institution_id: m.institution for m in r.members.select_related("institution")}
    hub.notify(
        users=_users([i for i in members.values() if i.pk != r.lead_id]),
        kind="research.started",
        title=Msg(gettext_noop("共同调研已启动：%(t)s"), t=r.title),
        key=f"research.started:{r.uuid}",
        url=r.get_absolute_url(),
    )
    return r


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by: User, note: str = "", done_on: dt.date | None = None) -> Milestone:
    m = Milestone.objects.select_for_update().select_related("research__lead").get(pk=milestone.pk)
    access.require(by, "milestone.complete", m)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": [_("完成日期不能晚于今天。")]})
    m.done_on, m.note = done_on, _text(note, "note", max_length=5000, required=False)
    hub.move(m, by=by, action="milestone.complete", target=Milestone.Status.DONE, after={"done_on": done_on})
    return m


@transaction.atomic
def research_report(*, research: Research, by: User, title: str, body: str) -> Research:
    """The report as a numbered 函 to the government, waiting for the lead's head to sign it."""
    r = _lock_research(research)
    access.require(by, "research.report", r)
    members = {m.institution_id: m.institution for m in r.members.select_related("institution")}
    cc = [i for pk, i in members.items() if pk not in (r.lead_id, r.government_id)]
    letter = hub.letter_create(
        by=by,
        title=_text(title, "title", max_length=200),
        body=_text(body, "body", max_length=50000),
        addressees=[r.government],
        cc=cc,
        series=Letter.Series.HAN,
        source=r,
    )
    r.report_letter = hub.letter_submit(letter=letter, by=by)
    hub.move(r, by=by, action="research.report", target=RS.REPORTED, after={"letter": str(letter.uuid)})
    hub.notify(
        users=_users([r.lead], roles=[User.Role.HEAD]),
        kind="research.reported",
        title=Msg(gettext_noop("调研报告待签发：%(t)s"), t=r.title),
        key=f"research.reported:{r.uuid}",
        url=r.get_absolute_url(),
        about=r,
        awaits="research.issue",
    )
    return r


@transaction.atomic
def research_issue(*, research: Research, by: User) -> Research:
    r = _lock_research(research)
    access.require(by, "research.issue", r)
    hub.letter_issue(letter=r.report_letter, by=by)  # the letter_issued signal moves the research
    r.refresh_from_db()
    return r


def on_letter_issued(*, letter: Letter, by) -> None:
    r = Research.objects.select_for_update().filter(report_letter=letter).first()
    if r is not None and r.status == RS.REPORTED:
        hub.move(r, by=by, action="research.issue", target=RS.ISSUED, after={"letter": letter.doc_number})


# ----------------------------------------------------------------------------- classes


def lecturer_may_come_from(inst: Institution) -> bool:
    """工作方案四(七): the court, the procuratorate and the government's legal-affairs office
    (the people's government or its 司法局)."""
    return inst.kind in (IK.COURT, IK.PROCURATORATE, IK.GOVERNMENT) or inst.name.endswith("司法局")


@transaction.atomic
def class_create(
    *, by: User, title: str, starts_at: dt.datetime, location: str, audience, summary: str = ""
) -> LawClass:
    access.require(by, "law_class.create")
    audience = list({i.pk: i for i in audience}.values())
    if not audience:
        raise ValidationError({"audience": [_("请选择听课单位。")]})
    if starts_at is None:
        raise ValidationError({"starts_at": [_("请填写授课时间。")]})
    c = LawClass.objects.create(
        title=_text(title, "title", max_length=200),
        summary=_text(summary, "summary", max_length=20000, required=False),
        organizer=by.institution,
        starts_at=starts_at,
        location=_text(location, "location", max_length=200),
        created_by=by,
    )
    c.audience.set(audience)
    hub.audit(actor=by, action="law_class.create", target=c, after={"title": c.title, "audience": len(audience)})
    hub.notify(
        users=_users([i for i in audience if i.pk != c.organizer_id]),
        kind="law_class.planned",
        title=Msg(
            gettext_noop("法治课堂：%(t)s（%(w)s，%(p)s）"),
            t=c.title,
            w=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
            p=c.location,
        ),
        key=f"law_class.planned:{c.uuid}",
        url=c.get_absolute_url(),
    )
    return c


def _lock_class(c: LawClass) -> LawClass:
    return LawClass.objects.select_for_update().select_related("organizer").get(pk=c.pk)


@transaction.atomic
def lecturer_add(
    *, law_class: LawClass, by: User, institution: Institution, name: str, post: str = "", topic: str = ""
) -> Lecturer:
    c = _lock_class(law_class)
    access.require(by, "law_class.lecturer", c)
    if not lecturer_may_come_from(institution):
        raise ValidationError({"institution": [_("授课人来自法院、检察院或政府法制部门（司法局）。")]})
    lecturer = Lecturer.objects.create(
        law_class=c,
        institution=institution,
        name=_text(name, "name", max_length=40),
        post=_text(post, "post", max_length=60, required=False),
        topic=_text(topic, "topic", max_length=200, required=False),
    )
    hub.audit(
        actor=by, action="law_class.lecturer", target=c, after={"institution": str(institution), "name": lecturer.name}
    )
    return lecturer


@transaction.atomic
def material_add(*, law_class: LawClass, by: User, upload) -> ClassMaterial:
    c = _lock_class(law_class)
    access.require(by, "law_class.material", c)
    if upload is None:
        raise ValidationError({"file": [_("请选择文件。")]})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"file": [_("文件过大，最大 %(m)d MB。") % {"m": settings.UPLOAD_MAX_BYTES // 1048576}]})
    name = hub.sanitize_filename(upload.name)
    try:
        ctype = uploads.check_attachment(upload, name).content_type
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    material = ClassMaterial(
        law_class=c, name=name, content_type=ctype, size=upload.size, sha256=digest.hexdigest(), uploaded_by=by
    )
    material.file.save("upload", upload, save=False)
    try:
        material.save()
        hub.audit(actor=by, action="law_class.material", target=c, after={"name": name, "sha256": material.sha256})
    except Exception:
        material.file.delete(save=False)
        raise
    return material


def parse_attendance(c: LawClass, text: str) -> list[dict]:
    """Lines "单位简称 人数 [姓名、姓名…]"; the units are the audience and the lecturers' institutions."""
    units = list(c.audience.all()) + [lec.institution for lec in c.lecturers.select_related("institution")]
    by_name = {}
    for inst in units:
        by_name[inst.short_name] = inst
        by_name[inst.name] = inst
    rows, seen = [], set()
    for n, line in enumerate((text or "").splitlines(), 1):
        parts = line.split(maxsplit=2)
        if not parts:
            continue
        if len(parts) < 2 or parts[0] not in by_name or not parts[1].isdigit() or not 0 < int(parts[1]) < 10000:
            raise ValidationError(
                {
                    "attendance": [
                        _("第%(n)d行：请写成“单位简称 人数 姓名（可不填）”，单位须为听课或授课单位。") % {"n": n}
                    ]
                }
            )
        inst = by_name[parts[0]]
        if inst.pk in seen:
            raise ValidationError({"attendance": [_("第%(n)d行：%(u)s 重复。") % {"n": n, "u": inst.short_name}]})
        seen.add(inst.pk)
        rows.append({"institution": inst, "count": int(parts[1]), "names": parts[2] if len(parts) > 2 else ""})
    if not rows:
        raise ValidationError({"attendance": [_("请登记到课情况。")]})
    return rows


@transaction.atomic
def class_hold(*, law_class: LawClass, by: User, attendance: str, held_on: dt.date | None = None) -> LawClass:
    c = _lock_class(law_class)
    access.require(by, "law_class.hold", c)
    rows = parse_attendance(c, attendance)
    held_on = held_on or timezone.localtime(c.starts_at).date()
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("举办日期不能晚于今天。")]})
    for row in rows:
        ClassAttendance.objects.create(law_class=c, **row)
    c.held_on = held_on
    hub.move(
        c,
        by=by,
        action="law_class.hold",
        target=CS.HELD,
        after={"held_on": held_on, "people": sum(r["count"] for r in rows)},
    )
    return c


@transaction.atomic
def class_cancel(*, law_class: LawClass, by: User, reason: str) -> LawClass:
    c = _lock_class(law_class)
    access.require(by, "law_class.cancel", c)
    reason = _text(reason, "reason", max_length=2000)
    hub.move(c, by=by, action="law_class.cancel", target=CS.CANCELLED, after={"reason": reason})
    hub.notify(
        users=_users([i for i in c.audience.all() if i.pk != c.organizer_id]),
        kind="law_class.cancelled",
        title=Msg(gettext_noop("法治课堂取消：%(t)s"), t=c.title),
        body=reason,
        key=f"law_class.cancelled:{c.uuid}",
        url=c.get_absolute_url(),
    )
    return c
