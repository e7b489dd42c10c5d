"""/api/v1/enforcements/ (裁执分离), /api/v1/supervisions/ (执行监督申请) and
/api/v1/clues/ (违法线索移送)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from liaison.api.records import RecordViewSet, record_action
from liaison.api.serializers import ExplainedField, ScopedSlugRelatedField

from .. import selectors, services
from ..filters import ClueFilter, EnforcementFilter, SupervisionFilter
from ..listings import ENFORCEMENTS, SUPERVISIONS
from ..models import AdministrativeCase, ClueTransfer, Enforcement, SupervisionApplication
from ._common import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    AllowedActionsField,
    CreatesRecord,
    VisibleCaseField,
    VisibleLetterField,
    institution_field,
    ref,
    with_visible_case,
    with_visible_letters,
)

ES = Enforcement.Status


# ============================================================================= enforcements


class EnforcementListSerializer(serializers.ModelSerializer):
    court = ref()
    applicant = ref()
    assignee = ref(allow_null=True)
    basis_display = serializers.CharField(source="get_basis_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    ruling_display = serializers.CharField(source="get_ruling_display", read_only=True)

    class Meta:
        model = Enforcement
        fields = [
            "uuid",
            "court",
            "applicant",
            "basis",
            "basis_display",
            "basis_reference",
            "respondent",
            "money_obligation",
            "applied_on",
            "status",
            "status_display",
            "ruling",
            "ruling_display",
            "ruled_on",
            "assignee",
            "feedback_due",
            "feedback_on",
        ]
        read_only_fields = fields


class EnforcementDetailSerializer(EnforcementListSerializer):
    case = VisibleCaseField()
    feedback_due_explained = ExplainedField()
    assignment_letter = VisibleLetterField("assignment_letter", help_text=_("法院的组织实施函（本单位可见时）。"))
    feedback_letter = VisibleLetterField("feedback_letter", help_text=_("组织实施机关的书面反馈函（本单位可见时）。"))
    allowed_actions = AllowedActionsField()

    class Meta(EnforcementListSerializer.Meta):
        fields = EnforcementListSerializer.Meta.fields + [
            "case",
            "obligation",
            "ruling_reasons",
            "feedback_due_explained",
            "assignment_letter",
            "feedback_letter",
            "created_at",
            "allowed_actions",
        ]
        read_only_fields = fields


class EnforcementCreateSerializer(serializers.Serializer):
    applicant = institution_field(help_text=_("申请执行的行政机关的 uuid。"))
    basis = serializers.ChoiceField(choices=Enforcement.Basis.choices)
    basis_reference = serializers.CharField(max_length=100, help_text=_("执行依据文号。"))
    respondent = serializers.CharField(max_length=200, help_text=_("被执行人。"))
    obligation = serializers.CharField(max_length=20000, help_text=_("执行内容。"))
    money_obligation = serializers.BooleanField(default=False, help_text=_("金钱给付义务由法院执行。"))
    applied_on = serializers.DateField()
    case = ScopedSlugRelatedField(
        queryset=AdministrativeCase.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("执行生效裁判时：本院案件的 uuid。"),
    )


class EnforcementRuleSerializer(serializers.Serializer):
    RULINGS = [(r.value, r.label) for r in (Enforcement.Ruling.GRANTED, Enforcement.Ruling.REFUSED)]

    ruling = serializers.ChoiceField(choices=RULINGS)
    ruled_on = serializers.DateField()
    reasons = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default="", help_text=_("不准予执行时必填。")
    )
    assignee = institution_field(
        required=False, allow_null=True, help_text=_("准予执行非金钱给付义务时：组织实施的政府或其指定机关的 uuid。")
    )


class EnforcementFeedbackSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=20000, help_text=_("组织实施情况（反馈函正文）。"))


class FeedbackResultSerializer(serializers.Serializer):
    letter = serializers.UUIDField(help_text=_("反馈函的 uuid（负责人在公文页面签发）。"))
    letter_status = serializers.CharField()
    enforcement = EnforcementDetailSerializer()


@extend_schema_view(
    list=extend_schema(
        tags=["enforcements"],
        summary=_("裁执分离执行案件列表"),
        responses={200: EnforcementListSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["enforcements"],
        summary=_("执行案件详情"),
        responses={200: EnforcementDetailSerializer, **DETAIL_ERRORS},
    ),
    create=extend_schema(
        tags=["enforcements"],
        summary=_("登记执行申请（法院）"),
        request=EnforcementCreateSerializer,
        responses={201: EnforcementDetailSerializer, **CREATE_ERRORS},
    ),
)
class EnforcementViewSet(CreatesRecord, RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Enforcement separated from adjudication: the court's ruling; non-money obligations go to the
    government or its agency by a numbered letter, which reports the result in writing."""

    schema_tag = "enforcements"
    list_serializer = EnforcementListSerializer
    detail_serializer = EnforcementDetailSerializer
    filterset_class = EnforcementFilter
    listing = ENFORCEMENTS
    http_method_names = ["get", "post", "head", "options"]
    create_verb = "enforcement.create"
    create_serializer = EnforcementCreateSerializer
    create_service = staticmethod(services.enforcement_create)

    def base_queryset(self):
        return selectors.enforcement_list(user=self.request.user)

    def decorate(self, qs):
        if self.is_list:
            return qs
        user = self.request.user
        return with_visible_letters(with_visible_case(qs, user), user, "assignment_letter", "feedback_letter")

    @record_action("enforcement.rule", request=EnforcementRuleSerializer, summary=_("审查裁定"))
    def rule(self, request, e, data):
        """The court rules; a granted non-money obligation goes to the assignee by a numbered letter
        (issued at once when the court's head rules, else pending the head's sign-off)."""
        return services.enforcement_rule(enforcement=e, by=request.user, **data)

    @record_action(
        "enforcement.feedback",
        request=EnforcementFeedbackSerializer,
        response=FeedbackResultSerializer,
        code=201,
        summary=_("书面反馈"),
    )
    def feedback(self, request, e, data):
        """The assignee drafts its written feedback to the court (a 复函) and submits it for its head's
        sign-off (a head's is issued at once); issuing it closes the obligation."""
        letter = services.enforcement_feedback_draft(enforcement=e, by=request.user, result=data["result"])
        payload = {
            "letter": str(letter.uuid),
            "letter_status": letter.status,
            "enforcement": self.detail_response(e).data,
        }
        return Response(payload, status=status.HTTP_201_CREATED)


