"""A 协调会 from proposal to a confirmed decision, through the pages, across six logins.

agency_staff (柳州市城市管理行政执法局) proposes a 协调会 with the court and the procuratorate; the
office convenes it (invitees prefilled from the proposal) and office_head signs the numbered
notice; court_clerk replies with attendees, proc_staff sends an apology; the office takes the
attendance (prefilled from the replies), records a decision owned by the agency (5 days), drafts
the minutes (prefilled: agenda, attendance, apology, decision) and sends them to the head, who
approves them (a numbered 纪要). The decision lands on the agency's ledger and 工作台; the agency
reports it done with evidence and the office confirms: decision and ledger entry 已办结. Every
button is the workflow's (data-verb); every page same-origin, free of CSP violations and 4xx/5xx.
"""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.models import LedgerEntry
from meetings.models import Decision, Meeting

pytestmark = pytest.mark.browser

COURT = "柳州市中级人民法院"
PROC = "柳州市人民检察院"


def _verb(page, verb):
    return page.locator(f'[data-verb="{verb}"]')


def _ok(page):
    page.get_by_role("button", name="确定", exact=True).click()


def test_coordination_meeting_from_proposal_to_confirmed_decision(login_as, live_server, shot):
    tag = uuid.uuid4().hex[:6]
    title = f"占道经营整治执法衔接（浏览器测试 {tag}）"
    decision_text = f"市城管局牵头制定占道经营执法指引（{tag}）"

    # ---- 1. the agency proposes
    agency, agency_rec = login_as("agency_staff")
    agency.goto(f"{live_server.url}/meetings/")
    agency.get_by_role("link", name="提议召开会议").first.click()
    agency.get_by_role("combobox", name="会议类别").select_option(label="协调会")
    agency.get_by_role("textbox", name="会议议题").fill(title)
    agency.get_by_role("textbox", name="提议理由").fill("涉占道经营行政案件增多，需与法院、检察院协调执法标准。")
    agency.get_by_role("listbox", name="建议参加单位").select_option(label=[COURT, PROC])
    shot(agency, "01-agency-proposal")
    _ok(agency)
    expect(agency.get_by_role("heading", name=title)).to_be_visible()
    expect(agency.get_by_text("待受理")).to_be_visible()
    m = Meeting.objects.get(title=title)

    # ---- 2. the office convenes (invitees prefilled), its head signs the notice
    office, office_rec = login_as("office")
    office.goto(f"{live_server.url}/meetings/{m.uuid}/")
    _verb(office, "meeting.convene").click()
    invitees = office.get_by_role("listbox", name="受邀单位")
    expect(invitees.locator("option:checked")).to_have_count(3)
    start = timezone.localtime() + dt.timedelta(days=3)
    office.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT09:30"))
    office.get_by_role("textbox", name="会议地点").fill("市中院第三会议室")
    shot(office, "02-office-convene")
    _ok(office)
    expect(office.get_by_text("已召集，会议通知已报负责人签发。")).to_be_visible()

    head, head_rec = login_as("office_head")
    head.goto(f"{live_server.url}/meetings/{m.uuid}/")
    _verb(head, "meeting.issue_notice").click()
    _ok(head)
    expect(head.get_by_text("会议通知已签发并送达各受邀单位。")).to_be_visible()
    m.refresh_from_db()
    assert m.status == "notified" and m.notice_letter.doc_number

    # ---- 3. two invitees reply: the court attends, the procuratorate sends an apology
    court, court_rec = login_as("court_clerk")
    court.goto(f"{live_server.url}/meetings/{m.uuid}/")
    _verb(court, "invitation.respond").click()
    court.get_by_label("参加", exact=True).check()
    court.get_by_role("textbox", name="参会人员").fill("黄立明 书记员\n梁振华 副院长")
    _ok(court)
    proc, proc_rec = login_as("proc_staff")
    proc.goto(f"{live_server.url}/meetings/{m.uuid}/")
    _verb(proc, "invitation.respond").click()
    proc.get_by_label("请假", exact=True).check()
    proc.get_by_role("textbox", name="请假理由").fill("同日有出庭任务")
    _ok(proc)
    expect(proc.get_by_text("已回复参会情况。")).to_be_visible()

    # ---- 4. attendance (prefilled from the replies), a decision, minutes prefilled
    office.goto(f"{live_server.url}/meetings/{m.uuid}/")
    _verb(office, "meeting.hold").click()
    attendance = office.get_by_role("textbox", name="签到")
    expect(attendance).to_have_value(re.compile("市中院 黄立明 书记员"))
    attendance.fill(attendance.input_value() + "\n市城管局 覃文斌 科员")
    _ok(office)
    expect(office.get_by_text("已登记签到，会议已召开。")).to_be_visible()
    _verb(office, "meeting.decide").click()
    office.get_by_role("textbox", name="议定事项").fill(decision_text)
    office.get_by_role("combobox", name="责任单位").select_option(label="柳州市城市管理行政执法局")
    office.get_by_role("spinbutton", name="或期限").fill("5")
    office.get_by_role("combobox", name="期限单位").select_option(label="日")
    _ok(office)
    _verb(office, "meeting.draft_minutes").click()
    _ok(office)
    minutes = office.locator(".text-lines").last
    expect(minutes).to_contain_text(decision_text)
    expect(minutes).to_contain_text("黄立明")
    expect(minutes).to_contain_text("同日有出庭任务")  # the apology, prefilled
    shot(office, "03-office-minutes-prefilled")
    _verb(office, "minutes.submit").click()
    _ok(office)

    head.goto(f"{live_server.url}/meetings/{m.uuid}/")
    _verb(head, "minutes.approve").click()
    _ok(head)
    expect(head.get_by_text("纪要已印发，议定事项已进入责任单位台账。")).to_be_visible()
    expect(head.get_by_role("link", name=re.compile("纪〔"))).to_be_visible()
    shot(head, "04-head-minutes-issued")
    d = Decision.objects.get(meeting=m)
    assert d.status == "open" and d.ledger_entry.owner.name == "柳州市城市管理行政执法局"

    # ---- 5. the owner finds it on 工作台 and the ledger, reports with evidence; the office confirms
    agency.goto(f"{live_server.url}/")
    expect(agency.get_by_text(re.compile(f"议定事项：{re.escape(decision_text)}")).first).to_be_visible()
    expect(agency.locator("#due-soon")).to_contain_text(decision_text)
    shot(agency, "05-agency-dashboard")
    agency.goto(f"{live_server.url}/ledger/{d.ledger_entry.uuid}/")
    expect(agency.get_by_role("button", name="确认办结")).to_have_count(0)  # closed only by the office
    agency.goto(f"{live_server.url}/meetings/decisions/{d.uuid}/")
    _verb(agency, "decision.report").click()
    agency.get_by_role("textbox", name="办结情况").fill("《占道经营执法指引》已印发（柳城管发〔2026〕3号）。")
    _ok(agency)
    expect(agency.get_by_text("已报请办结，待领导小组办公室确认。")).to_be_visible()

    office.goto(f"{live_server.url}/meetings/decisions/?open=1")
    office.get_by_role("link", name=decision_text).click()
    _verb(office, "decision.confirm").click()
    _ok(office)
    expect(office.get_by_text("已确认办结，台账事项同时办结。")).to_be_visible()
    shot(office, "06-office-confirmed")
    d.refresh_from_db()
    assert d.status == "done" and d.ledger_entry.status == LedgerEntry.Status.DONE

    for rec in (agency_rec, office_rec, head_rec, court_rec, proc_rec):
        rec.assert_clean()
