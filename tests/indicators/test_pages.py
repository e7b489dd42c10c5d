"""The dashboards and the drill-down page: who sees which subject, the hand-counted figures
(conftest.py) on the page, every figure linked to its records, and the charts' data
carried as JSON for the static script (no inline script under the CSP)."""

import re

import pytest
from django.db import connection
from django.test import Client

from liaison.models import Institution

from .conftest import CG, CJ, A, E

pytestmark = pytest.mark.django_db

URL = "/indicators/"
DRILL = "/indicators/drilldown/"


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def page(user, **params):
    return client(user).get(URL, {"quarter": "2026Q3", **params})


def headline(response, key):
    return next(c for c in response.context["headline"] if c["key"] == key)


def test_the_office_sees_the_city_with_counties_ranked_and_city_departments(world, counted):
    r = page(world["office"])
    assert r.status_code == 200
    assert r.context["level"] == "city"
    loss = headline(r, "loss_rate")
    # city-wide c1 c2 c3 c4 c6 c7 c9 c10, lost c1 c6 c9 → 3 of 8 (conftest)
    assert (loss["numerator"], loss["denominator"], loss["display"]) == (3, 8, "37.50%")
    assert [row["period"].code for row in r.context["trend"]["rows"]] == [
        "2024Q4",
        "2025Q1",
        "2025Q2",
        "2025Q3",
        "2025Q4",
        "2026Q1",
        "2026Q2",
        "2026Q3",
    ]
    counties, departments = r.context["rankings"]
    # 城中区 is the only county with a concluded case: ranked 1 of 1, the others "—" below it
    assert counties["rows"][0]["name"] == "城中区" and counties["rows"][0]["rank"] == 1
    assert all(row["rank"] is None for row in counties["rows"][1:])
    # city departments by loss rate, lowest first: E 1/2 (50 %) after A 2/5 (40 %)
    assert [(row["name"], row["rank"]) for row in departments["rows"][:2]] == [(A, 1), (E, 2)]
    body = r.content.decode()
    assert loss["numerator_url"] in body.replace("&amp;", "&")


def test_city_government_and_its_legal_affairs_office_see_the_city(world, counted):
    for persona in ("gov_head", "gov_legal", "justice_legal"):
        r = page(world[persona])
        assert r.status_code == 200 and r.context["level"] == "city", persona


def test_charts_come_as_json_for_the_static_script_and_no_inline_script(world, counted):
    body = page(world["office"]).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", body, flags=re.S)
    for attrs, _text in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert 'id="indicator-charts"' in body
    assert "vendor/chartjs-4.6.2/chart.umd.min.js" in body and "indicators/dashboard.js" in body
    assert 'data-chart="trend"' in body and 'data-chart="ranking0"' in body


def test_every_chart_has_its_data_table(world, counted):
    r = page(world["office"])
    body = r.content.decode()
    # the trend table's last row carries the same figure as the headline, with its links
    last = r.context["trend"]["rows"][-1]["cells"][0]
    assert (last["numerator"], last["denominator"]) == (3, 8)
    assert body.count("<canvas") == 1 + len(r.context["rankings"])
    assert body.count("<table") >= body.count("<canvas")


def test_an_agency_sees_its_own_figures_and_rank_and_nothing_of_other_agencies(world, counted, inst):
    r = page(world["agency_staff"])
    assert r.status_code == 200 and r.context["level"] == "agency"
    assert r.context["subject"].name == A
    loss = headline(r, "loss_rate")
    # A: 2 lost of 5; rank 1 of the 2 ranked city departments (the same as the office sees)
    assert (loss["numerator"], loss["denominator"], loss["rank"], loss["ranked_of"]) == (2, 5, 1, 2)
    assert r.context["rankings"] == [] and r.context["tables"] == []
    body = r.content.decode()
    for other in (E, CJ, CG, "柳州市交通运输局"):
        assert other not in body, other
    office = page(world["office"], agency=str(inst[A].uuid))
    assert headline(office, "loss_rate")["display"] == loss["display"] == "40.00%"


def test_an_agency_cannot_open_another_subject(world, counted, inst):
    staff = world["agency_staff"]
    assert page(staff, agency=str(inst[E].uuid)).status_code == 404
    assert page(staff, region="liuzhou").status_code == 404
    assert page(staff, agency="not-a-uuid").status_code == 404


