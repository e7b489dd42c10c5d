"""/api/v1/research/, /api/v1/research-milestones/ (共同调研) and /api/v1/law-classes/ (法治课堂).

On the hub's record API: rows from the access module (research: its lead, the members'
institutions, the government its report goes to and the office; a class: its organiser, audience
and lecturers' institutions and the office), each action a `record_action` of its declared
transition (meetings/flows.py): 404 → 403 → 409 → 400 → service. A milestone is a record of its
own (`complete`); the research's detail carries its milestones with their `allowed_actions`.
"""

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from liaison import access, workflow
from liaison.api.records import RecordViewSet, errors, record_action
from liaison.api.serializers import institution_list_field
from liaison.models import Letter

from .. import listings
from .. import research as services
from ..models import ClassMaterial, LawClass, Milestone, Research
from . import TAG, _institution_field, _ref, export_list


def _allowed(serializer, obj) -> list[str]:
    return workflow.api_actions(serializer.context["request"].user, obj)


# ----------------------------------------------------------------------------- research: output


class ResearchRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)


class ResearchMemberSerializer(serializers.Serializer):
    institution = _ref()
    name = serializers.CharField(read_only=True)
    post = serializers.CharField(read_only=True)


class MilestoneSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, m) -> list[str]:
        return _allowed(self, m)


class MilestoneDetailSerializer(MilestoneSerializer):
    research = ResearchRefSerializer(read_only=True)


class ResearchListSerializer(serializers.ModelSerializer):
    topic_display = serializers.CharField(source="topic_label", read_only=True)
    lead = _ref()
    government = _ref()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    report_doc_number = serializers.SerializerMethodField()

    class Meta:
        model = Research
        fields = [
            "uuid",
            "topic",
            "topic_other",
            "topic_display",
            "title",
            "lead",
            "government",
            "status",
            "status_display",
            "report_doc_number",
            "created_at",
        ]
        read_only_fields = fields

    def get_report_doc_number(self, r) -> str:
        return (r.report_letter.doc_number or "") if r.report_letter_id else ""


class ResearchDetailSerializer(ResearchListSerializer):
    members = ResearchMemberSerializer(many=True, read_only=True)
    milestones = serializers.SerializerMethodField()
    report_letter = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ResearchListSerializer.Meta):
        fields = ResearchListSerializer.Meta.fields + [
            "purpose",
            "members",
            "milestones",
            "report_letter",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, r):
        return MilestoneSerializer(r.milestones.select_related("research"), many=True, context=self.context).data

    def get_report_letter(self, r) -> str | None:
        """The report letter's uuid (/api/v1/letters/…), when the user may see the letter."""
        if not r.report_letter_id:
            return None
        user = self.context["request"].user
        return (
            str(r.report_letter.uuid)
            if Letter.objects.visible_to(user).filter(pk=r.report_letter_id).exists()
            else None
        )

    def get_allowed_actions(self, r) -> list[str]:
        return _allowed(self, r)


# ----------------------------------------------------------------------------- research: input


class ResearchCreateSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=Research.Topic.choices)
    topic_other = serializers.CharField(max_length=60, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=20000)


class ResearchMemberInputSerializer(serializers.Serializer):
    institution = _institution_field()
    name = serializers.CharField(max_length=40)
    post = serializers.CharField(max_length=60, required=False, allow_blank=True)


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()


class ResearchReportSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=50000)


class MilestoneCompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ResearchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Research.Status.choices, label=_("状态"))
    topic = django_filters.ChoiceFilter(choices=Research.Topic.choices, label=_("调研领域"))
    lead = django_filters.UUIDFilter(field_name="lead__uuid", label=_("牵头单位 uuid"))
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("调研课题或目的"))

    class Meta:
        model = Research
        fields = ["status", "topic", "lead", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(purpose__icontains=value)) if value else queryset


# ----------------------------------------------------------------------------- research: viewsets


