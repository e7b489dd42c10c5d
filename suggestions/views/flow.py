"""A suggestion's detail page, drafting, and every transition of its flow.

Each view first finds the suggestion among those the user may see (another institution's
suggestion answers 404), then the page toolkit asks `access.require` for the action's verb,
declared in suggestions/flows.py (403 for the wrong person before any input is read; a wrong
state is the conflict page: a message and a redirect, never a 500), then calls the service.
The detail page's buttons are `{% actions %}` of the same declarations.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison import access, pages
from liaison.errors import Conflict
from liaison.forms import AttachmentsForm, apply_service_errors
from liaison.models import User
from liaison.views.common import conflict_redirect, download

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
from ..models import Reply, Suggestion
from .status_labels import label_rows, status_label

S = Suggestion.Status


def _renamed(exc: ValidationError, names: dict) -> ValidationError:
    """A service error about the letter's field, put beside the field of this page's form."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


# ----------------------------------------------------------------------------- detail


@login_required
def detail(request, uuid, **kwargs):
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    pending_reply = page_selectors.pending_reply(s)
    page_selectors.decorate([s])
    s.status_label = status_label(
        user, s, reply_pending=pending_reply is not None and pending_reply.status == Reply.Status.PENDING
    )
    linked = page_selectors.linked_for(user, s)
    label_rows(user, linked["linked"])
    replies = page_selectors.replies_for(user, s)
    attachments, reply_attachments = page_selectors.attachments_for(s, replies)
    for r in replies:
        r.files = reply_attachments[r.pk]
        r.may_attach = access.allowed(user, "reply.edit", r) if r.status in Reply.OPEN_STATES else False
    context = {
        "s": s,
        "insider": page_selectors.is_insider(user, s),
        "cc_list": list(s.cc.order_by("region_id", "kind", "id")),
        "replies": replies,
        "attachments": attachments,
        "may_attach": access.allowed(user, "suggestion.edit", s),
        "attachment_form": kwargs.get("attachment_form") or AttachmentsForm(),
        "attachment_error_for": kwargs.get("attachment_error_for"),
        "extensions": page_selectors.extensions_for(s),
        # the buttons ({% actions %}) of the suggestion and of its pending reply and extension request
        "pending_reply": pending_reply if s.recipient_id == user.institution_id else None,
        "pending_extension": page_selectors.pending_extension(s),
        "timeline": page_selectors.timeline(user, s),
        **linked,
    }
    return render(request, "suggestions/detail.html", context)


# ----------------------------------------------------------------------------- drafting


@login_required
def create(request):
    user = request.user
    access.require(user, "suggestion.create")
    raw_link = request.POST.get("linked_from") if request.method == "POST" else request.GET.get("linked_from")
    # The judicial suggestion a linked procuratorial one follows up: visible (404), linkable (403, 409).
    source = page_selectors.suggestion_for_page(user, raw_link) if raw_link else None
    if source and (refused := pages.precheck(request, "suggestion.link", source, back=source.get_absolute_url())):
        return refused
    initial = SuggestionForm.initial_linked(source) if source else None
    form = SuggestionForm(pages.post_data(request), pages.post_files(request), user=user, initial=initial)
    return pages.action_page(
        request,
        form=form,
        service=services.suggestion_create,
        args=lambda d: {"by": user, "linked_from": source, **form.service_fields(), "files": d["file"]},
        done=lambda s: _("草稿已保存。核对无误后请提交负责人审批。"),
        back=reverse("suggestions:index"),
        to=Suggestion.get_absolute_url,
        template="suggestions/form.html",
        context={"s": None, "source": source},
    )


@login_required
def edit(request, uuid):
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    if refused := pages.precheck(request, "suggestion.edit", s, back=s.get_absolute_url()):
        return refused
    form = SuggestionForm(
        pages.post_data(request), pages.post_files(request), user=user, initial=SuggestionForm.initial_for(s)
    )
    return pages.action_page(
        request,
        s,
        checked=True,
        form=form,
        service=services.suggestion_update,
        args=lambda d: {"suggestion": s, "by": user, **form.service_fields(), "files": d["file"]},
        done=lambda _result: _("草稿已保存。"),
        back=s.get_absolute_url(),
        template="suggestions/form.html",
        context={"s": s, "source": s.linked_from if s.linked_from_id else None},
    )


# ----------------------------------------------------------------------------- issuer's transitions


