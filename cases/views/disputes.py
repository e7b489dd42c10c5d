"""诉前化解 pages: disputes taken up for joint mediation, their sessions, and the conclusion (resolved,
withdrawn, or filed as a case; with a confirmation). See cases/views/enforcement.py for the order
of checks."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from liaison import access, links, pages

from .. import selectors, services
from ..forms.work import ConcludeForm, DisputeFilter, DisputeForm, MediationForm, recent_case_numbers
from ..listings import DISPUTES
from ..models import Dispute
from . import _work
from ._work import require_form_methods

DS = Dispute.Status
LABELS = {
    "dispute.create": pgettext_lazy("timeline", "受理争议，启动诉前化解"),
    "dispute.session": pgettext_lazy("timeline", "联合调解"),
    "dispute.conclude": pgettext_lazy("timeline", "化解结束"),
}


def _for_page(user, uuid) -> Dispute:
    qs = Dispute.objects.select_related("agency", "government", "court", "procuratorate", "case", "created_by")
    return access.get_visible_or_404(qs, user, uuid=uuid)


def _crumbs(d) -> dict:
    return {
        "list_url": reverse("cases:disputes"),
        "list_label": _("诉前化解"),
        "obj_url": d.get_absolute_url(),
        "obj_label": d.title,
    }


# ----------------------------------------------------------------------------- list, export


def _filtered(request):
    filters = DisputeFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.dispute_list(
        user=request.user,
        status=values.get("status"),
        q=values.get("q"),
        institution=values.get("institution"),
        region=values.get("region"),
    )
    qs = links.annotate(qs, request.user, "case")
    qs, sort = DISPUTES.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
@require_safe
def dispute_list(request):
    filters, qs, sort = _filtered(request)
    return _work.list_page(
        request,
        DISPUTES,
        template="cases/work/dispute_list.html",
        filters=filters,
        qs=qs,
        sort=sort,
        context={"can_create": access.can(request.user, "dispute.create")},
    )


@login_required
@require_safe
def dispute_export(request):
    filters, qs, _sort = _filtered(request)
    return DISPUTES.export(qs, viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- create


@login_required
@require_form_methods
def dispute_create(request):
    user = request.user
    access.require(user, "dispute.create")
    form = DisputeForm(pages.post_data(request), user=user)
    return pages.action_page(
        request,
        form=form,
        service=services.dispute_create,
        args=lambda d: {
            "by": user,
            "title": d["title"],
            "applicant": d["applicant"],
            "agency": d["agency"],
            "summary": d["summary"],
            "received_on": d["received_on"],
            "court": d.get("court"),
            "government": d.get("government"),
            "procuratorate": d.get("procuratorate"),
        },
        done=lambda dispute: _("已受理，参与化解的单位已收到通知。"),
        back=reverse("cases:disputes"),
        to=Dispute.get_absolute_url,
        template="cases/work/dispute_form.html",
        context={"form": form},
    )


# ----------------------------------------------------------------------------- detail


@login_required
@require_safe
def dispute_detail(request, uuid):
    user = request.user
    d = _for_page(user, uuid)
    context = {
        "d": d,
        "sessions": list(d.sessions.order_by("held_on", "id")),
        "case_url": _work.case_url(user, d.case),
        "timeline": _work.timeline(user, d, labels=LABELS, describe=_describe),
        **_crumbs(d),
    }
    return render(request, "cases/work/dispute_detail.html", context)


def _describe(entry) -> str:
    after = entry.after or {}
    if entry.action == "dispute.conclude":
        words = str(dict(DS.choices).get(after.get("status"), ""))
        # `after` also holds the 案号: the page names it (linked) only to those who may see the case.
        return words
    if entry.action == "dispute.session":
        return after.get("held_on", "")
    return ""


@login_required
@require_form_methods
def mediation_add(request, uuid):
    user = request.user
    d = _for_page(user, uuid)
    if refused := pages.precheck(request, "dispute.session", d, back=d.get_absolute_url()):
        return refused
    form = MediationForm(pages.post_data(request))
    return pages.action_page(
        request,
        d,
        checked=True,
        form=form,
        service=services.mediation_add,
        args=lambda data: {
            "dispute": d,
            "by": user,
            "held_on": data["held_on"],
            "participants": data["participants"],
            "result": data["result"],
            "location": data["location"],
        },
        done=lambda s: _("已记录 %(d)s 的联合调解。") % {"d": s.held_on.isoformat()},
        back=d.get_absolute_url(),
        template="cases/work/mediation_form.html",
        context={"d": d, "form": form, "action": _("记录联合调解"), **_crumbs(d)},
    )


@login_required
@require_form_methods
def dispute_conclude(request, uuid):
    """化解结束: fill in (step 1), review and confirm (step 2); a filed dispute links its case."""
    user = request.user
    d = _for_page(user, uuid)
    if refused := pages.precheck(request, "dispute.conclude", d, back=d.get_absolute_url()):
        return refused
    form = ConcludeForm(pages.post_data(request), user=user)

    def confirm_context(data):
        rows = [
            (_("争议事项"), d.title),
            (_("化解结果"), dict(form.fields["status"].choices)[data["status"]]),
            (_("化解日期"), data["outcome_on"].isoformat()),
            (_("化解结果说明"), data["notes"]),
        ]
        if data["case"]:
            rows.append((_("立案案号"), data["case"].number))
        return {
            "title": _("确认化解结果"),
            "action": _("化解结束"),
            "warning": _("确认后争议化解结束，不能再记录调解，也不能修改结果。"),
            "rows": rows,
            "confirm_label": _("确认"),
            **_crumbs(d),
        }

    return pages.action_page(
        request,
        d,
        checked=True,
        form=form,
        service=services.dispute_conclude,
        args=lambda data: {
            "dispute": d,
            "by": user,
            "status": data["status"],
            "outcome_on": data["outcome_on"],
            "notes": data["notes"],
            "case": data["case"],
        },
        back=d.get_absolute_url(),
        done=lambda concluded: _("化解结束：%(s)s。") % {"s": concluded.get_status_display()},
        confirm=confirm_context,
        confirm_template="cases/work/confirm.html",
        template="cases/work/dispute_conclude.html",
        context={
            "d": d,
            "form": form,
            "action": _("化解结束"),
            "case_numbers": recent_case_numbers(user),
            **_crumbs(d),
        },
    )
