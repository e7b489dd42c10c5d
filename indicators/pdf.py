"""The bulletin's tables and charts as a PDF (the attachment of the 通报 letter).

The letter itself is the hub's GB/T 9704 函 (`liaison.pdf.LetterPdf`); this document
holds what running text cannot: every unit's numerators, denominators, rates, changes
and ranks, with server-drawn SVG charts and the data table under each chart.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.safestring import mark_safe

from liaison import services as hub
from liaison.pdf import PdfDocument, chinese_date

from . import charts


def _table(payload: dict | None) -> dict | None:
    if not payload:
        return None
    indicators = payload["indicators"]
    rows = []
    for unit in payload["units"]:
        cells = []
        for i in indicators:
            f = unit["figures"][i["key"]]
            cells.append(
                {
                    "nd": f"{f['numerator']}/{f['denominator']}",
                    "display": f["display"],
                    "change": f["change_previous"],
                    "change_ly": f["change_last_year"],
                    "rank": f"{f['rank']}/{f['ranked_of']}" if f["rank"] else "—",
                }
            )
        rows.append({"name": unit["name"], "cells": cells})
    return {"indicators": indicators, "rows": rows}


def _loss_bars(payload: dict | None, key: str = "loss_rate") -> str:
    if not payload:
        return ""
    items = [(u["name"], u["figures"][key]["rate"], u["figures"][key]["display"]) for u in payload["units"]]
    return mark_safe(charts.bars(items, colour=charts.COLOURS[key]))  # noqa: S308 (escaped in charts)


class BulletinTablesPdf(PdfDocument):
    template_name = "indicators/pdf/bulletin_tables.html"

    def __init__(self, bulletin):
        self.bulletin = bulletin

    def get_context(self) -> dict:
        s = self.bulletin.snapshot
        trend = s.get("trend") or []
        keys = [i["key"] for i in s["agencies"]["indicators"]]
        series = {k: [t["figures"][k]["rate"] for t in trend] for k in keys}
        return {
            "bulletin": self.bulletin,
            "s": s,
            "total": _table(s.get("city") or s["regions"]),
            "regions": _table(s["regions"]) if s.get("city") else None,
            "agencies": _table(s["agencies"]),
            "trend_svg": mark_safe(charts.trend([t["period"] for t in trend], series)),  # noqa: S308
            "trend_heads": [
                {"name": i["name"], "colour": charts.COLOURS[i["key"]]} for i in s["agencies"]["indicators"]
            ],
            "trend_rows": [{"period": t["period"], "cells": [t["figures"][k] for k in keys]} for t in trend],
            "regions_svg": _loss_bars(s["regions"]) if s.get("city") else "",
            "agencies_svg": _loss_bars(s["agencies"]),
            "computed_on": chinese_date(self.bulletin.computed_at) if self.bulletin.computed_at else "",
        }


def tables_filename(bulletin) -> str:
    return f"{bulletin.snapshot['period_label']}{bulletin.region.name}指标数据表.pdf"


def attach_tables(*, bulletin, letter, by) -> None:
    pdf = BulletinTablesPdf(bulletin).render()
    hub.attachment_add(
        letter=letter, by=by, upload=SimpleUploadedFile(tables_filename(bulletin), pdf, "application/pdf")
    )


class AnnualReportPdf(PdfDocument):
    """行政诉讼司法审查报告 (the attachment of the report letter): the court's sections, each
    in its restricted markup, with the quarter trend and the agencies' loss rates as SVG charts
    (their data tables beside them in the sections)."""

    template_name = "indicators/pdf/annual_report.html"

    def __init__(self, report):
        self.report = report

    def get_context(self) -> dict:
        d = self.report.data
        quarters = d.get("quarters") or []
        keys = list(charts.COLOURS)
        series = {k: [q["figures"][k]["rate"] for q in quarters] for k in keys}
        losses = d.get("losses") or []
        sections = list(self.report.sections.all())
        return {
            "r": self.report,
            "d": d,
            "sections": sections,
            "typical": list(self.report.typical_cases.select_related("cause", "outcome", "court").order_by("number")),
            "trend_svg": mark_safe(charts.trend([q["period"] for q in quarters], series)),  # noqa: S308
            "trend_heads": [
                {"name": d["indicators"][k]["name"], "colour": charts.COLOURS[k]} for k in keys if k in d["indicators"]
            ],
            "trend_rows": [{"period": q["period"], "cells": [q["figures"][k] for k in keys]} for q in quarters],
            "loss_svg": mark_safe(  # noqa: S308 (escaped in charts)
                charts.bars(
                    [(r["name"], r["rate"], r["display"]) for r in losses[:15]], colour=charts.COLOURS["loss_rate"]
                )
            )
            if losses
            else "",
            "loss_rows": losses[:15],
            "issued_on": chinese_date(self.report.issued_at or self.report.computed_at)
            if (self.report.issued_at or self.report.computed_at)
            else "",
        }
