"""The cases API lists: filters and search, DRF pages, and query budgets at 10 and 200 rows."""

import pytest
from django.db import connection

from cases import services
from cases.models import Cause

from ._api_helpers import (
    API,
    APPLICANT,
    CASES,
    CITY_AGENCY,
    GOV,
    D,
    bulk_cases,
    bulk_enforcements,
    post,
)

ENV = "柳州市生态环境局"


def uuids(response):
    assert response.status_code == 200, response.content
    return {row["uuid"] for row in response.json()["results"]}


def test_case_filters_and_search(api, make_case, court_clerk, county_clerk, agency_staff, office, outcome, inst):
    a = make_case(
        number="（2026）桂02行初15号", plaintiffs="张三", major_category="environment", filed_on=D("2026-03-02")
    )
    b = make_case(
        number="（2026）桂02行终3号",
        instance="second",
        defendants=(ENV,),
        plaintiffs="某某有限公司",
        cause=Cause.objects.get(name="政府信息公开"),
        filed_on=D("2026-06-01"),
    )
    services.case_conclude(case=b, by=court_clerk, outcome=outcome("withdrawal"), concluded_on=D("2026-07-01"))
    c = make_case(by=county_clerk, number="（2026）桂0202行初1号", defendants=(CITY_AGENCY,), filed_on=D("2026-04-01"))
    ua, ub, uc = str(a.uuid), str(b.uuid), str(c.uuid)
    clerk, city = api(court_clerk), api(office)

    assert uuids(clerk.get(CASES)) == {ua, ub}
    assert uuids(city.get(CASES)) == {ua, ub, uc}
    assert uuids(api(agency_staff).get(CASES)) == {ua, uc}  # a defendant of both courts' cases
    assert uuids(clerk.get(CASES, {"status": "concluded"})) == {ub}
    assert uuids(clerk.get(CASES, {"instance": "second"})) == {ub}
    assert uuids(clerk.get(CASES, {"cause": "政府信息公开"})) == {ub}
    assert uuids(clerk.get(CASES, {"cause": "不存在"})) == set()
    assert uuids(city.get(CASES, {"court": str(county_clerk.institution.uuid)})) == {uc}
    assert uuids(city.get(CASES, {"defendant": str(inst[CITY_AGENCY].uuid)})) == {ua, uc}
    assert uuids(city.get(CASES, {"defendant": "00000000-0000-0000-0000-000000000000"})) == set()
    assert uuids(clerk.get(CASES, {"court": str(county_clerk.institution.uuid)})) == set()  # never widens
    assert uuids(clerk.get(CASES, {"major": "true"})) == {ua}
    assert uuids(clerk.get(CASES, {"major": "false"})) == {ub}
    assert uuids(city.get(CASES, {"filed_after": "2026-04-01"})) == {ub, uc}
    assert uuids(city.get(CASES, {"filed_before": "2026-04-01"})) == {ua, uc}
    assert uuids(clerk.get(CASES, {"q": "(2026)桂02行初15"})) == {ua}
    assert uuids(clerk.get(CASES, {"q": "某某有限"})) == {ub}
    assert uuids(clerk.get(CASES, {"q": "生态环境"})) == {ub}
    assert uuids(city.get(CASES, {"q": "城市管理", "court": str(court_clerk.institution.uuid)})) == {ua}
    row = clerk.get(CASES, {"q": "行终3"}).json()["results"][0]
    assert (row["outcome"], row["agency_lost"], row["plaintiffs"]) == ("withdrawal", False, ["某某有限公司"])


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"instance": "supreme"},
        {"court": "not-a-uuid"},
        {"defendant": "1"},
        {"major": "perhaps"},
        {"filed_after": "yesterday"},
        {"filed_before": "2026-13-01"},
        {"q": "x" * 101},
        {"cause": "x" * 41},
    ],
)
def test_bad_case_filter_is_a_400(api, court_clerk, params):
    response = api(court_clerk).get(CASES, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


@pytest.mark.parametrize(
    "resource, params",
    [
        ("disputes", {"status": "x"}),
        ("coordinations", {"case": "x"}),
        ("enforcements", {"overdue": "x"}),
        ("supervisions", {"status": "x"}),
        ("clues", {"box": "x"}),
        ("observations", {"case": "x"}),
        ("reviews", {"case": "x"}),
    ],
)
def test_bad_filters_on_the_other_lists_are_400(api, court_clerk, resource, params):
    response = api(court_clerk).get(f"{API}{resource}/", params)
    assert response.status_code == 400 and set(params) <= set(response.json())


def test_a_filter_on_a_detail_url_changes_nothing(api, make_case, court_clerk):
    case = make_case()
    assert api(court_clerk).get(f"{CASES}{case.uuid}/", {"status": "effective"}).status_code == 200


def test_case_list_is_paginated_in_drf_format(api, court_clerk, cause):
    bulk_cases(60, court_clerk.institution, court_clerk, court_clerk.institution, cause)
    client = api(court_clerk)
    first = client.get(CASES).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 60 and len(first["results"]) == 50 and first["previous"] is None
    assert len(client.get(first["next"]).json()["results"]) == 10
    assert len(client.get(CASES, {"page_size": 5000}).json()["results"]) == 60
    assert client.get(CASES, {"page": 99}).status_code == 404


def test_enforcement_list_filters(api, make_enforcement, court_clerk, court_head, agency_staff, inst):
    applied = make_enforcement(basis_reference="柳罚〔2026〕1号")
    assigned = make_enforcement(basis_reference="柳罚〔2026〕2号", respondent="某建材厂")
    services.enforcement_rule(
        enforcement=assigned, by=court_head, ruling="granted", ruled_on=D("2026-03-02"), assignee=inst[CITY_AGENCY]
    )
    clerk = api(court_clerk)
    assert uuids(clerk.get(f"{API}enforcements/")) == {str(applied.uuid), str(assigned.uuid)}
    assert uuids(clerk.get(f"{API}enforcements/", {"status": "assigned"})) == {str(assigned.uuid)}
    assert uuids(clerk.get(f"{API}enforcements/", {"q": "建材"})) == {str(assigned.uuid)}
    assert uuids(clerk.get(f"{API}enforcements/", {"overdue": "true"})) == {str(assigned.uuid)}  # due 2026-04-01
    assert uuids(api(agency_staff).get(f"{API}enforcements/")) == {str(assigned.uuid)}


# ----------------------------------------------------------------------------- query budgets


@pytest.mark.parametrize("rows", [10, 200])
def test_case_list_query_count_is_constant(
    api, rows, court_clerk, agency_staff, gov_legal, office, auditor, inst, cause, django_assert_max_num_queries
):
    bulk_cases(rows, court_clerk.institution, court_clerk, inst[CITY_AGENCY], cause, major="environment")
    for user, params in (
        (court_clerk, {}),
        (agency_staff, {"q": "原告"}),
        (gov_legal, {"major": "true", "status": "pending"}),
        (office, {"defendant": str(inst[CITY_AGENCY].uuid), "cause": "行政处罚"}),
        (auditor, {"court": str(court_clerk.institution.uuid), "filed_after": "2025-01-01"}),
    ):
        client = api(user)
        # 6, and one more for a short keyword on PostgreSQL: the 案号/plaintiff gram index's ids
        # (cases.selectors._keyword, a query of its own), whatever the number of rows
        with django_assert_max_num_queries(7 if "q" in params and connection.vendor == "postgresql" else 6):
            response = client.get(CASES, {"page_size": 200, **params})
        assert response.status_code == 200
        assert response.json()["count"] == rows and len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [10, 200])
