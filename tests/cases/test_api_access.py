"""The cases API: every action answers 404 to outsiders and 403 to a wrong role — before the
body is read — and 409 in the wrong state; a refused request changes nothing."""

import pytest

from cases import services

from ._api_helpers import (
    API,
    CASES,
    CITY_AGENCY,
    GOV,
    PROC,
    D,
    build,
    detail,
    post,
    snapshot,
    states,
)


@pytest.fixture
def make(world, inst, make_case, make_enforcement, outcome):
    def make(state):
        return build(
            state, world=world, inst=inst, make_case=make_case, make_enforcement=make_enforcement, outcome=outcome
        )

    return make


def _appearance(obj, inst):
    return {
        "hearing": str(obj.hearings.get().uuid),
        "defendant": str(inst[CITY_AGENCY].uuid),
        "kind": "head",
        "person_name": "罗永强",
        "person_post": "局长",
    }


OUTSIDERS = ["env_staff", "county_clerk", "county_gov_legal"]
COURT_ONLY = ["agency_staff", "gov_legal", "office", "auditor"]

# (action, method, state, valid body, outsiders besides OUTSIDERS, personas who see it but may not do it)
ACTIONS = [
    ("", "patch", "case", lambda o, i: {"summary": "补充案情"}, ["proc_staff"], COURT_ONLY),
    ("hearings", "post", "case", lambda o, i: {"held_on": "2026-04-01"}, ["proc_staff"], COURT_ONLY),
    ("appearances", "post", "case", _appearance, ["proc_staff"], ["gov_legal", "office", "auditor"]),
    (
        "conclude",
        "post",
        "case",
        lambda o, i: {"outcome": "revoke", "concluded_on": "2026-05-06"},
        ["proc_staff"],
        COURT_ONLY,
    ),
    ("mark-effective", "post", "concluded_case", lambda o, i: {"effective_on": "2026-05-25"}, [], COURT_ONLY),
    (
        "record-performance",
        "post",
        "effective_case",
        lambda o, i: {"performed_voluntarily": True},
        [],
        COURT_ONLY,
    ),
    (
        "coordinations",
        "post",
        "case",
        lambda o, i: {"government": str(i[GOV].uuid), "subject": "协调"},
        ["proc_staff"],
        COURT_ONLY,
    ),
    (
        "observations",
        "post",
        "case",
        lambda o, i: {
            "held_on": "2026-04-01",
            "title": "观摩",
            "attendees": [{"institution": str(i[CITY_AGENCY].uuid), "invited": 3}],
        },
        ["proc_staff"],
        COURT_ONLY,
    ),
    (
        "reviews",
        "post",
        "effective_case",
        lambda o, i: {"held_on": "2026-06-01", "participants": [str(i[CITY_AGENCY].uuid)], "act_problems": "程序"},
        [],
        COURT_ONLY,
    ),
    # The procuratorate does not see a coordination it was not invited to.
    ("invite", "post", "coordination", lambda o, i: {"procuratorate": str(i[PROC].uuid)}, ["proc_staff"], COURT_ONLY),
    (
        "communications",
        "post",
        "coordination",
        lambda o, i: {"summary": "电话沟通"},
        ["proc_staff"],
        ["agency_staff", "office", "auditor"],
    ),
    ("close", "post", "coordination", lambda o, i: {"outcome": "达成一致"}, ["proc_staff"], COURT_ONLY),
    (
        "sessions",
        "post",
        "dispute",
        lambda o, i: {"held_on": "2026-06-10", "participants": "法院、政府", "result": "初步达成意向"},
        ["proc_staff"],
        ["office", "auditor"],
    ),
    (
        "conclude",
        "post",
        "dispute",
        lambda o, i: {"result": "resolved", "outcome_on": "2026-06-20", "notes": "达成和解"},
        ["proc_staff"],
        ["agency_staff", "office", "auditor"],
    ),
    (
        "rule",
        "post",
        "enforcement",
        lambda o, i: {"ruling": "refused", "ruled_on": "2026-03-02", "reasons": "明显缺乏法律依据"},
        ["proc_staff", "agency_staff", "gov_legal"],
        ["office", "auditor"],
    ),
    (
        "feedback",
        "post",
        "assigned",
        lambda o, i: {"result": "已组织拆除。"},
        ["proc_staff"],
        ["court_clerk", "court_head", "gov_legal", "office", "auditor"],
    ),
    (
        "decide",
        "post",
        "supervision",
        lambda o, i: {"decision": "support", "reasons": "程序违法"},
        ["gov_legal"],
        ["court_clerk", "agency_staff", "office", "auditor"],
    ),
    (
        "receive",
        "post",
        "clue_sent",
        lambda o, i: {},
        ["proc_staff", "gov_legal"],
        ["court_clerk", "office", "auditor"],
    ),
    (
        "handle",
        "post",
        "clue_received",
        lambda o, i: {"result": "已立案查处"},
        ["proc_staff", "gov_legal"],
        ["court_clerk", "office", "auditor"],
    ),
    (
        "attendance",
        "post",
        "observation",
        lambda o, i: {"institution": str(i[CITY_AGENCY].uuid), "attended": 4},
        ["gov_legal"],
        ["agency_staff", "office", "auditor"],
    ),
]
IDS = [f"{a[2]}-{a[0] or 'patch'}" for a in ACTIONS]


