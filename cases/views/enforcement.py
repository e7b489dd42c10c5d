"""裁执分离 pages: the list of applications for enforcement, registering one, the ruling (with a
confirmation), the assignee's written feedback (a 复函 its head signs off on the letter page).

Each view finds the record among those the user may see (404 otherwise), asks `access` whether the
user may act (403, before any input is read), checks the state (a message and a redirect), then
calls the service; its ValidationErrors go beside the fields, its Conflicts become a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from liaison import access, pages, status
from liaison.calendar import WorkCalendar
from liaison.errors import Conflict
from liaison.forms import apply_service_errors
from liaison.models import Letter, User
from liaison.views.common import conflict_redirect

from .. import selectors, services
from ..forms.work import EnforcementFilter, EnforcementForm, FeedbackForm, RulingForm, recent_case_numbers
from ..listings import ENFORCEMENTS
from ..models import Enforcement, SupervisionApplication
from . import _work
from ._work import require_form_methods

ES = Enforcement.Status
FEEDBACK_WORDS = (gettext_lazy("按期反馈"), gettext_lazy("逾期反馈"))
LABELS = {
    "enforcement.create": pgettext_lazy("timeline", "登记执行申请"),
    "enforcement.rule": pgettext_lazy("timeline", "作出裁定"),
    "enforcement.assign": pgettext_lazy("timeline", "组织实施函已签发"),
    "enforcement.feedback_draft": pgettext_lazy("timeline", "起草书面反馈"),
    "enforcement.feedback": pgettext_lazy("timeline", "书面反馈已签发"),
}


def decorate(rows):
    calendar = WorkCalendar()  # one for the list: it caches the holidays it reads
    for e in rows:
        e.due = status.due_state(
            e.feedback_due,
            pending=e.status == ES.ASSIGNED,
            done_on=e.feedback_on,
            done_words=FEEDBACK_WORDS,
            calendar=calendar,
        )
    return rows


def _for_page(user, uuid) -> Enforcement:
    qs = Enforcement.objects.select_related(
        "court", "applicant", "assignee", "case", "assignment_letter", "feedback_letter", "created_by"
    )
    return access.get_visible_or_404(qs, user, uuid=uuid)


# ----------------------------------------------------------------------------- list, export


def _filtered(request):
    filters = EnforcementFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.enforcement_list(
        user=request.user,
        status=values.get("status"),
        q=values.get("q"),
        overdue=values.get("overdue") == "yes",
        institution=values.get("institution"),
        region=values.get("region"),
    )
    qs, sort = ENFORCEMENTS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
@require_safe
def enforcement_list(request):
    filters, qs, sort = _filtered(request)
    return _work.list_page(
        request,
        ENFORCEMENTS,
        template="cases/work/enforcement_list.html",
        filters=filters,
        qs=qs,
        sort=sort,
        decorate=decorate,
        context={"can_create": access.can(request.user, "enforcement.create")},
    )


@login_required
@require_safe
def enforcement_export(request):
    """Exactly the rows of the list with the same filters, every page."""
    filters, qs, _sort = _filtered(request)
    return ENFORCEMENTS.export(decorate(list(qs)), viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- create


@login_required
@require_form_methods
def enforcement_create(request):
    user = request.user
    access.require(user, "enforcement.create")
    form = EnforcementForm(pages.post_data(request), user=user)
    return pages.action_page(
        request,
        form=form,
        service=services.enforcement_create,
        args=lambda d: {
            "by": user,
            "applicant": d["applicant"],
            "basis": d["basis"],
            "basis_reference": d["basis_reference"],
            "respondent": d["respondent"],
            "obligation": d["obligation"],
            "money_obligation": d["money_obligation"],
            "applied_on": d["applied_on"],
            "case": d["case"],
        },
        done=lambda e: _("执行申请已登记，请审查后作出裁定。"),
        back=reverse("cases:enforcements"),
        to=Enforcement.get_absolute_url,
        template="cases/work/enforcement_form.html",
        context={"form": form, "case_numbers": recent_case_numbers(user)},
    )


# ----------------------------------------------------------------------------- detail


def _letter_if_visible(letter, visible_ids):
    return letter if letter is not None and letter.pk in visible_ids else None


@login_required
@require_safe
def enforcement_detail(request, uuid):
    user = request.user
    e = _for_page(user, uuid)
    decorate([e])
    letters = _work.letters_of(user, e)
    visible_ids = {letter.pk for letter in letters}
    supervisions = list(
        SupervisionApplication.objects.visible_to(user)
        .filter(enforcement=e)
        .select_related("procuratorate")
        .order_by("received_on", "id")
    )
    context = {
        "e": e,
        "assignment_letter": _letter_if_visible(e.assignment_letter, visible_ids),
        "feedback_letter": _letter_if_visible(e.feedback_letter, visible_ids),
        "is_assignee": e.assignee_id is not None and e.assignee_id == user.institution_id,
        "ledger": _work.ledger_of(user, e),
        "supervisions": supervisions,
        "case_url": _work.case_url(user, e.case),
        "timeline": _work.timeline(
            user, e, labels=LABELS, describe=_describe, internal=("enforcement.feedback_draft",)
        ),
    }
    return render(request, "cases/work/enforcement_detail.html", context)


def _describe(entry) -> str:
    after = entry.after or {}
    if entry.action == "enforcement.rule":
        words = {
            ES.REFUSED: _("不准予执行"),
            ES.COURT: _("准予执行，由法院强制执行"),
            ES.ASSIGNED: _("准予执行，交由%(a)s组织实施") % {"a": after.get("assignee", "")},
        }
        return words.get(after.get("status"), "")
    if entry.action in ("enforcement.assign", "enforcement.feedback"):
        return after.get("letter", "")
    if entry.action == "enforcement.create":
        return after.get("applicant", "")
    return ""


# ----------------------------------------------------------------------------- ruling


@login_required
@require_form_methods
def enforcement_rule(request, uuid):
    """裁定: fill in (step 1), review and confirm (step 2). A granted non-money obligation sends the
    assignment letter (signed off at once when the head rules)."""
    user = request.user
    e = _for_page(user, uuid)
    if refused := pages.precheck(request, "enforcement.rule", e, back=e.get_absolute_url()):
        return refused
    form = RulingForm(pages.post_data(request), enforcement=e)

    def done(ruled):
        if ruled.status == ES.ASSIGNED:
            letter = ruled.assignment_letter
            if letter.status == Letter.Status.ISSUED:
                return _("已裁定准予执行，组织实施函 %(n)s 已送达%(a)s。") % {
                    "n": letter.doc_number,
                    "a": ruled.assignee.name,
                }
            return _("已裁定准予执行。组织实施函已提交本院负责人签发，签发后送达%(a)s。") % {"a": ruled.assignee.name}
        return _("裁定已记录：%(r)s。") % {"r": ruled.get_status_display()}

    def confirm_context(data):
        ruling_label = dict(form.fields["ruling"].choices)[data["ruling"]]
        return {
            "title": _("确认裁定"),
            "action": _("作出裁定"),
            "warning": _confirm_warning(user, e, data),
            "rows": [
                (_("审查结果"), ruling_label),
                (_("裁定日期"), data["ruled_on"].isoformat()),
                (_("裁定理由"), data["reasons"] or "—"),
                *([(_("组织实施机关"), data["assignee"].name)] if _assigns(e, data) else []),
            ],
            "confirm_label": _("确认裁定"),
            **_crumbs(e),
        }

    return pages.action_page(
        request,
        e,
        checked=True,
        form=form,
        service=services.enforcement_rule,
        args=lambda d: {
            "enforcement": e,
            "by": user,
            "ruling": d["ruling"],
            "reasons": d["reasons"],
            "ruled_on": d["ruled_on"],
            "assignee": d.get("assignee"),
        },
        back=e.get_absolute_url(),
        done=done,
        confirm=confirm_context,
        confirm_template="cases/work/confirm.html",
        template="cases/work/enforcement_rule.html",
        context={"e": e, "form": form, **_crumbs(e)},
    )


def _assigns(e, data) -> bool:
    return data["ruling"] == Enforcement.Ruling.GRANTED and not e.money_obligation


def _confirm_warning(user, e, data) -> str:
    if data["ruling"] == Enforcement.Ruling.REFUSED:
        return _("裁定记录后不能修改，申请机关将收到审查结果和理由。")
    if e.money_obligation:
        return _("裁定记录后不能修改。金钱给付义务由本院强制执行，申请机关将收到审查结果。")
    if user.role == User.Role.HEAD:
        return _(
            "裁定记录后不能修改。确认后将以本院名义签发组织实施函（自动编号），送达组织实施机关并抄送申请机关；书面反馈期限自裁定日起计算。"
        )
    return _(
        "裁定记录后不能修改。确认后将起草组织实施函并提交本院负责人签发；签发后送达组织实施机关，书面反馈期限自裁定日起计算。"
    )


def _crumbs(e) -> dict:
    return {
        "list_url": reverse("cases:enforcements"),
        "list_label": _("裁执分离"),
        "obj_url": e.get_absolute_url(),
        "obj_label": e.basis_reference,
    }


# ----------------------------------------------------------------------------- written feedback


@login_required
@require_form_methods
def enforcement_feedback(request, uuid):
    """起草书面反馈: the assignee writes how it enforced; the 复函 goes to its head's sign-off on the
    letter page (a head's own is reviewed here first, because it is issued at once)."""
    user = request.user
    e = _for_page(user, uuid)
    if access.can(user, "enforcement.feedback", e) and e.status == ES.ASSIGNED and e.feedback_letter_id:
        # The reply is drafted: the assignee is taken to it (its head signs it off there).
        messages.info(request, _("已起草执行情况反馈函，请在公文页面修改或签发。"))
        return redirect("letter_detail", uuid=e.feedback_letter.uuid)
    if refused := pages.precheck(request, "enforcement.feedback", e, back=e.get_absolute_url()):
        return refused
    form = FeedbackForm(pages.post_data(request))
    signs_off = user.role == User.Role.HEAD
    going_back = request.POST.get("back") == "1"
    if request.method == "POST" and not going_back and form.is_valid():
        result = form.cleaned_data["result"]
        if signs_off and request.POST.get("confirmed") != "1":
            return render(
                request,
                "cases/work/confirm.html",
                {
                    "obj": e,
                    "form": form,
                    "title": _("确认签发书面反馈"),
                    "action": _("书面反馈"),
                    "warning": _("确认后以本单位名义签发复函（自动编号）并送达%(c)s，不能撤回；工作台账事项随之办结。")
                    % {"c": e.court.name},
                    "rows": [(_("主送"), e.court.name), (_("执行情况"), result)],
                    "confirm_label": _("确认签发"),
                    **_crumbs(e),
                },
            )
        try:
            letter = services.enforcement_feedback_draft(enforcement=e, by=user, result=result)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, e.get_absolute_url())
        else:
            if letter.status == Letter.Status.ISSUED:
                messages.success(
                    request,
                    _("书面反馈已签发，文号 %(n)s，已送达%(c)s。") % {"n": letter.doc_number, "c": e.court.name},
                )
                return redirect(e.get_absolute_url())
            messages.success(request, _("反馈函已提交本单位负责人签发；签发后送达法院，台账事项随之办结。"))
            return redirect("letter_detail", uuid=letter.uuid)
    return render(
        request, "cases/work/enforcement_feedback.html", {"e": e, "form": form, "signs_off": signs_off, **_crumbs(e)}
    )
