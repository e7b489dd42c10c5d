"""/api/v1/institutions/, /inspections/, /notifications/ and /calendar/deadline/."""

import uuid

import pytest
from django.utils import timezone

from liaison import services
from liaison.models import AuditEntry, Inspection, Institution, Notification

# ----------------------------------------------------------------------------- institutions


def test_directory_lists_and_filters_institutions(api, agency_staff, inst):
    client = api(agency_staff)
    everything = client.get("/api/v1/institutions/", {"page_size": 200}).json()
    assert everything["count"] == Institution.objects.count()
    courts = client.get("/api/v1/institutions/", {"kind": "court", "level": "county"}).json()["results"]
    assert courts and all(c["kind"] == "court" and c["level"] == "county" for c in courts)
    chengzhong = client.get("/api/v1/institutions/", {"region": "chengzhong", "page_size": 200}).json()["results"]
    assert {i["region"] for i in chengzhong} == {"chengzhong"}
    found = client.get("/api/v1/institutions/", {"search": "中级人民法院"}).json()["results"]
    assert [i["name"] for i in found] == ["柳州市中级人民法院"]
    court = inst["柳州市中级人民法院"]
    one = client.get(f"/api/v1/institutions/{court.uuid}/").json()
    assert one["code"] == "柳中法" and one["kind_display"] == "人民法院"
    assert client.get(f"/api/v1/institutions/{uuid.uuid4()}/").status_code == 404
    assert client.get("/api/v1/institutions/", {"kind": "bank"}).status_code == 400


def test_directory_is_read_only(api, office, agency_staff):
    assert api(office).post("/api/v1/institutions/", {"name": "x"}, format="json").status_code == 405
    target = agency_staff.institution
    assert api(office).patch(f"/api/v1/institutions/{target.uuid}/", {"name": "x"}, format="json").status_code == 405


