"""/api/v1/meetings/, /api/v1/decisions/, /api/v1/meeting-kinds/ (legal reviews: .reviews; research and
classes: .activities).

Every action answers 404 for a record the user may not see, then 403 (wrong person) and
409 (wrong state) from the transition table, and only then 400 for the body. The
`allowed_actions` of a meeting are the table's API names for the meeting, the user's own
invitation and the minutes.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison import access, workflow
from liaison import selectors as hub_selectors
from liaison.api import fast
from liaison.api.records import ApiMixin, RecordViewSet, errors, record_action
from liaison.api.serializers import ExplainedField, InstitutionRefSerializer, ScopedSlugRelatedField
from liaison.errors import Conflict
from liaison.models import Institution, LedgerEntry

from .. import exports, selectors, services
from ..models import Decision, Meeting, MeetingKind, Minutes

TAG = "meetings"


def _institution_field(**kwargs):
    return ScopedSlugRelatedField(queryset=Institution.objects.filter(is_active=True), slug_field="uuid", **kwargs)


def _ref(**kwargs):
    return InstitutionRefSerializer(read_only=True, **kwargs)


def export_list(view, spec, rows, filename):
    """A list's rows (already filtered by the viewset's FilterSet) as the page's workbook (its
    ListSpec), the filters written into it as on the page."""
    filters = view.filterset_class(view.request.query_params, queryset=rows, request=view.request)
    return spec.export(rows, viewer=view.request.user, filters=filters.form, filename=str(filename))


# ----------------------------------------------------------------------------- output


class MeetingKindSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = MeetingKind
        fields = [
            "code",
            "name",
            "category",
            "category_display",
            "cadence",
            "basis",
            "purpose",
            "participants",
            "office_only",
            "decision_period",
            "decision_unit",
        ]
        read_only_fields = fields


class MeetingInvitationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    institution = _ref()
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    attendees = serializers.CharField(read_only=True)
    apology_reason = serializers.CharField(read_only=True)


class MeetingAgendaItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    presenter = _ref(allow_null=True)


class MeetingAttendanceSerializer(serializers.Serializer):
    institution = _ref()
    name = serializers.CharField(read_only=True)
    post = serializers.CharField(read_only=True)
    present = serializers.BooleanField(read_only=True)


class DecisionBriefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    owner = _ref()
    due_date = serializers.DateField(read_only=True)
    due_explained = ExplainedField()
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)


class MinutesCommentSerializer(serializers.Serializer):
    institution = _ref()
    text = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MinutesSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    doc_number = serializers.SerializerMethodField()
    letter = serializers.SerializerMethodField()
    comments = MinutesCommentSerializer(many=True, read_only=True)

    def get_doc_number(self, mn) -> str:
        return mn.letter.doc_number if mn.letter_id else ""

    def get_letter(self, mn) -> str | None:
        return str(mn.letter.uuid) if mn.letter_id else None


class MeetingListSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposer = _ref()
    convener = _ref()
    notice_doc_number = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "uuid",
            "kind",
            "kind_name",
            "title",
            "status",
            "status_display",
            "proposer",
            "convener",
            "proposed_date",
            "starts_at",
            "ends_at",
            "location",
            "held_on",
            "notice_doc_number",
        ]
        read_only_fields = fields

    def get_notice_doc_number(self, m) -> str:
        return (m.notice_letter.doc_number or "") if m.notice_letter_id else ""


class MeetingLinkSerializer(serializers.Serializer):
    type = serializers.CharField()
    uuid = serializers.UUIDField()
    label = serializers.CharField()


class MeetingDetailSerializer(MeetingListSerializer):
    proposed_participants = _ref(many=True)
    invitations = MeetingInvitationSerializer(many=True, read_only=True)
    agenda = MeetingAgendaItemSerializer(many=True, read_only=True)
    attendance = MeetingAttendanceSerializer(many=True, read_only=True)
    decisions = DecisionBriefSerializer(many=True, read_only=True)
    minutes = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(MeetingListSerializer.Meta):
        fields = MeetingListSerializer.Meta.fields + [
            "reasons",
            "decline_reason",
            "cancel_reason",
            "proposed_participants",
            "invitations",
            "agenda",
            "attendance",
            "decisions",
            "minutes",
            "links",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _minutes(self, m):
        cache = self.context.setdefault("_minutes", {})
        if m.pk not in cache:
            cache[m.pk] = selectors.minutes_for(m, self.context["request"].user)
        return cache[m.pk]

    def get_minutes(self, m) -> dict | None:
        mn = self._minutes(m)
        return MinutesSerializer(mn).data if mn else None

    def get_links(self, m) -> list[dict]:
        user = self.context["request"].user
        return [
            {"type": f"{r._meta.app_label}.{r._meta.model_name}", "uuid": str(r.uuid), "label": str(r)}
            for r in services.visible_links(m, user, links=list(m.links.all()))
        ]

    def get_allowed_actions(self, m) -> list[str]:
        user = self.context["request"].user
        actions = [t.api for t, _obj in selectors.meeting_actions(user, m, self._minutes(m))]
        return list(dict.fromkeys(actions))


class DecisionUpdateSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    text = serializers.CharField(read_only=True)
    institution = _ref()
    created_at = serializers.DateTimeField(read_only=True)


class MeetingRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    held_on = serializers.DateField(read_only=True)


class DecisionSerializer(DecisionBriefSerializer):
    meeting = serializers.SerializerMethodField()
    evidence = serializers.CharField(read_only=True)
    reported_on = serializers.DateField(read_only=True)
    done_on = serializers.DateField(read_only=True)
    ledger_entry = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    def get_meeting(self, d) -> dict | None:
        # Named only to those who see the meeting (an owner who was not invited sees the decision alone).
        visible = self.context.setdefault("_visible_meetings", {})
        user = self.context["request"].user
        if d.meeting_id not in visible:
            visible[d.meeting_id] = access.visible(Meeting.objects.filter(pk=d.meeting_id), user).exists()
        return fast.ref(MeetingRefSerializer, d.meeting) if visible[d.meeting_id] else None

    def get_ledger_entry(self, d) -> str | None:
        return str(d.ledger_entry.uuid) if d.ledger_entry_id else None

    def get_overdue(self, d) -> bool:
        from django.utils import timezone

        return d.status in selectors.OPEN_DECISIONS and d.due_date < timezone.localdate()

    def get_allowed_actions(self, d) -> list[str]:
        return workflow.api_actions(self.context["request"].user, d)


class DecisionDetailSerializer(DecisionSerializer):
    updates = DecisionUpdateSerializer(many=True, read_only=True)


# ----------------------------------------------------------------------------- input


class MeetingLinkInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=sorted(services.LINKABLE))
    uuid = serializers.UUIDField()


class MeetingProposeSerializer(serializers.Serializer):
    kind = serializers.SlugRelatedField(slug_field="code", queryset=MeetingKind.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    reasons = serializers.CharField(max_length=20000)
    proposed_date = serializers.DateField(required=False, allow_null=True)
    participants = _institution_field(many=True, required=False)
    links = MeetingLinkInputSerializer(many=True, required=False)


class MeetingConveneSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200)
    invitees = _institution_field(many=True)


class MeetingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class MeetingAgendaSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    presenter = _institution_field(required=False, allow_null=True)
    links = MeetingLinkInputSerializer(many=True, required=False)


class MeetingRespondSerializer(serializers.Serializer):
    attending = serializers.BooleanField()
    attendees = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    apology_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MeetingAttendanceInputSerializer(serializers.Serializer):
    institution = _institution_field()
    name = serializers.CharField(max_length=40)
    post = serializers.CharField(max_length=60, required=False, allow_blank=True)
    present = serializers.BooleanField(default=True)


class MeetingHoldSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True)
    attendance = MeetingAttendanceInputSerializer(many=True, required=False)


class MeetingDecideSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    owner = _institution_field()
    due_date = serializers.DateField(required=False, allow_null=True)
    period = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    unit = serializers.ChoiceField(choices=LedgerEntry.Unit.choices, required=False)


class MinutesEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=50000, required=False)
    prefill = serializers.BooleanField(default=False)


class DecisionEditSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, required=False)
    owner = _institution_field(required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    period = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    unit = serializers.ChoiceField(choices=LedgerEntry.Unit.choices, required=False)


class MeetingTextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class MeetingReportSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=10000)
    done_on = serializers.DateField(required=False, allow_null=True)


class MeetingNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MeetingBulkProgressSerializer(serializers.Serializer):
    decisions = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=200)
    text = serializers.CharField(max_length=5000)


# ----------------------------------------------------------------------------- viewsets


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("会议类别（工作方案默认值）")),
    retrieve=extend_schema(
        tags=[TAG], summary=_("一个会议类别"), responses={200: MeetingKindSerializer, **errors(404)}
    ),
)
class MeetingKindViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingKindSerializer
    lookup_field = "code"
    queryset = MeetingKind.objects.filter(is_active=True).order_by("position", "id")
    pagination_class = None


_LIST_PARAMS = [
    OpenApiParameter("status", str, description=_("状态")),
    OpenApiParameter("kind", str, description=_("会议类别代码")),
    OpenApiParameter("year", int, description=_("年度（提议时间）")),
    OpenApiParameter("q", str, description=_("议题关键词")),
]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("可见的会议"), parameters=_LIST_PARAMS),
    retrieve=extend_schema(tags=[TAG], summary=_("会议详情"), responses={200: MeetingDetailSerializer, **errors(404)}),
    create=extend_schema(
        tags=[TAG],
        summary=_("提议召开会议"),
        request=MeetingProposeSerializer,
        responses={201: MeetingDetailSerializer, **errors(400, 403)},
    ),
)
class MeetingViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    schema_tag = TAG
    list_actions = ("list", "export")
    list_serializer = MeetingListSerializer
    detail_serializer = MeetingDetailSerializer
    filter_backends = []

    def base_queryset(self):
        user = self.request.user
        if self.is_list:
            p = self.request.query_params
            year = p.get("year")
            return selectors.meetings(
                user,
                status=p.get("status", ""),
                kind=p.get("kind", ""),
                year=int(year) if year and year.isdigit() else None,
                q=p.get("q", "")[:100],
            )
        return selectors.meeting_detail_queryset(user)

    def _links(self, data):
        return [services.resolve_link(by=self.request.user, label=x["type"], uuid=x["uuid"]) for x in data]

    def create(self, request):
        access.require(request.user, "meeting.propose")
        data = self.validated(MeetingProposeSerializer)
        m = services.meeting_propose(
            by=request.user,
            kind=data["kind"],
            title=data["title"],
            reasons=data["reasons"],
            proposed_date=data.get("proposed_date"),
            participants=data.get("participants", []),
            links=self._links(data.get("links", [])),
        )
        return self.detail_response(m, status.HTTP_201_CREATED)

    @extend_schema(tags=[TAG], summary=_("导出会议列表（Excel）"), parameters=_LIST_PARAMS, responses={200: bytes})
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request):
        return exports.meetings_xlsx(self.get_queryset(), viewer=request.user)

    @record_action(
        "meeting.convene",
        request=MeetingConveneSerializer,
        summary=_("受理并召集：确定时间、地点和受邀单位，起草会议通知"),
    )
    def convene(self, request, m, d):
        services.meeting_convene(
            meeting=m,
            by=request.user,
            starts_at=d["starts_at"],
            ends_at=d.get("ends_at"),
            location=d["location"],
            invitees=d["invitees"],
        )

    @record_action("meeting.decline", request=MeetingReasonSerializer, summary=_("不予召集（说明理由）"))
    def decline(self, request, m, d):
        services.meeting_decline(meeting=m, by=request.user, reason=d["reason"])

    @record_action("meeting.agenda", request=MeetingAgendaSerializer, summary=_("增加议程（可关联案件、建议、公文）"))
    def agenda(self, request, m, d):
        services.agenda_add(
            meeting=m,
            by=request.user,
            title=d["title"],
            presenter=d.get("presenter"),
            links=self._links(d.get("links", [])),
        )

    @record_action("meeting.issue_notice", summary=_("召集单位负责人签发会议通知"))
    def issue_notice(self, request, m, d):
        services.meeting_issue_notice(meeting=m, by=request.user)

    def own_invitation(self, m, verb):
        """The user's institution's invitation to the meeting (403 when it was not invited)."""
        inv = selectors.own_invitation(m, self.request.user)
        if inv is None:
            raise PermissionDenied(verb)
        return inv

    @record_action(
        "invitation.respond",
        subject="own_invitation",
        request=MeetingRespondSerializer,
        summary=_("受邀单位回复参会人员或请假"),
    )
    def respond(self, request, inv, d):
        services.invitation_respond(
            invitation=inv,
            by=request.user,
            attending=d["attending"],
            attendees=d.get("attendees", ""),
            apology_reason=d.get("apology_reason", ""),
        )
        return inv.meeting

    @record_action("meeting.hold", request=MeetingHoldSerializer, summary=_("会议签到（不填则按回复的参会人员）"))
    def hold(self, request, m, d):
        rows = d.get("attendance")
        services.meeting_hold(
            meeting=m,
            by=request.user,
            attendance=rows if rows else services.attendance_prefill(m),
            held_on=d.get("held_on"),
        )

    @record_action("meeting.decide", request=MeetingDecideSerializer, summary=_("登记议定事项（责任单位、完成期限）"))
    def decide(self, request, m, d):
        services.decision_add(
            meeting=m,
            by=request.user,
            text=d["text"],
            owner=d["owner"],
            due_date=d.get("due_date"),
            period=d.get("period"),
            unit=d.get("unit"),
        )

    @record_action("meeting.draft_minutes", summary=_("起草会议纪要（按议程、签到和议定事项预填）"))
    def draft_minutes(self, request, m, d):
        services.minutes_draft(meeting=m, by=request.user)

    @record_action("meeting.cancel", request=MeetingReasonSerializer, summary=_("取消会议"))
    def cancel(self, request, m, d):
        services.meeting_cancel(meeting=m, by=request.user, reason=d["reason"])

    def own_minutes(self, m, verb):
        """The meeting's minutes as this user may see them; none yet: the guard answers 403, else the state 409."""
        mn = selectors.minutes_for(m, self.request.user)
        if mn is None:
            if not workflow.permitted(self.request.user, verb, Minutes(meeting=m)):
                raise PermissionDenied(verb)
            raise Conflict(_("尚未起草会议纪要。"))
        return mn

    @record_action(
        "minutes.edit", subject="own_minutes", request=MinutesEditSerializer, summary=_("修改纪要（prefill 重新预填）")
    )
    def edit_minutes(self, request, mn, d):
        services.minutes_update(
            minutes=mn, by=request.user, title=d.get("title"), body=d.get("body"), prefill=d["prefill"]
        )
        return mn.meeting

    @record_action("minutes.circulate", subject="own_minutes", summary=_("纪要征求与会单位意见"))
    def circulate_minutes(self, request, mn, d):
        services.minutes_circulate(minutes=mn, by=request.user)
        return mn.meeting

    @record_action("minutes.comment", subject="own_minutes", request=MeetingTextSerializer, summary=_("对纪要提出意见"))
    def comment_minutes(self, request, mn, d):
        services.minutes_comment(minutes=mn, by=request.user, text=d["text"])
        return mn.meeting

    @record_action("minutes.submit", subject="own_minutes", summary=_("纪要报召集单位负责人审定"))
    def submit_minutes(self, request, mn, d):
        services.minutes_submit(minutes=mn, by=request.user)
        return mn.meeting

    @record_action("minutes.approve", subject="own_minutes", summary=_("负责人审定纪要并印发（议定事项进入台账）"))
    def approve_minutes(self, request, mn, d):
        services.minutes_approve(minutes=mn, by=request.user)
        return mn.meeting

    @record_action(
        "minutes.return", subject="own_minutes", request=MeetingReasonSerializer, summary=_("负责人退回纪要修改")
    )
    def return_minutes(self, request, mn, d):
        services.minutes_return(minutes=mn, by=request.user, reason=d["reason"])
        return mn.meeting


