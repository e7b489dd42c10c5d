"""备案登记: the procuratorate files, the office keeps the register of its region."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import access
from liaison.excel import xlsx_response
from liaison.forms import apply_service_errors
from liaison.selectors import apply_sort
from liaison.views.common import paginate

from .. import page_selectors, services
from ..forms import FilingFilter, FilingForm
from .lists import export_query


def _filtered(request):
    params = request.GET.copy()
    for key in ("sort", "page"):
        params.pop(key, None)
    filters = FilingFilter(params or None)
    values = filters.values()
    qs = page_selectors.filings(
        request.user,
        kind=values.get("kind", ""),
        keyword=values.get("q", ""),
        filed_from=values.get("filed_from"),
        filed_to=values.get("filed_to"),
    )
    qs, sort = apply_sort(qs, request.GET.get("sort"), page_selectors.FILING_SORTS, "-filed_on")
    return filters, values, qs, sort


@login_required
def filing_list(request):
    filters, values, qs, sort = _filtered(request)
    context = {
        "filters": filters,
        "page": paginate(request, qs),
        "sort": sort,
        "filtered": bool(values),
        "export_query": export_query(request),
        "can_create": access.can(request.user, "filing.create"),
    }
    return render(request, "suggestions/filings.html", context)


@login_required
def filing_create(request):
    user = request.user
    access.require(user, "filing.create")
    initial = {}
    wanted = request.GET.get("suggestion")
    if request.method == "GET" and wanted:
        chosen = (
            page_selectors.filing_suggestion_choices(user).filter(uuid__in=[wanted] if _is_uuid(wanted) else []).first()
        )
        if chosen:
            initial = {"kind": "suggestion", "suggestion": chosen, "title": _("%(t)s备案") % {"t": chosen.title}}
    form = FilingForm(request.POST if request.method == "POST" else None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filing = services.filing_create(
                by=user,
                kind=data["kind"],
                title=data["title"],
                summary=data["summary"],
                filed_on=data["filed_on"],
                suggestion=data["suggestion"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已向%(o)s备案。") % {"o": filing.office.name})
            return redirect("suggestions:filings")
    return render(request, "suggestions/filing_form.html", {"form": form})


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


FILING_HEADERS = [
    gettext_lazy("备案日期"),
    gettext_lazy("备案类别"),
    gettext_lazy("标题"),
    gettext_lazy("检察建议文号"),
    gettext_lazy("备案单位"),
    gettext_lazy("受理办公室"),
    gettext_lazy("基本情况"),
    gettext_lazy("登记人"),
]


@login_required
def filing_export(request):
    _filters, _values, qs, _sort = _filtered(request)
    rows = (
        [
            f.filed_on,
            f.get_kind_display(),
            f.title,
            f.suggestion.letter.doc_number if f.suggestion_id and f.suggestion.letter_id else "",
            f.procuratorate.name,
            f.office.name,
            f.summary,
            str(f.created_by),
        ]
        for f in qs
    )
    filename = _("备案登记_%(d)s.xlsx") % {"d": timezone.localdate().isoformat()}
    return xlsx_response(filename, [str(h) for h in FILING_HEADERS], rows, sheet_title=_("备案登记"))
