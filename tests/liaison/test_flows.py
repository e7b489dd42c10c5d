"""The hub's transitions (liaison/flows.py) agree across page, API and service: for every letter,
delivery and ledger entry in every state and every persona, the page shows an action's button
exactly when the API lists it exactly when the service accepts it (tests/security/agreement_liaison.py
is the same world the agreement harness walks)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client
from rest_framework.test import APIClient

from liaison import workflow
from liaison.errors import Conflict
from tests.security import agreement_liaison as spec

pytestmark = pytest.mark.django_db

PERSONAS = ["court_clerk", "court_head", "agency_staff", "agency_head", "gov_legal", "office", "auditor", "env_staff"]


class _Rollback(Exception):
    pass


def _service_accepts(verb, user, obj) -> bool:
    try:
        with transaction.atomic():
            spec.ATTEMPT[verb](user, type(obj).objects.get(pk=obj.pk))
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, Conflict, Http404):
        return False


def test_page_api_and_service_agree_for_every_hub_record_state_and_persona(world):
    subjects = spec.subjects(world)
    combos, disagreements = 0, []
    for username in PERSONAS:
        user = world[username]
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        for name, obj in subjects:
            flow = workflow.flow_for(obj)
            response = page.get(spec.page_url(obj))
            shown = (
                set(re.findall(r'data-verb="([^"]+)"', response.content.decode()))
                if response.status_code == 200
                else set()
            )
            detail = api.get(spec.api_url(obj))
            listed = set(detail.json()["allowed_actions"]) if detail.status_code == 200 else set()
            for t in flow:
                combos += 1
                on_page = t.verb in shown
                in_api = t.api in listed
                accepted = _service_accepts(t.verb, user, obj)
                if isinstance(obj, type(subjects[3][1])):  # a delivery: only the user's own shows anywhere
                    own = obj.recipient_id == user.institution_id
                    on_page, in_api = on_page and own, in_api and own
                if not (on_page == in_api == accepted):
                    disagreements.append((username, name, t.verb, on_page, in_api, accepted))
    print(f"{combos} combinations, {len(disagreements)} disagreements")
    assert not disagreements, disagreements
    assert combos >= 200
