"""The cross-tenant matrix's machinery (QUALITY.md item 1); the tests are in test_matrix.py.

Every URL route (from the resolver) and every API operation (from the OpenAPI schema)
must have a row in the policy module of one app (tests/security/policy_<label>.py, found
through liaison.plugins); an unclassified route fails the build. Each row is probed as
every persona (and anonymously) against every record it targets, and the answer is
compared with the policy tables:

- a record the persona may not see answers 404, exactly like a missing id;
- a visible record whose verb the persona may not perform answers 403;
- an allowed request answers neither (and never 5xx);
- no response carries the canary of a record the persona may not see (bodies, headers,
  PDFs, workbooks);
- a denied write changes nothing (no audit entry is written).
"""

import functools
import json
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.models import AuditEntry

from . import policy, scenario
from .rows import Row


@dataclass(frozen=True)
class Case:
    """One classified route, probed as one test: `label` is the app whose policy module has its row."""

    label: str
    route: str  # the URL name, or "METHOD /api/v1/path/"
    pattern: str
    row: Row
    api: bool

    @property
    def id(self) -> str:
        return f"{self.label}-{self.route.replace(' ', '-')}"


@dataclass
class Classification:
    cases: list[Case] = field(default_factory=list)  # probed routes
    skipped: list[str] = field(default_factory=list)  # classified with a reason not to probe
    unclassified: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a row in two modules, a row for no route


def _merged(attr: str) -> tuple[dict, list[str]]:
    """{key: (label, Row)} of every policy module's WEB_ROUTES or API_ROUTES, and the keys declared twice."""
    merged, twice = {}, []
    for label, module in policy.modules():
        for key, row in getattr(module, attr, {}).items():
            if key in merged:
                twice.append(f"{key}: a row in policy_{merged[key][0]} and in policy_{label}")
            merged[key] = (label, row)
    return merged, twice


def web_routes() -> dict:
    return _merged("WEB_ROUTES")[0]


def api_routes() -> dict:
    """{(METHOD, path): Row} of every app."""
    return {key: row for key, (_label, row) in _merged("API_ROUTES")[0].items()}


def prefixes() -> dict:
    return {p: why for _label, module in policy.modules() for p, why in getattr(module, "PREFIXES", {}).items()}


def iter_patterns(resolver=None, prefix="", namespace=""):
    """(pattern, qualified name) of every route, e.g. ("api/v1/auth/logout/", "api:logout")."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from iter_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


@functools.cache
def api_operations(urlconf=None) -> tuple:
    """(METHOD, path) of every operation in the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    return tuple(
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    )


