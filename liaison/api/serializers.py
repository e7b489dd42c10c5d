"""Serializers of the hub's API.

Read serializers describe records; write serializers only check the shape of the input
(types, lengths, choices) and resolve ids through tenant-scoped querysets. Business rules
(who may, which state, which dates) stay in `liaison.services` and `liaison.access`.
Fields a client must not set — issuer, owner, institution, status, document number —
simply do not exist on the write serializers, so posting them changes nothing.
"""

import uuid

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import access, workflow
from ..models import Attachment, Delivery, Inspection, Institution, LedgerEntry, Letter, Notification
from . import fast

# ----------------------------------------------------------------------------- fields


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A related id (a uuid by default) resolved only among the rows the user may see.

    A foreign or made-up id gets the same field error as a missing one, so the answer
    never tells whether the row exists elsewhere.
    """

    default_error_messages = {
        "does_not_exist": _("不存在或无权访问。"),
        "invalid": _("无效的标识。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.queryset.none()
        return self.queryset.visible_to(user)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return self.get_queryset().get(**{self.slug_field: data})
        except (ObjectDoesNotExist, DjangoValidationError, TypeError, ValueError):
            self.fail("does_not_exist")


class BoundedListField(serializers.ListField):
    """A list whose length is checked before any item is: 100,000 items answer 400 at once
    instead of validating (and querying for) each of them first (DRF checks the length last)."""

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class ScopedSlugListField(BoundedListField):
    """A list of related ids (uuids) resolved among the rows the user may see in one query.

    Each id that is malformed, missing or invisible gets the same error as ScopedSlugRelatedField,
    under its index; duplicates are kept (the caller's validator says what is wrong with them)."""

    def __init__(self, *, queryset, slug_field="uuid", **kwargs):
        kwargs.setdefault("max_length", 100)
        self.slug_field = slug_field
        super().__init__(child=ScopedSlugRelatedField(queryset=queryset, slug_field=slug_field), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if self.min_length is not None and len(data) < self.min_length:
            self.fail("min_length", min_length=self.min_length)
        child = self.child
        keys, errors = {}, {}
        for index, item in enumerate(data):
            try:
                if not isinstance(item, str):
                    raise TypeError
                keys[index] = str(uuid.UUID(item)) if self.slug_field == "uuid" else item
            except (TypeError, ValueError):
                errors[index] = [child.error_messages["invalid"]]
        found = {}
        if keys:
            rows = child.get_queryset().filter(**{f"{self.slug_field}__in": set(keys.values())})
            found = {str(getattr(row, self.slug_field)): row for row in rows}
        result = []
        for index, key in keys.items():
            if key not in found:
                errors[index] = [child.error_messages["does_not_exist"]]
            else:
                result.append(found[key])
        if errors:
            raise serializers.ValidationError(errors)
        return result


def institution_list_field(**kwargs):
    return ScopedSlugListField(queryset=Institution.objects.filter(is_active=True), **kwargs)


def _no_duplicates(institutions):
    if len({i.pk for i in institutions}) != len(institutions):
        raise serializers.ValidationError(_("同一机关不能重复选择。"))
    return institutions


# ----------------------------------------------------------------------------- institutions


class InstitutionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["uuid", "name", "short_name", "kind"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)

    class Meta:
        model = Institution
        fields = [
            "uuid",
            "name",
            "short_name",
            "code",
            "kind",
            "kind_display",
            "level",
            "level_display",
            "region",
            "region_name",
            "parent",
            "is_active",
        ]
        read_only_fields = fields


# ----------------------------------------------------------------------------- letters


class LetterRefSerializer(serializers.ModelSerializer):
    """A linked letter (a 复函, the letter it answers, a case's or a record's letter): named only to
    those who may open it, which the caller checks (liaison.links)."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Letter
        fields = ["uuid", "doc_number", "title", "status", "status_display"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    """One recipient's copy. Receipt details of other recipients are shown only to those
    who follow receipts (the issuer and the office, `letter.track`)."""

    RECEIPT_FIELDS = ("delivered_at", "signed_on", "signed_at", "read_at", "state", "reply_state", "reply")

    recipient = InstitutionRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.ChoiceField(choices=["pending", "delivered", "signed", "read"], read_only=True, allow_null=True)
    reply_due = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("要求回复日期（主送机关，来文要求复函时）。")
    )
    reply_state = serializers.SerializerMethodField(
        help_text=_("复函情况：awaiting 待复函，overdue 已逾期，replied 已复函；未要求复函为空。")
    )
    reply = serializers.SerializerMethodField(help_text=_("已签发的复函（公文详情中，且仅当用户可以查看该复函）。"))

    class Meta:
        model = Delivery
        fields = [
            "uuid",
            "recipient",
            "kind",
            "kind_display",
            "delivered_at",
            "signed_on",
            "signed_at",
            "read_at",
            "state",
            "reply_due",
            "reply_state",
            "reply",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=["awaiting", "overdue", "replied"], allow_null=True, read_only=True)
    )
    def get_reply_state(self, delivery):
        due = delivery.reply_due
        if due is None:
            return None
        if delivery.reply_id is not None:
            return "replied"
        return "overdue" if due < timezone.localdate() else "awaiting"

    @extend_schema_field(LetterRefSerializer(allow_null=True))
    def get_reply(self, delivery):
        """Only in a letter's detail (one check per answered copy), for those who may open the reply."""
        if delivery.reply_id is None or not self.context.get("with_replies"):
            return None
        from .. import links

        reply = delivery.reply
        return fast.ref(LetterRefSerializer, reply) if links.is_visible(self.context["request"].user, reply) else None

    def to_representation(self, delivery):
        data = fast.representation(self, delivery)
        own = delivery.recipient_id == self.context.get("institution_id")
        if not own and not self.context.get("track_receipts"):
            for name in self.RECEIPT_FIELDS:
                data[name] = None
        return data


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["uuid", "name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    """Files for a record (multipart/form-data): one or more parts named `file`, all stored or none."""

    file = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        help_text=_("一个或多个文件（重复 file 字段）：PDF、OFD、Word、Excel、WPS、PNG、JPEG，全部通过才保存。"),
    )


class LetterListSerializer(serializers.ModelSerializer):
    issuer = InstitutionRefSerializer(read_only=True)
    series_display = serializers.CharField(source="get_series_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    addressees = serializers.SerializerMethodField()
    cc = serializers.SerializerMethodField()
    my_delivery = serializers.SerializerMethodField()
    has_pdf = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "uuid",
            "doc_number",
            "title",
            "series",
            "series_display",
            "status",
            "status_display",
            "urgency",
            "issuer",
            "addressees",
            "cc",
            "created_at",
            "submitted_at",
            "issued_on",
            "issued_at",
            "reply_by",
            "has_pdf",
            "my_delivery",
        ]
        read_only_fields = fields

    # One serializer of each kind per list, reused for every row: building a fresh
    # InstitutionRefSerializer/DeliverySerializer per row cost more than the SQL.
    def _copies(self, letter):
        """The letter's (prefetched) deliveries, read once per row for the fields that use them."""
        last = self.__dict__.get("_last_copies")
        if last is None or last[0] is not letter:
            last = self._last_copies = (letter, list(letter.deliveries.all()))
        return last[1]

    def _recipients(self, letter, kind):
        return fast.ref(
            InstitutionRefSerializer, [d.recipient for d in self._copies(letter) if d.kind == kind], many=True
        )

    @extend_schema_field(InstitutionRefSerializer(many=True))
    def get_addressees(self, letter):
        return self._recipients(letter, Delivery.Kind.TO)

    @extend_schema_field(InstitutionRefSerializer(many=True))
    def get_cc(self, letter):
        return self._recipients(letter, Delivery.Kind.CC)

    @extend_schema_field(DeliverySerializer(allow_null=True))
    def get_my_delivery(self, letter):
        """The copy addressed to the user's own institution, if the letter reached it."""
        institution_id = self.context.get("institution_id")
        if not letter.is_issued or institution_id is None:
            return None
        for delivery in self._copies(letter):
            if delivery.recipient_id == institution_id:
                own = getattr(self, "_delivery_serializer", None)
                if own is None:
                    own = self._delivery_serializer = DeliverySerializer(context=self.context)
                return own.to_representation(delivery)
        return None

    def get_has_pdf(self, letter) -> bool:
        return bool(letter.pdf_sha256)


class LetterDetailSerializer(LetterListSerializer):
    deliveries = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()
    shared_with = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    in_reply_to = serializers.SerializerMethodField()

    class Meta(LetterListSerializer.Meta):
        fields = LetterListSerializer.Meta.fields + [
            "in_reply_to",
            "body",
            "signatory",
            "pdf_sha256",
            "pdf_url",
            "deliveries",
            "attachments",
            "shared_with",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(DeliverySerializer(many=True))
    def get_deliveries(self, letter):
        context = {
            **self.context,
            "track_receipts": access.can(self._user(), "letter.track", letter),
            "with_replies": True,
        }
        return DeliverySerializer(letter.deliveries.all(), many=True, context=context).data

    @extend_schema_field(LetterRefSerializer(allow_null=True))
    def get_in_reply_to(self, letter):
        """The letter this 复函 answers, when the user may open it."""
        from .. import links

        answered = links.linked(self._user(), letter, "in_reply_to")
        return LetterRefSerializer(answered).data if answered is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, letter):
        if not letter.pdf_sha256:
            return None
        from django.urls import reverse

        return reverse("api:letter-pdf", kwargs={"uuid": letter.uuid})

    @extend_schema_field(InstitutionRefSerializer(many=True))
    def get_shared_with(self, letter):
        """Only the issuer sees whom its letter was shared with."""
        if not access.can(self._user(), "letter.share", letter):
            return []
        return InstitutionRefSerializer(access.shared_institutions(letter), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, letter):
        """What the user may do now: the letter's declared transitions and its own delivery's
        (liaison/flows.py); every action is checked again."""
        user = self._user()
        own = next((d for d in letter.deliveries.all() if d.recipient_id == self.context.get("institution_id")), None)
        actions = workflow.api_actions(user, letter)
        if own is not None and letter.is_issued:
            actions += workflow.api_actions(user, own)
        return actions


class LetterWriteSerializer(serializers.Serializer):
    """A draft's content. Addressees and cc are institution uuids from the directory."""

    URGENCY_CHOICES = [("", "—"), ("加急", "加急"), ("特急", "特急")]

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50000)
    series = serializers.ChoiceField(choices=Letter.Series.choices, default=Letter.Series.HAN)
    signatory = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=URGENCY_CHOICES, required=False, allow_blank=True, default="")
    addressees = institution_list_field(allow_empty=False, help_text=_("主送机关的 uuid 列表。"))
    cc = institution_list_field(required=False, default=list, help_text=_("抄送机关的 uuid 列表。"))
    reply_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("要求回复日期：主送机关须在此日前复函；不早于今天。null 为不要求复函。"),
    )
    in_reply_to = ScopedSlugRelatedField(
        queryset=Letter.objects.all(),
        required=False,
        help_text=_("复函所答复来文的 uuid（仅起草时；须为本单位收到并已签收的公文）。"),
    )

    def validate_addressees(self, value):
        return _no_duplicates(value)

    def validate_cc(self, value):
        return _no_duplicates(value)


class LetterReplySerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("默认为“关于……的复函”。")
    )
    body = serializers.CharField(max_length=50000, required=False, allow_blank=True)


class LetterReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("退回修改的理由。"))


class LetterIssueSerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False, help_text=_("成文日期，默认为今天。"))


class DeliverySignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False, help_text=_("签收日期（纸质送达时可补录），默认为今天。"))


class LetterShareSerializer(serializers.Serializer):
    institution = ScopedSlugRelatedField(queryset=Institution.objects.all(), help_text=_("机关的 uuid。"))


# ----------------------------------------------------------------------------- ledger


class LedgerUrgeRecordSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="created_at")
    message = serializers.CharField()
    letter = serializers.SerializerMethodField(help_text=_("督办函的文号（签发前为空）；看不到该函的用户为空。"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_letter(self, urge):
        from .. import links

        if urge.letter_id is None or not urge.letter.doc_number:
            return None
        return urge.letter.doc_number if links.is_visible(self.context["request"].user, urge.letter) else None


class ExplainedField(serializers.CharField):
    """A stored deadline explanation (`Deadline.explain`) in the reader's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("期限计算，以用户选择的界面语言显示。"))
        super().__init__(**kwargs)

    def to_representation(self, value):
        from ..calendar import explain_shown

        return explain_shown(super().to_representation(value))


class LedgerEntrySerializer(serializers.ModelSerializer):
    owner = InstitutionRefSerializer(read_only=True)
    title = serializers.CharField(
        source="display_title", read_only=True, help_text=_("事项，以用户选择的界面语言显示。")
    )
    due_explained = ExplainedField()
    unit_display = serializers.CharField(source="get_unit_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_kind = serializers.SerializerMethodField()
    urges = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "uuid",
            "owner",
            "title",
            "start_date",
            "period",
            "unit",
            "unit_display",
            "due_date",
            "due_explained",
            "status",
            "status_display",
            "evidence",
            "done_on",
            "clause",
            "created_at",
            "source_kind",
            "urges",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_source_kind(self, entry):
        """The kind of record the obligation comes from (e.g. "suggestions.suggestion")."""
        return f"{entry.source_type.app_label}.{entry.source_type.model}" if entry.source_type_id else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, entry):
        return workflow.api_actions(self.context["request"].user, entry)

    @extend_schema_field(LedgerUrgeRecordSerializer(many=True))
    def get_urges(self, entry):
        """催办 records (the list shows none: only an entry's detail reads them)."""
        if self.context.get("view") is not None and getattr(self.context["view"], "action", "") == "list":
            return []
        return LedgerUrgeRecordSerializer(
            entry.urges.select_related("letter").order_by("created_at", "id"), many=True, context=self.context
        ).data


class LedgerCompleteSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=5000, help_text=_("办结情况。"))
    done_on = serializers.DateField(required=False, help_text=_("办结日期，默认为今天。"))


class LedgerExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, help_text=_("自原截止日期起延长的天数。"))
    reason = serializers.CharField(max_length=2000, help_text=_("延期的理由。"))


class LedgerWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("免除的理由。"))


class LedgerUrgeSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, help_text=_("催办意见，通知责任单位。"))
    letter = serializers.BooleanField(
        required=False, default=False, help_text=_("同时起草督办函并提交办公室负责人签发。")
    )


class LedgerCreateSerializer(serializers.Serializer):
    owner = ScopedSlugRelatedField(
        queryset=Institution.objects.all(), help_text=_("责任单位 uuid（本办公室所辖区域）。")
    )
    title = serializers.CharField(max_length=200)
    clause = serializers.CharField(max_length=20, help_text=_("工作方案条目，如“四(二)3”。"))
    due_date = serializers.DateField(help_text=_("截止日期，晚于今天。"))


# ----------------------------------------------------------------------------- inspections


class SnapshotEntrySerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    owner = serializers.CharField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    due_explained = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    evidence = serializers.CharField()
    clause = serializers.CharField(required=False)


class InspectionListSerializer(serializers.ModelSerializer):
    institution = InstitutionRefSerializer(read_only=True)
    created_by = serializers.StringRelatedField()

    class Meta:
        model = Inspection
        fields = ["uuid", "title", "clause", "institution", "created_by", "created_at", "findings"]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionListSerializer):
    snapshot = SnapshotEntrySerializer(many=True, read_only=True)

    class Meta(InspectionListSerializer.Meta):
        fields = InspectionListSerializer.Meta.fields + ["snapshot"]
        read_only_fields = fields


class InspectionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    clause = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text=_("只检查服务于该工作方案条目的事项。")
    )
    findings = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    entries = ScopedSlugListField(
        queryset=LedgerEntry.objects.all(),
        required=False,
        allow_empty=False,
        max_length=5000,
        help_text=_("要检查的台账事项 uuid；省略则为本单位可见的全部事项。"),
    )


# ----------------------------------------------------------------------------- notifications, calendar, auth


class NotificationSerializer(serializers.ModelSerializer):
    # A reminder's body is its entry's deadline explanation: in the reader's language too.
    body = ExplainedField(help_text=_("正文"))
    title = serializers.CharField(
        source="display_title", read_only=True, help_text=_("标题，以用户选择的界面语言显示。")
    )

    class Meta:
        model = Notification
        fields = ["uuid", "kind", "title", "body", "url", "created_at", "read_at", "settled_at"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class DeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("起算日（不计入期限）。"))
    period = serializers.IntegerField(min_value=0, max_value=3660)
    unit = serializers.ChoiceField(choices=LedgerEntry.Unit.choices, default=LedgerEntry.Unit.DAYS)

    def validate_start(self, value):
        # Keeps the arithmetic away from date overflow; real deadlines are nowhere near.
        if not (1949 <= value.year <= 2199):
            raise serializers.ValidationError(_("起算日超出范围。"))
        return value


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    period = serializers.IntegerField()
    unit = serializers.CharField()
    nominal = serializers.DateField(help_text=_("按期限计算的日期。"))
    due = serializers.DateField(help_text=_("顺延节假日后的截止日期。"))
    reason = serializers.CharField(help_text=_("顺延的原因（未顺延时为空）。"))
    explained = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, write_only=True, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
