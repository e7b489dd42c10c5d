"""待办 derived from the transition table: the dashboard, its counter and /api/v1/todo/ agree."""

import dataclasses
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from liaison import flows, services, todo, workflow
from liaison.models import Letter

PENDING = Letter.Status.PENDING


@pytest.fixture
def letter_flow():
    """A to-do transition on Letter (head signs off a pending letter of his institution), due
    three days after submission; the real registry is restored afterwards."""
    saved = dict(workflow.REGISTRY), dict(workflow.WORKFLOWS)
    for verb in [v for v, (f, _t) in workflow.REGISTRY.items() if f.model is Letter]:
        del workflow.REGISTRY[verb]
    workflow.WORKFLOWS.pop(Letter, None)
    # The real letter transitions (liaison/flows.py), with 签发 made a duty for this test.
    real = [t for t in flows.LETTER_FLOW if t.verb != "letter.issue"]
    issue = dataclasses.replace(flows.LETTER_FLOW.transitions["letter.issue"], todo="待签发")
    workflow.register(
        workflow.Workflow(
            Letter,
            issue,
            *real,
            pending=lambda user, states: Letter.objects.visible_to(user).filter(
                issuer_id=user.institution_id, status__in=states
            ),
            due=lambda o: timezone.localdate(o.submitted_at) + dt.timedelta(days=3) if o.submitted_at else None,
        )
    )
    yield
    workflow.REGISTRY.clear()
    workflow.REGISTRY.update(saved[0])
    workflow.WORKFLOWS.clear()
    workflow.WORKFLOWS.update(saved[1])


def _pending(clerk, addressee, title, submitted_days_ago=0):
    letter = services.letter_create(by=clerk, title=title, body="正文", addressees=[addressee])
    services.letter_submit(letter=letter, by=clerk)
    if submitted_days_ago:
        Letter.objects.filter(pk=letter.pk).update(submitted_at=timezone.now() - dt.timedelta(days=submitted_days_ago))
    return Letter.objects.get(pk=letter.pk)


def test_the_head_has_the_pending_letter_and_the_clerk_does_not(letter_flow, court_clerk, court_head, agency_staff):
    letter = _pending(court_clerk, agency_staff.institution, "关于执法程序的函")
    mine = todo.items(court_head)
    assert [(i.verb, i.obj.pk, i.label) for i in mine] == [("letter.issue", letter.pk, "待签发")]
    assert todo.items(court_clerk) == []  # the guard decides
    assert todo.items(agency_staff) == []  # not his institution's letter
    services.letter_issue(letter=letter, by=court_head)
    assert todo.items(court_head) == []  # done: gone


def test_overdue_first_then_by_deadline(letter_flow, court_clerk, court_head, agency_staff):
    fresh = _pending(court_clerk, agency_staff.institution, "新近提交")
    late = _pending(court_clerk, agency_staff.institution, "早已提交", submitted_days_ago=10)
    middle = _pending(court_clerk, agency_staff.institution, "前天提交", submitted_days_ago=2)
    found = todo.items(court_head)
    assert [i.obj.pk for i in found] == [late.pk, middle.pk, fresh.pk]
    assert found[0].overdue and found[0].deadline.label == "已逾期 7 天"
    assert not found[1].overdue


def test_dashboard_counter_is_the_length_of_its_list(letter_flow, court_clerk, court_head, agency_staff):
    _pending(court_clerk, agency_staff.institution, "甲函", submitted_days_ago=10)
    _pending(court_clerk, agency_staff.institution, "乙函")
    client = Client()
    client.force_login(court_head)
    response = client.get("/")
    page = response.content.decode()
    assert len(response.context["todo"]) == 2 and response.context["todo_overdue"] == 1
    assert '<span class="summary-n" data-count="todo">2</span>' in page
    assert page.count('data-verb="letter.issue"') == 2
    assert "1 件逾期" in page


def test_api_returns_the_same_list(letter_flow, court_clerk, court_head, agency_staff):
    letter = _pending(court_clerk, agency_staff.institution, "甲函", submitted_days_ago=10)
    api = APIClient()
    api.force_authenticate(court_head)
    body = api.get("/api/v1/todo/").json()
    assert body["count"] == 1 and body["overdue"] == 1
    row = body["results"][0]
    assert row["verb"] == "letter.issue" and row["action"] == "issue" and row["label"] == "待签发"
    assert row["record"]["uuid"] == str(letter.uuid) and row["deadline"] == "已逾期 7 天"
    api.force_authenticate(court_clerk)
    assert api.get("/api/v1/todo/").json() == {"count": 0, "overdue": 0, "results": []}


def test_api_needs_a_login():
    assert APIClient().get("/api/v1/todo/").status_code in (401, 403)


# ----------------------------------------------------------------------------- the hub's own duties


def _rows(user):
    return [(i.label, i.verb, i.obj.pk) for i in todo.items(user)]


def test_a_pending_letter_waits_for_its_head_and_each_copy_for_its_recipient(
    court_clerk, court_head, agency_staff, agency_head, gov_legal
):
    letter = services.letter_create(
        by=court_clerk,
        title="关于执法程序的函",
        body="正文",
        addressees=[agency_staff.institution],
        cc=[gov_legal.institution],
    )
    services.letter_submit(letter=letter, by=court_clerk)
    assert _rows(court_head) == [("待签发", "letter.issue", letter.pk)]
    assert _rows(court_clerk) == [] and _rows(agency_staff) == []

    services.letter_issue(letter=letter, by=court_head)
    assert _rows(court_head) == []
    to = letter.deliveries.get(recipient=agency_staff.institution)
    cc = letter.deliveries.get(recipient=gov_legal.institution)
    assert _rows(agency_staff) == [("待签收", "delivery.sign", to.pk)] == _rows(agency_head)
    assert _rows(gov_legal) == [("待签收", "delivery.sign", cc.pk)]
    row = todo.items(gov_legal)[0]
    letter.refresh_from_db()
    assert (row.kind, row.title, row.subtitle, row.record_url) == (
        "抄送",
        letter.doc_number,
        "关于执法程序的函",
        f"/letters/{letter.uuid}/",
    )
    assert row.action_url == f"/letters/{letter.uuid}/sign/"

    services.delivery_sign(delivery=to, by=agency_staff)
    assert _rows(agency_staff) == [] == _rows(agency_head)
    assert len(_rows(gov_legal)) == 1  # each copy is its recipient's


def test_a_letter_that_serves_a_record_with_a_duty_of_its_own_is_one_row(court_clerk, court_head, agency_staff):
    """A letter's copy is left out when the user has a duty on the letter's source (part_of)."""
    from liaison.models import Delivery
    from suggestions import services as suggestion_services

    s = suggestion_services.suggestion_create(
        by=court_clerk,
        recipient=agency_staff.institution,
        title="关于规范行政执法程序的建议",
        problem="执法文书送达程序不规范。",
        recommendations="完善送达程序。",
    )
    suggestion_services.suggestion_submit(suggestion=s, by=court_clerk)
    suggestion_services.suggestion_approve(suggestion=s, by=court_head)
    s = suggestion_services.suggestion_issue(suggestion=s, by=court_head)
    assert Delivery.objects.filter(letter=s.letter, recipient=agency_staff.institution, signed_on=None).exists()
    assert [(i.label, i.verb) for i in todo.items(agency_staff)] == [("待签收", "suggestion.receive")]
