"""GET /api/v1/indicators/, its drill-down and export: who sees which units, and the records behind a figure.

The expected scopes below are written from SPEC.md / the issue ("an agency sees only its
own figures and rank; office/city government city-wide; county government its county"),
not read from indicators.access_rules.
"""

import io

import pytest
from openpyxl import load_workbook

from liaison.models import Institution, Region

from .conftest import CG, CJ, A, E

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/"
DRILL = "/api/v1/indicators/drilldown/"
EXPORT = "/api/v1/indicators/export/"

CITY = {
    "office",
    "auditor",
    "court_clerk",
    "court_head",
    "proc_staff",
    "proc_head",
    "gov_legal",
    "gov_head",
    "justice_legal",
}
COUNTY = {"county_clerk", "county_head", "county_gov_legal"}  # 城中区
OWN = {"agency_staff": A, "agency_head": A, "env_staff": E}
NOBODY = {"admin"}


def get(api, user, url=URL, **params):
    return api(user).get(url, params)


def keys(response):
    return {u["key"] for u in response.json()["units"]}


def test_each_persona_sees_the_units_of_its_scope(api, world, counted):
    agencies = Institution.objects.filter(kind__in=["agency", "government"])
    chengzhong = Region.objects.get(code="chengzhong")
    for persona, user in world.items():
        for level in ("agency", "region", "city"):
            r = get(api, user, quarter="2026Q3", level=level)
            if persona in CITY:
                assert r.status_code == 200, (persona, level)
                expected = {
                    "agency": {str(i.uuid) for i in agencies},
                    "region": set(Region.objects.values_list("code", flat=True)),
                    "city": {"city"},
                }[level]
            elif persona in COUNTY and level != "city":
                assert r.status_code == 200, (persona, level)
                expected = {
                    "agency": {str(i.uuid) for i in agencies.filter(region=chengzhong)},
                    "region": {"chengzhong"},
                }[level]
            elif persona in OWN and level == "agency":
                assert r.status_code == 200, (persona, level)
                expected = {str(Institution.objects.get(name=OWN[persona]).uuid)}
            else:
                assert persona in NOBODY or level != "agency" or persona not in OWN
                assert r.status_code == 403, (persona, level, r.status_code)
                continue
            assert keys(r) == expected, (persona, level)


def test_anonymous_is_refused(api, counted):
    assert api().get(URL, {"quarter": "2026Q3"}).status_code in (401, 403)


def test_an_agency_sees_for_itself_the_number_and_rank_the_office_sees(api, world, counted, inst):
    mine = get(api, world["agency_staff"], quarter="2026Q3").json()["units"]
    assert [u["name"] for u in mine] == [A]
    office = {u["key"]: u for u in get(api, world["office"], quarter="2026Q3").json()["units"]}
    assert mine[0]["figures"] == office[str(inst[A].uuid)]["figures"]
    loss = mine[0]["figures"]["loss_rate"]
    # hand-counted in conftest: 2 lost of 5, 40.00 %, first of the two ranked city departments
    assert (loss["numerator"], loss["denominator"], loss["rate"], loss["display"]) == (2, 5, "40.00", "40.00%")
    assert (loss["rank"], loss["ranked_of"], loss["change_previous"], loss["change_last_year"]) == (
        1,
        2,
        "-10.00",
        "40.00",
    )
    reply = mine[0]["figures"]["reply_rate"]
    assert (reply["numerator"], reply["on_time"], reply["denominator"]) == (1, 1, 3)
    # other agencies' names are not in the answer at all
    body = get(api, world["agency_staff"], quarter="2026Q3").content.decode()
    assert E not in body and CJ not in body


def test_empty_denominator_is_null_and_a_dash(api, world, counted):
    units = get(api, world["office"], quarter="2026Q3", level="region").json()["units"]
    yufeng = next(u for u in units if u["key"] == "yufeng")
    for f in yufeng["figures"].values():
        assert (f["denominator"], f["rate"], f["display"], f["rank"]) == (0, None, "—", None)


def test_a_year(api, world, counted):
    r = get(api, world["office"], year="2026", level="city")
    assert r.status_code == 200
    body = r.json()
    assert body["period"] == "2026" and body["last_year_period"] is None
    loss = body["units"][0]["figures"]["loss_rate"]
    # 2026 city-wide: c1 c2 c3 c4 c5 c6 c7 c9 c10 c12 c14 concluded, lost c1 c5 c6 c9 c12 → 5 of 11
    assert (loss["numerator"], loss["denominator"], loss["display"]) == (5, 11, "45.45%")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"quarter": "2026Q5"}, "quarter"),
        ({"quarter": "2026"}, "quarter"),
        ({"year": "2026Q1"}, "year"),
        ({"quarter": "2026Q3", "year": "2026"}, "year"),
        ({"quarter": "2026Q3", "level": "county"}, "level"),
    ],
)
def test_bad_parameters_answer_400_with_the_field(api, world, params, field):
    r = get(api, world["office"], **params)
    assert r.status_code == 400 and field in r.json()


# ----------------------------------------------------------------------------- drill-down


def drill(api, user, **params):
    return get(api, user, DRILL, quarter="2026Q3", **params)


def numbers(response, counted, kind="cases"):
    names = {c.number: k for k, c in counted["cases"].items()}
    if kind == "cases":
        return sorted((names[r["number"]] for r in response.json()["results"]), key=lambda k: int(k[1:]))
    if kind == "hearings":
        hearings = {str(h.uuid): k for k, h in counted["hearings"].items()}
        return sorted((hearings[r["hearing"]], r["defendant"]) for r in response.json()["results"])
    suggestions = {str(s.uuid): k for k, s in counted["suggestions"].items()}
    return sorted(suggestions[r["uuid"]] for r in response.json()["results"])


