"""A letter's whole life through the pages, across three logins.

court_clerk (柳州市中级人民法院) drafts a 函 to 柳州市城市管理行政执法局 and submits it;
court_head issues it on the confirmation page; agency_staff finds it in 收文 and signs for
it. Every page along the way is same-origin only and free of CSP violations.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AGENCY = "柳州市城市管理行政执法局"


def test_letter_is_drafted_issued_and_signed_for_across_three_logins(login_as, live_server, shot):
    title = f"关于规范城市管理行政执法程序的函（浏览器测试 {uuid.uuid4().hex[:6]}）"
    body = "柳州市城市管理行政执法局：\n\n经审查，现就执法程序中的有关问题函告如下。\n\n请于收函后及时研究。"

    # ---- 1. court_clerk drafts and submits
    clerk, clerk_rec = login_as("court_clerk")
    shot(clerk, "01-clerk-dashboard")
    clerk.get_by_role("navigation", name="主导航").get_by_role("link", name="发文", exact=True).click()
    expect(clerk.get_by_role("heading", name="发文", exact=True)).to_be_visible()
    clerk.get_by_role("link", name="起草公文").first.click()
    expect(clerk.get_by_role("heading", name="起草公文")).to_be_visible()

    clerk.get_by_role("textbox", name="标题").fill(title)
    clerk.get_by_role("searchbox", name="筛选：主送机关").fill("城市管理")
    addressees = clerk.get_by_role("listbox", name="主送机关")
    expect(addressees.get_by_role("option", name=AGENCY)).to_be_visible()
    addressees.select_option(label=AGENCY)
    clerk.get_by_role("textbox", name="正文").fill(body)
    shot(clerk, "02-clerk-draft-form")
    clerk.get_by_role("button", name="保存草稿").click()

    expect(clerk.get_by_role("heading", name=title)).to_be_visible()
    expect(clerk.get_by_role("status").filter(has_text="草稿已保存")).to_be_visible()
    expect(clerk.locator(".detail-header")).to_contain_text("草稿")
    expect(clerk.locator("dl").filter(has_text="主送")).to_contain_text(AGENCY)
    shot(clerk, "03-clerk-draft-saved")

    clerk.get_by_role("button", name="提交签发").click()
    expect(clerk.get_by_role("status").filter(has_text="已提交负责人签发")).to_be_visible()
    expect(clerk.get_by_role("button", name="提交签发")).to_have_count(0)
    expect(clerk.locator(".detail-header")).to_contain_text("待签发")
    letter_url = clerk.url
    shot(clerk, "04-clerk-submitted")

    # ---- 2. court_head issues it (confirmation step)
    head, head_rec = login_as("court_head")
    to_issue = head.locator("#todo")  # 待办: 待签发
    expect(to_issue.get_by_role("link", name=title)).to_be_visible()
    shot(head, "05-head-dashboard")
    to_issue.get_by_role("link", name=title).click()
    expect(head).to_have_url(letter_url)
    head.get_by_role("link", name="签发…").click()

    expect(head.get_by_role("heading", name="确认签发")).to_be_visible()
    expect(head.get_by_role("note")).to_contain_text("不能撤回")
    expect(head.locator("dl")).to_contain_text(AGENCY)
    shot(head, "06-head-issue-confirm")
    head.get_by_role("button", name="确认签发").click()

    expect(head.get_by_role("status").filter(has_text="已签发，发文字号")).to_be_visible()
    doc_number = head.locator(".detail-docno").inner_text().strip()
    assert re.search(r"〔20\d\d〕\d+号$", doc_number), doc_number
    expect(head.locator(".detail-header")).to_contain_text("已发出")
    shot(head, "07-head-issued")

    pdf_link = head.get_by_role("link", name="下载 PDF")
    expect(pdf_link).to_be_visible()
    pdf = head.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"

    # ---- 3. agency_staff finds it in 收文 and signs for it (confirmation step)
    staff, staff_rec = login_as("agency_staff")
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="收文", exact=True).click()
    row = staff.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(doc_number)
    expect(row).to_contain_text("待签收")
    shot(staff, "08-staff-inbox")
    row.get_by_role("link", name=title).click()
    expect(staff).to_have_url(letter_url)
    expect(staff.locator(".detail-header")).to_contain_text("待签收")
    shot(staff, "09-staff-letter")

    staff.get_by_role("link", name="签收…").click()
    expect(staff.get_by_role("heading", name="确认签收")).to_be_visible()
    expect(staff.locator("dl")).to_contain_text(doc_number)
    shot(staff, "10-staff-sign-confirm")
    staff.get_by_role("button", name="确认签收").click()

    expect(staff.get_by_role("status").filter(has_text="已签收")).to_be_visible()
    header = staff.locator(".detail-header")
    expect(header).to_contain_text("已签收")
    expect(header).to_contain_text(re.compile(r"签收日期 \d{4}-\d{2}-\d{2}"))
    expect(staff.get_by_role("link", name="签收…")).to_have_count(0)
    shot(staff, "11-staff-signed")

    # The issuing court sees the recipient's receipt too.
    head.reload()
    receipt = head.locator("#deliveries-title").locator("xpath=../..").get_by_role("row").filter(has_text=AGENCY)
    expect(receipt).to_contain_text("已签收")
    shot(head, "12-head-sees-receipt")

    for who, recorder in (("court_clerk", clerk_rec), ("court_head", head_rec), ("agency_staff", staff_rec)):
        assert not recorder.csp_errors(), f"{who}: CSP violations {recorder.csp_errors()}"
        assert not recorder.foreign_requests(), f"{who}: requests to other hosts {recorder.foreign_requests()}"
        recorder.assert_clean()
