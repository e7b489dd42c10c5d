"""/api/v1/suggestions/ and /api/v1/filings/: serializers and viewsets.

Built on the hub's record API (`liaison.api.records`): rows from `visible_to(user)` (another
institution's suggestion answers 404), each action a `record_action` of its declared transition
(suggestions/flows.py): 404, then 403 (the person), then 409 (the state), then 400 (the body),
then the service; the answer is the suggestion re-read. `allowed_actions` is derived from the
same declarations.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison import access
from liaison.api.records import RecordViewSet, errors, record_action
from liaison.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ExplainedField,
    InstitutionRefSerializer,
    ScopedSlugRelatedField,
    _no_duplicates,
    institution_list_field,
)
from liaison.models import Institution, Region

from . import flows, page_selectors, selectors, services
from .filters import FilingFilter, SuggestionFilter
from .listings import SUGGESTIONS
from .models import Extension, Filing, Reply, Suggestion

S = Suggestion.Status
UNIT_CHOICES = [("days", _("日")), ("months", _("个月"))]

# ============================================================================= serializers


class SuggestionRefSerializer(serializers.ModelSerializer):
    """A linked suggestion, shown only when the user may see it."""

    doc_number = serializers.CharField(source="letter.doc_number", read_only=True, allow_null=True)

    class Meta:
        model = Suggestion
        fields = ["uuid", "kind", "doc_number", "title", "status"]
        read_only_fields = fields


class ReplySerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    letter = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    doc_number = serializers.CharField(source="letter.doc_number", read_only=True, allow_null=True)

    class Meta:
        model = Reply
        fields = [
            "uuid",
            "round",
            "status",
            "status_display",
            "measures",
            "return_reason",
            "created_at",
            "sent_on",
            "letter",
            "doc_number",
        ]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Extension
        fields = [
            "uuid",
            "days",
            "reasons",
            "status",
            "status_display",
            "requested_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class SuggestionListSerializer(serializers.ModelSerializer):
    doc_number = serializers.CharField(source="letter.doc_number", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    issuer = InstitutionRefSerializer(read_only=True)
    recipient = InstitutionRefSerializer(read_only=True)
    # Declared so the schema's enum includes "" (not yet evaluated), which the answer carries;
    # a read-only model field would lose allow_blank.
    evaluation = serializers.ChoiceField(choices=Suggestion.Evaluation.choices, allow_blank=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = [
            "uuid",
            "doc_number",
            "title",
            "kind",
            "kind_display",
            "subkind",
            "status",
            "status_display",
            "urgent",
            "issuer",
            "recipient",
            "round",
            "created_at",
            "issued_on",
            "received_on",
            "reply_due",
            "replied_on",
            "evaluation",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, s) -> bool:
        """Received (or rectifying) and past its reply deadline without a reply."""
        return s.status in Suggestion.OPEN_STATES and s.reply_due is not None and s.reply_due < timezone.localdate()


class AttachmentRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    reply = serializers.UUIDField(allow_null=True, help_text=_("所属书面回复的 uuid；建议本身的附件为空。"))
    url = serializers.CharField(help_text=_("下载地址（页面，按建议的访问规则）。"))


class SuggestionDetailSerializer(SuggestionListSerializer):
    reply_due_explained = ExplainedField()
    subkind_display = serializers.CharField(source="get_subkind_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    evaluation_display = serializers.CharField(source="get_evaluation_display", read_only=True)
    letter = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    cc = InstitutionRefSerializer(many=True, read_only=True)
    replies = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True, read_only=True)
    linked_from = serializers.SerializerMethodField()
    linked = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(SuggestionListSerializer.Meta):
        fields = SuggestionListSerializer.Meta.fields + [
            "subkind_display",
            "category",
            "category_display",
            "case_number",
            "problem",
            "recommendations",
            "touches_procuratorial",
            "reply_period",
            "reply_unit",
            "reply_due_explained",
            "letter",
            "cc",
            "replies",
            "extensions",
            "evaluation_display",
            "evaluation_reasons",
            "evaluated_on",
            "withdrawn_reason",
            "linked_from",
            "linked",
            "attachments",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, s):
        """Sent replies for everyone; a reply awaiting its head's sign-off only inside the recipient."""
        own = s.recipient_id == self._user().institution_id
        return ReplySerializer([r for r in s.replies.all() if own or r.status == Reply.Status.SENT], many=True).data

    @extend_schema_field(AttachmentRefSerializer(many=True))
    def get_attachments(self, s):
        """The suggestion's files and those of the replies the user may see (a reply not yet sent:
        only inside the recipient), the 建议书's or 复函's 附件 once issued."""
        from django.urls import reverse

        from .page_selectors import attachments_for

        own = s.recipient_id == self._user().institution_id
        replies = [r for r in s.replies.all() if own or r.status == Reply.Status.SENT]
        files, by_reply = attachments_for(s, replies)
        rows = [(a, None) for a in files] + [(a, r.uuid) for r in replies for a in by_reply[r.pk]]
        return [
            {
                "uuid": a.uuid,
                "name": a.name,
                "size": a.size,
                "reply": reply,
                "url": reverse("suggestions:attachment", kwargs={"uuid": s.uuid, "attachment_uuid": a.uuid}),
            }
            for a, reply in rows
        ]

    def _visible(self):
        return Suggestion.objects.visible_to(self._user()).select_related("letter")

    @extend_schema_field(SuggestionRefSerializer(allow_null=True))
    def get_linked_from(self, s):
        """The judicial suggestion this one follows up (关联), if the user may see it."""
        if s.linked_from_id is None:
            return None
        source = self._visible().filter(pk=s.linked_from_id).first()
        return SuggestionRefSerializer(source).data if source else None

    @extend_schema_field(SuggestionRefSerializer(many=True))
    def get_linked(self, s):
        """Suggestions issued as a follow-up to this one, those the user may see."""
        return SuggestionRefSerializer(self._visible().filter(linked_from=s), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, s):
        """What the user may do now, from the declared transitions (a hint for clients; every action is checked again)."""
        return flows.api_actions(self._user(), s)


