"""How a route is probed by the cross-tenant matrix: one `Row` per route, declared in the
policy module of the app that owns the route (tests/security/policy_<label>.py)."""

from dataclasses import dataclass, field


@dataclass
class Row:
    """How to probe one route.

    targets: scenario records the route's URL points at (None: a route without a record).
    verb: policy verb for unsafe methods (None: read-only route).
    get_verb: policy verb for GET (a form page is refused like its POST).
    kwargs: builds the URL kwargs (and API path params) from a target record.
    data: body for unsafe methods (query string for GET).
    anon: what an anonymous user gets ("login": redirect/401/403, "open": allowed).
    skip: why the route is classified but not probed (e.g. Django admin, language switch).
    query: builds a query string from the target record.
    """

    methods: tuple = ("GET",)
    targets: tuple = (None,)
    verb: str | None = None
    get_verb: str | None = None
    kwargs: object = None
    data: dict = field(default_factory=dict)
    anon: str = "login"
    skip: str = ""
    query: object = None


def uuid_of(record):
    return {"uuid": record.uuid}


def on(verb, targets, methods=("GET", "POST"), kwargs=uuid_of, **extra):
    """A route acting on one of `targets` with `verb` (its GET, if any, refused like its POST)."""
    return Row(
        methods=methods, targets=targets, kwargs=kwargs, verb=verb, get_verb=verb if "GET" in methods else None, **extra
    )


def create(verb, methods=("GET", "POST")):
    """A route creating a record (no target) with `verb`."""
    return Row(methods=methods, verb=verb, get_verb=verb if "GET" in methods else None)


LIST = Row()  # a list page or read-only endpoint: every signed-in user, filtered to what they see
EXPORT = Row()
API = "/api/v1/"
