"""/api/v1/bulletins/: the quarterly bulletins a viewer may see, and their transitions.

The same services and workflow declaration as the pages: `allowed_actions` is read from
it, 404 (not visible) before 403 (wrong person) before 409 (wrong state) before 400.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison import access, workflow
from liaison.api.views import ApiMixin, errors
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


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _post(name, request=None, summary="", code=200):
    def wrap(fn):
        fn = extend_schema(
            tags=[TAG],
            summary=summary,
            request=request,
            responses={code: BulletinDetailSerializer, **errors(400, 403, 404, 409)},
        )(fn)
        return action(detail=True, methods=["post"], url_path=name, url_name=name)(fn)

    return wrap


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("季度指标通报列表")),
    retrieve=extend_schema(tags=[TAG], summary=_("一份通报（含冻结的指标快照和与今日数据的差异）")),
)
class BulletinViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "uuid"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        qs = Bulletin.objects.visible_to(self.request.user).select_related(
            "region", "issuer", "government", "procuratorate", "letter", "corrects"
        )
        period = self.request.query_params.get("period", "")[:6]
        if period:
            qs = qs.filter(period=period.upper())
        state = self.request.query_params.get("status", "")
        if state in Bulletin.Status.values:
            qs = qs.filter(status=state)
        return qs.order_by("-period", "region_id", "-id")

    def get_serializer_class(self):
        return BulletinSerializer if self.action == "list" else BulletinDetailSerializer

    def get_object(self):
        return access.get_visible_or_404(self.get_queryset(), self.request.user, uuid=self.kwargs["uuid"])

    def _for(self, verb):
        b = self.get_object()
        access.require(self.request.user, verb, b)
        return b

    def _detail(self, b, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=b.pk)
        return Response(BulletinDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @_post("refresh", None, _("按最新数据重新计算（草稿）"))
    def refresh(self, request, uuid=None):
        b = self._for("bulletin.refresh")
        return self._detail(services.bulletin_refresh(bulletin=b, by=request.user))

    @_post("comment", CommentarySerializer, _("办公室填写审核意见与工作建议"))
    def comment(self, request, uuid=None):
        b = self._for("bulletin.comment")
        s = CommentarySerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._detail(
            services.bulletin_comment(bulletin=b, by=request.user, commentary=s.validated_data["commentary"])
        )

    @_post("submit", None, _("审核完毕，送法院负责人签发"))
    def submit(self, request, uuid=None):
        b = self._for("bulletin.submit")
        return self._detail(services.bulletin_submit(bulletin=b, by=request.user))

    @_post("return", ReasonSerializer, _("法院负责人退回办公室"))
    def return_(self, request, uuid=None):
        b = self._for("bulletin.return")
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._detail(services.bulletin_return(bulletin=b, by=request.user, reason=s.validated_data["reason"]))

    @_post("issue", None, _("法院负责人签发通报函（冻结数据）"))
    def issue(self, request, uuid=None):
        b = self._for("bulletin.issue")
        return self._detail(services.bulletin_issue(bulletin=b, by=request.user))

    @_post("correct", ReasonSerializer, _("发起更正：按今日数据起草新的通报，注明更正的通报"), code=201)
    def correct(self, request, uuid=None):
        b = self._for("bulletin.correct")
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        correction = services.bulletin_correct(bulletin=b, by=request.user, reason=s.validated_data["reason"])
        return self._detail(correction, status.HTTP_201_CREATED)
