"""Files chosen with the record they belong to: the draft form and the reply form take several
files in the same submission, saved with the record or not at all (a refused field or file leaves
no record, no attachment row and no file on disk), under the hub's upload rules (type, size, count)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison import services as hub
from liaison.models import Attachment
from suggestions import services
from suggestions.models import Reply, Suggestion

from ._view_helpers import CITY_AGENCY, client_for, draft
from .conftest import D
from .test_views_form import NEW, form_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="现场照片说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff):
    return make_suggestion(
        court_clerk, court_head, issued_on=D("2025-12-12"), received_on=D("2025-12-15"), receiver=agency_staff
    )


# ----------------------------------------------------------------------------- the draft form


def test_a_draft_is_saved_with_the_files_chosen_in_its_form(court_clerk, inst):
    page = client_for(court_clerk).get(NEW).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="file" multiple' in page
    data = form_data(inst[CITY_AGENCY], file=[pdf("说明一.pdf"), SimpleUploadedFile("现场.png", PNG)])
    response = client_for(court_clerk).post(NEW, data)
    assert response.status_code == 302
    s = Suggestion.objects.get(title=data["title"])
    assert sorted(a.name for a in hub.record_attachments(s)) == sorted(["说明一.pdf", "现场.png"])
    page = client_for(court_clerk).get(s.get_absolute_url()).content.decode()
    assert "说明一.pdf" in page and "现场.png" in page


def test_a_draft_refused_for_its_fields_keeps_none_of_its_files(court_clerk, inst):
    before = stored_files()
    response = client_for(court_clerk).post(NEW, form_data(inst[CITY_AGENCY], title="", file=[pdf()]))
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    assert not Suggestion.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == before


def test_one_refused_file_refuses_the_whole_submission_and_says_which(court_clerk, inst):
    before = stored_files()
    bad = SimpleUploadedFile("说明.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client_for(court_clerk).post(NEW, form_data(inst[CITY_AGENCY], title="", file=[pdf(), bad]))
    text = response.content.decode()
    assert response.status_code == 200 and "“说明.exe”" in text
    assert "请填写标题" in text or "标题" in text  # the field's error in the same round
    assert not Suggestion.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == before


def test_the_count_rule_counts_the_files_the_draft_already_has(court_clerk, agency_staff, settings):
    settings.ATTACHMENTS_MAX = 2
    s = draft(court_clerk, agency_staff.institution, files=[pdf("一.pdf")])
    assert hub.record_attachments(s).count() == 1
    url = f"/suggestions/{s.uuid}/edit/"
    data = form_data(agency_staff.institution, title="改过的标题", file=[pdf("二.pdf"), pdf("三.pdf")])
    response = client_for(court_clerk).post(url, data)
    assert response.status_code == 200 and "已有 1 个" in response.content.decode()
    s.refresh_from_db()
    assert s.title != "改过的标题" and hub.record_attachments(s).count() == 1  # neither the edit nor a file
    response = client_for(court_clerk).post(
        NEW, form_data(agency_staff.institution, file=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    )
    assert response.status_code == 200 and "最多 2 个" in response.content.decode()
    assert client_for(court_clerk).post(url, {**data, "file": [pdf("二.pdf")]}).status_code == 302
    s.refresh_from_db()
    assert s.title == "改过的标题" and hub.record_attachments(s).count() == 2


# ----------------------------------------------------------------------------- the reply form


def test_staff_reply_with_files_and_they_go_with_the_reply_letter(received, agency_staff, agency_head):
    url = f"/suggestions/{received.uuid}/reply/"
    assert 'type="file" name="file" multiple' in client_for(agency_staff).get(url).content.decode()
    response = client_for(agency_staff).post(url, {"measures": "已完善送达程序。", "file": [pdf("整改报告.pdf")]})
    assert response.status_code == 302
    reply = Reply.objects.get(suggestion=received)
    assert [a.name for a in hub.record_attachments(reply)] == ["整改报告.pdf"]
    services.reply_approve(reply=reply, by=agency_head)
    reply.refresh_from_db()
    assert [a.name for a in reply.letter.attachments.all()] == ["整改报告.pdf"]


def test_a_refused_file_leaves_no_reply(received, agency_staff):
    before = stored_files()
    bad = SimpleUploadedFile("整改报告.pdf", b"<html>", "application/pdf")
    response = client_for(agency_staff).post(
        f"/suggestions/{received.uuid}/reply/", {"measures": "已完善送达程序。", "file": [pdf("照片.pdf"), bad]}
    )
    assert response.status_code == 200 and "“整改报告.pdf”" in response.content.decode()
    assert not Reply.objects.exists() and not Attachment.objects.exists() and stored_files() == before


def test_a_head_chooses_the_files_where_the_reply_is_sent(received, agency_head):
    url = f"/suggestions/{received.uuid}/reply/"
    step = client_for(agency_head).post(url, {"measures": "已完善送达程序。"}).content.decode()
    assert 'type="file" name="file" multiple' in step and 'name="confirmed"' in step
    response = client_for(agency_head).post(
        url, {"measures": "已完善送达程序。", "confirmed": "1", "file": [pdf("整改报告.pdf")]}
    )
    assert response.status_code == 302
    reply = Reply.objects.get(suggestion=received)
    assert reply.status == Reply.Status.SENT
    assert [a.name for a in reply.letter.attachments.all()] == ["整改报告.pdf"]


def test_a_returned_reply_is_revised_with_more_files(received, agency_staff, agency_head):
    reply = services.suggestion_reply(suggestion=received, by=agency_staff, measures="已完善。", files=[pdf("一.pdf")])
    services.reply_return(reply=reply, by=agency_head, reason="请附整改照片。")
    url = f"/suggestions/{received.uuid}/replies/{reply.uuid}/edit/"
    png = SimpleUploadedFile("整改照片.png", PNG)
    assert client_for(agency_staff).post(url, {"measures": "已完善，附照片。", "file": [png]}).status_code == 302
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PENDING
    assert sorted(a.name for a in hub.record_attachments(reply)) == sorted(["一.pdf", "整改照片.png"])


def test_files_stored_in_a_write_that_rolls_back_are_deleted(court_clerk, agency_staff):
    before = stored_files()
    with pytest.raises(RuntimeError), hub.atomic_with_files():
        s = draft(court_clerk, agency_staff.institution, files=[pdf(), pdf("二.pdf")])
        assert len(stored_files() - before) == 2
        raise RuntimeError(s)
    assert stored_files() == before and not Attachment.objects.exists()


def test_a_head_whose_file_is_refused_at_sign_off_sends_nothing(received, agency_head):
    response = client_for(agency_head).post(
        f"/suggestions/{received.uuid}/reply/",
        {"measures": "已完善送达程序。", "confirmed": "1", "file": [SimpleUploadedFile("说明.exe", b"MZ\x90\x00")]},
    )
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    assert not Reply.objects.exists() and not Attachment.objects.exists()


# ----------------------------------------------------------------------------- on the record's page


def test_files_are_added_several_at_once_and_removed_on_the_drafts_page(
    court_clerk, agency_staff, django_capture_on_commit_callbacks
):
    s = draft(court_clerk, agency_staff.institution)
    client = client_for(court_clerk)
    added = client.post(f"/suggestions/{s.uuid}/attachments/", {"file": [pdf("一.pdf"), pdf("二.pdf")]}, follow=True)
    assert "已添加附件“一.pdf”、“二.pdf”" in added.content.decode() or "已添加附件“二.pdf”、“一.pdf”" in (
        added.content.decode()
    )
    one = hub.record_attachments(s).get(name="一.pdf")
    url = f"/suggestions/{s.uuid}/attachments/{one.uuid}/delete/"
    assert f'action="{url}"' in client.get(s.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 405
    path = Path(one.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert [a.name for a in hub.record_attachments(s)] == ["二.pdf"] and not path.exists()
    from liaison.models import AuditEntry

    assert AuditEntry.objects.filter(action="attachment.remove", target_id=s.pk).count() == 1
    assert client.post(url).status_code == 404  # gone
    empty = client.post(f"/suggestions/{s.uuid}/attachments/", {})
    assert empty.status_code == 200 and "请选择要上传的附件" in empty.content.decode()


def test_only_who_may_edit_removes_a_file(court_clerk, court_head, agency_staff, outsider_agency):
    from liaison.models import User

    s = draft(court_clerk, agency_staff.institution, files=[pdf()])
    att = hub.record_attachments(s).get()
    url = f"/suggestions/{s.uuid}/attachments/{att.uuid}/delete/"
    auditor = User.objects.create_user(
        "court_auditor", password="x", institution=court_clerk.institution, role="auditor"
    )
    assert client_for(agency_staff).post(url).status_code == 404  # a draft is the issuer's
    assert client_for(outsider_agency).post(url).status_code == 404
    assert client_for(auditor).post(url).status_code == 403
    services.suggestion_submit(suggestion=s, by=court_clerk)
    refused = client_for(court_clerk).post(url, follow=True)
    assert "只有草稿可以修改" in refused.content.decode()  # no longer editable: the conflict, on the record's page
    assert hub.record_attachments(s).count() == 1
    assert f"attachments/{att.uuid}/delete/" not in client_for(court_head).get(s.get_absolute_url()).content.decode()


def test_staff_remove_a_file_of_a_pending_reply(received, agency_staff, court_clerk, outsider_agency):
    reply = services.suggestion_reply(suggestion=received, by=agency_staff, measures="已完善。", files=[pdf()])
    att = hub.record_attachments(reply).get()
    url = f"/suggestions/{received.uuid}/replies/{reply.uuid}/attachments/{att.uuid}/delete/"
    assert f'action="{url}"' in client_for(agency_staff).get(received.get_absolute_url()).content.decode()
    assert client_for(outsider_agency).post(url).status_code == 404
    assert client_for(court_clerk).post(url).status_code == 403  # the issuer never edits a reply
    assert hub.record_attachments(reply).count() == 1
    assert client_for(agency_staff).post(url).status_code == 302
    assert not hub.record_attachments(reply).exists()


def test_removing_a_file_needs_the_csrf_token(court_clerk, agency_staff):
    s = draft(court_clerk, agency_staff.institution, files=[pdf()])
    att = hub.record_attachments(s).get()
    client = client_for(court_clerk, enforce_csrf_checks=True)
    assert client.post(f"/suggestions/{s.uuid}/attachments/{att.uuid}/delete/").status_code == 403
    assert hub.record_attachments(s).count() == 1
