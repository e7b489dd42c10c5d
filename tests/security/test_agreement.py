"""Agreement: the page, the API and the service give one answer for every transition (issue 7).

Over every registered workflow model (liaison.workflow) × state × verb × persona:

- the detail page shows the action's button (`data-verb="<verb>"`, rendered by {% actions %})
  exactly when the detail API lists it in `allowed_actions` exactly when the service accepts it
  (tried inside a savepoint that is rolled back, so the world stays as built);
- otherwise the service refuses with PermissionDenied (403) or Conflict (409), never another
  error (a ValidationError here means the module's attempt is not minimal valid input);
- a record the persona may not see answers 404 on the page and in the API, and its service
  refuses too.

How an app plugs in, without editing this file: for each installed app (liaison.plugins, and
"liaison") the module `tests.security.agreement_<label>`, if it exists, defines

    subjects(world)  -> iterable of (name, obj): records covering every state of every workflow
                        model of the app (`world`: the personas, as in the cross-tenant matrix);
    ATTEMPT          -> {verb: callable(user, obj)} calling the real service with minimal valid input;
    page_url(obj)    -> the URL of the page that shows obj's buttons (or None: no page);
    api_url(obj)     -> the URL of the detail API whose `allowed_actions` lists obj's actions (or None).

A registered workflow whose app has no module, a state no subject is in, or a verb without an
attempt fails the test, like an unclassified route in the matrix. The world is built once;
each persona fetches each subject's page and API once and tries every verb of its flow.
"""

import importlib
import os
import re

import pytest
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.test import Client

from liaison import plugins, workflow
from liaison.errors import Conflict

from . import policy

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r"<(?:a|button)\b[^>]*\bdata-verb=\"([^\"]+)\"[^>]*>")
RECORD = re.compile(r'\bdata-record="([^"]*)"')
# Workflows registered before their agreement subjects were written, each with who is writing
# them: listed in the closing line, never silently; remove an entry when its subjects land.
NOT_YET_COVERED: dict[str, str] = {}
# The matrix's personas, and the office's head (the convener's head signs meetings' notices and minutes off).
EXTRA_PERSONAS = ["office_head"]


def agreement_modules() -> dict:
    """{app label: module} for every installed app that has tests/security/agreement_<label>.py
    (`AGREEMENT_APPS=suggestions,liaison` runs only those apps' subjects, for a quick look)."""
    modules = {}
    only = {a for a in os.environ.get("AGREEMENT_APPS", "").split(",") if a}
    for label in [p.label for p in plugins.plugins()] + ["liaison"]:
        if only and label not in only:
            continue
        name = f"tests.security.agreement_{label}"
        try:
            modules[label] = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


class _Rollback(Exception):
    pass


def attempt(fn, user, obj):
    """Try a service on a fresh copy of obj, then roll it back: "ok", 403, 409, or what else it raised."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    try:
        with transaction.atomic():
            fn(user, fresh)
            raise _Rollback
    except _Rollback:
        return "ok"
    except PermissionDenied:
        return 403
    except Conflict:
        return 409
    except Exception as exc:  # noqa: BLE001 — reported as a disagreement, with what it was
        return f"{type(exc).__name__}: {exc}"


def page_answer(client, url):
    """(visible, verbs on the page) or (None, reason) when the page answered neither 200 nor 404."""
    response = client.get(url)
    if response.status_code == 404:
        return False, set()
    if response.status_code != 200:
        return None, f"page {url}: {response.status_code}"
    buttons = set()
    for tag in BUTTON.finditer(response.content.decode()):
        record = RECORD.search(tag.group(0))
        buttons.add((tag.group(1), record.group(1) if record else None))
    return True, buttons


def on_page(buttons, verb, obj) -> bool:
    """A button of `verb` for this record (`data-record`, its uuid); a button without one counts
    for any record of the page."""
    uuid = str(getattr(obj, "uuid", ""))
    return any(v == verb and (record is None or record == uuid) for v, record in buttons)


def api_answer(client, url):
    response = client.get(url, HTTP_ACCEPT="application/json")
    if response.status_code == 404:
        return False, set()
    if response.status_code != 200:
        return None, f"API {url}: {response.status_code}"
    return True, set(response.json().get("allowed_actions", []))


def state_of(flow, obj):
    """The record's state; None for a model without one (its transitions start from any state)."""
    return getattr(obj, flow.state, None)