class SuggestionUpdateSerializer(serializers.Serializer):
    """A draft's content. Issuer, kind, status and numbers are not fields: posting them changes nothing."""

    recipient = ScopedSlugRelatedField(
        queryset=Institution.objects.filter(is_active=True), help_text=_("被建议单位（行政机关）的 uuid。")
    )
    cc = institution_list_field(required=False, default=list, help_text=_("抄送机关的 uuid 列表。"))
    title = serializers.CharField(max_length=200)
    problem = serializers.CharField(max_length=20000)
    recommendations = serializers.CharField(max_length=20000)
    subkind = serializers.ChoiceField(
        choices=Suggestion.Subkind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("检察建议必填：general（社会治理类）或 public_interest（诉前公益诉讼）；司法建议不填。"),
    )
    category = serializers.ChoiceField(choices=Suggestion.Category.choices, default=Suggestion.Category.ENFORCEMENT)
    case_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    touches_procuratorial = serializers.BooleanField(
        default=False, help_text=_("司法建议涉及检察监督职责时为真，自动抄送同级人民检察院。")
    )
    urgent = serializers.BooleanField(default=False)
    reply_period = serializers.IntegerField(
        min_value=1,
        max_value=999,
        required=False,
        allow_null=True,
        help_text=_("回复期限；省略则为规定期限，只能缩短。"),
    )
    reply_unit = serializers.ChoiceField(choices=UNIT_CHOICES, required=False)

    def validate_cc(self, value):
        return _no_duplicates(value)


