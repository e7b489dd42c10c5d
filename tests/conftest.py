"""Personas: one demo user per institution kind and role, built from the Liuzhou demo data."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from liaison.demo import ensure_demo_users
from liaison.models import Institution, User

PASSWORD = settings.DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _portal_language():
    """Each test starts in the portal's language. A request carrying the English cookie leaves
    English active in the thread (the locale middleware activates it per request), and under
    pytest-xdist the next test on that worker can be any test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_demo_users(PASSWORD)


@pytest.fixture
def world(db):
    """The demo institutions and users (re-created after a transactional test flushed them)."""
    return personas()


def personas() -> dict:
    """{username: User} of the demo users, created if a transactional test flushed them."""
    if not User.objects.filter(username="office").exists():
        ensure_demo_users(PASSWORD)
    ensure_reference_data()
    return {u.username: u for u in User.objects.select_related("institution__region")}


# Reference rows that data migrations create (案由, outcomes, reply-period rules, meeting kinds); a
# transactional test's flush removes them, so the next test that needs them re-seeds.
REFERENCE_MIGRATIONS = [
    ("cases", "Cause", "cases.migrations.0002_causes_and_outcomes"),
    ("suggestions", "ReplyPeriodRule", "suggestions.migrations.0002_reply_period_rules"),
    ("meetings", "MeetingKind", "meetings.migrations.0002_meeting_kinds"),
]


def ensure_reference_data():
    import importlib

    from django.apps import apps

    for app_label, model_name, module in REFERENCE_MIGRATIONS:
        if not apps.get_model(app_label, model_name).objects.exists():
            importlib.import_module(module).forward(apps, None)


def _persona(username):
    @pytest.fixture
    def fixture(world):
        return world[username]

    return fixture


office = _persona("office")
auditor = _persona("auditor")
office_head = _persona("office_head")
court_clerk = _persona("court_clerk")
court_head = _persona("court_head")
proc_staff = _persona("proc_staff")
proc_head = _persona("proc_head")
gov_legal = _persona("gov_legal")
gov_head = _persona("gov_head")
agency_staff = _persona("agency_staff")
agency_head = _persona("agency_head")
outsider_agency = _persona("env_staff")
county_clerk = _persona("county_clerk")
county_gov_legal = _persona("county_gov_legal")
admin_user = _persona("admin")


@pytest.fixture
def inst(world):
    """Institutions by name."""
    return {i.name: i for i in Institution.objects.all()}


@pytest.fixture
def api():
    """An API client factory: api(user) → APIClient logged in as that user."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


# ----------------------------------------------------------------------------- matrix figures
# The cross-tenant matrix (tests/security/test_matrix.py) runs one test per route, spread over
# xdist workers; each test reports its figures as a user property, and the figures are added
# up here (in the controller under xdist) and printed at the end of the run.

_matrix = {"apps": {}, "unclassified": None, "builds": [], "agreement": None}


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "matrix":
            figures = _matrix["apps"].setdefault(value["label"], {"routes": 0, "failed": 0})
            figures["routes"] += 1
            figures["failed"] += int(report.failed)
            for key in ("probes", "leaks", "unexpected", "errors"):
                figures[key] = figures.get(key, 0) + value[key]
        elif name == "matrix_unclassified":
            _matrix["unclassified"] = value
        elif name == "matrix_world_built":
            _matrix["builds"].append(value)
        elif name == "agreement":  # tests/security/test_agreement.py
            _matrix["agreement"] = value


def _matrix_line(figures: dict) -> str:
    return (
        f"{figures.get('probes', 0)} probes, {figures.get('leaks', 0)} leaks, "
        f"{figures.get('unexpected', 0)} unexpected allows/denials, {figures.get('errors', 0)} server errors"
    )


def pytest_terminal_summary(terminalreporter):
    write = terminalreporter.write_line
    if _matrix["agreement"]:
        write("")
        write(f"agreement (page, API and service): {_matrix['agreement']}")
    apps = _matrix["apps"]
    if not apps:
        return
    write("")
    for label, figures in apps.items():
        write(f"cross-tenant matrix [{label}]: {figures['routes']} routes, {_matrix_line(figures)}")
    total = {
        key: sum(f.get(key, 0) for f in apps.values()) for key in ("routes", "probes", "leaks", "unexpected", "errors")
    }
    unclassified = _matrix["unclassified"]
    builds = _matrix["builds"]
    write(
        f"cross-tenant matrix: {_matrix_line(total)}, "
        f"{'not checked' if unclassified is None else unclassified} unclassified routes "
        f"({total['routes']} routes of {len(apps)} apps; scenario built {len(builds)} times, "
        f"{sum(builds):.0f} s in all)"
    )
