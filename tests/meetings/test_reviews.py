"""Legal review (参与论证): the government's draft goes to the court and the procuratorate with an
invitation letter, each returns opinions (per clause where it chooses), the government answers
each one (采纳 / 部分采纳 / 不采纳 with a reason) and issues the answer letter with the adoption table."""

import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from liaison import access
from liaison import services as hub
from liaison.errors import Conflict
from liaison.models import LedgerEntry, Letter
from meetings import reviews
from meetings.models import LegalReview, ReviewInvitation, ReviewOpinion

LR, RI, AD = LegalReview.Status, ReviewInvitation.Status, ReviewOpinion.Adoption

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _draft(name="征地补偿办法（草案）.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _create(world, city, **kw):
    return reviews.review_create(
        by=world["gov_legal"],
        subject="normative",
        title="柳州市集体土地征收补偿安置办法",
        summary="规范集体土地征收补偿安置程序，重点论证补偿标准和强制执行衔接条款。",
        invitees=[city["court"], city["proc"]],
        period=10,
        draft=_draft(),
        **kw,
    )


def _invitations(r):
    return {i.institution.kind: i for i in r.invitations.select_related("institution")}


def _returned(world, city):
    r = _create(world, city)
    r = reviews.review_invite(review=r, by=world["gov_head"])
    inv = _invitations(r)
    reviews.opinion_add(
        invitation=inv["court"], by=world["court_clerk"], clause="第十二条", text="补偿标准应明确评估机构的选定程序。"
    )
    reviews.opinion_add(invitation=inv["court"], by=world["court_clerk"], text="建议增加争议解决条款。")
    reviews.invitation_return(invitation=inv["court"], by=world["court_clerk"])
    reviews.opinion_add(
        invitation=inv["procuratorate"],
        by=world["proc_staff"],
        clause="第二十条",
        text="强制执行应由法院裁定后组织实施。",
    )
    reviews.invitation_return(invitation=inv["procuratorate"], by=world["proc_staff"])
    return r


def test_review_flow_invitation_letter_opinions_adoption_answer_letter(world, city):
    r = _create(world, city)
    assert r.status == LR.DRAFT and r.invitation_letter.attachments.count() == 1
    # invitees do not see a draft review
    assert not access.visible(LegalReview.objects.all(), world["court_clerk"]).filter(pk=r.pk).exists()
    with pytest.raises(PermissionDenied):  # staff do not sign the invitation letter
        reviews.review_invite(review=r, by=world["gov_legal"])
    r = reviews.review_invite(review=r, by=world["gov_head"])
    assert r.status == LR.INVITED and r.invitation_letter.status == Letter.Status.ISSUED
    assert r.invitation_letter.doc_number and r.due_date
    inv = _invitations(r)
    from liaison import todo

    court_todo = [i for i in todo.items(world["court_clerk"]) if i.verb == "review_invitation.opine"]
    assert [i.obj.pk for i in court_todo] == [inv["court"].pk] and court_todo[0].due == r.due_date
    # each invitee's return is on its ledger, due in 10 working days from the letter
    entry = inv["court"].ledger_entry
    assert entry.owner == city["court"] and entry.due_date == r.due_date and entry.status == LedgerEntry.Status.OPEN
    with pytest.raises(Conflict):  # the invitee may not close it on the ledger
        hub.ledger_complete(entry=entry, by=world["court_clerk"], evidence="x")
    with pytest.raises(Conflict):  # nothing to return yet
        reviews.invitation_return(invitation=inv["court"], by=world["court_clerk"])
    with pytest.raises(PermissionDenied):  # the procuratorate does not speak for the court
        reviews.opinion_add(invitation=inv["court"], by=world["proc_staff"], text="x")
    o1 = reviews.opinion_add(
        invitation=inv["court"], by=world["court_clerk"], clause="第十二条", text="补偿标准应明确评估机构的选定程序。"
    )
    # an opinion not yet returned is the court's own: the government does not see it
    assert not access.visible(ReviewOpinion.objects.all(), world["gov_legal"]).filter(pk=o1.pk).exists()
    with pytest.raises(Conflict):  # the government answers only returned opinions
        reviews.opinion_decide(opinion=o1, by=world["gov_legal"], adoption=AD.ADOPTED)
    reviews.invitation_return(invitation=inv["court"], by=world["court_clerk"])
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.DONE
    assert access.visible(ReviewOpinion.objects.all(), world["gov_legal"]).filter(pk=o1.pk).exists()
    reviews.invitation_return(invitation=inv["procuratorate"], by=world["proc_staff"], general="无意见。")
    with pytest.raises(Conflict):  # opinions still unanswered
        reviews.review_conclude(review=r, by=world["gov_legal"])
    with pytest.raises(ValidationError):  # 不采纳 needs its reason
        reviews.opinion_decide(opinion=o1, by=world["gov_legal"], adoption=AD.REJECTED, reason="")
    with pytest.raises(PermissionDenied):
        reviews.opinion_decide(opinion=o1, by=world["court_clerk"], adoption=AD.ADOPTED)
    reviews.opinion_decide(
        opinion=o1, by=world["gov_legal"], adoption=AD.PARTLY, reason="评估机构由被征收人协商选定，已补充。"
    )
    general = ReviewOpinion.objects.get(invitation=inv["procuratorate"])
    assert general.text == "无意见。"
    reviews.opinion_decide(opinion=general, by=world["gov_legal"], adoption=AD.ADOPTED)
    r = reviews.review_conclude(review=r, by=world["gov_legal"])
    assert r.status == LR.CONCLUDED and r.answer_letter.status == Letter.Status.PENDING
    att = r.answer_letter.attachments.get()
    assert att.name.endswith("论证意见采纳情况表.pdf") and att.content_type == "application/pdf"
    assert "部分采纳1条" in r.answer_letter.body
    with pytest.raises(Conflict):  # answered: no more changes to the adoption
        reviews.opinion_decide(opinion=o1, by=world["gov_legal"], adoption=AD.ADOPTED)
    r = reviews.review_issue(review=r, by=world["gov_head"])
    assert r.status == LR.ISSUED and r.answer_letter.status == Letter.Status.ISSUED
    assert {d.recipient for d in r.answer_letter.deliveries.all()} == {city["court"], city["proc"]}


def test_adoption_table_pdf_text(world, city):
    r = _returned(world, city)
    for o in ReviewOpinion.objects.filter(invitation__review=r):
        reviews.opinion_decide(opinion=o, by=world["gov_legal"], adoption=AD.REJECTED, reason=f"理由{o.position}")
    pdf = reviews.AdoptionTablePdf(r).render()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = text.decode()
    assert "论证意见采纳情况表" in text and "第十二条" in text and "第二十条" in text
    assert "不采纳 3 条" in text.replace("\u3000", " ")


def test_create_checks_invitees_and_period(world, city):
    with pytest.raises(ValidationError) as exc:
        reviews.review_create(
            by=world["gov_legal"], subject="decision", title="x", summary="y", invitees=[city["agency"]], period=10
        )
    assert "invitees" in exc.value.message_dict
    with pytest.raises(ValidationError):
        reviews.review_create(
            by=world["gov_legal"], subject="decision", title="x", summary="y", invitees=[city["court"]], period=0
        )
    with pytest.raises(PermissionDenied):  # the court does not draft normative documents
        reviews.review_create(
            by=world["court_clerk"], subject="decision", title="x", summary="y", invitees=[city["proc"]]
        )
    assert not LegalReview.objects.exists()


def test_draft_upload_follows_the_hub_rules(world, city):
    with pytest.raises(ValidationError):  # a PDF's bytes under an .exe name: refused, nothing saved
        _create_with(world, city, SimpleUploadedFile("草案.exe", PDF_BYTES))
    assert not LegalReview.objects.exists()
    r = _create_with(world, city, None)
    with pytest.raises(Conflict):  # no draft yet: the invitation letter waits
        reviews.review_invite(review=r, by=world["gov_head"])


def _create_with(world, city, upload):
    return reviews.review_create(
        by=world["gov_legal"],
        subject="decision",
        title="关于调整城区停车收费标准的决定",
        summary="说明",
        invitees=[city["court"]],
        draft=upload,
    )


def test_pages_flow_and_refusals(world, city):
    gov, head = _client(world["gov_legal"]), _client(world["gov_head"])
    r = gov.post(
        "/meetings/reviews/new/",
        {
            "subject": "normative",
            "title": "柳州市城市道路占用挖掘管理办法",
            "summary": "重点论证第八条处罚条款。",
            "invitees": [city["court"].pk, city["proc"].pk],
            "period": "10",
            "draft": _draft("道路占用挖掘管理办法（草案）.pdf"),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    review = LegalReview.objects.get()
    page = gov.get(r["Location"]).content.decode()
    assert "道路占用挖掘管理办法（草案）.pdf" in page and 'data-verb="legal_review.invite"' not in page
    assert 'data-verb="legal_review.invite"' in head.get(r["Location"]).content.decode()
    court = _client(world["court_clerk"])
    assert court.get(f"/meetings/reviews/{review.uuid}/").status_code == 404  # not yet invited
    assert head.post(f"/meetings/reviews/{review.uuid}/invite/").status_code == 302
    inv = _invitations(review)
    page = court.get(f"/meetings/reviews/{review.uuid}/").content.decode()
    assert 'data-verb="review_invitation.opine"' in page
    r = court.post(f"/meetings/reviews/invitations/{inv['court'].uuid}/opine/", {"clause": "第八条", "text": ""})
    assert r.status_code == 200 and "意见" in r.content.decode()  # the error beside the field, nothing saved
    assert not ReviewOpinion.objects.exists()
    court.post(
        f"/meetings/reviews/invitations/{inv['court'].uuid}/opine/", {"clause": "第八条", "text": "罚款幅度过大。"}
    )
    assert court.post(f"/meetings/reviews/invitations/{inv['court'].uuid}/return/", {"general": ""}).status_code == 302
    o = ReviewOpinion.objects.get()
    # outsiders: 404 on every page of the review; the court: 403 on the government's actions
    env = _client(world["env_staff"])
    for path in (
        f"/meetings/reviews/{review.uuid}/",
        f"/meetings/reviews/{review.uuid}/conclude/",
        f"/meetings/reviews/{review.uuid}/adoption.pdf",
        f"/meetings/reviews/invitations/{inv['court'].uuid}/opine/",
        f"/meetings/reviews/opinions/{o.uuid}/decide/",
    ):
        assert env.get(path).status_code == 404, path
    assert court.get(f"/meetings/reviews/opinions/{o.uuid}/decide/").status_code == 403
    assert court.get(f"/meetings/reviews/{review.uuid}/adoption.pdf").status_code == 403
    assert court.get(f"/meetings/reviews/{review.uuid}/issue/").status_code == 403
    r = gov.post(f"/meetings/reviews/opinions/{o.uuid}/decide/", {"adoption": "rejected", "reason": ""})
    assert r.status_code == 200 and "理由" in r.content.decode()
    gov.post(f"/meetings/reviews/opinions/{o.uuid}/decide/", {"adoption": "partly", "reason": "幅度按上位法下限调整。"})
    # the procuratorate has not returned: conclude is refused with the reason on the record's page
    r = gov.post(f"/meetings/reviews/{review.uuid}/conclude/")
    assert r.status_code == 302 and r["Location"].endswith(f"/meetings/reviews/{review.uuid}/")
    review.refresh_from_db()
    assert review.status == LR.INVITED
    pdf = gov.get(f"/meetings/reviews/{review.uuid}/adoption.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    export = gov.get("/meetings/reviews/?export=1")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert rows[1][1] == "柳州市城市道路占用挖掘管理办法"
    assert "柳州市城市道路占用挖掘管理办法" not in env.get("/meetings/reviews/").content.decode()


def test_the_review_list_reads_overdue_first(world, city, api):
    """Invited reviews by their opinions' deadline (the overdue one first), then drafts, then answered ones."""
    import datetime as dt

    from django.utils import timezone

    from meetings.models import LegalReview

    made = {}
    for title in ("已逾期", "十天后截止", "起草中", "已反馈"):  # by creation the answered one is newest
        made[title] = _create(world, city)
        LegalReview.objects.filter(pk=made[title].pk).update(title=title)
    today = timezone.localdate()
    LegalReview.objects.filter(pk=made["已反馈"].pk).update(status="issued", due_date=today - dt.timedelta(days=30))
    for title, days in (("十天后截止", 10), ("已逾期", -3)):
        LegalReview.objects.filter(pk=made[title].pk).update(status="invited", due_date=today + dt.timedelta(days=days))
    expected = ["已逾期", "十天后截止", "起草中", "已反馈"]
    page = _client(world["gov_legal"]).get("/meetings/reviews/")
    assert [r.title for r in page.context["page"].object_list] == expected
    assert [r["title"] for r in api(world["gov_legal"]).get("/api/v1/legal-reviews/").json()["results"]] == expected
    newest = _client(world["gov_legal"]).get("/meetings/reviews/", {"sort": "-created"}).context["page"].object_list
    assert [r.title for r in newest] == expected[::-1]  # a column the user sorts by still wins
