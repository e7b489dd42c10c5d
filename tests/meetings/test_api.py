"""The meetings API: the whole flow, 404 before 403 before 409 before 400, exports, query bounds."""

import io

import pytest
from openpyxl import load_workbook

from liaison.models import LedgerEntry
from meetings.models import Decision, Meeting

from .conftest import soon

BASE = "/api/v1/meetings/"


def _post(client, path, data=None):
    return client.post(path, data or {}, format="json")


def test_the_whole_flow_through_the_api(api, world, city):
    agency, office, head = api(world["agency_staff"]), api(world["office"]), api(world["office_head"])
    r = _post(
        agency,
        BASE,
        {
            "kind": "xietiao",
            "title": "占道经营执法衔接",
            "reasons": "案件增多",
            "participants": [str(city["court"].uuid)],
        },
    )
    assert r.status_code == 201, r.content
    uuid = r.json()["uuid"]
    assert r.json()["allowed_actions"] == []
    assert office.get(f"{BASE}{uuid}/").json()["allowed_actions"] == ["convene", "decline", "agenda"]
    r = _post(office, f"{BASE}{uuid}/agenda/", {"title": "通报案件情况", "presenter": str(city["court"].uuid)})
    assert r.status_code == 200, r.content
    r = _post(
        office,
        f"{BASE}{uuid}/convene/",
        {
            "starts_at": soon().isoformat(),
            "location": "市中院第三会议室",
            "invitees": [str(city["agency"].uuid), str(city["court"].uuid), str(city["proc"].uuid)],
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "convened"
    assert "issue-notice" in head.get(f"{BASE}{uuid}/").json()["allowed_actions"]
    r = _post(head, f"{BASE}{uuid}/issue-notice/")
    assert r.status_code == 200 and r.json()["notice_doc_number"].startswith("柳联办通知〔")
    court = api(world["court_clerk"])
    assert court.get(f"{BASE}{uuid}/").json()["allowed_actions"] == ["respond"]
    assert _post(court, f"{BASE}{uuid}/respond/", {"attending": True, "attendees": "黄立明 书记员"}).status_code == 200
    r = _post(api(world["proc_staff"]), f"{BASE}{uuid}/respond/", {"attending": False, "apology_reason": "出差"})
    assert r.status_code == 200
    assert _post(agency, f"{BASE}{uuid}/respond/", {"attending": True, "attendees": "覃文斌 科员"}).status_code == 200
    r = _post(office, f"{BASE}{uuid}/hold/")
    assert r.status_code == 200 and len(r.json()["attendance"]) == 2
    r = _post(
        office, f"{BASE}{uuid}/decide/", {"text": "制定执法指引", "owner": str(city["agency"].uuid), "period": 30}
    )
    assert r.status_code == 200 and len(r.json()["decisions"]) == 1
    decision = r.json()["decisions"][0]["uuid"]
    for path in ("draft-minutes", "circulate-minutes"):
        assert _post(office, f"{BASE}{uuid}/{path}/").status_code == 200
    assert _post(court, f"{BASE}{uuid}/comment-minutes/", {"text": "同意"}).status_code == 200
    assert _post(office, f"{BASE}{uuid}/submit-minutes/").status_code == 200
    r = _post(head, f"{BASE}{uuid}/approve-minutes/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "minuted" and body["minutes"]["doc_number"].startswith("柳联办纪〔")
    assert "黄立明" in body["minutes"]["body"] and "出差" in body["minutes"]["body"]
    d = agency.get(f"/api/v1/decisions/{decision}/").json()
    assert d["status"] == "open" and d["allowed_actions"] == ["progress", "report"]
    entry = LedgerEntry.objects.get(uuid=d["ledger_entry"])
    assert entry.owner == city["agency"]
    assert _post(agency, f"/api/v1/decisions/{decision}/progress/", {"text": "起草中"}).status_code == 200
    assert _post(agency, f"/api/v1/decisions/{decision}/report/", {"evidence": "已印发"}).status_code == 200
    r = _post(office, f"/api/v1/decisions/{decision}/confirm/")
    assert r.status_code == 200 and r.json()["status"] == "done"
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.DONE


@pytest.fixture
def notified(walk):
    return walk.notified()


def test_outsider_404_role_403_state_409_body_400(api, world, notified, city):
    m = notified
    url = f"{BASE}{m.uuid}/"
    env = api(world["env_staff"])
    assert env.get(url).status_code == 404
    assert _post(env, url + "hold/").status_code == 404
    assert _post(env, url + "respond/", {"attending": True, "attendees": "x"}).status_code == 404
    # a visible meeting, the wrong person: 403 even with a bad body
    assert _post(api(world["court_clerk"]), url + "hold/", {"attendance": "junk"}).status_code == 403
    assert _post(api(world["auditor"]), url + "cancel/", {}).status_code == 403
    assert _post(api(world["office"]), url + "respond/", {"attending": True}).status_code == 403
    # the right person, the wrong state: 409 before the body
    assert _post(api(world["office"]), url + "convene/", {}).status_code == 409
    assert _post(api(world["office"]), url + "draft-minutes/").status_code == 409
    # the body: field errors, nothing written
    r = _post(api(world["court_clerk"]), url + "respond/", {"attending": "maybe"})
    assert r.status_code == 400 and "attending" in r.json()
    r = _post(api(world["court_clerk"]), url + "respond/", {"attending": False})
    assert r.status_code == 400 and "apology_reason" in r.json()
    r = _post(
        api(world["office"]), url + "hold/", {"attendance": [{"institution": str(city["env"].uuid), "name": "x"}]}
    )
    assert r.status_code == 400 and "attendance" in r.json()
    m.refresh_from_db()
    assert m.status == Meeting.Status.NOTIFIED and not m.attendance.exists()


def test_propose_field_errors(api, world):
    r = _post(api(world["agency_staff"]), BASE, {"kind": "sanzhang_annual", "title": "x", "reasons": "y"})
    assert r.status_code == 400 and "kind" in r.json()
    r = _post(api(world["agency_staff"]), BASE, {"kind": "nope", "title": "", "reasons": "y"})
    assert r.status_code == 400 and {"kind", "title"} <= set(r.json())
    r = _post(api(world["auditor"]), BASE, {"kind": "zuotan", "title": "x", "reasons": "y"})
    assert r.status_code == 403
    assert Meeting.objects.count() == 0


def test_links_only_to_records_the_proposer_sees(api, world):
    from liaison import services as hub

    letter = hub.letter_create(
        by=world["court_clerk"], title="内部草稿", body="x", addressees=[world["gov_legal"].institution]
    )
    r = _post(
        api(world["agency_staff"]),
        BASE,
        {
            "kind": "zuotan",
            "title": "x",
            "reasons": "y",
            "links": [{"type": "liaison.letter", "uuid": str(letter.uuid)}],
        },
    )
    assert r.status_code == 400 and "links" in r.json()
    r = _post(
        api(world["court_clerk"]),
        BASE,
        {
            "kind": "zuotan",
            "title": "x",
            "reasons": "y",
            "links": [{"type": "liaison.letter", "uuid": str(letter.uuid)}],
        },
    )
    assert r.status_code == 201
    uuid = r.json()["uuid"]
    assert [x["uuid"] for x in api(world["court_clerk"]).get(f"{BASE}{uuid}/").json()["links"]] == [str(letter.uuid)]
    # the office sees the meeting, not the court's draft letter: the link is left out
    assert api(world["office"]).get(f"{BASE}{uuid}/").json()["links"] == []


def test_lists_and_exports_hold_only_visible_rows_in_constant_queries(api, world, walk, django_assert_max_num_queries):
    walk.minuted()
    walk.proposed()
    office = api(world["office"])
    with django_assert_max_num_queries(12):
        r = office.get(BASE)
    assert r.json()["count"] == 2
    assert api(world["env_staff"]).get(BASE).json()["count"] == 0
    assert api(world["court_clerk"]).get(BASE).json()["count"] == 1
    r = office.get(BASE + "export/")
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert len(rows) == 3 and rows[0][0] == "会议类别"
    with django_assert_max_num_queries(14):
        detail = office.get(f"{BASE}{walk.m.uuid}/")
    assert detail.status_code == 200
    with django_assert_max_num_queries(10):
        r = office.get("/api/v1/decisions/?open=1")
    assert r.json()["count"] == 1
    r = office.get("/api/v1/decisions/export/")
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert len(rows) == 2 and rows[1][2] == "柳州市城市管理行政执法局"
    assert api(world["env_staff"]).get("/api/v1/decisions/").json()["count"] == 0


def test_bulk_progress_by_the_office(api, world, walk):
    walk.minuted()
    d = walk.decision
    r = _post(api(world["office"]), "/api/v1/decisions/bulk-progress/", {"decisions": [str(d.uuid)], "text": "已督促"})
    assert r.status_code == 200 and r.json() == {"updated": 1}
    assert d.updates.filter(text="已督促").exists()
    r = _post(api(world["agency_staff"]), "/api/v1/decisions/bulk-progress/", {"decisions": [str(d.uuid)], "text": "x"})
    assert r.status_code == 403
    r = _post(api(world["office"]), "/api/v1/decisions/bulk-progress/", {"decisions": [], "text": "x"})
    assert r.status_code == 400


def test_decision_owner_sees_the_decision_without_the_meeting(api, world, walk, city):
    m = walk.held()
    from meetings import services

    d = services.decision_add(meeting=m, by=world["office"], text="配合", owner=city["env"], period=20)
    mn = services.minutes_draft(meeting=m, by=world["office"])
    services.minutes_submit(minutes=mn, by=world["office"])
    services.minutes_approve(minutes=mn, by=world["office_head"])
    r = api(world["env_staff"]).get(f"/api/v1/decisions/{d.uuid}/")
    assert r.status_code == 200 and r.json()["meeting"] is None
    assert api(world["env_staff"]).get(f"{BASE}{m.uuid}/").status_code == 404
    assert Decision.objects.get(pk=d.pk).status == "open"
