"""/api/v1/coordinations/ (opened from the case) and /api/v1/disputes/: the flows through the API."""

import pytest

from cases.models import Coordination, Dispute

from ._api_helpers import API, CITY_AGENCY, GOV, PROC, collection, detail, post, snapshot

COORDINATIONS = f"{API}coordinations/"
DISPUTES = f"{API}disputes/"


def uuids(response):
    assert response.status_code == 200, response.content
    return {row["uuid"] for row in response.json()["results"]}


def test_court_opens_invites_the_procuratorate_parties_communicate_and_court_closes(
    api, make_case, court_clerk, gov_legal, proc_staff, agency_staff, outsider_agency, inst
):
    case = make_case(major_category="land_expropriation")
    clerk, gov, proc = api(court_clerk), api(gov_legal), api(proc_staff)
    body = {"government": str(inst[GOV].uuid), "subject": "征收补偿协调", "opened_on": "2026-06-01"}
    response = post(clerk, detail(case, "coordinations"), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["subject"], data["procuratorate"]) == ("open", "征收补偿协调", None)
    assert data["case"]["uuid"] == str(case.uuid) and data["case"]["number"] == case.number
    assert data["allowed_actions"] == ["invite", "communications", "close"]
    c = Coordination.objects.get(uuid=data["uuid"])
    assert [row["uuid"] for row in clerk.get(detail(case)).json()["coordinations"]] == [str(c.uuid)]

    # The government communicates; the procuratorate sees nothing before its invitation.
    assert gov.get(detail(c)).json()["allowed_actions"] == ["communications"]
    assert post(gov, detail(c, "communications"), {"summary": "市政府召开专题会"}).status_code == 201
    assert proc.get(detail(c)).status_code == 404
    assert uuids(proc.get(COORDINATIONS)) == set()

    response = post(clerk, detail(c, "invite"), {"procuratorate": str(inst[PROC].uuid)})
    assert response.status_code == 200, response.content
    assert response.json()["procuratorate"]["name"] == PROC and response.json()["invited_on"]
    assert "invite" not in response.json()["allowed_actions"]
    assert proc.get(detail(c)).json()["allowed_actions"] == ["communications"]
    assert proc.get(detail(case)).status_code == 200  # the invited procuratorate sees the case
    response = post(proc, detail(c, "communications"), {"summary": "检察院提出监督意见", "occurred_on": "2026-06-05"})
    assert response.status_code == 201, response.content
    assert [(m["institution"]["name"], m["summary"]) for m in response.json()["communications"]] == [
        (PROC, "检察院提出监督意见"),
        (GOV, "市政府召开专题会"),
    ]

    # The defendant agency follows it, and does nothing; an unrelated agency sees nothing.
    assert api(agency_staff).get(detail(c)).json()["allowed_actions"] == []
    assert api(outsider_agency).get(detail(c)).status_code == 404

    response = post(clerk, detail(c, "close"), {"outcome": "双方达成补偿协议"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["outcome"]) == ("closed", "双方达成补偿协议")
    assert response.json()["allowed_actions"] == []
    assert uuids(clerk.get(COORDINATIONS, {"status": "closed", "case": str(case.uuid)})) == {str(c.uuid)}
    assert uuids(clerk.get(COORDINATIONS, {"status": "open"})) == set()


def test_invite_takes_only_a_procuratorate_and_no_made_up_id(api, make_case, court_clerk, inst):
    case = make_case(major_category="environment")
    c = post(
        api(court_clerk), detail(case, "coordinations"), {"government": str(inst[GOV].uuid), "subject": "s"}
    ).json()
    c = Coordination.objects.get(uuid=c["uuid"])
    before = snapshot()
    for value in (str(inst[CITY_AGENCY].uuid), "00000000-0000-0000-0000-000000000000", "x", None, ["a"]):
        response = post(api(court_clerk), detail(c, "invite"), {"procuratorate": value})
        assert response.status_code == 400 and "procuratorate" in response.json(), value
    inst[PROC].is_active = False
    inst[PROC].save()
    response = post(api(court_clerk), detail(c, "invite"), {"procuratorate": str(inst[PROC].uuid)})
    assert response.status_code == 400 and "procuratorate" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    "action, body, field",
    [
        ("communications", {}, "summary"),
        ("communications", {"summary": "s", "occurred_on": "2000-01-01"}, "occurred_on"),
        ("close", {"outcome": " "}, "outcome"),
        ("close", {"outcome": "o", "closed_on": "tomorrow"}, "closed_on"),
    ],
)
def test_bad_coordination_input_is_a_field_error(api, make_case, court_clerk, inst, action, body, field):
    case = make_case(major_category="environment")
    c = post(
        api(court_clerk), detail(case, "coordinations"), {"government": str(inst[GOV].uuid), "subject": "s"}
    ).json()
    c = Coordination.objects.get(uuid=c["uuid"])
    before = snapshot()
    response = post(api(court_clerk), detail(c, action), body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


# ----------------------------------------------------------------------------- disputes


def dispute_body(inst, **extra):
    return {
        "title": "房屋征收补偿争议",
        "applicant": "王五",
        "agency": str(inst[CITY_AGENCY].uuid),
        "summary": "申请人对补偿标准有异议。",
        "received_on": "2026-06-01",
        **extra,
    }


def test_dispute_taken_up_mediated_and_filed_as_a_case(
    api, make_case, court_clerk, gov_legal, agency_staff, proc_staff, outsider_agency, inst
):
    clerk = api(court_clerk)
    response = post(clerk, DISPUTES, dispute_body(inst, procuratorate=str(inst[PROC].uuid), status="resolved"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["court"]["name"], data["government"]["name"]) == ("open", "柳州市中级人民法院", GOV)
    assert data["allowed_actions"] == ["sessions", "conclude"]
    d = Dispute.objects.get(uuid=data["uuid"])

    assert api(agency_staff).get(detail(d)).json()["allowed_actions"] == ["sessions"]
    body = {
        "held_on": "2026-06-10",
        "location": "市法院调解室",
        "participants": "法院、政府、检察院",
        "result": "初步达成意向",
    }
    response = post(api(proc_staff), detail(d, "sessions"), body)
    assert response.status_code == 201, response.content
    assert response.json()["sessions"] == [{**body, "held_on": "2026-06-10"}]
    assert api(outsider_agency).get(detail(d)).status_code == 404

    case = make_case()
    response = post(
        api(gov_legal),
        detail(d, "conclude"),
        {"result": "filed", "outcome_on": "2026-06-20", "notes": "调解不成，已立案", "case": str(case.uuid)},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["case"]["number"]) == ("filed", case.number)
    # The procuratorate took part in the mediation but does not see the case: it is not named.
    assert api(proc_staff).get(detail(d)).json()["case"] is None
    assert uuids(clerk.get(DISPUTES, {"status": "filed"})) == {str(d.uuid)}
    assert uuids(clerk.get(DISPUTES, {"q": "王五"})) == {str(d.uuid)}
    assert uuids(clerk.get(DISPUTES, {"q": "无关"})) == set()


def test_a_government_names_the_court(api, gov_legal, inst):
    before = snapshot()
    response = post(api(gov_legal), DISPUTES, dispute_body(inst))
    assert response.status_code == 400 and "court" in response.json()
    assert snapshot() == before
    response = post(api(gov_legal), DISPUTES, dispute_body(inst, court=str(inst["柳州市中级人民法院"].uuid)))
    assert response.status_code == 201
    assert response.json()["government"]["name"] == GOV


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"agency": "@procuratorate"}, "agency"),
        ({"agency": "00000000-0000-0000-0000-000000000000"}, "agency"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"procuratorate": "00000000-0000-0000-0000-000000000000"}, "procuratorate"),
        ({"summary": None}, "summary"),
    ],
)
def test_bad_dispute_is_a_field_error_and_saves_nothing(api, court_clerk, inst, change, field):
    change = {k: str(inst[PROC].uuid) if v == "@procuratorate" else v for k, v in change.items()}
    before = snapshot()
    response = post(api(court_clerk), DISPUTES, dispute_body(inst, **change))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


def test_a_dispute_is_filed_only_with_a_case_the_user_sees(api, court_clerk, county_clerk, make_case, inst):
    d = post(api(court_clerk), DISPUTES, dispute_body(inst)).json()
    d = Dispute.objects.get(uuid=d["uuid"])
    foreign = make_case(by=county_clerk, number="（2026）桂0202行初3号", defendants=("柳州市城中区人民政府",))
    before = snapshot()
    for body, field in (
        ({"result": "filed", "case": str(foreign.uuid)}, "case"),
        ({"result": "filed"}, "case"),
        ({"result": "resolved", "case": str(make_case().uuid)}, "case"),
        ({"result": "open"}, "result"),
        ({"result": "resolved", "outcome_on": "2026-05-01"}, "outcome_on"),
    ):
        before = snapshot()
        response = post(api(court_clerk), detail(d, "conclude"), {"outcome_on": "2026-06-20", "notes": "n", **body})
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
        assert snapshot() == before
    assert Dispute.objects.get(pk=d.pk).status == "open"
    assert collection(Dispute) == DISPUTES
