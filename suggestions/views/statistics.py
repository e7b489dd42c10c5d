"""建议统计: issued, received, replied (on time), overdue and adopted per group and period."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.excel import xlsx_response

from .. import page_selectors, selectors
from ..forms import GROUP_CHOICES, StatisticsForm

GROUP_HEADINGS = {
    "issuer": gettext_lazy("发出机关"),
    "recipient": gettext_lazy("被建议单位"),
    "region": gettext_lazy("地区"),
    "kind": gettext_lazy("建议类别"),
}


def _compute(request):
    form = StatisticsForm(request.GET or None)
    start, end, period_label = form.period()
    group = form.group_by()
    rows = selectors.statistics(user=request.user, start=start, end=end, group_by=group)
    for row in rows:
        row["reply_rate_text"] = page_selectors.rate_text(row["reply_rate"])
        row["on_time_rate_text"] = page_selectors.rate_text(row["on_time_rate"])
    totals = page_selectors.statistics_totals(rows)
    totals["reply_rate_text"] = page_selectors.rate_text(totals["reply_rate"])
    totals["on_time_rate_text"] = page_selectors.rate_text(totals["on_time_rate"])
    return form, start, end, period_label, group, rows, totals


@login_required
def statistics(request):
    form, start, end, period_label, group, rows, totals = _compute(request)
    params = request.GET.copy()
    context = {
        "form": form,
        "start": start,
        "end": end,
        "period_label": period_label,
        "group": group,
        "group_heading": GROUP_HEADINGS[group],
        "group_label": dict(GROUP_CHOICES)[group],
        "rows": rows,
        "totals": totals,
        "export_query": params.urlencode(),
    }
    return render(request, "suggestions/statistics.html", context)


HEADERS = [
    gettext_lazy("发出"),
    gettext_lazy("签收"),
    gettext_lazy("应回复"),
    gettext_lazy("已回复"),
    gettext_lazy("按期回复"),
    gettext_lazy("逾期未回复"),
    gettext_lazy("采纳"),
    gettext_lazy("回复率"),
    gettext_lazy("按期回复率"),
]


@login_required
def statistics_export(request):
    _form, start, end, period_label, group, rows, totals = _compute(request)

    def line(label, r):
        return [
            label,
            r["issued"],
            r["received"],
            r["due"],
            r["replied"],
            r["on_time"],
            r["overdue"],
            r["adopted"],
            r["reply_rate_text"],
            r["on_time_rate_text"],
        ]

    data = [line(row["group"], row) for row in rows]
    data.append(line(_("合计"), totals))
    headers = [str(GROUP_HEADINGS[group]), *[str(h) for h in HEADERS]]
    filename = _("建议统计_%(a)s_%(b)s.xlsx") % {"a": start.isoformat(), "b": end.isoformat()}
    return xlsx_response(filename, headers, data, sheet_title=_("建议统计"))
