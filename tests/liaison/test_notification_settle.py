"""Notifications that ask for an action settle themselves once it is taken (issue 8, item 5)."""

import pytest
from django.test import Client

from liaison import services, workflow
from liaison.models import Letter, Notification


@pytest.fixture
def pending(court_clerk, agency_staff):
    letter = services.letter_create(
        by=court_clerk, title="关于规范执法程序的函", body="正文", addressees=[agency_staff.institution]
    )
    return services.letter_submit(letter=letter, by=court_clerk)


def _bell(user) -> int:
    client = Client()
    client.force_login(user)
    return client.get("/notifications/").context["unread_notifications"]


def test_the_sign_off_request_settles_when_the_letter_is_issued(pending, court_clerk, court_head):
    asked = Notification.objects.get(user=court_head, kind="letter.pending")
    assert asked.awaits == "letter.issue" and asked.settled_at is None and asked.read_at is None
    before = _bell(court_head)
    services.letter_issue(letter=Letter.objects.get(pk=pending.pk), by=court_head)
    asked.refresh_from_db()
    assert asked.settled_at is not None and asked.read_at is not None
    assert _bell(court_head) == before - 1
    page = Client()
    page.force_login(court_head)
    assert "已办理" in page.get("/notifications/").content.decode()


def test_returning_the_letter_settles_it_too(pending, court_clerk, court_head):
    """Whoever entitled acts, and whatever the action, the request is no longer open."""
    services.letter_return(letter=Letter.objects.get(pk=pending.pk), by=court_head, reason="请补充依据")
    assert Notification.objects.get(user=court_head, kind="letter.pending").settled_at is not None
    # the clerk's notice of the return asks for nothing: it stays unread until read
    returned = Notification.objects.get(user=court_clerk, kind="letter.returned")
    assert returned.settled_at is None and returned.read_at is None


def test_an_unrelated_change_leaves_an_open_request_open(pending, court_head, court_clerk):
    """An audited change that leaves the record in the state it asked from settles nothing."""
    services.audit(actor=court_clerk, action="letter.viewed", target=pending)
    assert Notification.objects.get(user=court_head, kind="letter.pending").settled_at is None


@pytest.fixture
def check_flow():
    """A throwaway declared transition on Letter that stays open while the title is not "x"."""
    saved = dict(workflow.REGISTRY), dict(workflow.WORKFLOWS)
    workflow.REGISTRY["t.check"] = (
        workflow.Workflow(Letter),
        workflow.Transition("t.check", who=lambda u, o: True, when=lambda o: o.title != "x"),
    )
    yield
    workflow.REGISTRY.clear()
    workflow.REGISTRY.update(saved[0])
    workflow.WORKFLOWS.clear()
    workflow.WORKFLOWS.update(saved[1])


def test_a_declared_transition_settles_when_no_longer_open_to_the_user(pending, court_head, court_clerk, check_flow):
    """With a declared verb the workflow decides, even when the state did not change."""
    services.notify(users=[court_head], kind="t", title="请核对", key="k1", about=pending, awaits="t.check")
    services.audit(actor=court_clerk, action="t.other", target=pending)
    assert Notification.objects.get(user=court_head, key="k1").settled_at is None  # still open to him
    pending.title = "x"
    services.audit(actor=court_clerk, action="t.check", target=pending)
    assert Notification.objects.get(user=court_head, key="k1").settled_at is not None


def test_a_request_names_its_record():
    with pytest.raises(ValueError):
        services.notify(users=[], kind="t", title="x", key="k", awaits="letter.issue")
