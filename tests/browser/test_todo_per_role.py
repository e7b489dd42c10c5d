"""待办 per role, through the pages: each kind of pending action appears in the user's 待办 on the
dashboard, its button opens the page where it is done, and once done it is gone; at every visit
the dashboard's counters equal its lists (待办 and each of its groups, of which it prints the first
five, and 跟踪).

The records are made with the services (the suggestion and letter journeys drive their creation
through the pages); every action counted here is taken through the page its 待办 row opens.
Roles: court head, court clerk, agency staff, agency head, office.
"""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services as case_services
from indicators import services as indicator_services
from indicators.periods import Period
from liaison import services as hub
from liaison.models import Institution, Region
from suggestions import services as suggestion_services

pytestmark = pytest.mark.browser

APPLICANT = "柳州市自然资源和规划局"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _tag() -> str:
    return uuid.uuid4().hex[:6]


# ----------------------------------------------------------------------------- records


def _suggestion(world, title, *, receive=False, reply_by=None, submit_only=False):
    clerk, head, staff = world["court_clerk"], world["court_head"], world["agency_staff"]
    s = suggestion_services.suggestion_create(
        by=clerk,
        recipient=staff.institution,
        title=title,
        problem="执法文书送达程序不规范。",
        recommendations="完善送达程序，加强执法人员培训。",
    )
    suggestion_services.suggestion_submit(suggestion=s, by=clerk)
    if submit_only:
        return s
    suggestion_services.suggestion_approve(suggestion=s, by=head)
    s = suggestion_services.suggestion_issue(suggestion=s, by=head)
    if receive or reply_by:
        s = suggestion_services.suggestion_receive(suggestion=s, by=staff)
    if reply_by:
        suggestion_services.suggestion_reply(suggestion=s, by=reply_by, measures="已完善送达程序。")
        s.refresh_from_db()
    return s


def _letter(author, head, to, title, *, issue=True):
    letter = hub.letter_create(by=author, title=title, body="正文。", addressees=[to])
    hub.letter_submit(letter=letter, by=author)
    if issue:
        letter = hub.letter_issue(letter=letter, by=head)
    return letter


# ----------------------------------------------------------------------------- the dashboard


def _home(page, live_server):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()


def _group(page, label):
    return page.locator(f'#todo tbody[data-group="{label}"] tr[data-verb]')


def _row(page, label, text):
    return _group(page, label).filter(has_text=text)


def _counters_equal_lists(page):
    """待办's counter = the sum of its groups' counts; each group prints its first five rows, and a link
    to the whole list (/todo/) when it has more; 逾期 = its red rows; 跟踪 = its page."""
    rows = page.locator("#todo tbody tr[data-verb]")
    chips = page.locator("#todo .todo-counts [data-count]")
    total = 0
    for i in range(chips.count()):
        chip = chips.nth(i)
        label, n = chip.get_attribute("data-count"), int(chip.inner_text())
        assert _group(page, label).count() == min(n, 5)
        more = page.locator(f'#todo tbody[data-group="{label}"]').get_by_role("link", name=f"查看全部 {n} 项{label}")
        expect(more).to_have_count(1 if n > 5 else 0)
        total += n
    assert int(page.locator('.summary-cards [data-count="todo"]').inner_text()) == total
    if total == rows.count():  # nothing folded: the red rows are all the overdue ones
        card = page.locator(".summary-cards a[href='#todo']").inner_text()
        late = rows.locator("xpath=self::tr[contains(@class, 'table-danger')]").count()
        assert (f"{late} 件逾期" in card) if late else ("逾期" not in card), card
    tracked = int(page.locator('.summary-cards [data-count="tracking"]').inner_text())
    shown = page.locator("#tracking tbody tr").count()
    assert shown == min(tracked, 10)
    return total, tracked


def _take(page, label, text, button):
    """Open the action of the 待办 row (label, text) by its button."""
    row = _row(page, label, text)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=button).click()


def _gone(page, live_server, label, text):
    _home(page, live_server)
    expect(_row(page, label, text)).to_have_count(0)
    _counters_equal_lists(page)


def _clean(*recorders):
    for recorder in recorders:
        recorder.assert_clean()


# ----------------------------------------------------------------------------- roles


