"""Cases, hearings, appearances (负责人出庭应诉), conclusion, effect and performance."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.errors import Conflict
from liaison.i18n import Msg
from liaison.models import Institution, User

from ..models import (
    AdministrativeCase,
    Appearance,
    Cause,
    Hearing,
    Outcome,
    normalise_case_number,
)
from ._common import (
    ADMINISTRATIVE_KINDS,
    CS,
    _date,
    _err,
    _locked,
    _notify,
    _of_kind,
)

# A sealed written explanation is a scan: PDF or an image, nothing else.
EXPLANATION_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
CORE_CASE_FIELDS = ("number", "instance", "cause", "plaintiffs", "defendants", "filed_on")


def _case_number(value) -> str:
    try:
        return normalise_case_number(value)
    except ValidationError as exc:
        raise ValidationError({"number": exc.messages}) from None


def _clean_plaintiffs(value) -> str:
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    return hub.clean_text("\n".join(lines), "plaintiffs", max_length=2000)


def _clean_defendants(defendants) -> list[Institution]:
    unique = {}
    for inst in defendants or ():
        _of_kind(inst, "defendants", ADMINISTRATIVE_KINDS, _("被告应为人民政府或政府部门。"))
        unique[inst.pk] = inst
    if not unique:
        raise _err("defendants", _("请选择被告行政机关。"))
    return list(unique.values())


def _validated_case_fields(values: dict) -> dict:
    """Validate the given case fields together, so a form shows every error at once."""
    errors: dict[str, list] = {}
    out = {}

    def check(name, fn):
        if name not in values:
            return
        try:
            out[name] = fn(values[name])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)

    def instance(v):
        if v not in AdministrativeCase.Instance.values:
            raise _err("instance", _("请选择审级。"))
        return v

    def cause(v):
        if not isinstance(v, Cause):
            raise _err("cause", _("请选择案由。"))
        return v

    def major(v):
        v = v or ""
        if v not in AdministrativeCase.MajorCategory.values:
            raise _err("major_category", _("无效的重大案件类别。"))
        return v

    check("number", _case_number)
    check("instance", instance)
    check("cause", cause)
    check("plaintiffs", _clean_plaintiffs)
    check("defendants", _clean_defendants)
    check("filed_on", lambda v: _date(v, "filed_on", _("立案日期")))
    check("major_category", major)
    check("summary", lambda v: hub.clean_text(v, "summary", max_length=20000, required=False))
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def case_create(
    *,
    by: User,
    number: str,
    instance: str,
    cause: Cause,
    plaintiffs: str,
    defendants,
    filed_on: dt.date,
    major_category: str = "",
    summary: str = "",
) -> AdministrativeCase:
    access.require(by, "case.create")
    fields = _validated_case_fields(
        {
            "number": number,
            "instance": instance,
            "cause": cause,
            "plaintiffs": plaintiffs,
            "defendants": defendants,
            "filed_on": filed_on,
            "major_category": major_category,
            "summary": summary,
        }
    )
    defendants = fields.pop("defendants")
    if AdministrativeCase.objects.filter(number=fields["number"]).exists():
        raise _err("number", _("案号已存在。"))
    try:
        with transaction.atomic():
            case = AdministrativeCase.objects.create(court=by.institution, created_by=by, **fields)
    except IntegrityError:  # the same number saved concurrently
        raise _err("number", _("案号已存在。")) from None
    case.defendants.set(defendants)
    hub.audit(
        actor=by,
        action="case.create",
        target=case,
        after={"number": case.number, "defendants": "、".join(d.name for d in defendants)},
    )
    for defendant in defendants:
        _notify(
            defendant,
            kind="case.filed",
            title=Msg(gettext_noop("行政案件立案：%(n)s"), n=case.number),
            key=f"case.filed:{case.uuid}:{defendant.pk}",
            url=case.get_absolute_url(),
        )
    return case


@transaction.atomic
def case_update(*, case: AdministrativeCase, by: User, **changes) -> AdministrativeCase:
    """Edit a case. 案号, instance, cause, parties and filing date only while it is pending."""
    case = _locked(case)
    access.require(by, "case.edit", case)
    unknown = set(changes) - set(CORE_CASE_FIELDS) - {"major_category", "summary"}
    if unknown:
        raise TypeError(f"case_update() got unexpected fields {sorted(unknown)}")
    current_defendants = list(case.defendants.all())
    fields = _validated_case_fields(changes)
    new_defendants = fields.pop("defendants", None)
    changed = {name for name, value in fields.items() if getattr(case, name) != value}
    if new_defendants is not None and {d.pk for d in new_defendants} != {d.pk for d in current_defendants}:
        changed.add("defendants")
    if changed & set(CORE_CASE_FIELDS) and case.status != CS.PENDING:
        raise Conflict(_("案件已结案，不能修改案号、审级、案由、当事人或立案日期。"))
    if "number" in changed and AdministrativeCase.objects.filter(number=fields["number"]).exclude(pk=case.pk).exists():
        raise _err("number", _("案号已存在。"))
    if "defendants" in changed:
        removed = {d.pk for d in current_defendants} - {d.pk for d in new_defendants}
        if Appearance.objects.filter(hearing__case=case, defendant_id__in=removed).exists():
            raise _err("defendants", _("已记录出庭情况的被告不能移除。"))
    if "filed_on" in changed and case.hearings.filter(held_on__lt=fields["filed_on"]).exists():
        raise _err("filed_on", _("立案日期不能晚于已登记的开庭日期。"))
    if not changed:
        return case
    before = {name: getattr(case, name) for name in changed if name != "defendants"}
    for name in changed - {"defendants"}:
        setattr(case, name, fields[name])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise _err("number", _("案号已存在。")) from None
    if "defendants" in changed:
        before["defendants"] = "、".join(d.name for d in current_defendants)
        case.defendants.set(new_defendants)
    after = {name: getattr(case, name) for name in changed if name != "defendants"}
    if "defendants" in changed:
        after["defendants"] = "、".join(d.name for d in new_defendants)
    hub.audit(actor=by, action="case.update", target=case, before=before, after=after)
    return case


@transaction.atomic
def hearing_add(*, case: AdministrativeCase, by: User, held_on: dt.date, court_room: str = "") -> Hearing:
    """A hearing of a pending case; it may be scheduled ahead."""
    case = _locked(case)
    access.require(by, "case.hearing", case)
    held_on = _date(
        held_on, "held_on", _("开庭日期"), not_before=case.filed_on, not_before_label=_("立案日期"), future_ok=True
    )
    hearing = Hearing.objects.create(
        case=case, held_on=held_on, court_room=hub.clean_text(court_room, "court_room", max_length=60, required=False)
    )
    hub.audit(
        actor=by, action="case.hearing", target=case, after={"held_on": held_on, "court_room": hearing.court_room}
    )
    for defendant in case.defendants.all():
        _notify(
            defendant,
            kind="case.hearing",
            title=Msg(gettext_noop("开庭：%(n)s（%(d)s）"), n=case.number, d=held_on.isoformat()),
            key=f"case.hearing:{hearing.uuid}:{defendant.pk}",
            url=case.get_absolute_url(),
        )
    return hearing


def _explanation_upload(upload):
    """Sniff the scan (never trust its name), and give it a random stored name."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise _err("explanation", _("文件过大，最大 %(m)d MB。") % {"m": settings.UPLOAD_MAX_BYTES // 1048576})
    head = upload.read(16)
    upload.seek(0)
    ctype = hub.sniff_content_type(head)
    if ctype not in EXPLANATION_TYPES:
        raise _err("explanation", _("书面说明只接受 PDF、PNG、JPEG 文件。"))
    upload.name = f"{uuid.uuid4().hex}{EXPLANATION_TYPES[ctype]}"
    return upload


