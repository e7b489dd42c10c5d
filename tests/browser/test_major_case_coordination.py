"""A major case's coordination through the pages, across three logins.

court_clerk (柳州市中级人民法院) files a major case (集体土地征收) against 柳州市城市管理行政执法局 —
first with a malformed 案号, which is explained beside the field — opens a coordination with
柳州市人民政府 and, through the confirmation step, invites 柳州市人民检察院 to supervise.
proc_staff (柳州市人民检察院) then finds the coordination and the case in its lists and opens both.
env_staff (柳州市生态环境局, not a party) sees neither in its lists and gets 404 on both addresses.
Every page along the way is same-origin only and free of CSP violations, console errors and
unexpected 4xx/5xx answers.
"""

import datetime as dt
import random
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AdministrativeCase, Coordination

pytestmark = pytest.mark.browser

COURT = "柳州市中级人民法院"
AGENCY = "柳州市城市管理行政执法局"
GOV = "柳州市人民政府"
PROC = "柳州市人民检察院"


def _open_cases(page):
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案件", exact=True).click()
    expect(page.get_by_role("heading", name="行政案件", exact=True)).to_be_visible()


def _tab(page, name):
    return page.locator(".subnav").get_by_role("link", name=name, exact=True)


def _field(page, control):
    return page.locator(".portal-field").filter(has=control)