def test_court_head_approves_issues_and_decides_from_todo(login_as, live_server, world, shot):
    tag = _tag()
    submitted = _suggestion(world, f"关于规范执法程序的司法建议{tag}", submit_only=True)
    letter = _letter(
        world["court_clerk"], None, world["agency_staff"].institution, f"关于执法检查的函{tag}", issue=False
    )
    asked = _suggestion(world, f"关于规范罚没管理的司法建议{tag}", receive=True)
    suggestion_services.extension_request(suggestion=asked, by=world["agency_staff"], days=10, reasons="需协调。")

    head, rec = login_as("court_head")
    _home(head, live_server)
    expect(_row(head, "待审批", submitted.title)).to_have_count(1)
    expect(_row(head, "待签发", letter.title)).to_have_count(1)
    expect(_row(head, "待审批延期", str(asked))).to_have_count(1)
    assert _counters_equal_lists(head)[0] == 3
    shot(head, "01-head-todo")

    # 审批同意 posts from the suggestion's page: the row opens that page
    _take(head, "待审批", submitted.title, "审批同意")
    head.get_by_role("button", name="审批同意").click()
    expect(head.get_by_role("status").filter(has_text="已审批同意")).to_be_visible()
    _gone(head, live_server, "待审批", submitted.title)
    expect(_row(head, "待签发", submitted.title)).to_have_count(1)  # the next step is the head's too

    _take(head, "待签发", submitted.title, "签发…")
    head.get_by_role("button", name="确认签发").click()
    expect(head.get_by_role("status").filter(has_text="已签发，文号")).to_be_visible()
    _gone(head, live_server, "待签发", submitted.title)

    _take(head, "待签发", letter.title, "签发…")
    expect(head.get_by_role("heading", name="确认签发")).to_be_visible()
    head.get_by_role("button", name="确认签发").click()
    expect(head.get_by_role("status").filter(has_text="已签发，发文字号")).to_be_visible()
    _gone(head, live_server, "待签发", letter.title)

    _take(head, "待审批延期", str(asked), "审批延期申请…")
    head.get_by_role("radio", name="同意延期", exact=True).check()
    head.get_by_role("button", name="提交审批意见").click()
    _gone(head, live_server, "待审批延期", str(asked))
    assert _counters_equal_lists(head)[0] == 0
    expect(head.locator("#todo")).to_contain_text("没有需要您办理的事项")
    shot(head, "02-head-todo-done")
    _clean(rec)


def test_court_clerk_evaluates_signs_and_follows_what_it_sent(login_as, live_server, world, shot):
    tag = _tag()
    replied = _suggestion(world, f"关于规范执法文书的司法建议{tag}", reply_by=world["agency_head"])
    reply_letter = replied.replies.get().letter
    unsigned = _suggestion(world, f"关于规范执法记录的司法建议{tag}")

    clerk, rec = login_as("court_clerk")
    _home(clerk, live_server)
    expect(_row(clerk, "待评价", str(replied))).to_have_count(1)
    # the reply letter's copy is a step of its own (evaluating it does not sign for it)
    expect(_row(clerk, "待签收", str(reply_letter))).to_have_count(1)
    todo_n, tracked = _counters_equal_lists(clerk)
    assert todo_n == 2
    # 跟踪: the suggestion not yet signed for, and the one to evaluate (the court's own step)
    tracking = clerk.locator("#tracking")
    expect(tracking.get_by_role("row").filter(has_text=str(unsigned))).to_contain_text("待签收")
    expect(tracking.get_by_role("row").filter(has_text=str(replied))).to_contain_text("本单位")
    shot(clerk, "01-clerk-todo-and-tracking")
    clerk.locator("#tracking").get_by_role("link", name=re.compile(r"^全部 \d+ 件")).click()
    expect(clerk.get_by_role("heading", name=re.compile("^跟踪"))).to_be_visible()
    assert clerk.locator("#tracking tbody tr").count() == tracked

    _home(clerk, live_server)
    _take(clerk, "待签收", str(reply_letter), "签收…")
    expect(clerk.get_by_role("heading", name="确认签收")).to_be_visible()
    clerk.get_by_role("button", name="确认签收").click()
    expect(clerk.get_by_role("status").filter(has_text="已签收")).to_be_visible()
    _gone(clerk, live_server, "待签收", str(reply_letter))

    _take(clerk, "待评价", str(replied), "评价办理情况…")
    clerk.get_by_role("radio", name="部分采纳").check()
    clerk.get_by_role("textbox", name="评价理由").fill("告知程序已整改到位。")
    clerk.get_by_role("button", name="下一步：确认").click()
    clerk.get_by_role("button", name="确认评价").click()
    expect(clerk.get_by_role("status").filter(has_text="评价已提交")).to_be_visible()
    _gone(clerk, live_server, "待评价", str(replied))
    expect(clerk.locator("#tracking").get_by_role("row").filter(has_text=str(replied))).to_have_count(0)
    assert _counters_equal_lists(clerk)[0] == 0
    shot(clerk, "02-clerk-todo-done")
    _clean(rec)


