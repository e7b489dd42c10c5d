"""收文/发文 pages: who sees what, who may do what, bad input, CSRF, query budgets, exports."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from liaison import services
from liaison.models import Attachment, Letter

from ._view_helpers import bulk_letters, client_for, draft_letter, issued_letter


@pytest.fixture
def letter(court_clerk, court_head, agency_staff, gov_legal):
    """Issued by the intermediate court to the 城管局, cc the city government."""
    return issued_letter(court_clerk, court_head, [agency_staff.institution], [gov_legal.institution])


@pytest.fixture
def draft(court_clerk, agency_staff):
    return draft_letter(court_clerk, [agency_staff.institution], title="待修改的草稿")


def detail_url(letter, suffix=""):
    return f"/letters/{letter.uuid}/{suffix}"


# ----------------------------------------------------------------------------- lists


def test_outbox_lists_my_institutions_letters_in_every_status(court_clerk, letter, draft, proc_staff, agency_staff):
    other = draft_letter(proc_staff, [agency_staff.institution], title="检察院的草稿")
    body = client_for(court_clerk).get("/letters/outbox/").content.decode()
    assert letter.doc_number in body and draft.title in body
    assert other.title not in body
    assert "草稿" in body and "已发出" in body


def test_outbox_filters_by_status_and_keyword(court_clerk, letter, draft):
    client = client_for(court_clerk)
    body = client.get("/letters/outbox/?status=draft").content.decode()
    assert draft.title in body and letter.title not in body
    body = client.get("/letters/outbox/", {"q": "待修改"}).content.decode()
    assert draft.title in body and letter.title not in body
    assert client.get("/letters/outbox/?year=abc&status=nonsense").status_code == 200


def test_inbox_lists_deliveries_and_filters_signed(agency_staff, letter, court_clerk, court_head):
    second = issued_letter(court_clerk, court_head, [agency_staff.institution], title="第二份来文")
    services.delivery_sign(delivery=second.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    client = client_for(agency_staff)
    body = client.get("/letters/inbox/").content.decode()
    assert letter.title in body and second.title in body
    body = client.get("/letters/inbox/?signed=no").content.decode()
    assert letter.title in body and second.title not in body
    body = client.get("/letters/inbox/?signed=yes").content.decode()
    assert second.title in body and letter.title not in body


def test_inbox_never_shows_drafts_or_other_institutions_mail(agency_staff, outsider_agency, letter, court_clerk):
    draft_letter(court_clerk, [agency_staff.institution], title="尚未签发的草稿")
    assert "尚未签发的草稿" not in client_for(agency_staff).get("/letters/inbox/").content.decode()
    assert letter.title not in client_for(outsider_agency).get("/letters/inbox/").content.decode()


def test_inbox_holds_exactly_the_deliveries_of_letters_the_viewer_sees(world, court_clerk, court_head, office):
    """`access.delivered_to` (deliveries to me, unissued letters of other issuers left out) equals
    deliveries to my institution of `Letter.visible_to(me)`, for every persona: drafts and pending
    letters addressed to others and to the issuer itself, issued ones, letters from the office."""
    from liaison import selectors
    from liaison.models import Delivery

    users = list(world.values())
    everyone = sorted({u.institution for u in users if u.institution_id}, key=lambda i: i.pk)
    issued_letter(court_clerk, court_head, everyone, title="签发给所有机关")
    draft_letter(court_clerk, everyone, title="法院草稿")
    pending = draft_letter(
        court_clerk,
        [i for i in everyone[:3] if i != court_clerk.institution] + [court_clerk.institution],
        title="法院待签发",
    )
    services.letter_submit(letter=pending, by=court_clerk)
    draft_letter(office, everyone, title="办公室草稿")
    seen = 0
    for user in users:
        expected = set(
            Delivery.objects.filter(
                recipient_id=user.institution_id, letter__in=Letter.objects.visible_to(user)
            ).values_list("pk", flat=True)
        )
        assert set(selectors.inbox(user).values_list("pk", flat=True)) == expected, user.username
        seen += len(expected)
    assert seen > 0


def test_empty_inbox_says_what_happens_next(outsider_agency):
    body = client_for(outsider_agency).get("/letters/inbox/").content.decode()
    assert "暂无来文" in body


@pytest.mark.parametrize("rows", [10, 200])
def test_outbox_query_count_is_constant(court_clerk, agency_staff, rows, django_assert_max_num_queries):
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, rows)
    client = client_for(court_clerk)
    with django_assert_max_num_queries(8):
        response = client.get("/letters/outbox/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 200])
def test_inbox_query_count_is_constant(court_clerk, agency_staff, rows, django_assert_max_num_queries):
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, rows)
    client = client_for(agency_staff)
    with django_assert_max_num_queries(8):
        response = client.get("/letters/inbox/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_inbox_export_holds_exactly_the_filtered_rows(agency_staff, court_clerk, court_head, letter):
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, 60, prefix="月报")
    response = client_for(agency_staff).get("/letters/inbox/export/?q=月报")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == 60 and all(t.startswith("月报") for t in titles)
    assert letter.title not in titles


def test_outbox_export_holds_exactly_the_filtered_rows(court_clerk, letter, draft):
    response = client_for(court_clerk).get("/letters/outbox/export/?status=draft")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [draft.title]


# ----------------------------------------------------------------------------- detail


def test_detail_renders_for_issuer_recipient_and_cc(letter, court_clerk, agency_staff, gov_legal, office):
    for user in (court_clerk, agency_staff, gov_legal, office):
        response = client_for(user).get(detail_url(letter))
        assert response.status_code == 200, user
        assert letter.doc_number in response.content.decode()


def test_detail_of_another_institutions_letter_is_404(letter, draft, outsider_agency, agency_staff):
    assert client_for(outsider_agency).get(detail_url(letter)).status_code == 404
    # A recipient does not see the issuer's drafts.
    assert client_for(agency_staff).get(detail_url(draft)).status_code == 404
    assert client_for(agency_staff).get("/letters/not-a-uuid/").status_code == 404


def test_issuer_sees_every_recipients_receipt_recipient_only_its_own(letter, court_clerk, agency_staff, gov_legal):
    services.delivery_sign(delivery=letter.deliveries.get(recipient=gov_legal.institution), by=gov_legal)
    issuer_page = client_for(court_clerk).get(detail_url(letter)).content.decode()
    assert "送达与签收" in issuer_page and gov_legal.display_name in issuer_page
    recipient_page = client_for(agency_staff).get(detail_url(letter))
    deliveries = recipient_page.context["deliveries"]
    assert [d.recipient_id for d in deliveries] == [agency_staff.institution_id]
    assert gov_legal.display_name not in recipient_page.content.decode()


def test_recipients_do_not_see_the_issuers_internal_return_reason(court_clerk, court_head, agency_staff):
    letter = draft_letter(court_clerk, [agency_staff.institution])
    services.letter_submit(letter=letter, by=court_clerk)
    services.letter_return(letter=letter, by=court_head, reason="内部意见：措辞过硬")
    services.letter_submit(letter=letter, by=court_clerk)
    services.letter_issue(letter=letter, by=court_head)
    assert "内部意见" in client_for(court_clerk).get(detail_url(letter)).content.decode()
    assert "内部意见" not in client_for(agency_staff).get(detail_url(letter)).content.decode()


def test_detail_shows_only_the_actions_this_user_may_take(letter, draft, court_clerk, court_head, agency_staff):
    def verbs(user, obj):
        return set(re.findall(r'data-verb="([^"]+)"', client_for(user).get(detail_url(obj)).content.decode()))

    assert verbs(agency_staff, letter) == {"delivery.sign"}
    assert verbs(court_clerk, draft) == {"letter.edit", "letter.submit"}
    services.letter_submit(letter=draft, by=court_clerk)
    assert verbs(court_head, draft) == {"letter.issue", "letter.return"}


def test_pdf_link_says_generating_until_the_pdf_is_stored(letter, agency_staff):
    client = client_for(agency_staff)
    assert "PDF 生成中" in client.get(detail_url(letter)).content.decode()
    response = client.get(detail_url(letter, "pdf/"))
    assert response.status_code == 302
    services.store_letter_pdf(letter_id=letter.pk, pdf_bytes=b"%PDF-1.4 test")
    response = client.get(detail_url(letter, "pdf/"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_outsider_cannot_fetch_the_pdf(letter, outsider_agency):
    services.store_letter_pdf(letter_id=letter.pk, pdf_bytes=b"%PDF-1.4 test")
    assert client_for(outsider_agency).get(detail_url(letter, "pdf/")).status_code == 404


# ----------------------------------------------------------------------------- drafting


def test_new_letter_form_renders_and_creates_a_draft(court_clerk, agency_staff, gov_legal):
    client = client_for(court_clerk)
    assert client.get("/letters/new/").status_code == 200
    response = client.post(
        "/letters/new/",
        {
            "series": "han",
            "title": "关于商请协助送达的函",
            "body": "正文",
            "addressees": [str(agency_staff.institution.uuid)],
            "cc": [str(gov_legal.institution.uuid)],
            "urgency": "",
        },
    )
    letter = Letter.objects.get(title="关于商请协助送达的函")
    assert response.status_code == 302 and response.url == f"/letters/{letter.uuid}/"
    assert letter.status == Letter.Status.DRAFT and letter.issuer == court_clerk.institution
    assert {d.recipient_id: d.kind for d in letter.deliveries.all()} == {
        agency_staff.institution_id: "to",
        gov_legal.institution_id: "cc",
    }


def test_new_letter_with_bad_input_shows_errors_keeps_input_and_saves_nothing(court_clerk, agency_staff):
    before = Letter.objects.count()
    response = client_for(court_clerk).post(
        "/letters/new/",
        {
            "series": "han",
            "title": "",
            "body": "保留的正文",
            "addressees": [],
            "cc": [str(agency_staff.institution.uuid)],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请修改以下问题后再提交" in body
    assert "请至少选择一个主送机关。" in body
    assert "保留的正文" in body
    assert Letter.objects.count() == before


def test_same_institution_as_addressee_and_cc_is_refused(court_clerk, agency_staff):
    uuid = str(agency_staff.institution.uuid)
    response = client_for(court_clerk).post(
        "/letters/new/", {"series": "han", "title": "标题", "body": "正文", "addressees": [uuid], "cc": [uuid]}
    )
    assert response.status_code == 200
    assert "同一机关不能既是主送又是抄送。" in response.content.decode()
    assert not Letter.objects.filter(title="标题").exists()


def test_auditor_may_not_draft_letters(auditor):
    assert client_for(auditor).get("/letters/new/").status_code == 403
    assert client_for(auditor).post("/letters/new/", {"title": "x"}).status_code == 403


def test_edit_draft_saves_and_issued_letter_is_not_editable(court_clerk, draft, letter, agency_staff):
    client = client_for(court_clerk)
    assert client.get(detail_url(draft, "edit/")).status_code == 200
    response = client.post(
        detail_url(draft, "edit/"),
        {"series": "han", "title": "改后的标题", "body": "新正文", "addressees": [str(agency_staff.institution.uuid)]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改后的标题"
    response = client.get(detail_url(letter, "edit/"), follow=True)
    assert "公文当前状态为“已发出”，不能执行此操作。" in response.content.decode()


def test_other_institution_cannot_edit_a_draft(draft, proc_staff):
    assert client_for(proc_staff).get(detail_url(draft, "edit/")).status_code == 404


# ----------------------------------------------------------------------------- transitions


def test_submit_then_head_issues_after_confirmation(court_clerk, court_head, draft):
    assert client_for(court_clerk).post(detail_url(draft, "submit/")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING
    head = client_for(court_head)
    confirm = head.get(detail_url(draft, "issue/"))
    assert confirm.status_code == 200 and "签发后的公文不能再修改" in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING  # the GET changed nothing
    response = head.post(detail_url(draft, "issue/"), {"issued_on": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Letter.Status.ISSUED and draft.doc_number


def test_staff_may_not_issue(court_clerk, draft):
    services.letter_submit(letter=draft, by=court_clerk)
    client = client_for(court_clerk)
    assert client.get(detail_url(draft, "issue/")).status_code == 403
    assert client.post(detail_url(draft, "issue/")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING


def test_issue_with_future_date_shows_the_error_and_issues_nothing(court_clerk, court_head, draft):
    services.letter_submit(letter=draft, by=court_clerk)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(court_head).post(detail_url(draft, "issue/"), {"issued_on": tomorrow})
    assert response.status_code == 200
    assert "成文日期不能晚于今天。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING and draft.doc_number is None


def test_issuing_a_draft_twice_is_a_message_not_an_error(court_head, letter):
    response = client_for(court_head).post(detail_url(letter, "issue/"), follow=True)
    assert response.status_code == 200
    assert "公文当前状态为“已发出”，不能执行此操作。" in response.content.decode()


def test_submit_of_an_already_submitted_letter_is_a_message(court_clerk, draft):
    client = client_for(court_clerk)
    client.post(detail_url(draft, "submit/"))
    response = client.post(detail_url(draft, "submit/"), follow=True)
    assert response.status_code == 200
    assert "不能执行此操作" in response.content.decode()


def test_return_needs_a_reason(court_clerk, court_head, draft):
    services.letter_submit(letter=draft, by=court_clerk)
    client = client_for(court_head)
    response = client.post(detail_url(draft, "return/"), {"reason": "  "})
    assert response.status_code == 200
    assert "请修改以下问题后再提交" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING
    client.post(detail_url(draft, "return/"), {"reason": "请补充事实依据"})
    draft.refresh_from_db()
    assert draft.status == Letter.Status.DRAFT


def test_staff_may_not_return(court_clerk, draft):
    services.letter_submit(letter=draft, by=court_clerk)
    assert client_for(court_clerk).post(detail_url(draft, "return/"), {"reason": "x"}).status_code == 403


def test_sign_for_with_confirmation_and_paper_date(agency_staff, letter):
    client = client_for(agency_staff)
    confirm = client.get(detail_url(letter, "sign/"))
    assert confirm.status_code == 200 and "签收后不能撤销" in confirm.content.decode()
    response = client.post(detail_url(letter, "sign/"), {"signed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    delivery = letter.deliveries.get(recipient=agency_staff.institution)
    assert delivery.signed_on == timezone.localdate() and delivery.signed_by == agency_staff
    again = client.post(detail_url(letter, "sign/"), follow=True)
    assert again.status_code == 200 and "签收" in again.content.decode()


def test_sign_for_with_future_date_is_refused_beside_the_field(agency_staff, letter):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(agency_staff).post(detail_url(letter, "sign/"), {"signed_on": tomorrow})
    assert response.status_code == 200
    assert "签收日期不能晚于今天。" in response.content.decode()
    assert letter.deliveries.get(recipient=agency_staff.institution).signed_on is None


def test_sign_for_is_404_for_outsiders_and_403_for_the_issuer_and_auditors(letter, outsider_agency, court_clerk):
    assert client_for(outsider_agency).post(detail_url(letter, "sign/")).status_code == 404
    assert client_for(court_clerk).post(detail_url(letter, "sign/")).status_code == 403


def test_mark_read_after_signing(agency_staff, letter):
    client = client_for(agency_staff)
    client.post(detail_url(letter, "read/"), follow=True)
    assert letter.deliveries.get(recipient=agency_staff.institution).read_at is None
    client.post(detail_url(letter, "sign/"))
    client.post(detail_url(letter, "read/"))
    assert letter.deliveries.get(recipient=agency_staff.institution).read_at is not None


def test_actions_refuse_posts_without_csrf_token(court_clerk, agency_staff, draft, letter):
    clerk = client_for(court_clerk, enforce_csrf_checks=True)
    assert clerk.post(detail_url(draft, "submit/")).status_code == 403
    recipient = client_for(agency_staff, enforce_csrf_checks=True)
    assert recipient.post(detail_url(letter, "sign/")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Letter.Status.DRAFT
    assert letter.deliveries.get(recipient=agency_staff.institution).signed_on is None


# ----------------------------------------------------------------------------- attachments


def test_attachment_upload_and_download(court_clerk, draft, agency_staff):
    client = client_for(court_clerk)
    upload = SimpleUploadedFile("附件一 情况说明.pdf", b"%PDF-1.4 content", content_type="application/pdf")
    response = client.post(detail_url(draft, "attachments/"), {"file": upload})
    assert response.status_code == 302
    attachment = draft.attachments.get()
    response = client.get(detail_url(draft, f"attachments/{attachment.uuid}/"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E9%99%84%E4%BB%B6%E4%B8%80%20%E6%83%85%E5%86%B5%E8%AF%B4%E6%98%8E.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 content"


def test_rejected_upload_shows_the_reason_and_leaves_no_row(court_clerk, draft):
    upload = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    response = client_for(court_clerk).post(detail_url(draft, "attachments/"), {"file": upload})
    assert response.status_code == 200
    assert "只接受 PDF" in response.content.decode()
    assert not Attachment.objects.filter(letter=draft).exists()


def test_outsider_cannot_download_an_attachment(court_clerk, court_head, agency_staff, outsider_agency):
    letter = draft_letter(court_clerk, [agency_staff.institution])
    attachment = services.attachment_add(
        letter=letter, by=court_clerk, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    )
    services.letter_submit(letter=letter, by=court_clerk)
    services.letter_issue(letter=letter, by=court_head)
    url = detail_url(letter, f"attachments/{attachment.uuid}/")
    assert client_for(agency_staff).get(url).status_code == 200
    assert client_for(outsider_agency).get(url).status_code == 404


def test_attachment_of_another_letter_is_404_through_this_letters_url(court_clerk, draft, letter):
    attachment = services.attachment_add(
        letter=draft, by=court_clerk, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    )
    assert client_for(court_clerk).get(detail_url(letter, f"attachments/{attachment.uuid}/")).status_code == 404


def test_office_auditor_reads_issued_letters_but_may_not_upload(auditor, draft, letter):
    client = client_for(auditor)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(detail_url(draft, "attachments/"), {"file": upload}).status_code == 404  # drafts stay in-house
    assert client.get(detail_url(letter)).status_code == 200
    assert client.post(detail_url(letter, "attachments/"), {"file": upload}).status_code == 403
    assert not Attachment.objects.filter(letter=letter).exists()


# ----------------------------------------------------------------------------- sharing


def test_issuer_shares_and_unshares_with_another_institution(court_clerk, letter, outsider_agency):
    client = client_for(court_clerk)
    outsider = client_for(outsider_agency)
    assert outsider.get(detail_url(letter)).status_code == 404
    response = client.post(detail_url(letter, "share/"), {"institution": str(outsider_agency.institution.uuid)})
    assert response.status_code == 302
    assert outsider.get(detail_url(letter)).status_code == 200
    client.post(detail_url(letter, "unshare/"), {"institution": str(outsider_agency.institution.uuid)})
    assert outsider.get(detail_url(letter)).status_code == 404


def test_recipient_may_not_share(agency_staff, letter, outsider_agency):
    response = client_for(agency_staff).post(
        detail_url(letter, "share/"), {"institution": str(outsider_agency.institution.uuid)}
    )
    assert response.status_code == 403
    assert client_for(outsider_agency).get(detail_url(letter)).status_code == 404


def test_share_with_unknown_institution_is_a_form_error(court_clerk, letter):
    response = client_for(court_clerk).post(detail_url(letter, "share/"), {"institution": "not-a-uuid"})
    assert response.status_code == 200
    assert "请修改以下问题后再提交" in response.content.decode()
