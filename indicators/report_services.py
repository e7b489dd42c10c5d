"""Writes of the annual judicial-review report: drafted by the January job, edited by the
court, submitted, returned or issued by the court's head as a numbered letter (cc the
procuratorate) with the report as a PDF attachment.

Every transition asks `access.require` (the workflow declared in models.py), locks the
row and records the move with the hub's `move` (audit in the same transaction).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import AdministrativeCase
from liaison import access
from liaison import services as hub
from liaison.i18n import Msg, in_site_language
from liaison.models import Letter, Region

from . import annual, markup
from .models import AnnualReport, ReportSection
from .services import _parties

R = AnnualReport.Status
MAX_TYPICAL = 20


def report_draft(*, region: Region, year: int, today: dt.date | None = None) -> tuple[AnnualReport, bool]:
    """The region's report for the year, drafted if there is none yet (run twice, one report)."""
    existing = AnnualReport.objects.filter(region=region, year=year).first()
    if existing:
        return existing, False
    parties = _parties(region)
    data = annual.compute(region, year, today=today)
    bodies = annual.draft_bodies(data)
    headings = annual.headings()
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                region=region, year=year, data=data, computed_at=timezone.now(), **parties
            )
            ReportSection.objects.bulk_create(
                ReportSection(report=report, position=n, key=key, heading=headings[key], body=bodies[key])
                for n, key in enumerate(annual.SECTION_KEYS)
            )
            hub.audit(actor=None, action="report.draft", target=report, after={"year": year})
    except IntegrityError:  # drafted concurrently by another run of the job
        return AnnualReport.objects.get(region=region, year=year), False
    hub.notify_institution(
        institution=parties["issuer"],
        roles=None,
        kind="report.drafted",
        title=Msg(gettext_noop("%(y)d年度%(r)s行政诉讼司法审查报告已起草，请修改完善"), y=year, r=region.name),
        key=f"report.drafted:{report.uuid}",
        url=report.get_absolute_url(),
    )
    return report, True


def draft_year(*, today: dt.date | None = None) -> list[AnnualReport]:
    """In January: last year's report for the city and each county (idempotent)."""
    today = today or timezone.localdate()
    out = []
    for region in Region.objects.order_by("level", "id"):
        try:
            report, _created = report_draft(region=region, year=today.year - 1, today=today)
        except ValidationError:
            continue  # a region without a court or government has no report
        out.append(report)
    return out


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("region", "issuer", "government").get(pk=report.pk)


@transaction.atomic
def report_refresh(*, report: AnnualReport, by) -> AnnualReport:
    """Recompute the tables (the sections' text is the court's and stays as written)."""
    report = _locked(report)
    access.require(by, "report.refresh", report)
    report.data = annual.compute(report.region, report.year)
    report.computed_at = timezone.now()
    report.save(update_fields=["data", "computed_at"])
    hub.audit(actor=by, action="report.refresh", target=report)
    return report