def test_agency_staff_signs_for_and_replies_from_todo(login_as, live_server, world, shot):
    tag = _tag()
    s = _suggestion(world, f"关于规范执法程序的司法建议{tag}")
    incoming = _letter(
        world["court_clerk"], world["court_head"], world["agency_staff"].institution, f"关于协查的函{tag}"
    )

    staff, rec = login_as("agency_staff")
    _home(staff, live_server)
    # the 建议书's copy serves the suggestion: one 待签收 row for it, not two
    expect(_row(staff, "待签收", str(s))).to_have_count(1)
    expect(_row(staff, "待签收", str(incoming))).to_have_count(1)
    assert _counters_equal_lists(staff)[0] == 2
    shot(staff, "01-staff-todo")

    _take(staff, "待签收", str(s), "签收…")
    staff.get_by_role("button", name="确认签收").click()
    expect(staff.get_by_role("status").filter(has_text="已签收。回复期限")).to_be_visible()
    _gone(staff, live_server, "待签收", str(s))
    row = _row(staff, "待回复", str(s))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(re.compile(r"剩余 \d+ 个工作日"))

    _take(staff, "待回复", str(s), "书面回复…")
    staff.get_by_role("textbox", name="采纳建议及整改落实情况").fill("已组织专题培训。")
    staff.get_by_role("button", name="提交负责人签发").click()
    _gone(staff, live_server, "待回复", str(s))  # the reply now waits for the head

    _take(staff, "待签收", str(incoming), "签收…")
    staff.get_by_role("button", name="确认签收").click()
    expect(staff.get_by_role("status").filter(has_text="已签收")).to_be_visible()
    _gone(staff, live_server, "待签收", str(incoming))
    assert _counters_equal_lists(staff)[0] == 0
    _clean(rec)


def test_agency_head_signs_off_replies_signs_for_and_feeds_back_from_todo(login_as, live_server, world, shot):
    tag = _tag()
    s = _suggestion(world, f"关于规范执法程序的司法建议{tag}", reply_by=world["agency_staff"])
    inst = {i.name: i for i in Institution.objects.all()}
    e = case_services.enforcement_create(
        by=world["court_clerk"],
        applicant=inst[APPLICANT],
        basis="decision",
        basis_reference=f"柳自然资罚〔2026〕{tag}号",
        respondent="柳州某置业有限公司",
        obligation="限期拆除违法建筑物。",
        money_obligation=False,
        applied_on=timezone.localdate() - dt.timedelta(days=3),
    )
    e = case_services.enforcement_rule(
        enforcement=e,
        by=world["court_head"],
        ruling="granted",
        ruled_on=timezone.localdate(),
        assignee=world["agency_head"].institution,
    )
    assignment = e.assignment_letter

    head, rec = login_as("agency_head")
    _home(head, live_server)
    expect(_row(head, "待签发回复", str(s))).to_have_count(1)
    expect(_row(head, "待签收", str(assignment))).to_have_count(1)
    row = _row(head, "待反馈", str(e))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(re.compile(r"剩余 \d+ 个工作日|今天到期"))
    assert _counters_equal_lists(head)[0] == 3
    shot(head, "01-agency-head-todo")

    _take(head, "待签发回复", str(s), "签发回复…")
    head.get_by_role("button", name="确认签发回复").click()
    expect(head.get_by_role("status").filter(has_text="书面回复已签发")).to_be_visible()
    _gone(head, live_server, "待签发回复", str(s))

    _take(head, "待签收", str(assignment), "签收…")
    head.get_by_role("button", name="确认签收").click()
    expect(head.get_by_role("status").filter(has_text="已签收")).to_be_visible()
    _gone(head, live_server, "待签收", str(assignment))

    _take(head, "待反馈", str(e), "起草书面反馈…")
    head.get_by_role("textbox", name="执行情况").fill("已于本月组织拆除完毕。")
    head.locator("form.portal-form button[type=submit]").first.click()
    head.get_by_role("button", name="确认签发").click()
    _gone(head, live_server, "待反馈", str(e))
    assert _counters_equal_lists(head)[0] == 0
    _clean(rec)


def test_office_reviews_the_bulletin_and_signs_from_todo(login_as, live_server, world, shot):
    tag = _tag()
    bulletin, _created = indicator_services.bulletin_draft(
        region=Region.objects.get(code="liuzhou"), period=Period.parse("2026Q3")
    )
    incoming = _letter(world["court_clerk"], world["court_head"], world["office"].institution, f"关于联席会议的函{tag}")

    office, rec = login_as("office")
    _home(office, live_server)
    expect(_row(office, "待审核通报", str(bulletin))).to_have_count(1)
    expect(_row(office, "待签收", str(incoming))).to_have_count(1)
    _counters_equal_lists(office)
    shot(office, "01-office-todo")

    _take(office, "待审核通报", str(bulletin), "审核完毕，送法院签发")
    office.get_by_role("button", name="确认").click()
    _gone(office, live_server, "待审核通报", str(bulletin))

    _take(office, "待签收", str(incoming), "签收…")
    office.get_by_role("button", name="确认签收").click()
    expect(office.get_by_role("status").filter(has_text="已签收")).to_be_visible()
    _gone(office, live_server, "待签收", str(incoming))
    _clean(rec)