class SuggestionCreateSerializer(SuggestionUpdateSerializer):
    linked_from = ScopedSlugRelatedField(
        queryset=Suggestion.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("关联的司法建议 uuid（检察院就抄送本院的司法建议发出关联检察建议）。"),
    )

    def validate_linked_from(self, value):
        if value is not None and not access.can(self.context["request"].user, "suggestion.link", value):
            raise serializers.ValidationError(_("只能关联抄送本院的司法建议。"))
        return value


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("理由。"))


class SuggestionIssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(
        required=False, help_text=_("成文日期（补录纸质建议书时可为过去日期），默认为今天。")
    )


class SuggestionReceiveSerializer(serializers.Serializer):
    received_on = serializers.DateField(
        required=False, help_text=_("签收日期（纸质送达时可补录），默认为今天；回复期限自此起算。")
    )


class SuggestionReplySerializer(serializers.Serializer):
    measures = serializers.CharField(max_length=20000, help_text=_("采纳建议及整改落实情况。"))


class ReplyApproveSerializer(serializers.Serializer):
    reply = serializers.UUIDField(help_text=_("待签发回复的 uuid。"))


class ReplyReturnSerializer(ReplyApproveSerializer):
    reason = serializers.CharField(max_length=2000, help_text=_("退回理由，承办人将收到。"))


class ReplyEditSerializer(ReplyApproveSerializer):
    measures = serializers.CharField(max_length=20000, help_text=_("修改后的采纳建议及整改落实情况。"))


class SuggestionEvaluateSerializer(serializers.Serializer):
    evaluation = serializers.ChoiceField(choices=Suggestion.Evaluation.choices)
    reasons = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text=_("部分采纳或未采纳时必填。")
    )
    rectify = serializers.BooleanField(default=False, help_text=_("要求继续整改（开启下一轮回复）。"))
    rectify_days = serializers.IntegerField(
        min_value=1, max_value=365, required=False, allow_null=True, help_text=_("整改回复期限（日）。")
    )


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=180, help_text=_("延长天数。"))
    reasons = serializers.CharField(max_length=5000, help_text=_("延期理由。"))


class ExtensionDecideSerializer(serializers.Serializer):
    extension = serializers.UUIDField(help_text=_("延期申请的 uuid。"))
    approve = serializers.BooleanField(help_text=_("同意为真，不同意为假。"))
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text=_("不同意时必填。")
    )


# ----------------------------------------------------------------------------- statistics

QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


class StatisticsQuerySerializer(serializers.Serializer):
    GROUP_CHOICES = [
        ("issuer", _("发出机关")),
        ("recipient", _("被建议单位")),
        ("region", _("行政区域")),
        ("kind", _("建议类别")),
    ]

    quarter = serializers.CharField(
        required=False, max_length=6, help_text=_("季度，如 2026Q3；与 start/end 二选一，都省略则为本季度。")
    )
    start = serializers.DateField(required=False, help_text=_("起始日期（含）。"))
    end = serializers.DateField(required=False, help_text=_("截止日期（含）。"))
    group_by = serializers.ChoiceField(choices=GROUP_CHOICES, default="issuer")

    def validate_quarter(self, value):
        match = QUARTER.match(value.strip())
        if not match or not 1949 <= int(match.group(1)) <= 2199:
            raise serializers.ValidationError(_("季度格式应为 2026Q3。"))
        return quarter_range(int(match.group(1)), int(match.group(2)))

    def _in_range(self, value):
        if not 1949 <= value.year <= 2199:
            raise serializers.ValidationError(_("日期超出范围。"))
        return value

    validate_start = _in_range
    validate_end = _in_range

    def validate(self, data):
        quarter, start, end = data.pop("quarter", None), data.get("start"), data.get("end")
        if quarter is not None:
            if start or end:
                raise serializers.ValidationError({"quarter": [_("季度不能与起止日期同时使用。")]})
            data["start"], data["end"] = quarter
        elif start is None and end is None:
            today = timezone.localdate()
            data["start"], data["end"] = quarter_range(today.year, (today.month - 1) // 3 + 1)
        elif start is None:
            raise serializers.ValidationError({"start": [_("请同时填写起始日期。")]})
        elif end is None:
            raise serializers.ValidationError({"end": [_("请同时填写截止日期。")]})
        elif end < start:
            raise serializers.ValidationError({"end": [_("截止日期不能早于起始日期。")]})
        return data


class RateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("比率（0 至 1）；分母为 0 时为空。"))
    display = serializers.CharField(help_text=_("百分比，两位小数；分母为 0 时为“—”。"))


