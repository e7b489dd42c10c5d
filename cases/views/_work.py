"""What the case-work pages (enforcement, supervision, clues, disputes, observations, reviews)
share: the list page (its columns and export declared in cases/listings.py), the timeline, letters and ledger entries
of a record. Their action pages are the hub's (`liaison.pages.action_page`).

Every read starts from `visible_to(user)`; nothing here decides who may act (that is
`liaison.access`, asked by each view before it reads any input).
"""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from liaison import access, links, lists
from liaison import selectors as hub_selectors
from liaison.models import LedgerEntry, Letter

from ..models import AdministrativeCase

# The list pages show the cases module's tabs (cases/_tabs.html, from the case pages) when present.
TABS_TEMPLATES = ("cases/_tabs.html", "cases/work/_subnav.html")
WORK_SECTIONS = [
    ("disputes", gettext_lazy("诉前化解")),
    ("enforcements", gettext_lazy("裁执分离")),
    ("supervisions", gettext_lazy("执行监督")),
    ("clues", gettext_lazy("线索移送")),
    ("observations", gettext_lazy("庭审观摩")),
    ("reviews", gettext_lazy("判后评议")),
]


# A page with a form answers GET (and HEAD) with the form and POST with the step; nothing else.
require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


# ----------------------------------------------------------------------------- lists


def list_page(request, spec, *, template, filters, qs, sort, decorate=None, context=None):
    """A case-work list (its `spec` in cases/listings.py) under the cases module's tabs."""
    page_context = lists.page(request, spec, qs, filters=filters, sort=sort, decorate=decorate)
    page_context.update({"tabs_templates": TABS_TEMPLATES, "work_sections": WORK_SECTIONS, **(context or {})})
    return render(request, template, page_context)


# ----------------------------------------------------------------------------- a record's surroundings


def _source_filter(obj) -> dict:
    return {"source_type": ContentType.objects.get_for_model(type(obj)), "source_id": obj.pk}


def letters_of(user, obj) -> list[Letter]:
    """The record's letters this user may see (an issuer's drafts stay inside the issuer)."""
    return list(
        Letter.objects.visible_to(user)
        .filter(**_source_filter(obj))
        .select_related("issuer")
        .prefetch_related("deliveries__recipient")
        .order_by("created_at", "id")
    )


def ledger_of(user, obj) -> list[LedgerEntry]:
    """The record's ledger entries this user may see, with their deadline words."""
    qs = LedgerEntry.objects.visible_to(user).filter(**_source_filter(obj)).select_related("owner")
    return hub_selectors.with_deadlines(qs.order_by("id"))


def case_url(user, case: AdministrativeCase | None) -> str:
    """A link to the case only for those who may open it; others are not told the case at all
    (templates name it with `{% linked obj "case" %}`, exports with `links.label`)."""
    return links.url(user, case)


def timeline(user, obj, *, labels: dict, describe=None, internal=()) -> list:
    """The record's audit entries. `internal` steps (a draft awaiting its head) are seen only by the
    institution that took them and the office overseeing the region."""
    entries = hub_selectors.timeline(obj)
    overseer = bool(access.office_region_ids(user))
    out = []
    for entry in entries:
        if entry.action in internal and not overseer and entry.institution_id != user.institution_id:
            continue
        entry.label = str(labels.get(entry.action, entry.label))
        detail = describe(entry) if describe else ""
        if detail:
            entry.label = f"{entry.label}：{detail}"
        # The shared timeline template prints a few `after` keys; the label already says it all.
        entry.after = {}
        out.append(entry)
    return out
