"""The dashboards: one page whose subject is the city, a county or one agency.

Who sees which subject is `indicators.viewing`'s scope: the city office, the city
government and its legal-affairs office (and the city's court and procuratorate) start
on the city and may open any county or agency; a county's government, court and
procuratorate start on their county and may open its agencies; an agency's staff see
their own agency only — its figures, its trend and its rank, never another agency's
figures. A subject outside the viewer's scope answers 404 (as a record would).

Charts are drawn in the browser by the vendored Chart.js from the page's JSON
(`json_script`, read by static/indicators/dashboard.js: no inline script under the CSP);
every chart has its data table next to it, and every figure links to its drill-down.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison.views.common import paginate

from .. import charts, selectors, viewing
from ..access_rules import scope_of
from ..api import DrilldownQuerySerializer, default_period
from ..periods import Period

GET = require_http_methods(["GET", "HEAD"])
TREND_QUARTERS = 8


def period_query(period: Period) -> dict:
    return {("quarter" if period.is_quarter else "year"): period.code}


def drill_url(period: Period, level: str, key: str, indicator: str, part: str) -> str:
    query = {**period_query(period), "level": level, "unit": key, "indicator": indicator, "part": part}
    return reverse("indicators:drilldown") + "?" + urlencode(query)


def subject_url(period: Period, level: str, key: str) -> str:
    query = period_query(period)
    if level == "region":
        query["region"] = key
    elif level == "agency":
        query["agency"] = key
    return reverse("indicators:index") + "?" + urlencode(query)


def _period(request) -> tuple[Period, str]:
    """The period asked for (quarter= or year=), or the last complete quarter with a message."""
    raw = request.GET.get("quarter") or request.GET.get("year") or ""
    if not raw:
        return default_period(), ""
    try:
        period = Period.parse(raw[:10])
    except ValueError as exc:
        return default_period(), str(exc)
    return period, ""


def _subject(request, scope) -> tuple[str, str]:
    """(level, key) of the page's subject: asked for, or the viewer's own (404 outside the scope)."""
    if request.GET.get("agency"):
        level, key = "agency", request.GET["agency"][:64]
    elif request.GET.get("region"):
        level, key = "region", request.GET["region"][:32]
    elif scope.kind == "city":
        level, key = "city", "city"
    elif scope.kind == "region":
        from liaison.models import Region

        level, key = "region", Region.objects.get(pk=scope.region_id).code
    else:
        from liaison.models import Institution

        level, key = "agency", str(Institution.objects.get(pk=scope.institution_id).uuid)
    return level, key


def _cell(period, level, unit, figure) -> dict:
    c = figure.current
    return {
        "key": figure.indicator.key,
        "display": figure.display,
        "numerator": c.numerator,
        "denominator": c.denominator,
        "numerator_url": drill_url(period, level, unit.key, figure.indicator.key, "numerator"),
        "denominator_url": drill_url(period, level, unit.key, figure.indicator.key, "denominator"),
        "change_previous": selectors.display_change(figure.change_previous),
        "change_last_year": selectors.display_change(figure.change_last_year),
        "rank": figure.rank,
        "ranked_of": figure.ranked_of,
        "on_time": c.on_time,
        "on_time_display": selectors.display(c.on_time_rate) if c.on_time is not None else "",
        "on_time_url": drill_url(period, level, unit.key, figure.indicator.key, "on_time")
        if c.on_time is not None
        else "",
        "delegated": c.delegated,
        "delegated_url": drill_url(period, level, unit.key, figure.indicator.key, "delegated")
        if c.delegated is not None
        else "",
        "higher_is_better": figure.indicator.higher_is_better,
    }


def _rows(period, level, units, *, link_units: bool) -> list[dict]:
    return [
        {
            "name": u.name,
            "url": subject_url(period, level, u.key) if link_units else "",
            "cells": [_cell(period, level, u, u.figures[i.key]) for i in selectors.INDICATORS],
        }
        for u in units
    ]


def _rate(value) -> float | None:
    return None if value is None else float(value)


def _trend(period: Period, level: str, unit) -> dict:
    """The subject's five rates over the eight quarters ending with `period` (or its last quarter)."""
    last = period if period.is_quarter else Period(period.year, 4)
    now = Period.containing(timezone.localdate())
    if (last.year, last.quarter) > (now.year, now.quarter):
        last = now
    quarters = last.trail(TREND_QUARTERS)
    rows, series = [], {i.key: [] for i in selectors.INDICATORS}
    for p in quarters:
        report = selectors.compute(p, level, units=[unit.pk] if level == "agency" else None, rank=False)
        u = report.units[0] if level == "city" else report.unit(unit.pk)
        cells = []
        for i in selectors.INDICATORS:
            f = u.figures[i.key]
            series[i.key].append(_rate(f.rate))
            cells.append(
                {
                    "display": f.display,
                    "numerator": f.current.numerator,
                    "denominator": f.current.denominator,
                    "numerator_url": drill_url(p, level, unit.key, i.key, "numerator"),
                    "denominator_url": drill_url(p, level, unit.key, i.key, "denominator"),
                }
            )
        rows.append({"period": p, "url": subject_url(p, level, unit.key), "cells": cells})
    chart = {
        "type": "trend",
        "labels": [p.code for p in quarters],
        "series": [
            {"key": i.key, "name": str(i.name), "colour": charts.COLOURS[i.key], "data": series[i.key]}
            for i in selectors.INDICATORS
        ],
    }
    return {"rows": rows, "chart": chart}


