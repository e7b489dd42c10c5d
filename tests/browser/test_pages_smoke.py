"""Every persona's everyday pages load cleanly at 1366×768.

For office, court_clerk, agency_staff and auditor: 工作台, 待办, 收文, 发文, 台账, 通知 answer
without any 4xx/5xx (page or asset), without CSP violations or console errors, without
requests to other hosts, and without a horizontal scrollbar at the 1366×768 of a typical
office PC. The lists are not empty: an issued letter with a long title, a draft and two
ledger entries (one overdue) are seeded first, so tables and badges are on the pages.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison import services

pytestmark = pytest.mark.browser

PAGES = [
    # (screenshot name, path, the page's h1)
    ("dashboard", "/", "工作台"),
    ("todo", "/todo/", "待办"),
    ("inbox", "/letters/inbox/", "收文"),
    ("outbox", "/letters/outbox/", "发文"),
    ("ledger", "/ledger/", "工作台账"),
    ("notifications", "/notifications/", "通知"),
]


LONG_TITLE = "关于进一步规范城市管理领域行政执法程序、加强行政争议实质性化解并建立常态化府院联动沟通机制的函"


@pytest.fixture
def seeded(transactional_db, world):
    court, agency, office = (world[u].institution for u in ("court_clerk", "agency_staff", "office"))
    letter = services.letter_create(
        by=world["court_clerk"],
        title=LONG_TITLE,
        body="经审查，现函告如下。",
        addressees=[agency, office],
        cc=[world["gov_legal"].institution],
        urgency="加急",
    )
    services.letter_submit(letter=letter, by=world["court_clerk"])
    services.letter_issue(letter=letter, by=world["court_head"])
    services.letter_create(
        by=world["court_clerk"], title="关于行政机关负责人出庭应诉情况的函", body="草稿", addressees=[agency]
    )
    today = timezone.localdate()
    for owner in (agency, court):
        services.ledger_open(
            owner=owner, title=f"{LONG_TITLE}（答复）", start_date=today - dt.timedelta(days=60), period=15
        )
        services.ledger_open(owner=owner, title="司法建议书答复", start_date=today, period=30)


@pytest.mark.parametrize("username", ["office", "court_clerk", "agency_staff", "auditor"])
def test_everyday_pages_render_cleanly_at_1366x768(username, seeded, login_as, live_server, shot):
    page, recorder = login_as(username)
    overflowing = []
    for step, path, heading in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        shot(page, step)
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            overflowing.append(f"{path}: content {width[0]}px wide in a {width[1]}px window")

    recorder.assert_clean()
    assert not overflowing, overflowing
