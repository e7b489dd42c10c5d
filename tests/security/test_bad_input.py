"""Malformed input to every API write (QUALITY.md item 13): never a 5xx, never a half-saved record.

For every POST/PATCH operation in the OpenAPI schema, a persona allowed to perform it
sends bodies built from the operation's request schema with every field wrong in turn
(wrong type, null, huge, negative, impossible date, foreign id, nested junk) and a few
whole-body variants. Each must answer 2xx or 4xx; a 400 must carry field errors; a
rejected request must write no audit entry (nothing half-saved).
"""

import json

import pytest
from django.db import transaction
from django.test import Client

from liaison.models import AuditEntry

from . import policy, scenario
from .matrix import api_operations, api_routes

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    None,
    "",
    "x" * 20000,
    -1,
    10**12,
    1.5,
    [],
    {"a": 1},
    "2026-13-45",
    "00000000-0000-0000-0000-000000000000",
    "<script>alert(1)</script>",
    True,
]
WHOLE_BODIES = ["", "null", "[]", '"text"', "{", json.dumps({"unknown_field": 1})]


def request_fields(schema, method, path):
    op = schema["paths"][path][method.lower()]
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if not body:
        return {}
    ref = body.get("$ref", "")
    component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return component.get("properties", {})


def allowed_persona(row, target):
    for persona in policy.PERSONAS:
        if policy.visible(persona, target) and policy.allowed(persona, row.verb, target):
            return persona
    return None


def test_malformed_bodies_never_cause_server_errors_or_partial_writes(world):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    objs = scenario.build(world)
    operations = cases = 0
    failures = []
    statuses: dict[int, int] = {}
    for method, path in api_operations():
        if method not in ("POST", "PATCH"):
            continue
        row = api_routes().get((method, path))
        if row is None or row.skip:
            continue
        target = row.targets[0]
        persona = allowed_persona(row, target)
        if persona is None:
            continue
        url = path
        if row.kwargs and target:
            for key, value in row.kwargs(objs[target][0]).items():
                url = url.replace("{%s}" % key, str(value))
        fields = request_fields(schema, method, path)
        bodies = [json.dumps({name: bad}) for name in fields for bad in BAD_VALUES]
        bodies += [json.dumps({name: BAD_VALUES[i % len(BAD_VALUES)] for i, name in enumerate(fields)})]
        bodies += WHOLE_BODIES
        client = Client()
        client.force_login(world[persona])
        operations += 1
        for body in bodies:
            cases += 1
            audit_before = AuditEntry.objects.count()
            with transaction.atomic():
                response = client.generic(method, url, data=body, content_type="application/json")
                wrote = AuditEntry.objects.count() != audit_before
                transaction.set_rollback(True)
            label = f"{method} {url} as {persona} with {body[:80]}"
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append(f"{label}: {response.status_code}")
            elif response.status_code == 400:
                payload = response.json()
                if not isinstance(payload, dict) or not payload:
                    failures.append(f"{label}: 400 without field errors")
                if wrote:
                    failures.append(f"{label}: rejected but wrote an audit entry")
            if client.session.get("_auth_user_id") is None:
                client.force_login(world[persona])
    print(
        f"\nmalformed input: {operations} operations, {cases} cases, {len(failures)} failures (5xx or bare 400); answers {sorted(statuses.items())}"
    )
    assert operations > 20
    # The bodies really were rejected as bad input: among the answers that read the body. A record
    # whose state refuses the action answers 409 before its body is read (404 → 403 → 409 → 400).
    assert statuses.get(400, 0) > (cases - statuses.get(409, 0)) // 2
    assert not failures, "\n".join(failures[:40])
