"""Major-case coordination (重大案件协调): the list, opening one from a major case, its detail with the
communications of the parties, inviting the procuratorate to supervise and closing with an outcome.

Inviting and closing cannot be undone, so each is a form (step 1) and a confirmation (step 2).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from liaison import access, lists, pages
from liaison import selectors as hub_selectors
from liaison.models import Institution

from .. import selectors, services
from ..forms.cases import CloseForm, CommunicationForm, CoordinationFilter, CoordinationOpenForm, InviteForm
from ..listings import COORDINATIONS
from ..models import Coordination
from .cases import case_for_page

ACTION_LABELS = {
    "coordination.open": pgettext_lazy("timeline", "启动协调"),
    "coordination.invite": pgettext_lazy("timeline", "邀请检察院监督"),
    "coordination.communicate": pgettext_lazy("timeline", "记录沟通情况"),
    "coordination.close": pgettext_lazy("timeline", "结束协调"),
}


def coordination_for_page(user, uuid) -> Coordination:
    qs = Coordination.objects.select_related(
        "case", "case__court", "case__cause", "court", "government", "procuratorate"
    )
    c = access.get_visible_or_404(qs, user, uuid=uuid)
    return c


# ----------------------------------------------------------------------------- list


def _filtered(request):
    filters = CoordinationFilter(lists.filter_params(request))
    values = filters.values()
    qs = selectors.coordination_list(user=request.user, status=values.get("status"))
    if q := values.get("q"):
        number = q.replace(" ", "").replace("(", "（").replace(")", "）")
        qs = qs.filter(Q(case__number__icontains=number) | Q(subject__icontains=q))
    qs, sort = COORDINATIONS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def index(request):
    filters, qs, sort = _filtered(request)
    context = lists.page(request, COORDINATIONS, qs, filters=filters, sort=sort)
    user = request.user
    context["is_court"] = user.institution is not None and user.institution.kind == Institution.Kind.COURT
    return render(request, "cases/case/coordinations.html", context)


@login_required
def export(request):
    filters, qs, _sort = _filtered(request)
    return COORDINATIONS.export(qs, viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- opening


def _default_government(case):
    """The government the first defendant answers to (itself for a government)."""
    for d in case.defendants.order_by("id"):
        if d.kind == Institution.Kind.GOVERNMENT:
            return d
        if d.kind == Institution.Kind.AGENCY and d.parent_id:
            return d.parent
    return None


@login_required
def open_(request, uuid):
    """发起协调 on one of the court's major pending cases."""
    user = request.user
    case = case_for_page(user, uuid)
    if refused := pages.precheck(request, "coordination.open", case, back=case.get_absolute_url()):
        return refused  # a major pending case of the court's only
    initial = {
        "government": _default_government(case),
        "subject": _("%(c)s争议协调") % {"c": case.get_major_category_display()},
    }
    return pages.action_page(
        request,
        case,
        checked=True,
        form=CoordinationOpenForm(pages.post_data(request), user=user, initial=initial),
        service=services.coordination_open,
        args=lambda d: {
            "case": case,
            "by": user,
            "government": d["government"],
            "subject": d["subject"],
            "opened_on": d["opened_on"],
        },
        done=lambda c: _("已启动协调，已通知%(g)s。") % {"g": c.government.name},
        back=case.get_absolute_url(),
        to=Coordination.get_absolute_url,
        template="cases/case/coordination_open.html",
        context={"case": case, "action": _("发起协调")},
    )


# ----------------------------------------------------------------------------- detail


def coordination_timeline(c) -> list:
    entries = hub_selectors.timeline(c)
    for entry in entries:
        entry.label = str(ACTION_LABELS.get(entry.action, entry.label))
        after = entry.after or {}
        entry.detail = after.get("government") or after.get("procuratorate") or ""
    return entries


@login_required
def detail(request, uuid):
    user = request.user
    c = coordination_for_page(user, uuid)
    context = {
        "c": c,
        "case": c.case,
        "communications": list(c.communications.select_related("institution", "author").order_by("occurred_on", "id")),
        "timeline": coordination_timeline(c),
        "form": CommunicationForm() if access.allowed(user, "coordination.communicate", c) else None,
    }
    return render(request, "cases/case/coordination_detail.html", context)


@login_required
def communicate(request, uuid):
    user = request.user
    c = coordination_for_page(user, uuid)
    return pages.action_page(
        request,
        c,
        verb="coordination.communicate",
        form=lambda: CommunicationForm(pages.post_data(request)),
        service=services.communication_add,
        args=lambda d: {"coordination": c, "by": user, "summary": d["summary"], "occurred_on": d["occurred_on"]},
        done=lambda _result: _("沟通情况已记录，已通知协调各方。"),
        back=c.get_absolute_url(),
        template="cases/case/coordination_form.html",
        context={"c": c, "action": _("记录沟通情况"), "step": "communicate"},
    )


def _default_procuratorate(c):
    return (
        Institution.objects.filter(kind=Institution.Kind.PROCURATORATE, region_id=c.court.region_id, is_active=True)
        .order_by("id")
        .first()
    )


@login_required
def invite(request, uuid):
    """邀请检察院监督: choose (step 1), confirm (step 2); the procuratorate then sees the case."""
    user = request.user
    c = coordination_for_page(user, uuid)
    if refused := pages.precheck(request, "coordination.invite", c, back=c.get_absolute_url()):
        return refused  # open, and no procuratorate invited yet
    action = _("邀请检察院监督")
    form = InviteForm(pages.post_data(request), user=user, initial={"procuratorate": _default_procuratorate(c)})
    return pages.action_page(
        request,
        c,
        checked=True,
        form=form,
        service=services.coordination_invite,
        args=lambda d: {"coordination": c, "by": user, "procuratorate": d["procuratorate"]},
        done=lambda _result: _("已邀请%(p)s监督，该院现在可以查看本协调和案件。")
        % {"p": form.cleaned_data["procuratorate"].name},
        back=c.get_absolute_url(),
        confirm=lambda d: {"step": "invite", "action": action, "procuratorate": d["procuratorate"]},
        confirm_template="cases/case/coordination_confirm.html",
        template="cases/case/coordination_form.html",
        context={"c": c, "action": action, "step": "invite"},
    )


@login_required
def close(request, uuid):
    """结束协调 with its outcome: write (step 1), confirm (step 2); a closed coordination takes no more steps."""
    user = request.user
    c = coordination_for_page(user, uuid)
    action = _("结束协调")
    return pages.action_page(
        request,
        c,
        verb="coordination.close",
        form=lambda: CloseForm(pages.post_data(request)),
        service=services.coordination_close,
        args=lambda d: {"coordination": c, "by": user, "outcome": d["outcome"], "closed_on": d["closed_on"]},
        done=lambda _result: _("协调已结束，已通知协调各方。"),
        back=c.get_absolute_url(),
        confirm=lambda d: {"step": "close", "action": action, "data": d},
        confirm_template="cases/case/coordination_confirm.html",
        template="cases/case/coordination_form.html",
        context={"c": c, "action": action, "step": "close"},
    )