class StatisticsRowSerializer(serializers.Serializer):
    group = serializers.CharField(help_text=_("分组名称。"))
    key = serializers.CharField(
        allow_null=True, help_text=_("分组标识：机关 uuid、行政区域代码或建议类别；合计行为空。")
    )
    issued = serializers.IntegerField(help_text=_("本期发出。"))
    received = serializers.IntegerField(help_text=_("本期签收。"))
    due = serializers.IntegerField(help_text=_("应回复（本期届满或本期已回复）。"))
    replied = serializers.IntegerField(help_text=_("本期书面回复。"))
    on_time = serializers.IntegerField(help_text=_("本期按期回复。"))
    overdue = serializers.IntegerField(help_text=_("逾期未回复。"))
    adopted = serializers.IntegerField(help_text=_("本期评价为采纳。"))
    reply_rate = RateSerializer(help_text=_("回复率：已回复 / 应回复。"))
    on_time_rate = RateSerializer(help_text=_("按期回复率：按期回复 / 应回复。"))


class StatisticsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.CharField()
    rows = StatisticsRowSerializer(many=True)
    totals = StatisticsRowSerializer()


COUNTS = ("issued", "received", "due", "replied", "on_time", "overdue", "adopted")


def _rate(rate: selectors.Rate) -> dict:
    value = rate.value
    return {
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "rate": None if value is None else round(value, 4),
        "display": str(rate),
    }


def _stat_row(group, key, counts) -> dict:
    return {
        "group": group,
        "key": key,
        **{name: counts[name] for name in COUNTS},
        "reply_rate": _rate(selectors.Rate(counts["replied"], counts["due"])),
        "on_time_rate": _rate(selectors.Rate(counts["on_time"], counts["due"])),
    }


def statistics_payload(*, user, start, end, group_by) -> dict:
    rows = selectors.statistics(user=user, start=start, end=end, group_by=group_by)
    ids = [row["group_id"] for row in rows]
    # Public keys instead of primary keys: institution uuids and region codes.
    if group_by in ("issuer", "recipient"):
        keys = {pk: str(uuid) for pk, uuid in Institution.objects.filter(pk__in=ids).values_list("pk", "uuid")}
    elif group_by == "region":
        keys = dict(Region.objects.filter(pk__in=ids).values_list("pk", "code"))
    else:
        keys = {kind: kind for kind in ids}
    totals = {name: sum(row[name] for row in rows) for name in COUNTS}
    return {
        "start": start,
        "end": end,
        "group_by": group_by,
        "rows": [_stat_row(row["group"], keys.get(row["group_id"]), row) for row in rows],
        "totals": _stat_row(str(_("合计")), None, totals),
    }


# ----------------------------------------------------------------------------- filings


class FilingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    procuratorate = InstitutionRefSerializer(read_only=True)
    office = InstitutionRefSerializer(read_only=True)
    suggestion = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    suggestion_doc_number = serializers.CharField(
        source="suggestion.letter.doc_number", read_only=True, allow_null=True
    )

    class Meta:
        model = Filing
        fields = [
            "uuid",
            "kind",
            "kind_display",
            "title",
            "summary",
            "filed_on",
            "procuratorate",
            "office",
            "suggestion",
            "suggestion_doc_number",
            "created_at",
        ]
        read_only_fields = fields


class FilingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Filing.Kind.choices)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=20000)
    filed_on = serializers.DateField(required=False, help_text=_("备案日期，默认为今天。"))
    suggestion = ScopedSlugRelatedField(
        queryset=Suggestion.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("备案的检察建议 uuid（备案类别为检察建议时必填，须为本院发出）。"),
    )

    def validate_suggestion(self, value):
        # Another institution's suggestion answers like a made-up id (400), not 403.
        if value is not None and not access.can(self.context["request"].user, "suggestion.file", value):
            raise serializers.ValidationError(_("请选择本院发出的检察建议。"))
        return value


# ============================================================================= views

DETAIL = {200: SuggestionDetailSerializer}
FILES = AttachmentSerializer(many=True)
UPLOAD = {"multipart/form-data": AttachmentUploadSerializer}
REPLY_UUID = OpenApiParameter(
    "reply_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("书面回复的 uuid。")
)
ATTACHMENT_UUID = OpenApiParameter(
    "attachment_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("附件的 uuid。")
)


def _files_of(record) -> Response:
    return Response(AttachmentSerializer(services.hub.record_attachments(record).order_by("id"), many=True).data)


def _file_of(record, attachment_uuid):
    """One of the record's files (404 for any other uuid)."""
    found = next((a for a in services.hub.record_attachments(record) if str(a.uuid) == str(attachment_uuid)), None)
    if found is None:
        raise exceptions.NotFound()
    return found


def _one_of(records, field, data):
    """The suggestion's reply or extension request the body names (400 for any other uuid)."""
    found = next((r for r in records if r.uuid == data[field]), None)
    if found is None:
        raise exceptions.ValidationError({field: [_("不存在或无权访问。")]})
    return found


