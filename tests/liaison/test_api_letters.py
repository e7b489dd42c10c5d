"""/api/v1/letters/: drafting, sign-off, issue, inbox, PDF, sharing — and who may do what."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from liaison import services
from liaison.models import AuditEntry, Delivery, Letter

URL = "/api/v1/letters/"


def detail(letter, action=""):
    return f"{URL}{letter.uuid}/" + (f"{action}/" if action else "")


@pytest.fixture
def draft(court_clerk, agency_staff, gov_legal):
    return services.letter_create(
        by=court_clerk,
        title="关于规范城市管理行政执法程序的函",
        body="经审理发现……",
        addressees=[agency_staff.institution],
        cc=[gov_legal.institution],
    )


@pytest.fixture
def issued(draft, court_clerk, court_head):
    services.letter_submit(letter=draft, by=court_clerk)
    return services.letter_issue(letter=draft, by=court_head)


def new_letter_payload(*addressees, **extra):
    return {"title": "关于协助调查的函", "body": "请予协助。", "addressees": [str(i.uuid) for i in addressees], **extra}


# ----------------------------------------------------------------------------- create and edit


def test_staff_creates_a_draft_issued_by_their_own_institution(api, court_clerk, agency_staff, gov_legal):
    payload = new_letter_payload(agency_staff.institution, cc=[str(gov_legal.institution.uuid)], series="jian")
    response = api(court_clerk).post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["doc_number"] is None
    assert data["issuer"]["uuid"] == str(court_clerk.institution.uuid)
    assert [a["uuid"] for a in data["addressees"]] == [str(agency_staff.institution.uuid)]
    assert [c["uuid"] for c in data["cc"]] == [str(gov_legal.institution.uuid)]
    assert set(data["allowed_actions"]) >= {"edit", "submit"}
    letter = Letter.objects.get(uuid=data["uuid"])
    assert letter.series == "jian" and letter.created_by == court_clerk


def test_posted_issuer_status_and_number_are_ignored(api, court_clerk, agency_staff, proc_staff):
    payload = new_letter_payload(
        agency_staff.institution,
        issuer=str(proc_staff.institution.uuid),
        status="issued",
        doc_number="柳检函〔2026〕99号",
        number=99,
        created_by=proc_staff.pk,
    )
    response = api(court_clerk).post(URL, payload, format="json")
    assert response.status_code == 201
    letter = Letter.objects.get(uuid=response.json()["uuid"])
    assert letter.issuer == court_clerk.institution
    assert letter.status == Letter.Status.DRAFT and letter.doc_number is None and letter.number is None
    assert letter.created_by == court_clerk


def test_auditor_cannot_create_a_letter(api, auditor, agency_staff):
    before = Letter.objects.count()
    response = api(auditor).post(URL, new_letter_payload(agency_staff.institution), format="json")
    assert response.status_code == 403
    assert Letter.objects.count() == before


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"body": "b", "addressees": ["X"]}, "title"),
        ({"title": "t", "body": "b", "addressees": []}, "addressees"),
        ({"title": "t", "body": "b"}, "addressees"),
        ({"title": "t" * 201, "body": "b", "addressees": ["X"]}, "title"),
        ({"title": "t", "body": "b", "addressees": ["X"], "series": "nonsense"}, "series"),
        ({"title": "t", "body": "b", "addressees": ["X"], "urgency": "<script>"}, "urgency"),
        ({"title": "t", "body": "b", "addressees": "X"}, "addressees"),
        ({"title": "t", "body": "b", "addressees": ["not-a-uuid"]}, "addressees"),
        ({"title": "t", "body": "b", "addressees": [{"uuid": "X"}]}, "addressees"),
        ({"title": "t", "body": "b", "addressees": [str(uuid.uuid4())]}, "addressees"),
        ({"title": "t", "body": "b", "addressees": ["X", "X"]}, "addressees"),
        ({"title": "t", "body": "b", "addressees": ["X"], "cc": ["X"]}, "cc"),
        ({"title": "   ", "body": "b", "addressees": ["X"]}, "title"),
    ],
)
def test_bad_letter_input_is_a_field_error_and_creates_nothing(api, court_clerk, agency_staff, payload, field):
    x = str(agency_staff.institution.uuid)
    payload = {
        k: ([x if i == "X" else i for i in v] if isinstance(v, list) else (x if v == "X" else v))
        for k, v in payload.items()
    }
    before = Letter.objects.count(), Delivery.objects.count(), AuditEntry.objects.count()
    response = api(court_clerk).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Letter.objects.count(), Delivery.objects.count(), AuditEntry.objects.count()) == before


def test_non_json_body_is_a_400(api, court_clerk):
    response = api(court_clerk).generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_inactive_institution_cannot_be_an_addressee(api, court_clerk, agency_staff):
    target = agency_staff.institution
    target.is_active = False
    target.save(update_fields=["is_active"])
    response = api(court_clerk).post(URL, new_letter_payload(target), format="json")
    assert response.status_code == 400
    assert response.json()["addressees"] == {"0": ["不存在或无权访问。"]}


def test_author_edits_draft_partially(api, draft, court_clerk, proc_staff):
    response = api(court_clerk).patch(
        detail(draft),
        {"title": "新标题", "addressees": [str(proc_staff.institution.uuid)], "issuer": "x"},
        format="json",
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.title == "新标题" and draft.body == "经审理发现……"
    assert [i.pk for i in draft.addressees()] == [proc_staff.institution_id]
    assert draft.issuer == court_clerk.institution


def test_put_is_not_offered(api, draft, court_clerk):
    assert api(court_clerk).put(detail(draft), {"title": "x"}, format="json").status_code == 405


def test_empty_patch_is_a_400(api, draft, court_clerk):
    assert api(court_clerk).patch(detail(draft), {}, format="json").status_code == 400


def test_editing_a_submitted_letter_is_a_conflict(api, draft, court_clerk):
    services.letter_submit(letter=draft, by=court_clerk)
    response = api(court_clerk).patch(detail(draft), {"title": "改"}, format="json")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.title != "改"


def test_auditor_of_another_institution_cannot_see_a_draft(api, draft, auditor, agency_staff, proc_staff):
    for user in (auditor, agency_staff, proc_staff):
        assert api(user).get(detail(draft)).status_code == 404
        assert api(user).patch(detail(draft), {"title": "x"}, format="json").status_code == 404


def test_recipient_cannot_edit_an_issued_letter(api, issued, agency_staff):
    assert api(agency_staff).patch(detail(issued), {"title": "x"}, format="json").status_code == 403


# ----------------------------------------------------------------------------- sign-off and issue


def test_submit_then_head_issues_and_numbers(api, draft, court_clerk, court_head, agency_staff):
    assert api(court_clerk).post(detail(draft, "submit")).json()["status"] == "pending"
    response = api(court_head).post(detail(draft, "issue"), {}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    year = timezone.localdate().year
    assert data["status"] == "issued" and data["doc_number"] == f"柳中法函〔{year}〕1号"
    assert all(d["delivered_at"] for d in data["deliveries"])
    inbox = api(agency_staff).get(URL, {"box": "inbox"}).json()
    assert [r["uuid"] for r in inbox["results"]] == [str(draft.uuid)]


def test_staff_cannot_issue(api, draft, court_clerk):
    services.letter_submit(letter=draft, by=court_clerk)
    assert api(court_clerk).post(detail(draft, "issue")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING and draft.number is None


def test_other_institutions_head_gets_404_not_403(api, draft, court_clerk, proc_head):
    services.letter_submit(letter=draft, by=court_clerk)
    assert api(proc_head).post(detail(draft, "issue")).status_code == 404


def test_second_issue_is_a_conflict(api, issued, court_head):
    response = api(court_head).post(detail(issued, "issue"))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_issue_date_in_the_future_is_a_field_error(api, draft, court_clerk, court_head):
    services.letter_submit(letter=draft, by=court_clerk)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api(court_head).post(detail(draft, "issue"), {"issued_on": tomorrow}, format="json")
    assert response.status_code == 400 and "issued_on" in response.json()
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING and draft.doc_number is None
    response = api(court_head).post(detail(draft, "issue"), {"issued_on": "31/01/2026"}, format="json")
    assert response.status_code == 400 and "issued_on" in response.json()


def test_head_returns_with_a_reason(api, draft, court_clerk, court_head):
    services.letter_submit(letter=draft, by=court_clerk)
    assert api(court_head).post(detail(draft, "return"), {}, format="json").status_code == 400
    assert api(court_clerk).post(detail(draft, "return"), {"reason": "x"}, format="json").status_code == 403
    response = api(court_head).post(detail(draft, "return"), {"reason": "请补充事实依据"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "draft"


# ----------------------------------------------------------------------------- inbox: sign and read


def test_addressee_signs_then_reads(api, issued, agency_staff):
    client = api(agency_staff)
    response = client.post(detail(issued, "sign"), {}, format="json")
    assert response.status_code == 200, response.content
    mine = response.json()["my_delivery"]
    assert mine["signed_on"] == timezone.localdate().isoformat() and mine["state"] == "signed"
    assert client.post(detail(issued, "read")).json()["my_delivery"]["state"] == "read"


def test_cc_recipient_signs_its_own_copy(api, issued, gov_legal, agency_staff):
    response = api(gov_legal).post(detail(issued, "sign"))
    assert response.status_code == 200
    assert Delivery.objects.get(letter=issued, recipient=gov_legal.institution).signed_by == gov_legal
    assert Delivery.objects.get(letter=issued, recipient=agency_staff.institution).signed_on is None


def test_second_sign_is_a_conflict(api, issued, agency_staff):
    assert api(agency_staff).post(detail(issued, "sign")).status_code == 200
    assert api(agency_staff).post(detail(issued, "sign")).status_code == 409


def test_sign_date_checks(api, issued, agency_staff):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = api(agency_staff).post(detail(issued, "sign"), {"signed_on": future}, format="json")
    assert response.status_code == 400 and "signed_on" in response.json()
    assert Delivery.objects.get(letter=issued, recipient=agency_staff.institution).signed_on is None


def test_issuer_and_office_cannot_sign_and_outsider_gets_404(
    api, issued, court_clerk, office, outsider_agency, auditor
):
    assert api(court_clerk).post(detail(issued, "sign")).status_code == 403
    assert api(office).post(detail(issued, "sign")).status_code == 403
    assert api(outsider_agency).post(detail(issued, "sign")).status_code == 404


def test_recipient_sees_only_its_own_receipt_issuer_sees_all(api, issued, agency_staff, gov_legal, court_clerk):
    services.delivery_sign(delivery=issued.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    as_cc = {d["recipient"]["uuid"]: d for d in api(gov_legal).get(detail(issued)).json()["deliveries"]}
    assert as_cc[str(agency_staff.institution.uuid)]["signed_on"] is None
    assert as_cc[str(gov_legal.institution.uuid)]["delivered_at"] is not None
    as_issuer = {d["recipient"]["uuid"]: d for d in api(court_clerk).get(detail(issued)).json()["deliveries"]}
    assert as_issuer[str(agency_staff.institution.uuid)]["signed_on"] == timezone.localdate().isoformat()


# ----------------------------------------------------------------------------- visibility, filters, search


def test_outsider_cannot_see_issued_letter(api, issued, outsider_agency, county_clerk):
    for user in (outsider_agency, county_clerk):
        assert api(user).get(detail(issued)).status_code == 404
        assert api(user).get(detail(issued, "pdf")).status_code == 404
        assert str(issued.uuid) not in api(user).get(URL).content.decode()


def test_malformed_uuid_in_path_is_404(api, court_clerk):
    for path in ("letters/not-a-uuid/", "letters/12/sign/", "ledger/zzz/", "institutions/1/"):
        assert api(court_clerk).get(f"/api/v1/{path}").status_code in (404, 405)
    assert api(court_clerk).get(f"{URL}not-a-uuid/").status_code == 404


def test_filters_and_search(api, issued, draft, court_clerk, court_head, agency_staff):
    other = services.letter_create(by=court_clerk, title="另一件草稿", body="x", addressees=[agency_staff.institution])
    client = api(court_clerk)

    def uuids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {r["uuid"] for r in response.json()["results"]}

    assert uuids(status="draft") == {str(other.uuid)}
    assert uuids(box="outbox") == {str(issued.uuid), str(other.uuid)}
    assert uuids(box="inbox") == set()
    assert uuids(search="另一件") == {str(other.uuid)}
    assert uuids(search=issued.doc_number) == {str(issued.uuid)}
    assert uuids(year=issued.year) == {str(issued.uuid)}
    assert uuids(series="jian") == set()
    for bad in ({"status": "bogus"}, {"box": "trash"}, {"year": "abc"}, {"year": "99999999999999999999"}):
        assert client.get(URL, bad).status_code == 400


# ----------------------------------------------------------------------------- PDF


def test_pdf_download_once_rendered(
    api, draft, court_clerk, court_head, agency_staff, django_capture_on_commit_callbacks
):
    assert api(court_clerk).get(detail(draft, "pdf")).status_code == 409  # a draft has no PDF
    asked_for_pdf = api(court_clerk).get(detail(draft, "pdf"), {"format": "pdf"})
    assert asked_for_pdf.status_code == 409 and asked_for_pdf.json()["detail"]
    services.letter_submit(letter=draft, by=court_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        api(court_head).post(detail(draft, "issue"))
    draft.refresh_from_db()
    response = api(agency_staff).get(detail(draft, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    as_pdf = api(agency_staff).get(detail(draft, "pdf"), HTTP_ACCEPT="application/pdf")
    assert as_pdf.status_code == 200


def test_pdf_not_yet_rendered_is_a_404_with_a_reason(api, issued, agency_staff):
    response = api(agency_staff).get(detail(issued, "pdf"))
    assert response.status_code == 404
    assert "生成" in response.json()["detail"]
    asked_for_pdf = api(agency_staff).get(detail(issued, "pdf"), HTTP_ACCEPT="application/pdf")
    assert asked_for_pdf.status_code == 404 and asked_for_pdf["Content-Type"] == "application/json"


# ----------------------------------------------------------------------------- sharing


def test_issuer_shares_and_unshares(api, issued, court_clerk, outsider_agency):
    target = str(outsider_agency.institution.uuid)
    response = api(court_clerk).post(detail(issued, "share"), {"institution": target}, format="json")
    assert response.status_code == 200
    assert [i["uuid"] for i in response.json()["shared_with"]] == [target]
    shared_view = api(outsider_agency).get(detail(issued))
    assert shared_view.status_code == 200
    assert shared_view.json()["shared_with"] == []  # only the issuer sees whom it shared with
    assert api(court_clerk).post(detail(issued, "unshare"), {"institution": target}, format="json").status_code == 200
    assert api(outsider_agency).get(detail(issued)).status_code == 404


def test_recipient_cannot_share_and_outsider_cannot_share_to_itself(api, issued, agency_staff, outsider_agency):
    own = {"institution": str(outsider_agency.institution.uuid)}
    assert api(agency_staff).post(detail(issued, "share"), own, format="json").status_code == 403
    assert api(outsider_agency).post(detail(issued, "share"), own, format="json").status_code == 404
    assert api(outsider_agency).get(detail(issued)).status_code == 404


# a fixed unknown uuid: pytest-xdist needs every worker to collect the same test ids
@pytest.mark.parametrize("value", ["", "nope", "3f1c2a9e-7b4d-4e0a-9c55-1d2e3f4a5b6c", None, 7, ["x"]])
def test_share_with_bad_institution_is_a_field_error(api, issued, court_clerk, value):
    before = AuditEntry.objects.count()
    response = api(court_clerk).post(detail(issued, "share"), {"institution": value}, format="json")
    assert response.status_code == 400 and "institution" in response.json()
    assert AuditEntry.objects.count() == before


# ----------------------------------------------------------------------------- CSRF, pagination, query budget


def test_session_post_without_csrf_token_is_refused(issued, agency_staff):
    from django.conf import settings
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(agency_staff)  # axes counts every password login; the session is what matters here
    assert client.get(detail(issued)).status_code == 200  # safe methods need no token
    response = client.post(detail(issued, "sign"))
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Delivery.objects.get(letter=issued, recipient=agency_staff.institution).signed_on is None
    client.get("/api/v1/letters/")
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    # With a matching cookie and header the same request goes through.
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = client.post(detail(issued, "sign"), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def _bulk_inbox(n, court_clerk, court_head, recipient, cc):
    year = timezone.localdate().year
    start = Letter.objects.count() + 1000
    now = timezone.now()
    letters = Letter.objects.bulk_create(
        Letter(
            issuer=court_clerk.institution,
            title=f"批量来函 {i}",
            body="正文",
            status=Letter.Status.ISSUED,
            series="han",
            year=year,
            number=start + i,
            doc_number=f"柳中法函〔{year}〕{start + i}号",
            created_by=court_clerk,
            signed_off_by=court_head,
            issued_on=timezone.localdate(),
            issued_at=now,
        )
        for i in range(n)
    )
    rows = []
    for letter in letters:
        rows.append(Delivery(letter=letter, recipient=recipient, kind="to", position=0, delivered_at=now))
        rows.append(Delivery(letter=letter, recipient=cc, kind="cc", position=1, delivered_at=now))
    Delivery.objects.bulk_create(rows)


@pytest.mark.parametrize("rows", [10, 200])
def test_letter_list_query_count_is_constant(
    api, rows, court_clerk, court_head, agency_staff, gov_legal, office, django_assert_max_num_queries
):
    _bulk_inbox(rows, court_clerk, court_head, agency_staff.institution, gov_legal.institution)
    for user in (agency_staff, office):
        client = api(user)
        with django_assert_max_num_queries(5):
            response = client.get(URL, {"page_size": 200})
        assert response.status_code == 200
        assert response.json()["count"] == rows
        assert len(response.json()["results"]) == rows


def test_list_is_paginated_in_drf_format(api, court_clerk, court_head, agency_staff, gov_legal):
    _bulk_inbox(60, court_clerk, court_head, agency_staff.institution, gov_legal.institution)
    client = api(agency_staff)
    first = client.get(URL).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 60 and len(first["results"]) == 50 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10 and second["next"] is None
    assert len(client.get(URL, {"page_size": 5000}).json()["results"]) == 60  # capped at 200
    assert len(client.get(URL, {"page_size": 7}).json()["results"]) == 7
    assert client.get(URL, {"page": 99}).status_code == 404
    assert client.get(URL, {"page": "x"}).status_code == 404


def test_reading_before_signing_is_a_conflict(api, issued, agency_staff):
    response = api(agency_staff).post(detail(issued, "read"))
    assert response.status_code == 409
    assert Delivery.objects.get(letter=issued, recipient=agency_staff.institution).read_at is None