_DECISION_PARAMS = [
    OpenApiParameter("status", str, description=_("状态")),
    OpenApiParameter("overdue", bool, description=_("只看逾期")),
    OpenApiParameter("open", bool, description=_("只看未办结")),
    OpenApiParameter("owner", str, description=_("责任单位 uuid")),
    OpenApiParameter("region", str, description=_("地区（行政区域代码）")),
    OpenApiParameter("q", str, description=_("关键词")),
]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("议定事项（逾期在前）"), parameters=_DECISION_PARAMS),
    retrieve=extend_schema(
        tags=[TAG], summary=_("议定事项详情"), responses={200: DecisionDetailSerializer, **errors(404)}
    ),
)
class DecisionViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    schema_tag = TAG
    list_actions = ("list", "export")
    list_serializer = DecisionSerializer
    detail_serializer = DecisionDetailSerializer
    filter_backends = []

    def base_queryset(self):
        user = self.request.user
        if self.is_list:
            p = self.request.query_params
            owner = region = None
            if p.get("owner"):
                owner = Institution.objects.filter(uuid=p["owner"]).first() if _is_uuid(p["owner"]) else None
                if owner is None:
                    return Decision.objects.none()
            if p.get("region"):
                # Only a region of the decisions' owners the user sees; another matches nothing.
                owners = selectors.decision_owners(user)
                region = hub_selectors.regions_of(owners).filter(code=p["region"][:40]).first()
                if region is None:
                    return Decision.objects.none()
            return selectors.decisions(
                user,
                status=p.get("status", ""),
                overdue=p.get("overdue") in ("1", "true"),
                open_only=p.get("open") in ("1", "true"),
                owner=owner,
                region=region,
                q=p.get("q", "")[:100],
            )
        return selectors.decision_detail_queryset(user)

    @extend_schema(
        tags=[TAG], summary=_("导出议定事项督办表（Excel）"), parameters=_DECISION_PARAMS, responses={200: bytes}
    )
    @action(detail=False, methods=["get"], url_path="export", url_name="export")
    def export(self, request):
        return exports.decisions_xlsx(self.get_queryset(), viewer=request.user)

    @extend_schema(
        tags=[TAG],
        summary=_("办公室批量登记进展（督办）"),
        request=MeetingBulkProgressSerializer,
        responses={200: None, **errors(400, 403)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-progress", url_name="bulk-progress")
    def bulk_progress(self, request):
        access.require(request.user, "decision.bulk")
        d = self.validated(MeetingBulkProgressSerializer)
        rows = list(selectors.decision_detail_queryset(request.user).filter(uuid__in=d["decisions"]))
        if len(rows) != len(set(d["decisions"])):
            raise serializers.ValidationError({"decisions": [_("部分议定事项不存在或无权访问。")]})
        for row in rows:
            access.require(request.user, "decision.progress", row)
        n = services.decision_progress_bulk(decisions=rows, by=request.user, text=d["text"])
        return Response({"updated": n})

    @record_action("decision.edit", request=DecisionEditSerializer, summary=_("修改议定事项（纪要报送审定前）"))
    def edit(self, request, d, v):
        services.decision_update(
            decision=d,
            by=request.user,
            text=v.get("text"),
            owner=v.get("owner"),
            due_date=v.get("due_date"),
            period=v.get("period"),
            unit=v.get("unit"),
        )

    @record_action("decision.progress", request=MeetingTextSerializer, summary=_("报告落实进展"))
    def progress(self, request, d, v):
        services.decision_progress(decision=d, by=request.user, text=v["text"])

    @record_action("decision.report", request=MeetingReportSerializer, summary=_("责任单位报请办结（附办结情况）"))
    def report(self, request, d, v):
        services.decision_report(decision=d, by=request.user, evidence=v["evidence"], done_on=v.get("done_on"))

    @record_action("decision.confirm", request=MeetingNoteSerializer, summary=_("办公室确认办结（台账同时办结）"))
    def confirm(self, request, d, v):
        services.decision_confirm(decision=d, by=request.user, note=v.get("note", ""))

    @record_action("decision.return", request=MeetingReasonSerializer, summary=_("办公室退回继续落实"))
    def return_(self, request, d, v):
        services.decision_return(decision=d, by=request.user, reason=v["reason"])


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
