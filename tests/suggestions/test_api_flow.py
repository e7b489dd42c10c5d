"""/api/v1/suggestions/: the whole journey through the API, each step by the right persona."""

import datetime as dt

from django.utils import timezone

from liaison.models import AuditEntry, LedgerEntry, Letter
from suggestions import services
from suggestions.models import Reply, Suggestion

from ._api_helpers import CITY_AGENCY, URL, detail, payload, post
from .conftest import D


def test_clerk_drafts_head_issues_agency_replies_and_clerk_evaluates(
    api, court_clerk, court_head, agency_staff, agency_head, gov_legal, inst
):
    clerk, head, staff, agency_chief = api(court_clerk), api(court_head), api(agency_staff), api(agency_head)
    government = inst["柳州市人民政府"]

    response = clerk.post(
        URL, payload(inst[CITY_AGENCY], cc=[str(government.uuid)], reply_period=30, reply_unit="days"), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["kind"], data["doc_number"]) == ("draft", "judicial", None)
    assert data["issuer"]["uuid"] == str(court_clerk.institution.uuid)
    assert [c["uuid"] for c in data["cc"]] == [str(government.uuid)]
    assert (data["reply_period"], data["reply_unit"]) == (30, "days")
    assert data["allowed_actions"] == ["edit", "submit"]
    s = Suggestion.objects.get(uuid=data["uuid"])
    assert api(agency_staff).get(detail(s)).status_code == 404  # a draft stays inside the court

    assert post(clerk, detail(s, "submit")).json()["status"] == "submitted"
    assert head.get(detail(s)).json()["allowed_actions"] == ["approve", "return", "withdraw"]
    assert post(head, detail(s, "approve")).json()["status"] == "approved"

    response = post(head, detail(s, "issue"))
    assert response.status_code == 200, response.content
    data = response.json()
    year = timezone.localdate().year
    assert data["status"] == "issued" and data["doc_number"].startswith(f"柳中法建〔{year}〕")
    assert data["letter"] == str(Letter.objects.get(doc_number=data["doc_number"]).uuid)
    assert data["issued_on"] == timezone.localdate().isoformat()

    seen = staff.get(detail(s)).json()
    assert seen["allowed_actions"] == ["receive"]
    assert api(gov_legal).get(detail(s)).json()["allowed_actions"] == []  # cc'd: reads only

    response = post(staff, detail(s, "receive"))
    assert response.status_code == 200, response.content
    data = response.json()
    today = timezone.localdate()
    assert data["status"] == "received" and data["received_on"] == today.isoformat()
    assert data["reply_due"] >= (today + dt.timedelta(days=30)).isoformat()
    assert data["reply_due_explained"].startswith(f"签收 {today.isoformat()} + 30日")
    assert set(data["allowed_actions"]) == {"reply", "request-extension"}
    assert LedgerEntry.objects.get(owner=agency_staff.institution, source_id=s.pk).status == "open"

    response = post(staff, detail(s, "reply"), {"measures": "已完善送达程序，组织执法人员培训。"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "received"
    [pending] = data["replies"]
    assert (pending["round"], pending["status"], pending["letter"]) == (1, "pending", None)
    # The issuer does not see a reply before the agency's head signs it off.
    assert clerk.get(detail(s)).json()["replies"] == []
    assert "approve-reply" in agency_chief.get(detail(s)).json()["allowed_actions"]

    response = post(agency_chief, detail(s, "approve-reply"), {"reply": pending["uuid"]})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "replied" and data["replied_on"] == today.isoformat()
    [sent] = data["replies"]
    assert sent["status"] == "sent" and sent["doc_number"].startswith(f"柳城管复〔{year}〕")
    assert sent["letter"] == str(Reply.objects.get().letter.uuid)
    assert clerk.get(detail(s)).json()["replies"][0]["measures"] == "已完善送达程序，组织执法人员培训。"
    assert LedgerEntry.objects.get(owner=agency_staff.institution, source_id=s.pk).status == "done"

    assert clerk.get(detail(s)).json()["allowed_actions"] == ["evaluate"]
    response = post(clerk, detail(s, "evaluate"), {"evaluation": "adopted"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["evaluation"], data["evaluation_display"]) == ("evaluated", "adopted", "采纳")
    assert data["evaluated_on"] == today.isoformat()
    actions = set(
        AuditEntry.objects.filter(target_id=s.pk, target_type__model="suggestion").values_list("action", flat=True)
    )
    assert {
        "suggestion.create",
        "suggestion.submit",
        "suggestion.approve",
        "suggestion.issue",
        "suggestion.receive",
        "suggestion.reply",
        "suggestion.reply_sent",
        "suggestion.evaluate",
    } <= actions


def test_head_reply_goes_out_at_once(api, make_suggestion, court_clerk, court_head, agency_head):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    response = post(api(agency_head), detail(s, "reply"), {"measures": "已整改。"})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "replied"
    assert response.json()["replies"][0]["status"] == "sent"


def test_partly_adopted_with_rectification_opens_a_second_round(
    api, make_suggestion, court_clerk, court_head, agency_head
):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    post(api(agency_head), detail(s, "reply"), {"measures": "部分整改。"})
    response = post(
        api(court_clerk),
        detail(s, "evaluate"),
        {"evaluation": "partly", "reasons": "送达问题未整改", "rectify": True, "rectify_days": 20},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["round"], data["evaluation_reasons"]) == ("rectifying", 2, "送达问题未整改")
    assert data["reply_due_explained"].startswith("评价 ")
    assert "reply" in api(agency_head).get(detail(s)).json()["allowed_actions"]
    response = post(api(agency_head), detail(s, "reply"), {"measures": "已全部整改。"})
    assert response.status_code == 201
    assert [r["round"] for r in response.json()["replies"]] == [1, 2]


def test_extension_is_requested_by_the_recipient_and_decided_by_the_issuer_head(
    api, make_suggestion, proc_staff, proc_head, agency_staff
):
    s = make_suggestion(
        proc_staff, proc_head, issued_on=D("2026-08-28"), received_on=D("2026-08-31"), receiver=agency_staff
    )
    assert s.reply_due == D("2026-11-02")
    response = post(api(agency_staff), detail(s, "request-extension"), {"days": 30, "reasons": "需协调多个部门"})
    assert response.status_code == 201, response.content
    [ext] = response.json()["extensions"]
    assert (ext["days"], ext["status"]) == (30, "pending")
    assert "request-extension" not in response.json()["allowed_actions"]
    assert post(api(agency_staff), detail(s, "request-extension"), {"days": 5, "reasons": "再延"}).status_code == 409
    assert "decide-extension" in api(proc_head).get(detail(s)).json()["allowed_actions"]
    response = post(api(proc_head), detail(s, "decide-extension"), {"extension": ext["uuid"], "approve": True})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reply_due"] == "2026-12-02"
    assert data["reply_due_explained"].endswith("经批准延期 30 日：原届满日 2026-11-02 + 30日 = 2026-12-02")
    assert data["extensions"][0]["status"] == "approved"
    again = post(
        api(proc_head), detail(s, "decide-extension"), {"extension": ext["uuid"], "approve": False, "reason": "x"}
    )
    assert again.status_code == 409


def test_refusing_an_extension_needs_a_reason(api, make_suggestion, proc_staff, proc_head, agency_staff):
    s = make_suggestion(
        proc_staff, proc_head, issued_on=D("2026-08-28"), received_on=D("2026-08-31"), receiver=agency_staff
    )
    ext = services.extension_request(suggestion=s, by=agency_staff, days=10, reasons="r")
    response = post(api(proc_head), detail(s, "decide-extension"), {"extension": str(ext.uuid), "approve": False})
    assert response.status_code == 400 and "reason" in response.json()
    ext.refresh_from_db()
    assert ext.status == "pending"
    response = post(
        api(proc_head),
        detail(s, "decide-extension"),
        {"extension": str(ext.uuid), "approve": False, "reason": "理由不充分"},
    )
    assert response.status_code == 200
    assert response.json()["extensions"][0]["decision_reason"] == "理由不充分"
    assert response.json()["reply_due"] == "2026-11-02"


def test_head_withdraws_before_receipt_with_a_reason(api, make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(court_clerk, court_head)
    assert "withdraw" in api(court_head).get(detail(s)).json()["allowed_actions"]
    response = post(api(court_head), detail(s, "withdraw"), {"reason": "事实有误"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["withdrawn_reason"]) == ("withdrawn", "事实有误")
    assert post(api(agency_staff), detail(s, "receive")).status_code == 409


def test_head_returns_a_submitted_draft_to_the_clerk(api, court_clerk, court_head, inst):
    s = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="t", problem="p", recommendations="r"
    )
    services.suggestion_submit(suggestion=s, by=court_clerk)
    response = post(api(court_head), detail(s, "return"), {"reason": "请补充案号"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert api(court_clerk).get(detail(s)).json()["allowed_actions"] == ["edit", "submit"]


def test_procuratorate_links_a_suggestion_to_a_judicial_one_cced_to_it(
    api, make_suggestion, court_clerk, court_head, proc_staff, proc_head, agency_staff
):
    judicial = make_suggestion(court_clerk, court_head, touches_procuratorial=True)
    data = api(proc_staff).get(detail(judicial)).json()
    assert data["cc"][0]["kind"] == "procuratorate" and "link" in data["allowed_actions"]
    response = api(proc_staff).post(
        URL, payload(judicial.recipient, subkind="general", linked_from=str(judicial.uuid)), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "procuratorial" and data["linked_from"]["uuid"] == str(judicial.uuid)
    linked = Suggestion.objects.get(uuid=data["uuid"])
    # While the linked suggestion is a draft, the court does not see it from its own suggestion.
    assert api(court_clerk).get(detail(judicial)).json()["linked"] == []
    assert [x["uuid"] for x in api(proc_staff).get(detail(judicial)).json()["linked"]] == [str(linked.uuid)]
    services.suggestion_submit(suggestion=linked, by=proc_staff)
    services.suggestion_approve(suggestion=linked, by=proc_head)
    services.suggestion_issue(suggestion=linked, by=proc_head)
    # Issued to the same agency: the agency sees the link both ways, and so does the court it follows.
    assert api(agency_staff).get(detail(linked)).json()["linked_from"]["uuid"] == str(judicial.uuid)
    assert [x["uuid"] for x in api(agency_staff).get(detail(judicial)).json()["linked"]] == [str(linked.uuid)]
    assert [x["uuid"] for x in api(court_clerk).get(detail(judicial)).json()["linked"]] == [str(linked.uuid)]


def test_author_edits_a_draft_partially(api, court_clerk, inst):
    s = services.suggestion_create(
        by=court_clerk,
        recipient=inst[CITY_AGENCY],
        title="旧标题",
        problem="p",
        recommendations="r",
        reply_period=30,
        reply_unit="days",
    )
    response = api(court_clerk).patch(
        detail(s), {"title": "新标题", "reply_period": 20, "cc": [str(inst["柳州市人民政府"].uuid)]}, format="json"
    )
    assert response.status_code == 200, response.content
    s.refresh_from_db()
    # A period without a unit keeps the draft's unit; untouched fields stay.
    assert (s.title, s.problem, s.reply_period, s.reply_unit) == ("新标题", "p", 20, "days")
    assert [i.name for i in s.cc.all()] == ["柳州市人民政府"]
    # A unit without a period keeps the draft's period.
    response = api(court_clerk).patch(detail(s), {"reply_unit": "months"}, format="json")
    assert response.status_code == 400 and "reply_period" in response.json()  # 20 months > 2 months
    response = api(court_clerk).patch(detail(s), {"reply_period": 1, "reply_unit": "months"}, format="json")
    assert (response.json()["reply_period"], response.json()["reply_unit"]) == (1, "months")
    response = api(court_clerk).patch(detail(s), {"reply_unit": "days"}, format="json")
    assert (response.json()["reply_period"], response.json()["reply_unit"]) == (1, "days")
