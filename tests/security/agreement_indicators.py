"""The indicators app's part of the agreement test (tests/security/test_agreement.py).

`subjects(world)` builds, through the services, the city's quarterly bulletin in every state
(待审核, 待签发, 已印发) and an issued one whose correction is under way (the `when` of
bulletin.correct), and the city's annual judicial-review report in every state (起草中, 待签发,
已印发). `ATTEMPT[verb](user, obj)` takes the transition through its real service with the
least valid input; `page_url`/`api_url` name the detail page whose buttons carry `data-verb`
and the detail endpoint whose `allowed_actions` lists API names.
"""

from django.urls import reverse
from django.utils import timezone

from indicators import report_services as rs
from indicators import services as ind
from indicators.models import AnnualReport, Bulletin
from indicators.periods import Period

PAGES = {
    Bulletin: ("indicators:bulletin_detail", "bulletins"),
    AnnualReport: ("indicators:report_detail", "annual-reports"),
}


def page_url(obj) -> str | None:
    found = PAGES.get(type(obj))
    return reverse(found[0], kwargs={"uuid": obj.uuid}) if found else None


def api_url(obj) -> str | None:
    found = PAGES.get(type(obj))
    return f"/api/v1/{found[1]}/{obj.uuid}/" if found else None


def subjects(world):
    city = world["court_clerk"].institution.region
    office, clerk, head = world["office"], world["court_clerk"], world["court_head"]
    period = Period.containing(timezone.localdate()).previous()
    year = timezone.localdate().year - 1

    def drafted():
        nonlocal period
        bulletin, _created = ind.bulletin_draft(region=city, period=period)
        period = period.previous()  # one original bulletin per region and quarter
        return bulletin

    def reviewed():
        return ind.bulletin_submit(bulletin=drafted(), by=office)

    def issued():
        return ind.bulletin_issue(bulletin=reviewed(), by=head)

    out = [("bulletin draft", drafted()), ("bulletin reviewed", reviewed()), ("bulletin issued", issued())]
    corrected = issued()
    ind.bulletin_correct(bulletin=corrected, by=office, reason="数据更正")
    out.append(("bulletin issued, correction under way", Bulletin.objects.get(pk=corrected.pk)))

    def report():
        nonlocal year
        r, _created = rs.report_draft(region=city, year=year)
        year -= 1  # one report per region and year
        return r

    out.append(("report draft", report()))
    submitted = rs.report_submit(report=report(), by=clerk)
    out.append(("report submitted", submitted))
    out.append(("report issued", rs.report_issue(report=rs.report_submit(report=report(), by=clerk), by=head)))
    return out


ATTEMPT = {
    "bulletin.refresh": lambda u, b: ind.bulletin_refresh(bulletin=b, by=u),
    "bulletin.comment": lambda u, b: ind.bulletin_comment(bulletin=b, by=u, commentary="审核意见"),
    "bulletin.submit": lambda u, b: ind.bulletin_submit(bulletin=b, by=u),
    "bulletin.return": lambda u, b: ind.bulletin_return(bulletin=b, by=u, reason="请修改"),
    "bulletin.issue": lambda u, b: ind.bulletin_issue(bulletin=b, by=u),
    "bulletin.correct": lambda u, b: ind.bulletin_correct(bulletin=b, by=u, reason="数据更正"),
    "report.edit": lambda u, r: rs.report_edit(report=r, by=u, sections={}, typical_cases=[]),
    "report.refresh": lambda u, r: rs.report_refresh(report=r, by=u),
    "report.submit": lambda u, r: rs.report_submit(report=r, by=u),
    "report.return": lambda u, r: rs.report_return(report=r, by=u, reason="请修改"),
    "report.issue": lambda u, r: rs.report_issue(report=r, by=u),
}
