"""How a domain app plugs into the hub. `liaison` imports no domain app; each app
registers itself from its AppConfig.ready(), and the hub's URL files, navigation,
dashboard, `load_demo` and `setup_schedules` read this registry.

In `<app>/apps.py`::

    from django.apps import AppConfig
    from django.utils.translation import gettext_lazy as _


    class MeetingsConfig(AppConfig):
        name = "meetings"

        def ready(self):
            from liaison import plugins

            plugins.register(
                self,  # the AppConfig (or its label)
                # pages: included at /meetings/ under the URL namespace "meetings"
                urls="meetings.urls",  # default prefix "<label>/", namespace "<label>"
                # left navigation: one entry (a link; lit on every page of `namespace`)
                nav=[plugins.Nav(key="meetings", label=_("会议"), url_name="meetings:index", order=30)],
                # /api/v1/: router registrations (prefix, viewset or its dotted path, basename) …
                api_routes=[("meetings", "meetings.api.MeetingViewSet", "meeting")],
                # … and plain paths, placed before every router route (so "meetings/calendar/"
                # is not taken for a meeting's uuid): (route, view class or dotted path, url name)
                api_paths=[("meetings/calendar/", "meetings.api.CalendarView", "meeting-calendar")],
                # … or a whole URL module of API paths, included at /api/v1/ (also before the router)
                api_urls="meetings.api_urls",
                # 工作台 blocks: a template included with `block` = what `context(user)` returns
                # (None or {} hides the block for that user)
                dashboard=[
                    plugins.DashboardBlock(
                        template="meetings/_dashboard.html", context="meetings.selectors.dashboard_block", order=40
                    )
                ],
                # `load_demo`: called as loader(users, stdout=…) after the hub's own letters;
                # `users` maps the demo usernames to User rows. Must be idempotent.
                demo="meetings.demo.load",
                # `setup_schedules`: celery beat entries (name, task, (minute, hour, dow, dom, moy), description)
                schedules=[("会议提醒", "meetings.tasks.remind", ("0", "8", "*", "*", "*"), "每天 08:00 …")],
                # the cross-tenant matrix (tests/security/): the module with this app's policy, routes
                # and scenario records, default "tests.security.policy_<label>" (see tests/security/policy.py)
                matrix="tests.security.policy_meetings",
            )

Everything is optional and may be given as the object or its dotted path (resolved when
first used, so ready() imports nothing heavy). Registering twice for the same app
replaces the first registration (autoreload, tests). Apps are listed in INSTALLED_APPS
order; nav entries and dashboard blocks by `order`, then that order.

Navigation modules that are planned but not installed are named in
`settings.PORTAL_PLANNED_MODULES` ((key, label, order) triples): they show greyed (建设中)
until an installed app registers a nav entry with the same key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string


def _resolve(value):
    return import_string(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Nav:
    """One entry of the left navigation.

    key: a stable name (matches a planned module in settings.PORTAL_PLANNED_MODULES).
    label: what the entry reads (lazy translation).
    url_name: where it links; the entry is greyed when it does not reverse.
    namespace: the URL namespace whose pages light the entry (default: url_name's namespace).
    order: position among the apps' entries (the hub's own sections stay where they are).
    visible: optional `visible(user) -> bool` (default: every signed-in user).
    """

    key: str
    label: Any
    url_name: str | None = None
    namespace: str | None = None
    order: int = 100
    visible: Callable | str | None = None

    @property
    def active_namespace(self) -> str:
        if self.namespace is not None:
            return self.namespace
        return self.url_name.split(":", 1)[0] if self.url_name and ":" in self.url_name else ""


@dataclass(frozen=True)
class DashboardBlock:
    """A block on 工作台: `template` is included with `block` set to `context(user)`."""

    template: str
    context: Callable | str
    order: int = 100


@dataclass
class Plugin:
    label: str
    urls: str | None = None
    url_prefix: str = ""
    namespace: str = ""
    nav: list[Nav] = field(default_factory=list)
    api_routes: list[tuple] = field(default_factory=list)
    api_paths: list[tuple] = field(default_factory=list)
    api_urls: str | None = None
    dashboard: list[DashboardBlock] = field(default_factory=list)
    demo: Callable | str | None = None
    schedules: list[tuple] = field(default_factory=list)
    matrix: str = ""


_registry: dict[str, Plugin] = {}


def register(
    app,
    *,
    urls: str | None = None,
    url_prefix: str | None = None,
    namespace: str | None = None,
    nav=(),
    api_routes=(),
    api_paths=(),
    api_urls: str | None = None,
    dashboard=(),
    demo=None,
    schedules=(),
    matrix: str | None = None,
) -> Plugin:
    """Register (or re-register) what the app adds to the hub; see the module docstring."""
    label = app if isinstance(app, str) else app.label
    plugin = Plugin(
        label=label,
        urls=urls,
        url_prefix=f"{label}/" if url_prefix is None else url_prefix,
        namespace=label if namespace is None else namespace,
        nav=list(nav),
        api_routes=list(api_routes),
        api_paths=list(api_paths),
        api_urls=api_urls,
        dashboard=list(dashboard),
        demo=demo,
        schedules=list(schedules),
        matrix=f"tests.security.policy_{label}" if matrix is None else matrix,
    )
    _registry[label] = plugin
    return plugin


def plugins() -> list[Plugin]:
    """Registered plugins of installed apps, in INSTALLED_APPS order."""
    order = {config.label: i for i, config in enumerate(django_apps.get_app_configs())}
    return sorted(
        (p for p in _registry.values() if p.label in order),
        key=lambda p: order[p.label],
    )


def installed(label: str) -> bool:
    return any(p.label == label for p in plugins())


# ----------------------------------------------------------------------------- what the hub reads


def web_urlpatterns() -> list:
    """`path("<prefix>", include((urls, namespace)))` for every app with pages."""
    from django.urls import include, path

    return [path(p.url_prefix, include((p.urls, p.namespace))) for p in plugins() if p.urls]


def api_urlpatterns() -> list:
    """The apps' plain API paths and API URL modules (placed before the router's routes)."""
    from django.urls import include, path

    out = []
    for p in plugins():
        if p.api_urls:
            out.append(path("", include(p.api_urls)))
        for route, view, name in p.api_paths:
            view = _resolve(view)
            out.append(path(route, view.as_view() if hasattr(view, "as_view") else view, name=name))
    return out


def register_api_routes(router) -> None:
    """Register the apps' viewsets on the hub's router."""
    for p in plugins():
        for prefix, viewset, basename in p.api_routes:
            router.register(prefix, _resolve(viewset), basename=basename)


def nav_entries(user) -> list[dict]:
    """The apps' navigation entries for `user`, with the planned-but-missing ones greyed.

    Each is {"key", "label", "url" ("" = greyed), "namespace"}.
    """
    entries = []
    registered = set()
    for position, p in enumerate(plugins()):
        for nav in p.nav:
            registered.add(nav.key)
            visible = _resolve(nav.visible)
            if visible is not None and not visible(user):
                continue
            try:
                url = reverse(nav.url_name) if nav.url_name else ""
            except NoReverseMatch:
                url = ""
            entries.append(
                ((nav.order, position), {"key": nav.key, "label": nav.label, "url": url, "ns": nav.active_namespace})
            )
    for key, label, order in getattr(settings, "PORTAL_PLANNED_MODULES", ()):
        if key not in registered:
            entries.append(((order, len(entries) + 1000), {"key": key, "label": label, "url": "", "ns": ""}))
    return [entry for _sort, entry in sorted(entries, key=lambda e: e[0])]


def dashboard_blocks(user) -> list[dict]:
    """[{"template", "block"}] of the apps' dashboard blocks that have something for `user`."""
    blocks = []
    for position, p in enumerate(plugins()):
        for b in p.dashboard:
            context = _resolve(b.context)(user)
            if context:
                blocks.append(((b.order, position), {"template": b.template, "block": context}))
    return [block for _sort, block in sorted(blocks, key=lambda e: e[0])]


def demo_loaders() -> list[tuple[str, Callable]]:
    """(label, loader) for every app that ships demo data."""
    return [(p.label, _resolve(p.demo)) for p in plugins() if p.demo]


def schedules() -> list[tuple]:
    """The apps' celery beat entries (after the hub's own)."""
    return [entry for p in plugins() for entry in p.schedules]


def matrix_modules() -> list[tuple[str, str]]:
    """(label, dotted module) of every installed app's cross-tenant matrix rows."""
    return [(p.label, p.matrix) for p in plugins() if p.matrix]
