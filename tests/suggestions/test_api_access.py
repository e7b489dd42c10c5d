"""/api/v1/suggestions/: every action answers 404 to outsiders and 403 to a wrong role — before
the body is read — and a refused request changes nothing."""

import pytest

from suggestions import services
from suggestions.models import Suggestion

from ._api_helpers import CITY_AGENCY, FILINGS_URL, URL, detail, payload, post, snapshot
from .conftest import D

GOV = "柳州市人民政府"


@pytest.fixture
def build(make_suggestion, court_clerk, court_head, agency_staff, agency_head, inst):
    """A judicial suggestion (cc'd to the city government) in the named state."""

    def make(state):
        if state in ("draft", "submitted", "approved"):
            s = services.suggestion_create(
                by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r", cc=[inst[GOV]]
            )
            if state != "draft":
                services.suggestion_submit(suggestion=s, by=court_clerk)
            if state == "approved":
                services.suggestion_approve(suggestion=s, by=court_head)
            s.refresh_from_db()
            return s
        if state == "issued":
            return make_suggestion(court_clerk, court_head, cc=[inst[GOV]])
        s = make_suggestion(
            court_clerk,
            court_head,
            cc=[inst[GOV]],
            issued_on=D("2026-11-02"),
            received_on=D("2026-11-02"),
            receiver=agency_staff,
        )
        if state == "pending_reply":
            services.suggestion_reply(suggestion=s, by=agency_staff, measures="拟整改")
        elif state == "pending_extension":
            services.extension_request(suggestion=s, by=agency_staff, days=10, reasons="需协调")
        elif state == "replied":
            services.suggestion_reply(suggestion=s, by=agency_head, measures="已整改")
        s.refresh_from_db()
        return s

    return make


# (action, state it applies in, a valid body, personas who see it but may not do it)
ACTIONS = [
    ("submit", "draft", lambda s: {}, []),
    ("approve", "submitted", lambda s: {}, ["court_clerk"]),
    ("return", "submitted", lambda s: {"reason": "请补充"}, ["court_clerk"]),
    ("issue", "approved", lambda s: {}, ["court_clerk"]),
    ("withdraw", "issued", lambda s: {"reason": "有误"}, ["court_clerk", "agency_head", "office"]),
    ("receive", "issued", lambda s: {}, ["court_clerk", "court_head", "gov_legal", "office"]),
    ("reply", "received", lambda s: {"measures": "已整改"}, ["court_clerk", "gov_legal", "gov_head", "office"]),
    (
        "approve-reply",
        "pending_reply",
        lambda s: {"reply": str(s.replies.get().uuid)},
        ["agency_staff", "court_head", "gov_head"],
    ),
    ("request-extension", "received", lambda s: {"days": 10, "reasons": "r"}, ["court_clerk", "gov_legal"]),
    (
        "decide-extension",
        "pending_extension",
        lambda s: {"extension": str(s.extensions.get().uuid), "approve": True},
        ["court_clerk", "agency_head", "office"],
    ),
    (
        "evaluate",
        "replied",
        lambda s: {"evaluation": "adopted"},
        ["agency_staff", "agency_head", "gov_legal", "office"],
    ),
]
BEFORE_ISSUE = {"draft", "submitted", "approved"}


def _refused(api, user, s, action, body, expected):
    before = snapshot(), s.status
    response = post(api(user), detail(s, action), body)
    assert response.status_code == expected, (user.username, action, response.content)
    s.refresh_from_db()
    assert (snapshot(), s.status) == before


