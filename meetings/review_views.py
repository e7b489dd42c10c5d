"""Legal review pages (参与论证): list (meetings.listings.REVIEWS) with Excel, new draft, detail, one action page per transition (on the
hub's page toolkit) and the adoption table as a PDF."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison import access, pages
from liaison.models import Letter

from . import forms, pagekit, reviews
from .listings import REVIEWS
from .models import LegalReview, ReviewInvitation, ReviewOpinion

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
GET = require_http_methods(["GET", "HEAD"])


REVIEWS_QS = LegalReview.objects.select_related("government", "invitation_letter", "answer_letter")
_review = pagekit.lookup(REVIEWS_QS)
_invitation = pagekit.lookup(ReviewInvitation.objects.select_related("review__government", "institution"))
_opinion = pagekit.lookup(
    ReviewOpinion.objects.select_related("invitation__review__government", "invitation__institution")
)


@login_required
@GET
def index(request):
    return pagekit.list_page(
        request,
        REVIEWS,
        REVIEWS_QS,
        forms.ReviewFilter,
        exact=("status",),
        search=("title", "summary"),
        template="meetings/reviews/list.html",
        create="legal_review.create",
        filename=_("参与论证.xlsx"),
        export_rows=lambda qs: qs.annotate(n_invited=Count("invitations", distinct=True)),
    )


@login_required
@GET_POST
def create(request):
    access.require(request.user, "legal_review.create")
    back = reverse("meetings:reviews")
    form = forms.ReviewForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    return pages.action_page(
        request,
        form=form,
        service=reviews.review_create,
        args=lambda d: {"by": request.user, **d},
        done=lambda r: _("论证事项已登记，征求意见函待负责人签发。"),
        to=LegalReview.get_absolute_url,
        back=back,
        template="meetings/form.html",
        context={"title": _("登记论证事项"), "back": back, "multipart": True},
        checked=True,
    )


@login_required
@GET
def detail(request, uuid):
    r = _review(request, uuid)
    user = request.user
    opinions = access.visible(ReviewOpinion.objects.all(), user).select_related("by", "decided_by")
    invitations = list(
        r.invitations.select_related("institution", "ledger_entry").prefetch_related(
            Prefetch("opinions", queryset=opinions, to_attr="shown")
        )
    )
    letters = {
        x.pk
        for x in Letter.objects.visible_to(user).filter(
            pk__in=[x for x in (r.invitation_letter_id, r.answer_letter_id) if x]
        )
    }
    own = next((i for i in invitations if i.institution_id == user.institution_id), None)
    return render(
        request,
        "meetings/reviews/detail.html",
        {
            "r": r,
            "invitations": invitations,
            "own": own,
            "invitation_letter_visible": r.invitation_letter_id in letters,
            "answer_letter_visible": r.answer_letter_id in letters,
            "draft_files": list(r.invitation_letter.attachments.all()) if r.invitation_letter_id in letters else [],
            "counts": reviews.adoption_counts(r) if r.status != LegalReview.Status.DRAFT else None,
            "table_url": reverse("meetings:review_table", kwargs={"uuid": r.uuid})
            if r.status != LegalReview.Status.DRAFT and access.can(user, "legal_review.table", r)
            else "",
        },
    )


@login_required
@GET
def adoption_pdf(request, uuid):
    """The adoption table as it stands (the issued answer letter carries the frozen copy)."""
    r = _review(request, uuid)
    access.require(request.user, "legal_review.table", r)
    body = reviews.AdoptionTablePdf(r).render()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename*=UTF-8''" + _quote(reviews.table_filename(r))
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# ----------------------------------------------------------------------------- actions


def _back(obj) -> str:
    if isinstance(obj, ReviewOpinion):
        return obj.invitation.review.get_absolute_url()
    if isinstance(obj, ReviewInvitation):
        return obj.review.get_absolute_url()
    return obj.get_absolute_url()


def _action(loader, verb, form_class, title, run, done, **kw):
    return pagekit.action(
        loader,
        verb,
        form_class,
        title,
        run,
        done,
        back=_back,
        context=lambda obj: {"review": obj if isinstance(obj, LegalReview) else _review_of(obj)},
        **kw,
    )


def _review_of(obj):
    return obj.invitation.review if isinstance(obj, ReviewOpinion) else obj.review


attach = _action(
    _review,
    "legal_review.attach",
    forms.UploadForm,
    _("上传草案文本"),
    lambda r, u, d: reviews.review_attach(review=r, by=u, upload=d["file"]),
    _("草案已上传，作为征求意见函的附件。"),
    files=True,
)
invite = _action(
    _review,
    "legal_review.invite",
    forms.ConfirmForm,
    _("签发征求意见函"),
    lambda r, u, d: reviews.review_invite(review=r, by=u),
    _("征求意见函已签发并送达受邀单位，反馈期限已进入其工作台账。"),
)
conclude = _action(
    _review,
    "legal_review.conclude",
    forms.ConfirmForm,
    _("形成采纳情况"),
    lambda r, u, d: reviews.review_conclude(review=r, by=u),
    _("采纳情况函已起草（附采纳情况表），待负责人签发。"),
)
issue = _action(
    _review,
    "legal_review.issue",
    forms.ConfirmForm,
    _("签发采纳情况函"),
    lambda r, u, d: reviews.review_issue(review=r, by=u),
    _("采纳情况函已签发并送达。"),
)
opine = _action(
    _invitation,
    "review_invitation.opine",
    forms.OpinionForm,
    _("提出论证意见"),
    lambda i, u, d: reviews.opinion_add(invitation=i, by=u, **d),
    _("意见已保存；全部意见提出后请点击“反馈论证意见”。"),
)
return_opinions = _action(
    _invitation,
    "review_invitation.return",
    forms.ReturnOpinionsForm,
    _("反馈论证意见"),
    lambda i, u, d: reviews.invitation_return(invitation=i, by=u, general=d.get("general", "")),
    _("论证意见已反馈起草单位。"),
)
decide = _action(
    _opinion,
    "review_opinion.decide",
    forms.AdoptionForm,
    _("研究采纳"),
    lambda o, u, d: reviews.opinion_decide(opinion=o, by=u, **d),
    _("采纳情况已记录。"),
    initial=lambda o: {"adoption": o.adoption or None, "reason": o.reason},
)
