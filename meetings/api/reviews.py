"""/api/v1/legal-reviews/, /api/v1/review-invitations/, /api/v1/review-opinions/ (参与论证).

On the hub's record API: rows from the access module (only the drafting government side, the
invited court and procuratorate once the invitation letter is issued, and the office overseeing
the region see a review; an invitee's opinions stay its own until it returns them), each action a
`record_action` of its declared transition (meetings/flows.py): 404 → 403 → 409 → 400 → service.
An invitation and an opinion are records of their own (their actions are the invitee's and the
drafter's); the review's detail carries them with their own `allowed_actions`.
"""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from liaison import access, workflow
from liaison.api.records import RecordViewSet, errors, record_action
from liaison.api.serializers import AttachmentSerializer, institution_list_field
from liaison.models import Letter

from .. import listings, reviews
from ..models import LegalReview, ReviewInvitation, ReviewOpinion
from . import TAG, _ref, export_list

AD = ReviewOpinion.Adoption


def _allowed(serializer, obj) -> list[str]:
    return workflow.api_actions(serializer.context["request"].user, obj)


def _visible_letters(context, *letter_ids) -> set:
    """The ids among `letter_ids` the user may see (cached per answer)."""
    cache = context.setdefault("_letters", {})
    wanted = [x for x in letter_ids if x and x not in cache]
    if wanted:
        seen = set(
            Letter.objects.visible_to(context["request"].user).filter(pk__in=wanted).values_list("pk", flat=True)
        )
        cache.update({x: x in seen for x in wanted})
    return {x for x in letter_ids if x and cache[x]}


# ----------------------------------------------------------------------------- output


class ReviewRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)


class ReviewOpinionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    clause = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    adoption = serializers.ChoiceField(choices=AD.choices, allow_blank=True, read_only=True)
    adoption_display = serializers.CharField(source="get_adoption_display", read_only=True)
    reason = serializers.CharField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, o) -> list[str]:
        return _allowed(self, o)


class ReviewOpinionDetailSerializer(ReviewOpinionSerializer):
    review = serializers.SerializerMethodField()
    invitation = serializers.UUIDField(source="invitation.uuid", read_only=True)
    institution = _ref(source="invitation.institution")

    @extend_schema_field(ReviewRefSerializer)
    def get_review(self, o):
        return ReviewRefSerializer(o.invitation.review).data


class ReviewInvitationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    institution = _ref()
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    general = serializers.CharField(read_only=True)
    returned_at = serializers.DateTimeField(read_only=True, allow_null=True)
    due_date = serializers.SerializerMethodField()
    opinions = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    def get_due_date(self, inv) -> str | None:
        return inv.ledger_entry.due_date.isoformat() if inv.ledger_entry_id else None

    @extend_schema_field(ReviewOpinionSerializer(many=True))
    def get_opinions(self, inv):
        # the opinions this user may see: the invitee's own, anyone's once returned (prefetched as `shown`)
        shown = getattr(inv, "shown", None)
        if shown is None:
            user = self.context["request"].user
            shown = access.visible(ReviewOpinion.objects.filter(invitation=inv), user).select_related(
                "invitation__review"
            )
        return ReviewOpinionSerializer(shown, many=True, context=self.context).data

    def get_allowed_actions(self, inv) -> list[str]:
        return _allowed(self, inv)


class ReviewInvitationDetailSerializer(ReviewInvitationSerializer):
    review = ReviewRefSerializer(read_only=True)


class AdoptionCountsSerializer(serializers.Serializer):
    adopted = serializers.IntegerField()
    partly = serializers.IntegerField()
    rejected = serializers.IntegerField()
    pending = serializers.IntegerField()