def states_of(flow) -> set | None:
    """The states to cover: the state field's choices; None for a model without a state, or
    whose state is computed (a property): then one subject or more, in the states they show."""
    try:
        field = flow.model._meta.get_field(flow.state)
    except FieldDoesNotExist:
        return None
    return {value for value, _label in field.choices}


def coverage_problems(modules, subjects_by_app) -> list[str]:
    """Every registered workflow model has subjects in every state, and every verb an attempt."""
    problems = []
    only = {a for a in os.environ.get("AGREEMENT_APPS", "").split(",") if a}
    for model, flow in workflow.WORKFLOWS.items():
        label = model._meta.app_label
        if only and label not in only:
            continue
        name = f"{label}.{model.__name__}"
        module = modules.get(label)
        if module is None:
            problems.append(f"{name}: no tests/security/agreement_{label}.py")
            continue
        covered = {state_of(flow, obj) for _n, obj in subjects_by_app[label] if isinstance(obj, model)}
        states = states_of(flow)
        if not covered:
            problems.append(f"{name}: no subject")
        elif states is not None and (missing := states - covered):
            problems.append(f"{name}: no subject in state {sorted(missing)}")
        for t in flow:
            if t.verb not in module.ATTEMPT:
                problems.append(f"{name}: no ATTEMPT for {t.verb}")
    return problems


def judge(visible, shown, listed, result) -> str | None:
    """None when the three answers agree, else what is wrong."""
    if result not in ("ok", 403, 409):
        return f"service raised {result}"
    accepted = result == "ok"
    if not visible:
        return "invisible record, but the service accepts" if accepted else None
    if shown is not None and shown != accepted:
        return f"page {'shows' if shown else 'hides'} it, service {'accepts' if accepted else result}"
    if listed is not None and listed != accepted:
        return f"API {'lists' if listed else 'omits'} it, service {'accepts' if accepted else result}"
    return None


def test_page_api_and_service_agree(world, record_property):
    modules = agreement_modules()
    subjects_by_app = {label: list(module.subjects(world)) for label, module in modules.items()}
    problems = [p for p in coverage_problems(modules, subjects_by_app) if p.split(":")[0] not in NOT_YET_COVERED]

    personas = policy.PERSONAS + [p for p in EXTRA_PERSONAS if p in world]
    clients = {}
    for persona in personas:
        clients[persona] = Client()
        clients[persona].force_login(world[persona])

    combinations = 0
    disagreements: list[str] = []
    for label, module in modules.items():
        for name, obj in subjects_by_app[label]:
            flow = workflow.flow_for(obj)
            if flow is None:
                problems.append(f"{label}: subject {name} is not a registered workflow model")
                continue
            page, api = module.page_url(obj), module.api_url(obj)
            for persona in personas:
                user, client = world[persona], clients[persona]
                where = f"{name} [{state_of(flow, obj)}] as {persona}"
                page_visible, page_verbs = page_answer(client, page) if page else (None, set())
                api_visible, api_names = api_answer(client, api) if api else (None, set())
                for seen, answer in ((page_visible, page_verbs), (api_visible, api_names)):
                    if seen is None and answer:
                        disagreements.append(f"{where}: {answer}")
                if page and api and page_visible is not None and api_visible is not None:
                    if page_visible != api_visible:
                        disagreements.append(f"{where}: page visible={page_visible}, API visible={api_visible}")
                visible = bool(page_visible if page else api_visible if api else True)
                for t in flow:
                    combinations += 1
                    shown = on_page(page_verbs, t.verb, obj) if (page and t.page and page_visible is not None) else None
                    listed = (t.api in api_names) if (api and api_visible is not None) else None
                    fn = module.ATTEMPT.get(t.verb)
                    if fn is None:
                        continue  # reported by coverage_problems
                    if problem := judge(visible, shown, listed, attempt(fn, user, obj)):
                        disagreements.append(f"{where} {t.verb}: {problem}")

    pending = f" (not yet covered: {', '.join(NOT_YET_COVERED)})" if NOT_YET_COVERED else ""
    print(f"\nagreement: {combinations} combinations, {len(disagreements)} disagreements{pending}")
    record_property("agreement", f"{combinations} combinations, {len(disagreements)} disagreements{pending}")
    report = ["workflows not covered:", *problems] if problems else []
    report += disagreements[:80]
    assert not (problems or disagreements), "\n".join(report)
    assert combinations > 0
