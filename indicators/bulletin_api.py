"""/api/v1/bulletins/: the quarterly bulletins a viewer may see, and their transitions.

On the hub's record API (liaison.api.records): the same services and workflow declaration as
the pages, `allowed_actions` read from it, 404 (not visible) before 403 (wrong person) before
409 (wrong state) before 400; `period` and `status` filter the list only.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status

from liaison import workflow
from liaison.api.records import RecordViewSet, errors, record_action
from liaison.models import Letter

from . import services
from .models import Bulletin

TAG = "bulletins"


class BulletinSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    status_display = serializers.CharField(source="get_status_display")
    issuer = serializers.CharField(source="issuer.name")
    government = serializers.CharField(source="government.name")
    procuratorate = serializers.CharField(source="procuratorate.name", default=None)
    doc_number = serializers.SerializerMethodField()
    corrects = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "uuid",
            "period",
            "region",
            "region_name",
            "status",
            "status_display",
            "issuer",
            "government",
            "procuratorate",
            "doc_number",
            "corrects",
            "computed_at",
            "issued_at",
            "allowed_actions",
        ]

    def get_doc_number(self, b) -> str | None:
        return b.letter.doc_number if b.letter_id else None

    def get_corrects(self, b) -> str | None:
        return str(b.corrects.uuid) if b.corrects_id else None

    def get_allowed_actions(self, b) -> list[str]:
        return workflow.api_actions(self.context["request"].user, b)


class BulletinDetailSerializer(BulletinSerializer):
    snapshot = serializers.JSONField(read_only=True)
    letter = serializers.SerializerMethodField()
    differences = serializers.SerializerMethodField()

    class Meta(BulletinSerializer.Meta):
        fields = [
            *BulletinSerializer.Meta.fields,
            "commentary",
            "correction_reason",
            "letter",
            "snapshot",
            "differences",
        ]

    def get_letter(self, b) -> str | None:
        user = self.context["request"].user
        if b.letter_id and Letter.objects.visible_to(user).filter(pk=b.letter_id).exists():
            return str(b.letter.uuid)
        return None

    def get_differences(self, b) -> list[dict]:
        """Where today's figures differ from the issued ones (empty for a draft: it is recomputed)."""
        return services.differences(b) if b.is_frozen else []


class CommentarySerializer(serializers.Serializer):
    commentary = serializers.CharField(allow_blank=True, max_length=20000)


class BulletinReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BulletinFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(method="filter_period", max_length=6, label=_("季度，如 2026Q3"))
    status = django_filters.ChoiceFilter(choices=Bulletin.Status.choices, label=_("状态"))

    class Meta:
        model = Bulletin
        fields = ["period", "status"]

    def filter_period(self, queryset, name, value):
        return queryset.filter(period=value.upper())


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("季度指标通报列表")),
    retrieve=extend_schema(
        tags=[TAG],
        summary=_("一份通报（含冻结的指标快照和与今日数据的差异）"),
        responses={200: BulletinDetailSerializer, **errors(404)},
    ),
)
class BulletinViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    model = Bulletin
    schema_tag = TAG
    list_serializer = BulletinSerializer
    detail_serializer = BulletinDetailSerializer
    filterset_class = BulletinFilter

    def decorate(self, qs):
        return qs.select_related("region", "issuer", "government", "procuratorate", "letter", "corrects").order_by(
            "-period", "region_id", "-id"
        )

    @record_action("bulletin.refresh", summary=_("按最新数据重新计算（草稿）"))
    def refresh(self, request, b, data):
        return services.bulletin_refresh(bulletin=b, by=request.user)

    @record_action("bulletin.comment", request=CommentarySerializer, summary=_("办公室填写审核意见与工作建议"))
    def comment(self, request, b, data):
        return services.bulletin_comment(bulletin=b, by=request.user, commentary=data["commentary"])

    @record_action("bulletin.submit", summary=_("审核完毕，送法院负责人签发"))
    def submit(self, request, b, data):
        return services.bulletin_submit(bulletin=b, by=request.user)

    @record_action("bulletin.return", request=BulletinReasonSerializer, summary=_("法院负责人退回办公室"))
    def return_(self, request, b, data):
        return services.bulletin_return(bulletin=b, by=request.user, reason=data["reason"])

    @record_action("bulletin.issue", summary=_("法院负责人签发通报函（冻结数据）"))
    def issue(self, request, b, data):
        return services.bulletin_issue(bulletin=b, by=request.user)

    @record_action(
        "bulletin.correct",
        request=BulletinReasonSerializer,
        code=status.HTTP_201_CREATED,
        summary=_("发起更正：按今日数据起草新的通报，注明更正的通报"),
    )
    def correct(self, request, b, data):
        """The correction is a new draft bulletin; the answer is that one."""
        return services.bulletin_correct(bulletin=b, by=request.user, reason=data["reason"])