def _transition(request, s, *, verb, template="", form=None, service, args, done, obj=None, **extra):
    """One transition of a suggestion (or of its reply or extension request, `obj`) on the page
    toolkit: pre-checked by its verb, back to the suggestion, `s` in the page."""
    return pages.action_page(
        request,
        obj or s,
        verb=verb,
        form=form,
        service=service,
        args=args,
        done=done,
        back=s.get_absolute_url(),
        template=template,
        context={"s": s, **extra.pop("context", {})},
        **extra,
    )


@login_required
@require_POST
def submit(request, uuid):
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _transition(
        request,
        s,
        verb="suggestion.submit",
        service=services.suggestion_submit,
        args=lambda d: {"suggestion": s, "by": request.user},
        done=lambda _result: _("已提交负责人审批。"),
    )


@login_required
@require_POST
def approve(request, uuid):
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _transition(
        request,
        s,
        verb="suggestion.approve",
        service=services.suggestion_approve,
        args=lambda d: {"suggestion": s, "by": request.user},
        done=lambda _result: _("已审批同意，可以签发。"),
    )


@login_required
def return_(request, uuid):
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _transition(
        request,
        s,
        verb="suggestion.return",
        form=lambda: ReasonForm(pages.post_data(request), label=_("退回理由"), help_text=_("承办人将收到该理由。")),
        service=services.suggestion_return,
        args=lambda d: {"suggestion": s, "by": request.user, "reason": d["reason"]},
        done=lambda _result: _("已退回承办人修改。"),
        template="suggestions/return.html",
    )


@login_required
def issue(request, uuid):
    """签发: a confirmation page; issuing numbers the 建议书, makes its PDF and delivers it."""
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _transition(
        request,
        s,
        verb="suggestion.issue",
        form=lambda: IssueForm(pages.post_data(request)),
        service=services.suggestion_issue,
        args=lambda d: {"suggestion": s, "by": request.user, "issued_on": d["issued_on"]},
        done=lambda issued: _("已签发，文号 %(n)s，已送达被建议单位。") % {"n": issued.letter.doc_number},
        template="suggestions/issue.html",
    )


@login_required
def withdraw(request, uuid):
    s = page_selectors.suggestion_for_page(request.user, uuid)
    help_text = _("已发出的建议撤回后，被建议单位将收到通知和该理由。")
    return _transition(
        request,
        s,
        verb="suggestion.withdraw",
        form=lambda: ReasonForm(pages.post_data(request), label=_("撤回理由"), help_text=help_text),
        service=services.suggestion_withdraw,
        args=lambda d: {"suggestion": s, "by": request.user, "reason": d["reason"]},
        done=lambda _result: _("建议已撤回。"),
        template="suggestions/withdraw.html",
    )


# ----------------------------------------------------------------------------- recipient's transitions


def _receive(**kwargs):
    """签收 through the suggestion's service; its error about the letter's date goes beside this page's field."""
    try:
        return services.suggestion_receive(**kwargs)
    except ValidationError as exc:
        raise _renamed(exc, {"signed_on": "received_on"}) from None


@login_required
def receive(request, uuid):
    """签收: a confirmation page with an optional paper-delivery date; the reply period starts."""
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _transition(
        request,
        s,
        verb="suggestion.receive",
        form=lambda: ReceiveForm(pages.post_data(request)),
        service=_receive,
        args=lambda d: {"suggestion": s, "by": request.user, "received_on": d["received_on"]},
        done=lambda r: _("已签收。回复期限 %(d)s（%(e)s）。")
        % {"d": r.reply_due.isoformat(), "e": r.reply_due_explained},
        template="suggestions/receive.html",
    )


def _reply_sent_message(r: Reply) -> str:
    r.refresh_from_db()
    return _("书面回复已签发，文号 %(n)s。") % {"n": r.letter.doc_number}


def _reply_done(r: Reply) -> str:
    if r.status == Reply.Status.SENT:
        return _reply_sent_message(r)
    return _("书面回复已提交本单位负责人签发；负责人签发后送达发出机关。")


@login_required
def reply(request, uuid):
    """书面回复. A head's reply is signed off at once (numbered, turned into a letter and sent), so it
    is written (step 1), then reviewed and confirmed (step 2), like an evaluation. A staff member's
    reply only goes to the head (reply_approve), so it is one step."""
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    signs_off = user.role == User.Role.HEAD  # the service's rule for sending a reply at once
    return _transition(
        request,
        s,
        verb="suggestion.reply",
        form=lambda: ReplyForm(pages.post_data(request), pages.post_files(request)),
        service=services.suggestion_reply,
        args=lambda d: {"suggestion": s, "by": user, "measures": d["measures"], "files": d["file"]},
        done=_reply_done,
        template="suggestions/reply.html",
        context={"signs_off": signs_off},
        # A head's step 1 shows the reply as it will be sent; the service is not tried (it numbers a letter).
        confirm=(lambda d: {"measures": d["measures"], "author": user}) if signs_off else None,
        confirm_template="suggestions/reply_confirm.html",
        preview=False,
    )


