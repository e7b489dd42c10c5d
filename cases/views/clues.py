"""违法线索移送 pages: list (sent, received), sending a clue, the recipient's receipt and its
handling result (with a confirmation). See cases/views/enforcement.py for the order of checks."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from liaison import access, links, pages

from .. import selectors, services
from ..forms.work import ClueFilter, ClueForm, ClueHandleForm, ClueReceiveForm, recent_case_numbers
from ..listings import CLUES
from ..models import ClueTransfer
from . import _work
from ._work import require_form_methods

LABELS = {
    "clue.send": pgettext_lazy("timeline", "移送线索"),
    "clue.receive": pgettext_lazy("timeline", "接收"),
    "clue.handle": pgettext_lazy("timeline", "办结"),
}


def _for_page(user, uuid) -> ClueTransfer:
    qs = ClueTransfer.objects.select_related("sender", "recipient", "case", "created_by")
    return access.get_visible_or_404(qs, user, uuid=uuid)


def _crumbs(clue) -> dict:
    return {
        "list_url": reverse("cases:clues"),
        "list_label": _("违法线索移送"),
        "obj_url": clue.get_absolute_url(),
        "obj_label": _("%(s)s移送%(r)s的线索（%(d)s）")
        % {"s": clue.sender.short_name, "r": clue.recipient.short_name, "d": clue.sent_on.isoformat()},
    }


# ----------------------------------------------------------------------------- list, export


def _filtered(request):
    filters = ClueFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.clue_list(
        user=request.user,
        box=values.get("box"),
        status=values.get("status"),
        institution=values.get("institution"),
        region=values.get("region"),
    )
    if q := values.get("q"):
        qs = qs.filter(Q(summary__icontains=q) | Q(sender__name__icontains=q) | Q(recipient__name__icontains=q))
    qs = links.annotate(qs, request.user, "case")
    qs, sort = CLUES.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
@require_safe
def clue_list(request):
    filters, qs, sort = _filtered(request)
    return _work.list_page(
        request,
        CLUES,
        template="cases/work/clue_list.html",
        filters=filters,
        qs=qs,
        sort=sort,
        context={"can_create": access.can(request.user, "clue.create")},
    )


@login_required
@require_safe
def clue_export(request):
    filters, qs, _sort = _filtered(request)
    return CLUES.export(qs, viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- send


@login_required
@require_form_methods
def clue_create(request):
    user = request.user
    access.require(user, "clue.create")
    form = ClueForm(pages.post_data(request), user=user)
    return pages.action_page(
        request,
        form=form,
        service=services.clue_transfer_send,
        args=lambda d: {
            "by": user,
            "recipient": d["recipient"],
            "summary": d["summary"],
            "sent_on": d["sent_on"],
            "case": d["case"],
        },
        done=lambda clue: _("线索已移送%(r)s，对方应在办理期限内办结。") % {"r": clue.recipient.name},
        back=reverse("cases:clues"),
        to=ClueTransfer.get_absolute_url,
        template="cases/work/clue_form.html",
        context={"form": form, "case_numbers": recent_case_numbers(user)},
    )


# ----------------------------------------------------------------------------- detail


@login_required
@require_safe
def clue_detail(request, uuid):
    user = request.user
    clue = _for_page(user, uuid)
    context = {
        "clue": clue,
        "case_url": _work.case_url(user, clue.case),
        "ledger": _work.ledger_of(user, clue),
        "timeline": _work.timeline(user, clue, labels=LABELS),
        **_crumbs(clue),
    }
    return render(request, "cases/work/clue_detail.html", context)


@login_required
@require_form_methods
def clue_receive(request, uuid):
    """接收: a confirmation page with the date of receipt."""
    user = request.user
    clue = _for_page(user, uuid)
    return pages.action_page(
        request,
        clue,
        verb="clue.receive",
        form=lambda: ClueReceiveForm(pages.post_data(request)),
        service=services.clue_transfer_receive,
        args=lambda d: {"clue": clue, "by": user, "received_on": d["received_on"]},
        done=lambda c: _("已接收线索（%(d)s）。") % {"d": c.received_on.isoformat()},
        back=clue.get_absolute_url(),
        template="cases/work/clue_receive.html",
        context={"clue": clue, "action": _("接收线索"), **_crumbs(clue)},
    )


@login_required
@require_form_methods
def clue_handle(request, uuid):
    """办结: fill in the result (step 1), review and confirm (step 2); the sender is told."""
    user = request.user
    clue = _for_page(user, uuid)
    if refused := pages.precheck(request, "clue.handle", clue, back=clue.get_absolute_url()):
        return refused
    form = ClueHandleForm(pages.post_data(request))

    def confirm_context(data):
        return {
            "title": _("确认办结"),
            "action": _("办结线索"),
            "warning": _("办结后不能修改；%(s)s将收到处理结果，台账事项随之办结。") % {"s": clue.sender.name},
            "rows": [
                (_("移送单位"), clue.sender.name),
                (_("处理结果"), data["result"]),
                (_("办结日期"), (data["handled_on"] or timezone.localdate()).isoformat()),
            ],
            "confirm_label": _("确认办结"),
            **_crumbs(clue),
        }

    return pages.action_page(
        request,
        clue,
        checked=True,
        form=form,
        service=services.clue_transfer_handle,
        args=lambda d: {"clue": clue, "by": user, "result": d["result"], "handled_on": d["handled_on"]},
        back=clue.get_absolute_url(),
        done=lambda c: _("线索已办结，处理结果已告知%(s)s。") % {"s": c.sender.name},
        confirm=confirm_context,
        confirm_template="cases/work/confirm.html",
        template="cases/work/clue_handle.html",
        context={"clue": clue, "form": form, "action": _("办结线索"), **_crumbs(clue)},
    )
