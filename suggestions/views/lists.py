"""The suggestion list (tabs by box, filters, sorting, pagination) and its Excel export."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import render
from django.utils.translation import gettext as _

from liaison import access, lists

from .. import page_selectors
from ..forms import SuggestionFilter
from ..listings import SUGGESTIONS
from .status_labels import label_rows


def _box(request, boxes: list[str]) -> str:
    box = request.GET.get("box", "")
    return box if box in boxes else boxes[0]


def _filtered(request):
    boxes = page_selectors.boxes_for(request.user)
    box = _box(request, boxes)
    filters = SuggestionFilter(lists.filter_params(request, keep=("box",)), user=request.user)
    values = filters.values()
    qs = page_selectors.rows(request.user, box=box, values=values)
    # Every box reads overdue first (the list's default), unless the user sorts by a column.
    qs, sort = SUGGESTIONS.order(qs, request.GET.get("sort"))
    if sort.lstrip("-") == "reply_due":
        # Suggestions with no deadline yet (awaiting 签收) sort after dated ones on every database.
        due = F("reply_due").desc(nulls_last=True) if sort.startswith("-") else F("reply_due").asc(nulls_last=True)
        qs = qs.order_by(due, "-created_at", "-pk")
    return boxes, box, filters, values, qs, sort


def box_label(user, box: str) -> str:
    if box == "all" and access.oversees_region(user):
        return _("辖区总览")
    return str(page_selectors.BOXES[box])


@login_required
def index(request):
    boxes, box, filters, values, qs, sort = _filtered(request)

    def decorate(rows):
        return label_rows(request.user, page_selectors.decorate(rows))

    scope = [(_("范围"), box_label(request.user, box))]
    context = lists.page(
        request, SUGGESTIONS, qs, filters=filters, sort=sort, decorate=decorate, keep={"box": box}, scope=scope
    )
    counts = page_selectors.box_counts(request.user, boxes)
    tabs = [{"key": key, "label": box_label(request.user, key), "count": counts[key]} for key in boxes]
    context.update(
        {
            "tabs": tabs,
            "box": box,
            "can_create": access.can(request.user, "suggestion.create"),
            "is_issuer": request.user.institution is not None
            and request.user.institution.kind in ("court", "procuratorate"),
        }
    )
    return render(request, "suggestions/list.html", context)


@login_required
def export(request):
    """Exactly the rows of the list with the same tab and filters, every page."""
    _boxes, box, filters, _values, qs, _sort = _filtered(request)
    rows = label_rows(request.user, page_selectors.decorate(qs))
    scope = [(_("范围"), box_label(request.user, box))]
    return SUGGESTIONS.export(rows, viewer=request.user, filters=filters, scope=scope)