def test_major_case_is_filed_coordinated_and_supervised_and_stays_invisible_to_others(login_as, live_server, shot):
    n = random.randint(1000, 99999)
    year = timezone.localdate().year
    number = f"（{year}）桂02行初{n}号"
    filed_on = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    subject = f"集体土地征收补偿安置争议协调（浏览器测试 {n}）"

    # ---- 1. court_clerk files the major case, first with a malformed 案号
    clerk, clerk_rec = login_as("court_clerk")
    _open_cases(clerk)
    expect(_tab(clerk, "案件")).to_have_attribute("aria-current", "page")
    shot(clerk, "01-clerk-case-list")
    clerk.get_by_role("link", name="登记案件", exact=True).click()
    expect(clerk.get_by_role("heading", name="登记行政案件")).to_be_visible()

    number_box = clerk.get_by_role("textbox", name="案号")
    number_box.fill(f"{year}桂02行初{n}号")
    clerk.get_by_role("combobox", name="案由").select_option(label="行政征收或者征用")
    clerk.get_by_role("textbox", name="原告").fill("柳州市某区某村第三村民小组\n韦某某")
    clerk.get_by_role("searchbox", name=re.compile("^筛选：被告行政机关")).fill("城市管理")
    defendants = clerk.get_by_role("listbox", name="被告行政机关")
    defendants.select_option(label=AGENCY)
    clerk.get_by_label("立案日期").fill(filed_on)
    clerk.get_by_role("combobox", name="重大案件类别").select_option(label="集体土地征收")
    clerk.get_by_role("textbox", name="案情摘要").fill(
        "原告不服集体土地征收过程中的强制拆除行为，涉及村民小组四十余户。"
    )
    clerk.get_by_role("button", name="登记", exact=True).click()

    expect(clerk.get_by_role("alert")).to_contain_text("请修改以下问题后再提交")
    expect(_field(clerk, number_box).locator(".invalid-feedback")).to_have_text(
        "案号格式不正确，应如“（2026）桂02行初12号”。"
    )
    expect(number_box).to_have_attribute("aria-invalid", "true")
    expect(defendants.locator("option:checked")).to_have_text(AGENCY)
    expect(clerk.get_by_role("textbox", name="原告")).to_have_value("柳州市某区某村第三村民小组\n韦某某")
    assert not AdministrativeCase.objects.filter(plaintiffs__contains="第三村民小组").exists()
    shot(clerk, "02-clerk-bad-number")

    number_box.fill(f"({year})桂02行初{n}号")  # half-width brackets are accepted
    clerk.get_by_role("button", name="登记", exact=True).click()
    expect(clerk.get_by_role("status").filter(has_text=f"案件 {number} 已登记")).to_be_visible()
    header = clerk.locator(".detail-header")
    expect(header.locator(".detail-docno")).to_have_text(number)
    expect(header).to_contain_text("审理中")
    expect(header).to_contain_text("重大案件：集体土地征收")
    expect(clerk.get_by_role("heading", level=1)).to_have_text(
        f"柳州市某区某村第三村民小组等诉{AGENCY}行政征收或者征用案"
    )
    case_url = clerk.url
    assert re.search(r"/cases/[0-9a-f-]{36}/$", case_url), case_url
    shot(clerk, "03-clerk-case-filed")

    # ---- 2. court_clerk opens a coordination with the city government
    clerk.get_by_role("link", name="发起协调…").first.click()
    expect(clerk.get_by_role("heading", name="发起协调")).to_be_visible()
    government = clerk.get_by_role("combobox", name="协调政府")
    expect(government.locator("option:checked")).to_have_text(GOV)  # the defendant's government
    clerk.get_by_role("textbox", name="协调事项").fill(subject)
    shot(clerk, "04-clerk-coordination-form")
    clerk.get_by_role("button", name="启动协调").click()

    expect(clerk.get_by_role("heading", name=subject)).to_be_visible()
    expect(clerk.get_by_role("status").filter(has_text=f"已启动协调，已通知{GOV}")).to_be_visible()
    expect(clerk.locator(".detail-header")).to_contain_text("协调中")
    coordination_url = clerk.url
    shot(clerk, "05-clerk-coordination-opened")

    # ---- 3. court_clerk invites the procuratorate, through the confirmation step
    clerk.get_by_role("link", name="邀请检察院监督…").click()
    expect(clerk.get_by_role("heading", name="邀请检察院监督")).to_be_visible()
    expect(clerk.get_by_role("combobox", name="邀请监督的检察院").locator("option:checked")).to_have_text(PROC)
    clerk.get_by_role("button", name="下一步：确认").click()
    expect(clerk.get_by_role("heading", name="确认邀请检察院监督")).to_be_visible()
    expect(clerk.get_by_role("note")).to_contain_text(PROC)
    expect(clerk.get_by_role("note")).to_contain_text("邀请不能撤回")
    assert Coordination.objects.get(subject=subject).procuratorate is None
    shot(clerk, "06-clerk-invite-confirm")
    clerk.get_by_role("button", name="确认邀请").click()

    expect(clerk).to_have_url(coordination_url)
    expect(clerk.get_by_role("status").filter(has_text=f"已邀请{PROC}监督")).to_be_visible()
    expect(clerk.locator(".detail-header")).to_contain_text(f"{PROC}监督")
    expect(clerk.get_by_role("link", name="邀请检察院监督…")).to_have_count(0)
    shot(clerk, "07-clerk-invited")

    # ---- 4. proc_staff finds the coordination and the case
    proc, proc_rec = login_as("proc_staff")
    _open_cases(proc)
    expect(proc.get_by_role("row").filter(has_text=number)).to_have_count(1)
    shot(proc, "08-proc-case-list")
    _tab(proc, "协调").click()
    expect(proc.get_by_role("heading", name="重大案件协调", exact=True)).to_be_visible()
    row = proc.get_by_role("row").filter(has_text=subject)
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("市检察院")
    shot(proc, "09-proc-coordinations")
    row.get_by_role("link", name=subject).click()
    expect(proc).to_have_url(coordination_url)
    expect(proc.locator(".detail-header")).to_contain_text(f"{PROC}监督")
    expect(proc.get_by_role("button", name="保存沟通记录")).to_be_visible()  # a party records communications
    expect(proc.get_by_role("link", name="结束协调…")).to_have_count(0)  # closing is the court's
    shot(proc, "10-proc-coordination")
    proc.get_by_role("region", name="协调概况").get_by_role("link", name=number).click()
    expect(proc).to_have_url(case_url)
    expect(proc.locator(".detail-header")).to_contain_text("重大案件：集体土地征收")
    expect(proc.get_by_role("link", name="登记开庭…")).to_have_count(0)
    shot(proc, "11-proc-case")

    # ---- 5. env_staff (柳州市生态环境局) is no party: nothing in its lists, 404 on both addresses
    env, env_rec = login_as("env_staff")
    _open_cases(env)
    expect(env.get_by_role("main")).not_to_contain_text(number)
    expect(env.get_by_text("这里还没有案件")).to_be_visible()
    shot(env, "12-env-case-list")
    _tab(env, "协调").click()
    expect(env.get_by_role("main")).not_to_contain_text(subject)
    shot(env, "13-env-coordinations")
    forbidden = [case_url, coordination_url]
    for n_, address in enumerate(forbidden, start=14):
        response = env.goto(address)
        assert response.status == 404, (address, response.status)
        expect(env.locator("body")).not_to_contain_text(number)
        shot(env, f"{n_}-env-404")

    # The two 404s were the point; everything else must be clean. (Django's plain 404 page links
    # no icon, so the browser also asks for /favicon.ico on it.)
    expected = [*forbidden, f"{live_server.url}/favicon.ico"]
    env_rec.responses = [r for r in env_rec.responses if r[2] not in expected]
    env_rec.console_errors = [m for m in env_rec.console_errors if not ("404" in m and any(a in m for a in expected))]
    for who, recorder in (("court_clerk", clerk_rec), ("proc_staff", proc_rec), ("env_staff", env_rec)):
        try:
            recorder.assert_clean()
        except AssertionError as exc:
            raise AssertionError(f"{who}: {exc}") from None
