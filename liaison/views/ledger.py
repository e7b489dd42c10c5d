"""工作台账 and 专项检查: the ledger list with its Excel export, entry detail, inspections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, lists, selectors, services
from ..errors import Conflict
from ..forms import InspectionForm, LedgerCompleteForm, LedgerFilter, LedgerWaiveForm, apply_service_errors
from ..listings import INSPECTION_ROWS, INSPECTIONS, LEDGER
from ..models import Inspection
from .common import conflict_redirect


def _filtered_entries(request):
    filters = LedgerFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.ledger_entries(
        request.user,
        status=values.get("status", ""),
        owner=values.get("owner"),
        due_from=values.get("due_from"),
        due_to=values.get("due_to"),
        keyword=values.get("q", ""),
    )
    qs, sort = LEDGER.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def ledger_list(request):
    filters, qs, sort = _filtered_entries(request)
    context = lists.page(request, LEDGER, qs, filters=filters, sort=sort, decorate=selectors.with_deadlines)
    return render(request, "liaison/ledger/list.html", context)


@login_required
def ledger_export(request):
    """Exactly the rows the list shows with the same filters (every page)."""
    filters, qs, _sort = _filtered_entries(request)
    return LEDGER.export(selectors.with_deadlines(qs), viewer=request.user, filters=filters)


def _render_entry(request, entry, *, complete_form=None, waive_form=None):
    user = request.user
    can_complete = not entry.is_closed and access.can(user, "ledger.complete", entry)
    can_waive = not entry.is_closed and access.can(user, "ledger.waive", entry)
    entry.deadline = selectors.with_deadlines([entry])[0].deadline
    context = {
        "entry": entry,
        "timeline": selectors.timeline(entry),
        "complete_form": (complete_form or LedgerCompleteForm()) if can_complete else None,
        "waive_form": (waive_form or LedgerWaiveForm()) if can_waive else None,
    }
    return render(request, "liaison/ledger/detail.html", context)


@login_required
def ledger_detail(request, uuid):
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    return _render_entry(request, entry)


def _entry_url(entry) -> str:
    return reverse("ledger_detail", kwargs={"uuid": entry.uuid})


@login_required
@require_POST
def ledger_complete(request, uuid):
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    access.require(request.user, "ledger.complete", entry)
    form = LedgerCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.ledger_complete(
                entry=entry,
                by=request.user,
                evidence=form.cleaned_data["evidence"],
                done_on=form.cleaned_data["done_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _entry_url(entry))
        else:
            messages.success(request, _("已办结。"))
            return redirect(_entry_url(entry))
    return _render_entry(request, entry, complete_form=form)


@login_required
@require_POST
def ledger_waive(request, uuid):
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    access.require(request.user, "ledger.waive", entry)
    form = LedgerWaiveForm(request.POST)
    if form.is_valid():
        try:
            services.ledger_waive(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _entry_url(entry))
        else:
            messages.success(request, _("已免除该事项。"))
            return redirect(_entry_url(entry))
    return _render_entry(request, entry, waive_form=form)


# ----------------------------------------------------------------------------- inspections


@login_required
def inspection_list(request):
    qs = INSPECTIONS.order(selectors.inspections(request.user), None)[0]
    context = lists.page(request, INSPECTIONS, qs)
    context["can_create"] = access.can(request.user, "inspection.create")
    return render(request, "liaison/inspections/list.html", context)


@login_required
def inspection_create(request):
    access.require(request.user, "inspection.create")
    form = InspectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                by=request.user, title=form.cleaned_data["title"], findings=form.cleaned_data["findings"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已建立专项检查，冻结台账事项 %(n)d 项。") % {"n": len(inspection.snapshot)})
            return redirect("inspection_detail", uuid=inspection.uuid)
    visible_count = selectors.ledger_entries(request.user).count()
    return render(request, "liaison/inspections/form.html", {"form": form, "visible_count": visible_count})


@login_required
def inspection_detail(request, uuid):
    inspection = access.get_visible_or_404(selectors.inspections(request.user), request.user, uuid=uuid)
    return render(request, "liaison/inspections/detail.html", {"inspection": inspection})


@login_required
def inspection_export(request, uuid):
    inspection = access.get_visible_or_404(Inspection, request.user, uuid=uuid)
    filename = _("专项检查_%(t)s.xlsx") % {"t": inspection.title}
    return INSPECTION_ROWS.export(
        inspection.snapshot, viewer=request.user, filename=filename, scope=[(_("检查名称"), inspection.title)]
    )
