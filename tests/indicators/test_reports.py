"""The annual judicial-review report: drafted once by the January job with hand-counted tables
(conftest.py), edited in restricted markup (never HTML), typical cases by 案号, issued by the
court's head as a letter cc the procuratorate with the report PDF; its pages and API."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from indicators import markup
from indicators import report_services as services
from indicators.models import AnnualReport
from liaison.errors import Conflict
from liaison.models import Region

from .conftest import TODAY, A

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def report(counted):
    r, created = services.report_draft(region=Region.objects.get(code="liuzhou"), year=2026, today=TODAY)
    assert created
    return r


def client(user):
    c = Client()
    c.force_login(user)
    return c


def url(r, action=""):
    return f"/indicators/reports/{r.uuid}/" + (f"{action}/" if action else "")


# ----------------------------------------------------------------------------- markup


def test_markup_builds_only_its_own_tags_from_escaped_text():
    html = markup.render(
        "## 一、<b>标题</b>\n段落 **重点** <script>alert(1)</script>\n\n- 一项\n"
        '| 案由 | 件数 |\n|---|---|\n| <img src=x onerror=alert(1)> | "7" |\n[链接](javascript:alert(1))'
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<h3>一、&lt;b&gt;标题&lt;/b&gt;</h3>" in html and "<strong>重点</strong>" in html
    assert "<thead><tr><th>案由</th><th>件数</th></tr></thead>" in html and "<li>一项</li>" in html
    assert "href" not in html  # no links at all


# ----------------------------------------------------------------------------- drafting


def test_the_january_job_drafts_one_report_per_region_however_often_it_runs(counted):
    first = services.draft_year(today=dt.date(2027, 1, 10))
    again = services.draft_year(today=dt.date(2027, 1, 11))
    assert len(first) == Region.objects.count() and [r.pk for r in first] == [r.pk for r in again]
    city = AnnualReport.objects.get(region__code="liuzhou")
    assert city.year == 2026 and city.procuratorate.name == "柳州市人民检察院"
    assert [s.key for s in city.sections.all()] == [
        "caseload",
        "losses",
        "appearance",
        "enforcement",
        "suggestions",
        "typical",
        "advice",
    ]


def test_the_tables_hold_the_hand_counted_numbers(report):
    d = report.data
    # concluded in 2026 (any instance): c1–c10 but c11 (pending), plus c12 and c14 → 12; none filed in 2026
    assert (d["caseload"]["totals"]["concluded"], d["caseload"]["totals"]["filed"]) == (12, 0)
    causes = {r["name"]: r for r in d["caseload"]["by_cause"]}
    assert causes["行政处罚"]["concluded"] == 10 and causes["政府信息公开"]["concluded"] == 2
    # the year's city loss rate is the indicator's: 5 of 11 (test_api.test_a_year)
    loss = d["indicators"]["loss_rate"]
    assert (loss["numerator"], loss["denominator"], loss["display"]) == (5, 11, "45.45%")
    # A lost c1, c5, c12 (撤销) and c6 (确认违法) at first instance; c8 (second instance) is not counted
    a = next(r for r in d["losses"] if r["name"] == A)
    assert (a["lost"], a["concluded"]) == (4, 8)
    assert a["reasons"] == "判决撤销3件、判决确认违法1件"
    assert [q["period"] for q in d["quarters"]] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    body = report.sections.get(key="losses").body
    assert "45.45%" in body and "| 柳州市城市管理行政执法局 | 4 | 8 | 50.00% |" in body


# ----------------------------------------------------------------------------- editing and the flow


def test_the_court_edits_sections_and_chooses_typical_cases(world, report, counted):
    c1 = counted["cases"]["c1"]
    services.report_edit(
        report=report,
        by=world["court_clerk"],
        sections={"advice": {"body": "## 建议\n- 落实负责人出庭 <script>x</script>"}},
        typical_cases=[c1.number],
    )
    page = client(world["court_head"]).get(url(report)).content.decode()
    assert "<li>落实负责人出庭 &lt;script&gt;x&lt;/script&gt;</li>" in page and c1.number in page
    with pytest.raises(ValidationError) as exc:
        services.report_edit(report=report, by=world["court_clerk"], sections={}, typical_cases=["（2026）不存在1号"])
    assert "typical_cases" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.report_edit(report=report, by=world["office"], sections={}, typical_cases=[])


def test_the_edit_page_keeps_input_and_says_what_is_wrong(world, report):
    c = client(world["court_clerk"])
    assert c.get(url(report, "edit")).status_code == 200
    data = {f"{s.key}_heading": s.heading for s in report.sections.all()}
    data.update({f"{s.key}_body": s.body for s in report.sections.all()})
    data["advice_body"] = "新的建议"
    data["typical_cases"] = "（2026）不存在1号"
    r = c.post(url(report, "edit"), data)
    assert r.status_code == 200 and r.context["form"].errors["typical_cases"]
    assert report.sections.get(key="advice").body != "新的建议"  # nothing half-saved
    data["typical_cases"] = ""
    assert c.post(url(report, "edit"), data).status_code == 302
    assert report.sections.get(key="advice").body == "新的建议"


def test_submit_issue_letter_cc_procuratorate_with_the_pdf(world, report):
    assert client(world["court_clerk"]).post(url(report, "submit")).status_code == 302
    assert client(world["court_clerk"]).post(url(report, "issue")).status_code == 403
    assert client(world["court_head"]).post(url(report, "issue")).status_code == 302
    report.refresh_from_db()
    letter = report.letter
    assert report.status == "issued" and letter.doc_number.startswith("柳中法函〔")
    recipients = {d.recipient.name: d.kind for d in letter.deliveries.all()}
    assert recipients["柳州市人民政府"] != recipients["柳州市人民检察院"]
    attachment = letter.attachments.get()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=attachment.file.read(), capture_output=True, check=True
    ).stdout.decode()
    assert "行政诉讼司法审查报告" in text and "45.45%" in text and "二、行政机关败诉情况及原因" in text
    with pytest.raises(Conflict):
        services.report_edit(report=report, by=world["court_clerk"], sections={}, typical_cases=[])


def test_who_sees_a_report(world, report):
    readers = {"court_clerk", "court_head", "office", "auditor"}
    for persona, user in world.items():
        assert client(user).get(url(report)).status_code == (200 if persona in readers else 404), persona
    services.report_submit(report=report, by=world["court_clerk"])
    services.report_issue(report=report, by=world["court_head"])
    for persona in ("gov_head", "gov_legal", "proc_head"):
        assert client(world[persona]).get(url(report)).status_code == 200, persona
    assert client(world["agency_staff"]).get(url(report)).status_code == 404


# ----------------------------------------------------------------------------- API

API = "/api/v1/annual-reports/"


def test_api(api, world, report, counted):
    clerk, head = api(world["court_clerk"]), api(world["court_head"])
    row = clerk.get(API).json()["results"][0]
    assert row["uuid"] == str(report.uuid) and row["allowed_actions"] == ["edit", "refresh", "submit"]
    assert clerk.get(API, {"year": report.year}).json()["count"] == 1
    assert clerk.get(API, {"year": report.year + 1}).json()["count"] == 0
    assert clerk.get(API, {"year": "abc"}).status_code == 400
    assert clerk.get(f"{API}{report.uuid}/", {"year": report.year + 1}).status_code == 200  # lists only
    assert api(world["agency_staff"]).get(f"{API}{report.uuid}/").status_code == 404
    assert api(world["office"]).post(f"{API}{report.uuid}/submit/").status_code == 403
    assert head.post(f"{API}{report.uuid}/issue/").status_code == 409
    bad = clerk.post(f"{API}{report.uuid}/edit/", {"typical_cases": ["nope"]}, format="json")
    assert bad.status_code == 400 and "typical_cases" in bad.json()
    r = clerk.post(
        f"{API}{report.uuid}/edit/",
        {"sections": [{"key": "advice", "body": "**加强**"}], "typical_cases": [counted["cases"]["c6"].number]},
        format="json",
    )
    assert r.status_code == 200
    advice = next(s for s in r.json()["sections"] if s["key"] == "advice")
    assert advice["html"] == "<p><strong>加强</strong></p>"
    assert [c["number"] for c in r.json()["typical_cases"]] == [counted["cases"]["c6"].number]
    assert clerk.post(f"{API}{report.uuid}/submit/").json()["status"] == "submitted"
    assert (
        head.post(f"{API}{report.uuid}/return/", {"reason": "补充败诉原因"}, format="json").json()["status"] == "draft"
    )


def test_the_report_waits_for_the_court_then_its_head(world, report):
    from indicators.models import AnnualReport
    from liaison import todo

    def rows(user):
        return [(i.label, i.obj.pk) for i in todo.items(user) if i.obj.__class__ is AnnualReport]

    assert rows(world["court_clerk"]) == [("待送签报告", report.pk)]
    assert rows(world["office"]) == [] and rows(world["gov_legal"]) == []
    services.report_submit(report=report, by=world["court_clerk"])
    assert rows(world["court_clerk"]) == [] and rows(world["court_head"]) == [("待签发报告", report.pk)]
    services.report_issue(report=AnnualReport.objects.get(pk=report.pk), by=world["court_head"])
    assert rows(world["court_head"]) == []
