"""Where am I: the left navigation lights 司法建议/检察建议 on every suggestion page, and every
page about one suggestion carries the detail page's breadcrumb (list › doc number or title › action)."""

import re

import pytest
from django.utils import timezone

from suggestions import services

from ._view_helpers import CITY_AGENCY, client_for, draft

ACTIVE_NAV = 'class="nav-link active" aria-current="page" href="/suggestions/"'


def test_left_navigation_marks_the_suggestions_module_active(client, court_clerk):
    client.force_login(court_clerk)
    html = client.get("/suggestions/").content.decode()
    assert ACTIVE_NAV in html
    html = client.get("/ledger/").content.decode()
    assert ACTIVE_NAV not in html


@pytest.fixture
def steps(make_suggestion, court_clerk, court_head, agency_staff, agency_head, inst):
    """One suggestion at each step a page acts on."""
    today = timezone.localdate()

    def received(title):
        return make_suggestion(
            court_clerk, court_head, title=title, issued_on=today, received_on=today, receiver=agency_staff
        )

    drafted = draft(court_clerk, inst[CITY_AGENCY], title="草稿：关于规范行政执法程序的建议")
    submitted = draft(court_clerk, inst[CITY_AGENCY], title="待审批：关于规范行政执法程序的建议")
    services.suggestion_submit(suggestion=submitted, by=court_clerk)
    approved = draft(court_clerk, inst[CITY_AGENCY], title="已审批：关于规范行政执法程序的建议")
    services.suggestion_submit(suggestion=approved, by=court_clerk)
    services.suggestion_approve(suggestion=approved, by=court_head)
    issued = make_suggestion(court_clerk, court_head, title="已发出的建议")
    open_ = received("已签收的建议")
    awaiting_head = received("待负责人签发的建议")
    reply = services.suggestion_reply(suggestion=awaiting_head, by=agency_staff, measures="承办人的回复")
    extended = received("申请延期的建议")
    extension = services.extension_request(suggestion=extended, by=agency_staff, days=15, reasons="需协调")
    replied = received("已回复的建议")
    services.suggestion_reply(suggestion=replied, by=agency_head, measures="已整改")
    replied.refresh_from_db()
    return {
        "draft": drafted,
        "submitted": submitted,
        "approved": approved,
        "issued": issued,
        "received": open_,
        "awaiting_head": awaiting_head,
        "reply": reply,
        "extended": extended,
        "extension": extension,
        "replied": replied,
    }


def _pages(steps):
    """(persona, method, suggestion, path suffix, POST data, the action's breadcrumb)."""
    st = steps
    return [
        ("court_clerk", "get", st["draft"], "edit/", None, "修改草稿"),
        ("court_head", "get", st["submitted"], "return/", None, "退回修改"),
        ("court_head", "get", st["approved"], "issue/", None, "签发"),
        ("court_head", "get", st["issued"], "withdraw/", None, "撤回"),
        ("agency_staff", "get", st["issued"], "receive/", None, "签收"),
        ("agency_staff", "get", st["received"], "reply/", None, "书面回复"),
        ("agency_head", "post", st["received"], "reply/", {"measures": "负责人的回复"}, "签发书面回复"),
        ("agency_head", "get", st["awaiting_head"], f"replies/{st['reply'].uuid}/approve/", None, "签发书面回复"),
        ("agency_staff", "get", st["received"], "extension/", None, "申请延期"),
        ("court_head", "get", st["extended"], f"extensions/{st['extension'].uuid}/decide/", None, "审批延期申请"),
        ("court_clerk", "get", st["replied"], "evaluate/", None, "评价办理情况"),
        ("court_clerk", "post", st["replied"], "evaluate/", {"evaluation": "adopted"}, "评价办理情况"),
    ]


def _breadcrumb(html: str) -> list[str]:
    crumbs = html.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    return [re.sub(r"<[^>]+>", "", "<li" + item).strip() for item in crumbs.split("<li")[1:]]


def test_every_action_page_has_the_breadcrumb_list_suggestion_action(steps, world):
    for persona, method, s, suffix, data, action in _pages(steps):
        client = client_for(world[persona])
        path = f"/suggestions/{s.uuid}/{suffix}"
        response = client.post(path, data) if method == "post" else client.get(path)
        assert response.status_code == 200, (persona, method, path, response.status_code)
        html = response.content.decode()
        name = s.letter.doc_number if s.letter_id else s.title
        assert _breadcrumb(html) == ["司法建议/检察建议", name, action], (method, suffix)
        # the middle crumb leads back to the suggestion; the last is the current page
        assert f'<a href="/suggestions/{s.uuid}/">{name}</a>' in html, suffix
        assert f'aria-current="page">{action}</li>' in html, suffix


def test_detail_breadcrumb_ends_with_doc_number_or_title(steps, court_clerk):
    client = client_for(court_clerk)
    issued, drafted = steps["issued"], steps["draft"]
    assert _breadcrumb(client.get(f"/suggestions/{issued.uuid}/").content.decode()) == [
        "司法建议/检察建议",
        issued.letter.doc_number,
    ]
    assert _breadcrumb(client.get(f"/suggestions/{drafted.uuid}/").content.decode()) == [
        "司法建议/检察建议",
        drafted.title,
    ]


def test_left_navigation_is_active_on_every_suggestion_page(steps, world):
    pages = [(p, m, f"/suggestions/{s.uuid}/{suffix}", data) for p, m, s, suffix, data, _a in _pages(steps)]
    pages += [
        ("court_clerk", "get", f"/suggestions/{steps['issued'].uuid}/", None),
        ("agency_staff", "get", f"/suggestions/{steps['issued'].uuid}/", None),
        ("court_clerk", "get", "/suggestions/?box=issued", None),
        ("court_clerk", "get", "/suggestions/new/", None),
        ("court_clerk", "get", "/suggestions/statistics/", None),
        ("proc_staff", "get", "/suggestions/filings/", None),
        ("proc_staff", "get", "/suggestions/filings/new/", None),
    ]
    for persona, method, path, data in pages:
        client = client_for(world[persona])
        response = client.post(path, data) if method == "post" else client.get(path)
        assert response.status_code == 200, (persona, path, response.status_code)
        html = response.content.decode()
        assert ACTIVE_NAV in html, (persona, method, path)
        left_nav = html.split('<nav class="portal-nav')[1].split("</nav>")[0]
        assert left_nav.count("nav-link active") == 1, (persona, path)  # and nothing else lit