class LegalReviewListSerializer(serializers.ModelSerializer):
    government = _ref()
    subject_display = serializers.CharField(source="get_subject_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    invitation_doc_number = serializers.SerializerMethodField()
    answer_doc_number = serializers.SerializerMethodField()

    class Meta:
        model = LegalReview
        fields = [
            "uuid",
            "subject",
            "subject_display",
            "title",
            "government",
            "status",
            "status_display",
            "period",
            "due_date",
            "invitation_doc_number",
            "answer_doc_number",
            "created_at",
        ]
        read_only_fields = fields

    def get_invitation_doc_number(self, r) -> str:
        return (r.invitation_letter.doc_number or "") if r.invitation_letter_id else ""

    def get_answer_doc_number(self, r) -> str:
        return (r.answer_letter.doc_number or "") if r.answer_letter_id else ""


class LegalReviewDetailSerializer(LegalReviewListSerializer):
    invitation_letter = serializers.SerializerMethodField()
    answer_letter = serializers.SerializerMethodField()
    draft_files = serializers.SerializerMethodField()
    invitations = serializers.SerializerMethodField()
    adoption_counts = serializers.SerializerMethodField()
    adoption_table = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(LegalReviewListSerializer.Meta):
        fields = LegalReviewListSerializer.Meta.fields + [
            "summary",
            "invitation_letter",
            "answer_letter",
            "draft_files",
            "invitations",
            "adoption_counts",
            "adoption_table",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _letters(self, r) -> set:
        return _visible_letters(self.context, r.invitation_letter_id, r.answer_letter_id)

    def get_invitation_letter(self, r) -> str | None:
        """The invitation letter's uuid (/api/v1/letters/…), when the user may see the letter."""
        return str(r.invitation_letter.uuid) if r.invitation_letter_id in self._letters(r) else None

    def get_answer_letter(self, r) -> str | None:
        return str(r.answer_letter.uuid) if r.answer_letter_id in self._letters(r) else None

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_draft_files(self, r):
        """The draft's files: the invitation letter's attachments (downloaded through the letters API)."""
        if r.invitation_letter_id not in self._letters(r):
            return []
        return AttachmentSerializer(r.invitation_letter.attachments.all(), many=True).data

    @extend_schema_field(ReviewInvitationSerializer(many=True))
    def get_invitations(self, r):
        user = self.context["request"].user
        opinions = access.visible(ReviewOpinion.objects.all(), user).select_related("invitation__review")
        invitations = r.invitations.select_related("institution", "ledger_entry", "review").prefetch_related(
            Prefetch("opinions", queryset=opinions, to_attr="shown")
        )
        return ReviewInvitationSerializer(invitations, many=True, context=self.context).data

    @extend_schema_field(AdoptionCountsSerializer(allow_null=True))
    def get_adoption_counts(self, r):
        if r.status == LegalReview.Status.DRAFT:
            return None
        c = reviews.adoption_counts(r)
        return {"adopted": c[AD.ADOPTED], "partly": c[AD.PARTLY], "rejected": c[AD.REJECTED], "pending": c[AD.PENDING]}

    def get_adoption_table(self, r) -> str | None:
        """The adoption table as it stands (PDF page), for the drafter and the office."""
        from django.urls import reverse

        user = self.context["request"].user
        if r.status == LegalReview.Status.DRAFT or not access.can(user, "legal_review.table", r):
            return None
        return reverse("meetings:review_table", kwargs={"uuid": r.uuid})

    def get_allowed_actions(self, r) -> list[str]:
        return _allowed(self, r)


# ----------------------------------------------------------------------------- input


class LegalReviewCreateSerializer(serializers.Serializer):
    subject = serializers.ChoiceField(choices=LegalReview.Subject.choices)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=20000)
    invitees = institution_list_field(min_length=1, max_length=10)
    period = serializers.IntegerField(min_value=1, max_value=60, default=10)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class OpinionSerializer(serializers.Serializer):
    clause = serializers.CharField(max_length=60, required=False, allow_blank=True)
    text = serializers.CharField(max_length=5000)


class ReturnOpinionsSerializer(serializers.Serializer):
    general = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class AdoptionSerializer(serializers.Serializer):
    adoption = serializers.ChoiceField(choices=[c for c in AD.choices if c[0]])
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


# ----------------------------------------------------------------------------- filters


class LegalReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LegalReview.Status.choices, label=_("状态"))
    subject = django_filters.ChoiceFilter(choices=LegalReview.Subject.choices, label=_("论证事项类别"))
    government = django_filters.UUIDFilter(field_name="government__uuid", label=_("起草单位 uuid"))
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("草案名称或起草说明"))

    class Meta:
        model = LegalReview
        fields = ["status", "subject", "government", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)) if value else queryset


# ----------------------------------------------------------------------------- viewsets

