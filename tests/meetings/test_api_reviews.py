"""The legal-review API (/api/v1/legal-reviews/, review-invitations/, review-opinions/): the whole
flow, every action's 404 (outsider) → 403 (role) → 409 (state) → 400 (body), lists and filters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from liaison.models import LedgerEntry
from meetings import reviews
from meetings.models import LegalReview, ReviewInvitation, ReviewOpinion

BASE = "/api/v1/legal-reviews/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, path, data=None):
    return client.post(path, data or {}, format="json")


def _pdf(name="草案.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def _create(world, city, draft=True):
    return reviews.review_create(
        by=world["gov_legal"],
        subject="normative",
        title="柳州市集体土地征收补偿安置办法",
        summary="重点论证补偿标准条款。",
        invitees=[city["court"], city["proc"]],
        draft=_pdf() if draft else None,
    )


def _invited(world, city):
    r = reviews.review_invite(review=_create(world, city), by=world["gov_head"])
    return r, {i.institution.kind: i for i in r.invitations.select_related("institution")}


def test_the_whole_review_through_the_api(api, world, city):
    gov, head = api(world["gov_legal"]), api(world["gov_head"])
    court, proc = api(world["court_clerk"]), api(world["proc_staff"])
    r = _post(
        gov,
        BASE,
        {
            "subject": "normative",
            "title": "柳州市集体土地征收补偿安置办法",
            "summary": "重点论证补偿标准条款。",
            "invitees": [str(city["court"].uuid), str(city["proc"].uuid)],
            "period": 10,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    uuid = body["uuid"]
    assert body["status"] == "draft" and body["allowed_actions"] == ["attach"]
    assert [i["institution"]["kind"] for i in body["invitations"]] == ["court", "procuratorate"]
    r = gov.post(f"{BASE}{uuid}/attach/", {"file": _pdf()}, format="multipart")
    assert r.status_code == 200, r.content
    assert [f["name"] for f in r.json()["draft_files"]] == ["草案.pdf"]
    assert head.get(f"{BASE}{uuid}/").json()["allowed_actions"] == ["attach", "invite"]
    r = _post(head, f"{BASE}{uuid}/invite/")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "invited" and r.json()["invitation_doc_number"]
    # each invitee acts on its own invitation; its due date is on its ledger
    detail = court.get(f"{BASE}{uuid}/").json()
    own = {i["institution"]["kind"]: i for i in detail["invitations"]}
    assert own["court"]["allowed_actions"] == ["opine"] and own["procuratorate"]["allowed_actions"] == []
    assert own["court"]["due_date"]
    inv_court, inv_proc = own["court"]["uuid"], own["procuratorate"]["uuid"]
    r = _post(
        court, f"/api/v1/review-invitations/{inv_court}/opine/", {"clause": "第十二条", "text": "补偿标准应明确。"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["allowed_actions"] == ["opine", "return-opinions"] and len(r.json()["opinions"]) == 1
    # not returned yet: the drafter does not see the court's opinion
    assert gov.get(f"/api/v1/review-invitations/{inv_court}/").json()["opinions"] == []
    r = _post(court, f"/api/v1/review-invitations/{inv_court}/return-opinions/")
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert LedgerEntry.objects.get(owner=city["court"]).status == LedgerEntry.Status.DONE
    # returning needs an opinion first (the table's condition, as on the page): then a general one may follow
    assert (
        _post(proc, f"/api/v1/review-invitations/{inv_proc}/return-opinions/", {"general": "同意"}).status_code == 409
    )
    assert _post(proc, f"/api/v1/review-invitations/{inv_proc}/opine/", {"text": "无意见"}).status_code == 200
    r = _post(proc, f"/api/v1/review-invitations/{inv_proc}/return-opinions/", {"general": "总体同意"})
    assert r.status_code == 200 and r.json()["general"] == "总体同意" and r.json()["opinions"][0]["text"] == "无意见"
    opinions = [o for i in gov.get(f"{BASE}{uuid}/").json()["invitations"] for o in i["opinions"]]
    assert [o["allowed_actions"] for o in opinions] == [["decide"], ["decide"]]
    r = _post(
        gov, f"/api/v1/review-opinions/{opinions[0]['uuid']}/decide/", {"adoption": "partly", "reason": "部分合理"}
    )
    assert r.status_code == 200 and r.json()["adoption"] == "partly" and r.json()["review"]["uuid"] == uuid
    r = _post(gov, f"/api/v1/review-opinions/{opinions[1]['uuid']}/decide/", {"adoption": "adopted"})
    assert r.status_code == 200
    r = _post(gov, f"{BASE}{uuid}/conclude/")
    assert r.status_code == 200 and r.json()["status"] == "concluded"
    assert r.json()["adoption_counts"] == {"adopted": 1, "partly": 1, "rejected": 0, "pending": 0}
    assert r.json()["adoption_table"].endswith("/adoption.pdf")
    r = _post(head, f"{BASE}{uuid}/issue/")
    assert r.status_code == 200 and r.json()["status"] == "issued" and r.json()["answer_doc_number"]
    # the court reads the answer; the adoption table page is the drafter's and the office's
    detail = court.get(f"{BASE}{uuid}/").json()
    assert detail["answer_letter"] and detail["adoption_table"] is None


def test_outsider_404_role_403_state_409_body_400(api, world, city):
    r, inv = _invited(world, city)
    opinion = reviews.opinion_add(invitation=inv["court"], by=world["court_clerk"], text="意见")
    url = f"{BASE}{r.uuid}/"
    env, agency = api(world["env_staff"]), api(world["agency_staff"])
    # outsiders: 404 for the review, its invitations and opinions, whatever the body
    for client in (env, agency):
        assert client.get(url).status_code == 404
        assert _post(client, url + "conclude/").status_code == 404
        assert _post(client, f"/api/v1/review-invitations/{inv['court'].uuid}/opine/", {"text": 1}).status_code == 404
        assert client.get(f"/api/v1/review-opinions/{opinion.uuid}/").status_code == 404
    # an invitee's opinion is its own until returned: the drafter gets 404 too
    assert api(world["gov_legal"]).get(f"/api/v1/review-opinions/{opinion.uuid}/").status_code == 404
    # visible, the wrong person: 403 before the state and the body
    assert _post(api(world["court_clerk"]), url + "conclude/").status_code == 403
    assert _post(api(world["gov_legal"]), url + "issue/").status_code == 403  # the head signs
    assert _post(api(world["auditor"]), url + "conclude/").status_code == 403
    assert _post(api(world["proc_staff"]), f"/api/v1/review-invitations/{inv['court'].uuid}/opine/").status_code == 403
    assert api(world["gov_legal"]).post(url + "attach/", {}, format="multipart").status_code == 409
    # the right person, the wrong state: 409 before the body
    assert _post(api(world["gov_head"]), url + "invite/").status_code == 409
    assert _post(api(world["gov_head"]), url + "issue/").status_code == 409
    assert _post(api(world["gov_legal"]), url + "conclude/").status_code == 409  # not all answered
    # the procuratorate has no opinion yet: returning nothing is refused (409), a bad body is 400
    assert (
        _post(
            api(world["proc_staff"]), f"/api/v1/review-invitations/{inv['procuratorate'].uuid}/return-opinions/"
        ).status_code
        == 409
    )
    r2 = _post(api(world["court_clerk"]), f"/api/v1/review-invitations/{inv['court'].uuid}/opine/", {"text": ""})
    assert r2.status_code == 400 and "text" in r2.json()
    r2 = _post(
        api(world["court_clerk"]),
        f"/api/v1/review-invitations/{inv['court'].uuid}/opine/",
        {"text": "x", "clause": "x" * 61},
    )
    assert r2.status_code == 400 and "clause" in r2.json()
    reviews.invitation_return(invitation=inv["court"], by=world["court_clerk"])
    decide = f"/api/v1/review-opinions/{opinion.uuid}/decide/"
    assert _post(api(world["court_clerk"]), decide, {"adoption": "adopted"}).status_code == 403
    r2 = _post(api(world["gov_legal"]), decide, {"adoption": "maybe"})
    assert r2.status_code == 400 and "adoption" in r2.json()
    r2 = _post(api(world["gov_legal"]), decide, {"adoption": "rejected", "reason": ""})
    assert r2.status_code == 400 and "reason" in r2.json()
    opinion.refresh_from_db()
    assert opinion.adoption == "" and ReviewOpinion.objects.filter(invitation=inv["court"]).count() == 1
    # a returned invitation: opine again is 409
    assert (
        _post(
            api(world["court_clerk"]), f"/api/v1/review-invitations/{inv['court'].uuid}/opine/", {"text": "再提"}
        ).status_code
        == 409
    )


def test_create_and_attach_field_errors(api, world, city):
    gov = api(world["gov_legal"])
    r = _post(gov, BASE, {"subject": "nope", "title": "", "summary": "x", "invitees": []})
    assert r.status_code == 400 and {"subject", "title", "invitees"} <= set(r.json())
    r = _post(gov, BASE, {"subject": "normative", "title": "x", "summary": "x", "invitees": [str(city["env"].uuid)]})
    assert r.status_code == 400 and "invitees" in r.json()  # a government agency is not invited to a review
    r = _post(
        gov,
        BASE,
        {"subject": "normative", "title": "x", "summary": "x", "invitees": [str(city["court"].uuid)], "period": 0},
    )
    assert r.status_code == 400 and "period" in r.json()
    assert _post(api(world["court_clerk"]), BASE, {"subject": "normative"}).status_code == 403
    assert LegalReview.objects.count() == 0
    review = _create(world, city, draft=False)
    r = gov.post(f"{BASE}{review.uuid}/attach/", {}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()
    r = gov.post(
        f"{BASE}{review.uuid}/attach/",
        {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/octet-stream")},
        format="multipart",
    )
    assert r.status_code == 400
    assert not review.invitation_letter.attachments.exists()


def test_list_filters_and_query_bound(api, world, city, django_assert_max_num_queries):
    _create(world, city, draft=False)
    _invited(world, city)
    gov, court = api(world["gov_legal"]), api(world["court_clerk"])
    with django_assert_max_num_queries(8):
        r = gov.get(BASE)
    assert r.status_code == 200 and r.json()["count"] == 2
    assert [x["status"] for x in r.json()["results"]] == ["invited", "draft"]  # newest first
    assert court.get(BASE).json()["count"] == 1  # the draft is the drafter's alone
    assert gov.get(BASE, {"status": "draft"}).json()["count"] == 1
    assert gov.get(BASE, {"q": "征收"}).json()["count"] == 2
    assert gov.get(BASE, {"government": str(city["court"].uuid)}).json()["count"] == 0
    assert gov.get(BASE, {"status": "nope"}).status_code == 400
    assert gov.get(BASE, {"page_size": "0"}).status_code == 400
    assert api(world["env_staff"]).get(BASE).json()["count"] == 0


@pytest.mark.parametrize("persona", ["office", "auditor"])
def test_the_office_sees_reviews_of_its_region_but_does_not_act(api, world, city, persona):
    r, _inv = _invited(world, city)
    body = api(world[persona]).get(f"{BASE}{r.uuid}/").json()
    assert body["allowed_actions"] == [] and all(i["allowed_actions"] == [] for i in body["invitations"])
    assert ReviewInvitation.objects.filter(review=r).count() == 2


def test_export_is_the_filtered_list_as_the_pages_workbook(api, world, city):
    _create(world, city, draft=False)
    _invited(world, city)
    gov = api(world["gov_legal"])
    r = gov.get(BASE + "export/", {"status": "invited"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["类别", "草案名称", "起草单位", "状态"] and rows[0][6] == "邀请单位数"
    assert len(rows) == 2 and rows[1][3] == "征求意见中" and rows[1][6] == 2
    assert gov.get(BASE + "export/", {"status": "nope"}).status_code == 400
    # an outsider's workbook has the headings only
    r = api(world["env_staff"]).get(BASE + "export/")
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).worksheets[0]
    assert sheet.max_row == 1
