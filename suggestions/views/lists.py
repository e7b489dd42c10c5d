"""The suggestion list (tabs by box, filters, sorting, pagination) and its Excel export."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import access
from liaison.excel import xlsx_response
from liaison.selectors import apply_sort
from liaison.views.common import paginate

from .. import page_selectors
from ..forms import SuggestionFilter
from .status_labels import label_rows


def export_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _box(request, boxes: list[str]) -> str:
    box = request.GET.get("box", "")
    return box if box in boxes else boxes[0]


def _filtered(request):
    boxes = page_selectors.boxes_for(request.user)
    box = _box(request, boxes)
    params = request.GET.copy()
    for key in ("box", "sort", "page"):
        params.pop(key, None)
    filters = SuggestionFilter(params or None)
    values = filters.values()
    qs = page_selectors.rows(request.user, box=box, values=values)
    # The to-do box reads most urgent first: overdue, then due soonest, then the rest.
    default = "reply_due" if box == "todo" else "-created"
    qs, sort = apply_sort(qs, request.GET.get("sort"), page_selectors.SORTS, default)
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
    page = paginate(request, qs)
    page.object_list = label_rows(request.user, page_selectors.decorate(page.object_list))
    counts = page_selectors.box_counts(request.user, boxes)
    tabs = [{"key": key, "label": box_label(request.user, key), "count": counts[key]} for key in boxes]
    context = {
        "tabs": tabs,
        "box": box,
        "filters": filters,
        "page": page,
        "sort": sort,
        "filtered": bool(values),
        "export_query": export_query(request),
        "can_create": access.can(request.user, "suggestion.create"),
        "is_issuer": request.user.institution is not None
        and request.user.institution.kind in ("court", "procuratorate"),
    }
    return render(request, "suggestions/list.html", context)


EXPORT_HEADERS = [
    gettext_lazy("文号"),
    gettext_lazy("标题"),
    gettext_lazy("类别"),
    gettext_lazy("子类"),
    gettext_lazy("发出机关"),
    gettext_lazy("被建议单位"),
    gettext_lazy("关联案号"),
    gettext_lazy("问题类别"),
    gettext_lazy("状态"),
    gettext_lazy("发出日期"),
    gettext_lazy("签收日期"),
    gettext_lazy("回复期限"),
    gettext_lazy("期限情况"),
    gettext_lazy("回复日期"),
    gettext_lazy("评价"),
]


@login_required
def export(request):
    """Exactly the rows of the list with the same tab and filters, every page."""
    _boxes, _box, _filters, _values, qs, _sort = _filtered(request)
    rows = (
        [
            s.letter.doc_number if s.letter_id else "",
            s.title,
            s.get_kind_display(),
            s.get_subkind_display() if s.subkind else "",
            s.issuer.name,
            s.recipient.name,
            s.case_number,
            s.get_category_display(),
            s.status_label,
            s.issued_on,
            s.received_on,
            s.reply_due,
            s.due.label,
            s.replied_on,
            s.get_evaluation_display() if s.evaluation else "",
        ]
        for s in label_rows(request.user, page_selectors.decorate(qs))
    )
    filename = _("司法建议与检察建议_%(d)s.xlsx") % {"d": timezone.localdate().isoformat()}
    return xlsx_response(filename, [str(h) for h in EXPORT_HEADERS], rows, sheet_title=_("建议"))
