"""收文/发文: inbox, outbox, letter detail, drafting and the letter's transitions.

Every view first finds the letter among those the user may see (another institution's
letter answers 404), then asks `access` whether this user may act (403 otherwise), then
calls the service. Service ValidationErrors go beside the fields; Conflicts become a
message and a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, lists, pages, selectors, services
from ..errors import Conflict
from ..forms import (
    AttachmentForm,
    InboxFilter,
    IssueForm,
    LetterForm,
    OutboxFilter,
    ReturnForm,
    ShareForm,
    SignForm,
    apply_service_errors,
)
from ..listings import INBOX, OUTBOX
from ..models import Attachment
from .common import conflict_redirect
from .common import download as _download


def _detail_url(letter) -> str:
    return reverse("letter_detail", kwargs={"uuid": letter.uuid})


def _detail(letter):
    return redirect(_detail_url(letter))


# ----------------------------------------------------------------------------- lists


def _outbox_rows(request):
    filters = OutboxFilter(request.GET or None)
    values = filters.values()
    qs = selectors.outbox(
        request.user,
        status=values.get("status", ""),
        series=values.get("series", ""),
        keyword=values.get("q", ""),
        year=values.get("year"),
    )
    qs, sort = OUTBOX.order(qs, request.GET.get("sort"))
    return filters, qs, sort


def _inbox_rows(request):
    filters = InboxFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.inbox(
        request.user,
        signed=values.get("signed", ""),
        keyword=values.get("q", ""),
        issuer=values.get("issuer"),
        region=values.get("region"),
    )
    qs, sort = INBOX.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def outbox(request):
    filters, qs, sort = _outbox_rows(request)
    context = lists.page(request, OUTBOX, qs, filters=filters, sort=sort)
    context["can_create"] = access.can(request.user, "letter.create")
    return render(request, "liaison/letters/outbox.html", context)


@login_required
def inbox(request):
    filters, qs, sort = _inbox_rows(request)
    return render(request, "liaison/letters/inbox.html", lists.page(request, INBOX, qs, filters=filters, sort=sort))


@login_required
def outbox_export(request):
    """The outbox rows with the same filters (every page)."""
    filters, qs, _sort = _outbox_rows(request)
    return OUTBOX.export(qs, viewer=request.user, filters=filters)


@login_required
def inbox_export(request):
    filters, qs, _sort = _inbox_rows(request)
    return INBOX.export(qs, viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- detail


def render_detail(request, letter, *, attachment_form=None, share_form=None, status=200):
    user = request.user
    delivery = selectors.my_delivery(user, letter)
    # The buttons are the declared transitions ({% actions %}); these name the forms on the page.
    can = {
        "edit": access.allowed(user, "letter.edit", letter),
        "share": access.allowed(user, "letter.share", letter),
        "return": access.allowed(user, "letter.return", letter),
    }
    insider = selectors.is_letter_insider(user, letter)
    context = {
        "letter": letter,
        "insider": insider,
        "deliveries": selectors.letter_deliveries(user, letter),
        "addressees": [d.recipient for d in letter.deliveries.select_related("recipient") if d.kind == "to"],
        "cc_list": [d.recipient for d in letter.deliveries.select_related("recipient") if d.kind == "cc"],
        "my_delivery": delivery,
        "attachments": list(letter.attachments.all()),
        "timeline": selectors.letter_timeline(user, letter),
        "can": can,
        "attachment_form": attachment_form or (AttachmentForm() if can["edit"] else None),
        "share_form": share_form or (ShareForm(user=user) if can["share"] else None),
        "shares": selectors.letter_shares(letter) if can["share"] else [],
        "return_form": ReturnForm() if can["return"] else None,
    }
    return render(request, "liaison/letters/detail.html", context, status=status)


@login_required
def letter_detail(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    return render_detail(request, letter)


# ----------------------------------------------------------------------------- drafting


def _reply_start(request, uuid):
    """The 复函 button (delivery.reply on the user's own copy): the letter answered, 404 when the user
    may not see it, 403 when its institution did not receive it, the conflict page when no reply
    is owed (not signed for yet, a copy, already answered); else None to go on."""
    answered = selectors.letter_for_page(request.user, uuid)
    delivery = selectors.my_delivery(request.user, answered)
    if delivery is None or not answered.is_issued:
        raise PermissionDenied("delivery.reply")
    delivery.letter = answered
    return answered, pages.precheck(request, "delivery.reply", delivery, back=_detail_url(answered))


@login_required
def letter_create(request):
    """A new draft; `?in_reply_to=<uuid>` starts a 复函 to a received letter, pre-filled."""
    access.require(request.user, "letter.create")
    initial, answered = {}, None
    if request.method == "GET" and request.GET.get("in_reply_to"):
        answered, refused = _reply_start(request, request.GET["in_reply_to"])
        if refused:
            return refused
        initial = LetterForm.initial_reply(answered)
    form = LetterForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answered = data.get("in_reply_to")
        try:
            letter = services.letter_create(
                by=request.user,
                title=data["title"],
                body=data["body"],
                addressees=list(data["addressees"]),
                cc=list(data["cc"]),
                series=data["series"],
                signatory=data["signatory"],
                urgency=data["urgency"],
                reply_by=data["reply_by"],
                in_reply_to=answered,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _detail_url(answered) if answered else reverse("letter_outbox"))
        else:
            messages.success(request, _("草稿已保存。可以添加附件，然后提交签发。"))
            return _detail(letter)
    elif request.method == "POST":
        answered = form.cleaned_data.get("in_reply_to")
    context = {"form": form, "letter": None, "in_reply_to": answered}
    return render(request, "liaison/letters/form.html", context)


@login_required
def letter_edit(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.edit", letter, back=_detail_url(letter)):
        return refused
    form = LetterForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=LetterForm.initial_for(letter)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.letter_update(
                letter=letter,
                by=request.user,
                title=data["title"],
                body=data["body"],
                addressees=list(data["addressees"]),
                cc=list(data["cc"]),
                series=data["series"],
                signatory=data["signatory"],
                urgency=data["urgency"],
                reply_by=data["reply_by"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _detail_url(letter))
        else:
            messages.success(request, _("草稿已保存。"))
            return _detail(letter)
    context = {"form": form, "letter": letter, "in_reply_to": letter.in_reply_to}
    return render(request, "liaison/letters/form.html", context)


@login_required
@require_POST
def attachment_add(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.edit", letter, back=_detail_url(letter)):
        return refused
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(letter=letter, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _detail_url(letter))
        else:
            messages.success(request, _("已添加附件“%(n)s”。") % {"n": attachment.name})
            return _detail(letter)
    return render_detail(request, letter, attachment_form=form)


# ----------------------------------------------------------------------------- transitions


@login_required
@require_POST
def letter_submit(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.submit", letter, back=_detail_url(letter)):
        return refused
    try:
        services.letter_submit(letter=letter, by=request.user)
    except Conflict as exc:
        return conflict_redirect(request, exc, _detail_url(letter))
    messages.success(request, _("已提交负责人签发。"))
    return _detail(letter)


@login_required
def letter_return(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.return", letter, back=_detail_url(letter)):
        return refused
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_return(letter=letter, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _detail_url(letter))
        else:
            messages.success(request, _("已退回承办人修改。"))
            return _detail(letter)
    return render(request, "liaison/letters/return.html", {"letter": letter, "form": form})


@login_required
def letter_issue(request, uuid):
    """签发: a confirmation page (GET) and the irreversible step (POST)."""
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.issue", letter, back=_detail_url(letter)):
        return refused
    form = IssueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_issue(letter=letter, by=request.user, issued_on=form.cleaned_data["issued_on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _detail_url(letter))
        else:
            messages.success(request, _("已签发，发文字号 %(n)s。") % {"n": letter.doc_number})
            return _detail(letter)
    deliveries = list(letter.deliveries.select_related("recipient"))
    return render(request, "liaison/letters/issue.html", {"letter": letter, "form": form, "deliveries": deliveries})


@login_required
def delivery_sign(request, uuid):
    """签收: a confirmation page with an optional paper-delivery date, then the POST."""
    letter = selectors.letter_for_page(request.user, uuid)
    delivery = selectors.my_delivery(request.user, letter)
    if delivery is None:
        raise PermissionDenied("delivery.sign")
    if delivery.signed_on and access.can(request.user, "delivery.sign", delivery):
        messages.info(request, _("该公文已于 %(d)s 签收。") % {"d": delivery.signed_on.isoformat()})
        return _detail(letter)
    if refused := pages.precheck(request, "delivery.sign", delivery, back=_detail_url(letter)):
        return refused
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_sign(delivery=delivery, by=request.user, signed_on=form.cleaned_data["signed_on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_redirect(request, exc, _detail_url(letter))
        else:
            messages.success(request, _("已签收。"))
            return _detail(letter)
    return render(request, "liaison/letters/sign.html", {"letter": letter, "delivery": delivery, "form": form})


@login_required
@require_POST
def delivery_read(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    delivery = selectors.my_delivery(request.user, letter)
    if delivery is None:
        raise PermissionDenied("delivery.read")
    if not delivery.signed_on and access.can(request.user, "delivery.read", delivery):
        messages.error(request, _("请先签收，再标为已阅。"))
        return _detail(letter)
    if refused := pages.precheck(request, "delivery.read", delivery, back=_detail_url(letter)):
        return refused
    services.delivery_mark_read(delivery=delivery, by=request.user)
    messages.success(request, _("已标为已阅。"))
    return _detail(letter)


@login_required
@require_POST
def letter_share(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.share", letter, back=_detail_url(letter)):
        return refused
    form = ShareForm(request.POST, user=request.user)
    if form.is_valid():
        institution = form.cleaned_data["institution"]
        try:
            services.letter_share(letter=letter, institution=institution, by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已共享给%(i)s。") % {"i": institution.name})
            return _detail(letter)
    return render_detail(request, letter, share_form=form)


@login_required
@require_POST
def letter_unshare(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if refused := pages.precheck(request, "letter.unshare", letter, back=_detail_url(letter)):
        return refused
    form = ShareForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择要取消共享的单位。"))
        return _detail(letter)
    institution = form.cleaned_data["institution"]
    services.letter_unshare(letter=letter, institution=institution, by=request.user)
    messages.success(request, _("已取消对%(i)s的共享。") % {"i": institution.name})
    return _detail(letter)


# ----------------------------------------------------------------------------- files


@login_required
def letter_pdf(request, uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    if not (letter.is_issued and letter.pdf):
        messages.info(request, _("PDF 生成中，请稍后刷新。"))
        return _detail(letter)
    return _download(letter.pdf, f"{letter.doc_number or letter.title}.pdf", "application/pdf")


@login_required
def attachment_download(request, uuid, attachment_uuid):
    letter = selectors.letter_for_page(request.user, uuid)
    try:
        attachment = letter.attachments.get(uuid=attachment_uuid)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return _download(attachment.file, attachment.name, attachment.content_type)
