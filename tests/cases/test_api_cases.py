"""/api/v1/cases/: the case's life through the API — register, edit, hearings, appearances
(with a sealed written explanation), conclusion, effect, performance — each by the right persona."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import AdministrativeCase, Appearance
from liaison.models import AuditEntry

from ._api_helpers import CASES, CITY_AGENCY, GOV, case_payload, detail, post, snapshot
from .conftest import PDF, PNG


def test_court_registers_a_case_that_its_defendant_and_the_office_see(
    api, court_clerk, agency_staff, gov_legal, office, outsider_agency, proc_staff, inst
):
    response = post(api(court_clerk), CASES, case_payload(inst, major_category="demolition", summary="不服补偿决定"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "（2026）桂02行初88号"
    assert data["court"]["uuid"] == str(court_clerk.institution.uuid)
    assert (data["status"], data["status_display"]) == ("pending", "审理中")
    assert data["plaintiffs"] == ["张三", "李四"]
    assert [d["name"] for d in data["defendants"]] == [CITY_AGENCY]
    assert (data["cause"], data["instance"], data["major_category"]) == ("行政处罚", "first", "demolition")
    assert (data["outcome"], data["agency_lost"], data["hearings"], data["coordinations"]) == (None, None, [], [])
    # In the order of the declaration (cases/flows.py), the order of the buttons on the page.
    assert data["allowed_actions"] == ["hearings", "coordinations", "conclude", "observations", "edit"]
    case = AdministrativeCase.objects.get(uuid=data["uuid"])
    assert AuditEntry.objects.filter(action="case.create", target_id=case.pk).count() == 1
    for user in (agency_staff, gov_legal, office):
        assert api(user).get(detail(case)).status_code == 200
    assert api(agency_staff).get(detail(case)).json()["allowed_actions"] == []
    for user in (outsider_agency, proc_staff):
        assert api(user).get(detail(case)).status_code == 404


def test_court_and_status_fields_in_the_body_are_ignored(api, county_clerk, court_clerk, inst):
    body = case_payload(
        inst,
        court=str(court_clerk.institution.uuid),
        status="effective",
        outcome="revoke",
        effective_on="2026-05-01",
        created_by=1,
        uuid="00000000-0000-0000-0000-000000000001",
    )
    body["number"] = "（2026）桂0202行初5号"
    response = post(api(county_clerk), CASES, body)
    assert response.status_code == 201, response.content
    case = AdministrativeCase.objects.get()
    assert case.court == county_clerk.institution
    assert (case.status, case.outcome, case.effective_on, case.created_by) == ("pending", None, None, county_clerk)
    assert str(case.uuid) != body["uuid"]
    assert api(court_clerk).get(detail(case)).status_code == 404


def test_a_pending_case_is_edited_and_a_concluded_one_keeps_its_register_entry(
    api, make_case, court_clerk, outcome, inst
):
    case = make_case()
    client = api(court_clerk)
    response = post(
        client,
        detail(case),
        {"plaintiffs": ["王五"], "cause": "行政许可", "defendants": [str(inst[CITY_AGENCY].uuid), str(inst[GOV].uuid)]},
        "patch",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["plaintiffs"], data["cause"]) == (["王五"], "行政许可")
    assert {d["name"] for d in data["defendants"]} == {CITY_AGENCY, GOV}
    assert post(client, detail(case), {}, "patch").status_code == 400

    post(client, detail(case, "conclude"), {"outcome": "withdrawal", "concluded_on": "2026-04-01"})
    before = snapshot()
    response = post(client, detail(case), {"number": "（2026）桂02行初99号"}, "patch")
    assert response.status_code == 409, response.content
    assert snapshot() == before
    # The summary is not part of the register entry: it may still be completed.
    response = post(client, detail(case), {"summary": "原告撤诉"}, "patch")
    assert response.status_code == 200 and response.json()["summary"] == "原告撤诉"


def test_hearing_then_appearances_by_the_court_and_by_the_defendant(
    api, make_case, court_clerk, agency_staff, inst, outsider_agency
):
    case = make_case(defendants=(CITY_AGENCY, "柳州市生态环境局"))
    clerk = api(court_clerk)
    response = post(clerk, detail(case, "hearings"), {"held_on": "2026-03-10", "court_room": "第三法庭"})
    assert response.status_code == 201, response.content
    [hearing] = response.json()["hearings"]
    assert (hearing["held_on"], hearing["court_room"], hearing["appearances"]) == ("2026-03-10", "第三法庭", [])
    assert "appearances" in response.json()["allowed_actions"]

    # The court records the city agency's head, summoned because the case touches public interest.
    response = post(
        clerk,
        detail(case, "appearances"),
        {
            "hearing": hearing["uuid"],
            "defendant": str(inst[CITY_AGENCY].uuid),
            "kind": "head",
            "person_name": "罗永强",
            "person_post": "局长",
            "head_summoned": True,
            "summon_basis": "must_public_interest",
            "summon_reason": "涉及重大公共利益",
        },
    )
    assert response.status_code == 200, response.content
    [row] = response.json()["hearings"][0]["appearances"]
    assert (row["defendant"]["name"], row["kind"], row["person_post"]) == (CITY_AGENCY, "head", "局长")
    assert (row["head_summoned"], row["summon_basis"], row["has_explanation"]) == (True, "must_public_interest", False)

    # The environment bureau records its own delegated appearance with the sealed explanation (multipart).
    response = api(outsider_agency).post(
        detail(case, "appearances"),
        {
            "hearing": hearing["uuid"],
            "defendant": str(inst["柳州市生态环境局"].uuid),
            "kind": "delegated",
            "person_name": "廖静",
            "explanation": SimpleUploadedFile("../../说明.pdf", PDF, content_type="text/plain"),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    rows = response.json()["hearings"][0]["appearances"]
    assert [(r["kind"], r["has_explanation"]) for r in rows] == [("head", False), ("delegated", True)]
    stored = Appearance.objects.get(kind="delegated").explanation.name
    assert stored.startswith("appearances/") and stored.endswith(".pdf") and "说明" not in stored
    assert default_storage.exists(stored)

    # A defendant records only its own appearance.
    response = post(
        api(agency_staff),
        detail(case, "appearances"),
        {"hearing": hearing["uuid"], "defendant": str(inst["柳州市生态环境局"].uuid), "kind": "none"},
    )
    assert response.status_code == 403
    assert Appearance.objects.get(kind="delegated").person_name == "廖静"


def test_a_delegated_appearance_needs_a_real_scan(api, make_case, court_clerk, inst):
    case = make_case()
    clerk = api(court_clerk)
    hearing = post(clerk, detail(case, "hearings"), {"held_on": "2026-03-10"}).json()["hearings"][0]
    base = {
        "hearing": hearing["uuid"],
        "defendant": str(inst[CITY_AGENCY].uuid),
        "kind": "delegated",
        "person_name": "覃文斌",
    }
    before = snapshot()
    for upload in (None, SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a scan", content_type="application/pdf")):
        body = dict(base, **({"explanation": upload} if upload else {}))
        response = clerk.post(detail(case, "appearances"), body, format="multipart")
        assert response.status_code == 400, response.content
        assert "explanation" in response.json()
        assert snapshot() == before
    body = dict(base, explanation=SimpleUploadedFile("说明.png", PNG, content_type="image/png"))
    assert clerk.post(detail(case, "appearances"), body, format="multipart").status_code == 200


def test_conclusion_effect_and_performance(api, make_case, court_clerk, agency_staff):
    case = make_case()
    clerk = api(court_clerk)
    response = post(
        clerk, detail(case, "conclude"), {"outcome": "revoke", "concluded_on": "2026-05-06", "imposes_obligation": True}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["outcome"], data["outcome_name"], data["agency_lost"]) == (
        "concluded",
        "revoke",
        "判决撤销",
        True,
    )
    assert (data["concluded_on"], data["effective_on"], data["imposes_obligation"]) == ("2026-05-06", None, True)
    assert data["allowed_actions"] == ["mark-effective", "observations", "edit"]

    response = post(clerk, detail(case, "mark-effective"), {"effective_on": "2026-05-25"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["effective_on"]) == ("effective", "2026-05-25")
    assert "record-performance" in response.json()["allowed_actions"]
    assert "reviews" in response.json()["allowed_actions"]

    response = post(clerk, detail(case, "record-performance"), {"performed_voluntarily": False})
    assert response.status_code == 200, response.content
    assert response.json()["performed_voluntarily"] is False
    seen = api(agency_staff).get(detail(case)).json()
    assert (seen["agency_lost"], seen["performed_voluntarily"]) == (True, False)


def test_a_dismissal_is_not_a_loss(api, make_case, court_clerk):
    case = make_case()
    response = post(
        api(court_clerk),
        detail(case, "conclude"),
        {"outcome": "dismiss_claims", "concluded_on": "2026-05-06", "effective_on": "2026-05-20"},
    )
    assert (response.json()["status"], response.json()["agency_lost"]) == ("effective", False)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "change, field",
    [
        ({"number": ""}, "number"),
        ({"number": "2026桂02行初1号"}, "number"),
        ({"number": "x" * 41}, "number"),
        ({"instance": "supreme"}, "instance"),
        ({"cause": "不存在的案由"}, "cause"),
        ({"cause": None}, "cause"),
        ({"plaintiffs": []}, "plaintiffs"),
        ({"plaintiffs": "张三"}, "plaintiffs"),
        ({"plaintiffs": [""]}, "plaintiffs"),
        ({"defendants": []}, "defendants"),
        ({"defendants": ["not-a-uuid"]}, "defendants"),
        ({"defendants": ["00000000-0000-0000-0000-000000000000"]}, "defendants"),
        ({"defendants": [1]}, "defendants"),
        ({"filed_on": "2026-02-30"}, "filed_on"),
        ({"filed_on": "2999-01-01"}, "filed_on"),
        ({"major_category": "war"}, "major_category"),
        ({"summary": "s" * 20001}, "summary"),
    ],
)
def test_bad_case_is_a_field_error_and_saves_nothing(api, court_clerk, inst, change, field):
    before = snapshot()
    response = post(api(court_clerk), CASES, case_payload(inst, **change))
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert snapshot() == before


@pytest.mark.parametrize("defendant", ["柳州市中级人民法院", "柳州市人民检察院"])
def test_a_defendant_must_be_an_administrative_organ(api, court_clerk, inst, defendant):
    before = snapshot()
    response = post(api(court_clerk), CASES, case_payload(inst, defendants=[str(inst[defendant].uuid)]))
    assert response.status_code == 400 and "defendants" in response.json()
    assert snapshot() == before


def test_a_number_already_registered_is_a_field_error(api, make_case, court_clerk, county_clerk, inst):
    make_case(number="（2026）桂02行初88号")
    before = snapshot()
    for user in (court_clerk, county_clerk):
        response = post(api(user), CASES, case_payload(inst))
        assert response.status_code == 400 and "number" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    "action, body, field",
    [
        ("hearings", {}, "held_on"),
        ("hearings", {"held_on": "2026-03-01"}, "held_on"),  # before filing
        ("hearings", {"held_on": "2026-03-10", "court_room": "r" * 61}, "court_room"),
        ("conclude", {"outcome": "victory", "concluded_on": "2026-05-06"}, "outcome"),
        ("conclude", {"outcome": "revoke"}, "concluded_on"),
        ("conclude", {"outcome": "revoke", "concluded_on": "2026-05-06", "effective_on": "2026-05-01"}, "effective_on"),
        (
            "conclude",
            {"outcome": "revoke", "concluded_on": "2026-05-06", "imposes_obligation": "maybe"},
            "imposes_obligation",
        ),
        ("coordinations", {"government": "00000000-0000-0000-0000-000000000000", "subject": "s"}, "government"),
        ("observations", {"held_on": "2026-04-01", "title": "t", "attendees": []}, "attendees"),
        ("observations", {"held_on": "2026-04-01", "title": "t", "attendees": [{"invited": 2}]}, "attendees"),
    ],
)
def test_bad_action_input_is_a_field_error(api, make_case, court_clerk, action, body, field):
    case = make_case(major_category="environment")
    before = snapshot()
    response = post(api(court_clerk), detail(case, action), body)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert snapshot() == before


def test_coordination_needs_a_major_case_and_a_government(api, make_case, court_clerk, inst):
    ordinary, major = make_case(), make_case(major_category="environment")
    before = snapshot()
    body = {"government": str(inst[GOV].uuid), "subject": "协调"}
    response = post(api(court_clerk), detail(ordinary, "coordinations"), body)
    assert response.status_code == 409 and "重大案件" in response.json()["detail"]  # the case's state, not the body
    response = post(
        api(court_clerk), detail(major, "coordinations"), dict(body, government=str(inst[CITY_AGENCY].uuid))
    )
    assert response.status_code == 400 and "government" in response.json()
    assert snapshot() == before


# ----------------------------------------------------------------------------- IDOR


def test_appearance_for_a_hearing_or_defendant_of_another_case_is_refused(
    api, make_case, court_clerk, county_clerk, inst
):
    case = make_case()
    other = make_case(by=county_clerk, number="（2026）桂0202行初7号", defendants=("柳州市城中区人民政府",))
    clerk = api(court_clerk)
    hearing = post(clerk, detail(case, "hearings"), {"held_on": "2026-03-10"}).json()["hearings"][0]
    foreign = post(api(county_clerk), detail(other, "hearings"), {"held_on": "2026-03-10"}).json()["hearings"][0]
    before = snapshot()
    for body, field in (
        ({"hearing": foreign["uuid"], "defendant": str(inst[CITY_AGENCY].uuid)}, "hearing"),
        ({"hearing": hearing["uuid"], "defendant": str(inst["柳州市城中区人民政府"].uuid)}, "defendant"),
        ({"hearing": hearing["uuid"], "defendant": "00000000-0000-0000-0000-000000000000"}, "defendant"),
        ({"hearing": "not-a-uuid", "defendant": str(inst[CITY_AGENCY].uuid)}, "hearing"),
    ):
        response = post(clerk, detail(case, "appearances"), {**body, "kind": "none"})
        assert response.status_code == 400, response.content
        assert field in response.json()
    # Through the other case's URL, the clerk's request never reaches the foreign case.
    body = {"hearing": foreign["uuid"], "defendant": str(inst["柳州市城中区人民政府"].uuid), "kind": "none"}
    assert post(clerk, detail(other, "appearances"), body).status_code == 404
    assert snapshot() == before
