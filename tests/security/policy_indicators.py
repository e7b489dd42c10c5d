"""Cross-tenant matrix rows of indicators/ (指标通报): the figures, the dashboards and their
drill-down (an agency's own row and page are tested in tests/indicators/test_api.py and
test_pages.py), the quarterly bulletins and the annual judicial-review reports. See policy.py."""

from liaison.models import Region

from . import scenario
from .policy import COUNTY_COURT, COURT, GOV, OFFICE, PERSONAS, PROC
from .rows import API, LIST, Row, on, uuid_of

VISIBLE = {
    # quarterly bulletins: the issuing court and the office (the government and procuratorate once issued)
    "bulletin_draft": COURT | OFFICE,
    "bulletin_reviewed": COUNTY_COURT | OFFICE,
    # annual reports: the same readers as bulletins
    "report_draft": COURT | OFFICE,
    "report_submitted": COUNTY_COURT | OFFICE,
}

ALLOWED = {
    # Indicator figures city-wide: the office, the city government and its legal-affairs staff,
    # the intermediate court (which sends them) and the procuratorate (copied); not agencies,
    # not county institutions (their county only), not administrators.
    "indicators.city": {"*": OFFICE | GOV | {"justice_legal"} | COURT | PROC},
    # the dashboard: every institution has a subject (the city, its county, or itself); an
    # administrator without an institution has none
    "indicators.view": {"*": set(PERSONAS) - {"admin"}},
    # bulletins: the office reviews (comment, submit); the issuing court's head issues or returns;
    # the office or the issuing court's acting staff recompute a draft or open a correction
    "bulletin.refresh": {"bulletin_draft": {"office"} | COURT, "bulletin_reviewed": {"office"} | COUNTY_COURT},
    "bulletin.correct": {"bulletin_draft": {"office"} | COURT, "bulletin_reviewed": {"office"} | COUNTY_COURT},
    "bulletin.comment": {"*": {"office"}},
    "bulletin.submit": {"*": {"office"}},
    "bulletin.return": {"bulletin_draft": {"court_head"}, "bulletin_reviewed": {"county_head"}},
    "bulletin.issue": {"bulletin_draft": {"court_head"}, "bulletin_reviewed": {"county_head"}},
    # annual reports: the issuing court's acting staff edit, recompute and submit; its head returns or issues
    "report.edit": {"report_draft": COURT, "report_submitted": COUNTY_COURT},
    "report.refresh": {"report_draft": COURT, "report_submitted": COUNTY_COURT},
    "report.submit": {"report_draft": COURT, "report_submitted": COUNTY_COURT},
    "report.return": {"report_draft": {"court_head"}, "report_submitted": {"county_head"}},
    "report.issue": {"report_draft": {"court_head"}, "report_submitted": {"county_head"}},
}

BULLETINS = ("bulletin_draft", "bulletin_reviewed")
BULLETIN_ACTIONS = {
    "refresh": {},
    "comment": {"commentary": "意见"},
    "submit": {},
    "return": {"reason": "退回"},
    "issue": {},
    "correct": {"reason": "更正"},
}
REPORTS = ("report_draft", "report_submitted")
REPORT_ACTIONS = {"edit": {}, "refresh": {}, "submit": {}, "return": {"reason": "退回"}, "issue": {}}


def records(world) -> dict:
    """The city's bulletin as a draft with the office's commentary, and a county's awaiting its
    court's head; the same two states of an annual report."""
    from indicators import report_services as rs
    from indicators import services as bs
    from indicators.periods import Period

    objs = {}
    city, county = Region.objects.get(code="liuzhou"), Region.objects.get(code="chengzhong")
    period = Period.parse("2026Q3")
    mark = scenario.canary(world["office"].institution)
    b, _ = bs.bulletin_draft(region=city, period=period)
    bs.bulletin_comment(bulletin=b, by=world["office"], commentary=f"意见{mark}")
    objs["bulletin_draft"] = (b, mark)
    mark = scenario.canary(world["office"].institution)
    b, _ = bs.bulletin_draft(region=county, period=period)
    bs.bulletin_comment(bulletin=b, by=world["office"], commentary=f"意见{mark}")
    bs.bulletin_submit(bulletin=b, by=world["office"])
    objs["bulletin_reviewed"] = (b, mark)

    mark = scenario.canary(world["court_clerk"].institution)
    r, _ = rs.report_draft(region=city, year=2026)
    rs.report_edit(report=r, by=world["court_clerk"], sections={"advice": {"body": f"建议{mark}"}}, typical_cases=[])
    objs["report_draft"] = (r, mark)
    mark = scenario.canary(world["county_clerk"].institution)
    r, _ = rs.report_draft(region=county, year=2026)
    rs.report_edit(report=r, by=world["county_clerk"], sections={"advice": {"body": f"建议{mark}"}}, typical_cases=[])
    rs.report_submit(report=r, by=world["county_clerk"])
    objs["report_submitted"] = (r, mark)
    return objs


WEB_ROUTES: dict[str, Row] = {
    "indicators:index": Row(data={"quarter": "2026Q4"}, get_verb="indicators.view"),
    "indicators:drilldown": Row(
        data={"quarter": "2026Q4", "level": "city", "indicator": "loss_rate", "part": "denominator"},
        get_verb="indicators.city",
    ),
    "indicators:bulletins": LIST,
    "indicators:bulletin_detail": Row(targets=BULLETINS, kwargs=uuid_of),
    "indicators:bulletin_tables_pdf": Row(targets=BULLETINS, kwargs=uuid_of),
    **{
        f"indicators:bulletin_{name}": on(f"bulletin.{name}", BULLETINS, data=data)
        for name, data in BULLETIN_ACTIONS.items()
    },
    "indicators:reports": LIST,
    "indicators:report_detail": Row(targets=REPORTS, kwargs=uuid_of),
    "indicators:report_pdf": Row(targets=REPORTS, kwargs=uuid_of),
    **{f"indicators:report_{name}": on(f"report.{name}", REPORTS, data=data) for name, data in REPORT_ACTIONS.items()},
}

API_ROUTES: dict[tuple[str, str], Row] = {
    ("GET", API + "indicators/"): Row(data={"quarter": "2026Q4", "level": "city"}, get_verb="indicators.city"),
    ("GET", API + "indicators/export/"): Row(data={"quarter": "2026Q4", "level": "city"}, get_verb="indicators.city"),
    ("GET", API + "indicators/drilldown/"): Row(
        data={"quarter": "2026Q4", "level": "city", "indicator": "loss_rate", "part": "denominator"},
        get_verb="indicators.city",
    ),
    # quarterly bulletins
    ("GET", API + "bulletins/"): LIST,
    ("GET", API + "bulletins/{uuid}/"): Row(targets=BULLETINS, kwargs=uuid_of),
    **{
        ("POST", API + f"bulletins/{{uuid}}/{name}/"): on(f"bulletin.{name}", BULLETINS, methods=("POST",), data=data)
        for name, data in BULLETIN_ACTIONS.items()
    },
    # annual judicial-review reports
    ("GET", API + "annual-reports/"): LIST,
    ("GET", API + "annual-reports/{uuid}/"): Row(targets=REPORTS, kwargs=uuid_of),
    **{
        ("POST", API + f"annual-reports/{{uuid}}/{name}/"): on(f"report.{name}", REPORTS, methods=("POST",), data=data)
        for name, data in REPORT_ACTIONS.items()
    },
}
