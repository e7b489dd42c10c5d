"""建议统计: issued, received, replied (on time), overdue and adopted per group and period."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import lists

from .. import page_selectors, selectors
from ..forms import GROUP_CHOICES, StatisticsForm
from ..listings import STATISTICS

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


def _about(period_label, group) -> dict:
    return {"scope": [(_("统计期间"), period_label)], "labels": {"group": GROUP_HEADINGS[group]}}


@login_required
def statistics(request):
    form, start, end, period_label, group, rows, totals = _compute(request)
    listing = lists.Listing(
        STATISTICS,
        request,
        None,
        rows,
        filters=form,
        totals={**totals, "group": _("合计")},
        caption=_(
            "统计期间：%(p)s。应回复 = 期内到期未回复数 + 期内回复数；回复率 = 已回复 ÷ 应回复；分母为 0 时显示“—”。"
        )
        % {"p": period_label},
        **_about(period_label, group),
    )
    context = {
        "listing": listing,
        "form": form,
        "start": start,
        "end": end,
        "period_label": period_label,
        "group": group,
        "group_label": dict(GROUP_CHOICES)[group],
        "rows": rows,
        "totals": totals,
    }
    return render(request, "suggestions/statistics.html", context)


@login_required
def statistics_export(request):
    form, start, end, period_label, group, rows, totals = _compute(request)
    filename = _("建议统计_%(a)s_%(b)s.xlsx") % {"a": start.isoformat(), "b": end.isoformat()}
    return STATISTICS.export(
        [*rows, {**totals, "group": _("合计")}],
        viewer=request.user,
        filters=form,
        filename=filename,
        **_about(period_label, group),
    )