@extend_schema_view(
    list=extend_schema(
        tags=["suggestions"],
        summary=_("司法建议与检察建议列表"),
        responses={200: SuggestionListSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(tags=["suggestions"], summary=_("建议详情"), responses={**DETAIL, **errors(404)}),
    create=extend_schema(
        tags=["suggestions"],
        summary=_("起草建议"),
        request=SuggestionCreateSerializer,
        responses={201: SuggestionDetailSerializer, **errors(400, 403)},
    ),
    partial_update=extend_schema(
        tags=["suggestions"],
        summary=_("修改草稿"),
        request=SuggestionUpdateSerializer,
        responses={**DETAIL, **errors(400, 403, 404, 409)},
    ),
)
class SuggestionViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Judicial suggestions (司法建议) and procuratorial suggestions (检察建议): drafting,
    sign-off, issue, receipt, reply, extension and evaluation."""

    model = Suggestion
    schema_tag = "suggestions"
    list_serializer = SuggestionListSerializer
    detail_serializer = SuggestionDetailSerializer
    filterset_class = SuggestionFilter
    listing = SUGGESTIONS
    http_method_names = [*RecordViewSet.http_method_names, "delete"]  # an attachment taken off

    def decorate(self, qs):
        qs = qs.select_related("issuer", "recipient", "letter")
        if self.is_list:
            return qs
        return qs.prefetch_related(
            "cc",
            Prefetch("replies", queryset=Reply.objects.select_related("letter")),
            Prefetch("extensions", queryset=Extension.objects.all()),
        )

    def pending_of(self, s, verb):
        """The reply or extension request the verb is about: the pending one, or (none pending) one
        of this suggestion's, for the guard (403) before the body names it; the service checks its state."""
        if verb.startswith("reply."):
            pending = [r for r in s.replies.all() if r.status in Reply.OPEN_STATES]
            return pending[0] if pending else Reply(suggestion=s)
        pending = [e for e in s.extensions.all() if e.status == Extension.Status.PENDING]
        return pending[0] if pending else Extension(suggestion=s)

    def create(self, request, *args, **kwargs):
        access.require(request.user, "suggestion.create")
        data = self.validated(SuggestionCreateSerializer)
        s = services.suggestion_create(by=request.user, **data)
        return self.detail_response(s, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        s = self.object_for("suggestion.edit")
        data = dict(self.validated(SuggestionUpdateSerializer, partial=True))
        if not data:
            raise exceptions.ValidationError({"non_field_errors": [_("没有要修改的内容。")]})
        # A period without its unit (or the reverse) keeps the draft's other half.
        if "reply_period" in data and data["reply_period"] is not None:
            data.setdefault("reply_unit", s.reply_unit)
        elif "reply_unit" in data and "reply_period" not in data:
            data["reply_period"] = s.reply_period
        return self.detail_response(services.suggestion_update(suggestion=s, by=request.user, **data))

    @record_action("suggestion.submit", summary=_("送审"))
    def submit(self, request, s, data):
        """The drafter sends the draft to the head for sign-off (送审)."""
        return services.suggestion_submit(suggestion=s, by=request.user)

    @record_action("suggestion.approve", summary=_("审批同意"))
    def approve(self, request, s, data):
        """The issuer's head approves the submitted draft (审批)."""
        return services.suggestion_approve(suggestion=s, by=request.user)

    @record_action("suggestion.return", request=ReasonSerializer, summary=_("退回修改"))
    def return_(self, request, s, data):
        """The head sends a submitted or approved draft back to its drafter, with a reason."""
        return services.suggestion_return(suggestion=s, by=request.user, reason=data["reason"])

    @record_action("suggestion.issue", request=SuggestionIssueSerializer, summary=_("发出"))
    def issue(self, request, s, data):
        """The head issues the approved suggestion as a numbered 建议书 to the recipient and cc's."""
        return services.suggestion_issue(suggestion=s, by=request.user, issued_on=data.get("issued_on"))

    @record_action("suggestion.receive", request=SuggestionReceiveSerializer, summary=_("签收"))
    def receive(self, request, s, data):
        """The recipient signs for the suggestion; the reply period runs from that day (签收)."""
        try:
            return services.suggestion_receive(suggestion=s, by=request.user, received_on=data.get("received_on"))
        except DjangoValidationError as exc:
            # The letter service names the date `signed_on`; here the field is `received_on`.
            if hasattr(exc, "error_dict") and "signed_on" in exc.error_dict:
                errors_ = dict(exc.error_dict)
                errors_["received_on"] = errors_.pop("signed_on")
                raise DjangoValidationError(errors_) from None
            raise

    @record_action("suggestion.reply", request=SuggestionReplySerializer, code=201, summary=_("书面回复"))
    def reply(self, request, s, data):
        """The recipient's written reply for the current round; a head's reply is sent at once,
        a staff member's waits for the head (approve-reply). One reply per round: a second is 409."""
        services.suggestion_reply(suggestion=s, by=request.user, measures=data["measures"])

    @record_action("reply.approve", subject="pending_of", request=ReplyApproveSerializer, summary=_("签发回复"))
    def approve_reply(self, request, reply, data):
        """The recipient's head signs off a pending reply; it goes out as a numbered letter."""
        services.reply_approve(reply=_one_of(reply.suggestion.replies.all(), "reply", data), by=request.user)

    @record_action("reply.return", subject="pending_of", request=ReplyReturnSerializer, summary=_("退回回复修改"))
    def return_reply(self, request, reply, data):
        """The recipient's head returns a pending reply to its author for revision, with a reason."""
        services.reply_return(
            reply=_one_of(reply.suggestion.replies.all(), "reply", data), by=request.user, reason=data["reason"]
        )

    @record_action("reply.edit", subject="pending_of", request=ReplyEditSerializer, summary=_("修改回复"))
    def edit_reply(self, request, reply, data):
        """Staff revise a reply awaiting sign-off or returned; it waits for the head again."""
        services.reply_edit(
            reply=_one_of(reply.suggestion.replies.all(), "reply", data), by=request.user, measures=data["measures"]
        )

    @record_action("reply.withdraw", subject="pending_of", request=ReplyApproveSerializer, summary=_("撤回回复"))
    def withdraw_reply(self, request, reply, data):
        """Staff withdraw a reply not yet sent; the round is open again for a new reply."""
        services.reply_withdraw(reply=_one_of(reply.suggestion.replies.all(), "reply", data), by=request.user)

    @record_action("suggestion.evaluate", request=SuggestionEvaluateSerializer, summary=_("评价"))
    def evaluate(self, request, s, data):
        """The issuer evaluates the reply; partly or not adopted may open a rectification round."""
        return services.suggestion_evaluate(
            suggestion=s,
            by=request.user,
            evaluation=data["evaluation"],
            reasons=data["reasons"],
            rectify=data["rectify"],
            rectify_days=data.get("rectify_days"),
        )

    @record_action("suggestion.withdraw", request=ReasonSerializer, summary=_("撤回"))
    def withdraw(self, request, s, data):
        """The issuer's head withdraws a suggestion not yet received, with a reason."""
        return services.suggestion_withdraw(suggestion=s, by=request.user, reason=data["reason"])

    @record_action("suggestion.request_extension", request=ExtensionRequestSerializer, code=201, summary=_("申请延期"))
    def request_extension(self, request, s, data):
        """The recipient asks the issuer for more days to reply."""
        services.extension_request(suggestion=s, by=request.user, days=data["days"], reasons=data["reasons"])

    @record_action("extension.decide", subject="pending_of", request=ExtensionDecideSerializer, summary=_("审批延期"))
    def decide_extension(self, request, extension, data):
        """The issuer's head approves (the deadline moves) or refuses (with a reason) an extension."""
        extension = _one_of(extension.suggestion.extensions.all(), "extension", data)
        services.extension_decide(extension=extension, by=request.user, approve=data["approve"], reason=data["reason"])

    # ---------------------------------------------------------------- attachments
    # The suggestion's own files (the 建议书's 附件) and a reply's (the 复函's): listed for whoever
    # may see the record, uploaded (multipart, several `file` parts, all or none) and removed while
    # it may be edited: 404 (not visible) → 403 (may not edit it) → 409 (no longer editable) → 400
    # (the files, under the letters' upload rules) — the order of every record action.

    def _reply(self, s, reply_uuid) -> Reply:
        """A reply of this suggestion the user may see (one not yet sent: only inside the recipient), else 404."""
        found = next((r for r in page_selectors.replies_for(self.request.user, s) if str(r.uuid) == reply_uuid), None)
        if found is None:
            raise exceptions.NotFound()
        found.suggestion = s
        return found

    @extend_schema(
        tags=["suggestions"],
        methods=["GET"],
        summary=_("建议的附件"),
        description=_("建议本身的附件（发出后即建议书的附件）。"),
        responses={200: FILES, **errors(404)},
    )
    @extend_schema(
        tags=["suggestions"],
        methods=["POST"],
        summary=_("上传建议附件"),
        description=_("草稿可以上传附件（发起单位）；与公文附件相同的上传规则，全部通过才保存。"),
        request=UPLOAD,
        responses={201: FILES, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["get", "post"], url_path="attachments", url_name="attachments")
    def attachments(self, request, uuid=None):
        s = self.get_object()
        if request.method == "POST":
            access.require(request.user, "suggestion.edit", s)
            data = self.validated(AttachmentUploadSerializer)
            services.suggestion_attach_files(suggestion=s, by=request.user, files=data["file"])
            return Response(_files_of(s).data, status=status.HTTP_201_CREATED)
        return _files_of(s)

    @extend_schema(
        tags=["suggestions"],
        summary=_("删除建议附件"),
        parameters=[ATTACHMENT_UUID],
        description=_("草稿的附件可以删除（发起单位）。"),
        request=None,
        responses={204: None, **errors(403, 404, 409)},
    )
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<attachment_uuid>[^/.]+)")
    def remove_attachment(self, request, uuid=None, attachment_uuid=None):
        s = self.get_object()
        attachment = _file_of(s, attachment_uuid)
        access.require(request.user, "suggestion.edit", s)
        services.suggestion_detach(suggestion=s, by=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["suggestions"],
        methods=["GET"],
        summary=_("书面回复的附件"),
        parameters=[REPLY_UUID],
        description=_("回复的附件（签发后即回复函的附件）；签发前仅被建议单位可见。"),
        responses={200: FILES, **errors(404)},
    )
    @extend_schema(
        tags=["suggestions"],
        methods=["POST"],
        summary=_("上传回复附件"),
        parameters=[REPLY_UUID],
        description=_("尚未签发的回复可以上传附件（被建议单位）；与公文附件相同的上传规则，全部通过才保存。"),
        request=UPLOAD,
        responses={201: FILES, **errors(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path=r"replies/(?P<reply_uuid>[^/.]+)/attachments",
        url_name="reply-attachments",
    )
    def reply_attachments(self, request, uuid=None, reply_uuid=None):
        reply = self._reply(self.get_object(), reply_uuid)
        if request.method == "POST":
            access.require(request.user, "reply.edit", reply)
            data = self.validated(AttachmentUploadSerializer)
            services.reply_attach_files(reply=reply, by=request.user, files=data["file"])
            return Response(_files_of(reply).data, status=status.HTTP_201_CREATED)
        return _files_of(reply)

    @extend_schema(
        tags=["suggestions"],
        summary=_("删除回复附件"),
        parameters=[REPLY_UUID, ATTACHMENT_UUID],
        description=_("尚未签发的回复的附件可以删除（被建议单位）。"),
        request=None,
        responses={204: None, **errors(403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"replies/(?P<reply_uuid>[^/.]+)/attachments/(?P<attachment_uuid>[^/.]+)",
    )
    def remove_reply_attachment(self, request, uuid=None, reply_uuid=None, attachment_uuid=None):
        reply = self._reply(self.get_object(), reply_uuid)
        attachment = _file_of(reply, attachment_uuid)
        access.require(request.user, "reply.edit", reply)
        services.reply_detach(reply=reply, by=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SuggestionStatisticsView(APIView):
    """Reply and on-time rates per issuer, recipient, region or kind, with numerators and denominators."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["suggestions"],
        summary=_("建议回复情况统计"),
        parameters=[StatisticsQuerySerializer],
        responses={200: StatisticsSerializer, **errors(400)},
    )
    def get(self, request):
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        payload = statistics_payload(user=request.user, **query.validated_data)
        return Response(StatisticsSerializer(payload).data)


@extend_schema_view(
    list=extend_schema(
        tags=["filings"], summary=_("备案登记"), responses={200: FilingSerializer(many=True), **errors(400, 404)}
    ),
    retrieve=extend_schema(tags=["filings"], summary=_("备案详情"), responses={200: FilingSerializer, **errors(404)}),
    create=extend_schema(
        tags=["filings"],
        summary=_("备案（检察院向领导小组办公室）"),
        request=FilingCreateSerializer,
        responses={201: FilingSerializer, **errors(400, 403)},
    ),
)
class FilingViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Filings (备案): the procuratorate files major supervision cases and its suggestions with the office."""

    model = Filing
    detail_serializer = FilingSerializer
    filterset_class = FilingFilter

    def decorate(self, qs):
        return qs.select_related("procuratorate", "office", "suggestion__letter")

    def create(self, request, *args, **kwargs):
        access.require(request.user, "filing.create")
        filing = services.filing_create(by=request.user, **self.validated(FilingCreateSerializer))
        return self.detail_response(filing, status.HTTP_201_CREATED)