# ============================================================================= supervision applications


class SupervisionSerializer(serializers.ModelSerializer):
    procuratorate = ref()
    court = ref()
    enforcing_agency = ref()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = SupervisionApplication
        fields = [
            "uuid",
            "procuratorate",
            "applicant",
            "court",
            "enforcing_agency",
            "received_on",
            "decision_due",
            "status",
            "status_display",
            "decision",
            "decision_display",
            "decided_on",
        ]
        read_only_fields = fields


class SupervisionDetailSerializer(SupervisionSerializer):
    decision_due_explained = ExplainedField()
    enforcement = serializers.SerializerMethodField()
    allowed_actions = AllowedActionsField()

    class Meta(SupervisionSerializer.Meta):
        fields = SupervisionSerializer.Meta.fields + [
            "request",
            "decision_due_explained",
            "decision_reasons",
            "enforcement",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_enforcement(self, app):
        """The enforcement case the application concerns (its uuid, when the user may see it)."""
        return str(app.enforcement.uuid) if app.enforcement_id and getattr(app, "enforcement_visible", False) else None


class SupervisionCreateSerializer(serializers.Serializer):
    applicant = serializers.CharField(max_length=200, help_text=_("申请人（被执行人）。"))
    court = institution_field(help_text=_("作出准予执行裁定的法院的 uuid。"))
    enforcing_agency = institution_field(help_text=_("实施强制执行的行政机关的 uuid。"))
    request = serializers.CharField(max_length=20000, help_text=_("申请事项与理由。"))
    received_on = serializers.DateField(help_text=_("收到申请日期；决定期限自此起算。"))
    enforcement = ScopedSlugRelatedField(
        queryset=Enforcement.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("涉及的执行案件 uuid（本院可见时）。"),
    )


class SupervisionDecideSerializer(serializers.Serializer):
    DECISIONS = [
        (d.value, d.label)
        for d in (SupervisionApplication.Decision.SUPPORT, SupervisionApplication.Decision.NOT_SUPPORT)
    ]

    decision = serializers.ChoiceField(choices=DECISIONS)
    reasons = serializers.CharField(max_length=20000)
    decided_on = serializers.DateField(required=False, help_text=_("决定日期，默认为今天。"))


@extend_schema_view(
    list=extend_schema(
        tags=["supervisions"],
        summary=_("执行监督申请列表"),
        responses={200: SupervisionSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["supervisions"],
        summary=_("执行监督申请详情"),
        responses={200: SupervisionDetailSerializer, **DETAIL_ERRORS},
    ),
    create=extend_schema(
        tags=["supervisions"],
        summary=_("受理执行监督申请（检察院）"),
        request=SupervisionCreateSerializer,
        responses={201: SupervisionDetailSerializer, **CREATE_ERRORS},
    ),
)
class SupervisionViewSet(CreatesRecord, RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Enforcement-supervision applications to the procuratorate: 函告 to the court and the
    enforcing agency, and the decision to support the application or not."""

    schema_tag = "supervisions"
    list_serializer = SupervisionSerializer
    detail_serializer = SupervisionDetailSerializer
    filterset_class = SupervisionFilter
    listing = SUPERVISIONS
    http_method_names = ["get", "post", "head", "options"]
    create_verb = "supervision.create"
    create_serializer = SupervisionCreateSerializer
    create_service = staticmethod(services.supervision_create)

    def base_queryset(self):
        return selectors.supervision_list(user=self.request.user)

    def decorate(self, qs):
        if self.is_list:
            return qs
        visible = Enforcement.objects.visible_to(self.request.user).filter(pk=OuterRef("enforcement_id"))
        return qs.annotate(enforcement_visible=Exists(visible))

    @record_action("supervision.decide", request=SupervisionDecideSerializer, summary=_("作出决定"))
    def decide(self, request, app, data):
        """The procuratorate decides to support the application or not, with reasons."""
        return services.supervision_decide(application=app, by=request.user, **data)


# ============================================================================= clue transfers


class ClueSerializer(serializers.ModelSerializer):
    sender = ref()
    recipient = ref()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ClueTransfer
        fields = [
            "uuid",
            "sender",
            "recipient",
            "sent_on",
            "status",
            "status_display",
            "received_on",
            "handled_on",
        ]
        read_only_fields = fields


class ClueDetailSerializer(ClueSerializer):
    case = VisibleCaseField()
    allowed_actions = AllowedActionsField()

    class Meta(ClueSerializer.Meta):
        fields = ClueSerializer.Meta.fields + ["summary", "handling_result", "case", "allowed_actions"]
        read_only_fields = fields


class ClueCreateSerializer(serializers.Serializer):
    recipient = institution_field(help_text=_("接收线索的单位的 uuid。"))
    summary = serializers.CharField(max_length=20000, help_text=_("线索内容。"))
    sent_on = serializers.DateField()
    case = ScopedSlugRelatedField(
        queryset=AdministrativeCase.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("相关行政案件的 uuid（本单位可见时）。"),
    )


class ClueReceiveSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, help_text=_("接收日期，默认为今天。"))


class ClueHandleSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=20000, help_text=_("处理结果。"))
    handled_on = serializers.DateField(required=False, help_text=_("办结日期，默认为今天。"))


@extend_schema_view(
    list=extend_schema(
        tags=["clues"], summary=_("违法线索移送列表"), responses={200: ClueSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["clues"], summary=_("违法线索详情"), responses={200: ClueDetailSerializer, **DETAIL_ERRORS}
    ),
    create=extend_schema(
        tags=["clues"],
        summary=_("移送违法线索"),
        request=ClueCreateSerializer,
        responses={201: ClueDetailSerializer, **CREATE_ERRORS},
    ),
)
class ClueViewSet(CreatesRecord, RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Transfers of violation clues between government, court and procuratorate; the recipient
    receives and handles them within the configured period (its ledger entry)."""

    schema_tag = "clues"
    list_serializer = ClueSerializer
    detail_serializer = ClueDetailSerializer
    filterset_class = ClueFilter
    http_method_names = ["get", "post", "head", "options"]
    create_verb = "clue.create"
    create_serializer = ClueCreateSerializer
    create_service = staticmethod(services.clue_transfer_send)

    def base_queryset(self):
        return selectors.clue_list(user=self.request.user)

    def decorate(self, qs):
        return qs if self.is_list else with_visible_case(qs, self.request.user)

    @record_action("clue.receive", request=ClueReceiveSerializer, summary=_("接收线索"))
    def receive(self, request, clue, data):
        return services.clue_transfer_receive(clue=clue, by=request.user, **data)

    @record_action("clue.handle", request=ClueHandleSerializer, summary=_("办结线索"))
    def handle(self, request, clue, data):
        return services.clue_transfer_handle(clue=clue, by=request.user, **data)