def test_a_county_government_sees_its_county_and_its_agencies_only(world, counted, inst):
    user = world["county_gov_legal"]
    r = page(user)
    assert r.status_code == 200 and r.context["level"] == "region"
    assert {row["name"] for row in r.context["rankings"][0]["rows"]} == {
        u.name for u in Institution.objects.filter(region__code="chengzhong", kind__in=["agency", "government"])
    }
    # 城中区: c9 (lost), c10 → 1 of 2; rank among counties 1 of 1
    loss = headline(r, "loss_rate")
    assert (loss["numerator"], loss["denominator"], loss["rank"]) == (1, 2, 1)
    assert page(user, agency=str(inst[CJ].uuid)).status_code == 200
    assert page(user, agency=str(inst[A].uuid)).status_code == 404
    assert page(user, region="liuzhou").status_code == 404


def test_the_office_opens_a_county_and_an_agency(world, counted, inst):
    assert page(world["office"], region="chengzhong").context["level"] == "region"
    assert page(world["office"], agency=str(inst[E].uuid)).context["subject"].name == E


def test_without_an_institution_403_and_anonymous_to_login(world, counted):
    assert page(world["admin"]).status_code == 403
    r = client().get(URL)
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_a_bad_period_says_so_and_shows_the_last_quarter(world, counted):
    r = page(world["office"], quarter="2026Q9")
    assert r.status_code == 200 and r.context["period_error"]
    assert r.context["period"].code == "2026Q3"


def test_a_year(world, counted):
    r = client(world["office"]).get(URL, {"year": "2026"})
    loss = headline(r, "loss_rate")
    assert (loss["numerator"], loss["denominator"]) == (5, 11)  # as test_api.test_a_year


def test_the_page_runs_a_bounded_number_of_queries(world, counted, django_assert_max_num_queries):
    c = client(world["office"])
    # 11 computations of ~5 statements, whatever the rows (on PostgreSQL each asks the data version first)
    with django_assert_max_num_queries(60 + 11 * (connection.vendor == "postgresql")):
        c.get(URL, {"quarter": "2026Q3"})


# ----------------------------------------------------------------------------- drill-down page


def drill(user, **params):
    return client(user).get(DRILL, {"quarter": "2026Q3", **params})


def test_drilldown_lists_the_cases_behind_the_numerator(world, counted):
    r = drill(world["office"], level="city", indicator="loss_rate", part="numerator")
    assert r.status_code == 200 and r.context["kind"] == "cases"
    shown = {c.summary for c in r.context["page"].object_list}
    assert shown == {"c1", "c6", "c9"}
    body = r.content.decode()
    assert "/cases/" in body


def test_drilldown_of_hearings_and_suggestions(world, counted, inst):
    r = drill(world["office"], level="agency", unit=str(inst[A].uuid), indicator="reply_rate", part="denominator")
    assert r.context["kind"] == "suggestions" and r.context["page"].paginator.count == 3
    r = drill(world["office"], level="agency", unit=str(inst[A].uuid), indicator="appearance_rate", part="numerator")
    assert r.context["kind"] == "hearings"


def test_an_agency_drills_into_its_own_figures_only(world, counted, inst):
    staff = world["agency_staff"]
    own = drill(staff, level="agency", unit=str(inst[A].uuid), indicator="loss_rate", part="numerator")
    assert own.status_code == 200 and {c.summary for c in own.context["page"].object_list} == {"c1", "c6"}
    assert drill(staff, level="agency", unit=str(inst[E].uuid), indicator="loss_rate").status_code == 404
    assert drill(staff, level="city", indicator="loss_rate").status_code == 403
    assert drill(world["county_gov_legal"], level="city", indicator="loss_rate").status_code == 403


def test_drilldown_bad_input_is_a_400_with_the_reason(world, counted):
    r = drill(world["office"], level="city", indicator="nope")
    assert r.status_code == 400 and "indicator" in r.context["errors"]


def test_drilldown_runs_a_bounded_number_of_queries(world, counted, django_assert_max_num_queries):
    c = client(world["office"])
    with django_assert_max_num_queries(20):
        c.get(DRILL, {"quarter": "2026Q3", "level": "city", "indicator": "loss_rate", "part": "denominator"})
