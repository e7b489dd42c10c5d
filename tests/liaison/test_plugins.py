"""Apps plug into the hub through their AppConfig (liaison.plugins): the hub names none of them."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from liaison import plugins

from ._view_helpers import client_for

ROOT = Path(settings.BASE_DIR)
# The project's own apps other than the hub, installed or planned.
DOMAIN_APPS = {
    config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT and config.name != "liaison"
} | {key for key, _label, _order in settings.PORTAL_PLANNED_MODULES}


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_hub_imports_no_domain_app():
    assert {"suggestions", "cases"} <= DOMAIN_APPS
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / "liaison").rglob("*.py")
        if "migrations" not in path.parts
        for name in _imports(path)
        if name.split(".")[0] in DOMAIN_APPS
    ]
    assert offenders == []


def test_the_hub_url_files_and_navigation_name_no_domain_app():
    for relative in ("liaison/urls.py", "liaison/web_urls.py", "liaison/api_urls.py", "templates/includes/nav.html"):
        text = (ROOT / relative).read_text(encoding="utf-8")
        named = [app for app in DOMAIN_APPS if f"{app}." in text or f"{app}:" in text or f'"{app}' in text]
        assert named == [], relative


@pytest.fixture
def registry():
    """The registry as the apps left it, restored after the test."""
    saved = dict(plugins._registry)
    yield plugins._registry
    plugins._registry.clear()
    plugins._registry.update(saved)


def _nav(html: str, label: str) -> str:
    start = html.index('<nav class="portal-nav')
    nav = html[start : html.index("</nav>", start)]
    item = nav.index(label)
    return nav[nav.rindex("<li", 0, item) : nav.index("</li>", item)]


def test_the_navigation_lists_the_installed_apps_and_greys_the_planned_ones(court_clerk):
    html = client_for(court_clerk).get("/").content.decode()
    assert 'href="/suggestions/"' in _nav(html, "司法建议/检察建议")
    assert 'href="/cases/"' in _nav(html, "案件")
    entries = {e["key"]: e for e in plugins.nav_entries(court_clerk)}
    for key, label, _order in settings.PORTAL_PLANNED_MODULES:
        if not entries[key]["url"]:  # no installed app registered a page for it (yet)
            assert "disabled" in _nav(html, str(label)) and "href" not in _nav(html, str(label))
    # In their declared order, the hub's sections around them.
    nav = html[html.index('<nav class="portal-nav') :]
    assert nav.index("收文/发文") < nav.index("司法建议/检察建议") < nav.index("案件") < nav.index("工作台账")
    assert nav.index("案件") < nav.index("会议") < nav.index("指标通报") < nav.index("工作台账")


def test_an_installed_app_that_registers_a_planned_module_replaces_the_greyed_entry(registry, court_clerk):
    # contenttypes stands in for an installed app that registers the 会议 module (the real
    # meetings app's registration is taken out for this test).
    registry.pop("meetings", None)
    plugins.register("contenttypes", nav=[plugins.Nav(key="meetings", label="会议", url_name="letter_inbox", order=30)])
    entries = {e["key"]: e for e in plugins.nav_entries(court_clerk)}
    assert entries["meetings"]["url"] == "/letters/inbox/"
    assert [e["key"] for e in plugins.nav_entries(court_clerk)].count("meetings") == 1
    item = _nav(client_for(court_clerk).get("/").content.decode(), "会议")
    assert 'href="/letters/inbox/"' in item and "disabled" not in item


def test_registrations_of_apps_that_are_not_installed_are_ignored(registry, court_clerk):
    plugins.register(
        "not_installed",
        urls="no.such.module",
        nav=[plugins.Nav(key="ghost", label="幽灵模块", url_name="dashboard")],
        demo="no.such.loader",
    )
    assert "not_installed" not in [p.label for p in plugins.plugins()]
    assert "ghost" not in [e["key"] for e in plugins.nav_entries(court_clerk)]
    assert plugins.demo_loaders() == [(p.label, plugins._resolve(p.demo)) for p in plugins.plugins() if p.demo]


def test_a_nav_entry_can_be_limited_to_some_users(registry, court_clerk, agency_staff):
    plugins.register(
        "contenttypes",
        nav=[plugins.Nav(key="courts_only", label="仅法院", url_name="dashboard", visible=lambda u: u == court_clerk)],
    )
    assert "courts_only" in [e["key"] for e in plugins.nav_entries(court_clerk)]
    assert "courts_only" not in [e["key"] for e in plugins.nav_entries(agency_staff)]


def test_the_apps_pages_and_api_routes_come_from_their_registration():
    assert reverse("suggestions:index") == "/suggestions/"
    assert reverse("cases:index") == "/cases/"
    assert reverse("api:suggestion-list") == "/api/v1/suggestions/"
    assert reverse("api:suggestion-statistics") == "/api/v1/suggestions/statistics/"
    assert reverse("api:case-import") == "/api/v1/cases/import/"
    labels = [p.label for p in plugins.plugins()]
    assert labels.index("suggestions") < labels.index("cases")  # INSTALLED_APPS order
    assert {label for label, _loader in plugins.demo_loaders()} >= {"suggestions", "cases"}
    assert ("suggestions", "tests.security.policy_suggestions") in plugins.matrix_modules()


def test_a_dashboard_block_shows_only_when_it_has_something_for_the_user(registry, tmp_path, court_clerk, agency_staff):
    (tmp_path / "block.html").write_text(
        '<section id="plugin-block">{{ block.count }} 件待办：{{ block.title }}</section>', encoding="utf-8"
    )
    plugins.register(
        "contenttypes",
        dashboard=[
            plugins.DashboardBlock(
                template="block.html",
                context=lambda user: {"count": 2, "title": "<本院会议>"} if user == court_clerk else None,
            )
        ],
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    with override_settings(TEMPLATES=templates):
        assert "2 件待办：&lt;本院会议&gt;" in client_for(court_clerk).get("/").content.decode()
        assert "plugin-block" not in client_for(agency_staff).get("/").content.decode()