def _must_summon(case: AdministrativeCase, appearance: Appearance) -> bool:
    # Major cases are "影响面广、关注度高" (work plan 三(三)): the head must be summoned (RULES.md).
    return case.is_major or appearance.summon_basis.startswith("must_")


@transaction.atomic
def appearance_record(
    *,
    hearing: Hearing,
    by: User,
    defendant: Institution,
    kind: str,
    person_name: str = "",
    person_post: str = "",
    explanation=None,
    head_summoned: bool = False,
    summon_basis: str = "",
    summon_reason: str = "",
) -> Appearance:
    """Record (or correct) who appeared for one defendant at one hearing (负责人出庭应诉)."""
    hearing = Hearing.objects.select_for_update().select_related("case").get(pk=hearing.pk)
    case = hearing.case
    access.require(by, "case.appearance", case)
    is_court = case.court_id == by.institution_id
    if not is_court and getattr(defendant, "pk", None) != by.institution_id:
        raise PermissionDenied("case.appearance")  # a defendant records only its own appearance
    if hearing.held_on > timezone.localdate():
        raise Conflict(_("庭审尚未举行，不能记录出庭情况。"))
    if defendant is None or not case.defendants.filter(pk=defendant.pk).exists():
        raise _err("defendant", _("该单位不是本案被告。"))
    if kind not in Appearance.Kind.values:
        raise _err("kind", _("请选择出庭情况。"))
    summon_basis = summon_basis or ""
    if summon_basis not in Appearance.SummonBasis.values:
        raise _err("summon_basis", _("无效的通知依据。"))
    row = Appearance.objects.filter(hearing=hearing, defendant=defendant).first()
    before = {"kind": row.kind, "person_name": row.person_name} if row else {}
    row = row or Appearance(hearing=hearing, defendant=defendant)
    old_file = row.explanation.name if row.explanation else ""
    row.kind = kind
    appeared = kind != Appearance.Kind.NONE
    row.person_name = hub.clean_text(person_name, "person_name", max_length=40, required=False) if appeared else ""
    row.person_post = hub.clean_text(person_post, "person_post", max_length=60, required=False) if appeared else ""
    if is_court or row.pk is None:
        row.head_summoned = bool(head_summoned)
        row.summon_basis = summon_basis if row.head_summoned else ""
        row.summon_reason = (
            hub.clean_text(summon_reason, "summon_reason", max_length=2000, required=False) if row.head_summoned else ""
        )
    if explanation is not None:
        row.explanation = _explanation_upload(explanation)
    row.clean()
    try:
        row.save()
        hub.audit(
            actor=by,
            action="case.appearance",
            target=case,
            before=before,
            after={
                "hearing": hearing.held_on,
                "defendant": defendant.name,
                "kind": row.kind,
                "person_name": row.person_name,
                "head_summoned": row.head_summoned,
            },
        )
    except Exception:
        if explanation is not None and row.explanation.name != old_file:
            row.explanation.delete(save=False)
        raise
    if explanation is not None and old_file and old_file != row.explanation.name:
        storage = row.explanation.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    missed = row.kind == Appearance.Kind.NONE or (row.head_summoned and row.kind != Appearance.Kind.HEAD)
    if missed and _must_summon(case, row):
        # A head absent without valid reason may lead to a 司法建议 (RULES.md): prompt the court.
        _notify(
            case.court,
            kind="case.head_absent",
            title=Msg(
                gettext_noop("负责人未出庭：%(d)s %(n)s（%(h)s）"),
                d=defendant.short_name,
                n=case.number,
                h=hearing.held_on.isoformat(),
            ),
            body=_("本案依法应当通知负责人出庭；无正当理由不出庭的，可以向监察机关或者上一级行政机关提出司法建议。"),
            key=f"case.head_absent:{hearing.uuid}:{defendant.pk}:{row.kind}",
            url=case.get_absolute_url(),
        )
    return row


