"""The annual report's numbers: grouped aggregates in the database, a few rows each.

Scope: the city report counts every case, suggestion and enforcement in the city; a
county's counts those of its agencies (a case counts once however many of its defendants
the county has) and of its court. The year's five indicators come from `selectors.compute`
(the same figures as the dashboards and bulletins).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import AdministrativeCase, Enforcement
from liaison.models import Region
from suggestions.models import Suggestion

from . import markup, selectors
from .models import CountingRules
from .periods import Period

Through = AdministrativeCase.defendants.through


def _cases(region: Region):
    qs = AdministrativeCase.objects.all()
    if region.parent_id is not None:
        ids = Through.objects.filter(institution__region=region).values("administrativecase_id")
        qs = qs.filter(Q(pk__in=ids) | Q(court__region=region))
    return qs


def _grouped(qs, field: str, year: Period) -> list[dict]:
    filed = Q(filed_on__gte=year.start, filed_on__lte=year.end)
    concluded = Q(outcome__isnull=False, concluded_on__gte=year.start, concluded_on__lte=year.end)
    rows = (
        qs.filter(filed | concluded)
        .values(name=F(field))
        .annotate(
            filed=Count("pk", filter=filed),
            concluded=Count("pk", filter=concluded),
            lost=Count("pk", filter=concluded & Q(outcome__counts_as_lost=True)),
        )
        .order_by("-filed", "name")
    )
    return [dict(r) for r in rows]


def caseload(region: Region, year: Period) -> dict:
    qs = _cases(region)
    concluded = qs.filter(outcome__isnull=False, concluded_on__gte=year.start, concluded_on__lte=year.end)
    by_outcome = [
        dict(r)
        for r in concluded.values(name=F("outcome__name"), lost=F("outcome__counts_as_lost"))
        .annotate(count=Count("pk"))
        .order_by("-count", "name")
    ]
    totals = qs.aggregate(
        filed=Count("pk", filter=Q(filed_on__gte=year.start, filed_on__lte=year.end)),
        concluded=Count(
            "pk", filter=Q(outcome__isnull=False, concluded_on__gte=year.start, concluded_on__lte=year.end)
        ),
        first=Count(
            "pk",
            filter=Q(filed_on__gte=year.start, filed_on__lte=year.end, instance=AdministrativeCase.Instance.FIRST),
        ),
    )
    return {
        "totals": totals,
        "by_cause": _grouped(qs, "cause__name", year),
        "by_court": _grouped(qs, "court__name", year),
        "by_outcome": by_outcome,
    }


def losses(region: Region, year: Period, agencies: selectors.Report) -> list[dict]:
    """Agencies with a lost case in the year, worst first, and the outcomes they lost by (the reasons)."""
    # the same cases as the loss rate's numerator (counting rules and loss mapping), by outcome
    # (the defendant rows carry the case's counted fields under the same names, as the figures read them)
    condition = selectors.case_filters(year, CountingRules.current())["lost"]
    lost = (
        Through.objects.filter(condition)
        .values("institution_id", outcome_name=F("outcome__name"))
        .annotate(n=Count("administrativecase_id"))
        .order_by()
    )
    reasons: dict[int, dict[str, int]] = {}
    for row in lost:
        reasons.setdefault(row["institution_id"], {})[row["outcome_name"]] = row["n"]
    out = []
    for unit in agencies.units:
        f = unit.figures["loss_rate"]
        if not f.current.numerator:
            continue
        why = reasons.get(unit.pk, {})
        out.append(
            {
                "name": unit.name,
                "lost": f.current.numerator,
                "concluded": f.current.denominator,
                "display": f.display,
                "rate": None if f.rate is None else str(f.rate),
                "reasons": "、".join(f"{k}{v}件" for k, v in sorted(why.items(), key=lambda kv: -kv[1])),
            }
        )
    return sorted(out, key=lambda r: (-r["lost"], r["name"]))


def appearance(agencies: selectors.Report) -> list[dict]:
    out = []
    for unit in agencies.units:
        f = unit.figures["appearance_rate"]
        if not f.current.denominator:
            continue
        out.append(
            {
                "name": unit.name,
                "heads": f.current.numerator,
                "hearings": f.current.denominator,
                "delegated": f.current.delegated or 0,
                "display": f.display,
                "rate": None if f.rate is None else str(f.rate),
            }
        )
    return sorted(out, key=lambda r: (r["rate"] is None, -float(r["rate"] or 0), r["name"]))


def enforcement(region: Region, year: Period, today: dt.date) -> dict:
    qs = Enforcement.objects.filter(applied_on__gte=year.start, applied_on__lte=year.end)
    if region.parent_id is not None:
        qs = qs.filter(court__region=region)
    E = Enforcement
    totals = qs.aggregate(
        applied=Count("pk"),
        granted=Count("pk", filter=Q(ruling=E.Ruling.GRANTED)),
        refused=Count("pk", filter=Q(ruling=E.Ruling.REFUSED)),
        assigned=Count("pk", filter=Q(assignee__isnull=False)),
        fed_back=Count("pk", filter=Q(feedback_on__isnull=False)),
        late=Count(
            "pk", filter=Q(feedback_on__isnull=False, feedback_due__isnull=False, feedback_on__gt=F("feedback_due"))
        ),
        overdue=Count("pk", filter=Q(feedback_on__isnull=True, feedback_due__lt=today)),
        money=Count("pk", filter=Q(money_obligation=True)),
    )
    by_applicant = [
        dict(r)
        for r in qs.values(name=F("applicant__name"))
        .annotate(
            applied=Count("pk"),
            refused=Count("pk", filter=Q(ruling=E.Ruling.REFUSED)),
            overdue=Count("pk", filter=Q(feedback_on__isnull=True, feedback_due__lt=today)),
        )
        .order_by("-applied", "name")[:20]
    ]
    return {"totals": totals, "by_applicant": by_applicant}


def suggestions(region: Region, year: Period, agencies: selectors.Report) -> dict:
    qs = Suggestion.objects.filter(issued_on__gte=year.start, issued_on__lte=year.end)
    if region.parent_id is not None:
        qs = qs.filter(recipient__region=region)
    issued = qs.aggregate(
        judicial=Count("pk", filter=Q(kind=Suggestion.Kind.JUDICIAL)),
        procuratorial=Count("pk", filter=Q(kind=Suggestion.Kind.PROCURATORIAL)),
    )
    rows = []
    for unit in agencies.units:
        f = unit.figures["reply_rate"]
        if not f.current.denominator:
            continue
        rows.append(
            {
                "name": unit.name,
                "due": f.current.denominator,
                "replied": f.current.numerator,
                "on_time": f.current.on_time or 0,
                "display": f.display,
            }
        )
    return {"issued": issued, "by_agency": sorted(rows, key=lambda r: (-r["due"], r["name"]))}


def compute(region: Region, year: int, *, today: dt.date | None = None) -> dict:
    """Everything the report's tables and charts show, as JSON (frozen when the report is issued)."""
    today = today or timezone.localdate()
    period = Period(year)
    agencies = selectors.compute(period, "agency", today=today)
    agencies.units = [u for u in agencies.units if u.rank_group == f"region:{region.pk}" or region.parent_id is None]
    if region.parent_id is None:
        total = selectors.compute(period, "city", today=today).units[0]
    else:
        total = selectors.compute(period, "region", today=today).unit(region.pk)
    quarters = []
    for q in range(1, 5):
        p = Period(year, q)
        report = selectors.compute(p, "city" if region.parent_id is None else "region", today=today, rank=False)
        unit = report.units[0] if region.parent_id is None else report.unit(region.pk)
        quarters.append(
            {
                "period": p.code,
                "figures": {
                    k: {
                        "numerator": f.current.numerator,
                        "denominator": f.current.denominator,
                        "rate": None if f.rate is None else str(f.rate),
                        "display": f.display,
                    }
                    for k, f in unit.figures.items()
                },
            }
        )
    return {
        "year": year,
        "region": region.code,
        "region_name": region.name,
        "rules": agencies.rules,
        "indicators": {
            i.key: {
                "name": str(i.name),
                "numerator": total.figures[i.key].current.numerator,
                "denominator": total.figures[i.key].current.denominator,
                "display": total.figures[i.key].display,
                "change_previous": selectors.display_change(total.figures[i.key].change_previous),
            }
            for i in selectors.INDICATORS
        },
        "quarters": quarters,
        "caseload": caseload(region, period),
        "losses": losses(region, period, agencies),
        "appearance": appearance(agencies),
        "enforcement": enforcement(region, period, today),
        "suggestions": suggestions(region, period, agencies),
    }