@pytest.mark.parametrize("rows", [10, 200])
def test_directory_query_count_is_constant(api, rows, agency_staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = api(agency_staff).get("/api/v1/institutions/", {"page_size": rows})
    assert len(response.json()["results"]) == min(rows, Institution.objects.count())


# ----------------------------------------------------------------------------- inspections


@pytest.fixture
def entry(agency_staff):
    return services.ledger_open(
        owner=agency_staff.institution, title="答复", start_date=timezone.localdate(), period=30
    )


def test_auditor_creates_an_inspection_of_the_visible_ledger(api, auditor, office, entry):
    response = api(office).post(
        "/api/v1/inspections/",
        {"title": "2026年一季度专项检查", "findings": "总体良好", "institution": "x"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["institution"]["uuid"] == str(office.institution.uuid)
    assert [e["uuid"] for e in data["snapshot"]] == [str(entry.uuid)]
    listed = api(auditor).get("/api/v1/inspections/").json()
    assert listed["count"] == 1 and "snapshot" not in listed["results"][0]
    assert api(auditor).get(f"/api/v1/inspections/{data['uuid']}/").status_code == 200


def test_inspection_of_chosen_entries_rejects_unknown_ones(api, office, agency_staff, entry):
    hidden = services.ledger_open(
        owner=agency_staff.institution, title="另一项", start_date=timezone.localdate(), period=30
    )
    ok = api(office).post("/api/v1/inspections/", {"title": "抽查", "entries": [str(hidden.uuid)]}, format="json")
    assert [e["uuid"] for e in ok.json()["snapshot"]] == [str(hidden.uuid)]
    before = Inspection.objects.count()
    for entries in ([str(uuid.uuid4())], ["bad"], [], "x"):
        response = api(office).post("/api/v1/inspections/", {"title": "抽查", "entries": entries}, format="json")
        assert response.status_code == 400 and "entries" in response.json()
    assert Inspection.objects.count() == before


def test_foreign_ledger_entry_is_not_accepted_in_an_inspection(api, county_gov_legal, entry, world):
    # A county user with the inspection right would still not reach a city agency's entry.
    from liaison.models import User

    inspector = User.objects.create(
        username="county_office", institution=county_gov_legal.institution, role=User.Role.AUDITOR
    )
    response = api(inspector).post("/api/v1/inspections/", {"title": "t", "entries": [str(entry.uuid)]}, format="json")
    assert response.status_code == 400
    assert response.json()["entries"] == {"0": ["不存在或无权访问。"]}


def test_staff_cannot_create_an_inspection_and_others_cannot_see_one(api, office, agency_staff, court_clerk):
    inspection = services.inspection_create(by=office, title="检查")
    before = AuditEntry.objects.count()
    assert api(agency_staff).post("/api/v1/inspections/", {"title": "x"}, format="json").status_code == 403
    assert AuditEntry.objects.count() == before
    assert api(court_clerk).get(f"/api/v1/inspections/{inspection.uuid}/").status_code == 404
    assert api(court_clerk).get("/api/v1/inspections/").json()["count"] == 0


def test_inspection_needs_a_title(api, office):
    response = api(office).post("/api/v1/inspections/", {"findings": "x"}, format="json")
    assert response.status_code == 400 and "title" in response.json()


# ----------------------------------------------------------------------------- notifications


@pytest.fixture
def notes(agency_staff, agency_head):
    services.notify(users=[agency_staff, agency_head], kind="test", title="收文提醒", key="t1")
    services.notify(users=[agency_staff], kind="test", title="第二条", key="t2")
    return list(Notification.objects.filter(user=agency_staff))


def test_user_sees_only_own_notifications(api, notes, agency_staff, agency_head):
    mine = api(agency_staff).get("/api/v1/notifications/").json()
    assert mine["count"] == 2
    colleague_note = Notification.objects.get(user=agency_head)
    assert api(agency_staff).get(f"/api/v1/notifications/{colleague_note.uuid}/").status_code == 404
    assert api(agency_staff).post(f"/api/v1/notifications/{colleague_note.uuid}/read/").status_code == 404
    colleague_note.refresh_from_db()
    assert colleague_note.read_at is None


def test_mark_one_and_all_read(api, notes, agency_staff, agency_head):
    client = api(agency_staff)
    response = client.post(f"/api/v1/notifications/{notes[0].uuid}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0
    assert Notification.objects.get(user=agency_head).read_at is None


# ----------------------------------------------------------------------------- calendar


def test_deadline_month_end_and_holiday(api, agency_staff):
    client = api(agency_staff)
    data = client.get("/api/v1/calendar/deadline/", {"start": "2026-01-31", "period": 1, "unit": "months"}).json()
    assert data["nominal"] == "2026-02-28"
    # 28 Feb 2026 is a Saturday, but a make-up working day (调休) for the Spring Festival.
    assert data["due"] == "2026-02-28" and data["reason"] == ""
    assert "2026-02-28" in data["explained"] and data["warnings"] == []
    national_day = client.get("/api/v1/calendar/deadline/", {"start": "2025-09-26", "period": 5}).json()
    assert national_day["nominal"] == "2025-10-01" and national_day["due"] == "2025-10-09"


def test_deadline_beyond_the_calendar_warns(api, agency_staff):
    data = api(agency_staff).get("/api/v1/calendar/deadline/", {"start": "2027-03-01", "period": 10}).json()
    assert data["warnings"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"period": 1}, "start"),
        ({"start": "tomorrow", "period": 1}, "start"),
        ({"start": "9999-12-31", "period": 12, "unit": "months"}, "start"),
        ({"start": "2026-01-01", "period": -1}, "period"),
        ({"start": "2026-01-01", "period": 10**12}, "period"),
        ({"start": "2026-01-01", "period": 1, "unit": "fortnights"}, "unit"),
    ],
)
def test_deadline_bad_input_is_a_field_error(api, agency_staff, params, field):
    response = api(agency_staff).get("/api/v1/calendar/deadline/", params)
    assert response.status_code == 400 and field in response.json()
