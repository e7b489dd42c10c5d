"""GET /api/v1/todo/: the user's pending actions (liaison.todo), the same list as the dashboard's;
GET /api/v1/tracking/: what the user's institution sent and still waits for (liaison.tracking)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import todo, tracking


def _record(row) -> dict:
    """The record the API acts on: a copy's letter (POST letters/{uuid}/sign/), else the row's own."""
    obj = getattr(row.obj, "api_record", row.obj)
    return {"type": obj._meta.label_lower, "uuid": str(getattr(obj, "uuid", "")), "url": row.record_url}


class TodoItemSerializer(serializers.Serializer):
    verb = serializers.CharField(help_text=_("转换的全名，如 suggestion.reply"))
    action = serializers.CharField(source="transition.api", help_text=_("记录接口上的操作名（allowed_actions 之一）"))
    label = serializers.CharField(help_text=_("待办事项的名称，如 待签发"))
    kind = serializers.CharField(help_text=_("记录的类别"))
    title = serializers.CharField()
    record = serializers.SerializerMethodField()
    url = serializers.CharField(source="action_url", help_text=_("办理页面"))
    due = serializers.DateField(allow_null=True)
    deadline = serializers.CharField(source="deadline.label", help_text=_("剩余 N 个工作日 / 今天到期 / 已逾期 N 天"))
    overdue = serializers.BooleanField()

    def get_record(self, item) -> dict:
        return _record(item)


class TodoResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    results = TodoItemSerializer(many=True)


class TodoView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["todo"],
        summary=_("待办：本人现在可以办理的事项（逾期在前）"),
        responses={200: TodoResponseSerializer},
    )
    def get(self, request):
        found = todo.items(request.user)
        return Response(
            TodoResponseSerializer(
                {"count": len(found), "overdue": sum(1 for i in found if i.overdue), "results": found}
            ).data
        )


class TrackingRowSerializer(serializers.Serializer):
    step = serializers.CharField(help_text=_("等待的步骤，如 待签收、待回复、待评价"))
    kind = serializers.CharField(help_text=_("记录的类别"))
    title = serializers.CharField()
    record = serializers.SerializerMethodField()
    party = serializers.SerializerMethodField(help_text=_("应当办理的单位"))
    mine = serializers.BooleanField(help_text=_("是否由本单位办理（如待评价）"))
    due = serializers.DateField(allow_null=True)
    deadline = serializers.CharField(source="deadline.label", help_text=_("剩余 N 个工作日 / 今天到期 / 已逾期 N 天"))
    overdue = serializers.BooleanField()

    def get_record(self, row) -> dict:
        return _record(row)

    def get_party(self, row) -> str:
        return str(row.party) if row.party is not None else ""


class TrackingResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    results = TrackingRowSerializer(many=True)


class TrackingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["todo"],
        summary=_("跟踪：本单位发出、等待签收、回复、反馈或评价的事项（逾期在前）"),
        responses={200: TrackingResponseSerializer},
    )
    def get(self, request):
        found = tracking.rows(request.user)
        return Response(
            TrackingResponseSerializer(
                {"count": len(found), "overdue": sum(1 for r in found if r.overdue), "results": found}
            ).data
        )
