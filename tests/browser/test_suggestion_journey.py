"""A judicial suggestion's whole life through the pages, across four logins.

court_clerk (柳州市中级人民法院) drafts a 司法建议 to 柳州市城市管理行政执法局 — first tripping
over a missing title — and submits it; court_head approves and issues it on the confirmation
page (doc number 柳中法建〔YYYY〕N号, a real PDF); agency_head finds it in 待办, signs for it
(the reply deadline is shown with how it was computed) and sends the written reply — a head's
reply is signed off at once, so it is written, reviewed on a confirmation page, then sent; the
agency reads the statuses from its side (待签收, 待回复); court_clerk evaluates it (部分采纳,
with reasons) through the confirmation step. The agency's ledger entry for the reply ends 已办结. Every page along the
way is same-origin only, free of CSP violations and of 4xx/5xx answers.
"""

import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suggestions.models import Suggestion

pytestmark = pytest.mark.browser

COURT = "柳州市中级人民法院"
AGENCY = "柳州市城市管理行政执法局"
SUGGESTIONS = "司法建议/检察建议"


def _open_suggestions(page):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=SUGGESTIONS, exact=True).click()
    expect(page.get_by_role("heading", name=SUGGESTIONS, exact=True)).to_be_visible()


def _field(page, control):
    """The field block (label, control, help, error) around a form control."""
    return page.locator(".portal-field").filter(has=control)


