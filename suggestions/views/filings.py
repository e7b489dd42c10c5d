"""备案登记: the procuratorate files, the office keeps the register of its region."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liaison import access, lists
from liaison.forms import apply_service_errors

from .. import page_selectors, services
from ..forms import FilingFilter, FilingForm
from ..listings import FILINGS


def _filtered(request):
    filters = FilingFilter(lists.filter_params(request))
    values = filters.values()
    qs = page_selectors.filings(
        request.user,
        kind=values.get("kind", ""),
        keyword=values.get("q", ""),
        filed_from=values.get("filed_from"),
        filed_to=values.get("filed_to"),
    )
    qs, sort = FILINGS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def filing_list(request):
    filters, qs, sort = _filtered(request)
    context = lists.page(request, FILINGS, qs, filters=filters, sort=sort)
    context["can_create"] = access.can(request.user, "filing.create")
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


@login_required
def filing_export(request):
    filters, qs, _sort = _filtered(request)
    return FILINGS.export(qs, viewer=request.user, filters=filters)
