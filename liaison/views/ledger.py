"""工作台账 and 专项检查: the ledger list with its Excel export, entry detail, inspections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import access, flows, lists, pages, selectors, services, tracking
from ..forms import (
    InspectionFilter,
    InspectionForm,
    LedgerCompleteForm,
    LedgerCreateForm,
    LedgerExtendForm,
    LedgerFilter,
    LedgerUrgeForm,
    LedgerWaiveForm,
    apply_service_errors,
)
from ..listings import INSPECTION_ROWS, INSPECTIONS, LEDGER
from ..models import Inspection

require_form_methods = require_http_methods(["GET", "HEAD", "POST"])

# The ledger page's 跟踪 block: the most urgent of what the institution sent and waits for (all on /tracking/).
LEDGER_TRACKING = 5


def _filtered_entries(request):
    filters = LedgerFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.ledger_entries(
        request.user,
        status=values.get("status", ""),
        owner=values.get("owner"),
        region=values.get("region"),
        due_from=values.get("due_from"),
        due_to=values.get("due_to"),
        keyword=values.get("q", ""),
        clause=values.get("clause", ""),
    )
    qs, sort = LEDGER.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def ledger_list(request):
    filters, qs, sort = _filtered_entries(request)
    context = lists.page(request, LEDGER, qs, filters=filters, sort=sort, decorate=selectors.with_deadlines)
    context["can_create"] = access.can(request.user, "ledger.create")
    # The issuer's side of the work: what it sent and is owed (a reply, feedback, a receipt), beside
    # what it owes itself; the same block as the dashboard's.
    context.update(tracking.context(request.user, top=LEDGER_TRACKING))
    return render(request, "liaison/ledger/list.html", context)


@login_required
def ledger_export(request):
    """Exactly the rows the list shows with the same filters (every page)."""
    filters, qs, _sort = _filtered_entries(request)
    return LEDGER.export(selectors.with_deadlines(qs), viewer=request.user, filters=filters)


def _render_entry(request, entry):
    entry.deadline = selectors.with_deadlines([entry])[0].deadline
    context = {
        "entry": entry,
        "source": selectors.ledger_source(request.user, entry),
        "timeline": selectors.timeline(entry),
        "evidence": selectors.evidence_html(request.user, entry.evidence),
        "urges": selectors.ledger_urges(entry),
        "sourced_note": None if flows.manual_entry(entry) else flows.SOURCED_REFUSAL,
    }
    return render(request, "liaison/ledger/detail.html", context)


@login_required
def ledger_detail(request, uuid):
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    return _render_entry(request, entry)


def _entry_url(entry) -> str:
    return reverse("ledger_detail", kwargs={"uuid": entry.uuid})


def _entry_page(request, entry, *, title: str, **kwargs):
    back = _entry_url(entry)
    context = {"entry": entry, "title": title, "back": back, "confirm_label": title, **kwargs.pop("context", {})}
    return pages.action_page(
        request,
        entry,
        back=back,
        template="liaison/ledger/action.html",
        confirm_template="liaison/ledger/confirm.html",
        context=context,
        **kwargs,
    )


@login_required
@require_form_methods
def ledger_complete(request, uuid):
    """办结 a manual entry: evidence, then a confirmation (an entry with a source is refused: 409 page)."""
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    user = request.user

    def confirm(data):
        return {
            "warning": _("办结后不能撤销，该事项不再计入逾期。"),
            "rows": [
                (_("事项"), entry.display_title),
                (_("办结情况"), data["evidence"]),
                (_("办结日期"), (data["done_on"] or timezone.localdate()).isoformat()),
            ],
        }

    return _entry_page(
        request,
        entry,
        title=_("办结"),
        verb="ledger.complete",
        form=lambda: LedgerCompleteForm(pages.post_data(request)),
        service=services.ledger_complete,
        args=lambda d: {"entry": entry, "by": user, "evidence": d["evidence"], "done_on": d["done_on"]},
        done=lambda e: _("已办结。"),
        confirm=confirm,
    )


@login_required
@require_form_methods
def ledger_extend(request, uuid):
    """延期 (office): a manual entry's due date moves by some days from the old one, with a reason."""
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    user = request.user
    return _entry_page(
        request,
        entry,
        title=_("延期"),
        verb="ledger.extend",
        form=lambda: LedgerExtendForm(pages.post_data(request)),
        service=services.ledger_extend,
        args=lambda d: {"entry": entry, "by": user, "days": d["days"], "reason": d["reason"]},
        done=lambda e: _("已延期，新的截止日期为 %(d)s。") % {"d": e.due_date.isoformat()},
    )


@login_required
@require_form_methods
def ledger_create(request):
    """The office registers a task of the work plan by hand (owner, clause, due date)."""
    access.require(request.user, "ledger.create")
    form = LedgerCreateForm(pages.post_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.ledger_create(
                by=request.user,
                owner=data["owner"],
                title=data["title"],
                clause=data["clause"],
                due_date=data["due_date"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("已登记，截止日期为 %(d)s，已通知责任单位。") % {"d": entry.due_date.isoformat()}
            )
            return redirect("ledger_detail", uuid=entry.uuid)
    from ..workplan import TASKS

    return render(request, "liaison/ledger/create.html", {"form": form, "tasks": TASKS})


@login_required
@require_form_methods
def ledger_urge(request, uuid):
    """催办 (office) an open or overdue entry: a notification, and optionally a 督办函 for sign-off."""
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    user = request.user

    def done(e):
        urge = e.urges.order_by("-id").first()
        if urge and urge.letter_id:
            return _("已催办，督办函已提交办公室负责人签发。")
        return _("已催办，已通知责任单位。")

    return _entry_page(
        request,
        entry,
        title=_("催办"),
        verb="ledger.urge",
        form=lambda: LedgerUrgeForm(pages.post_data(request)),
        service=services.ledger_urge,
        args=lambda d: {"entry": entry, "by": user, "message": d["message"], "letter": d["letter"]},
        done=done,
    )


@login_required
@require_form_methods
def ledger_waive(request, uuid):
    """免除 (office), with a reason and a confirmation; a sourced entry too (its source stays as it is)."""
    entry = selectors.ledger_entry_for_page(request.user, uuid)
    user = request.user

    def confirm(data):
        return {
            "warning": _("免除后该事项不再计入逾期，不能撤销。"),
            "rows": [
                (_("事项"), entry.display_title),
                (_("责任单位"), entry.owner.name),
                (_("免除理由"), data["reason"]),
            ],
        }

    return _entry_page(
        request,
        entry,
        title=_("免除"),
        verb="ledger.waive",
        form=lambda: LedgerWaiveForm(pages.post_data(request)),
        service=services.ledger_waive,
        args=lambda d: {"entry": entry, "by": user, "reason": d["reason"]},
        done=lambda e: _("已免除该事项。"),
        confirm=confirm,
    )


# ----------------------------------------------------------------------------- inspections


@login_required
def inspection_list(request):
    filters = InspectionFilter(request.GET or None)
    values = filters.values()
    qs = INSPECTIONS.order(selectors.inspections(request.user, clause=values.get("clause", "")), None)[0]
    context = lists.page(request, INSPECTIONS, qs, filters=filters)
    context["can_create"] = access.can(request.user, "inspection.create")
    return render(request, "liaison/inspections/list.html", context)


@login_required
def inspection_create(request):
    access.require(request.user, "inspection.create")
    form = InspectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                by=request.user,
                title=form.cleaned_data["title"],
                findings=form.cleaned_data["findings"],
                clause=form.cleaned_data["clause"],
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
