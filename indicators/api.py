"""/api/v1/indicators/: the figures, the records behind each, and the Excel export.

Every answer goes through `indicators.viewing`: a level the viewer may not see answers 403,
a unit outside the viewer's scope 404, bad parameters 400 with field errors.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api.views import Pagination, errors
from liaison.excel import xlsx_response

from . import selectors, viewing
from .periods import Period

LEVEL_CHOICES = [
    ("agency", gettext_lazy("行政机关")),
    ("region", gettext_lazy("政府（本级及所属部门）")),
    ("city", gettext_lazy("全市")),
]
INDICATOR_CHOICES = [(i.key, i.name) for i in selectors.INDICATORS]
PART_CHOICES = [
    ("numerator", gettext_lazy("分子")),
    ("denominator", gettext_lazy("分母")),
    ("on_time", gettext_lazy("按期回复（回复率）")),
    ("delegated", gettext_lazy("委托出庭并附书面说明（出庭率）")),
]


def default_period(today=None) -> Period:
    """The last complete quarter: what a bulletin reports."""
    return Period.containing(today or timezone.localdate()).previous()


class PeriodQuerySerializer(serializers.Serializer):
    quarter = serializers.CharField(required=False, max_length=6, help_text=gettext_lazy("季度，如 2026Q3。"))
    year = serializers.CharField(
        required=False, max_length=4, help_text=gettext_lazy("年度，如 2026；与 quarter 二选一。")
    )
    level = serializers.ChoiceField(choices=LEVEL_CHOICES, default="agency")

    def validate(self, data):
        quarter, year = data.pop("quarter", None), data.pop("year", None)
        if quarter and year:
            raise serializers.ValidationError({"year": [_("季度与年度只能选一个。")]})
        try:
            if quarter:
                period = Period.parse(quarter)
                if not period.is_quarter:
                    raise ValueError
            elif year:
                period = Period.parse(year)
                if period.is_quarter:
                    raise ValueError
            else:
                period = default_period()
        except ValueError:
            field = "quarter" if quarter else "year"
            raise serializers.ValidationError(
                {field: [_("季度格式应为 2026Q3。") if quarter else _("年度格式应为 2026。")]}
            ) from None
        data["period"] = period
        return data


class DrilldownQuerySerializer(PeriodQuerySerializer):
    unit = serializers.CharField(
        required=False, max_length=64, help_text=gettext_lazy("机关 uuid、行政区域代码，或全市为 city。")
    )
    indicator = serializers.ChoiceField(choices=INDICATOR_CHOICES)
    part = serializers.ChoiceField(choices=PART_CHOICES, default="denominator")

    def validate(self, data):
        data = super().validate(data)
        if data["level"] != "city" and not data.get("unit"):
            raise serializers.ValidationError({"unit": [_("请指明机关或行政区域。")]})
        if data["part"] == "on_time" and data["indicator"] != "reply_rate":
            raise serializers.ValidationError({"part": [_("按期回复只适用于司法建议回复率。")]})
        if data["part"] == "delegated" and data["indicator"] != "appearance_rate":
            raise serializers.ValidationError({"part": [_("委托出庭只适用于负责人出庭率。")]})
        return data


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _num(value):
    return None if value is None else str(value)


def _counts(c: selectors.Counts | None) -> dict | None:
    if c is None:
        return None
    out = {
        "numerator": c.numerator,
        "denominator": c.denominator,
        "rate": _num(c.rate),
        "display": selectors.display(c.rate),
    }
    if c.on_time is not None:
        out["on_time"] = c.on_time
        out["on_time_rate"] = _num(c.on_time_rate)
        out["on_time_display"] = selectors.display(c.on_time_rate)
    if c.delegated is not None:
        out["delegated"] = c.delegated
    return out


def _drill_url(report, unit, indicator, part) -> str:
    query = {
        ("quarter" if report.period.is_quarter else "year"): report.period.code,
        "level": report.level,
        "unit": unit.key,
        "indicator": indicator,
        "part": part,
    }
    return reverse("api:indicator-drilldown") + "?" + urlencode(query)


def report_payload(report: selectors.Report, *, links: bool = True) -> dict:
    units = []
    for unit in report.units:
        figures = {}
        for key, f in unit.figures.items():
            figures[key] = {
                **_counts(f.current),
                "previous": _counts(f.previous),
                "change_previous": _num(f.change_previous),
                "last_year": _counts(f.last_year),
                "change_last_year": _num(f.change_last_year),
                "rank": f.rank,
                "ranked_of": f.ranked_of,
            }
            if links:
                figures[key]["numerator_url"] = _drill_url(report, unit, key, "numerator")
                figures[key]["denominator_url"] = _drill_url(report, unit, key, "denominator")
        units.append({"key": unit.key, "name": unit.name, "region": unit.region, "figures": figures})
    return {
        "period": report.period.code,
        "period_label": report.period.label,
        "previous_period": report.period.previous().code,
        "last_year_period": report.period.last_year().code if report.period.is_quarter else None,
        "level": report.level,
        "rules": report.rules,
        "computed_at": report.computed_at,
        "indicators": [
            {
                "key": i.key,
                "name": str(i.name),
                "numerator": str(i.numerator_label),
                "denominator": str(i.denominator_label),
                "higher_is_better": i.higher_is_better,
            }
            for i in selectors.INDICATORS
        ],
        "units": units,
    }


class IndicatorView(APIView):
    """The five indicators of a quarter or a year for every unit of a level the viewer may see.

    An agency sees only its own row (with its rank among its region's agencies); a county
    government, court or procuratorate its county; the office, the city government and
    its legal-affairs staff, the intermediate court and the city procuratorate the whole city.
    Rates are strings with two decimals, `null` (display "—") for an empty denominator;
    changes are percentage points.
    """

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses={200: OpenApiResponse(description=gettext_lazy("各单位五项指标")), **errors(400, 403)},
    )
    def get(self, request):
        params = _validated(PeriodQuerySerializer, request)
        report = viewing.report_for(request.user, params["period"], params["level"])
        return Response(report_payload(report))


class IndicatorExportView(APIView):
    """The same table as an Excel workbook (one row per unit, every figure in its own column)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses={200: OpenApiResponse(description="xlsx"), **errors(400, 403)},
    )
    def get(self, request):
        params = _validated(PeriodQuerySerializer, request)
        report = viewing.report_for(request.user, params["period"], params["level"])
        headers, rows = export_table(report)
        return xlsx_response(
            f"指标_{report.period.code}_{report.level}.xlsx", headers, rows, sheet_title=report.period.code
        )


