"""/api/v1/disputes/ (行政争议诉前化解) and /api/v1/coordinations/ (重大案件协调).

A coordination is opened from its case (`POST /api/v1/cases/{uuid}/coordinations/`);
a dispute is taken up by a court or a government."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from liaison.api.records import RecordViewSet, record_action
from liaison.api.serializers import ScopedSlugRelatedField

from .. import selectors, services
from ..filters import CoordinationFilter, DisputeFilter
from ..models import AdministrativeCase, Communication, Coordination, Dispute, MediationSession
from ._common import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    AllowedActionsField,
    CreatesRecord,
    VisibleCaseField,
    institution_field,
    ref,
    with_visible_case,
)

# ============================================================================= disputes


class MediationSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["held_on", "location", "participants", "result"]
        read_only_fields = fields


class DisputeListSerializer(serializers.ModelSerializer):
    agency = ref()
    government = ref()
    court = ref()
    procuratorate = ref(allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "uuid",
            "title",
            "applicant",
            "agency",
            "government",
            "court",
            "procuratorate",
            "received_on",
            "status",
            "status_display",
            "outcome_on",
        ]
        read_only_fields = fields


class DisputeDetailSerializer(DisputeListSerializer):
    case = VisibleCaseField(help_text=_("立案受理后关联的行政案件（本单位可见时）。"))
    sessions = MediationSessionSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField()

    class Meta(DisputeListSerializer.Meta):
        fields = DisputeListSerializer.Meta.fields + [
            "summary",
            "outcome_notes",
            "case",
            "sessions",
            "created_at",
            "allowed_actions",
        ]
        read_only_fields = fields


class DisputeCreateSerializer(serializers.Serializer):
    """A court names the government (default: the agency's); a government names the court."""

    title = serializers.CharField(max_length=200)
    applicant = serializers.CharField(max_length=200)
    agency = institution_field(help_text=_("涉事行政机关的 uuid。"))
    summary = serializers.CharField(max_length=20000)
    received_on = serializers.DateField()
    court = institution_field(required=False, allow_null=True, help_text=_("政府受理时必填：参与化解的法院。"))
    government = institution_field(
        required=False, allow_null=True, help_text=_("法院受理时可选，默认为涉事机关所属政府。")
    )
    procuratorate = institution_field(required=False, allow_null=True, help_text=_("参与化解的检察院（可选）。"))


class MediationCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    location = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    participants = serializers.CharField(max_length=2000)
    result = serializers.CharField(max_length=20000)


class DisputeConcludeSerializer(serializers.Serializer):
    RESULTS = [(s.value, s.label) for s in (Dispute.Status.RESOLVED, Dispute.Status.WITHDRAWN, Dispute.Status.FILED)]

    result = serializers.ChoiceField(choices=RESULTS, help_text=_("化解结果：诉前化解、申请人撤回或立案受理。"))
    outcome_on = serializers.DateField()
    notes = serializers.CharField(max_length=20000)
    case = ScopedSlugRelatedField(
        queryset=AdministrativeCase.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("立案受理时：该行政案件的 uuid。"),
    )


@extend_schema_view(
    list=extend_schema(
        tags=["disputes"], summary=_("诉前化解列表"), responses={200: DisputeListSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["disputes"], summary=_("诉前化解详情"), responses={200: DisputeDetailSerializer, **DETAIL_ERRORS}
    ),
    create=extend_schema(
        tags=["disputes"],
        summary=_("受理行政争议诉前化解（法院或政府）"),
        request=DisputeCreateSerializer,
        responses={201: DisputeDetailSerializer, **CREATE_ERRORS},
    ),
)
class DisputeViewSet(CreatesRecord, RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Pre-litigation resolution of administrative disputes: joint mediation by government and
    court, the procuratorate taking part."""

    schema_tag = "disputes"
    list_serializer = DisputeListSerializer
    detail_serializer = DisputeDetailSerializer
    filterset_class = DisputeFilter
    http_method_names = ["get", "post", "head", "options"]
    create_verb = "dispute.create"
    create_serializer = DisputeCreateSerializer
    create_service = staticmethod(services.dispute_create)

    def base_queryset(self):
        qs = selectors.dispute_list(user=self.request.user)
        if not self.is_list:
            qs = qs.prefetch_related(Prefetch("sessions", queryset=MediationSession.objects.order_by("held_on", "id")))
        return qs

    def decorate(self, qs):
        return qs if self.is_list else with_visible_case(qs, self.request.user)

    @record_action("dispute.session", request=MediationCreateSerializer, summary=_("记录联合调解"), code=201)
    def sessions(self, request, dispute, data):
        """A party records a joint mediation session while the dispute is open."""
        services.mediation_add(dispute=dispute, by=request.user, **data)

    @record_action("dispute.conclude", request=DisputeConcludeSerializer, summary=_("化解结果"))
    def conclude(self, request, dispute, data):
        """The court or the government records the result: resolved, withdrawn, or filed as a case."""
        return services.dispute_conclude(
            dispute=dispute,
            by=request.user,
            status=data["result"],
            outcome_on=data["outcome_on"],
            notes=data["notes"],
            case=data.get("case"),
        )


# ============================================================================= coordinations


class CommunicationSerializer(serializers.ModelSerializer):
    institution = ref()
    author = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = Communication
        fields = ["institution", "occurred_on", "summary", "author", "created_at"]
        read_only_fields = fields


class CoordinationListSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    court = ref()
    government = ref()
    procuratorate = ref(allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Coordination
        fields = [
            "uuid",
            "case",
            "subject",
            "court",
            "government",
            "procuratorate",
            "invited_on",
            "status",
            "status_display",
            "opened_on",
            "closed_on",
        ]
        read_only_fields = fields


class CoordinationDetailSerializer(CoordinationListSerializer):
    communications = CommunicationSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField()

    class Meta(CoordinationListSerializer.Meta):
        fields = CoordinationListSerializer.Meta.fields + ["outcome", "communications", "allowed_actions"]
        read_only_fields = fields


class CoordinationOpenSerializer(serializers.Serializer):
    government = institution_field(help_text=_("协调的人民政府的 uuid。"))
    subject = serializers.CharField(max_length=200, help_text=_("协调事项。"))
    opened_on = serializers.DateField(required=False, help_text=_("启动日期，默认为今天。"))


class CoordinationInviteSerializer(serializers.Serializer):
    procuratorate = institution_field(help_text=_("邀请监督的人民检察院的 uuid。"))


class CommunicationCreateSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=20000, help_text=_("沟通情况。"))
    occurred_on = serializers.DateField(required=False, help_text=_("沟通日期，默认为今天。"))


class CoordinationCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=20000, help_text=_("协调结果。"))
    closed_on = serializers.DateField(required=False, help_text=_("结束日期，默认为今天。"))


@extend_schema_view(
    list=extend_schema(
        tags=["coordinations"],
        summary=_("重大案件协调列表"),
        responses={200: CoordinationListSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["coordinations"],
        summary=_("重大案件协调详情"),
        responses={200: CoordinationDetailSerializer, **DETAIL_ERRORS},
    ),
)
class CoordinationViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Major-case coordination: the court and the government, the procuratorate invited to
    supervise; communications until the court closes it. Opened from the case."""

    schema_tag = "coordinations"
    list_serializer = CoordinationListSerializer
    detail_serializer = CoordinationDetailSerializer
    filterset_class = CoordinationFilter
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        qs = selectors.coordination_list(user=self.request.user)
        if not self.is_list:
            qs = qs.prefetch_related(
                Prefetch(
                    "communications",
                    queryset=Communication.objects.select_related("institution", "author").order_by(
                        "occurred_on", "id"
                    ),
                )
            )
        return qs

    def decorate(self, qs):
        return with_visible_case(qs, self.request.user)

    @record_action("coordination.invite", request=CoordinationInviteSerializer, summary=_("邀请检察院监督"))
    def invite(self, request, c, data):
        """The court invites a procuratorate to supervise; it then sees the coordination and the case."""
        return services.coordination_invite(coordination=c, by=request.user, **data)

    @record_action(
        "coordination.communicate", request=CommunicationCreateSerializer, summary=_("记录沟通情况"), code=201
    )
    def communications(self, request, c, data):
        """The court, the government or the invited procuratorate records a communication."""
        services.communication_add(coordination=c, by=request.user, **data)

    @record_action("coordination.close", request=CoordinationCloseSerializer, summary=_("结束协调"))
    def close(self, request, c, data):
        """The court closes the coordination with its outcome."""
        return services.coordination_close(coordination=c, by=request.user, **data)
