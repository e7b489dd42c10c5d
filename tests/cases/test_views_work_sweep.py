"""Every case-work page, for every persona: an answer the access rules explain (200, a redirect, 403
or 404), never a 500; and what a persona may not see never appears on a page it may open."""

import datetime as dt

import pytest

from cases import services
from liaison.models import User

from ._work_helpers import body, bulk_enforcements, client_for, listed, today
from .conftest import APPLICANT, CITY_AGENCY

PERSONAS = [
    "court_clerk",
    "court_head",
    "proc_staff",
    "gov_legal",
    "justice_legal",
    "agency_staff",
    "agency_head",
    "env_staff",
    "county_clerk",
    "county_gov_legal",
    "office",
    "auditor",
    "admin",
]


@pytest.fixture
def records(world, inst, make_case, make_enforcement, effective_case):
    court_head, proc_head = world["court_head"], world["proc_head"]
    case = make_case()
    e = services.enforcement_rule(
        enforcement=make_enforcement(respondent="CANARY-被执行人"),
        by=court_head,
        ruling="granted",
        ruled_on=today() - dt.timedelta(days=3),
        assignee=inst[CITY_AGENCY],
    )
    app = services.supervision_create(
        by=proc_head,
        applicant="CANARY-申请人",
        court=inst["柳州市中级人民法院"],
        enforcing_agency=inst[CITY_AGENCY],
        request="申请监督",
        received_on=today(),
        enforcement=e,
    )
    clue = services.clue_transfer_send(
        by=world["proc_staff"], recipient=inst["柳州市人民政府"], summary="CANARY-线索", sent_on=today()
    )
    dispute = services.dispute_create(
        by=world["court_clerk"],
        title="CANARY-争议",
        applicant="张三",
        agency=inst[CITY_AGENCY],
        summary="概况",
        received_on=today(),
    )
    observation = services.observation_create(
        case=case,
        by=world["court_clerk"],
        held_on=today() - dt.timedelta(days=1),
        title="CANARY-观摩",
        attendees=[(inst[CITY_AGENCY], 3)],
    )
    effective = effective_case()
    review = services.review_create(
        case=effective,
        by=world["court_clerk"],
        held_on=today(),
        participants=[inst[CITY_AGENCY]],
        act_problems="CANARY-评议",
    )
    return {
        "case": case,
        "effective": effective,
        f"/cases/enforcements/{e.uuid}/": "CANARY-被执行人",
        f"/cases/supervisions/{app.uuid}/": "CANARY-申请人",
        f"/cases/clues/{clue.uuid}/": "CANARY-线索",
        f"/cases/disputes/{dispute.uuid}/": "CANARY-争议",
        f"/cases/observations/{observation.uuid}/": "CANARY-观摩",
        f"/cases/reviews/{review.uuid}/": "CANARY-评议",
    }


LISTS = {
    "/cases/enforcements/": "/cases/enforcements/{}/",
    "/cases/supervisions/": "/cases/supervisions/{}/",
    "/cases/clues/": "/cases/clues/{}/",
    "/cases/disputes/": "/cases/disputes/{}/",
    "/cases/observations/": "/cases/observations/{}/",
    "/cases/reviews/": "/cases/reviews/{}/",
}
ACTIONS = {
    "/cases/enforcements/": ("rule/", "feedback/"),
    "/cases/supervisions/": ("decide/",),
    "/cases/clues/": ("receive/", "handle/"),
    "/cases/disputes/": ("sessions/new/", "conclude/"),
    "/cases/observations/": ("attendance/",),
    "/cases/reviews/": (),
}
CREATE = [
    "/cases/enforcements/new/",
    "/cases/supervisions/new/",
    "/cases/case-supervisions/new/",
    "/cases/clues/new/",
    "/cases/disputes/new/",
    "/cases/observations/new/",
    "/cases/reviews/new/",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_without_error_and_lists_match_details(records, world, persona):
    user = world[persona]
    client = client_for(user)
    for list_url in LISTS:
        response = client.get(list_url)
        assert response.status_code == 200, list_url
        assert client.get(list_url + "export/").status_code == 200
        listed_urls = {f"{list_url}{row.uuid}/" for row in listed(response)}
        for detail_url, canary in records.items():
            if not detail_url.startswith(list_url):
                continue
            detail = client.get(detail_url)
            assert detail.status_code in (200, 404), detail_url
            # A record is listed exactly when its page opens; its words appear nowhere else.
            assert (detail.status_code == 200) == (detail_url in listed_urls), (persona, detail_url)
            if detail.status_code == 404:
                assert canary not in body(response)
            for action in ACTIONS[list_url]:
                status = client.get(detail_url + action).status_code
                assert status in (200, 302, 403, 404), (persona, detail_url + action, status)
                if detail.status_code == 404:
                    assert status == 404
    for url in CREATE:
        assert client.get(url).status_code in (200, 403), url
    for base in ("/cases/observations/new/", "/cases/reviews/new/"):
        for case in (records["case"], records["effective"]):
            status = client.get(f"{base}?case={case.uuid}").status_code
            assert status in (200, 302, 403, 404), (persona, base, status)
            if user.role in (User.Role.AUDITOR, User.Role.ADMIN):
                assert status in (403, 404)


def test_lists_are_paginated(court_clerk, inst):
    bulk_enforcements(inst["柳州市中级人民法院"], inst[APPLICANT], inst[CITY_AGENCY], court_clerk, 60)
    client = client_for(court_clerk)
    first, second = client.get("/cases/enforcements/"), client.get("/cases/enforcements/", {"page": 2})
    assert len(listed(first)) == 50 and len(listed(second)) == 10
    assert not {e.pk for e in listed(first)} & {e.pk for e in listed(second)}
    assert "第 1 / 2 页" in body(first)


def test_pages_answer_only_their_methods(records, court_clerk):
    client = client_for(court_clerk)
    enforcement = next(url for url in records if isinstance(url, str) and url.startswith("/cases/enforcements/"))
    for url in ("/cases/enforcements/", "/cases/enforcements/export/", enforcement):
        assert client.post(url).status_code == 405
    for url in ("/cases/enforcements/new/", enforcement + "rule/", "/cases/reviews/new/"):
        assert client.put(url).status_code == 405 and client.delete(url).status_code == 405
