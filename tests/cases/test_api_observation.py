"""/api/v1/observations/ and /api/v1/reviews/ (organised from the case), and 个案监督
(/api/v1/case-supervisions/): the flows through the API."""

import pytest

from cases import services
from cases.models import CaseSupervision, Observation, Review

from ._api_helpers import API, CITY_AGENCY, PROC, detail, post, snapshot

OBSERVATIONS = f"{API}observations/"
REVIEWS = f"{API}reviews/"
CASE_SUPERVISIONS = f"{API}case-supervisions/"
ENV = "柳州市生态环境局"


def test_court_organises_an_observation_and_records_who_came(
    api, make_case, court_clerk, agency_staff, outsider_agency, proc_staff, gov_legal, inst
):
    case = make_case()
    body = {
        "held_on": "2026-04-01",
        "title": "行政处罚案件庭审观摩",
        "attendees": [
            {"institution": str(inst[CITY_AGENCY].uuid), "invited": 10},
            {"institution": str(inst[ENV].uuid), "invited": 5},
        ],
        "procuratorate": str(inst[PROC].uuid),
    }
    response = post(api(court_clerk), detail(case, "observations"), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(a["institution"]["name"], a["invited"], a["attended"]) for a in data["attendances"]] == [
        (CITY_AGENCY, 10, 0),
        (ENV, 5, 0),
    ]
    assert data["case"]["number"] == case.number and data["allowed_actions"] == ["attendance"]
    o = Observation.objects.get(uuid=data["uuid"])

    # The invited environment bureau sees the observation, not the case it is not a party to.
    seen = api(outsider_agency).get(detail(o)).json()
    assert (seen["title"], seen["case"], seen["allowed_actions"]) == ("行政处罚案件庭审观摩", None, [])
    assert api(proc_staff).get(detail(o)).json()["case"]["number"] == case.number
    assert api(gov_legal).get(detail(o)).status_code == 404

    response = post(
        api(court_clerk),
        detail(o, "attendance"),
        {"institution": str(inst[ENV].uuid), "attended": 4, "names": "廖静等4人"},
    )
    assert response.status_code == 200, response.content
    assert [(a["attended"], a["names"]) for a in response.json()["attendances"]] == [(0, ""), (4, "廖静等4人")]
    assert api(outsider_agency).get(OBSERVATIONS, {"case": str(case.uuid)}).json()["count"] == 1


def test_attendance_only_for_an_invited_institution(api, make_case, court_clerk, inst):
    case = make_case()
    body = {
        "held_on": "2026-04-01",
        "title": "观摩",
        "attendees": [{"institution": str(inst[CITY_AGENCY].uuid), "invited": 2}],
    }
    o = Observation.objects.get(uuid=post(api(court_clerk), detail(case, "observations"), body).json()["uuid"])
    before = snapshot()
    for payload, field in (
        ({"institution": str(inst[ENV].uuid), "attended": 1}, "institution"),
        ({"institution": str(inst[CITY_AGENCY].uuid), "attended": -1}, "attended"),
        ({"institution": str(inst[CITY_AGENCY].uuid), "attended": "many"}, "attended"),
        ({"attended": 1}, "institution"),
    ):
        response = post(api(court_clerk), detail(o, "attendance"), payload)
        assert response.status_code == 400, (payload, response.content)
        assert field in response.json()
    assert snapshot() == before


def test_observation_attendees_must_be_administrative_and_distinct(api, make_case, court_clerk, inst):
    case = make_case()
    before = snapshot()
    agency = {"institution": str(inst[CITY_AGENCY].uuid), "invited": 2}
    for attendees in (
        [agency, agency],
        [{"institution": str(inst[PROC].uuid), "invited": 2}],
        [{**agency, "invited": -3}],
    ):
        body = {"held_on": "2026-04-01", "title": "观摩", "attendees": attendees}
        response = post(api(court_clerk), detail(case, "observations"), body)
        assert response.status_code == 400 and "attendees" in response.json(), attendees
    assert snapshot() == before