def _refused(client, method, url, body, expected):
    before = snapshot(), states()
    response = post(client, url, body, method)
    assert response.status_code == expected, (url, response.status_code, response.content)
    assert (snapshot(), states()) == before
    return response


@pytest.mark.parametrize("action, method, state, body, extra, _roles", ACTIONS, ids=IDS)
def test_outsiders_get_404_for_every_action(api, make, world, inst, action, method, state, body, extra, _roles):
    obj = make(state)
    for username in OUTSIDERS + extra:
        client = api(world[username])
        assert client.get(detail(obj)).status_code == 404, username
        _refused(client, method, detail(obj, action), body(obj, inst), 404)


@pytest.mark.parametrize("action, method, state, body, _extra, roles", ACTIONS, ids=IDS)
def test_wrong_role_gets_403_before_the_body_is_read(
    api, make, world, inst, action, method, state, body, _extra, roles
):
    obj = make(state)
    for username in roles:
        client = api(world[username])
        seen = client.get(detail(obj))
        assert seen.status_code == 200, username
        assert action not in seen.json()["allowed_actions"] or action == "", username
        _refused(client, method, detail(obj, action), {}, 403)  # an empty body would be a 400 if it were read
        _refused(client, method, detail(obj, action), body(obj, inst), 403)


@pytest.mark.parametrize("action, method, state, body, _extra, _roles", ACTIONS, ids=IDS)
def test_auditor_reads_everything_in_the_city_and_may_do_nothing(
    api, make, auditor, inst, action, method, state, body, _extra, _roles
):
    obj = make(state)
    data = api(auditor).get(detail(obj)).json()
    assert data["allowed_actions"] == []
    _refused(api(auditor), method, detail(obj, action), body(obj, inst), 403)


def test_unknown_and_malformed_ids_answer_404(api, court_clerk):
    client = api(court_clerk)
    for resource in ("cases", "coordinations", "disputes", "enforcements", "supervisions", "clues", "observations"):
        assert client.get(f"{API}{resource}/00000000-0000-0000-0000-000000000000/").status_code == 404
        assert client.get(f"{API}{resource}/1/").status_code == 404
    assert post(client, f"{CASES}not-a-uuid/conclude/", {}).status_code == 404


def test_anonymous_requests_answer_401(api):
    for url in (CASES, f"{API}coordinations/", f"{API}enforcements/", f"{CASES}import/", f"{API}case-supervisions/"):
        assert api().get(url).status_code == 401
        assert post(api(), url, {}).status_code == 401


# ----------------------------------------------------------------------------- collection writes

CREATES = [
    (CASES, ["agency_staff", "gov_legal", "proc_staff", "office", "auditor"]),
    (f"{API}disputes/", ["agency_staff", "proc_staff", "office", "auditor"]),
    (f"{API}enforcements/", ["agency_staff", "gov_legal", "proc_staff", "office", "auditor"]),
    (f"{API}supervisions/", ["court_clerk", "agency_staff", "gov_legal", "office", "auditor"]),
    (f"{API}clues/", ["agency_staff", "office", "auditor"]),
    (f"{API}case-supervisions/", ["court_clerk", "agency_staff", "gov_legal", "proc_staff", "office", "auditor"]),
    (f"{CASES}import/commit/", ["agency_staff", "gov_legal", "proc_staff", "office", "auditor"]),
]


@pytest.mark.parametrize("url, roles", CREATES, ids=[c[0] for c in CREATES])
def test_only_the_right_kind_of_institution_creates(api, world, url, roles):
    for username in roles:
        _refused(api(world[username]), "post", url, {}, 403)