@login_required
def reply_approve(request, uuid, reply_uuid):
    """The recipient head's sign-off of a staff member's reply: the confirmation page (the reply as
    it will be sent), then POST sends it."""
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    pending = get_object_or_404(s.replies.select_related("created_by"), uuid=reply_uuid)
    return _transition(
        request,
        s,
        obj=pending,
        verb="reply.approve",  # 409 once it is sent
        service=services.reply_approve,
        args=lambda d: {"reply": pending, "by": user},
        done=lambda _result: _reply_sent_message(pending),
        template="suggestions/reply_confirm.html",
        context={"reply": pending, "measures": pending.measures, "author": pending.created_by},
    )


# ----------------------------------------------------------------------------- attachments (the hub's rules)


@login_required
@require_POST
def attachment_add(request, uuid):
    """Files for the draft suggestion (its 建议书's 附件 once issued)."""
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _attach(request, s, s, verb="suggestion.edit", service=services.suggestion_attach_files, key="suggestion")


@login_required
@require_POST
def reply_attachment_add(request, uuid, reply_uuid):
    """Files for a reply not yet sent (its 复函's 附件 once sent)."""
    s, r = _reply_of(request.user, uuid, reply_uuid)
    return _attach(request, s, r, verb="reply.edit", service=services.reply_attach_files, key="reply")


def _attach(request, s, record, *, verb, service, key):
    if refused := pages.precheck(request, verb, record, back=s.get_absolute_url()):
        return refused
    form = AttachmentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = service(**{key: record}, by=request.user, files=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, s.get_absolute_url())
        else:
            messages.success(request, _("已添加附件“%(n)s”。") % {"n": "”、“".join(a.name for a in added)})
            return redirect(s.get_absolute_url())
    return detail(request, s.uuid, attachment_form=form, attachment_error_for=record.uuid)


@login_required
@require_POST
def attachment_delete(request, uuid, attachment_uuid):
    """Take a file off the draft suggestion."""
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _detach(request, s, s, attachment_uuid, verb="suggestion.edit", service=services.suggestion_detach)


@login_required
@require_POST
def reply_attachment_delete(request, uuid, reply_uuid, attachment_uuid):
    """Take a file off a reply not yet sent."""
    s, r = _reply_of(request.user, uuid, reply_uuid)
    return _detach(request, s, r, attachment_uuid, verb="reply.edit", service=services.reply_detach)


def _detach(request, s, record, attachment_uuid, *, verb, service):
    if refused := pages.precheck(request, verb, record, back=s.get_absolute_url()):
        return refused
    attachment = get_object_or_404(services.hub.record_attachments(record), uuid=attachment_uuid)
    key = "suggestion" if record is s else "reply"
    try:
        service(**{key: record}, by=request.user, attachment=attachment)
    except Conflict as exc:
        return conflict_redirect(request, exc, s.get_absolute_url())
    messages.success(request, _("已删除附件“%(n)s”。") % {"n": attachment.name})
    return redirect(s.get_absolute_url())


@login_required
def attachment_download(request, uuid, attachment_uuid):
    """A file of the suggestion or of a reply the user may see (a reply awaiting sign-off only
    inside the recipient), else 404 like any record the user may not see."""
    s = page_selectors.suggestion_for_page(request.user, uuid)
    own, by_reply = page_selectors.attachments_for(s, page_selectors.replies_for(request.user, s))
    for att in [*own, *(a for files in by_reply.values() for a in files)]:
        if str(att.uuid) == str(attachment_uuid):
            return download(att.file, att.name, att.content_type)
    raise Http404


def _reply_of(user, uuid, reply_uuid):
    """The suggestion (404 for outsiders) and one of its replies (404 for another suggestion's)."""
    s = page_selectors.suggestion_for_page(user, uuid)
    return s, get_object_or_404(s.replies.select_related("created_by"), uuid=reply_uuid)