def _ranking(period, level, units, indicator) -> dict:
    """One indicator's ranking bars over `units` (ranked first, in rank order; "—" last, without a bar)."""
    ranked = sorted(
        units,
        key=lambda u: (u.figures[indicator.key].rank is None, u.figures[indicator.key].rank or 0, u.name),
    )
    return {
        "chart": {
            "type": "ranking",
            "label": str(indicator.name),
            "colour": charts.COLOURS[indicator.key],
            "labels": [u.name for u in ranked],
            "data": [_rate(u.figures[indicator.key].rate) for u in ranked],
        },
        "rows": [
            {
                "rank": u.figures[indicator.key].rank,
                "name": u.name,
                "url": subject_url(period, level, u.key),
                "cell": _cell(period, level, u, u.figures[indicator.key]),
            }
            for u in ranked
        ],
    }


@login_required
@GET
def index(request):
    user = request.user
    scope = scope_of(user)
    if scope.kind == "none":
        raise PermissionDenied
    period, period_error = _period(request)
    level, key = _subject(request, scope)
    unit = viewing.resolve_unit(user, level, key)  # 404 outside the viewer's scope
    indicator = selectors.BY_KEY.get(request.GET.get("indicator", ""), selectors.INDICATORS[0])

    report = viewing.report_for(user, period, level)
    subject = report.unit(unit.pk) if level != "city" else report.units[0]
    rankings = []
    if level == "city":
        regions = viewing.report_for(user, period, "region")
        counties = [u for u in regions.units if u.rank_group == "counties"]
        agencies = viewing.report_for(user, period, "agency")
        city_region = next((u for u in regions.units if u.rank_group != "counties"), None)
        own = [u for u in agencies.units if city_region and u.rank_group == f"region:{city_region.pk}"]
        rankings = [
            {"title": _("各县（区）排名"), "level": "region", **_ranking(period, "region", counties, indicator)},
            {"title": _("市直部门排名"), "level": "agency", **_ranking(period, "agency", own, indicator)},
        ]
        tables = [
            {"title": _("各县（区）及市本级"), "rows": _rows(period, "region", regions.units, link_units=True)},
            {"title": _("市直部门"), "rows": _rows(period, "agency", own, link_units=True)},
        ]
    elif level == "region":
        agencies = viewing.report_for(user, period, "agency")
        mine = [u for u in agencies.units if u.rank_group == f"region:{unit.pk}"]
        rankings = [{"title": _("本级各部门排名"), "level": "agency", **_ranking(period, "agency", mine, indicator)}]
        tables = [{"title": _("本级各部门"), "rows": _rows(period, "agency", mine, link_units=True)}]
    else:
        tables = []
    headline = _rows(period, level, [subject], link_units=False)[0]["cells"]
    trend = _trend(period, level, unit)
    now = Period.containing(timezone.localdate())
    choices = [p for p in now.trail(12)][::-1]
    export = reverse("api:indicator-export") + "?" + urlencode({**period_query(period), "level": level})
    return render(
        request,
        "indicators/dashboard.html",
        {
            "period": period,
            "period_error": period_error,
            "quarters": choices,
            "years": [now.year - n for n in range(3)],
            "level": level,
            "subject": subject,
            "subject_key": unit.key,
            "scope": scope,
            "indicators": selectors.INDICATORS,
            "indicator": indicator,
            "headline": headline,
            "trend": trend,
            "rankings": rankings,
            "tables": tables,
            "charts": {
                "trend": trend["chart"],
                **{f"ranking{n}": r["chart"] for n, r in enumerate(rankings)},
            },
            "export_url": export,
            "rules": report.rules,
            "own_scope": scope.kind == "own",
            "up_url": _up_url(scope, level, period),
        },
    )


def _up_url(scope, level, period) -> str:
    """Back to the viewer's own dashboard when looking at a narrower subject."""
    if level == "city" or scope.kind == "own":
        return ""
    if scope.kind == "region" and level == "region":
        return ""
    return reverse("indicators:index") + "?" + urlencode(period_query(period))


# ----------------------------------------------------------------------------- drill-down


@login_required
@GET
def drilldown(request):
    """The records behind one figure, as a page (the API's drill-down with links to each record)."""
    user = request.user
    serializer = DrilldownQuerySerializer(data=request.GET)
    if not serializer.is_valid():
        return render(request, "indicators/drilldown.html", {"errors": serializer.errors, "page": None}, status=400)
    params = serializer.validated_data
    period, level = params["period"], params["level"]
    viewing.require_level(user, level)
    unit = viewing.resolve_unit(user, level, params.get("unit") or "city")
    kind, qs = viewing.drilldown(user, period, level, unit, params["indicator"], params["part"])
    indicator = selectors.BY_KEY[params["indicator"]]
    report = viewing.report_for(user, period, level)
    shown = report.units[0] if level == "city" else report.unit(unit.pk)
    figure = shown.figures[indicator.key] if shown else None
    part_labels = {
        "numerator": indicator.numerator_label,
        "denominator": indicator.denominator_label,
        "on_time": _("按期回复"),
        "delegated": _("委托出庭并附书面说明"),
    }
    return render(
        request,
        "indicators/drilldown.html",
        {
            "kind": kind,
            "page": paginate(request, qs),
            "period": period,
            "level": level,
            "unit": shown or unit,
            "indicator": indicator,
            "part": params["part"],
            "part_label": part_labels[params["part"]],
            "figure": figure,
            "back": subject_url(period, level, unit.key),
            "other_part_url": drill_url(
                period,
                level,
                unit.key,
                indicator.key,
                "denominator" if params["part"] != "denominator" else "numerator",
            ),
        },
    )
