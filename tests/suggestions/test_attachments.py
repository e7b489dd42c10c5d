"""Suggestions and replies carry attachments with the letters' upload rules and access checks (the
hub's attachment code): they go with the 建议书 or 复函 and are listed in its PDF's 附件 line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.pdf import render_letter_html
from suggestions import services

from ._view_helpers import client_for, draft
from .conftest import D

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name="现场照片说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture
def drafted(court_clerk, agency_staff):
    return draft(court_clerk, agency_staff.institution)


def test_a_draft_carries_an_attachment_into_its_letter_and_pdf(drafted, court_clerk, court_head, agency_staff):
    client = client_for(court_clerk)
    response = client.post(f"/suggestions/{drafted.uuid}/attachments/", {"file": upload()})
    assert response.status_code == 302
    page = client.get(f"/suggestions/{drafted.uuid}/").content.decode()
    att = services.hub.record_attachments(drafted).get()
    assert f'href="/suggestions/{drafted.uuid}/attachments/{att.uuid}/"' in page
    assert b"".join(client.get(f"/suggestions/{drafted.uuid}/attachments/{att.uuid}/").streaming_content) == PDF
    # The recipient sees nothing of a draft; after issue it reads the file with the 建议书.
    assert client_for(agency_staff).get(f"/suggestions/{drafted.uuid}/attachments/{att.uuid}/").status_code == 404
    services.suggestion_submit(suggestion=drafted, by=court_clerk)
    services.suggestion_approve(suggestion=drafted, by=court_head)
    s = services.suggestion_issue(suggestion=drafted, by=court_head)
    att.refresh_from_db()
    assert att.letter == s.letter
    assert "现场照片说明" in render_letter_html(s.letter)
    assert client_for(agency_staff).get(f"/suggestions/{s.uuid}/attachments/{att.uuid}/").status_code == 200
    assert client_for(agency_staff).get(f"/letters/{s.letter.uuid}/attachments/{att.uuid}/").status_code == 200
    # Issued: no more files (the conflict message), and nothing stored.
    refused = client.post(f"/suggestions/{s.uuid}/attachments/", {"file": upload("后补.pdf")}, follow=True)
    assert "只有草稿可以修改" in refused.content.decode()
    assert services.hub.record_attachments(s).count() == 1


def test_the_letters_upload_rules_apply(drafted, court_clerk):
    response = client_for(court_clerk).post(
        f"/suggestions/{drafted.uuid}/attachments/", {"file": upload("说明.exe", b"MZ\x90\x00")}
    )
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    disguised = client_for(court_clerk).post(f"/suggestions/{drafted.uuid}/attachments/", {"file": upload("说明.html")})
    assert disguised.status_code == 200
    assert not services.hub.record_attachments(drafted).exists()


def test_only_the_issuer_attaches_to_its_draft(drafted, court_head, proc_staff, outsider_agency):
    assert (
        client_for(outsider_agency).post(f"/suggestions/{drafted.uuid}/attachments/", {"file": upload()}).status_code
        == 404
    )
    assert (
        client_for(proc_staff).post(f"/suggestions/{drafted.uuid}/attachments/", {"file": upload()}).status_code == 404
    )
    assert (
        client_for(court_head).post(f"/suggestions/{drafted.uuid}/attachments/", {"file": upload()}).status_code == 302
    )


@pytest.fixture
def pending(make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2025-12-12"), received_on=D("2025-12-15"), receiver=agency_staff
    )
    return services.suggestion_reply(suggestion=s, by=agency_staff, measures="已整改，见附件。")


def test_a_reply_carries_an_attachment_seen_by_the_issuer_once_sent(pending, agency_staff, agency_head, court_clerk):
    s = pending.suggestion
    url = f"/suggestions/{s.uuid}/replies/{pending.uuid}/attachments/"
    assert client_for(court_clerk).post(url, {"file": upload("整改报告.pdf")}).status_code == 403
    assert client_for(agency_staff).post(url, {"file": upload("整改报告.pdf")}).status_code == 302
    att = services.hub.record_attachments(pending).get()
    download = f"/suggestions/{s.uuid}/attachments/{att.uuid}/"
    assert client_for(agency_head).get(download).status_code == 200
    assert client_for(court_clerk).get(download).status_code == 404  # a reply not yet sent stays inside
    services.reply_approve(reply=pending, by=agency_head)
    pending.refresh_from_db()
    att.refresh_from_db()
    assert att.letter == pending.letter and "整改报告" in render_letter_html(pending.letter)
    assert client_for(court_clerk).get(download).status_code == 200
    page = client_for(court_clerk).get(f"/suggestions/{s.uuid}/").content.decode()
    assert "整改报告.pdf" in page
    # Sent: no more files on it.
    late = client_for(agency_staff).post(url, {"file": upload("补充.pdf")}, follow=True)
    assert late.status_code == 200 and services.hub.record_attachments(pending).count() == 1


def test_the_api_lists_the_files_each_party_may_see(pending, agency_staff, court_clerk, api):
    s = pending.suggestion
    services.reply_attach(reply=pending, by=agency_staff, upload=upload("整改报告.pdf"))
    inside = api(agency_staff).get(f"/api/v1/suggestions/{s.uuid}/").json()["attachments"]
    assert [(a["name"], a["reply"]) for a in inside] == [("整改报告.pdf", str(pending.uuid))]
    assert api(court_clerk).get(f"/api/v1/suggestions/{s.uuid}/").json()["attachments"] == []
