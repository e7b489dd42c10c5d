"""The expected answers of the cross-tenant matrix, written for the test from the SPEC,
not derived from the application's access code.

The personas and institution groups are shared here; each app's records, verbs and routes
live in its own policy module, tests/security/policy_<label>.py (the hub's is
policy_liaison; an app names its module with `matrix=` in liaison.plugins.register, default
"tests.security.policy_<label>"). A policy module declares:

VISIBLE[record]        personas whose institution may see the record
ALLOWED[verb][record]  personas who may perform the verb on a record they can see ("*": any record)
WEB_ROUTES[url name]   a Row (tests/security/rows.py) for each of the app's page routes
API_ROUTES[(METHOD, path)]  a Row for each of the app's OpenAPI operations
records(world)         builds the app's scenario records: {name: (object, canary)}
"""

import functools
import importlib

PERSONAS = [
    "court_clerk",
    "court_head",
    "proc_staff",
    "proc_head",
    "gov_legal",
    "gov_head",
    "justice_legal",
    "agency_staff",
    "agency_head",
    "env_staff",
    "county_clerk",
    "county_head",
    "county_gov_legal",
    "office",
    "auditor",
    "admin",
]

ACTING = {p for p in PERSONAS if p not in ("auditor", "admin")}

COURT = {"court_clerk", "court_head"}
AGENCY = {"agency_staff", "agency_head"}
GOV = {"gov_legal", "gov_head"}
OFFICE = {"office", "auditor"}  # the city office and its auditor oversee the whole city

PROC = {"proc_staff", "proc_head"}
COUNTY_COURT = {"county_clerk", "county_head"}
ALL_COURTS = COURT | COUNTY_COURT
GOVERNMENTS = GOV | {"county_gov_legal"}

# The hub is not a plugin (it is the registry): its policy module comes first.
HUB = ("liaison", "tests.security.policy_liaison")


@functools.cache
def modules() -> tuple:
    """(label, policy module) of the hub and of every installed app that has one."""
    from liaison import plugins

    return tuple((label, importlib.import_module(dotted)) for label, dotted in [HUB, *plugins.matrix_modules()])


@functools.cache
def tables() -> tuple[dict, dict]:
    """VISIBLE and ALLOWED of every policy module; a record or verb declared twice is an error."""
    visible, allowed = {}, {}
    for label, module in modules():
        for merged, table in ((visible, module.VISIBLE), (allowed, module.ALLOWED)):
            twice = merged.keys() & table.keys()
            assert not twice, f"policy_{label} declares {sorted(twice)} again"
            merged.update(table)
    return visible, allowed


def visible(persona: str, record: str | None) -> bool:
    return record is None or persona in tables()[0][record]


def allowed(persona: str, verb: str | None, record: str | None) -> bool:
    if verb is None:
        return True
    table = tables()[1][verb]
    return persona in table.get(record, table.get("*", set()))
