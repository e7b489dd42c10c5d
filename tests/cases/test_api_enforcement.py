"""/api/v1/enforcements/ (裁执分离), /api/v1/supervisions/ and /api/v1/clues/: the flows through the API."""

import pytest

from cases.models import ClueTransfer, Enforcement, SupervisionApplication
from liaison import services as hub
from liaison.models import LedgerEntry, Letter

from ._api_helpers import API, APPLICANT, CITY_AGENCY, COURT, GOV, PROC, D, detail, post, snapshot

ENFORCEMENTS = f"{API}enforcements/"
SUPERVISIONS = f"{API}supervisions/"
CLUES = f"{API}clues/"


def enforcement_body(inst, **extra):
    return {
        "applicant": str(inst[APPLICANT].uuid),
        "basis": "decision",
        "basis_reference": "柳自然资罚〔2026〕15号",
        "respondent": "柳州某置业有限公司",
        "obligation": "限期拆除违法建筑物。",
        "applied_on": "2026-02-10",
        **extra,
    }


def test_ruling_assignment_letter_feedback_letter_and_ledger(
    api, court_clerk, court_head, agency_staff, agency_head, gov_legal, outsider_agency, inst
):
    response = post(api(court_clerk), ENFORCEMENTS, enforcement_body(inst, court=str(inst[GOV].uuid), status="closed"))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["court"]["name"], data["applicant"]["name"]) == ("applied", COURT, APPLICANT)
    assert data["allowed_actions"] == ["rule"]
    e = Enforcement.objects.get(uuid=data["uuid"])
    assert api(agency_staff).get(detail(e)).status_code == 404  # not assigned yet

    response = post(
        api(court_head),
        detail(e, "rule"),
        {"ruling": "granted", "ruled_on": "2026-03-02", "assignee": str(inst[CITY_AGENCY].uuid)},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["ruling"], data["assignee"]["name"]) == ("assigned", "granted", CITY_AGENCY)
    assert data["feedback_due"] == "2026-04-01" and data["feedback_due_explained"]
    letter = data["assignment_letter"]
    assert letter["status"] == "issued" and letter["doc_number"].startswith("柳中法函〔")
    assert data["feedback_letter"] is None

    seen = api(agency_staff).get(detail(e)).json()
    assert seen["allowed_actions"] == ["feedback"]
    assert seen["assignment_letter"]["uuid"] == letter["uuid"]
    assert api(gov_legal).get(detail(e)).json()["allowed_actions"] == []
    assert api(outsider_agency).get(detail(e)).status_code == 404

    response = post(api(agency_staff), detail(e, "feedback"), {"result": "已于3月20日组织拆除完毕。"})
    assert response.status_code == 201, response.content
    data = response.json()
    feedback = Letter.objects.get(uuid=data["letter"])
    assert (data["letter_status"], feedback.status, feedback.issuer) == ("pending", "pending", inst[CITY_AGENCY])
    assert data["enforcement"]["status"] == "assigned"
    assert data["enforcement"]["feedback_letter"]["uuid"] == data["letter"]
    # The court sees the feedback only once the agency's head has issued it.
    assert api(court_clerk).get(detail(e)).json()["feedback_letter"] is None

    feedback = hub.letter_issue(letter=feedback, by=agency_head)
    data = api(court_clerk).get(detail(e)).json()
    assert data["status"] == "feedback" and data["feedback_letter"]["doc_number"] == feedback.doc_number
    assert LedgerEntry.objects.get(owner=inst[CITY_AGENCY], source_id=e.pk).status == "done"


