"""Writes: the quarterly bulletin from draft to issued letter, and its corrections.

Every transition asks `access.require` (which reads the workflow declared in models.py:
403 for the wrong person, 409 for the wrong state), locks the row, and records the move
with `liaison.services.move` (audit in the same transaction).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison import access
from liaison import services as hub
from liaison.i18n import Msg, in_site_language
from liaison.models import Institution, Letter, Region

from . import selectors
from .api import report_payload
from .models import Bulletin
from .periods import Period

K = Institution.Kind
B = Bulletin.Status


# ----------------------------------------------------------------------------- the snapshot


def _top(region: Region, kind: str) -> Institution | None:
    """The region's own court/government/procuratorate (not one subordinate to another in the region)."""
    return (
        Institution.objects.filter(kind=kind, region=region, is_active=True)
        .exclude(parent__region=region)
        .order_by("id")
        .first()
    )


def compute_snapshot(region: Region, period: Period, *, today: dt.date | None = None) -> dict:
    """The figures a bulletin freezes: for the city, the city total, every county and the
    city's own departments; for a county, the county (with its rank among counties) and its agencies."""
    regions = selectors.compute(period, "region", today=today)
    agencies = selectors.compute(period, "agency", today=today)
    agencies.units = [u for u in agencies.units if u.rank_group == f"region:{region.pk}"]
    if region.parent_id is None:
        total = selectors.compute(period, "city", today=today)
    else:
        regions.units = [u for u in regions.units if u.pk == region.pk]
        total = None
    trend = []
    for p in period.trail(8):
        level = "city" if region.parent_id is None else "region"
        report = selectors.compute(p, level, today=today, units=None)
        unit = report.units[0] if level == "city" else report.unit(region.pk)
        trend.append(
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
        "period": period.code,
        "period_label": period.label,
        "trend": trend,
        "region": region.code,
        "region_name": region.name,
        "rules": agencies.rules,
        "city": report_payload(total, links=False) if total else None,
        "regions": report_payload(regions, links=False),
        "agencies": report_payload(agencies, links=False),
    }


def _figure_numbers(snapshot: dict) -> dict:
    """{(table, unit key, indicator): (numerator, denominator)} of a snapshot."""
    out = {}
    for table in ("city", "regions", "agencies"):
        payload = snapshot.get(table)
        for unit in (payload or {}).get("units", []):
            for key, f in unit["figures"].items():
                out[(table, unit["key"], key)] = (unit["name"], f["numerator"], f["denominator"], f["display"])
    return out


def differences(bulletin: Bulletin, *, today: dt.date | None = None) -> list[dict]:
    """Where today's figures differ from the ones the bulletin froze (empty when they agree)."""
    region = bulletin.region
    now = _figure_numbers(compute_snapshot(region, Period.parse(bulletin.period), today=today))
    then = _figure_numbers(bulletin.snapshot)
    names = {i.key: str(i.name) for i in selectors.INDICATORS}
    out = []
    for key in sorted(set(now) | set(then)):
        old, new = then.get(key), now.get(key)
        if old is None or new is None or old[1:3] != new[1:3]:
            table, unit, indicator = key
            out.append(
                {
                    "table": table,
                    "unit": (new or old)[0],
                    "indicator": indicator,
                    "indicator_name": names.get(indicator, indicator),
                    "issued": None if old is None else {"numerator": old[1], "denominator": old[2], "display": old[3]},
                    "today": None if new is None else {"numerator": new[1], "denominator": new[2], "display": new[3]},
                }
            )
    return out


# ----------------------------------------------------------------------------- drafting


def _parties(region: Region) -> dict:
    court = _top(region, K.COURT)
    government = _top(region, K.GOVERNMENT)
    if court is None or government is None:
        raise ValidationError(_("%(r)s没有登记法院或人民政府，无法起草指标通报。") % {"r": region.name})
    return {"issuer": court, "government": government, "procuratorate": _top(region, K.PROCURATORATE)}


def bulletin_draft(*, region: Region, period: Period, today: dt.date | None = None) -> tuple[Bulletin, bool]:
    """The region's bulletin for the quarter, drafted if there is none yet (run twice, one bulletin)."""
    if not period.is_quarter:
        raise ValidationError({"period": [_("指标通报按季度起草。")]})
    existing = Bulletin.objects.filter(region=region, period=period.code, corrects__isnull=True).first()
    if existing:
        return existing, False
    parties = _parties(region)
    snapshot = compute_snapshot(region, period, today=today)
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                region=region, period=period.code, snapshot=snapshot, computed_at=timezone.now(), **parties
            )
            hub.audit(actor=None, action="bulletin.draft", target=bulletin, after={"period": period.code})
    except IntegrityError:  # drafted concurrently by another run of the job
        return Bulletin.objects.get(region=region, period=period.code, corrects__isnull=True), False
    office_users = access.office_users_for(parties["issuer"])
    hub.notify(
        users=office_users,
        kind="bulletin.drafted",
        title=Msg(gettext_noop("%(p)s%(r)s指标通报已起草，请审核"), p=period.message, r=region.name),
        key=f"bulletin.drafted:{bulletin.uuid}",
        url=bulletin.get_absolute_url(),
    )
    return bulletin, True


