"""What a viewer gets of the figures: the units in their scope, and the records behind a figure.

The figures themselves are computed for everyone alike (`selectors.compute`), so the
number an agency sees for itself — and its rank — is the number the office sees for it;
this module only decides which units a viewer is shown and, for the drill-down, lists the
cases, hearings or suggestions behind a numerator or denominator that the viewer may
open (`visible_to(user)`), which may be fewer than the figure counts.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from cases.models import AdministrativeCase, Appearance, Hearing
from liaison import access
from liaison.models import Institution, Region
from suggestions.models import Suggestion

from . import selectors
from .access_rules import scope_of
from .models import CountingRules
from .periods import Period
from .selectors import Report, UnitFigures

Through = AdministrativeCase.defendants.through


def require_level(user, level: str) -> None:
    """403 unless the viewer may see figures of this level at all."""
    if level not in selectors.LEVELS:
        raise ValueError(level)
    access.require(user, f"indicators.{level}")


def _in_scope(user, unit: UnitFigures) -> bool:
    scope = scope_of(user)
    if scope.kind == "city":
        return True
    if scope.kind == "region":
        if unit.level == "agency":
            return unit.rank_group == f"region:{scope.region_id}"
        return unit.level == "region" and unit.pk == scope.region_id
    if scope.kind == "own":
        return unit.level == "agency" and unit.pk == scope.institution_id
    return False


def report_for(user, period: Period, level: str, *, today: dt.date | None = None) -> Report:
    """The level's figures (ranked over every unit), keeping only the units the viewer may see."""
    require_level(user, level)
    report = selectors.compute(period, level, today=today)
    report.units = [u for u in report.units if _in_scope(user, u)]
    return report


# ----------------------------------------------------------------------------- drill-down


def resolve_unit(user, level: str, key: str) -> UnitFigures:
    """The unit named by its public key, or 404 when it does not exist or is outside the scope."""
    if level == "city":
        if key not in ("", "city"):
            raise Http404
        unit = UnitFigures("city", None, "city", "", "", "")
    elif level == "agency":
        try:
            inst = Institution.objects.get(uuid=key, kind__in=selectors.DEFENDANT_KINDS)
        except (Institution.DoesNotExist, ValueError, ValidationError):  # a malformed uuid too
            raise Http404 from None
        unit = UnitFigures("agency", inst.pk, str(inst.uuid), inst.name, "", f"region:{inst.region_id}")
    else:
        region = Region.objects.filter(code=key).first()
        if region is None:
            raise Http404
        unit = UnitFigures("region", region.pk, region.code, region.name, region.name, "")
    if not _in_scope(user, unit):
        raise Http404
    return unit


def _measure(indicator: selectors.Indicator, part: str) -> str:
    if part == "numerator":
        return indicator.numerator
    if part == "on_time" and indicator.key == "reply_rate":
        return "on_time"
    if part == "delegated" and indicator.key == "appearance_rate":
        return "delegated"
    if part == "denominator":
        return indicator.denominator
    raise ValueError(part)


def _case_unit_q(unit: UnitFigures) -> Q:
    if unit.level == "agency":
        return Q(pk__in=Through.objects.filter(institution_id=unit.pk).values("administrativecase_id"))
    if unit.level == "region":
        return Q(pk__in=Through.objects.filter(institution__region_id=unit.pk).values("administrativecase_id"))
    return Q()


def drilldown(user, period: Period, level: str, unit: UnitFigures, indicator_key: str, part: str, today=None):
    """(kind, queryset) of the visible records behind one figure; kind is cases, hearings or suggestions."""
    require_level(user, level)
    indicator = selectors.BY_KEY.get(indicator_key)
    if indicator is None:
        raise ValueError(indicator_key)
    measure = _measure(indicator, part)
    rules = CountingRules.current()
    today = today or timezone.localdate()
    if indicator.source == "cases":
        condition = selectors.case_filters(period, rules)[measure]
        qs = (
            AdministrativeCase.objects.visible_to(user)
            .filter(_case_unit_q(unit))
            .filter(condition)
            .select_related("court", "cause", "outcome")
            .prefetch_related("defendants")
            .order_by("effective_on", "id")
        )
        return "cases", qs
    if indicator.source == "suggestions":
        condition = selectors.suggestion_filters(period)[measure]
        qs = selectors.suggestion_base(rules).filter(condition)
        if unit.level == "agency":
            qs = qs.filter(recipient_id=unit.pk)
        elif unit.level == "region":
            qs = qs.filter(recipient__region_id=unit.pk)
        visible = Suggestion.objects.visible_to(user).values("pk")
        qs = qs.filter(pk__in=visible).select_related("issuer", "recipient", "letter").order_by("reply_due", "id")
        return "suggestions", qs
    # Hearings: (hearing, defendant) pairs of cases the viewer may see.
    held = selectors.hearing_filters(period, today)["hearings"]
    of_unit = {}
    if unit.level == "agency":
        of_unit = {"case__defendants": unit.pk}
    elif unit.level == "region":
        of_unit = {"case__defendants__region_id": unit.pk}
    # One filter() call, so the defendant join it makes is the one the pairs are read from.
    pairs = Hearing.objects.filter(held, case__in=AdministrativeCase.objects.visible_to(user).values("pk"), **of_unit)
    kind = Appearance.objects.filter(hearing=OuterRef("pk"), defendant=OuterRef("defendant_id"))
    pairs = pairs.annotate(
        defendant_id=F("case__defendants"),
        defendant_name=F("case__defendants__name"),
        case_number=F("case__number"),
        case_uuid=F("case__uuid"),
    ).annotate(
        appearance=Subquery(kind.values("kind")[:1]),
        explanation=Subquery(kind.values("explanation")[:1]),
    )
    if measure == "heads":
        pairs = pairs.filter(appearance=Appearance.Kind.HEAD)
    elif measure == "delegated":
        pairs = pairs.filter(appearance=Appearance.Kind.DELEGATED).exclude(explanation="")
    return "hearings", pairs.order_by("held_on", "id", "defendant_id")