def _conclusion_dates(case, concluded_on, effective_on):
    concluded_on = _date(
        concluded_on, "concluded_on", _("结案日期"), not_before=case.filed_on, not_before_label=_("立案日期")
    )
    if effective_on not in (None, ""):
        effective_on = _date(
            effective_on, "effective_on", _("生效日期"), not_before=concluded_on, not_before_label=_("结案日期")
        )
    else:
        effective_on = None
    return concluded_on, effective_on


def _obligation(value):
    if value not in (None, True, False):
        raise _err("imposes_obligation", _("请选择生效裁判是否课以义务。"))
    return value


@transaction.atomic
def case_conclude(
    *,
    case: AdministrativeCase,
    by: User,
    outcome: Outcome,
    concluded_on: dt.date,
    effective_on: dt.date | None = None,
    imposes_obligation: bool | None = None,
) -> AdministrativeCase:
    case = _locked(case)
    access.require(by, "case.conclude", case)
    if not isinstance(outcome, Outcome):
        raise _err("outcome", _("请选择结案方式。"))
    concluded_on, effective_on = _conclusion_dates(case, concluded_on, effective_on)
    # A hearing still scheduled may be overtaken (a withdrawal); one with appearances took place.
    if case.hearings.filter(held_on__gt=concluded_on, appearances__isnull=False).exists():
        raise _err("concluded_on", _("结案日期不能早于已举行的开庭日期。"))
    case.outcome = outcome
    case.concluded_on = concluded_on
    case.effective_on = effective_on
    case.imposes_obligation = _obligation(imposes_obligation)
    hub.move(
        case,
        by=by,
        action="case.conclude",
        target=CS.EFFECTIVE if effective_on else CS.CONCLUDED,
        after={"outcome": outcome.name, "concluded_on": concluded_on, "effective_on": effective_on},
    )
    return case


@transaction.atomic
def case_mark_effective(
    *, case: AdministrativeCase, by: User, effective_on: dt.date, imposes_obligation: bool | None = None
) -> AdministrativeCase:
    case = _locked(case)
    access.require(by, "case.mark_effective", case)
    case.effective_on = _date(
        effective_on, "effective_on", _("生效日期"), not_before=case.concluded_on, not_before_label=_("结案日期")
    )
    if imposes_obligation is not None:
        case.imposes_obligation = _obligation(imposes_obligation)
    hub.move(case, by=by, action="case.effective", target=CS.EFFECTIVE, after={"effective_on": case.effective_on})
    return case


@transaction.atomic
def case_record_performance(*, case: AdministrativeCase, by: User, performed_voluntarily: bool) -> AdministrativeCase:
    """Whether an effective judgment imposing an obligation was performed without enforcement."""
    case = _locked(case)
    access.require(by, "case.record_performance", case)
    if performed_voluntarily not in (True, False):
        raise _err("performed_voluntarily", _("请选择是否自动履行。"))
    before = case.performed_voluntarily
    case.performed_voluntarily = performed_voluntarily
    case.save(update_fields=["performed_voluntarily", "updated_at"])
    hub.audit(
        actor=by,
        action="case.performance",
        target=case,
        before={"performed_voluntarily": before},
        after={"performed_voluntarily": performed_voluntarily},
    )
    return case
