"""Trial observation (庭审旁听/观摩) and post-judgment review (判后评议)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access, links
from liaison import services as hub
from liaison.i18n import Msg
from liaison.models import Institution, User

from ..models import (
    AdministrativeCase,
    Observation,
    ObservationAttendance,
    Review,
)
from ._common import (
    ADMINISTRATIVE_KINDS,
    K,
    _count,
    _date,
    _err,
    _locked,
    _notify,
    _of_kind,
)


@transaction.atomic
def observation_create(
    *,
    case: AdministrativeCase,
    by: User,
    held_on: dt.date,
    title: str,
    attendees,
    procuratorate: Institution | None = None,
) -> Observation:
    """庭审观摩 of a typical case: agencies send staff, the procuratorate may be invited to supervise.

    `attendees` is a list of (institution, number of people invited)."""
    access.require(by, "observation.create", case)
    title = hub.clean_text(title, "title", max_length=200)
    held_on = _date(
        held_on, "held_on", _("观摩日期"), not_before=case.filed_on, not_before_label=_("立案日期"), future_ok=True
    )
    rows = {}
    for item in attendees or ():
        try:
            institution, invited = item
        except (TypeError, ValueError):
            raise _err("attendees", _("参加单位格式不正确。")) from None
        _of_kind(institution, "attendees", ADMINISTRATIVE_KINDS, _("参加观摩的应为行政机关。"))
        if institution.pk in rows:
            raise _err("attendees", _("同一单位不能重复邀请。"))
        rows[institution.pk] = (institution, _count(invited, "attendees"))
    if not rows:
        raise _err("attendees", _("请至少邀请一个行政机关。"))
    procuratorate = _of_kind(
        procuratorate, "procuratorate", (K.PROCURATORATE,), _("请选择人民检察院。"), required=False
    )
    observation = Observation.objects.create(
        case=case, court=case.court, held_on=held_on, title=title, procuratorate=procuratorate, created_by=by
    )
    ObservationAttendance.objects.bulk_create(
        ObservationAttendance(observation=observation, institution=inst, invited=invited)
        for inst, invited in rows.values()
    )
    hub.audit(
        actor=by,
        action="observation.create",
        target=observation,
        after={"case": case.number, "attendees": "、".join(i.name for i, _n in rows.values())},
    )
    invitees = [inst for inst, _n in rows.values()] + ([procuratorate] if procuratorate else [])
    for inst in invitees:
        _notify(
            inst,
            kind="observation.invited",
            title=Msg(gettext_noop("庭审观摩邀请：%(t)s（%(d)s）"), t=title, d=held_on.isoformat()),
            key=f"observation.invited:{observation.uuid}:{inst.pk}",
            url=observation.get_absolute_url(),
        )
    return observation


@transaction.atomic
def observation_record_attendance(
    *, observation: Observation, by: User, institution: Institution, attended, names: str = ""
) -> ObservationAttendance:
    observation = _locked(observation)
    access.require(by, "observation.attendance", observation)  # once held (409 before)
    row = ObservationAttendance.objects.filter(
        observation=observation, institution_id=getattr(institution, "pk", None)
    ).first()
    if row is None:
        raise _err("institution", _("该单位不在邀请名单中。"))
    before = {"attended": row.attended}
    row.attended = _count(attended, "attended")
    row.names = hub.clean_text(names, "names", max_length=2000, required=False)
    row.save(update_fields=["attended", "names"])
    hub.audit(
        actor=by,
        action="observation.attendance",
        target=observation,
        before=before,
        after={"institution": row.institution.name, "attended": row.attended},
    )
    return row


@transaction.atomic
def review_create(
    *,
    case: AdministrativeCase,
    by: User,
    held_on: dt.date,
    participants,
    act_problems: str = "",
    litigation_work: str = "",
    risk_prevention: str = "",
    trial_conduct: str = "",
    dispute_resolution: str = "",
    social_impact: str = "",
) -> Review:
    """判后评议 once the judgment is effective, on the six topics of work plan 四(四)3."""
    case = _locked(case)
    access.require(by, "review.create", case)  # an effective case (409 otherwise)
    held_on = _date(held_on, "held_on", _("评议日期"), not_before=case.effective_on, not_before_label=_("生效日期"))
    unique = {}
    for inst in participants or ():
        _of_kind(inst, "participants", (K.GOVERNMENT, K.AGENCY, K.PROCURATORATE), _("参加单位应为行政机关或检察院。"))
        unique[inst.pk] = inst
    if not unique:
        raise _err("participants", _("请选择参加评议的单位。"))
    given = {
        "act_problems": act_problems,
        "litigation_work": litigation_work,
        "risk_prevention": risk_prevention,
        "trial_conduct": trial_conduct,
        "dispute_resolution": dispute_resolution,
        "social_impact": social_impact,
    }
    topics = {name: hub.clean_text(given[name], name, max_length=20000, required=False) for name in Review.TOPICS}
    if not any(topics.values()):
        raise ValidationError({"non_field_errors": [_("请至少填写一项评议内容。")]})
    review = Review.objects.create(case=case, court=case.court, held_on=held_on, created_by=by, **topics)
    review.participants.set(unique.values())
    hub.audit(
        actor=by,
        action="review.create",
        target=review,
        after={"case": case.number, "topics": [name for name, text in topics.items() if text]},
    )
    for inst in unique.values():
        # A participant need not be a party to the case: the 案号 is named only to those who may see it.
        seeing, blind = links.split_viewers(access.institution_users(inst, list(access.ACTING_ROLES)), case)
        for users, name in ((seeing, case.number), (blind, f"{case.court.short_name} {held_on.isoformat()}")):
            if users:
                hub.notify(
                    users=users,
                    kind="review.created",
                    title=Msg(gettext_noop("判后评议：%(n)s"), n=name),
                    key=f"review.created:{review.uuid}:{inst.pk}",
                    url=review.get_absolute_url(),
                )
    return review
