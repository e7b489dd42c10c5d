"""Bulletin pages and /api/v1/bulletins/: who sees a bulletin, the buttons from its workflow,
each transition through the page toolkit and the API, and today's differences from an
issued (frozen) bulletin."""

import pytest
from django.test import Client

from cases.models import Outcome
from indicators import services
from indicators.models import Bulletin
from indicators.periods import Period
from liaison.models import Region

from .conftest import TODAY

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2026Q3")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bulletin(counted):
    b, _created = services.bulletin_draft(region=Region.objects.get(code="liuzhou"), period=Q3, today=TODAY)
    return b


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def url(b, action=""):
    return f"/indicators/bulletins/{b.uuid}/" + (f"{action}/" if action else "")


# who sees a draft: the issuing court and the office; the government and procuratorate once issued
DRAFT_READERS = {"court_clerk", "court_head", "office", "auditor"}


def test_a_draft_is_seen_by_the_court_and_the_office_only(world, bulletin):
    for persona, user in world.items():
        r = client(user).get(url(bulletin))
        assert r.status_code == (200 if persona in DRAFT_READERS else 404), persona
        listed = client(user).get("/indicators/bulletins/")
        assert listed.status_code == 200
        assert (str(bulletin.uuid) in listed.content.decode()) == (persona in DRAFT_READERS), persona


def test_buttons_come_from_the_workflow(world, bulletin):
    office = client(world["office"]).get(url(bulletin)).content.decode()
    assert 'data-verb="bulletin.comment"' in office and 'data-verb="bulletin.submit"' in office
    assert 'data-verb="bulletin.issue"' not in office
    head = client(world["court_head"]).get(url(bulletin)).content.decode()
    assert 'data-verb="bulletin.comment"' not in head and 'data-verb="bulletin.issue"' not in head  # not yet reviewed


def test_the_whole_flow_through_the_pages(world, bulletin):
    office, head = client(world["office"]), client(world["court_head"])
    r = office.post(url(bulletin, "comment"), {"commentary": "建议市城管局落实负责人出庭。"})
    assert r.status_code == 302
    assert office.post(url(bulletin, "submit")).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.REVIEWED and "负责人出庭" in bulletin.commentary
    # the office cannot issue (403); the court head can
    assert office.post(url(bulletin, "issue")).status_code == 403
    assert head.get(url(bulletin, "issue")).status_code == 200
    assert head.post(url(bulletin, "issue")).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.ISSUED and bulletin.letter.doc_number
    # now the city government and the procuratorate see it; agencies still do not
    for persona in ("gov_head", "gov_legal", "proc_staff"):
        assert client(world[persona]).get(url(bulletin)).status_code == 200, persona
    assert client(world["agency_staff"]).get(url(bulletin)).status_code == 404
    page = client(world["gov_head"]).get(url(bulletin)).content.decode()
    assert bulletin.letter.doc_number in page and "今日数据与通报数据一致" in page


def test_a_wrong_state_is_a_message_not_an_error(world, bulletin):
    r = client(world["office"]).post(url(bulletin, "correct"), {"reason": "x"})
    assert r.status_code == 302 and r["Location"] == url(bulletin)
    assert Bulletin.objects.count() == 1


def test_return_needs_a_reason_kept_beside_the_field(world, bulletin):
    services.bulletin_submit(bulletin=bulletin, by=world["office"])
    r = client(world["court_head"]).post(url(bulletin, "return"), {"reason": ""})
    assert r.status_code == 200 and r.context["form"].errors["reason"]
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.REVIEWED