def test_enforcement_list_query_count_is_constant(
    api, rows, court_clerk, agency_staff, gov_legal, office, inst, django_assert_max_num_queries
):
    bulk_enforcements(rows, court_clerk, inst[APPLICANT], inst[CITY_AGENCY])
    for user, params in (
        (court_clerk, {}),
        (agency_staff, {"status": "assigned"}),
        (gov_legal, {"overdue": "true"}),
        (office, {"q": "被执行人"}),
    ):
        client = api(user)
        with django_assert_max_num_queries(4):
            response = client.get(f"{API}enforcements/", {"page_size": 200, **params})
        assert response.status_code == 200
        assert response.json()["count"] == rows and len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [10, 200])
def test_coordination_and_observation_lists_query_count_is_constant(
    api, rows, court_clerk, gov_legal, inst, cause, django_assert_max_num_queries
):
    from cases.models import Coordination, Observation, ObservationAttendance

    cases = bulk_cases(rows, court_clerk.institution, court_clerk, inst[CITY_AGENCY], cause, major="environment")
    Coordination.objects.bulk_create(
        Coordination(
            case=c,
            court=court_clerk.institution,
            government=inst[GOV],
            subject=f"协调{c.pk}",
            opened_on=D("2026-06-01"),
            created_by=court_clerk,
        )
        for c in cases
    )
    observations = Observation.objects.bulk_create(
        Observation(
            case=c, court=court_clerk.institution, held_on=D("2026-06-01"), title="观摩", created_by=court_clerk
        )
        for c in cases
    )
    ObservationAttendance.objects.bulk_create(
        ObservationAttendance(observation=o, institution=inst[CITY_AGENCY], invited=3) for o in observations
    )
    for user in (court_clerk, gov_legal):
        client = api(user)
        with django_assert_max_num_queries(4):
            response = client.get(f"{API}coordinations/", {"page_size": 200})
        assert response.json()["count"] == rows and all(r["case"] for r in response.json()["results"])
    client = api(court_clerk)
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}observations/", {"page_size": 200})
    assert response.json()["count"] == rows
    assert all(r["attendances"][0]["invited"] == 3 for r in response.json()["results"])
    assert post(client, f"{API}observations/", {}).status_code == 405
