"""Shared checks for the case services: locking, state, dates, kinds, notifications."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison import services as hub
from liaison.models import Institution, Letter, User

from ..models import (
    AdministrativeCase,
    Enforcement,
)

K = Institution.Kind
CS = AdministrativeCase.Status
ES = Enforcement.Status
ADMINISTRATIVE_KINDS = (K.GOVERNMENT, K.AGENCY)


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _locked(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _date(value, field: str, label: str, *, not_before=None, not_before_label: str = "", future_ok=False) -> dt.date:
    """A required date, never in the future (unless scheduled) and never before an earlier step."""
    if value in (None, ""):
        raise _err(field, _("请填写%(l)s。") % {"l": label})
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise _err(field, _("%(l)s格式不正确。") % {"l": label}) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise _err(field, _("%(l)s格式不正确。") % {"l": label})
    if not future_ok and value > timezone.localdate():
        raise _err(field, _("%(l)s不能晚于今天。") % {"l": label})
    if not_before is not None and value < not_before:
        raise _err(
            field,
            _("%(l)s不能早于%(o)s（%(d)s）。") % {"l": label, "o": not_before_label, "d": not_before.isoformat()},
        )
    return value


def _count(value, field: str, *, maximum: int = 10000) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise _err(field, _("请填写人数（非负整数）。")) from None
    if not 0 <= value <= maximum:
        raise _err(field, _("人数应在 0 至 %(m)d 之间。") % {"m": maximum})
    return value


def _of_kind(inst, field: str, kinds, message: str, *, required=True):
    if inst is None:
        if required:
            raise _err(field, message)
        return None
    if not isinstance(inst, Institution) or inst.kind not in kinds or not inst.is_active:
        raise _err(field, message)
    return inst


def _government_of(inst: Institution) -> int | None:
    """The government an administrative institution answers to (itself for a government)."""
    if inst.kind == K.GOVERNMENT:
        return inst.pk
    return inst.parent_id if inst.kind == K.AGENCY else None


def _notify(
    institution, *, kind: str, title: str, key: str, url: str, body: str = "", roles=None, about=None, awaits=""
) -> None:
    """`about`/`awaits`: the record and the transition the notice asks for (it settles once taken)."""
    hub.notify_institution(
        institution=institution,
        roles=roles or list(access.ACTING_ROLES),
        kind=kind,
        title=title,
        body=body,
        key=key,
        url=url,
        about=about,
        awaits=awaits,
    )


def _in_jurisdiction(procuratorate: Institution, court: Institution) -> bool:
    """A procuratorate supervises its own region's courts; the city's also those of its counties."""
    if court.region_id == procuratorate.region_id:
        return True
    return procuratorate.level == Institution.Level.CITY and court.region.parent_id == procuratorate.region_id


def _send_letter(*, by: User, title: str, body: str, addressees, source, cc=(), series=Letter.Series.HAN) -> Letter:
    """Draft and submit a letter; a head's letter is signed off (issued) at once."""
    letter = hub.letter_create(
        by=by, title=title, body=body, addressees=list(addressees), cc=list(cc), series=series, source=source
    )
    letter = hub.letter_submit(letter=letter, by=by)
    if by.role == User.Role.HEAD:
        letter = hub.letter_issue(letter=letter, by=by)
    return letter


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