def test_an_issued_bulletin_shows_where_today_differs_and_its_correction(world, bulletin, counted):
    services.bulletin_submit(bulletin=bulletin, by=world["office"])
    services.bulletin_issue(bulletin=bulletin, by=world["court_head"])
    # c2 (A, 驳回诉讼请求) becomes a loss after issue: A's 2/5 is 3/5 today, the city's 3/8 is 4/8
    c2 = counted["cases"]["c2"]
    c2.outcome = Outcome.objects.filter(counts_as_lost=True).first()
    c2.save()
    page = client(world["office"]).get(url(bulletin))
    diffs = {(d["unit"], d["indicator"]): d for d in page.context["differences"]}
    city = next(v for (unit, key), v in diffs.items() if key == "loss_rate" and v["table"] == "city")
    assert (city["issued"]["numerator"], city["today"]["numerator"]) == (3, 4)
    bulletin.refresh_from_db()
    assert bulletin.snapshot["city"]["units"][0]["figures"]["loss_rate"]["numerator"] == 3  # frozen
    r = client(world["office"]).post(
        url(bulletin, "correct"), {"reason": "柳州中院（2026）桂02行初2号结案方式录入有误。"}
    )
    correction = Bulletin.objects.get(corrects=bulletin)
    assert r.status_code == 302 and r["Location"] == url(correction)
    assert correction.snapshot["city"]["units"][0]["figures"]["loss_rate"]["numerator"] == 4
    assert bulletin.letter.doc_number in client(world["office"]).get(url(correction)).content.decode()


def test_tables_pdf_preview_for_readers_only(world, bulletin):
    r = client(world["office"]).get(url(bulletin, "tables.pdf").rstrip("/"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert client(world["agency_staff"]).get(url(bulletin, "tables.pdf").rstrip("/")).status_code == 404


# ----------------------------------------------------------------------------- API

API = "/api/v1/bulletins/"


def test_api_lists_and_shows_with_allowed_actions(api, world, bulletin):
    r = api(world["office"]).get(API)
    assert r.status_code == 200
    row = r.json()["results"][0]
    assert row["uuid"] == str(bulletin.uuid) and set(row["allowed_actions"]) >= {"comment", "submit", "refresh"}
    assert api(world["agency_staff"]).get(API).json()["count"] == 0
    assert api(world["agency_staff"]).get(f"{API}{bulletin.uuid}/").status_code == 404
    detail = api(world["court_head"]).get(f"{API}{bulletin.uuid}/").json()
    assert detail["allowed_actions"] == ["refresh"] and detail["snapshot"]["period"] == "2026Q3"


def test_api_filters_narrow_the_list_only(api, world, bulletin):
    office = api(world["office"])
    assert office.get(API, {"period": "2026q3", "status": "draft"}).json()["count"] == 1
    assert office.get(API, {"status": "issued"}).json()["count"] == 0
    r = office.get(API, {"status": "nope"})
    assert r.status_code == 400 and "status" in r.json()
    # a filter on a record's URL is no filter: the record stays visible
    assert office.get(f"{API}{bulletin.uuid}/", {"status": "issued"}).status_code == 200


def test_api_flow_404_403_409_400(api, world, bulletin):
    office, head = api(world["office"]), api(world["court_head"])
    assert api(world["agency_staff"]).post(f"{API}{bulletin.uuid}/submit/").status_code == 404
    assert head.post(f"{API}{bulletin.uuid}/submit/").status_code == 403
    assert head.post(f"{API}{bulletin.uuid}/issue/").status_code == 409  # a draft: submit first
    assert office.post(f"{API}{bulletin.uuid}/comment/", {}, format="json").status_code == 400
    r = office.post(f"{API}{bulletin.uuid}/comment/", {"commentary": "意见"}, format="json")
    assert r.status_code == 200 and r.json()["commentary"] == "意见"
    assert office.post(f"{API}{bulletin.uuid}/submit/").json()["status"] == "reviewed"
    assert head.post(f"{API}{bulletin.uuid}/return/", {"reason": ""}, format="json").status_code == 400
    issued = head.post(f"{API}{bulletin.uuid}/issue/").json()
    assert issued["status"] == "issued" and issued["doc_number"] and issued["differences"] == []
    r = office.post(f"{API}{bulletin.uuid}/correct/", {"reason": "数据有误"}, format="json")
    assert r.status_code == 201 and r.json()["corrects"] == str(bulletin.uuid)


def test_api_list_runs_a_bounded_number_of_queries(api, world, counted, django_assert_max_num_queries):
    services.draft_quarter(today=TODAY.replace(month=10, day=8))
    c = api(world["office"])
    with django_assert_max_num_queries(8):
        r = c.get(API)
    assert r.json()["count"] == Region.objects.count()