@login_required
def reply_return(request, uuid, reply_uuid):
    """The recipient head returns a pending reply to its author, with a reason."""
    s, r = _reply_of(request.user, uuid, reply_uuid)
    return _transition(
        request,
        s,
        obj=r,
        verb="reply.return",
        form=lambda: ReasonForm(
            pages.post_data(request), label=_("退回理由"), help_text=_("承办人将收到该理由，修改后再报您签发。")
        ),
        service=services.reply_return,
        args=lambda d: {"reply": r, "by": request.user, "reason": d["reason"]},
        done=lambda _result: _("回复已退回承办人修改。"),
        template="suggestions/reply_return.html",
        context={"reply": r},
    )


@login_required
def reply_edit(request, uuid, reply_uuid):
    """Staff revise a reply awaiting sign-off or returned; it then waits for the head again."""
    s, r = _reply_of(request.user, uuid, reply_uuid)
    return _transition(
        request,
        s,
        obj=r,
        verb="reply.edit",
        form=lambda: ReplyForm(pages.post_data(request), pages.post_files(request), initial={"measures": r.measures}),
        service=services.reply_edit,
        args=lambda d: {"reply": r, "by": request.user, "measures": d["measures"], "files": d["file"]},
        done=lambda _result: _("回复已修改，等待负责人签发。"),
        template="suggestions/reply.html",
        context={"reply": r, "editing": True, "signs_off": False},
    )


@login_required
def reply_withdraw(request, uuid, reply_uuid):
    """Staff withdraw a reply not yet sent (a confirmation); the round is open for a new reply."""
    s, r = _reply_of(request.user, uuid, reply_uuid)
    return _transition(
        request,
        s,
        obj=r,
        verb="reply.withdraw",
        service=services.reply_withdraw,
        args=lambda d: {"reply": r, "by": request.user},
        done=lambda _result: _("回复已撤回，可以重新起草。"),
        template="suggestions/reply_withdraw.html",
        context={"reply": r},
    )


@login_required
def extension_request(request, uuid):
    s = page_selectors.suggestion_for_page(request.user, uuid)
    return _transition(
        request,
        s,
        verb="suggestion.request_extension",
        form=lambda: ExtensionForm(pages.post_data(request)),
        service=services.extension_request,
        args=lambda d: {"suggestion": s, "by": request.user, "days": d["days"], "reasons": d["reasons"]},
        done=lambda _result: _("延期申请已提交，等待发出机关审批。"),
        template="suggestions/extension.html",
    )


def _extension_decided(s, approved: bool) -> str:
    if not approved:
        return _("已决定不同意延期。")
    s.refresh_from_db()
    return _("已同意延期，新的回复期限 %(d)s。") % {"d": s.reply_due.isoformat()}


@login_required
def extension_decide(request, uuid, extension_uuid):
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    ext = get_object_or_404(s.extensions.select_related("requested_by"), uuid=extension_uuid)
    page_selectors.decorate([s])
    form = ExtensionDecisionForm(pages.post_data(request))
    return _transition(
        request,
        s,
        obj=ext,
        verb="extension.decide",  # 409 once it is decided
        form=form,
        service=services.extension_decide,
        args=lambda d: {"extension": ext, "by": user, "approve": d["decision"] == "approve", "reason": d["reason"]},
        done=lambda _result: _extension_decided(s, form.cleaned_data["decision"] == "approve"),
        template="suggestions/extension_decide.html",
        context={"ext": ext},
    )


# ----------------------------------------------------------------------------- evaluation


def _evaluated(s) -> str:
    if s.status == S.RECTIFYING:
        return _("评价已提交，已要求继续整改，第%(r)d轮回复期限 %(d)s。") % {"r": s.round, "d": s.reply_due.isoformat()}
    return _("评价已提交。")


@login_required
def evaluate(request, uuid):
    """评价: fill in (step 1), review and confirm (step 2); the evaluation cannot be changed afterwards.
    Step 1 runs the service in a rolled-back transaction, so only an evaluation that will go through
    is shown for confirmation."""
    user = request.user
    s = page_selectors.suggestion_for_page(user, uuid)
    form = EvaluationForm(pages.post_data(request))
    return _transition(
        request,
        s,
        verb="suggestion.evaluate",
        form=form,
        service=services.suggestion_evaluate,
        args=lambda d: {
            "suggestion": s,
            "by": user,
            "evaluation": d["evaluation"],
            "reasons": d["reasons"],
            "rectify": d["rectify"],
            "rectify_days": d["rectify_days"],
        },
        done=_evaluated,
        template="suggestions/evaluate.html",
        context={"replies": page_selectors.replies_for(user, s), "today": timezone.localdate()},
        confirm=lambda d: {
            "data": d,
            "evaluation_label": dict(form.fields["evaluation"].choices)[d["evaluation"]],
        },
        confirm_template="suggestions/evaluate_confirm.html",
    )
