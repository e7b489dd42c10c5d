"""待办 asks the transition table the quick way and gives the reference answer (issue 12).

`todo.items` asks `workflow.available(user, obj, flow.todo_verbs)` with the request's user, whose
facts (office, acting) are computed once and kept on it (`access.per_user`); `available` checks
the state before the guard. Over the agreement subjects (every state of every workflow) × the
matrix's personas, the duties it finds are those the reference path finds: every to-do transition
asked one by one through `workflow.allowed` (the services' check: guard, then state), by a user
loaded fresh, with the facts computed by the undecorated functions.
"""

import pytest
from django.utils.functional import SimpleLazyObject

from liaison import access, todo, workflow
from liaison.models import User

from . import policy
from .test_agreement import EXTRA_PERSONAS, agreement_modules

pytestmark = pytest.mark.django_db

FACTS = [access.is_office, access.oversees_region, access.is_acting]


def _reference_duties(user, flow, obj) -> set[str]:
    return {
        t.verb
        for t in flow
        if t.todo and workflow.allowed(user, t.verb, obj) and (t.todo_when is None or t.todo_when(user, obj))
    }


def test_the_quick_path_finds_the_duties_the_reference_path_finds(world):
    subjects = [obj for module in agreement_modules().values() for _name, obj in module.subjects(world)]
    subjects = [obj for obj in subjects if workflow.flow_for(obj) is not None]
    personas = policy.PERSONAS + [p for p in EXTRA_PERSONAS if p in world]
    checked = found = 0
    for persona in personas:
        fresh = User.objects.select_related("institution__region").get(pk=world[persona].pk)
        for fact in FACTS:
            assert fact(fresh) == fact.__wrapped__(fresh) == fact(fresh), (persona, fact.__name__)
        # the request's user is a SimpleLazyObject; `available` reads the user inside it
        lazy = SimpleLazyObject(lambda pk=fresh.pk: User.objects.select_related("institution__region").get(pk=pk))
        reference_user = User.objects.select_related("institution__region").get(pk=fresh.pk)
        for obj in subjects:
            flow = workflow.flow_for(obj)
            # every workflow (some have no state field): the buttons and allowed_actions
            assert [t.verb for t in workflow.available(lazy, obj)] == [
                t.verb for t in flow if workflow.allowed(reference_user, t.verb, obj)
            ], f"{persona}: {obj!r}"
            checked += 1
            if flow.todo_transitions:
                quick = {t.verb for t in workflow.available(lazy, obj, flow.todo_verbs) if flow.is_duty(lazy, t, obj)}
                assert quick == _reference_duties(reference_user, flow, obj), f"{persona}: {obj!r}"
                found += len(quick)
        # and the list itself: each row's step is its transition's wording, each duty the reference's
        for item in todo.items(lazy):
            assert item.label == str(item.transition.todo)
            assert item.verb in _reference_duties(reference_user, workflow.flow_for(item.obj), item.obj)
    print(f"\ntodo agreement: {checked} persona × record pairs, {found} duties")
    assert checked and found
