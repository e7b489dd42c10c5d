"""Cross-tenant matrix (QUALITY.md item 1).

Every URL route (from the resolver) and every API operation (from the OpenAPI schema)
must have a row in ROUTES below; an unclassified route fails the build. Each row is
probed as every persona (and anonymously) against every record it targets, and the
answer is compared with the policy table in policy.py:

- a record the persona may not see answers 404, exactly like a missing id;
- a visible record whose verb the persona may not perform answers 403;
- an allowed request answers neither (and never 5xx);
- no response carries the canary of a record the persona may not see (bodies, headers,
  PDFs, workbooks);
- a denied write changes nothing (no audit entry is written).

Other apps add their rows to ROUTES (and their records to scenario.py / policy.py).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.models import AuditEntry

from . import policy, scenario

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    """How to probe one route.

    targets: scenario records the route's URL points at (None: a route without a record).
    verb: policy verb for unsafe methods (None: read-only route).
    kwargs: builds the URL kwargs (and API path params) from a target record.
    data: body for unsafe methods.
    anon: what an anonymous user gets ("login": redirect/401/403, "open": allowed).
    skip: why the route is classified but not probed (e.g. Django admin, language switch).
    """

    methods: tuple = ("GET",)
    targets: tuple = (None,)
    verb: str | None = None
    get_verb: str | None = None
    kwargs: object = None
    data: dict = field(default_factory=dict)
    anon: str = "login"
    skip: str = ""
    query: object = None  # builds a query string from the target record


def uuid_of(record):
    return {"uuid": record.uuid}


def letter_attachment(record):
    return {"uuid": record.uuid, "attachment_uuid": record.attachments.first().uuid}


def suggestion_reply(record):
    return {"uuid": record.uuid, "reply_uuid": record.replies.first().uuid}


def suggestion_extension(record):
    return {"uuid": record.uuid, "extension_uuid": record.extensions.first().uuid}


SUGGESTIONS = ("sugg_draft", "sugg_issued", "sugg_received", "sugg_proc")


def sugg(verb, methods=("GET", "POST"), targets=SUGGESTIONS, kwargs=uuid_of):
    return Row(methods=methods, targets=targets, kwargs=kwargs, verb=verb, get_verb=verb if "GET" in methods else None)


CASES = ("case_plain", "case_major", "case_county")


def case_hearing(record):
    return {"uuid": record.uuid, "hearing_uuid": record.hearings.order_by("held_on").first().uuid}


def case_explanation(record):
    hearing = record.hearings.order_by("held_on").last()
    return {"uuid": record.uuid, "hearing_uuid": hearing.uuid, "defendant_uuid": record.defendants.first().uuid}


def on(verb, targets, methods=("GET", "POST"), kwargs=uuid_of, **extra):
    return Row(
        methods=methods, targets=targets, kwargs=kwargs, verb=verb, get_verb=verb if "GET" in methods else None, **extra
    )


def create(verb, methods=("GET", "POST")):
    return Row(methods=methods, verb=verb, get_verb=verb if "GET" in methods else None)


ALL_LETTERS = ("letter_issued", "letter_signed", "letter_proc", "letter_county", "letter_draft", "letter_pending")
ISSUED_LETTERS = ("letter_issued", "letter_signed", "letter_proc", "letter_county")
ENTRIES = ("entry_agency", "entry_env")

MEETINGS = ("meeting_proposed", "meeting_notified", "meeting_minuted")
MEETING_OFFICE_PAGES = ("convene", "decline", "agenda", "hold", "decide", "draft_minutes", "cancel")


def kind_code(record):
    return {"code": "zuotan"}


# ---- the classification of every route: web routes by URL name, API by (METHOD, path)
LIST = Row()
EXPORT = Row()
WEB_ROUTES: dict[str, Row] = {
    "set_language": Row(skip="Django's language switch: sets a cookie, reads no record"),
    "api:schema": LIST,
    "api:docs": LIST,
    "login": Row(methods=("GET", "POST"), anon="open"),
    "logout": Row(methods=("POST",), anon="open"),
    "dashboard": LIST,
    "letter_inbox": LIST,
    "letter_inbox_export": EXPORT,
    "letter_outbox": LIST,
    "letter_outbox_export": EXPORT,
    "letter_create": Row(methods=("GET", "POST"), verb="letter.create", get_verb="letter.create"),
    "letter_detail": Row(targets=ALL_LETTERS, kwargs=uuid_of),
    "letter_edit": Row(
        methods=("GET", "POST"), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.edit", get_verb="letter.edit"
    ),
    "letter_submit": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.submit"),
    "letter_return": Row(
        methods=("GET", "POST"), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.return", get_verb="letter.return"
    ),
    "letter_issue": Row(
        methods=("GET", "POST"), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.issue", get_verb="letter.issue"
    ),
    "letter_sign": Row(
        methods=("GET", "POST"), targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.sign", get_verb="delivery.sign"
    ),
    "letter_read": Row(methods=("POST",), targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.read"),
    "letter_share": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.share"),
    "letter_unshare": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.share"),
    "letter_pdf": Row(targets=ISSUED_LETTERS, kwargs=uuid_of),
    "letter_attachment_add": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.edit"),
    "letter_attachment": Row(targets=("letter_issued",), kwargs=letter_attachment),
    "ledger": LIST,
    "ledger_export": EXPORT,
    "ledger_detail": Row(targets=ENTRIES, kwargs=uuid_of),
    "ledger_complete": Row(methods=("POST",), targets=ENTRIES, kwargs=uuid_of, verb="ledger.complete"),
    "ledger_waive": Row(methods=("POST",), targets=ENTRIES, kwargs=uuid_of, verb="ledger.waive"),
    "inspections": LIST,
    "inspection_create": Row(methods=("GET", "POST"), verb="inspection.create", get_verb="inspection.create"),
    "inspection_detail": Row(targets=("inspection_office",), kwargs=uuid_of),
    "inspection_export": Row(targets=("inspection_office",), kwargs=uuid_of),
    "notifications": LIST,
    "notifications_read_all": Row(methods=("POST",)),
    "notification_read": Row(methods=("POST",), targets=("notification_agency",), kwargs=uuid_of),
    "notification_open": Row(methods=("POST",), targets=("notification_agency",), kwargs=uuid_of),
    # suggestions/
    "suggestions:index": LIST,
    "suggestions:export": EXPORT,
    "suggestions:statistics": LIST,
    "suggestions:statistics_export": EXPORT,
    "suggestions:filings": LIST,
    "suggestions:filing_export": EXPORT,
    "suggestions:create": Row(methods=("GET", "POST"), verb="suggestion.create", get_verb="suggestion.create"),
    "suggestions:filing_create": Row(methods=("GET", "POST"), verb="filing.create", get_verb="filing.create"),
    "suggestions:detail": Row(targets=SUGGESTIONS, kwargs=uuid_of),
    "suggestions:edit": sugg("suggestion.edit"),
    "suggestions:submit": sugg("suggestion.submit", methods=("POST",)),
    "suggestions:approve": sugg("suggestion.approve", methods=("POST",)),
    "suggestions:return": sugg("suggestion.approve"),
    "suggestions:issue": sugg("suggestion.issue"),
    "suggestions:withdraw": sugg("suggestion.withdraw"),
    "suggestions:receive": sugg("suggestion.receive"),
    "suggestions:reply": sugg("suggestion.reply"),
    "suggestions:reply_approve": sugg("suggestion.approve_reply", targets=("sugg_received",), kwargs=suggestion_reply),
    "suggestions:extension_request": sugg("suggestion.request_extension"),
    "suggestions:extension_decide": sugg(
        "suggestion.decide_extension", targets=("sugg_received",), kwargs=suggestion_extension
    ),
    "suggestions:evaluate": sugg("suggestion.evaluate"),
    # meetings/
    "meetings:index": LIST,
    "meetings:propose": create("meeting.propose"),
    "meetings:calendar": LIST,
    "meetings:feed": Row(methods=("GET", "POST")),
    "meetings:ical": Row(
        skip="a secret-token feed without login: tests/meetings/test_views.py (visible meetings only, revoked 404)"
    ),
    "meetings:decisions": LIST,
    "meetings:decisions_bulk": Row(methods=("POST",), verb="decision.office"),
    "meetings:decision_detail": Row(targets=("decision_env",), kwargs=uuid_of),
    "meetings:detail": Row(targets=MEETINGS + ("meeting_closed",), kwargs=uuid_of),
    **{f"meetings:{name}": on("meeting.office", MEETINGS) for name in MEETING_OFFICE_PAGES},
    "meetings:issue_notice": on("meeting.head", MEETINGS),
    "meetings:respond": on("invitation.respond", ("invitation_court",)),
    **{
        f"meetings:minutes_{name}": on("minutes.office", ("minutes_circulated",))
        for name in ("edit", "circulate", "submit")
    },
    "meetings:minutes_comment": on("minutes.comment", ("minutes_circulated",)),
    **{f"meetings:minutes_{name}": on("meeting.head", ("minutes_circulated",)) for name in ("approve", "return")},
    **{f"meetings:decision_{name}": on("decision.office", ("decision_env",)) for name in ("edit", "confirm", "return")},
    "meetings:decision_progress": on("decision.progress", ("decision_env",)),
    "meetings:decision_report": on("decision.report", ("decision_env",)),
    # cases/
    "cases:index": LIST,
    "cases:export": EXPORT,
    "cases:create": create("case.create"),
    "cases:import": create("case.import"),
    "cases:import_template": create("case.import", methods=("GET",)),
    "cases:import_preview": Row(
        skip="a kept upload behind a per-user token: tests/cases/test_views_import.py (another user's token → 404)"
    ),
    "cases:coordinations": LIST,
    "cases:coordination_export": EXPORT,
    "cases:coordination_detail": Row(targets=("coordination",), kwargs=uuid_of),
    "cases:coordination_communicate": on("coordination.communicate", ("coordination",)),
    "cases:coordination_invite": on("coordination.invite", ("coordination",)),
    "cases:coordination_close": on("coordination.close", ("coordination",)),
    "cases:detail": Row(targets=CASES, kwargs=uuid_of),
    "cases:edit": on("case.edit", CASES),
    "cases:hearing_add": on("case.hearing", CASES),
    "cases:appearance": on("case.appearance", ("case_plain",), kwargs=case_hearing),
    "cases:appearance_explanation": Row(targets=("case_plain",), kwargs=case_explanation),
    "cases:conclude": on("case.edit", CASES),
    "cases:effective": on("case.edit", CASES),
    "cases:performance": on("case.edit", CASES),
    "cases:coordination_open": on("coordination.open", CASES),
    "cases:enforcements": LIST,
    "cases:enforcements_export": EXPORT,
    "cases:enforcement_create": create("enforcement.create"),
    "cases:enforcement_detail": Row(targets=("enforcement",), kwargs=uuid_of),
    "cases:enforcement_rule": on("enforcement.rule", ("enforcement",)),
    "cases:enforcement_feedback": on("enforcement.feedback", ("enforcement",)),
    "cases:supervisions": LIST,
    "cases:supervisions_export": EXPORT,
    "cases:supervision_create": create("supervision.create"),
    "cases:supervision_detail": Row(targets=("supervision",), kwargs=uuid_of),
    "cases:supervision_decide": on("supervision.decide", ("supervision",)),
    "cases:case_supervision_create": create("case_supervision.create"),
    "cases:clues": LIST,
    "cases:clues_export": EXPORT,
    "cases:clue_create": create("clue.create"),
    "cases:clue_detail": Row(targets=("clue",), kwargs=uuid_of),
    "cases:clue_receive": on("clue.receive", ("clue",)),
    "cases:clue_handle": on("clue.handle", ("clue",)),
    "cases:disputes": LIST,
    "cases:disputes_export": EXPORT,
    "cases:dispute_create": create("dispute.create"),
    "cases:dispute_detail": Row(targets=("dispute",), kwargs=uuid_of),
    "cases:mediation_add": on("dispute.session", ("dispute",)),
    "cases:dispute_conclude": on("dispute.conclude", ("dispute",)),
    "cases:observations": LIST,
    "cases:observations_export": EXPORT,
    # without ?case= a picker anyone may open; with it, the court of that case only
    "cases:observation_create": on("observation.create", CASES, kwargs=None, query=lambda r: {"case": r.uuid}),
    "cases:observation_detail": Row(targets=("observation",), kwargs=uuid_of),
    "cases:observation_attendance": on("observation.attendance", ("observation",)),
    "cases:reviews": LIST,
    "cases:reviews_export": EXPORT,
    "cases:review_create": on("review.create", CASES, kwargs=None, query=lambda r: {"case": r.uuid}),
    "cases:review_detail": Row(targets=("review",), kwargs=uuid_of),
}

API = "/api/v1/"
API_ROUTES: dict[tuple[str, str], Row] = {
    ("POST", API + "auth/token/"): Row(skip="credential exchange, no record: tests/liaison/test_api_auth*.py"),
    ("POST", API + "auth/logout/"): Row(methods=("POST",)),
    ("GET", API + "calendar/deadline/"): Row(data={"start": "2026-01-31", "period": 1, "unit": "months"}),
    ("GET", API + "todo/"): Row(),  # the caller's own pending actions: liaison.todo asks workflow.available
    ("GET", API + "institutions/"): LIST,
    ("GET", API + "institutions/{uuid}/"): Row(skip="the institution directory is public to every signed-in user"),
    ("GET", API + "inspections/"): LIST,
    ("POST", API + "inspections/"): Row(verb="inspection.create", data={"title": "检查"}),
    ("GET", API + "inspections/{uuid}/"): Row(targets=("inspection_office",), kwargs=uuid_of),
    ("GET", API + "ledger/"): LIST,
    ("GET", API + "ledger/{uuid}/"): Row(targets=ENTRIES, kwargs=uuid_of),
    ("POST", API + "ledger/{uuid}/complete/"): Row(targets=ENTRIES, kwargs=uuid_of, verb="ledger.complete"),
    ("POST", API + "ledger/{uuid}/waive/"): Row(targets=ENTRIES, kwargs=uuid_of, verb="ledger.waive"),
    ("GET", API + "letters/"): LIST,
    ("POST", API + "letters/"): Row(verb="letter.create"),
    ("GET", API + "letters/{uuid}/"): Row(targets=ALL_LETTERS, kwargs=uuid_of),
    ("PATCH", API + "letters/{uuid}/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.edit"),
    ("POST", API + "letters/{uuid}/submit/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.submit"),
    ("POST", API + "letters/{uuid}/return/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.return"),
    ("POST", API + "letters/{uuid}/issue/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.issue"),
    ("POST", API + "letters/{uuid}/sign/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.sign"),
    ("POST", API + "letters/{uuid}/read/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.read"),
    ("POST", API + "letters/{uuid}/share/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.share"),
    ("POST", API + "letters/{uuid}/unshare/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.share"),
    ("GET", API + "letters/{uuid}/pdf/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of),
    ("GET", API + "notifications/"): LIST,
    ("GET", API + "notifications/{uuid}/"): Row(targets=("notification_agency",), kwargs=uuid_of),
    ("POST", API + "notifications/{uuid}/read/"): Row(targets=("notification_agency",), kwargs=uuid_of),
    ("POST", API + "notifications/read-all/"): Row(),
    ("GET", API + "suggestions/"): LIST,
    ("POST", API + "suggestions/"): Row(verb="suggestion.create"),
    ("GET", API + "suggestions/statistics/"): Row(data={"quarter": "2026Q4"}),
    ("GET", API + "suggestions/{uuid}/"): Row(targets=SUGGESTIONS, kwargs=uuid_of),
    ("PATCH", API + "suggestions/{uuid}/"): sugg("suggestion.edit", methods=("PATCH",)),
    ("POST", API + "suggestions/{uuid}/submit/"): sugg("suggestion.submit", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/approve/"): sugg("suggestion.approve", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/return/"): sugg("suggestion.approve", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/issue/"): sugg("suggestion.issue", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/withdraw/"): sugg("suggestion.withdraw", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/receive/"): sugg("suggestion.receive", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/reply/"): sugg("suggestion.reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/approve-reply/"): sugg("suggestion.approve_reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/request-extension/"): sugg("suggestion.request_extension", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/decide-extension/"): sugg("suggestion.decide_extension", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/evaluate/"): sugg("suggestion.evaluate", methods=("POST",)),
    ("GET", API + "filings/"): LIST,
    ("POST", API + "filings/"): Row(verb="filing.create"),
    ("GET", API + "filings/{uuid}/"): Row(targets=("filing_proc",), kwargs=uuid_of),
    ("GET", API + "cases/"): LIST,
    ("POST", API + "cases/"): Row(verb="case.create"),
    ("GET", API + "cases/{uuid}/"): Row(targets=CASES, kwargs=uuid_of),
    ("PATCH", API + "cases/{uuid}/"): on("case.edit", CASES, methods=("PATCH",)),
    ("POST", API + "cases/{uuid}/hearings/"): on("case.hearing", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/appearances/"): on("case.appearance", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/conclude/"): on("case.edit", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/mark-effective/"): on("case.edit", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/record-performance/"): on("case.edit", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/coordinations/"): on("coordination.open", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/observations/"): on("observation.create", CASES, methods=("POST",)),
    ("POST", API + "cases/{uuid}/reviews/"): on("review.create", CASES, methods=("POST",)),
    ("POST", API + "cases/import/"): Row(verb="case.import"),
    ("POST", API + "cases/import/commit/"): Row(verb="case.import"),
    ("POST", API + "case-supervisions/"): Row(verb="case_supervision.create"),
    ("GET", API + "coordinations/"): LIST,
    ("GET", API + "coordinations/{uuid}/"): Row(targets=("coordination",), kwargs=uuid_of),
    ("POST", API + "coordinations/{uuid}/invite/"): on("coordination.invite", ("coordination",), methods=("POST",)),
    ("POST", API + "coordinations/{uuid}/communications/"): on(
        "coordination.communicate", ("coordination",), methods=("POST",)
    ),
    ("POST", API + "coordinations/{uuid}/close/"): on("coordination.close", ("coordination",), methods=("POST",)),
    ("GET", API + "disputes/"): LIST,
    ("POST", API + "disputes/"): Row(verb="dispute.create"),
    ("GET", API + "disputes/{uuid}/"): Row(targets=("dispute",), kwargs=uuid_of),
    ("POST", API + "disputes/{uuid}/sessions/"): on("dispute.session", ("dispute",), methods=("POST",)),
    ("POST", API + "disputes/{uuid}/conclude/"): on("dispute.conclude", ("dispute",), methods=("POST",)),
    ("GET", API + "enforcements/"): LIST,
    ("POST", API + "enforcements/"): Row(verb="enforcement.create"),
    ("GET", API + "enforcements/{uuid}/"): Row(targets=("enforcement",), kwargs=uuid_of),
    ("POST", API + "enforcements/{uuid}/rule/"): on("enforcement.rule", ("enforcement",), methods=("POST",)),
    ("POST", API + "enforcements/{uuid}/feedback/"): on("enforcement.feedback", ("enforcement",), methods=("POST",)),
    ("GET", API + "supervisions/"): LIST,
    ("POST", API + "supervisions/"): Row(verb="supervision.create"),
    ("GET", API + "supervisions/{uuid}/"): Row(targets=("supervision",), kwargs=uuid_of),
    ("POST", API + "supervisions/{uuid}/decide/"): on("supervision.decide", ("supervision",), methods=("POST",)),
    ("GET", API + "clues/"): LIST,
    ("POST", API + "clues/"): Row(verb="clue.create"),
    ("GET", API + "clues/{uuid}/"): Row(targets=("clue",), kwargs=uuid_of),
    ("POST", API + "clues/{uuid}/receive/"): on("clue.receive", ("clue",), methods=("POST",)),
    ("POST", API + "clues/{uuid}/handle/"): on("clue.handle", ("clue",), methods=("POST",)),
    ("GET", API + "observations/"): LIST,
    ("GET", API + "observations/{uuid}/"): Row(targets=("observation",), kwargs=uuid_of),
    ("POST", API + "observations/{uuid}/attendance/"): on(
        "observation.attendance", ("observation",), methods=("POST",)
    ),
    # indicators/: the city-wide figures (an agency's own row is tested in tests/indicators/test_api.py)
    ("GET", API + "indicators/"): Row(data={"quarter": "2026Q4", "level": "city"}, get_verb="indicators.city"),
    ("GET", API + "indicators/export/"): Row(data={"quarter": "2026Q4", "level": "city"}, get_verb="indicators.city"),
    ("GET", API + "indicators/drilldown/"): Row(
        data={"quarter": "2026Q4", "level": "city", "indicator": "loss_rate", "part": "denominator"},
        get_verb="indicators.city",
    ),
    # meetings
    ("GET", API + "meeting-kinds/"): LIST,
    ("GET", API + "meeting-kinds/{code}/"): Row(targets=("kind_zuotan",), kwargs=kind_code),
    ("GET", API + "meetings/"): LIST,
    ("POST", API + "meetings/"): Row(verb="meeting.propose"),
    ("GET", API + "meetings/export/"): EXPORT,
    ("GET", API + "meetings/{uuid}/"): Row(targets=MEETINGS + ("meeting_closed",), kwargs=uuid_of),
    **{
        ("POST", API + f"meetings/{{uuid}}/{name}/"): on("meeting.office", MEETINGS, methods=("POST",))
        for name in ("convene", "decline", "agenda", "hold", "decide", "draft-minutes", "cancel")
    },
    ("POST", API + "meetings/{uuid}/issue-notice/"): on("meeting.head", MEETINGS, methods=("POST",)),
    ("POST", API + "meetings/{uuid}/respond/"): on(
        "invitation.respond", ("meeting_proposed", "meeting_notified", "meeting_minuted"), methods=("POST",)
    ),
    **{
        ("POST", API + f"meetings/{{uuid}}/{name}-minutes/"): on("minutes.office", MEETINGS, methods=("POST",))
        for name in ("edit", "circulate", "submit")
    },
    ("POST", API + "meetings/{uuid}/comment-minutes/"): on(
        "minutes.comment", ("meeting_notified", "meeting_minuted"), methods=("POST",)
    ),
    **{
        ("POST", API + f"meetings/{{uuid}}/{name}-minutes/"): on("meeting.head", MEETINGS, methods=("POST",))
        for name in ("approve", "return")
    },
    ("GET", API + "decisions/"): LIST,
    ("GET", API + "decisions/export/"): EXPORT,
    ("POST", API + "decisions/bulk-progress/"): Row(verb="decision.office"),
    ("GET", API + "decisions/{uuid}/"): Row(targets=("decision_env",), kwargs=uuid_of),
    **{
        ("POST", API + f"decisions/{{uuid}}/{name}/"): on("decision.office", ("decision_env",), methods=("POST",))
        for name in ("edit", "confirm", "return")
    },
    ("POST", API + "decisions/{uuid}/progress/"): on("decision.progress", ("decision_env",), methods=("POST",)),
    ("POST", API + "decisions/{uuid}/report/"): on("decision.report", ("decision_env",), methods=("POST",)),
    ("GET", API + "reviews/"): LIST,
    ("GET", API + "reviews/{uuid}/"): Row(targets=("review",), kwargs=uuid_of),
}
# Route prefixes classified as a whole.
PREFIXES = {
    "admin/": "Django admin: staff accounts only (is_staff), outside tenant pages",
}


def iter_patterns(resolver=None, prefix="", namespace=""):
    """(pattern, qualified name) of every route, e.g. ("api/v1/auth/logout/", "api:logout")."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from iter_patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def api_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, ops in schema["paths"].items():
        for method in ops:
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path


