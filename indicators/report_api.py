"""/api/v1/annual-reports/: the annual judicial-review reports a viewer may see, and their transitions.

On the hub's record API (liaison.api.records): 404 (not visible) before 403 (wrong person) before
409 (wrong state) before 400, as everywhere; `allowed_actions` is read from the workflow
declaration in models.py; `year` filters the list only.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from liaison import workflow
from liaison.api.records import RecordViewSet, errors, record_action
from liaison.models import Letter

from . import markup
from . import report_services as services
from .models import AnnualReport, ReportSection

TAG = "annual-reports"


class SectionSerializer(serializers.ModelSerializer):
    html = serializers.SerializerMethodField(help_text=_("正文按受限标记转换后的 HTML（已转义）"))

    class Meta:
        model = ReportSection
        fields = ["key", "heading", "body", "html"]

    def get_html(self, s) -> str:
        return str(markup.render(s.body))


class ReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    status_display = serializers.CharField(source="get_status_display")
    issuer = serializers.CharField(source="issuer.name")
    government = serializers.CharField(source="government.name")
    procuratorate = serializers.CharField(source="procuratorate.name", default=None)
    doc_number = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = [
            "uuid",
            "year",
            "region",
            "region_name",
            "status",
            "status_display",
            "issuer",
            "government",
            "procuratorate",
            "doc_number",
            "computed_at",
            "issued_at",
            "allowed_actions",
        ]

    def get_doc_number(self, r) -> str | None:
        return r.letter.doc_number if r.letter_id else None

    def get_allowed_actions(self, r) -> list[str]:
        return workflow.api_actions(self.context["request"].user, r)


class ReportDetailSerializer(ReportSerializer):
    data = serializers.JSONField(read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    typical_cases = serializers.SerializerMethodField()
    letter = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "letter", "sections", "typical_cases", "data"]

    def get_typical_cases(self, r) -> list[dict]:
        user = self.context["request"].user
        return [{"uuid": str(c.uuid), "number": c.number} for c in r.typical_cases.visible_to(user).order_by("number")]

    def get_letter(self, r) -> str | None:
        user = self.context["request"].user
        if r.letter_id and Letter.objects.visible_to(user).filter(pk=r.letter_id).exists():
            return str(r.letter.uuid)
        return None


class SectionEditSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=20)
    heading = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=markup.MAX_LENGTH, allow_blank=True)


class ReportEditSerializer(serializers.Serializer):
    sections = SectionEditSerializer(many=True, required=False, max_length=20)
    typical_cases = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=services.MAX_TYPICAL
    )


class ReportReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(min_value=1949, max_value=2999, label=_("年度"))

    class Meta:
        model = AnnualReport
        fields = ["year"]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("行政诉讼司法审查报告列表")),
    retrieve=extend_schema(
        tags=[TAG],
        summary=_("一份年度报告（各节、典型案例和统计数据）"),
        responses={200: ReportDetailSerializer, **errors(404)},
    ),
)
class ReportViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = AnnualReport
    schema_tag = TAG
    list_serializer = ReportSerializer
    detail_serializer = ReportDetailSerializer
    filterset_class = ReportFilter

    def decorate(self, qs):
        qs = qs.select_related("region", "issuer", "government", "procuratorate", "letter")
        if not self.is_list:
            qs = qs.prefetch_related("sections")
        return qs.order_by("-year", "region_id", "-id")

    @record_action(
        "report.edit", request=ReportEditSerializer, summary=_("修改各节标题和正文（受限标记）、选定典型案例（案号）")
    )
    def edit(self, request, r, d):
        sections = {x["key"]: {k: v for k, v in x.items() if k != "key"} for x in d.get("sections", [])}
        typical = d.get("typical_cases")
        if typical is None:
            typical = list(r.typical_cases.values_list("number", flat=True))
        return services.report_edit(report=r, by=request.user, sections=sections, typical_cases=typical)

    @record_action("report.refresh", summary=_("按最新数据重新统计（草稿）"))
    def refresh(self, request, r, d):
        return services.report_refresh(report=r, by=request.user)

    @record_action("report.submit", summary=_("送负责人签发"))
    def submit(self, request, r, d):
        return services.report_submit(report=r, by=request.user)

    @record_action("report.return", request=ReportReasonSerializer, summary=_("负责人退回修改"))
    def return_(self, request, r, d):
        return services.report_return(report=r, by=request.user, reason=d["reason"])

    @record_action("report.issue", summary=_("负责人签发报告函（主送政府，抄送检察院，附报告 PDF）"))
    def issue(self, request, r, d):
        return services.report_issue(report=r, by=request.user)
