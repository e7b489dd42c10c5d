"""/api/v1/observations/ (庭审旁听/观摩) and /api/v1/reviews/ (判后评议).

Both are organised by the court from its case (`POST /api/v1/cases/{uuid}/observations/`,
`POST /api/v1/cases/{uuid}/reviews/`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from liaison.api.records import RecordViewSet, record_action
from liaison.api.serializers import BoundedListField, _no_duplicates, institution_list_field

from .. import selectors, services
from ..filters import ObservationFilter, ReviewFilter
from ..models import Observation, ObservationAttendance, Review
from ._common import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    AllowedActionsField,
    VisibleCaseField,
    institution_field,
    ref,
    with_visible_case,
)

# ============================================================================= observations


class AttendanceSerializer(serializers.ModelSerializer):
    institution = ref()

    class Meta:
        model = ObservationAttendance
        fields = ["institution", "invited", "attended", "names"]
        read_only_fields = fields


class ObservationSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    court = ref()
    procuratorate = ref(allow_null=True)
    attendances = AttendanceSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField()

    class Meta:
        model = Observation
        fields = ["uuid", "case", "court", "held_on", "title", "procuratorate", "attendances", "allowed_actions"]
        read_only_fields = fields


class AttendeeSerializer(serializers.Serializer):
    institution = institution_field(help_text=_("邀请的行政机关的 uuid。"))
    invited = serializers.IntegerField(min_value=0, max_value=10000, help_text=_("通知人数。"))


class ObservationCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text=_("观摩日期（可预先安排）。"))
    title = serializers.CharField(max_length=200)
    attendees = BoundedListField(child=AttendeeSerializer(), allow_empty=False, max_length=200)
    procuratorate = institution_field(required=False, allow_null=True, help_text=_("邀请监督的检察院（可选）。"))

    def validate_attendees(self, value):
        _no_duplicates([row["institution"] for row in value])
        return [(row["institution"], row["invited"]) for row in value]


class AttendanceRecordSerializer(serializers.Serializer):
    institution = institution_field(help_text=_("受邀单位的 uuid。"))
    attended = serializers.IntegerField(min_value=0, max_value=10000, help_text=_("实到人数。"))
    names = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        tags=["observations"],
        summary=_("庭审观摩列表"),
        responses={200: ObservationSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        tags=["observations"], summary=_("庭审观摩详情"), responses={200: ObservationSerializer, **DETAIL_ERRORS}
    ),
)
class ObservationViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Trial observation: agencies send staff to a hearing, the procuratorate may be invited to
    supervise; the court records who came."""

    schema_tag = "observations"
    detail_serializer = ObservationSerializer
    filterset_class = ObservationFilter
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return selectors.observation_list(user=self.request.user)

    def decorate(self, qs):
        return with_visible_case(qs, self.request.user)

    @record_action("observation.attendance", request=AttendanceRecordSerializer, summary=_("登记实到人数"))
    def attendance(self, request, o, data):
        """The court records how many of an invited institution's staff came, once it was held."""
        services.observation_record_attendance(observation=o, by=request.user, **data)


# ============================================================================= reviews


class ReviewSerializer(serializers.ModelSerializer):
    case = VisibleCaseField()
    court = ref()
    participants = ref(many=True)

    class Meta:
        model = Review
        fields = ["uuid", "case", "court", "held_on", "participants", *Review.TOPICS]
        read_only_fields = fields


def _topic():
    return serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class ReviewCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    participants = institution_list_field(allow_empty=False, help_text=_("参加评议的单位 uuid 列表。"))
    act_problems = _topic()
    litigation_work = _topic()
    risk_prevention = _topic()
    trial_conduct = _topic()
    dispute_resolution = _topic()
    social_impact = _topic()

    def validate_participants(self, value):
        return _no_duplicates(value)


@extend_schema_view(
    list=extend_schema(
        tags=["reviews"], summary=_("判后评议列表"), responses={200: ReviewSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        tags=["reviews"], summary=_("判后评议详情"), responses={200: ReviewSerializer, **DETAIL_ERRORS}
    ),
)
class ReviewViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Post-judgment reviews on the six topics of the work plan (四(四)3)."""

    detail_serializer = ReviewSerializer
    filterset_class = ReviewFilter
    http_method_names = ["get", "head", "options"]

    def base_queryset(self):
        return selectors.review_list(user=self.request.user)

    def decorate(self, qs):
        return with_visible_case(qs, self.request.user)