def normalise(pattern: str) -> str:
    """A resolver pattern as an OpenAPI path: api/v1/^letters/(?P<uuid>[^/.]+)/$ → /api/v1/letters/{uuid}/."""
    path = pattern.replace("^", "").replace("$", "")
    path = re.sub(r"\\\.\(\?P<format>[^)]*\)/?", "", path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return "/" + path.lstrip("/")


def classify_web():
    schema_paths = {path for _method, path in api_operations()}
    unclassified, rows = [], []
    for pattern, name in iter_patterns():
        if pattern.startswith("api/v1/") and name not in WEB_ROUTES:
            if normalise(pattern) in schema_paths:
                continue  # probed through the OpenAPI operations
            unclassified.append(f"{pattern} ({name}): an API route missing from the OpenAPI schema")
            continue
        if any(pattern.startswith(p) for p in PREFIXES):
            continue
        if name in WEB_ROUTES:
            rows.append((pattern, name, WEB_ROUTES[name]))
        else:
            unclassified.append(f"{pattern} ({name})")
    return rows, unclassified


class Tally:
    def __init__(self):
        self.probes = 0
        self.leaks: list[str] = []
        self.unexpected: list[str] = []
        self.errors: list[str] = []


def expected(persona, row, target, method):
    if persona == "anonymous":
        return "login"
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
            response = client.generic(method, url, data=__import__("json").dumps(data), content_type="application/json")
        else:
            response = client.generic(method, url, data=_form(data), content_type="application/x-www-form-urlencoded")
        # Keep the scenario intact for the next probe.
        transaction.set_rollback(True)
    return response


def _form(data):
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def _fill(pattern: str, kwargs: dict) -> str:
    url = pattern
    for key, value in kwargs.items():
        url = re.sub(r"<(?:\w+:)?%s>" % key, str(value), url)
        url = url.replace("{%s}" % key, str(value))
    return "/" + url.lstrip("/")


def run_rows(tally, world, objs, items, api):
    clients = {}
    for persona in ["anonymous"] + policy.PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(world[persona])
        clients[persona] = client
    for pattern, _label, row in items:
        for method in row.methods:
            for target in row.targets:
                kwargs = row.kwargs(objs[target][0]) if (row.kwargs and target) else {}
                url = _fill(pattern, kwargs)
                if row.query and target:
                    url += "?" + urlencode(row.query(objs[target][0]))
                for persona, client in clients.items():
                    if persona != "anonymous" and client.session.get("_auth_user_id") is None:
                        # An earlier probe logged the persona out (logout routes).
                        client.force_login(world[persona])
                    exp = expected(persona, row, target, method)
                    if persona == "anonymous" and row.anon == "open":
                        exp = "ok"
                    audit_before = AuditEntry.objects.count()
                    response = probe(client, method, url, row.data, api)
                    check(tally, f"{method} {url} [{target}]", persona, exp, response, objs, audit_before, method)


def test_cross_tenant_matrix(world):
    objs = scenario.build(world)
    tally = Tally()
    web_rows, unclassified = classify_web()
    api_items = []
    for method, path in api_operations():
        row = API_ROUTES.get((method, path))
        if row is None:
            unclassified.append(f"{method} {path}")
            continue
        if row.skip:
            continue
        api_items.append((path, f"{method} {path}", Row(**{**row.__dict__, "methods": (method,)})))
    run_rows(tally, world, objs, [(p, n, r) for p, n, r in web_rows if not r.skip], api=False)
    run_rows(tally, world, objs, api_items, api=True)
    print(
        f"\ncross-tenant matrix: {tally.probes} probes, {len(tally.leaks)} leaks, "
        f"{len(tally.unexpected)} unexpected allows/denials, {len(tally.errors)} server errors, "
        f"{len(unclassified)} unclassified routes"
    )
    assert not unclassified, "routes without a matrix row:\n" + "\n".join(unclassified)
    assert not tally.errors, "\n".join(tally.errors[:50])
    assert not tally.leaks, "\n".join(tally.leaks[:50])
    assert not tally.unexpected, "\n".join(tally.unexpected[:80])
    assert tally.probes > 0
