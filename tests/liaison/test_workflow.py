"""The transition table: guard first (403), then state and condition (409); buttons and API derive from it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from liaison import access, workflow
from liaison.errors import Conflict
from liaison.models import Letter, User

DRAFT, ISSUED = Letter.Status.DRAFT, Letter.Status.ISSUED


class _Head:
    is_authenticated = True
    role = User.Role.HEAD


class _Staff:
    is_authenticated = True
    role = User.Role.STAFF


def _head(user, obj):
    return user.role == User.Role.HEAD


@pytest.fixture
def flow():
    """A throwaway workflow on Letter, removed afterwards so the real registry is untouched."""
    saved = dict(workflow.REGISTRY), dict(workflow.WORKFLOWS)
    f = workflow.register(
        workflow.Workflow(
            Letter,
            workflow.Transition("t.edit", sources=[DRAFT], target=None, who=lambda u, o: True, label="edit"),
            workflow.Transition("t.issue", sources=[DRAFT], target=ISSUED, who=_head, label="issue"),
            workflow.Transition(
                "t.request_extension",
                sources=[DRAFT],
                who=lambda u, o: True,
                when=lambda o: o.title != "x",
                refusal="no",
            ),
        )
    )
    yield f
    workflow.REGISTRY.clear()
    workflow.REGISTRY.update(saved[0])
    workflow.WORKFLOWS.clear()
    workflow.WORKFLOWS.update(saved[1])


def test_guard_refuses_before_state(flow):
    letter = Letter(status=ISSUED, title="a")
    with pytest.raises(PermissionDenied):
        access.require(_Staff(), "t.issue", letter)  # wrong role and wrong state: 403 wins
    with pytest.raises(Conflict) as exc:
        access.require(_Head(), "t.issue", letter)
    assert "已发出" in exc.value.message or "issued" in exc.value.message.lower()


def test_condition_refuses_with_its_message(flow):
    with pytest.raises(Conflict) as exc:
        access.require(_Staff(), "t.request_extension", Letter(status=DRAFT, title="x"))
    assert exc.value.message == "no"
    access.require(_Staff(), "t.request_extension", Letter(status=DRAFT, title="y"))


def test_available_and_api_names_follow_the_table(flow):
    letter = Letter(status=DRAFT, title="a")
    assert [t.verb for t in workflow.available(_Head(), letter)] == ["t.edit", "t.issue", "t.request_extension"]
    assert workflow.api_actions(_Staff(), letter) == ["edit", "request-extension"]
    assert workflow.available(_Head(), Letter(status=ISSUED, title="a")) == []
    assert workflow.available(AnonymousUser(), letter) == []


def test_can_is_the_guard_and_allowed_adds_the_state(flow):
    issued = Letter(status=ISSUED, title="a")
    assert access.can(_Head(), "t.issue", issued) is True
    assert access.allowed(_Head(), "t.issue", issued) is False
    assert access.allowed(_Head(), "t.issue", Letter(status=DRAFT, title="a")) is True


def test_a_verb_is_declared_once():
    with pytest.raises(ValueError):
        workflow.Workflow(Letter, workflow.Transition("t.x", who=_head), workflow.Transition("t.x", who=_head))


def test_actions_tag_renders_exactly_the_available_transitions_with_a_page(flow, monkeypatch):
    from django.template import Context, Template

    monkeypatch.setattr(workflow, "page_url", lambda t, obj: f"/x/{t.name}/")
    object.__setattr__(flow.transitions["t.edit"], "page", "x:edit")
    object.__setattr__(flow.transitions["t.issue"], "page", "x:issue")
    tpl = Template("{% load portal %}{% actions obj %}")
    head = tpl.render(Context({"user": _Head(), "obj": Letter(status=DRAFT, title="a")}))
    staff = tpl.render(Context({"user": _Staff(), "obj": Letter(status=DRAFT, title="a")}))
    issued = tpl.render(Context({"user": _Head(), "obj": Letter(status=ISSUED, title="a")}))
    assert 'data-verb="t.edit"' in head and 'data-verb="t.issue"' in head
    assert 'href="/x/issue/"' in head
    assert "t.request_extension" not in head  # no page: no button
    assert 'data-verb="t.edit"' in staff and "t.issue" not in staff  # the guard decides
    assert "data-verb" not in issued  # the state decides