# ----------------------------------------------------------------------------- the first wording


SECTION_KEYS = ("caseload", "losses", "appearance", "enforcement", "suggestions", "typical", "advice")


def headings() -> dict[str, str]:
    return {
        "caseload": _("一、行政案件收结情况"),
        "losses": _("二、行政机关败诉情况及原因"),
        "appearance": _("三、行政机关负责人出庭应诉情况"),
        "enforcement": _("四、行政执行中的共性问题"),
        "suggestions": _("五、司法建议发出及回复情况"),
        "typical": _("六、典型案例"),
        "advice": _("七、意见和建议"),
    }


def draft_bodies(data: dict) -> dict[str, str]:
    """A first wording of each section from the numbers; the court rewrites it as it sees fit."""
    c = data["caseload"]
    ind = data["indicators"]
    t = c["totals"]
    who = data["region_name"]
    bodies = {}
    bodies["caseload"] = "\n".join(
        [
            _("%(y)d年，%(r)s法院共受理行政案件%(f)d件（其中一审%(first)d件），审结%(c)d件。")
            % {"y": data["year"], "r": who, "f": t["filed"], "first": t["first"], "c": t["concluded"]},
            "",
            _("### （一）按案由"),
            markup.table(
                [_("案由"), _("收案"), _("结案"), _("败诉")],
                [[r["name"], r["filed"], r["concluded"], r["lost"]] for r in c["by_cause"]],
            ),
            "",
            _("### （二）按法院"),
            markup.table(
                [_("法院"), _("收案"), _("结案"), _("败诉")],
                [[r["name"], r["filed"], r["concluded"], r["lost"]] for r in c["by_court"]],
            ),
            "",
            _("### （三）按结案方式"),
            markup.table(
                [_("结案方式"), _("件数"), _("计为败诉")],
                [[r["name"], r["count"], _("是") if r["lost"] else _("否")] for r in c["by_outcome"]],
            ),
        ]
    )
    loss = ind["loss_rate"]
    bodies["losses"] = "\n".join(
        [
            _("全年行政机关败诉率%(r)s（一审结案%(d)d件，败诉%(n)d件）；信息公开案件败诉率%(dr)s。")
            % {
                "r": loss["display"],
                "d": loss["denominator"],
                "n": loss["numerator"],
                "dr": ind["disclosure_loss_rate"]["display"],
            },
            "",
            markup.table(
                [_("行政机关"), _("败诉"), _("一审结案"), _("败诉率"), _("败诉原因（结案方式）")],
                [[r["name"], r["lost"], r["concluded"], r["display"], r["reasons"]] for r in data["losses"]],
            )
            if data["losses"]
            else _("全年无行政机关败诉案件。"),
            "",
            _("败诉的主要原因：（请承办庭根据案件情况填写，如事实认定不清、程序违法、适用法律错误等。）"),
        ]
    )
    app = ind["appearance_rate"]
    bodies["appearance"] = "\n".join(
        [
            _("全年应出庭庭次%(d)d次，行政机关负责人出庭%(n)d次，出庭率%(r)s。")
            % {"d": app["denominator"], "n": app["numerator"], "r": app["display"]},
            "",
            markup.table(
                [_("行政机关"), _("应出庭庭次"), _("负责人出庭"), _("委托出庭附书面说明"), _("出庭率")],
                [[r["name"], r["hearings"], r["heads"], r["delegated"], r["display"]] for r in data["appearance"]],
            )
            if data["appearance"]
            else _("全年无开庭案件。"),
        ]
    )
    e = data["enforcement"]["totals"]
    perf = ind["performance_rate"]
    bodies["enforcement"] = "\n".join(
        [
            _(
                "全年生效裁判自动履行率%(p)s。受理行政机关申请强制执行%(a)d件，裁定准予执行%(g)d件、不准予执行%(rf)d件；"
                "交由政府组织实施%(as)d件，已书面反馈%(fb)d件，逾期反馈%(late)d件，逾期未反馈%(od)d件。"
            )
            % {
                "p": perf["display"],
                "a": e["applied"],
                "g": e["granted"],
                "rf": e["refused"],
                "as": e["assigned"],
                "fb": e["fed_back"],
                "late": e["late"],
                "od": e["overdue"],
            },
            "",
            markup.table(
                [_("申请机关"), _("申请"), _("不准予执行"), _("逾期未反馈")],
                [[r["name"], r["applied"], r["refused"], r["overdue"]] for r in data["enforcement"]["by_applicant"]],
            )
            if data["enforcement"]["by_applicant"]
            else _("全年无行政非诉执行申请。"),
            "",
            _("共性问题：（请执行局根据审查情况填写，如证据不足、程序瑕疵、执行反馈不及时等。）"),
        ]
    )
    s = data["suggestions"]
    rep = ind["reply_rate"]
    bodies["suggestions"] = "\n".join(
        [
            _("全年发出司法建议%(j)d件、检察建议%(p)d件；司法建议回复率%(r)s（应回复%(d)d件，已回复%(n)d件）。")
            % {
                "j": s["issued"]["judicial"],
                "p": s["issued"]["procuratorial"],
                "r": rep["display"],
                "d": rep["denominator"],
                "n": rep["numerator"],
            },
            "",
            markup.table(
                [_("被建议单位"), _("应回复"), _("已回复"), _("按期回复"), _("回复率")],
                [[r["name"], r["due"], r["replied"], r["on_time"], r["display"]] for r in s["by_agency"]],
            )
            if s["by_agency"]
            else _("全年无应回复的司法建议。"),
        ]
    )
    bodies["typical"] = _("（典型案例由法院选定，见下方所列案件；可在此补充评析。）")
    bodies["advice"] = _("（请填写对依法行政工作的意见和建议。）")
    return bodies
