"""/api/v1/suggestions/: bad input answers 400 with field errors and saves nothing; a repeated
step answers 409; ids from elsewhere in bodies are refused like missing ones."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from liaison.demo import OFFICE_NAME
from suggestions import services
from suggestions.models import Suggestion

from ._api_helpers import CITY_AGENCY, URL, detail, payload, post, snapshot
from .conftest import D


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff):
    return make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_staff
    )


def _refused(client, url, body, field, *, method="post"):
    before = snapshot()
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert snapshot() == before
    return response.json()[field]


# ----------------------------------------------------------------------------- create


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"problem": None}, "problem"),
        ({"recommendations": "r" * 20001}, "recommendations"),
        ({"recipient": None}, "recipient"),
        ({"recipient": "not-a-uuid"}, "recipient"),
        ({"recipient": str(uuid.uuid4())}, "recipient"),
        ({"recipient": 1}, "recipient"),
        ({"recipient": {"uuid": "x"}}, "recipient"),
        ({"cc": "nope"}, "cc"),
        ({"cc": [str(uuid.uuid4())]}, "cc"),
        ({"category": "nonsense"}, "category"),
        ({"reply_unit": "years", "reply_period": 1}, "reply_unit"),
        ({"reply_period": 0, "reply_unit": "days"}, "reply_period"),
        ({"reply_period": "many", "reply_unit": "days"}, "reply_period"),
        ({"reply_period": 3, "reply_unit": "months"}, "reply_period"),  # longer than the 2-month default
        ({"reply_period": 61 + 30, "reply_unit": "days"}, "reply_period"),
        ({"urgent": "perhaps"}, "urgent"),
        ({"linked_from": "not-a-uuid"}, "linked_from"),
        ({"linked_from": str(uuid.uuid4())}, "linked_from"),
    ],
)
def test_bad_draft_is_a_field_error_and_creates_nothing(api, court_clerk, inst, change, field):
    _refused(api(court_clerk), URL, {**payload(inst[CITY_AGENCY]), **change}, field)


@pytest.mark.parametrize("recipient", ["柳州市中级人民法院", "柳州市人民检察院", OFFICE_NAME])
def test_recipient_must_be_an_administrative_organ(api, court_clerk, inst, recipient):
    _refused(api(court_clerk), URL, payload(inst[recipient]), "recipient")


def test_cc_cannot_repeat_or_include_the_parties(api, court_clerk, inst):
    agency, government = inst[CITY_AGENCY], inst["柳州市人民政府"]
    client = api(court_clerk)
    _refused(client, URL, payload(agency, cc=[str(government.uuid)] * 2), "cc")
    _refused(client, URL, payload(agency, cc=[str(agency.uuid)]), "cc")
    _refused(client, URL, payload(agency, cc=[str(court_clerk.institution.uuid)]), "cc")


def test_procuratorial_suggestion_needs_its_subkind(api, proc_staff, inst):
    _refused(api(proc_staff), URL, payload(inst[CITY_AGENCY]), "subkind")
    response = api(proc_staff).post(
        URL, payload(inst[CITY_AGENCY], subkind="public_interest", urgent=True), format="json"
    )
    assert response.status_code == 201
    assert (response.json()["reply_period"], response.json()["reply_unit"]) == (15, "days")


def test_posted_issuer_kind_status_and_number_are_ignored(api, court_clerk, proc_staff, inst):
    response = api(court_clerk).post(
        URL,
        payload(
            inst[CITY_AGENCY],
            issuer=str(proc_staff.institution.uuid),
            kind="procuratorial",
            status="issued",
            doc_number="柳中法建〔2026〕99号",
            letter=str(uuid.uuid4()),
            round=5,
            reply_due="2026-12-31",
            evaluation="adopted",
            created_by=proc_staff.pk,
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    s = Suggestion.objects.get(uuid=response.json()["uuid"])
    assert (s.issuer, s.kind, s.status, s.letter, s.round) == (court_clerk.institution, "judicial", "draft", None, 1)
    assert (s.reply_due, s.evaluation, s.created_by) == (None, "", court_clerk)


def test_inactive_institution_cannot_be_the_recipient(api, court_clerk, inst):
    agency = inst[CITY_AGENCY]
    agency.is_active = False
    agency.save(update_fields=["is_active"])
    assert _refused(api(court_clerk), URL, payload(agency), "recipient") == ["不存在或无权访问。"]


def test_linked_from_an_invisible_suggestion_is_refused_like_a_missing_one(
    api, make_suggestion, court_clerk, court_head, proc_staff, inst
):
    # Not cc'd to the procuratorate: invisible to it.
    hidden = make_suggestion(court_clerk, court_head)
    message = _refused(
        api(proc_staff), URL, payload(inst[CITY_AGENCY], subkind="general", linked_from=str(hidden.uuid)), "linked_from"
    )
    assert message == _refused(
        api(proc_staff),
        URL,
        payload(inst[CITY_AGENCY], subkind="general", linked_from=str(uuid.uuid4())),
        "linked_from",
    )
    # A draft of the court's own: visible to the court, but the court does not link to itself.
    own = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r"
    )
    _refused(api(court_clerk), URL, payload(inst[CITY_AGENCY], linked_from=str(own.uuid)), "linked_from")


def test_malformed_json_is_a_400(api, court_clerk):
    response = api(court_clerk).generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == 400


# ----------------------------------------------------------------------------- edit


def test_empty_or_bad_patch_is_a_400_and_changes_nothing(api, court_clerk, proc_staff, inst):
    s = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r"
    )
    client = api(court_clerk)
    _refused(client, detail(s), {}, "non_field_errors", method="patch")
    _refused(client, detail(s), {"recipient": str(uuid.uuid4())}, "recipient", method="patch")
    _refused(client, detail(s), {"title": " "}, "title", method="patch")
    _refused(client, detail(s), {"reply_period": 3, "reply_unit": "months"}, "reply_period", method="patch")
    p = services.suggestion_create(
        by=proc_staff, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r", subkind="general"
    )
    _refused(api(proc_staff), detail(p), {"subkind": ""}, "subkind", method="patch")
    s.refresh_from_db()
    assert (s.title, s.recipient.name) == ("t", CITY_AGENCY)


def test_a_judicial_draft_takes_no_subkind(api, court_clerk, inst):
    s = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r"
    )
    response = api(court_clerk).patch(detail(s), {"subkind": "public_interest"}, format="json")
    assert response.status_code == 200
    s.refresh_from_db()
    assert s.subkind == ""


def test_new_subkind_brings_its_shorter_default_period(api, proc_staff, inst):
    s = services.suggestion_create(
        by=proc_staff,
        recipient=inst[CITY_AGENCY],
        title="t",
        problem="p",
        recommendations="r",
        subkind="general",
        urgent=True,
    )
    response = api(proc_staff).patch(detail(s), {"subkind": "public_interest"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["reply_period"], response.json()["reply_unit"]) == (15, "days")


# ----------------------------------------------------------------------------- actions


def test_receipt_date_in_the_future_or_before_issue_is_a_field_error(
    api, make_suggestion, court_clerk, court_head, agency_staff
):
    s = make_suggestion(court_clerk, court_head, issued_on=D("2026-11-02"))
    client = api(agency_staff)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for body in ({"received_on": tomorrow}, {"received_on": "2026-11-01"}, {"received_on": "yesterday"}):
        _refused(client, detail(s, "receive"), body, "received_on")
    s.refresh_from_db()
    assert (s.status, s.received_on, s.reply_due) == ("issued", None, None)
    response = post(client, detail(s, "receive"), {"received_on": "2026-11-03"})
    assert response.status_code == 200
    assert response.json()["received_on"] == "2026-11-03"


def test_second_receipt_is_a_conflict(api, received, agency_staff):
    response = post(api(agency_staff), detail(received, "receive"))
    assert response.status_code == 409 and response.json()["code"] == "conflict"


@pytest.mark.parametrize(
    "body", [{}, {"measures": ""}, {"measures": "   "}, {"measures": "m" * 20001}, {"measures": ["a"]}]
)
def test_reply_without_measures_is_a_field_error(api, received, agency_staff, body):
    _refused(api(agency_staff), detail(received, "reply"), body, "measures")


def test_second_reply_in_a_round_is_a_conflict(api, received, agency_staff, agency_head):
    assert post(api(agency_staff), detail(received, "reply"), {"measures": "第一次"}).status_code == 201
    before = snapshot()
    for user in (agency_staff, agency_head):
        response = post(api(user), detail(received, "reply"), {"measures": "第二次"})
        assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert snapshot() == before
    assert [r.measures for r in received.replies.all()] == ["第一次"]


def test_reply_before_receipt_is_a_conflict(api, make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(court_clerk, court_head)
    assert post(api(agency_staff), detail(s, "reply"), {"measures": "x"}).status_code == 409


def test_approving_an_unknown_or_sent_reply(
    api, received, agency_staff, agency_head, make_suggestion, court_clerk, court_head
):
    other = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_staff
    )
    foreign = services.suggestion_reply(suggestion=other, by=agency_staff, measures="另一件")
    services.suggestion_reply(suggestion=received, by=agency_staff, measures="本件")
    client = api(agency_head)
    for value in (str(uuid.uuid4()), str(foreign.uuid), "x", None):
        _refused(client, detail(received, "approve-reply"), {"reply": value}, "reply")
    _refused(client, detail(received, "approve-reply"), {}, "reply")
    reply = received.replies.get()
    assert post(client, detail(received, "approve-reply"), {"reply": str(reply.uuid)}).status_code == 200
    assert post(client, detail(received, "approve-reply"), {"reply": str(reply.uuid)}).status_code == 409


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "evaluation"),
        ({"evaluation": "great"}, "evaluation"),
        ({"evaluation": "partly"}, "reasons"),
        ({"evaluation": "not_adopted", "reasons": "  "}, "reasons"),
        ({"evaluation": "adopted", "rectify": True, "rectify_days": 10}, "rectify"),
        ({"evaluation": "partly", "reasons": "r", "rectify": True}, "rectify_days"),
        ({"evaluation": "partly", "reasons": "r", "rectify": True, "rectify_days": 0}, "rectify_days"),
        ({"evaluation": "partly", "reasons": "r", "rectify": True, "rectify_days": 366}, "rectify_days"),
    ],
)
def test_bad_evaluation_is_a_field_error_and_changes_nothing(api, received, agency_head, court_clerk, body, field):
    services.suggestion_reply(suggestion=received, by=agency_head, measures="已整改")
    _refused(api(court_clerk), detail(received, "evaluate"), body, field)
    received.refresh_from_db()
    assert (received.status, received.evaluation, received.round) == ("replied", "", 1)


def test_evaluating_twice_is_a_conflict(api, received, agency_head, court_clerk):
    services.suggestion_reply(suggestion=received, by=agency_head, measures="已整改")
    assert post(api(court_clerk), detail(received, "evaluate"), {"evaluation": "adopted"}).status_code == 200
    assert post(api(court_clerk), detail(received, "evaluate"), {"evaluation": "adopted"}).status_code == 409


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reasons": "r"}, "days"),
        ({"days": 0, "reasons": "r"}, "days"),
        ({"days": 181, "reasons": "r"}, "days"),
        ({"days": "ten", "reasons": "r"}, "days"),
        ({"days": 10}, "reasons"),
        ({"days": 10, "reasons": " "}, "reasons"),
    ],
)
def test_bad_extension_request_is_a_field_error(api, received, agency_staff, body, field):
    _refused(api(agency_staff), detail(received, "request-extension"), body, field)


def test_deciding_an_unknown_extension_is_a_field_error(api, received, agency_staff, court_head):
    services.extension_request(suggestion=received, by=agency_staff, days=10, reasons="r")
    client = api(court_head)
    _refused(
        client, detail(received, "decide-extension"), {"extension": str(uuid.uuid4()), "approve": True}, "extension"
    )
    ext = received.extensions.get()
    _refused(client, detail(received, "decide-extension"), {"extension": str(ext.uuid)}, "approve")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "r" * 2001}])
def test_return_and_withdraw_need_a_reason(api, make_suggestion, court_clerk, court_head, body):
    s = make_suggestion(court_clerk, court_head)
    _refused(api(court_head), detail(s, "withdraw"), body, "reason")
    draft = services.suggestion_create(
        by=court_clerk, recipient=s.recipient, title="t", problem="p", recommendations="r"
    )
    services.suggestion_submit(suggestion=draft, by=court_clerk)
    _refused(api(court_head), detail(draft, "return"), body, "reason")


def test_issue_date_in_the_future_is_a_field_error(api, court_clerk, court_head, inst):
    s = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r"
    )
    services.suggestion_submit(suggestion=s, by=court_clerk)
    services.suggestion_approve(suggestion=s, by=court_head)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    _refused(api(court_head), detail(s, "issue"), {"issued_on": tomorrow}, "issued_on")
    s.refresh_from_db()
    assert (s.status, s.letter) == ("approved", None)


def test_steps_out_of_order_are_conflicts(api, court_clerk, court_head, inst):
    s = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r"
    )
    assert post(api(court_head), detail(s, "approve")).status_code == 409
    assert post(api(court_head), detail(s, "issue")).status_code == 409
    assert post(api(court_clerk), detail(s, "submit")).status_code == 200
    assert post(api(court_clerk), detail(s, "submit")).status_code == 409