def test_drilldown_lists_the_cases_behind_numerator_and_denominator(api, world, counted, inst):
    a = str(inst[A].uuid)
    office = world["office"]
    den = drill(api, office, level="agency", unit=a, indicator="loss_rate", part="denominator")
    assert den.status_code == 200 and den.json()["kind"] == "cases"
    assert numbers(den, counted) == ["c1", "c2", "c3", "c4", "c6"]
    num = drill(api, office, level="agency", unit=a, indicator="loss_rate", part="numerator")
    assert numbers(num, counted) == ["c1", "c6"]
    perf = drill(api, office, level="agency", unit=a, indicator="performance_rate", part="denominator")
    assert numbers(perf, counted) == ["c1", "c6", "c8"]
    city = drill(api, office, level="city", indicator="loss_rate", part="numerator")
    assert numbers(city, counted) == ["c1", "c6", "c9"]


def test_drilldown_of_hearings_and_suggestions(api, world, counted, inst):
    a = str(inst[A].uuid)
    office = world["office"]
    den = drill(api, office, level="agency", unit=a, indicator="appearance_rate", part="denominator")
    assert den.json()["kind"] == "hearings"
    assert numbers(den, counted, "hearings") == [(h, A) for h in ("h1", "h2", "h3", "h5", "h8")]
    heads = drill(api, office, level="agency", unit=a, indicator="appearance_rate", part="numerator")
    assert numbers(heads, counted, "hearings") == [(h, A) for h in ("h1", "h5", "h8")]
    delegated = drill(api, office, level="agency", unit=a, indicator="appearance_rate", part="delegated")
    assert numbers(delegated, counted, "hearings") == [("h2", A)]
    region = drill(api, office, level="region", unit="chengzhong", indicator="appearance_rate", part="denominator")
    assert numbers(region, counted, "hearings") == [("h7", CG), ("h7", CJ)]
    due = drill(api, office, level="agency", unit=a, indicator="reply_rate", part="denominator")
    assert numbers(due, counted, "suggestions") == ["s1", "s2", "s3"]
    on_time = drill(api, office, level="agency", unit=a, indicator="reply_rate", part="on_time")
    assert numbers(on_time, counted, "suggestions") == ["s1"]


def test_drilldown_stays_within_what_the_viewer_may_open(api, world, counted):
    # 城中区's figure counts c9 (城中区司法局 alone) and c10 (城中区政府 + 司法局). The city
    # government sees the figure (2) but may open only c10, whose defendant it is the superior of.
    r = drill(api, world["gov_legal"], level="region", unit="chengzhong", indicator="loss_rate", part="denominator")
    assert r.status_code == 200 and numbers(r, counted) == ["c10"]
    # The office oversees the whole city and opens both.
    r = drill(api, world["office"], level="region", unit="chengzhong", indicator="loss_rate", part="denominator")
    assert numbers(r, counted) == ["c9", "c10"]


def test_drilldown_outside_the_scope_is_404_and_a_level_too_wide_403(api, world, counted, inst):
    e = str(inst[E].uuid)
    agency = world["agency_staff"]
    assert drill(api, agency, level="agency", unit=e, indicator="loss_rate").status_code == 404
    assert drill(api, agency, level="city", indicator="loss_rate").status_code == 403
    assert drill(api, agency, level="region", unit="liuzhou", indicator="loss_rate").status_code == 403
    county = world["county_gov_legal"]
    assert drill(api, county, level="agency", unit=e, indicator="loss_rate").status_code == 404
    assert drill(api, county, level="region", unit="liuzhou", indicator="loss_rate").status_code == 404
    assert drill(api, county, level="agency", unit="not-a-uuid", indicator="loss_rate").status_code == 404
    # its own figure opens
    own = drill(api, agency, level="agency", unit=str(inst[A].uuid), indicator="loss_rate", part="numerator")
    assert own.status_code == 200 and numbers(own, counted) == ["c1", "c6"]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"level": "agency", "indicator": "loss_rate"}, "unit"),
        ({"level": "city", "indicator": "nope"}, "indicator"),
        ({"level": "city", "indicator": "loss_rate", "part": "on_time"}, "part"),
        ({"level": "city", "indicator": "reply_rate", "part": "half"}, "part"),
    ],
)
def test_drilldown_bad_parameters(api, world, params, field):
    r = drill(api, world["office"], **params)
    assert r.status_code == 400 and field in r.json()


def test_query_counts_do_not_grow_with_the_rows(api, world, counted, inst, django_assert_max_num_queries):
    office = world["office"]
    with django_assert_max_num_queries(12):
        assert get(api, office, quarter="2026Q3", level="agency").status_code == 200
    with django_assert_max_num_queries(12):
        r = drill(api, office, level="city", indicator="loss_rate", part="denominator")
        assert r.json()["count"] == 8


# ----------------------------------------------------------------------------- export


def test_export_is_the_table_the_viewer_sees(api, world, counted):
    r = get(api, world["agency_staff"], EXPORT, quarter="2026Q3")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the agency's own row only
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["单位"] == A
    assert record["行政机关败诉率·败诉案件"] == 2 and record["行政机关败诉率·一审结案"] == 5
    assert record["行政机关败诉率·比率"] == "40.00%" and record["行政机关败诉率·排名"] == "1/2"
    assert record["行政机关败诉率·较上期（百分点）"] == "-10.00"
    assert get(api, world["agency_staff"], EXPORT, quarter="2026Q3", level="city").status_code == 403