def test_a_refusal_needs_reasons_and_a_non_money_grant_an_assignee(api, make_enforcement, court_clerk, inst):
    e = make_enforcement()
    client = api(court_clerk)
    before = snapshot()
    for body, field in (
        ({"ruling": "refused", "ruled_on": "2026-03-02"}, "reasons"),
        ({"ruling": "granted", "ruled_on": "2026-03-02"}, "assignee"),
        ({"ruling": "granted", "ruled_on": "2026-03-02", "assignee": str(inst[PROC].uuid)}, "assignee"),
        (
            {"ruling": "granted", "ruled_on": "2026-03-02", "assignee": str(inst["柳州市城中区人民政府"].uuid)},
            "assignee",
        ),
        ({"ruling": "", "ruled_on": "2026-03-02"}, "ruling"),
        ({"ruling": "granted", "ruled_on": "2026-02-01"}, "ruled_on"),
    ):
        response = post(client, detail(e, "rule"), body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
        assert snapshot() == before
    response = post(client, detail(e, "rule"), {"ruling": "refused", "ruled_on": "2026-03-02", "reasons": "缺乏依据"})
    assert response.json()["status"] == "refused"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"applicant": "@procuratorate"}, "applicant"),
        ({"applicant": "00000000-0000-0000-0000-000000000000"}, "applicant"),
        ({"basis": "whim"}, "basis"),
        ({"basis_reference": ""}, "basis_reference"),
        ({"obligation": None}, "obligation"),
        ({"money_obligation": "perhaps"}, "money_obligation"),
        ({"applied_on": "2999-01-01"}, "applied_on"),
        ({"case": "00000000-0000-0000-0000-000000000000"}, "case"),
    ],
)
def test_bad_enforcement_is_a_field_error_and_saves_nothing(api, court_clerk, inst, change, field):
    change = {k: str(inst[PROC].uuid) if v == "@procuratorate" else v for k, v in change.items()}
    before = snapshot()
    response = post(api(court_clerk), ENFORCEMENTS, enforcement_body(inst, **change))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


def test_an_enforcement_names_only_a_case_of_the_court(api, court_clerk, county_clerk, effective_case, make_case, inst):
    foreign = make_case(by=county_clerk, number="（2026）桂0202行初9号", defendants=("柳州市城中区人民政府",))
    pending = make_case()
    before = snapshot()
    for case in (foreign, pending):
        response = post(api(court_clerk), ENFORCEMENTS, enforcement_body(inst, basis="judgment", case=str(case.uuid)))
        assert response.status_code == 400 and "case" in response.json()
    assert snapshot() == before
    case = effective_case()
    response = post(api(court_clerk), ENFORCEMENTS, enforcement_body(inst, basis="judgment", case=str(case.uuid)))
    assert response.status_code == 201
    assert response.json()["case"]["number"] == case.number


# ----------------------------------------------------------------------------- supervision


def supervision_body(inst, **extra):
    return {
        "applicant": "柳州某置业有限公司",
        "court": str(inst[COURT].uuid),
        "enforcing_agency": str(inst[CITY_AGENCY].uuid),
        "request": "认为强制执行程序违法。",
        "received_on": "2026-06-01",
        **extra,
    }


