"""A suggestion's detail page, drafting, and every transition of its flow.

Each view first finds the suggestion among those the user may see (another institution's
suggestion answers 404), then asks `access` whether this user may act (403 otherwise,
before any input is read), then checks the state (a wrong state is a message and a
redirect, never a 500), then calls the service. Service ValidationErrors go beside the
fields; Conflicts become a message and a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison import access
from liaison.errors import Conflict
from liaison.forms import apply_service_errors
from liaison.models import User
from liaison.views.common import conflict_redirect

from .. import page_selectors, services
from ..forms import (
    EvaluationForm,
    ExtensionDecisionForm,
    ExtensionForm,
    IssueForm,
    ReasonForm,
    ReceiveForm,
    ReplyForm,
    SuggestionForm,
)
from ..models import Extension, Reply, Suggestion
from .status_labels import label_rows, status_label

S = Suggestion.Status
OPEN_STATES = (S.RECEIVED, S.RECTIFYING)
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.APPROVED, S.ISSUED)


def detail_url(s) -> str:
    return reverse("suggestions:detail", kwargs={"uuid": s.uuid})


def _detail(s):
    return redirect(detail_url(s))


def _wrong_state(request, s):
    messages.error(request, _("建议当前状态为“%(s)s”，不能执行此操作。") % {"s": s.get_status_display()})
    return _detail(s)


def _renamed(exc: ValidationError, names: dict) -> ValidationError:
    """A service error about the letter's field, put beside the field of this page's form."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


# ----------------------------------------------------------------------------- detail


def available_actions(user, s, *, pending_reply, pending_extension, replied_this_round) -> dict:
    """The actions this user may take now: their right (access) and the suggestion's state."""

    def may(verb):
        return access.can(user, verb, s)

    status = s.status
    return {
        "edit": status == S.DRAFT and may("suggestion.edit"),
        "submit": status == S.DRAFT and may("suggestion.submit"),
        "approve": status == S.SUBMITTED and may("suggestion.approve"),
        "return": status in (S.SUBMITTED, S.APPROVED) and may("suggestion.approve"),
        "issue": status == S.APPROVED and may("suggestion.issue"),
        "withdraw": status in WITHDRAWABLE and may("suggestion.withdraw"),
        "receive": status == S.ISSUED and may("suggestion.receive"),
        "reply": status in OPEN_STATES and not replied_this_round and may("suggestion.reply"),
        "approve_reply": pending_reply is not None and may("suggestion.approve_reply"),
        "request_extension": status in OPEN_STATES
        and not replied_this_round
        and pending_extension is None
        and may("suggestion.request_extension"),
        "decide_extension": pending_extension is not None and may("suggestion.decide_extension"),
        "evaluate": status == S.REPLIED and may("suggestion.evaluate"),
        "link": bool(s.letter_id) and status != S.WITHDRAWN and may("suggestion.link"),
        "file": bool(s.letter_id)
        and s.kind == Suggestion.Kind.PROCURATORIAL
        and s.issuer_id == user.institution_id
        and access.can(user, "filing.create"),
    }


@login_required
def detail(request, uuid):
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    pending_reply = page_selectors.pending_reply(s)
    pending_extension = page_selectors.pending_extension(s)
    replied_this_round = page_selectors.current_round_replied(s)
    page_selectors.decorate([s])
    s.status_label = status_label(user, s, reply_pending=pending_reply is not None)
    linked = page_selectors.linked_for(user, s)
    label_rows(user, linked["linked"])
    context = {
        "s": s,
        "insider": page_selectors.is_insider(user, s),
        "cc_list": list(s.cc.order_by("region_id", "kind", "id")),
        "replies": page_selectors.replies_for(user, s),
        "extensions": page_selectors.extensions_for(s),
        "pending_reply": pending_reply if s.recipient_id == user.institution_id else None,
        "timeline": page_selectors.timeline(user, s),
        "can": available_actions(
            user,
            s,
            pending_reply=pending_reply,
            pending_extension=pending_extension,
            replied_this_round=replied_this_round,
        ),
        "pending_extension": pending_extension,
        **linked,
    }
    return render(request, "suggestions/detail.html", context)


