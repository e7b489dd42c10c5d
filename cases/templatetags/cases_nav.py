"""The module sub-navigation of 案件 (cases/_tabs.html): which sections exist and which is current.

The case-work sections (执行, 监督, 线索移送, 诉前化解, 旁听观摩, 判后评议) appear once their pages
are routed; a section is found by its path, so it does not depend on route names.
"""

import functools

from django import template
from django.urls import Resolver404, get_resolver, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from liaison import access

register = template.Library()

# (key, path under /cases/, label); the case list is the default section.
SECTIONS = [
    ("coordinations", "coordinations/", _("协调")),
    ("import", "import/", _("导入")),
    ("enforcements", "enforcements/", _("执行（裁执分离）")),
    ("supervisions", "supervisions/", _("监督")),
    ("clues", "clues/", _("线索移送")),
    ("disputes", "disputes/", _("诉前化解")),
    ("observations", "observations/", _("旁听观摩")),
    ("reviews", "reviews/", _("判后评议")),
]


def _routed(path: str) -> bool:
    return _routed_by(get_resolver(get_urlconf()), path)


@functools.lru_cache(maxsize=64)
def _routed_by(resolver, path: str) -> bool:
    """Whether `resolver` routes `path`; once per URL conf (a new resolver object when it changes):
    resolving the seven sections walked the URL patterns on every page of the module."""
    try:
        resolver.resolve(path)
    except Resolver404:
        return False
    return True


@register.simple_tag(takes_context=True)
def case_tabs(context):
    """[{"key", "label", "url", "active"}] for the sections this user may open."""
    request = context["request"]
    user = request.user
    base = reverse("cases:index")
    current = request.path
    tabs = [{"key": "cases", "label": _("案件"), "url": base, "active": False}]
    for key, path, label in SECTIONS:
        url = base + path
        if key == "import" and not access.can(user, "case.import"):
            continue
        if not _routed(url):
            continue
        tabs.append({"key": key, "label": label, "url": url, "active": current.startswith(url)})
    if not any(t["active"] for t in tabs):
        tabs[0]["active"] = current.startswith(base)
    return tabs