def draft_quarter(*, today: dt.date | None = None) -> list[Bulletin]:
    """After each quarter: the city's bulletin and each county's (idempotent)."""
    today = today or timezone.localdate()
    period = Period.containing(today).previous()
    out = []
    for region in Region.objects.order_by("level", "id"):
        try:
            bulletin, _created = bulletin_draft(region=region, period=period, today=today)
        except ValidationError:
            continue  # a region without a court or government has no bulletin
        out.append(bulletin)
    return out


def _locked(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().select_related("region", "issuer", "government").get(pk=bulletin.pk)


@transaction.atomic
def bulletin_refresh(*, bulletin: Bulletin, by) -> Bulletin:
    bulletin = _locked(bulletin)
    access.require(by, "bulletin.refresh", bulletin)
    bulletin.snapshot = compute_snapshot(bulletin.region, Period.parse(bulletin.period))
    bulletin.computed_at = timezone.now()
    bulletin.save(update_fields=["snapshot", "computed_at"])
    hub.audit(actor=by, action="bulletin.refresh", target=bulletin, after={"rules": bulletin.snapshot["rules"]})
    return bulletin


@transaction.atomic
def bulletin_comment(*, bulletin: Bulletin, by, commentary: str) -> Bulletin:
    bulletin = _locked(bulletin)
    access.require(by, "bulletin.comment", bulletin)
    before = bulletin.commentary
    bulletin.commentary = hub.clean_text(commentary, "commentary", max_length=20000, required=False)
    bulletin.save(update_fields=["commentary"])
    hub.audit(
        actor=by,
        action="bulletin.comment",
        target=bulletin,
        before={"commentary": before},
        after={"commentary": bulletin.commentary},
    )
    return bulletin


@transaction.atomic
def bulletin_submit(*, bulletin: Bulletin, by) -> Bulletin:
    bulletin = _locked(bulletin)
    access.require(by, "bulletin.submit", bulletin)
    hub.move(bulletin, by=by, action="bulletin.submit", target=B.REVIEWED)
    hub.notify_institution(
        institution=bulletin.issuer,
        roles=["head"],
        kind="bulletin.reviewed",
        title=Msg(gettext_noop("指标通报待签发：%(p)s %(r)s"), p=bulletin.period, r=bulletin.region.name),
        key=f"bulletin.reviewed:{bulletin.uuid}:{timezone.now().timestamp():.0f}",
        url=bulletin.get_absolute_url(),
    )
    return bulletin


@transaction.atomic
def bulletin_return(*, bulletin: Bulletin, by, reason: str) -> Bulletin:
    bulletin = _locked(bulletin)
    access.require(by, "bulletin.return", bulletin)
    reason = hub.clean_text(reason, "reason", max_length=500)
    hub.move(bulletin, by=by, action="bulletin.return", target=B.DRAFT, after={"reason": reason})
    return bulletin


def letter_title(bulletin: Bulletin) -> str:
    period = Period.parse(bulletin.period)
    if bulletin.corrects_id:
        return _("关于更正%(p)s%(r)s行政诉讼涉诉指标数据的通报") % {"p": period.label, "r": bulletin.region.name}
    return _("关于%(p)s%(r)s行政诉讼涉诉指标数据的通报") % {"p": period.label, "r": bulletin.region.name}


def _sentence(f: dict, indicator: dict, period_has_last_year: bool) -> str:
    if f["denominator"] == 0:
        return _("%(name)s无可统计案件（—）") % {"name": indicator["name"]}
    text = _("%(name)s%(rate)s（%(num_label)s%(n)d/%(den_label)s%(d)d）") % {
        "name": indicator["name"],
        "rate": f["display"],
        "num_label": indicator["numerator"],
        "n": f["numerator"],
        "den_label": indicator["denominator"],
        "d": f["denominator"],
    }
    if f.get("on_time") is not None:
        text += _("，按期回复率%(r)s") % {"r": f["on_time_display"]}
    if f["change_previous"] is not None:
        text += _("，较上季度%(c)s个百分点") % {"c": selectors.display_change(_dec(f["change_previous"]))}
    if period_has_last_year and f["change_last_year"] is not None:
        text += _("，较上年同期%(c)s个百分点") % {"c": selectors.display_change(_dec(f["change_last_year"]))}
    return text


def _dec(value):
    from decimal import Decimal

    return None if value is None else Decimal(value)


@in_site_language
def letter_body(bulletin: Bulletin) -> str:
    """The 通报 text: the figures in sentences; the tables and charts are the attached PDF."""
    s = bulletin.snapshot
    indicators = (s.get("agencies") or {}).get("indicators", [])
    lines = [
        _(
            "根据柳州市“一府两院”联动工作机制关于建立指标数据共享机制的要求，现将%(p)s%(r)s行政诉讼涉诉五项指标数据通报如下。"
        )
        % {"p": s["period_label"], "r": s["region_name"]}
    ]
    if bulletin.corrects_id:
        lines.append(
            _("本通报更正%(n)s中的数据，原通报同时作废。更正原因：%(why)s")
            % {"n": bulletin.corrects.letter.doc_number, "why": bulletin.correction_reason}
        )
    head = (s.get("city") or s["regions"])["units"][0]
    lines.append(_("一、总体情况。"))
    lines.append(
        "；".join(_sentence(head["figures"][i["key"]], i, bool(s["regions"]["last_year_period"])) for i in indicators)
        + "。"
    )
    if s.get("city"):
        counties = [u for u in s["regions"]["units"] if u["figures"]["loss_rate"]["rank"]]
        ranked = sorted(counties, key=lambda u: u["figures"]["loss_rate"]["rank"])
        lines.append(_("二、各县（区）情况。"))
        lines.append(
            (
                _("行政机关败诉率由低到高依次为：")
                + "、".join(f"{u['name']}{u['figures']['loss_rate']['display']}" for u in ranked)
                + "。"
            )
            if ranked
            else _("本季度各县（区）无一审结案。")
        )
    lines.append(_("三、各行政机关情况。") if s.get("city") else _("二、各行政机关情况。"))
    lines.append(_("各行政机关五项指标的分子、分母、比率、变化及排名详见附件。"))
    if bulletin.commentary:
        lines.append(_("四、工作建议。") if s.get("city") else _("三、工作建议。"))
        lines.extend(line for line in bulletin.commentary.splitlines() if line.strip())
    lines.append(_("计算口径：%(d)s。") % {"d": s["rules"]["digest"]})
    return "\n".join(lines)


@transaction.atomic
def bulletin_issue(*, bulletin: Bulletin, by) -> Bulletin:
    """The court's head signs it off: a numbered 通报 letter to the government, cc the procuratorate.
    The snapshot the office reviewed is what is issued, and from now on it does not change."""
    bulletin = _locked(bulletin)
    access.require(by, "bulletin.issue", bulletin)
    letter = hub.letter_create(
        by=by,
        title=letter_title(bulletin),
        body=letter_body(bulletin),
        addressees=[bulletin.government],
        cc=[bulletin.procuratorate] if bulletin.procuratorate_id else [],
        series=Letter.Series.TONGBAO,
        source=bulletin,
    )
    from .pdf import attach_tables

    attach_tables(bulletin=bulletin, letter=letter, by=by)
    hub.letter_submit(letter=letter, by=by)
    letter = hub.letter_issue(letter=letter, by=by)
    bulletin.letter = letter
    bulletin.issued_at = timezone.now()
    hub.move(bulletin, by=by, action="bulletin.issue", target=B.ISSUED, after={"doc_number": letter.doc_number})
    return bulletin


@transaction.atomic
def bulletin_correct(*, bulletin: Bulletin, by, reason: str) -> Bulletin:
    """A correction: a new draft for the same quarter with today's figures, naming the one it corrects."""
    bulletin = _locked(bulletin)
    access.require(by, "bulletin.correct", bulletin)
    reason = hub.clean_text(reason, "reason", max_length=2000)
    correction = Bulletin.objects.create(
        region=bulletin.region,
        period=bulletin.period,
        issuer=bulletin.issuer,
        government=bulletin.government,
        procuratorate=bulletin.procuratorate,
        commentary=bulletin.commentary,
        snapshot=compute_snapshot(bulletin.region, Period.parse(bulletin.period)),
        computed_at=timezone.now(),
        corrects=bulletin,
        correction_reason=reason,
    )
    hub.audit(actor=by, action="bulletin.correct", target=bulletin, after={"correction": str(correction.uuid)})
    return correction