@pytest.mark.parametrize("action, state, body, _roles", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_outsiders_get_404_for_every_action(api, build, action, state, body, _roles, world):
    s = build(state)
    outsiders = ["env_staff", "county_clerk", "county_gov_legal", "proc_staff"]
    if state in BEFORE_ISSUE:
        outsiders += ["agency_staff", "agency_head", "gov_legal", "office", "auditor"]
    for username in outsiders:
        _refused(api, world[username], s, action, body(s), 404)
        assert api(world[username]).get(detail(s)).status_code == 404


@pytest.mark.parametrize("action, state, body, roles", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_wrong_role_gets_403_before_the_body_is_read(api, build, action, state, body, roles, world):
    s = build(state)
    for username in roles:
        assert api(world[username]).get(detail(s)).status_code == 200
        _refused(api, world[username], s, action, {}, 403)  # an empty body would be a 400 if it were read
        _refused(api, world[username], s, action, body(s), 403)


@pytest.mark.parametrize("action, state, body, _roles", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_auditor_may_read_but_do_nothing(api, build, action, state, body, _roles, auditor):
    s = build(state)
    if state in BEFORE_ISSUE:
        _refused(api, auditor, s, action, body(s), 404)
    else:
        assert api(auditor).get(detail(s)).status_code == 200
        assert api(auditor).get(detail(s)).json()["allowed_actions"] == []
        _refused(api, auditor, s, action, body(s), 403)


@pytest.mark.parametrize("action, state, body, _roles", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_the_right_persona_succeeds(api, build, action, state, body, _roles, world):
    s = build(state)
    actor = {
        "submit": "court_clerk",
        "approve": "court_head",
        "return": "court_head",
        "issue": "court_head",
        "withdraw": "court_head",
        "receive": "agency_staff",
        "reply": "agency_staff",
        "approve-reply": "agency_head",
        "request-extension": "agency_staff",
        "decide-extension": "court_head",
        "evaluate": "court_clerk",
    }[action]
    assert action in api(world[actor]).get(detail(s)).json()["allowed_actions"]
    response = post(api(world[actor]), detail(s, action), body(s))
    assert response.status_code in (200, 201), response.content


def test_editing_draft_outsiders_404_recipient_403_and_conflict_after_submit(
    api, build, agency_staff, outsider_agency, court_clerk
):
    draft = build("draft")
    for user in (agency_staff, outsider_agency):
        assert api(user).patch(detail(draft), {"title": "x"}, format="json").status_code == 404
    issued = build("issued")
    assert api(agency_staff).patch(detail(issued), {}, format="json").status_code == 403
    assert api(court_clerk).patch(detail(issued), {"title": "改"}, format="json").status_code == 409
    issued.refresh_from_db()
    assert issued.title != "改"


@pytest.mark.parametrize("username", ["agency_staff", "gov_legal", "auditor", "office", "admin"])
def test_only_courts_and_procuratorates_draft_suggestions(api, world, inst, username):
    before = snapshot()
    response = api(world[username]).post(URL, payload(inst[CITY_AGENCY]), format="json")
    assert response.status_code == 403
    assert snapshot() == before


def test_outsiders_see_nothing_in_the_list(api, build, outsider_agency, county_clerk, agency_staff, office):
    build("draft")
    build("received")
    for user in (outsider_agency, county_clerk):
        assert api(user).get(URL).json()["count"] == 0
    assert api(agency_staff).get(URL).json()["count"] == 1
    assert api(office).get(URL).json()["count"] == 1


def test_unauthenticated_requests_are_refused(api, build):
    s = build("received")
    assert api().get(URL).status_code == 401
    assert api().get(detail(s)).status_code == 401
    assert post(api(), detail(s, "reply"), {"measures": "x"}).status_code == 401
    assert Suggestion.objects.get(pk=s.pk).replies.count() == 0


def test_malformed_uuid_in_path_is_404(api, court_clerk):
    assert api(court_clerk).get(f"{URL}not-a-uuid/").status_code == 404
    assert post(api(court_clerk), f"{URL}not-a-uuid/submit/").status_code == 404


def test_put_and_delete_are_not_offered(api, build, court_clerk, proc_staff):
    s = build("draft")
    assert api(court_clerk).put(detail(s), {"title": "x"}, format="json").status_code == 405
    assert api(court_clerk).delete(detail(s)).status_code == 405
    assert api(proc_staff).delete(FILINGS_URL).status_code == 405
    assert Suggestion.objects.filter(pk=s.pk).exists()
