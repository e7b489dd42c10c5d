"""执行监督 pages: the procuratorate's applications for enforcement supervision (list, receiving one
with its two 函告, the decision with a confirmation) and opening 个案监督 on a case by its 案号.

Each view finds the record among those the user may see (404), asks `access` (403) before reading
input, checks the state, then calls the service (see cases/views/enforcement.py).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from liaison import access, pages, status
from liaison.calendar import WorkCalendar
from liaison.models import User

from .. import selectors, services
from ..forms.work import CaseSupervisionForm, DecisionForm, SupervisionFilter, SupervisionForm
from ..listings import SUPERVISIONS
from ..models import Enforcement, SupervisionApplication
from . import _work
from ._work import require_form_methods

SS = SupervisionApplication.Status
DECISION_WORDS = (gettext_lazy("按期决定"), gettext_lazy("逾期决定"))
LABELS = {
    "supervision.create": pgettext_lazy("timeline", "受理执行监督申请，函告法院和实施机关"),
    "supervision.decide": pgettext_lazy("timeline", "作出决定"),
}


def decorate(rows):
    calendar = WorkCalendar()  # one for the list: it caches the holidays it reads
    for app in rows:
        app.status_text = app.get_decision_display() if app.status == SS.DECIDED else app.get_status_display()
        app.due = status.due_state(
            app.decision_due,
            pending=app.status == SS.RECEIVED,
            done_on=app.decided_on,
            done_words=DECISION_WORDS,
            calendar=calendar,
        )
    return rows


def _for_page(user, uuid) -> SupervisionApplication:
    qs = SupervisionApplication.objects.select_related(
        "procuratorate", "court", "enforcing_agency", "enforcement", "created_by"
    )
    return access.get_visible_or_404(qs, user, uuid=uuid)


def _crumbs(app) -> dict:
    return {
        "list_url": reverse("cases:supervisions"),
        "list_label": _("执行监督"),
        "obj_url": app.get_absolute_url(),
        "obj_label": _("%(a)s的监督申请") % {"a": app.applicant},
    }


# ----------------------------------------------------------------------------- list, export


def _filtered(request):
    filters = SupervisionFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.supervision_list(
        user=request.user,
        status=values.get("status"),
        institution=values.get("institution"),
        region=values.get("region"),
    )
    if q := values.get("q"):
        qs = qs.filter(Q(applicant__icontains=q) | Q(request__icontains=q) | Q(court__name__icontains=q))
    if values.get("overdue") == "yes":
        qs = qs.filter(status=SS.RECEIVED, decision_due__lt=timezone.localdate())
    qs, sort = SUPERVISIONS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
@require_safe
def supervision_list(request):
    filters, qs, sort = _filtered(request)
    user = request.user
    return _work.list_page(
        request,
        SUPERVISIONS,
        template="cases/work/supervision_list.html",
        filters=filters,
        qs=qs,
        sort=sort,
        decorate=decorate,
        context={
            "can_create": access.can(user, "supervision.create"),
            "can_supervise_case": access.can(user, "case_supervision.create"),
        },
    )


@login_required
@require_safe
def supervision_export(request):
    filters, qs, _sort = _filtered(request)
    return SUPERVISIONS.export(decorate(list(qs)), viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- create


@login_required
@require_form_methods
def supervision_create(request):
    user = request.user
    access.require(user, "supervision.create")
    form = SupervisionForm(pages.post_data(request), user=user)
    return pages.action_page(
        request,
        form=form,
        service=services.supervision_create,
        args=lambda d: {
            "by": user,
            "applicant": d["applicant"],
            "court": d["court"],
            "enforcing_agency": d["enforcing_agency"],
            "request": d["request"],
            "received_on": d["received_on"],
            "enforcement": d["enforcement"],
        },
        done=lambda app: _("已受理。函告法院和实施机关的两份函已%(s)s；决定期限 %(d)s。")
        % {
            "s": _("签发") if user.role == User.Role.HEAD else _("提交本院负责人签发"),
            "d": app.decision_due.isoformat(),
        },
        back=reverse("cases:supervisions"),
        to=SupervisionApplication.get_absolute_url,
        template="cases/work/supervision_form.html",
        context={"form": form},
    )


# ----------------------------------------------------------------------------- detail


@login_required
@require_safe
def supervision_detail(request, uuid):
    user = request.user
    app = _for_page(user, uuid)
    decorate([app])
    enforcement = None
    if app.enforcement_id and Enforcement.objects.visible_to(user).filter(pk=app.enforcement_id).exists():
        enforcement = app.enforcement
    context = {
        "app": app,
        "letters": _work.letters_of(user, app),
        "enforcement": enforcement,
        "ledger": _work.ledger_of(user, app),
        "timeline": _work.timeline(user, app, labels=LABELS, describe=_describe),
        **_crumbs(app),
    }
    return render(request, "cases/work/supervision_detail.html", context)


def _describe(entry) -> str:
    after = entry.after or {}
    if entry.action == "supervision.decide":
        return str(dict(SupervisionApplication.Decision.choices).get(after.get("decision"), ""))
    return ""


@login_required
@require_form_methods
def supervision_decide(request, uuid):
    """决定: fill in (step 1), review and confirm (step 2); the court and the agency are told."""
    user = request.user
    app = _for_page(user, uuid)
    if refused := pages.precheck(request, "supervision.decide", app, back=app.get_absolute_url()):
        return refused
    form = DecisionForm(pages.post_data(request))

    def confirm_context(data):
        return {
            "title": _("确认决定"),
            "action": _("作出决定"),
            "warning": _("决定作出后不能修改；%(c)s和%(a)s将收到决定和理由，台账事项随之办结。")
            % {"c": app.court.name, "a": app.enforcing_agency.name},
            "rows": [
                (_("申请人"), app.applicant),
                (_("决定"), dict(form.fields["decision"].choices)[data["decision"]]),
                (_("决定理由"), data["reasons"]),
                (_("决定日期"), (data["decided_on"] or timezone.localdate()).isoformat()),
            ],
            "confirm_label": _("确认决定"),
            **_crumbs(app),
        }

    return pages.action_page(
        request,
        app,
        checked=True,
        form=form,
        service=services.supervision_decide,
        args=lambda d: {
            "application": app,
            "by": user,
            "decision": d["decision"],
            "reasons": d["reasons"],
            "decided_on": d["decided_on"],
        },
        back=app.get_absolute_url(),
        done=lambda decided: _("已作出决定：%(d)s。") % {"d": decided.get_decision_display()},
        confirm=confirm_context,
        confirm_template="cases/work/confirm.html",
        template="cases/work/supervision_decide.html",
        context={"app": app, "form": form, "action": _("作出决定"), **_crumbs(app)},
    )


# ----------------------------------------------------------------------------- 个案监督


@login_required
@require_form_methods
def case_supervision_create(request):
    """个案监督 on a case heard by a court the procuratorate supervises, named by its 案号, signed off
    by the procuratorate's head; the same answer whether or not such a case exists."""
    user = request.user
    access.require(user, "case_supervision.create")
    initial = {"case": request.GET.get("number", "")[:40]} if request.method == "GET" else None
    form = CaseSupervisionForm(pages.post_data(request), user=user, initial=initial)
    return pages.action_page(
        request,
        form=form,
        service=services.case_supervision_request,
        args=lambda d: {"by": user, "number": d["case"], "notes": d["notes"], "opened_on": d["opened_on"]},
        done=lambda _record: services.case_supervision_answer(form.cleaned_data["case"]),
        back=reverse("cases:supervisions"),
        template="cases/work/case_supervision_form.html",
        context={"form": form},
    )