def normalise(pattern: str) -> str:
    """A resolver pattern as an OpenAPI path: api/v1/^letters/(?P<uuid>[^/.]+)/$ → /api/v1/letters/{uuid}/."""
    path = pattern.replace("^", "").replace("$", "")
    path = re.sub(r"\\\.\(\?P<format>[^)]*\)/?", "", path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return "/" + path.lstrip("/")


def classify(urlconf=None) -> Classification:
    """Every route of `urlconf` (default: the project's) against the policy modules' rows."""
    out = Classification()
    web, twice_web = _merged("WEB_ROUTES")
    api, twice_api = _merged("API_ROUTES")
    out.problems += twice_web + twice_api
    operations = api_operations(urlconf)
    schema_paths = {path for _method, path in operations}
    skip_prefixes = prefixes()
    seen_names = set()
    for pattern, name in iter_patterns(get_resolver(urlconf)):
        seen_names.add(name)
        if pattern.startswith("api/v1/") and name not in web:
            if normalise(pattern) in schema_paths:
                continue  # probed through the OpenAPI operations
            out.unclassified.append(f"{pattern} ({name}): an API route missing from the OpenAPI schema")
            continue
        if any(pattern.startswith(p) for p in skip_prefixes):
            continue
        if name not in web:
            out.unclassified.append(f"{pattern} ({name})")
            continue
        label, row = web[name]
        if row.skip:
            out.skipped.append(f"{name}: {row.skip}")
        else:
            out.cases.append(Case(label=label, route=name, pattern=pattern, row=row, api=False))
    for method, path in operations:
        if (method, path) not in api:
            out.unclassified.append(f"{method} {path}")
            continue
        label, row = api[(method, path)]
        if row.skip:
            out.skipped.append(f"{method} {path}: {row.skip}")
        else:
            route_row = replace(row, methods=(method,))
            out.cases.append(Case(label=label, route=f"{method} {path}", pattern=path, row=route_row, api=True))
    out.problems += [f"{name}: a row for a route that does not exist" for name in web.keys() - seen_names]
    out.problems += [f"{m} {p}: a row for an operation not in the schema" for m, p in api.keys() - set(operations)]
    return out


def web_rows() -> list[tuple[str, str, Row]]:
    """(pattern, url name, Row) of every probed page route."""
    return [(c.pattern, c.route, c.row) for c in classify().cases if not c.api]


# ----------------------------------------------------------------------------- probing


@dataclass
class Tally:
    probes: int = 0
    leaks: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict:
        return {
            "probes": self.probes,
            "leaks": len(self.leaks),
            "unexpected": len(self.unexpected),
            "errors": len(self.errors),
        }


def expected(persona, row, target, method):
    if persona == "anonymous":
        return "ok" if row.anon == "open" else "login"
    if not policy.visible(persona, target):
        return 404
    verb = row.verb if method != "GET" else row.get_verb
    if not policy.allowed(persona, verb, target):
        return 403
    return "ok"


def check(tally, label, persona, exp, response, objs, audit_before, method):
    tally.probes += 1
    status = response.status_code
    if status >= 500:
        tally.errors.append(f"{label} as {persona}: {status}")
    if exp == "login":
        if status not in (302, 401, 403):
            tally.unexpected.append(f"{label} anonymous: {status}")
    elif exp == 404:
        if status != 404:
            tally.unexpected.append(f"{label} as {persona}: {status}, expected 404")
    elif exp == 403:
        if status != 403:
            tally.unexpected.append(f"{label} as {persona}: {status}, expected 403")
    elif status in (403, 404):
        tally.unexpected.append(f"{label} as {persona}: {status}, expected to be allowed")
    if exp in (403, 404, "login") and method != "GET" and AuditEntry.objects.count() != audit_before:
        tally.unexpected.append(f"{label} as {persona}: denied write changed something")
    text = scenario.text_of(response)
    for record, (_obj, mark) in objs.items():
        if persona != "anonymous" and policy.visible(persona, record):
            continue
        if mark in text:
            tally.leaks.append(f"{label} as {persona}: canary of {record}")


def probe(client, method, url, data, api):
    if method == "GET":
        return client.get(url, data or None)
    with transaction.atomic():
        if api:
            response = client.generic(method, url, data=json.dumps(data), content_type="application/json")
        else:
            response = client.generic(
                method, url, data=urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
            )
        # Keep the scenario intact for the next probe.
        transaction.set_rollback(True)
    return response


def fill(pattern: str, kwargs: dict) -> str:
    url = pattern
    for key, value in kwargs.items():
        url = re.sub(r"<(?:\w+:)?%s>" % key, str(value), url)
        url = url.replace("{%s}" % key, str(value))
    return "/" + url.lstrip("/")


def signed_in(user) -> str:
    """The session key of a new session of `user`."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def run(case: Case, world: dict, objs: dict, sessions: dict | None = None) -> Tally:
    """Probe one route: every method × target × persona (and anonymously).

    sessions: {persona: session key} to start from (else each persona signs in here).
    """
    tally = Tally()
    row = case.row
    clients = {"anonymous": Client()}
    for persona in policy.PERSONAS:
        client = clients[persona] = Client()
        if sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
        else:
            client.force_login(world[persona])
    for method in row.methods:
        for target in row.targets:
            kwargs = row.kwargs(objs[target][0]) if (row.kwargs and target) else {}
            url = fill(case.pattern, kwargs)
            if row.query and target:
                url += "?" + urlencode(row.query(objs[target][0]))
            for persona, client in clients.items():
                if persona != "anonymous" and client.session.get("_auth_user_id") is None:
                    # An earlier probe logged the persona out (logout routes).
                    client.force_login(world[persona])
                exp = expected(persona, row, target, method)
                audit_before = AuditEntry.objects.count()
                response = probe(client, method, url, row.data, case.api)
                check(tally, f"{method} {url} [{target}]", persona, exp, response, objs, audit_before, method)
    return tally
