"""/api/v1/suggestions/{uuid}/attachments/ and …/replies/{reply_uuid}/attachments/: a record's files
listed for whoever may see it, uploaded (multipart, one or more `file` parts, all or none) and removed
while it may be edited, with the letters' upload rules: 404 for an outsider, 403 for a role that may
not edit it, 409 once it is no longer editable, 400 with field errors for a bad file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison import services as hub
from liaison.models import Attachment, AuditEntry
from suggestions import services

from ._view_helpers import draft
from .conftest import D
from .test_attachments_with_record import PNG, pdf, stored_files

URL = "/api/v1/suggestions/"


def files_url(s):
    return f"{URL}{s.uuid}/attachments/"


def reply_files_url(r):
    return f"{URL}{r.suggestion.uuid}/replies/{r.uuid}/attachments/"


def upload(client, url, *files):
    return client.post(url, {"file": list(files)}, format="multipart")


@pytest.fixture
def drafted(court_clerk, agency_staff):
    return draft(court_clerk, agency_staff.institution)


@pytest.fixture
def pending(make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2025-12-12"), received_on=D("2025-12-15"), receiver=agency_staff
    )
    return services.suggestion_reply(suggestion=s, by=agency_staff, measures="已完善送达程序。")


def test_the_drafter_uploads_lists_and_removes_files_of_a_draft(
    drafted, court_clerk, api, django_capture_on_commit_callbacks
):
    client = api(court_clerk)
    response = upload(client, files_url(drafted), pdf("说明.pdf"), SimpleUploadedFile("现场.png", PNG))
    assert response.status_code == 201, response.content
    assert sorted(a["name"] for a in response.json()) == sorted(["说明.pdf", "现场.png"])
    assert {a["content_type"] for a in response.json()} == {"application/pdf", "image/png"}
    listed = client.get(files_url(drafted)).json()
    assert [a["uuid"] for a in listed] == [a["uuid"] for a in response.json()]
    # the suggestion's detail lists them too
    assert len(client.get(f"{URL}{drafted.uuid}/").json()["attachments"]) == 2

    gone = listed[0]
    path = Attachment.objects.get(uuid=gone["uuid"]).file.path
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal commits
        assert client.delete(f"{files_url(drafted)}{gone['uuid']}/").status_code == 204
    assert [a["uuid"] for a in client.get(files_url(drafted)).json()] == [listed[1]["uuid"]]
    assert AuditEntry.objects.filter(action="attachment.remove", target_id=drafted.pk).exists()
    from pathlib import Path

    assert not Path(path).exists()
    assert client.delete(f"{files_url(drafted)}{gone['uuid']}/").status_code == 404  # not its file any more


def test_a_bad_file_is_a_400_with_field_errors_and_nothing_is_stored(drafted, court_clerk, api, settings):
    before, audits = stored_files(), AuditEntry.objects.count()
    bad = SimpleUploadedFile("说明.exe", b"MZ\x90\x00")
    response = upload(api(court_clerk), files_url(drafted), pdf(), bad)
    assert response.status_code == 400 and "“说明.exe”" in response.json()["file"][0]
    assert api(court_clerk).post(files_url(drafted), {}, format="multipart").status_code == 400  # no file
    assert api(court_clerk).post(files_url(drafted), {"file": "x"}, format="json").status_code == 400
    settings.ATTACHMENTS_MAX = 1
    too_many = upload(api(court_clerk), files_url(drafted), pdf("一.pdf"), pdf("二.pdf"))
    assert too_many.status_code == 400 and "最多 1 个" in too_many.json()["file"][0]
    assert not Attachment.objects.exists() and stored_files() == before and AuditEntry.objects.count() == audits


def test_outsiders_get_404_roles_that_may_not_edit_403(drafted, court_clerk, agency_staff, api):
    from liaison.models import User

    court_auditor = User.objects.create_user(
        "court_auditor", password="x", institution=court_clerk.institution, role=User.Role.AUDITOR
    )
    att = services.suggestion_attach(suggestion=drafted, by=court_clerk, upload=pdf())
    one = f"{files_url(drafted)}{att.uuid}/"
    # the recipient does not see a draft at all
    assert api(agency_staff).get(files_url(drafted)).status_code == 404
    assert upload(api(agency_staff), files_url(drafted), pdf()).status_code == 404
    assert api(agency_staff).delete(one).status_code == 404
    # an auditor of the court sees it but only reads
    assert api(court_auditor).get(files_url(drafted)).status_code == 200
    assert upload(api(court_auditor), files_url(drafted), pdf()).status_code == 403
    assert api(court_auditor).delete(one).status_code == 403
    assert hub.record_attachments(drafted).count() == 1
    assert api().get(files_url(drafted)).status_code in (401, 403)


def test_an_issued_suggestion_is_no_longer_editable_409(drafted, court_clerk, court_head, agency_staff, api):
    att = services.suggestion_attach(suggestion=drafted, by=court_clerk, upload=pdf())
    services.suggestion_submit(suggestion=drafted, by=court_clerk)
    assert upload(api(court_clerk), files_url(drafted), pdf("后补.pdf")).status_code == 409
    assert api(court_clerk).delete(f"{files_url(drafted)}{att.uuid}/").status_code == 409
    services.suggestion_approve(suggestion=drafted, by=court_head)
    services.suggestion_issue(suggestion=drafted, by=court_head)
    # issued: the recipient reads the 建议书's files, and may not add any
    assert [a["name"] for a in api(agency_staff).get(files_url(drafted)).json()] == ["现场照片说明.pdf"]
    assert upload(api(agency_staff), files_url(drafted), pdf()).status_code == 403
    assert hub.record_attachments(drafted).count() == 1


def test_staff_attach_to_a_pending_reply_and_the_issuer_sees_them_once_sent(
    pending, agency_staff, agency_head, court_clerk, outsider_agency, api
):
    url = reply_files_url(pending)
    response = upload(api(agency_staff), url, pdf("整改报告.pdf"))
    assert response.status_code == 201 and [a["name"] for a in response.json()] == ["整改报告.pdf"]
    # not yet sent: the issuer and outsiders do not see the reply (404), the recipient's head reads it
    for outsider in (court_clerk, outsider_agency):
        assert api(outsider).get(url).status_code == 404
        assert upload(api(outsider), url, pdf()).status_code == 404
        assert api(outsider).delete(f"{url}{response.json()[0]['uuid']}/").status_code == 404
    assert len(api(agency_head).get(url).json()) == 1
    assert upload(api(agency_staff), url, SimpleUploadedFile("a.pdf", b"<html>")).status_code == 400
    extra = upload(api(agency_staff), url, pdf("删掉.pdf")).json()
    removed = next(a for a in extra if a["name"] == "删掉.pdf")
    assert api(agency_staff).delete(f"{url}{removed['uuid']}/").status_code == 204

    services.reply_approve(reply=pending, by=agency_head)
    assert [a["name"] for a in api(court_clerk).get(url).json()] == ["整改报告.pdf"]
    assert upload(api(court_clerk), url, pdf()).status_code == 403  # the issuer never edits a reply
    assert upload(api(agency_staff), url, pdf()).status_code == 409  # sent: no longer editable
    kept = api(agency_staff).get(url).json()[0]["uuid"]
    assert api(agency_staff).delete(f"{url}{kept}/").status_code == 409
    assert hub.record_attachments(pending).count() == 1


def test_a_reply_of_another_suggestion_or_a_made_up_uuid_is_404(pending, drafted, agency_staff, court_clerk, api):
    assert api(agency_staff).get(f"{URL}{pending.suggestion.uuid}/replies/nonsense/attachments/").status_code == 404
    wrong = f"{URL}{drafted.uuid}/replies/{pending.uuid}/attachments/"
    assert api(court_clerk).get(wrong).status_code == 404
    assert api(court_clerk).delete(f"{files_url(drafted)}nonsense/").status_code == 404


def test_the_schema_documents_the_endpoints(api, court_clerk):
    schema = api(court_clerk).get("/api/v1/schema/?format=json")
    if schema.status_code != 200:
        pytest.skip("schema url differs")
    paths = schema.json()["paths"]
    ops = paths["/api/v1/suggestions/{uuid}/attachments/"]
    assert set(ops) >= {"get", "post"}
    assert "multipart/form-data" in ops["post"]["requestBody"]["content"]
    assert {"400", "403", "404", "409"} <= set(ops["post"]["responses"])
    assert "delete" in paths["/api/v1/suggestions/{uuid}/attachments/{attachment_uuid}/"]
    assert set(paths["/api/v1/suggestions/{uuid}/replies/{reply_uuid}/attachments/"]) >= {"get", "post"}
    assert "delete" in paths["/api/v1/suggestions/{uuid}/replies/{reply_uuid}/attachments/{attachment_uuid}/"]
