"""/api/v1/ledger/: the owner completes, the office waives, others see or get 404."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison import services
from liaison.models import AuditEntry, Institution, LedgerEntry

URL = "/api/v1/ledger/"


def detail(entry, action=""):
    return f"{URL}{entry.uuid}/" + (f"{action}/" if action else "")


@pytest.fixture
def entry(agency_staff):
    return services.ledger_open(
        owner=agency_staff.institution, title="答复司法建议", start_date=timezone.localdate(), period=60, unit="days"
    )


def test_owner_and_superior_and_office_see_the_entry_outsiders_do_not(
    api, entry, agency_staff, gov_legal, office, outsider_agency, court_clerk
):
    for user in (agency_staff, gov_legal, office):
        response = api(user).get(detail(entry))
        assert response.status_code == 200
        assert response.json()["owner"]["uuid"] == str(agency_staff.institution.uuid)
    for user in (outsider_agency, court_clerk):
        assert api(user).get(detail(entry)).status_code == 404
        assert api(user).get(URL).json()["count"] == 0


def test_owner_completes_with_evidence(api, entry, agency_staff):
    response = api(agency_staff).post(detail(entry, "complete"), {"evidence": "已书面答复"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "done" and data["done_on"] == timezone.localdate().isoformat()
    assert data["allowed_actions"] == []
    assert api(agency_staff).post(detail(entry, "complete"), {"evidence": "again"}, format="json").status_code == 409


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "evidence"),
        ({"evidence": ""}, "evidence"),
        ({"evidence": "   "}, "evidence"),
        ({"evidence": "ok", "done_on": "2999-01-01"}, "done_on"),
        ({"evidence": "ok", "done_on": "2000-01-01"}, "done_on"),
        ({"evidence": "ok", "done_on": "yesterday"}, "done_on"),
        ({"evidence": "x" * 5001}, "evidence"),
    ],
)
def test_bad_completion_is_a_field_error_and_changes_nothing(api, entry, agency_staff, payload, field):
    before = AuditEntry.objects.count()
    response = api(agency_staff).post(detail(entry, "complete"), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN and AuditEntry.objects.count() == before


def test_superior_government_sees_but_cannot_complete(api, entry, gov_legal, auditor):
    assert api(gov_legal).post(detail(entry, "complete"), {"evidence": "x"}, format="json").status_code == 403
    assert api(auditor).post(detail(entry, "complete"), {"evidence": "x"}, format="json").status_code == 403


def test_outsider_cannot_complete(api, entry, outsider_agency):
    assert api(outsider_agency).post(detail(entry, "complete"), {"evidence": "x"}, format="json").status_code == 404
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN


def test_office_waives_owner_cannot(api, entry, office, agency_staff):
    assert api(agency_staff).post(detail(entry, "waive"), {"reason": "x"}, format="json").status_code == 403
    assert api(office).post(detail(entry, "waive"), {}, format="json").status_code == 400
    response = api(office).post(detail(entry, "waive"), {"reason": "事项已由其他途径解决"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "waived"


def test_posted_owner_and_status_are_ignored(api, entry, agency_staff, outsider_agency):
    payload = {"evidence": "ok", "owner": str(outsider_agency.institution.uuid), "status": "waived"}
    api(agency_staff).post(detail(entry, "complete"), payload, format="json")
    entry.refresh_from_db()
    assert entry.owner == agency_staff.institution and entry.status == LedgerEntry.Status.DONE


def test_filters(api, entry, agency_staff, office, outsider_agency):
    other = services.ledger_open(
        owner=outsider_agency.institution, title="另一事项", start_date=timezone.localdate(), period=5, unit="days"
    )
    client = api(office)

    def uuids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {r["uuid"] for r in response.json()["results"]}

    assert uuids(owner=str(agency_staff.institution.uuid)) == {str(entry.uuid)}
    soon = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert uuids(due_before=soon) == {str(other.uuid)}
    assert uuids(due_after=soon) == {str(entry.uuid)}
    assert uuids(status="done") == set()
    # A foreign owner is no valid choice (as on the page): 400 with the field; it never widens.
    response = api(agency_staff).get(URL, {"owner": str(outsider_agency.institution.uuid)})
    assert response.status_code == 400 and "owner" in response.json()
    for bad in ({"owner": "x"}, {"due_before": "soon"}, {"status": "nope"}):
        assert client.get(URL, bad).status_code == 400


@pytest.mark.parametrize("rows", [10, 200])
def test_ledger_list_query_count_is_constant(api, rows, office, django_assert_max_num_queries):
    agencies = list(Institution.objects.filter(kind="agency")[:5])
    today = timezone.localdate()
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            owner=agencies[i % 5], title=f"事项{i}", start_date=today, period=10, due_date=today + dt.timedelta(days=10)
        )
        for i in range(rows)
    )
    with django_assert_max_num_queries(5):
        response = api(office).get(URL, {"page_size": 200})
    assert response.json()["count"] == rows and len(response.json()["results"]) == rows