def test_procuratorate_takes_an_application_writes_to_both_and_decides(
    api, proc_staff, court_clerk, agency_staff, outsider_agency, inst
):
    response = post(
        api(proc_staff), SUPERVISIONS, supervision_body(inst, procuratorate=str(inst["柳州市城中区人民检察院"].uuid))
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["procuratorate"]["name"]) == ("received", PROC)
    assert data["decision_due"] == "2026-09-01" and data["allowed_actions"] == ["decide"]
    app = SupervisionApplication.objects.get(uuid=data["uuid"])
    assert Letter.objects.filter(issuer=inst[PROC]).count() == 2
    for user in (court_clerk, agency_staff):
        assert api(user).get(detail(app)).json()["allowed_actions"] == []
    assert api(outsider_agency).get(detail(app)).status_code == 404

    response = post(api(proc_staff), detail(app, "decide"), {"decision": "not_support", "reasons": "程序合法"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decision"]) == ("decided", "not_support")
    assert response.json()["allowed_actions"] == []
    assert api(court_clerk).get(SUPERVISIONS, {"status": "decided"}).json()["count"] == 1


def test_an_application_names_only_an_enforcement_the_procuratorate_sees(api, proc_staff, make_enforcement, inst):
    hidden = make_enforcement()
    before = snapshot()
    for body, field in (
        ({"enforcement": str(hidden.uuid)}, "enforcement"),
        ({"court": str(inst[CITY_AGENCY].uuid)}, "court"),
        ({"enforcing_agency": str(inst[COURT].uuid)}, "enforcing_agency"),
        ({"received_on": "2026-06-31"}, "received_on"),
        ({"request": ""}, "request"),
    ):
        response = post(api(proc_staff), SUPERVISIONS, supervision_body(inst, **body))
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
    assert snapshot() == before


# ----------------------------------------------------------------------------- clues


def test_court_transfers_a_clue_the_agency_receives_and_handles(
    api, court_clerk, agency_staff, make_case, proc_staff, inst
):
    case = make_case()
    response = post(
        api(court_clerk),
        CLUES,
        {
            "recipient": str(inst[CITY_AGENCY].uuid),
            "summary": "违法线索",
            "sent_on": "2026-06-01",
            "case": str(case.uuid),
            "sender": str(inst[GOV].uuid),
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["sender"]["name"], data["recipient"]["name"], data["status"]) == (COURT, CITY_AGENCY, "sent")
    assert data["case"]["number"] == case.number and data["allowed_actions"] == []
    clue = ClueTransfer.objects.get(uuid=data["uuid"])
    staff = api(agency_staff)
    assert staff.get(detail(clue)).json()["allowed_actions"] == ["receive"]
    assert staff.get(CLUES, {"box": "received"}).json()["count"] == 1
    assert staff.get(CLUES, {"box": "sent"}).json()["count"] == 0

    response = post(staff, detail(clue, "receive"), {"received_on": "2026-06-02"})
    assert (response.status_code, response.json()["status"]) == (200, "received")
    response = post(staff, detail(clue, "handle"), {"result": "已立案查处"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["handling_result"]) == ("handled", "已立案查处")
    assert LedgerEntry.objects.get(owner=inst[CITY_AGENCY], source_id=clue.pk).status == "done"
    assert api(proc_staff).get(detail(clue)).status_code == 404


def test_a_clue_names_only_a_case_the_sender_sees(api, proc_staff, make_case, inst):
    case = make_case()  # the procuratorate does not supervise it
    before = snapshot()
    for body, field in (
        ({"case": str(case.uuid)}, "case"),
        ({"recipient": str(inst[PROC].uuid)}, "recipient"),  # not to itself
        ({"recipient": "00000000-0000-0000-0000-000000000000"}, "recipient"),
        ({"sent_on": "yesterday"}, "sent_on"),
    ):
        payload = {"recipient": str(inst[CITY_AGENCY].uuid), "summary": "线索", "sent_on": "2026-06-01", **body}
        response = post(api(proc_staff), CLUES, payload)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
    assert snapshot() == before


def test_handling_needs_a_result_and_a_date_after_receipt(api, agency_staff, court_clerk, inst):
    clue = post(
        api(court_clerk), CLUES, {"recipient": str(inst[CITY_AGENCY].uuid), "summary": "s", "sent_on": "2026-06-01"}
    ).json()
    clue = ClueTransfer.objects.get(uuid=clue["uuid"])
    post(api(agency_staff), detail(clue, "receive"), {"received_on": "2026-06-02"})
    before = snapshot()
    for body, field in (({"result": ""}, "result"), ({"result": "r", "handled_on": "2026-06-01"}, "handled_on")):
        response = post(api(agency_staff), detail(clue, "handle"), body)
        assert response.status_code == 400 and field in response.json()
    assert snapshot() == before
    assert D("2026-06-02") == ClueTransfer.objects.get(pk=clue.pk).received_on