def test_judicial_suggestion_is_drafted_issued_received_replied_and_evaluated_across_four_logins(
    login_as, live_server, shot
):
    tag = uuid.uuid4().hex[:6]
    title = f"关于规范城市管理行政执法程序的司法建议（浏览器测试 {tag}）"
    problem = (
        "本院在审理行政案件中发现，贵局在作出行政处罚决定前未依法告知当事人陈述、申辩的权利。\n\n部分案卷缺少送达回证。"
    )
    recommendations = "一、严格履行行政处罚事先告知程序。\n\n二、规范执法文书送达，完善案卷归档。"
    measures = "一、已组织全局执法人员开展行政处罚程序专题培训。\n\n二、已修订执法文书送达规范，对近一年案卷逐件核查。"
    reasons = "告知程序已整改到位；案卷核查尚未完成，请于下一季度报送核查结果。"

    # ---- 1. court_clerk drafts: first without a title, then complete; saves and submits
    clerk, clerk_rec = login_as("court_clerk")
    _open_suggestions(clerk)
    shot(clerk, "01-clerk-suggestions")
    clerk.get_by_role("link", name="起草司法建议").click()
    expect(clerk.get_by_role("heading", name="起草司法建议")).to_be_visible()

    title_box = clerk.get_by_role("textbox", name="标题")
    recipient = clerk.get_by_role("combobox", name="被建议单位")
    clerk.get_by_role("searchbox", name=re.compile("^筛选：被建议单位")).fill("城市管理")
    recipient.select_option(label=AGENCY)
    clerk.get_by_role("textbox", name="发现的问题").fill(problem)
    clerk.get_by_role("textbox", name="建议内容").fill(recommendations)
    clerk.get_by_role("button", name="保存草稿").click()

    # Still the form, with the message beside the empty field and in the summary on top.
    expect(clerk.get_by_role("heading", name="起草司法建议")).to_be_visible()
    expect(clerk.get_by_role("alert")).to_contain_text("请修改以下问题后再提交")
    expect(clerk.get_by_role("alert")).to_contain_text("请填写标题。")
    expect(_field(clerk, title_box).locator(".invalid-feedback")).to_have_text("请填写标题。")
    expect(title_box).to_have_attribute("aria-invalid", "true")
    # What was typed survives the round trip.
    expect(recipient.locator("option:checked")).to_have_text(AGENCY)
    expect(clerk.get_by_role("textbox", name="发现的问题")).to_have_value(problem)
    shot(clerk, "02-clerk-missing-title")

    title_box.fill(title)
    expect(recipient.locator("option:checked")).to_have_text(AGENCY)
    shot(clerk, "03-clerk-form-complete")
    clerk.get_by_role("button", name="保存草稿").click()

    expect(clerk.get_by_role("heading", name=title)).to_be_visible()
    expect(clerk.get_by_role("status").filter(has_text="草稿已保存")).to_be_visible()
    header = clerk.locator(".detail-header")
    expect(header).to_contain_text("草稿")
    expect(header).to_contain_text("未编号")
    expect(header).to_contain_text(f"{COURT} → {AGENCY}")
    expect(header).to_contain_text("回复期限：自签收之日起 2个月")
    suggestion_url = clerk.url
    shot(clerk, "04-clerk-draft-saved")

    clerk.get_by_role("button", name="提交审批").click()
    expect(clerk.get_by_role("status").filter(has_text="已提交负责人审批")).to_be_visible()
    expect(clerk.get_by_role("button", name="提交审批")).to_have_count(0)
    expect(clerk.locator(".detail-header")).to_contain_text("待审批")
    shot(clerk, "05-clerk-submitted")

    # ---- 2. court_head approves, then issues on the confirmation page
    head, head_rec = login_as("court_head")
    _open_suggestions(head)
    row = head.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("待审批")
    shot(head, "06-head-todo")
    row.get_by_role("link", name=title).click()
    expect(head).to_have_url(suggestion_url)
    head.get_by_role("button", name="审批同意").click()
    expect(head.get_by_role("status").filter(has_text="已审批同意，可以签发")).to_be_visible()
    expect(head.locator(".detail-header")).to_contain_text("已审批")
    shot(head, "07-head-approved")

    head.get_by_role("link", name="签发…").click()
    expect(head.get_by_role("heading", name="确认签发建议书")).to_be_visible()
    expect(head.get_by_role("note")).to_contain_text("签发后的建议书不能再修改")
    expect(head.locator("dl")).to_contain_text(AGENCY)
    expect(head.locator("dl")).to_contain_text("未编号（签发时自动编号）")
    shot(head, "08-head-issue-confirm")
    head.get_by_role("button", name="确认签发").click()

    expect(head).to_have_url(suggestion_url)
    issued = head.get_by_role("status").filter(has_text="已签发，文号")
    expect(issued).to_be_visible()
    doc_number = head.locator(".detail-docno").inner_text().strip()
    assert re.fullmatch(r"柳中法建〔20\d\d〕\d+号", doc_number), doc_number
    assert f"〔{timezone.localdate().year}〕" in doc_number, doc_number
    expect(issued).to_contain_text(doc_number)
    expect(head.locator(".detail-header")).to_contain_text("已发出")
    expect(head.locator(".detail-header")).to_contain_text("待签收")
    shot(head, "09-head-issued")

    pdf_link = head.get_by_role("region", name="建议书").get_by_role("link", name="下载 PDF")
    expect(pdf_link).to_be_visible()
    pdf = head.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"

    # ---- 3. agency_head finds it in 待办 (待签收, the recipient's word for 已发出), signs for it,
    #         and replies through the confirmation step (a head's reply is sent when confirmed)
    agency, agency_rec = login_as("agency_head")
    _open_suggestions(agency)
    todo_tab = agency.get_by_role("link", name=re.compile("^待办"))
    expect(todo_tab).to_have_attribute("aria-current", "page")
    row = agency.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(doc_number)
    expect(row).to_contain_text("待签收")
    expect(row).not_to_contain_text("已发出")
    shot(agency, "10-agency-todo")
    row.get_by_role("link", name=title).click()
    expect(agency).to_have_url(suggestion_url)
    expect(agency.locator(".detail-header")).to_contain_text("待签收")
    shot(agency, "11-agency-suggestion")

    agency.get_by_role("link", name="签收…").click()
    expect(agency.get_by_role("heading", name="确认签收")).to_be_visible()
    expect(agency.get_by_role("note")).to_contain_text("签收后不能撤销")
    expect(agency.get_by_role("note")).to_contain_text("2个月")
    expect(agency.locator("dl")).to_contain_text(doc_number)
    shot(agency, "12-agency-receive-confirm")
    agency.get_by_role("button", name="确认签收").click()

    expect(agency).to_have_url(suggestion_url)
    today = timezone.localdate().isoformat()
    received = agency.get_by_role("status").filter(has_text="已签收。回复期限")
    expect(received).to_be_visible()
    header = agency.locator(".detail-header")
    expect(header).to_contain_text("待回复")
    explained = header.locator(".due-explained")
    expect(explained).to_contain_text(re.compile(rf"^签收 {today} \+ 2个月 = \d{{4}}-\d{{2}}-\d{{2}}"))
    reply_due = Suggestion.objects.get(letter__doc_number=doc_number).reply_due.isoformat()
    expect(header).to_contain_text(f"回复期限 {reply_due}")
    expect(explained).to_contain_text(reply_due)
    expect(received).to_contain_text(reply_due)
    expect(agency.get_by_role("link", name="签收…")).to_have_count(0)
    shot(agency, "13-agency-received")

    agency.get_by_role("link", name="书面回复…").click()
    expect(agency.get_by_role("heading", name="书面回复")).to_be_visible()
    expect(agency.get_by_text("您的回复将直接签发")).to_be_visible()
    expect(agency.locator("dl")).to_contain_text(reply_due)
    agency.get_by_role("textbox", name="采纳建议及整改落实情况").fill(measures)
    shot(agency, "14-agency-reply-form")
    agency.get_by_role("button", name="下一步：确认签发").click()

    # The confirmation: nothing is sent yet; the text as it will go out, where it goes, no way back.
    expect(agency.get_by_role("heading", name="确认签发书面回复")).to_be_visible()
    crumbs = agency.get_by_role("navigation", name="位置")
    expect(crumbs.get_by_role("link", name=doc_number)).to_have_attribute(
        "href", re.compile(r"/suggestions/[0-9a-f-]+/$")
    )
    expect(crumbs).to_contain_text("签发书面回复")
    expect(agency.get_by_role("note")).to_contain_text("不能再修改或撤回")
    expect(agency.get_by_role("note")).to_contain_text(COURT)
    expect(agency.get_by_role("region", name=re.compile("第1轮回复"))).to_contain_text("已修订执法文书送达规范")
    assert not Suggestion.objects.get(letter__doc_number=doc_number).replies.exists()
    shot(agency, "14b-agency-reply-confirm")
    agency.get_by_role("button", name="确认签发回复").click()

    expect(agency).to_have_url(suggestion_url)
    sent = agency.get_by_role("status").filter(has_text="书面回复已签发，文号")
    expect(sent).to_be_visible()
    expect(agency.locator(".detail-header")).to_contain_text("已回复")
    replies = agency.get_by_role("region", name="书面回复")
    expect(replies).to_contain_text("第1轮回复")
    expect(replies).to_contain_text("已回复")
    expect(replies).to_contain_text("已组织全局执法人员开展行政处罚程序专题培训")
    expect(agency.get_by_role("link", name="书面回复…")).to_have_count(0)
    shot(agency, "15-agency-replied")

    # The agency's ledger: the reply is done.
    agency.get_by_role("navigation", name="主导航").get_by_role("link", name="台账事项").click()
    expect(agency.get_by_role("heading", name="工作台账")).to_be_visible()
    # (the page's 跟踪 block above the entries may name the suggestion too: the reply the court is to sign for)
    entry = agency.locator("table:not(.tracking-list)").get_by_role("row").filter(has_text=doc_number)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"回复司法建议 {doc_number}")
    expect(entry).to_contain_text("已办结")
    expect(entry).to_contain_text(reply_due)
    shot(agency, "16-agency-ledger")

    # ---- 4. court_clerk signs in again, finds the reply in 待办 and evaluates it
    #         (部分采纳 with reasons, then the confirmation step)
    clerk, clerk2_rec = login_as("court_clerk")
    _open_suggestions(clerk)
    row = clerk.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("已回复")
    row.get_by_role("link", name=title).click()
    expect(clerk).to_have_url(suggestion_url)
    expect(clerk.locator(".detail-header")).to_contain_text("已回复")
    expect(clerk.get_by_role("region", name="书面回复")).to_contain_text("已组织全局执法人员")
    shot(clerk, "17-clerk-sees-reply")
    clerk.get_by_role("link", name="评价办理情况…").click()
    expect(clerk.get_by_role("heading", name="评价办理情况")).to_be_visible()
    clerk.get_by_role("radio", name="部分采纳").check()
    clerk.get_by_role("textbox", name="评价理由").fill(reasons)
    shot(clerk, "18-clerk-evaluate-form")
    clerk.get_by_role("button", name="下一步：确认").click()

    expect(clerk.get_by_role("heading", name="确认评价")).to_be_visible()
    expect(clerk.get_by_role("note")).to_contain_text("评价提交后不能修改")
    summary = clerk.locator("dl").last
    expect(summary).to_contain_text("部分采纳")
    expect(summary).to_contain_text(reasons)
    shot(clerk, "19-clerk-evaluate-confirm")
    clerk.get_by_role("button", name="确认评价").click()

    expect(clerk).to_have_url(suggestion_url)
    expect(clerk.get_by_role("status").filter(has_text="评价已提交")).to_be_visible()
    expect(clerk.locator(".detail-header")).to_contain_text("已评价")
    evaluation = clerk.get_by_role("region", name="办理评价")
    expect(evaluation).to_contain_text("部分采纳")
    expect(evaluation).to_contain_text(reasons)
    expect(clerk.get_by_role("link", name="评价办理情况…")).to_have_count(0)
    shot(clerk, "20-clerk-evaluated")

    s = Suggestion.objects.get(letter__doc_number=doc_number)
    assert (s.status, s.evaluation, s.evaluation_reasons) == ("evaluated", "partly", reasons)

    for who, recorder in (
        ("court_clerk", clerk_rec),
        ("court_head", head_rec),
        ("agency_head", agency_rec),
        ("court_clerk again", clerk2_rec),
    ):
        try:
            recorder.assert_clean()
        except AssertionError as exc:
            raise AssertionError(f"{who}: {exc}") from None