@extend_schema_view(
    list=extend_schema(
        tags=[TAG], summary=_("共同调研列表"), responses={200: ResearchListSerializer(many=True), **errors(400)}
    ),
    retrieve=extend_schema(
        tags=[TAG], summary=_("共同调研详情"), responses={200: ResearchDetailSerializer, **errors(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary=_("登记共同调研（本单位牵头）"),
        request=ResearchCreateSerializer,
        responses={201: ResearchDetailSerializer, **errors(400, 403)},
    ),
)
class ResearchViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Joint research (共同调研): members from the three sides, milestones, a report to the government."""

    model = Research
    schema_tag = TAG
    list_actions = ("list", "export")
    list_serializer = ResearchListSerializer
    detail_serializer = ResearchDetailSerializer
    filterset_class = ResearchFilter

    def base_queryset(self):
        return super().base_queryset().order_by("-created_at", "-id")

    def decorate(self, qs):
        qs = qs.select_related("lead", "government", "report_letter")
        return qs if self.is_list else qs.prefetch_related("members__institution")

    @extend_schema(tags=[TAG], summary=_("导出共同调研列表（Excel，按筛选条件）"), filters=True, responses={200: bytes})
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request):
        return export_list(self, listings.RESEARCH, self.filter_queryset(self.get_queryset()), _("共同调研.xlsx"))

    def create(self, request, *args, **kwargs):
        access.require(request.user, "research.create")
        data = self.validated(ResearchCreateSerializer)
        r = services.research_create(by=request.user, **data)
        return self.detail_response(r, status.HTTP_201_CREATED)

    @record_action("research.member", request=ResearchMemberInputSerializer, summary=_("增加调研组成员"))
    def member(self, request, r, data):
        services.research_member_add(research=r, by=request.user, **data)

    @record_action("research.milestone", request=MilestoneInputSerializer, summary=_("增加调研节点"))
    def milestone(self, request, r, data):
        services.research_milestone_add(research=r, by=request.user, **data)

    @record_action("research.start", summary=_("开始调研（须有政府方、法院和检察院的成员）"))
    def start(self, request, r, data):
        services.research_start(research=r, by=request.user)

    @record_action("research.report", request=ResearchReportSerializer, summary=_("提交调研报告（报负责人签发）"))
    def report(self, request, r, data):
        services.research_report(research=r, by=request.user, **data)

    @record_action("research.issue", summary=_("负责人签发调研报告（函报政府）"))
    def issue(self, request, r, data):
        services.research_issue(research=r, by=request.user)


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG], summary=_("调研节点"), responses={200: MilestoneDetailSerializer, **errors(404)}
    ),
)
class MilestoneViewSet(RecordViewSet, mixins.RetrieveModelMixin):
    """One milestone of a joint research, completed by the lead while the research is active."""

    model = Milestone
    schema_tag = TAG
    list_actions = ()
    detail_serializer = MilestoneDetailSerializer

    def decorate(self, qs):
        return qs.select_related("research__lead")

    @record_action("milestone.complete", request=MilestoneCompleteSerializer, summary=_("完成调研节点"))
    def complete(self, request, m, data):
        services.milestone_complete(
            milestone=m, by=request.user, note=data.get("note", ""), done_on=data.get("done_on")
        )


# ----------------------------------------------------------------------------- classes


class LecturerSerializer(serializers.Serializer):
    institution = _ref()
    name = serializers.CharField(read_only=True)
    post = serializers.CharField(read_only=True)
    topic = serializers.CharField(read_only=True)


class ClassAttendanceSerializer(serializers.Serializer):
    institution = _ref()
    count = serializers.IntegerField(read_only=True)
    names = serializers.CharField(read_only=True)


class ClassMaterialSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ClassMaterial
        fields = ["uuid", "name", "content_type", "size", "sha256", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, m) -> str:
        return reverse("meetings:class_material_download", kwargs={"uuid": m.uuid})


class LawClassListSerializer(serializers.ModelSerializer):
    organizer = _ref()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LawClass
        fields = ["uuid", "title", "organizer", "starts_at", "location", "status", "status_display", "held_on"]
        read_only_fields = fields


class LawClassDetailSerializer(LawClassListSerializer):
    audience = _ref(many=True)
    lecturers = LecturerSerializer(many=True, read_only=True)
    attendance = ClassAttendanceSerializer(many=True, read_only=True)
    materials = ClassMaterialSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(LawClassListSerializer.Meta):
        fields = LawClassListSerializer.Meta.fields + [
            "summary",
            "audience",
            "lecturers",
            "attendance",
            "materials",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, c) -> list[str]:
        return _allowed(self, c)


class LawClassCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200)
    audience = institution_list_field(min_length=1, max_length=100)


class LecturerInputSerializer(serializers.Serializer):
    institution = _institution_field()
    name = serializers.CharField(max_length=40)
    post = serializers.CharField(max_length=60, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ClassHoldSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True)
    attendance = serializers.CharField(
        max_length=20000, help_text=_("每行一个单位：单位简称 人数 姓名（姓名可不填）。")
    )


class ClassReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MaterialUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class LawClassFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LawClass.Status.choices, label=_("状态"))
    organizer = django_filters.UUIDFilter(field_name="organizer__uuid", label=_("组织单位 uuid"))
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("授课日期不早于"))
    starts_before = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("授课日期不晚于")
    )
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("课程名称或授课内容"))

    class Meta:
        model = LawClass
        fields = ["status", "organizer", "starts_after", "starts_before", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)) if value else queryset


@extend_schema_view(
    list=extend_schema(
        tags=[TAG], summary=_("法治课堂列表"), responses={200: LawClassListSerializer(many=True), **errors(400)}
    ),
    retrieve=extend_schema(
        tags=[TAG], summary=_("法治课堂详情"), responses={200: LawClassDetailSerializer, **errors(404)}
    ),
    create=extend_schema(
        tags=[TAG],
        summary=_("安排法治课堂（通知听课单位）"),
        request=LawClassCreateSerializer,
        responses={201: LawClassDetailSerializer, **errors(400, 403)},
    ),
)
class LawClassViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Rule-of-law classes (法治课堂): lecturers from the court, the procuratorate and the legal-affairs
    office, audience institutions, attendance and materials."""

    model = LawClass
    schema_tag = TAG
    list_actions = ("list", "export")
    list_serializer = LawClassListSerializer
    detail_serializer = LawClassDetailSerializer
    filterset_class = LawClassFilter

    def base_queryset(self):
        return super().base_queryset().order_by("-starts_at", "-id")

    def decorate(self, qs):
        qs = qs.select_related("organizer")
        if self.is_list:
            return qs
        return qs.prefetch_related("audience", "lecturers__institution", "attendance__institution", "materials")

    @extend_schema(tags=[TAG], summary=_("导出法治课堂列表（Excel，按筛选条件）"), filters=True, responses={200: bytes})
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request):
        return export_list(self, listings.CLASSES, self.filter_queryset(self.get_queryset()), _("法治课堂.xlsx"))

    def create(self, request, *args, **kwargs):
        access.require(request.user, "law_class.create")
        data = self.validated(LawClassCreateSerializer)
        c = services.class_create(by=request.user, **data)
        return self.detail_response(c, status.HTTP_201_CREATED)

    @record_action("law_class.lecturer", request=LecturerInputSerializer, summary=_("增加授课人"))
    def lecturer(self, request, c, data):
        services.lecturer_add(law_class=c, by=request.user, **data)

    @extend_schema(
        tags=[TAG],
        summary=_("上传授课材料"),
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={200: LawClassDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="material",
        url_name="material",
        parser_classes=[MultiPartParser, FormParser],
    )
    def material(self, request, uuid=None):
        c = self.object_for("law_class.material")
        data = self.validated(MaterialUploadSerializer)
        services.material_add(law_class=c, by=request.user, upload=data["file"])
        return self.detail_response(c)

    @record_action("law_class.hold", request=ClassHoldSerializer, summary=_("登记到课情况"))
    def hold(self, request, c, data):
        services.class_hold(law_class=c, by=request.user, attendance=data["attendance"], held_on=data.get("held_on"))

    @record_action("law_class.cancel", request=ClassReasonSerializer, summary=_("取消法治课堂（通知听课单位）"))
    def cancel(self, request, c, data):
        services.class_cancel(law_class=c, by=request.user, reason=data["reason"])