def export_table(report: selectors.Report):
    headers = [_("单位"), _("行政区域")]
    for i in selectors.INDICATORS:
        headers += [
            f"{i.name}·{i.numerator_label}",
            f"{i.name}·{i.denominator_label}",
            f"{i.name}·{_('比率')}",
            f"{i.name}·{_('较上期（百分点）')}",
        ]
        if report.period.is_quarter:
            headers.append(f"{i.name}·{_('较上年同期（百分点）')}")
        headers.append(f"{i.name}·{_('排名')}")
    rows = []
    for unit in report.units:
        row = [unit.name, unit.region]
        for i in selectors.INDICATORS:
            f = unit.figures[i.key]
            row += [f.current.numerator, f.current.denominator, f.display, selectors.display_change(f.change_previous)]
            if report.period.is_quarter:
                row.append(selectors.display_change(f.change_last_year))
            row.append(f"{f.rank}/{f.ranked_of}" if f.rank else "—")
        rows.append(row)
    return headers, rows


def _case_row(c) -> dict:
    return {
        "uuid": str(c.uuid),
        "number": c.number,
        "court": c.court.name,
        "instance": c.get_instance_display(),
        "cause": c.cause.name,
        "defendants": [d.name for d in c.defendants.all()],
        "outcome": c.outcome.name if c.outcome_id else None,
        "counts_as_lost": c.outcome.counts_as_lost if c.outcome_id else None,
        "concluded_on": c.concluded_on,
        "effective_on": c.effective_on,
        "imposes_obligation": c.imposes_obligation,
        "performed_voluntarily": c.performed_voluntarily,
    }


def _hearing_row(h) -> dict:
    from cases.models import Appearance

    return {
        "hearing": str(h.uuid),
        "case": str(h.case_uuid),
        "case_number": h.case_number,
        "held_on": h.held_on,
        "defendant": h.defendant_name,
        "appearance": h.appearance,
        "appearance_display": Appearance.Kind(h.appearance).label if h.appearance else _("未记录"),
    }


def _suggestion_row(s) -> dict:
    return {
        "uuid": str(s.uuid),
        "doc_number": s.letter.doc_number if s.letter_id else None,
        "title": s.title,
        "kind": s.get_kind_display(),
        "issuer": s.issuer.name,
        "recipient": s.recipient.name,
        "reply_due": s.reply_due,
        "replied_on": s.replied_on,
        "on_time": bool(s.replied_on and s.reply_due and s.replied_on <= s.reply_due),
    }


ROWS = {"cases": _case_row, "hearings": _hearing_row, "suggestions": _suggestion_row}


class IndicatorDrilldownView(APIView):
    """The cases, hearings or suggestions behind one figure's numerator or denominator.

    Only records the viewer may open are listed (`count` may be lower than the figure).
    """

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination

    @extend_schema(
        parameters=[DrilldownQuerySerializer],
        responses={200: OpenApiResponse(description=gettext_lazy("分子或分母所含记录")), **errors(400, 403, 404)},
    )
    def get(self, request):
        params = _validated(DrilldownQuerySerializer, request)
        viewing.require_level(request.user, params["level"])
        unit = viewing.resolve_unit(request.user, params["level"], params.get("unit") or "city")
        kind, qs = viewing.drilldown(
            request.user, params["period"], params["level"], unit, params["indicator"], params["part"]
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        response = paginator.get_paginated_response([ROWS[kind](row) for row in page])
        response.data["kind"] = kind
        response.data["period"] = params["period"].code
        return response
