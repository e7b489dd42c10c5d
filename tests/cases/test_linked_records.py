"""Issue 11, item 0: a record names its linked case (number, link) only to those who may see the
case — on detail pages, lists, exports and notifications; the party that may not gets "—".

The scenario of the report: 市司法局 (justice_legal) is party to a clue transfer, an observation
and a review of a case of the intermediate court whose defendant is 市城管局; it is no party to
the case itself (the API already answers `"case": null` and 404 for it)."""

import datetime as dt

import pytest

from cases import services
from cases.models import Dispute, Enforcement
from liaison.models import Notification

from ._work_helpers import body, client_for, today
from .conftest import D

JUSTICE = "柳州市司法局"


@pytest.fixture
def hidden_case(effective_case):
    return effective_case(number="（2026）桂02行初31号")


@pytest.fixture
def linked(hidden_case, court_clerk, inst, make_enforcement):
    clue = services.clue_transfer_send(
        by=court_clerk, recipient=inst[JUSTICE], summary="某局违法线索。", sent_on=today(), case=hidden_case
    )
    observation = services.observation_create(
        case=hidden_case,
        by=court_clerk,
        held_on=today() + dt.timedelta(days=3),
        title="行政诉讼庭审观摩",
        attendees=[(inst[JUSTICE], 3)],
    )
    review = services.review_create(
        case=hidden_case, by=court_clerk, held_on=D("2026-06-01"), participants=[inst[JUSTICE]], act_problems="程序问题"
    )
    dispute = services.dispute_create(
        by=court_clerk,
        title="征收补偿争议",
        applicant="王某",
        agency=inst["柳州市生态环境局"],
        summary="补偿标准争议。",
        received_on=today(),
    )
    Dispute.objects.filter(pk=dispute.pk).update(case=hidden_case)  # planted: env_staff's party, not the case's
    enforcement = make_enforcement(applicant="柳州市生态环境局")
    Enforcement.objects.filter(pk=enforcement.pk).update(case=hidden_case)
    return {"clue": clue, "observation": observation, "review": review, "dispute": dispute, "enforcement": enforcement}


def pages(records):
    clue, o, r, d, e = (records[k] for k in ("clue", "observation", "review", "dispute", "enforcement"))
    return {
        "justice_legal": [
            f"/cases/clues/{clue.uuid}/",
            "/cases/clues/?box=received",
            "/cases/clues/export/?box=received",
            f"/cases/observations/{o.uuid}/",
            "/cases/observations/",
            "/cases/observations/export/",
            f"/cases/reviews/{r.uuid}/",
            "/cases/reviews/",
            "/cases/reviews/export/",
            "/notifications/",
        ],
        "env_staff": [
            f"/cases/disputes/{d.uuid}/",
            "/cases/disputes/",
            "/cases/disputes/export/",
            f"/cases/enforcements/{e.uuid}/",
            "/cases/enforcements/",
            "/cases/enforcements/export/",
        ],
    }


def text(response) -> str:
    from tests.security.scenario import text_of

    return text_of(response)


def test_parties_who_cannot_see_the_case_are_not_told_its_number(linked, hidden_case, world):
    assert not type(hidden_case).objects.visible_to(world["justice_legal"]).filter(pk=hidden_case.pk).exists()
    for persona, urls in pages(linked).items():
        client = client_for(world[persona])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
            content = text(response)
            assert hidden_case.number not in content, (persona, url)
            assert str(hidden_case.uuid) not in content, (persona, url)


def test_a_search_by_the_number_does_not_find_the_record_for_them(linked, hidden_case, world):
    client = client_for(world["justice_legal"])
    # the record is listed without a search, and a match by the hidden 案号 would tell them it
    for url, key in (("/cases/observations/", "observation"), ("/cases/reviews/", "review")):
        assert str(linked[key].uuid) in body(client.get(url))
        assert str(linked[key].uuid) not in body(client.get(url, {"q": "桂02行初31"}))


def test_the_court_sees_the_number_with_a_link(linked, hidden_case, court_clerk):
    client = client_for(court_clerk)
    link = f'href="/cases/{hidden_case.uuid}/"'
    for key, url in (("clue", "clues"), ("observation", "observations"), ("review", "reviews")):
        page = body(client.get(f"/cases/{url}/{linked[key].uuid}/"))
        assert hidden_case.number in page and link in page, key
    assert hidden_case.number in text(client.get("/cases/clues/export/?box=sent"))
    assert hidden_case.number in text(client.get("/cases/reviews/export/"))


def test_the_review_notification_names_the_case_only_to_those_who_see_it(linked, hidden_case, world):
    titles = list(Notification.objects.filter(kind="review.created").values_list("user__username", "title"))
    assert titles
    for username, title in titles:
        sees = type(hidden_case).objects.visible_to(world[username]).filter(pk=hidden_case.pk).exists()
        assert (hidden_case.number in title) == sees, (username, title)
    assert any(u == "justice_legal" for u, _t in titles)