def test_court_holds_a_review_of_an_effective_case(api, effective_case, court_clerk, agency_staff, proc_staff, inst):
    case = effective_case()
    body = {
        "held_on": "2026-06-10",
        "participants": [str(inst[CITY_AGENCY].uuid), str(inst[PROC].uuid)],
        "act_problems": "证据收集不充分",
        "litigation_work": "负责人出庭应诉",
    }
    response = post(api(court_clerk), detail(case, "reviews"), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert {p["name"] for p in data["participants"]} == {CITY_AGENCY, PROC}
    assert (data["act_problems"], data["social_impact"]) == ("证据收集不充分", "")
    r = Review.objects.get(uuid=data["uuid"])
    for user in (agency_staff, proc_staff):
        assert api(user).get(detail(r)).status_code == 200
        assert api(user).get(REVIEWS, {"case": str(case.uuid)}).json()["count"] == 1
    # The procuratorate took part in the review but does not see the case itself.
    assert api(proc_staff).get(detail(r)).json()["case"] is None


def test_a_review_needs_participants_and_at_least_one_topic(api, effective_case, court_clerk, inst):
    case = effective_case()
    before = snapshot()
    for body, field in (
        ({"held_on": "2026-06-10", "participants": [str(inst[CITY_AGENCY].uuid)]}, "non_field_errors"),
        ({"held_on": "2026-06-10", "participants": [], "act_problems": "x"}, "participants"),
        ({"held_on": "2026-05-01", "participants": [str(inst[CITY_AGENCY].uuid)], "act_problems": "x"}, "held_on"),
    ):
        response = post(api(court_clerk), detail(case, "reviews"), body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
    assert snapshot() == before


# ----------------------------------------------------------------------------- 个案监督


def test_procuratorate_supervises_a_case_named_by_its_number(api, make_case, proc_head, court_clerk):
    case = make_case(number="（2026）桂02行初31号")
    client = api(proc_head)
    assert client.get(detail(case)).status_code == 404
    response = post(
        client, CASE_SUPERVISIONS, {"case_number": "(2026)桂02行初31号", "notes": "依职权监督", "case": "x"}
    )
    assert response.status_code == 202, response.content
    assert response.json() == {"detail": services.case_supervision_answer("（2026）桂02行初31号")}
    assert client.get(detail(case)).status_code == 200
    assert CaseSupervision.objects.get().procuratorate == proc_head.institution
    before = snapshot()
    response = post(client, CASE_SUPERVISIONS, {"case_number": "（2026）桂02行初31号", "notes": "again"})
    assert response.status_code == 409
    assert snapshot() == before


def test_no_such_case_gets_the_same_answer(api, make_case, proc_head):
    make_case(number="（2026）桂02行初31号")
    found = post(api(proc_head), CASE_SUPERVISIONS, {"case_number": "（2026）桂02行初31号", "notes": "n"})
    missing = post(api(proc_head), CASE_SUPERVISIONS, {"case_number": "（2026）桂02行初32号", "notes": "n"})
    assert found.status_code == missing.status_code == 202
    assert set(found.json()) == set(missing.json()) == {"detail"}
    assert CaseSupervision.objects.count() == 1


def test_staff_may_not_open_case_supervision(api, make_case, proc_staff):
    make_case(number="（2026）桂02行初31号")
    response = post(api(proc_staff), CASE_SUPERVISIONS, {"case_number": "（2026）桂02行初31号", "notes": "n"})
    assert response.status_code == 403
    assert not CaseSupervision.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"case_number": "garbage", "notes": "n"}, "case_number"),
        ({"case_number": "", "notes": "n"}, "case_number"),
        ({"case_number": "（2026）桂02行初31号", "notes": ""}, "notes"),
        ({"case_number": "（2026）桂02行初31号", "notes": "n", "opened_on": "2999-01-01"}, "opened_on"),
    ],
)
def test_case_supervision_input_is_checked(api, make_case, proc_head, body, field):
    make_case(number="（2026）桂02行初31号")
    before = snapshot()
    response = post(api(proc_head), CASE_SUPERVISIONS, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


def test_a_county_procuratorate_cannot_supervise_a_city_court_case(api, make_case, user_at):
    from liaison.models import User

    case = make_case(number="（2026）桂02行初31号")
    county_proc = user_at("柳州市城中区人民检察院", role=User.Role.HEAD)
    response = post(api(county_proc), CASE_SUPERVISIONS, {"case_number": case.number, "notes": "n"})
    assert response.status_code == 202  # the same answer as for a case it may supervise
    assert not CaseSupervision.objects.exists()
    assert api(county_proc).get(detail(case)).status_code == 404
