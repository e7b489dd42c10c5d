"""The quarterly bulletin: drafted once by the job, reviewed by the office, issued by the court's head
as a numbered 通报 letter, frozen afterwards, corrected by a new bulletin that names the old one."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.models import Outcome
from indicators import services
from indicators.models import Bulletin
from indicators.periods import Period
from liaison import access
from liaison.errors import Conflict
from liaison.models import Region

from .conftest import TODAY, A

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2026Q3")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def city_bulletin(counted):
    bulletin, created = services.bulletin_draft(region=Region.objects.get(code="liuzhou"), period=Q3, today=TODAY)
    assert created
    return bulletin


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def issue(bulletin, world, commentary="建议加强行政应诉工作。"):
    services.bulletin_comment(bulletin=bulletin, by=world["office"], commentary=commentary)
    services.bulletin_submit(bulletin=bulletin, by=world["office"])
    return services.bulletin_issue(bulletin=bulletin, by=world["court_head"])


def test_the_job_drafts_one_bulletin_per_region_and_quarter_however_often_it_runs(counted):
    first = services.draft_quarter(today=dt.date(2026, 10, 8))
    again = services.draft_quarter(today=dt.date(2026, 10, 9))
    assert len(first) == Region.objects.count() == 11  # the city and its ten counties/districts
    assert [b.pk for b in first] == [b.pk for b in again]
    assert Bulletin.objects.count() == 11
    city = Bulletin.objects.get(region__code="liuzhou")
    assert (city.period, city.issuer.name, city.government.name, city.procuratorate.name) == (
        "2026Q3",
        "柳州市中级人民法院",
        "柳州市人民政府",
        "柳州市人民检察院",
    )
    county = Bulletin.objects.get(region__code="chengzhong")
    assert (county.issuer.name, county.government.name) == ("柳州市城中区人民法院", "柳州市城中区人民政府")


def test_the_snapshot_holds_the_hand_counted_figures(city_bulletin):
    s = city_bulletin.snapshot
    city = s["city"]["units"][0]["figures"]
    assert (city["loss_rate"]["numerator"], city["loss_rate"]["denominator"], city["loss_rate"]["display"]) == (
        3,
        8,
        "37.50%",
    )
    agencies = {u["name"]: u for u in s["agencies"]["units"]}
    assert agencies[A]["figures"]["loss_rate"]["display"] == "40.00%"
    assert all(u["region"] == "柳州市" for u in s["agencies"]["units"])  # the city's own departments only
    assert [t["period"] for t in s["trend"]] == [
        "2024Q4",
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
        "2026Q1",
        "2026Q2",
        "2026Q3",
    ]
    assert s["trend"][-1]["figures"]["loss_rate"]["display"] == "37.50%"
    assert s["rules"]["digest"]


def test_who_may_take_each_step(city_bulletin, world):
    b = city_bulletin
    with pytest.raises(PermissionDenied):
        services.bulletin_comment(bulletin=b, by=world["court_clerk"], commentary="x")
    with pytest.raises(PermissionDenied):
        services.bulletin_submit(bulletin=b, by=world["agency_staff"])
    with pytest.raises(PermissionDenied):
        services.bulletin_issue(bulletin=b, by=world["office"])
    with pytest.raises(Conflict):  # the head may issue, but not before the office has reviewed it
        services.bulletin_issue(bulletin=b, by=world["court_head"])
    services.bulletin_submit(bulletin=b, by=world["office"])
    with pytest.raises(Conflict):
        services.bulletin_comment(bulletin=b, by=world["office"], commentary="too late")
    services.bulletin_return(bulletin=b, by=world["court_head"], reason="请补充工作建议")
    assert Bulletin.objects.get(pk=b.pk).status == Bulletin.Status.DRAFT


def test_issued_as_a_numbered_letter_to_the_government_cc_the_procuratorate(city_bulletin, world):
    b = issue(city_bulletin, world)
    letter = b.letter
    assert b.status == Bulletin.Status.ISSUED
    assert letter.doc_number == "柳中法通〔%d〕1号" % letter.year
    assert [d.name for d in letter.addressees()] == ["柳州市人民政府"]
    assert [d.name for d in letter.cc()] == ["柳州市人民检察院"]
    assert letter.title == "关于2026年第3季度柳州市行政诉讼涉诉指标数据的通报"
    assert "行政机关败诉率37.50%（败诉案件3/一审结案8）" in letter.body
    assert "建议加强行政应诉工作。" in letter.body
    attachment = letter.attachments.get()
    assert attachment.name == "2026年第3季度柳州市指标数据表.pdf"
    text = pdf_text(attachment.file.read())
    for expected in ("行政诉讼涉诉指标数据表", "行政机关败诉率", "37.50%", "40.00%", "近八个季度走势", "城中区"):
        assert expected in text, expected


def test_an_issued_bulletin_is_frozen_and_shows_where_todays_figures_differ(city_bulletin, world, counted):
    b = issue(city_bulletin, world)
    frozen, body = dict(b.snapshot), b.letter.body
    assert services.differences(b, today=TODAY) == []
    # c2 (A, 驳回诉讼请求) is corrected to 判决撤销 after the bulletin went out.
    c2 = counted["cases"]["c2"]
    c2.outcome = Outcome.objects.get(code="revoke")
    c2.save()
    b.refresh_from_db()
    assert b.snapshot == frozen and b.letter.body == body
    with pytest.raises(Conflict):
        services.bulletin_refresh(bulletin=b, by=world["office"])
    diffs = {(d["table"], d["unit"], d["indicator"]): d for d in services.differences(b, today=TODAY)}
    city = diffs[("city", "柳州市", "loss_rate")]
    assert (city["issued"]["numerator"], city["today"]["numerator"], city["today"]["denominator"]) == (3, 4, 8)
    agency = diffs[("agencies", A, "loss_rate")]
    assert (agency["issued"]["display"], agency["today"]["display"]) == ("40.00%", "60.00%")
    assert all(d["indicator"] == "loss_rate" for d in diffs.values())  # nothing else moved


def test_a_correction_is_a_new_numbered_bulletin_referencing_the_one_it_corrects(city_bulletin, world, counted):
    original = issue(city_bulletin, world)
    c2 = counted["cases"]["c2"]
    c2.outcome = Outcome.objects.get(code="revoke")
    c2.save()
    correction = services.bulletin_correct(
        bulletin=original, by=world["office"], reason="（2026）桂02行初案结案方式录入有误"
    )
    with pytest.raises(Conflict):  # one correction at a time
        services.bulletin_correct(bulletin=original, by=world["court_clerk"], reason="again")
    assert correction.corrects == original and correction.status == Bulletin.Status.DRAFT
    assert correction.snapshot["city"]["units"][0]["figures"]["loss_rate"]["numerator"] == 4
    correction = issue(correction, world)
    letter = correction.letter
    assert letter.doc_number == "柳中法通〔%d〕2号" % letter.year
    assert letter.title.startswith("关于更正2026年第3季度柳州市")
    assert f"本通报更正{original.letter.doc_number}中的数据" in letter.body
    assert "行政机关败诉率50.00%（败诉案件4/一审结案8）" in letter.body
    original.refresh_from_db()
    assert (
        original.snapshot["city"]["units"][0]["figures"]["loss_rate"]["numerator"] == 3
    )  # the original stays as issued
    assert list(original.corrections.all()) == [correction]


def test_who_sees_a_bulletin(city_bulletin, world):
    b = city_bulletin
    for persona in ("office", "auditor", "court_clerk", "court_head"):
        access.get_visible_or_404(Bulletin, world[persona], pk=b.pk)
    for persona in ("gov_legal", "proc_staff", "agency_staff", "county_gov_legal", "county_clerk"):
        with pytest.raises(Http404):  # a draft stays with the court and the office
            access.get_visible_or_404(Bulletin, world[persona], pk=b.pk)
    issue(b, world)
    for persona in ("gov_legal", "gov_head", "proc_staff"):
        access.get_visible_or_404(Bulletin, world[persona], pk=b.pk)
    for persona in ("agency_staff", "env_staff", "county_gov_legal", "justice_legal"):
        with pytest.raises(Http404):
            access.get_visible_or_404(Bulletin, world[persona], pk=b.pk)


def test_the_scheduled_task_drafts_last_quarters_bulletins_once(counted, monkeypatch):
    from django.utils import timezone

    from indicators.tasks import draft_bulletins

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 5))
    first = draft_bulletins()
    assert draft_bulletins() == first and len(first) == 11
    assert set(Bulletin.objects.values_list("period", flat=True)) == {"2026Q3"}


def test_the_bulletin_waits_in_the_offices_todo_then_the_court_heads(city_bulletin, world):
    from liaison import todo

    def rows(user):
        return [(i.label, i.obj.pk) for i in todo.items(user) if i.obj.__class__ is Bulletin]

    assert rows(world["office"]) == [("待审核通报", city_bulletin.pk)]
    assert rows(world["court_head"]) == [] and rows(world["court_clerk"]) == []
    services.bulletin_submit(bulletin=city_bulletin, by=world["office"])
    assert rows(world["office"]) == []
    assert rows(world["court_head"]) == [("待签发通报", city_bulletin.pk)] and rows(world["court_clerk"]) == []
    services.bulletin_issue(bulletin=Bulletin.objects.get(pk=city_bulletin.pk), by=world["court_head"])
    assert rows(world["court_head"]) == []
