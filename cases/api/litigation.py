"""/api/v1/cases/: administrative cases, hearings, appearances (负责人出庭应诉), conclusion,
effect and performance; the case-list import (preview, commit); 个案监督."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison import access
from liaison.api.parsers import BoundedJSONParser
from liaison.api.records import RecordViewSet, errors, record_action, validated
from liaison.api.serializers import (
    BoundedListField,
    ErrorSerializer,
    InstitutionRefSerializer,
    _no_duplicates,
    institution_list_field,
)

from .. import importer, selectors, services
from ..filters import CaseFilter
from ..models import AdministrativeCase, Appearance, Cause, Coordination, Hearing, Outcome, normalise_case_number
from ._common import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    AllowedActionsField,
    CreatesRecord,
    detail_data,
    institution_field,
    ref,
)
from .observation import (
    ObservationCreateSerializer,
    ObservationSerializer,
    ObservationViewSet,
    ReviewCreateSerializer,
    ReviewSerializer,
    ReviewViewSet,
)
from .resolution import CoordinationDetailSerializer, CoordinationOpenSerializer, CoordinationViewSet

CS = AdministrativeCase.Status
TAG = "cases"

# ============================================================================= serializers


class AppearanceSerializer(serializers.ModelSerializer):
    defendant = ref()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    summon_basis_display = serializers.CharField(source="get_summon_basis_display", read_only=True)
    has_explanation = serializers.SerializerMethodField()

    class Meta:
        model = Appearance
        fields = [
            "defendant",
            "kind",
            "kind_display",
            "person_name",
            "person_post",
            "has_explanation",
            "head_summoned",
            "summon_basis",
            "summon_basis_display",
            "summon_reason",
        ]
        read_only_fields = fields

    def get_has_explanation(self, row) -> bool:
        """A sealed written explanation (书面说明) is on file."""
        return bool(row.explanation)


class HearingSerializer(serializers.ModelSerializer):
    appearances = AppearanceSerializer(many=True, read_only=True)

    class Meta:
        model = Hearing
        fields = ["uuid", "held_on", "court_room", "appearances"]
        read_only_fields = fields


class CoordinationRefSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Coordination
        fields = ["uuid", "subject", "status", "status_display", "opened_on", "closed_on"]
        read_only_fields = fields


class CaseListSerializer(serializers.ModelSerializer):
    court = ref()
    instance_display = serializers.CharField(source="get_instance_display", read_only=True)
    cause = serializers.CharField(source="cause.name", read_only=True)
    plaintiffs = serializers.SerializerMethodField()
    defendants = InstitutionRefSerializer(many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    major_category_display = serializers.CharField(source="get_major_category_display", read_only=True)
    outcome = serializers.CharField(source="outcome.code", read_only=True, allow_null=True)
    outcome_name = serializers.CharField(source="outcome.name", read_only=True, allow_null=True)
    agency_lost = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = AdministrativeCase
        fields = [
            "uuid",
            "number",
            "court",
            "instance",
            "instance_display",
            "cause",
            "plaintiffs",
            "defendants",
            "filed_on",
            "status",
            "status_display",
            "major_category",
            "major_category_display",
            "outcome",
            "outcome_name",
            "agency_lost",
            "concluded_on",
            "effective_on",
        ]
        read_only_fields = fields

    def get_plaintiffs(self, case) -> list[str]:
        return [line for line in case.plaintiffs.splitlines() if line.strip()]


class CaseDetailSerializer(CaseListSerializer):
    hearings = HearingSerializer(many=True, read_only=True)
    coordinations = serializers.SerializerMethodField()
    allowed_actions = AllowedActionsField()

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + [
            "summary",
            "imposes_obligation",
            "performed_voluntarily",
            "hearings",
            "coordinations",
            "created_at",
            "updated_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(CoordinationRefSerializer(many=True))
    def get_coordinations(self, case):
        """Major-case coordinations on this case that the user may see."""
        rows = Coordination.objects.visible_to(self._user()).filter(case=case).order_by("opened_on", "id")
        return CoordinationRefSerializer(rows, many=True).data


def plaintiffs_field(**kwargs):
    return BoundedListField(
        child=serializers.CharField(max_length=200),
        allow_empty=False,
        max_length=100,
        help_text=_("原告姓名或名称，每项一个。"),
        **kwargs,
    )


class CaseWriteSerializer(serializers.Serializer):
    """A case's register entry. Court, status, outcome and dates of later steps are not fields:
    the court is the user's own, the rest comes from the actions."""

    number = serializers.CharField(max_length=40, help_text=_("案号，如（2026）桂02行初12号。"))
    instance = serializers.ChoiceField(
        choices=AdministrativeCase.Instance.choices, default=AdministrativeCase.Instance.FIRST
    )
    cause = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Cause.objects.all(),
        help_text=_("案由名称（如“行政处罚”）。"),
        error_messages={"does_not_exist": _("案由不存在。"), "invalid": _("无效的案由。")},
    )
    plaintiffs = plaintiffs_field()
    defendants = institution_list_field(allow_empty=False, help_text=_("被告行政机关的 uuid 列表。"))
    filed_on = serializers.DateField(help_text=_("立案日期。"))
    major_category = serializers.ChoiceField(
        choices=AdministrativeCase.MajorCategory.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("重大案件类别；不是重大案件留空。"),
    )
    summary = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")

    def validate_defendants(self, value):
        return _no_duplicates(value)

    def validate(self, data):
        if "plaintiffs" in data:
            data["plaintiffs"] = "\n".join(data["plaintiffs"])
        return data


class HearingCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField(help_text=_("开庭日期（可预先排期）。"))
    court_room = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class AppearanceWriteSerializer(serializers.Serializer):
    """One defendant's appearance at one held hearing. A delegated appearance needs the sealed
    written explanation: send the request as multipart/form-data with the file in `explanation`."""

    hearing = serializers.UUIDField(help_text=_("本案庭审的 uuid。"))
    defendant = institution_field(help_text=_("本案被告的 uuid。"))
    kind = serializers.ChoiceField(choices=Appearance.Kind.choices)
    person_name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    person_post = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    explanation = serializers.FileField(
        required=False, allow_null=True, help_text=_("书面说明扫描件（PDF、PNG、JPEG），仅限 multipart 上传。")
    )
    head_summoned = serializers.BooleanField(default=False, help_text=_("法院是否通知负责人出庭。"))
    summon_basis = serializers.ChoiceField(
        choices=Appearance.SummonBasis.choices, required=False, allow_blank=True, default=""
    )
    summon_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate_hearing(self, value):
        hearing = next((h for h in self.context["case"].hearings.all() if h.uuid == value), None)
        if hearing is None:
            raise serializers.ValidationError(_("不存在或无权访问。"))
        return hearing


class CaseConcludeSerializer(serializers.Serializer):
    outcome = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Outcome.objects.all(),
        help_text=_("结案方式代码（如 revoke 判决撤销、dismiss_claims 判决驳回诉讼请求、withdrawal 撤诉）。"),
        error_messages={"does_not_exist": _("结案方式不存在。"), "invalid": _("无效的结案方式。")},
    )
    concluded_on = serializers.DateField()
    effective_on = serializers.DateField(required=False, allow_null=True, help_text=_("已生效时填写。"))
    imposes_obligation = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("生效裁判是否课以义务。")
    )


class CaseEffectiveSerializer(serializers.Serializer):
    effective_on = serializers.DateField()
    imposes_obligation = serializers.BooleanField(required=False, allow_null=True, default=None)


class CasePerformanceSerializer(serializers.Serializer):
    performed_voluntarily = serializers.BooleanField(help_text=_("未经申请强制执行即自动履行为真。"))


class CaseSupervisionCreateSerializer(serializers.Serializer):
    """The procuratorate names the case by 案号: it cannot see the case before it supervises it."""

    case_number = serializers.CharField(max_length=40, help_text=_("案号。"))
    notes = serializers.CharField(max_length=20000, help_text=_("监督情况。"))
    opened_on = serializers.DateField(required=False, help_text=_("立案监督日期，默认为今天。"))


# ----------------------------------------------------------------------------- import


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("按导入模板填写的 .xlsx 文件。"))


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("Excel 中的行号。"))
    number = serializers.CharField(help_text=_("案号。"))
    action = serializers.CharField(help_text=_("create、update、unchanged；有错误时为空。"))
    errors = serializers.ListField(child=serializers.CharField())
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text=_("更新时：字段 → [原值, 新值]。"),
    )


class ImportCountsSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    invalid = serializers.IntegerField()


class ImportPreviewSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("确认导入时提交的令牌。"))
    filename = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    is_valid = serializers.BooleanField()
    counts = ImportCountsSerializer()
    errors = serializers.ListField(child=serializers.CharField())
    rows = ImportRowSerializer(many=True)


class ImportCommitSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100, help_text=_("预览返回的令牌。"))
    only_valid = serializers.BooleanField(default=False, help_text=_("只导入无误的行；否则有错误时不导入任何行。"))


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    skipped = serializers.IntegerField()
    unchanged = serializers.IntegerField()


def _text(value):
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def preview_payload(p) -> dict:
    return {
        "token": p.token,
        "filename": p.filename,
        "headers": p.headers,
        "is_valid": p.is_valid,
        "counts": p.counts,
        "errors": p.errors,
        "rows": [
            {
                "line": row.line,
                "number": row.number,
                "action": row.action,
                "errors": row.messages,
                "changes": {name: [_text(a), _text(b)] for name, (a, b) in row.changes.items()},
            }
            for row in p.rows
        ],
    }


# ============================================================================= views

DETAIL = {200: CaseDetailSerializer}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary=_("行政案件列表"),
        responses={200: CaseListSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(tags=[TAG], summary=_("案件详情"), responses={**DETAIL, **DETAIL_ERRORS}),
    create=extend_schema(
        tags=[TAG],
        summary=_("登记案件（法院）"),
        request=CaseWriteSerializer,
        responses={201: CaseDetailSerializer, **CREATE_ERRORS},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary=_("修改案件（审理中可改案号、审级、案由、当事人、立案日期）"),
        request=CaseWriteSerializer,
        responses={**DETAIL, **errors(400, 403, 404, 409)},
    ),
)
class CaseViewSet(CreatesRecord, RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Administrative cases: the court's register, hearings, each defendant's appearance,
    conclusion, effect and performance; coordination, observation and review start here."""

    schema_tag = TAG
    list_serializer = CaseListSerializer
    detail_serializer = CaseDetailSerializer
    filterset_class = CaseFilter
    create_verb = "case.create"
    create_serializer = CaseWriteSerializer
    create_service = staticmethod(services.case_create)

    def base_queryset(self):
        qs = selectors.case_list(user=self.request.user)
        if not self.is_list:
            appearances = Appearance.objects.select_related("defendant").order_by("defendant_id")
            qs = qs.prefetch_related(
                Prefetch(
                    "hearings",
                    queryset=Hearing.objects.order_by("held_on", "id").prefetch_related(
                        Prefetch("appearances", queryset=appearances)
                    ),
                )
            )
        return qs

    def partial_update(self, request, *args, **kwargs):
        case = self.object_for("case.edit")
        data = self.validated(CaseWriteSerializer, partial=True)
        if not data:
            raise exceptions.ValidationError({"non_field_errors": [_("没有要修改的内容。")]})
        return self.detail_response(services.case_update(case=case, by=request.user, **data))

    @record_action("case.hearing", request=HearingCreateSerializer, summary=_("登记开庭"), code=201, name="hearings")
    def hearings(self, request, case, data):
        """The court schedules or records a hearing of a pending case; the defendants are notified."""
        services.hearing_add(case=case, by=request.user, **data)

    # Not a record_action: its body is checked against the case (the hearing and defendant are the case's).
    @extend_schema(
        tags=[TAG],
        summary=_("记录出庭应诉情况"),
        request={
            "application/json": AppearanceWriteSerializer,
            "multipart/form-data": AppearanceWriteSerializer,
        },
        responses={200: CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="appearances",
        url_name="appearances",
        parser_classes=[BoundedJSONParser, MultiPartParser, FormParser],
    )
    def appearances(self, request, uuid=None):
        """Who appeared for a defendant at a held hearing (负责人出庭应诉). The court records any
        defendant; a defendant records only its own, and cannot change whether its head was summoned."""
        case = self.object_for("case.appearance")
        data = dict(self.validated(AppearanceWriteSerializer, case=case))
        services.appearance_record(by=request.user, **data)
        return self.detail_response(case)

    @record_action("case.conclude", request=CaseConcludeSerializer, summary=_("结案"))
    def conclude(self, request, case, data):
        """The court records the outcome and the conclusion date (and the effective date if known)."""
        return services.case_conclude(case=case, by=request.user, **data)

    @record_action("case.mark_effective", request=CaseEffectiveSerializer, summary=_("裁判生效"))
    def mark_effective(self, request, case, data):
        """The court records the date the concluded case's judgment took effect."""
        return services.case_mark_effective(case=case, by=request.user, **data)

    @record_action("case.record_performance", request=CasePerformanceSerializer, summary=_("记录履行情况"))
    def record_performance(self, request, case, data):
        """Whether an effective judgment imposing an obligation was performed without enforcement."""
        return services.case_record_performance(case=case, by=request.user, **data)

    @record_action(
        "coordination.open",
        request=CoordinationOpenSerializer,
        response=CoordinationDetailSerializer,
        code=201,
        summary=_("启动重大案件协调"),
    )
    def coordinations(self, request, case, data):
        """The court opens a coordination with the government on one of its major pending cases."""
        coordination = services.coordination_open(case=case, by=request.user, **data)
        return Response(detail_data(CoordinationViewSet, request, coordination), status=status.HTTP_201_CREATED)

    @record_action(
        "observation.create",
        request=ObservationCreateSerializer,
        response=ObservationSerializer,
        code=201,
        summary=_("组织庭审观摩"),
    )
    def observations(self, request, case, data):
        """The court invites agencies (and optionally the procuratorate) to observe a hearing."""
        observation = services.observation_create(case=case, by=request.user, **data)
        return Response(detail_data(ObservationViewSet, request, observation), status=status.HTTP_201_CREATED)

    @record_action(
        "review.create", request=ReviewCreateSerializer, response=ReviewSerializer, code=201, summary=_("判后评议")
    )
    def reviews(self, request, case, data):
        """The court holds a post-judgment review of an effective case on the six topics."""
        review = services.review_create(case=case, by=request.user, **data)
        return Response(detail_data(ReviewViewSet, request, review), status=status.HTTP_201_CREATED)


class CaseImportPreviewView(APIView):
    """Upload a court's case list (.xlsx): every row is checked, nothing is saved yet."""

    renderer_classes = [JSONRenderer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        summary=_("导入案件清单：上传并预览"),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={200: ImportPreviewSerializer, **errors(400, 403)},
    )
    def post(self, request):
        access.require(request.user, "case.import")
        data = validated(ImportUploadSerializer, request)
        p = importer.preview(user=request.user, file=data["file"], keep=True)
        return Response(ImportPreviewSerializer(preview_payload(p)).data)


class CaseImportCommitView(APIView):
    """Save a previewed case list: all rows or none, or only the valid ones."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=[TAG],
        summary=_("导入案件清单：确认导入"),
        request=ImportCommitSerializer,
        responses={200: ImportResultSerializer, **errors(400, 403, 409)},
    )
    def post(self, request):
        access.require(request.user, "case.import")
        data = validated(ImportCommitSerializer, request)
        try:
            p = importer.load_preview(user=request.user, token=data["token"])
        except Http404:
            # Another user's, an expired or a made-up token: the same answer as a missing one.
            raise exceptions.ValidationError({"token": [_("预览不存在或已过期，请重新上传。")]}) from None
        result = importer.commit(user=request.user, preview=p, only_valid=data["only_valid"])
        return Response(ImportResultSerializer(result).data)


class CaseSupervisionCreateView(APIView):
    """个案监督: the procuratorate's head opens supervision of a case heard by a court it supervises,
    named by 案号; it then sees the case. 202 with the same words whether or not such a case exists."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=[TAG],
        summary=_("个案监督（检察院）"),
        request=CaseSupervisionCreateSerializer,
        responses={202: ErrorSerializer, **errors(400, 403, 409)},
    )
    def post(self, request):
        access.require(request.user, "case_supervision.create")
        data = validated(CaseSupervisionCreateSerializer, request)
        try:
            number = normalise_case_number(data["case_number"])
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"case_number": exc.messages}) from None
        # The same answer whether or not a case of that number is within jurisdiction (see the service).
        services.case_supervision_request(
            by=request.user, number=number, notes=data["notes"], opened_on=data.get("opened_on")
        )
        return Response({"detail": services.case_supervision_answer(number)}, status=status.HTTP_202_ACCEPTED)