def _typical(report: AnnualReport, by, numbers: list[str]) -> list[AdministrativeCase]:
    numbers = [n.strip() for n in numbers if n.strip()]
    if len(numbers) > MAX_TYPICAL:
        raise ValidationError({"typical_cases": [_("典型案例最多 %(n)d 件。") % {"n": MAX_TYPICAL}]})
    found = {c.number: c for c in AdministrativeCase.objects.visible_to(by).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError(
            {"typical_cases": [_("找不到以下案号（或无权查看）：%(n)s") % {"n": "、".join(missing[:10])}]}
        )
    return [found[n] for n in dict.fromkeys(numbers)]


@transaction.atomic
def report_edit(*, report: AnnualReport, by, sections: dict[str, dict], typical_cases: list[str]) -> AnnualReport:
    """The court's wording: {key: {"heading", "body"}} for some or all sections, and the typical cases by 案号."""
    report = _locked(report)
    access.require(by, "report.edit", report)
    errors = {}
    existing = {s.key: s for s in report.sections.all()}
    changed = []
    for key, values in sections.items():
        section = existing.get(key)
        if section is None:
            errors[f"{key}_body"] = [_("没有这一节。")]
            continue
        try:
            heading = hub.clean_text(values.get("heading", section.heading), f"{key}_heading", max_length=100)
            body = hub.clean_text(values.get("body", ""), f"{key}_body", max_length=markup.MAX_LENGTH, required=False)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if (heading, body) != (section.heading, section.body):
            section.heading, section.body = heading, body
            changed.append(section)
    try:
        cases = _typical(report, by, typical_cases)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    ReportSection.objects.bulk_update(changed, ["heading", "body"])
    before = sorted(report.typical_cases.values_list("number", flat=True))
    report.typical_cases.set(cases)
    hub.audit(
        actor=by,
        action="report.edit",
        target=report,
        before={"typical_cases": before},
        after={"sections": [s.key for s in changed], "typical_cases": [c.number for c in cases]},
    )
    return report


@transaction.atomic
def report_submit(*, report: AnnualReport, by) -> AnnualReport:
    report = _locked(report)
    access.require(by, "report.submit", report)
    hub.move(report, by=by, action="report.submit", target=R.SUBMITTED)
    hub.notify_institution(
        institution=report.issuer,
        roles=["head"],
        kind="report.submitted",
        title=Msg(gettext_noop("%(y)d年度行政诉讼司法审查报告待签发"), y=report.year),
        key=f"report.submitted:{report.uuid}:{timezone.now().timestamp():.0f}",
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, by, reason: str) -> AnnualReport:
    report = _locked(report)
    access.require(by, "report.return", report)
    reason = hub.clean_text(reason, "reason", max_length=500)
    hub.move(report, by=by, action="report.return", target=R.DRAFT, after={"reason": reason})
    return report


def report_title(report: AnnualReport) -> str:
    return _("关于%(y)d年度%(r)s行政诉讼司法审查情况的报告") % {"y": report.year, "r": report.region.name}


@in_site_language
def _letter_body(report: AnnualReport) -> str:
    ind = report.data.get("indicators", {})
    loss, app = ind.get("loss_rate", {}), ind.get("appearance_rate", {})
    return "\n".join(
        [
            _(
                "根据柳州市“一府两院”联动工作机制关于定期报送行政诉讼司法审查报告的要求，现将%(y)d年度%(r)s"
                "行政诉讼司法审查情况报告如下。"
            )
            % {"y": report.year, "r": report.region.name},
            _(
                "全年行政机关败诉率%(l)s，行政机关负责人出庭率%(a)s。案件收结、败诉原因、负责人出庭、执行中的共性问题、"
                "司法建议回复情况及典型案例详见附件。"
            )
            % {"l": loss.get("display", "—"), "a": app.get("display", "—")},
            _("特此报告。"),
        ]
    )


def report_filename(report: AnnualReport) -> str:
    return f"{report.year}年度{report.region.name}行政诉讼司法审查报告.pdf"


@transaction.atomic
def report_issue(*, report: AnnualReport, by) -> AnnualReport:
    """The head signs it off: a numbered letter to the government, cc the procuratorate, the
    report attached as a PDF; its tables are frozen from now on."""
    report = _locked(report)
    access.require(by, "report.issue", report)
    letter = hub.letter_create(
        by=by,
        title=report_title(report),
        body=_letter_body(report),
        addressees=[report.government],
        cc=[report.procuratorate] if report.procuratorate_id else [],
        series=Letter.Series.HAN,
        source=report,
    )
    from .pdf import AnnualReportPdf

    pdf = AnnualReportPdf(report).render()
    hub.attachment_add(letter=letter, by=by, upload=SimpleUploadedFile(report_filename(report), pdf, "application/pdf"))
    hub.letter_submit(letter=letter, by=by)
    letter = hub.letter_issue(letter=letter, by=by)
    report.letter = letter
    report.issued_at = timezone.now()
    hub.move(report, by=by, action="report.issue", target=R.ISSUED, after={"doc_number": letter.doc_number})
    return report