# ----------------------------------------------------------------------------- drafting


def _linked_source(request, raw):
    """The judicial suggestion a linked procuratorial one follows up: visible (404) and linkable (403)."""
    if not raw:
        return None
    source = page_selectors.suggestion_for_page(request.user, raw)
    access.require(request.user, "suggestion.link", source)
    return source


@login_required
def create(request):
    user = request.user
    access.require(user, "suggestion.create")
    raw_link = request.POST.get("linked_from") if request.method == "POST" else request.GET.get("linked_from")
    source = _linked_source(request, raw_link)
    initial = SuggestionForm.initial_linked(source) if source else None
    form = SuggestionForm(_post_or_none(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.suggestion_create(by=user, linked_from=source, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存。核对无误后请提交负责人审批。"))
            return _detail(s)
    return render(request, "suggestions/form.html", {"form": form, "s": None, "source": source})


@login_required
def edit(request, uuid):
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    access.require(user, "suggestion.edit", s)
    if s.status != S.DRAFT:
        messages.error(request, _("只有草稿可以修改；已提交的建议请负责人退回后再修改。"))
        return _detail(s)
    form = SuggestionForm(_post_or_none(request), user=user, initial=SuggestionForm.initial_for(s))
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_update(suggestion=s, by=user, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, detail_url(s))
        else:
            messages.success(request, _("草稿已保存。"))
            return _detail(s)
    return render(
        request, "suggestions/form.html", {"form": form, "s": s, "source": s.linked_from if s.linked_from_id else None}
    )


# ----------------------------------------------------------------------------- issuer's transitions


def _simple_post(request, uuid, *, verb, run, done):
    s = page_selectors.suggestion_for_page(request.user, uuid)
    access.require(request.user, verb, s)
    try:
        run(s)
    except Conflict as exc:
        return conflict_redirect(request, exc, detail_url(s))
    messages.success(request, done)
    return _detail(s)


@login_required
@require_POST
def submit(request, uuid):
    return _simple_post(
        request,
        uuid,
        verb="suggestion.submit",
        run=lambda s: services.suggestion_submit(suggestion=s, by=request.user),
        done=_("已提交负责人审批。"),
    )


@login_required
@require_POST
def approve(request, uuid):
    return _simple_post(
        request,
        uuid,
        verb="suggestion.approve",
        run=lambda s: services.suggestion_approve(suggestion=s, by=request.user),
        done=_("已审批同意，可以签发。"),
    )


def _form_action(request, uuid, *, verb, states, form_class, template, run, form_kwargs=None, context=None):
    """A page with a form (and the warning it needs) for one transition; POST performs it."""
    s = page_selectors.suggestion_for_page(request.user, uuid)
    access.require(request.user, verb, s)
    if s.status not in states:
        return _wrong_state(request, s)
    form = form_class(_post_or_none(request), **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            done = run(s, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, detail_url(s))
        else:
            messages.success(request, done)
            return _detail(s)
    return render(request, template, {"s": s, "form": form, **(context or {})})


@login_required
def return_(request, uuid):
    def run(s, data):
        services.suggestion_return(suggestion=s, by=request.user, reason=data["reason"])
        return _("已退回承办人修改。")

    return _form_action(
        request,
        uuid,
        verb="suggestion.approve",
        states=(S.SUBMITTED, S.APPROVED),
        form_class=ReasonForm,
        form_kwargs={"label": _("退回理由"), "help_text": _("承办人将收到该理由。")},
        template="suggestions/return.html",
        run=run,
    )


@login_required
def issue(request, uuid):
    """签发: a confirmation page; issuing numbers the 建议书, makes its PDF and delivers it."""

    def run(s, data):
        s = services.suggestion_issue(suggestion=s, by=request.user, issued_on=data["issued_on"])
        return _("已签发，文号 %(n)s，已送达被建议单位。") % {"n": s.letter.doc_number}

    return _form_action(
        request,
        uuid,
        verb="suggestion.issue",
        states=(S.APPROVED,),
        form_class=IssueForm,
        template="suggestions/issue.html",
        run=run,
    )


@login_required
def withdraw(request, uuid):
    def run(s, data):
        services.suggestion_withdraw(suggestion=s, by=request.user, reason=data["reason"])
        return _("建议已撤回。")

    return _form_action(
        request,
        uuid,
        verb="suggestion.withdraw",
        states=WITHDRAWABLE,
        form_class=ReasonForm,
        form_kwargs={"label": _("撤回理由"), "help_text": _("已发出的建议撤回后，被建议单位将收到通知和该理由。")},
        template="suggestions/withdraw.html",
        run=run,
    )


# ----------------------------------------------------------------------------- recipient's transitions


@login_required
def receive(request, uuid):
    """签收: a confirmation page with an optional paper-delivery date; the reply period starts."""

    def run(s, data):
        try:
            s = services.suggestion_receive(suggestion=s, by=request.user, received_on=data["received_on"])
        except ValidationError as exc:
            raise _renamed(exc, {"signed_on": "received_on"}) from None
        return _("已签收。回复期限 %(d)s（%(e)s）。") % {"d": s.reply_due.isoformat(), "e": s.reply_due_explained}

    return _form_action(
        request,
        uuid,
        verb="suggestion.receive",
        states=(S.ISSUED,),
        form_class=ReceiveForm,
        template="suggestions/receive.html",
        run=run,
    )


def _reply_sent_message(r: Reply) -> str:
    r.refresh_from_db()
    return _("书面回复已签发，文号 %(n)s。") % {"n": r.letter.doc_number}


@login_required
def reply(request, uuid):
    """书面回复. A head's reply is signed off at once (numbered, turned into a letter and sent), so it
    is written (step 1), then reviewed and confirmed (step 2), like an evaluation. A staff member's
    reply only goes to the head (reply_approve), so it is one step."""
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    access.require(user, "suggestion.reply", s)
    if s.status not in OPEN_STATES:
        return _wrong_state(request, s)
    signs_off = user.role == User.Role.HEAD  # the service's rule for sending a reply at once
    form = ReplyForm(_post_or_none(request))
    going_back = request.POST.get("back") == "1"
    if request.method == "POST" and not going_back and form.is_valid():
        if signs_off and request.POST.get("confirmed") != "1":
            if page_selectors.current_round_replied(s):
                return conflict_redirect(request, Conflict(_("本轮已有书面回复，不能重复回复。")), detail_url(s))
            return render(
                request,
                "suggestions/reply_confirm.html",
                {"s": s, "form": form, "measures": form.cleaned_data["measures"], "author": user},
            )
        try:
            r = services.suggestion_reply(suggestion=s, by=user, measures=form.cleaned_data["measures"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, detail_url(s))
        else:
            if r.status == Reply.Status.SENT:
                messages.success(request, _reply_sent_message(r))
            else:
                messages.success(request, _("书面回复已提交本单位负责人签发；负责人签发后送达发出机关。"))
            return _detail(s)
    return render(request, "suggestions/reply.html", {"s": s, "form": form, "signs_off": signs_off})


@login_required
def reply_approve(request, uuid, reply_uuid):
    """The recipient head's sign-off of a staff member's reply: the confirmation page (the reply as
    it will be sent), then POST sends it."""
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    access.require(user, "suggestion.approve_reply", s)
    try:
        pending = s.replies.select_related("created_by").get(uuid=reply_uuid)
    except (Reply.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if pending.status != Reply.Status.PENDING:
        messages.info(request, _("该回复已签发。"))
        return _detail(s)
    if request.method == "POST":
        try:
            services.reply_approve(reply=pending, by=user)
        except Conflict as exc:
            return conflict_redirect(request, exc, detail_url(s))
        messages.success(request, _reply_sent_message(pending))
        return _detail(s)
    return render(
        request,
        "suggestions/reply_confirm.html",
        {"s": s, "reply": pending, "measures": pending.measures, "author": pending.created_by},
    )


@login_required
def extension_request(request, uuid):
    def run(s, data):
        services.extension_request(suggestion=s, by=request.user, days=data["days"], reasons=data["reasons"])
        return _("延期申请已提交，等待发出机关审批。")

    return _form_action(
        request,
        uuid,
        verb="suggestion.request_extension",
        states=OPEN_STATES,
        form_class=ExtensionForm,
        template="suggestions/extension.html",
        run=run,
    )


@login_required
def extension_decide(request, uuid, extension_uuid):
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    access.require(user, "suggestion.decide_extension", s)
    try:
        ext = s.extensions.select_related("requested_by").get(uuid=extension_uuid)
    except (Extension.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if ext.status != Extension.Status.PENDING:
        messages.info(request, _("该延期申请已处理。"))
        return _detail(s)
    form = ExtensionDecisionForm(_post_or_none(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.extension_decide(extension=ext, by=user, approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, detail_url(s))
        else:
            if approve:
                s.refresh_from_db()
                messages.success(request, _("已同意延期，新的回复期限 %(d)s。") % {"d": s.reply_due.isoformat()})
            else:
                messages.success(request, _("已决定不同意延期。"))
            return _detail(s)
    page_selectors.decorate([s])
    return render(request, "suggestions/extension_decide.html", {"s": s, "ext": ext, "form": form})


# ----------------------------------------------------------------------------- evaluation


class _DryRun(Exception):
    pass


def _dry_run(service, **kwargs) -> None:
    """Run a service and roll it back: the service alone decides whether the input is acceptable,
    so the confirmation page is only shown for an evaluation that will go through."""
    try:
        with transaction.atomic():
            service(**kwargs)
            raise _DryRun
    except _DryRun:
        pass


@login_required
def evaluate(request, uuid):
    """评价: fill in (step 1), review and confirm (step 2); the evaluation cannot be changed afterwards."""
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    access.require(user, "suggestion.evaluate", s)
    if s.status != S.REPLIED:
        return _wrong_state(request, s)
    form = EvaluationForm(_post_or_none(request))
    going_back = request.POST.get("back") == "1"
    if request.method == "POST" and not going_back and form.is_valid():
        data = form.cleaned_data
        args = {
            "suggestion": s,
            "by": user,
            "evaluation": data["evaluation"],
            "reasons": data["reasons"],
            "rectify": data["rectify"],
            "rectify_days": data["rectify_days"],
        }
        confirmed = request.POST.get("confirmed") == "1"  # step 2; step 1 only checks, through the service
        try:
            if confirmed:
                s = services.suggestion_evaluate(**args)
            else:
                _dry_run(services.suggestion_evaluate, **args)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, detail_url(s))
        else:
            if confirmed:
                if s.status == S.RECTIFYING:
                    messages.success(
                        request,
                        _("评价已提交，已要求继续整改，第%(r)d轮回复期限 %(d)s。")
                        % {"r": s.round, "d": s.reply_due.isoformat()},
                    )
                else:
                    messages.success(request, _("评价已提交。"))
                return _detail(s)
            evaluation_label = dict(form.fields["evaluation"].choices)[data["evaluation"]]
            return render(
                request,
                "suggestions/evaluate_confirm.html",
                {"s": s, "form": form, "data": data, "evaluation_label": evaluation_label},
            )
    replies = page_selectors.replies_for(user, s)
    return render(
        request, "suggestions/evaluate.html", {"s": s, "form": form, "replies": replies, "today": timezone.localdate()}
    )