DETAIL = {200: LegalReviewDetailSerializer}
UPLOAD = [MultiPartParser, FormParser]


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary=_("参与论证列表"),
        responses={200: LegalReviewListSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(tags=[TAG], summary=_("参与论证详情"), responses={**DETAIL, **errors(404)}),
    create=extend_schema(
        tags=[TAG],
        summary=_("登记论证事项（征求意见函随即起草，待负责人签发）"),
        request=LegalReviewCreateSerializer,
        responses={201: LegalReviewDetailSerializer, **errors(400, 403)},
    ),
)
class LegalReviewViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Legal reviews (参与论证): the government side's draft, the court's and procuratorate's opinions,
    the adoption of each and the answer letter."""

    model = LegalReview
    schema_tag = TAG
    list_actions = ("list", "export")
    list_serializer = LegalReviewListSerializer
    detail_serializer = LegalReviewDetailSerializer
    filterset_class = LegalReviewFilter
    listing = listings.REVIEWS  # the page's order (overdue first) and ?ordering= keys (ListOrdering)

    def decorate(self, qs):
        return qs.select_related("government", "invitation_letter", "answer_letter")

    @extend_schema(tags=[TAG], summary=_("导出参与论证列表（Excel，按筛选条件）"), filters=True, responses={200: bytes})
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request):
        rows = self.filter_queryset(self.get_queryset()).annotate(n_invited=Count("invitations", distinct=True))
        return export_list(self, listings.REVIEWS, rows, _("参与论证.xlsx"))

    def create(self, request, *args, **kwargs):
        access.require(request.user, "legal_review.create")
        data = self.validated(LegalReviewCreateSerializer)
        r = reviews.review_create(by=request.user, **data)
        return self.detail_response(r, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary=_("上传草案文本（征求意见函的附件）"),
        request={"multipart/form-data": UploadSerializer},
        responses={**DETAIL, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="attach", url_name="attach", parser_classes=UPLOAD)
    def attach(self, request, uuid=None):
        r = self.object_for("legal_review.attach")
        data = self.validated(UploadSerializer)
        reviews.review_attach(review=r, by=request.user, upload=data["file"])
        return self.detail_response(r)

    @record_action("legal_review.invite", summary=_("负责人签发征求意见函（反馈期限进入受邀单位台账）"))
    def invite(self, request, r, data):
        reviews.review_invite(review=r, by=request.user)

    @record_action("legal_review.conclude", summary=_("形成采纳情况（起草采纳情况函，附采纳情况表）"))
    def conclude(self, request, r, data):
        reviews.review_conclude(review=r, by=request.user)

    @record_action("legal_review.issue", summary=_("负责人签发采纳情况函"))
    def issue(self, request, r, data):
        reviews.review_issue(review=r, by=request.user)


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG],
        summary=_("论证邀请（受邀单位的意见）"),
        responses={200: ReviewInvitationDetailSerializer, **errors(404)},
    ),
)
class ReviewInvitationViewSet(RecordViewSet, mixins.RetrieveModelMixin):
    """One invited institution's part of a legal review: its opinions and their return."""

    model = ReviewInvitation
    schema_tag = TAG
    list_actions = ()
    detail_serializer = ReviewInvitationDetailSerializer

    def decorate(self, qs):
        return qs.select_related("review__government", "institution", "ledger_entry")

    @record_action("review_invitation.opine", request=OpinionSerializer, summary=_("提出论证意见（可逐条）"))
    def opine(self, request, inv, data):
        reviews.opinion_add(invitation=inv, by=request.user, text=data["text"], clause=data.get("clause", ""))

    @record_action(
        "review_invitation.return", request=ReturnOpinionsSerializer, summary=_("反馈论证意见（台账同时办结）")
    )
    def return_opinions(self, request, inv, data):
        reviews.invitation_return(invitation=inv, by=request.user, general=data.get("general", ""))


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG], summary=_("论证意见及其采纳情况"), responses={200: ReviewOpinionDetailSerializer, **errors(404)}
    ),
)
class ReviewOpinionViewSet(RecordViewSet, mixins.RetrieveModelMixin):
    """One opinion of an invited institution and the drafter's answer (采纳 / 部分采纳 / 不采纳)."""

    model = ReviewOpinion
    schema_tag = TAG
    list_actions = ()
    detail_serializer = ReviewOpinionDetailSerializer

    def decorate(self, qs):
        return qs.select_related("invitation__review__government", "invitation__institution")

    @record_action(
        "review_opinion.decide", request=AdoptionSerializer, summary=_("研究采纳（部分采纳、不采纳须写明理由）")
    )
    def decide(self, request, o, data):
        reviews.opinion_decide(opinion=o, by=request.user, adoption=data["adoption"], reason=data.get("reason", ""))