def test_only_a_court_uploads_a_case_list(api, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for username in ("agency_staff", "proc_staff", "office", "auditor"):
        upload = SimpleUploadedFile("cases.xlsx", b"PK\x03\x04junk")
        response = api(world[username]).post(f"{CASES}import/", {"file": upload}, format="multipart")
        assert response.status_code == 403, username


def test_reviews_and_lists_are_read_only(api, court_clerk):
    client = api(court_clerk)
    assert post(client, f"{API}reviews/", {}).status_code == 405
    assert post(client, f"{API}coordinations/", {}).status_code == 405
    assert post(client, f"{API}observations/", {}).status_code == 405


def test_put_and_delete_answer_405(api, make, court_clerk):
    case = make("case")
    for method in ("put", "delete"):
        assert getattr(api(court_clerk), method)(detail(case), {}, format="json").status_code == 405


# ----------------------------------------------------------------------------- wrong state: 409

CONFLICTS = [
    ("hearings", "concluded_case", lambda o, i: {"held_on": "2026-04-01"}),
    ("conclude", "concluded_case", lambda o, i: {"outcome": "revoke", "concluded_on": "2026-05-06"}),
    ("mark-effective", "case", lambda o, i: {"effective_on": "2026-05-25"}),
    ("mark-effective", "effective_case", lambda o, i: {"effective_on": "2026-05-25"}),
    ("record-performance", "concluded_case", lambda o, i: {"performed_voluntarily": True}),
    ("coordinations", "concluded_case", lambda o, i: {"government": str(i[GOV].uuid), "subject": "协调"}),
    (
        "reviews",
        "case",
        lambda o, i: {"held_on": "2026-06-01", "participants": [str(i[CITY_AGENCY].uuid)], "act_problems": "x"},
    ),
    ("rule", "assigned", lambda o, i: {"ruling": "refused", "ruled_on": "2026-03-02", "reasons": "r"}),
    ("decide", "supervision", None),
    ("receive", "clue_received", lambda o, i: {}),
    ("handle", "clue_sent", lambda o, i: {"result": "r"}),
]


@pytest.mark.parametrize("action, state, body", CONFLICTS, ids=[f"{c[1]}-{c[0]}" for c in CONFLICTS])
def test_an_action_in_the_wrong_state_is_a_409(api, make, world, inst, action, state, body):
    obj = make(state)
    user = world["court_clerk"]
    if state.startswith("clue"):
        user = world["agency_staff"]
    if action == "decide":
        user = world["proc_staff"]
        services.supervision_decide(application=obj, by=user, decision="support", reasons="r")
        body = lambda o, i: {"decision": "support", "reasons": "again"}  # noqa: E731
    response = _refused(api(user), "post", detail(obj, action), body(obj, inst), 409)
    assert response.json()["code"] == "conflict" and response.json()["detail"]


def test_repeated_coordination_steps_are_409(api, make, court_clerk, inst):
    c = make("coordination")
    client = api(court_clerk)
    assert post(client, detail(c, "invite"), {"procuratorate": str(inst[PROC].uuid)}).status_code == 200
    _refused(client, "post", detail(c, "invite"), {"procuratorate": str(inst[PROC].uuid)}, 409)
    assert post(client, detail(c, "close"), {"outcome": "达成一致"}).status_code == 200
    _refused(client, "post", detail(c, "close"), {"outcome": "again"}, 409)
    _refused(client, "post", detail(c, "communications"), {"summary": "s"}, 409)


def test_repeated_dispute_steps_are_409(api, make, court_clerk):
    d = make("dispute")
    client = api(court_clerk)
    body = {"result": "withdrawn", "outcome_on": "2026-06-20", "notes": "撤回"}
    assert post(client, detail(d, "conclude"), body).status_code == 200
    _refused(client, "post", detail(d, "conclude"), body, 409)
    _refused(client, "post", detail(d, "sessions"), {"held_on": "2026-06-10", "participants": "p", "result": "r"}, 409)


def test_appearance_at_a_hearing_not_yet_held_is_a_409(api, make, court_clerk, inst):
    case = make("case")
    future = services.hearing_add(case=case, by=court_clerk, held_on=D("2027-01-15"))
    body = {"hearing": str(future.uuid), "defendant": str(inst[CITY_AGENCY].uuid), "kind": "none"}
    _refused(api(court_clerk), "post", detail(case, "appearances"), body, 409)


def test_feedback_before_the_assignment_and_twice_is_a_409(api, make, make_enforcement, agency_head, court_clerk, inst):
    e = make_enforcement()
    services.enforcement_rule(
        enforcement=e, by=court_clerk, ruling="granted", ruled_on=D("2026-03-02"), assignee=inst[CITY_AGENCY]
    )
    # The clerk's ruling leaves the assignment letter pending the court head's sign-off.
    _refused(api(agency_head), "post", detail(e, "feedback"), {"result": "r"}, 409)
    assigned = make("assigned")
    assert post(api(agency_head), detail(assigned, "feedback"), {"result": "已拆除"}).status_code == 201
    _refused(api(agency_head), "post", detail(assigned, "feedback"), {"result": "again"}, 409)


def test_attendance_before_the_observation_is_a_409(api, make, court_clerk, inst):
    case = make("case")
    future = services.observation_create(
        case=case, by=court_clerk, held_on=D("2027-01-15"), title="观摩", attendees=[(inst[CITY_AGENCY], 2)]
    )
    body = {"institution": str(inst[CITY_AGENCY].uuid), "attended": 2}
    _refused(api(court_clerk), "post", detail(future, "attendance"), body, 409)
