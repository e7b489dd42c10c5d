"""Viewsets of the hub's API (/api/v1/).

Every queryset starts from `Model.objects.visible_to(request.user)`, so another
institution's record answers 404 like a missing one; every action asks `access.require`
(403) before it reads the body; every write is a call into `liaison.services`.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import FileResponse
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, services
from ..calendar import compute_deadline
from ..errors import Conflict
from ..filters import InstitutionFilter, LedgerEntryFilter, LetterFilter, NotificationFilter
from ..listings import LEDGER
from ..lockout import LockedOut, authenticate_with_lockout
from ..models import Delivery, Inspection, Institution, LedgerEntry, Letter, Notification
from . import serializers as s
from .records import (  # noqa: F401  (re-exported: other apps import them from here)
    ERRORS,
    ApiMixin,
    BoundedSearchFilter,
    ListOrdering,
    Pagination,
    RecordViewSet,
    errors,
    record_action,
    validated,
)

# The shared pieces live in .records (the API base); imported here for the apps that still name this module.
_validated = validated


# ----------------------------------------------------------------------------- auth


class TokenObtainView(APIView):
    """Exchange a username and password for an API token (same lockout as the login page)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["auth"],
        summary=_("用用户名和密码换取 API 令牌"),
        request=s.TokenObtainSerializer,
        responses={
            200: s.TokenSerializer,
            400: ERRORS[400],
            429: OpenApiResponse(s.ErrorSerializer, description=_("暂时锁定")),
        },
        auth=[],
    )
    def post(self, request):
        data = _validated(s.TokenObtainSerializer, request)
        try:
            user = authenticate_with_lockout(request._request, data["username"], data["password"])
        except LockedOut:
            raise exceptions.Throttled(
                detail=_("登录失败次数过多，请 %(m)d 分钟后再试。") % {"m": settings.LOGIN_LOCKOUT_MINUTES}
            ) from None
        if user is None:
            # The same answer whether or not the username exists.
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码不正确。")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class LogoutView(APIView):
    """Delete the caller's API token (and end the session when called from one)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(tags=["auth"], summary=_("注销：删除本人的 API 令牌"), request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        if request.auth is None:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ----------------------------------------------------------------------------- institutions


@extend_schema_view(
    list=extend_schema(
        tags=["institutions"],
        summary=_("机关单位名录"),
        responses={200: s.InstitutionSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        tags=["institutions"], summary=_("机关单位详情"), responses={200: s.InstitutionSerializer, **errors(404)}
    ),
)
class InstitutionViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """The directory of institutions (addressees are chosen from it)."""

    serializer_class = s.InstitutionSerializer
    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend, BoundedSearchFilter]
    filterset_class = InstitutionFilter
    search_fields = ["name", "short_name", "code"]

    def get_queryset(self):
        return Institution.objects.visible_to(self.request.user).select_related("region", "parent")


# ----------------------------------------------------------------------------- letters


class PDFRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; an error still answers in JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(
        tags=["letters"],
        summary=_("公文列表（收文、发文）"),
        responses={200: s.LetterListSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        tags=["letters"], summary=_("公文详情"), responses={200: s.LetterDetailSerializer, **errors(404)}
    ),
    create=extend_schema(
        tags=["letters"],
        summary=_("起草公文"),
        request=s.LetterWriteSerializer,
        responses={201: s.LetterDetailSerializer, **errors(400, 403)},
    ),
    partial_update=extend_schema(
        tags=["letters"],
        summary=_("修改草稿"),
        request=s.LetterWriteSerializer,
        responses={200: s.LetterDetailSerializer, **errors(400, 403, 404, 409)},
    ),
)
class LetterViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Official letters: outgoing drafts, sign-off, issue, and the inbox (签收/阅读)."""

    model = Letter
    schema_tag = "letters"
    list_serializer = s.LetterListSerializer
    detail_serializer = s.LetterDetailSerializer
    filter_backends = [DjangoFilterBackend, BoundedSearchFilter]
    filterset_class = LetterFilter
    search_fields = ["title", "doc_number"]

    def base_queryset(self):
        deliveries = Delivery.objects.select_related("recipient")
        qs = (
            super()
            .base_queryset()
            .select_related("issuer")
            .prefetch_related(Prefetch("deliveries", queryset=deliveries))
        )
        if not self.is_list:
            qs = qs.prefetch_related("attachments")
        return qs

    def create(self, request, *args, **kwargs):
        access.require(request.user, "letter.create")
        data = self.validated(s.LetterWriteSerializer)
        letter = services.letter_create(by=request.user, **data)
        return self.detail_response(letter, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        letter = self.object_for("letter.edit")
        data = self.validated(s.LetterWriteSerializer, partial=True)
        if "in_reply_to" in data:
            raise exceptions.ValidationError({"in_reply_to": [_("复函所答复的来文在起草时确定，不能修改。")]})
        if not data:
            raise exceptions.ValidationError({"non_field_errors": [_("没有要修改的内容。")]})
        return self.detail_response(services.letter_update(letter=letter, by=request.user, **data))

    @record_action("letter.submit", summary=_("送审"))
    def submit(self, request, letter, data):
        """Send a draft to the institution head for sign-off (送审)."""
        return services.letter_submit(letter=letter, by=request.user)

    @record_action("letter.return", request=s.LetterReturnSerializer, summary=_("退回修改"))
    def return_(self, request, letter, data):
        """The head sends a letter back to its drafter with a reason (退回修改)."""
        return services.letter_return(letter=letter, by=request.user, reason=data["reason"])

    @record_action("letter.issue", request=s.LetterIssueSerializer, summary=_("签发"))
    def issue(self, request, letter, data):
        """The head signs off: the letter gets its number, is delivered, and its PDF is rendered (签发)."""
        return services.letter_issue(letter=letter, by=request.user, issued_on=data.get("issued_on"))

    def own_delivery(self, letter, verb=None) -> Delivery:
        """The copy delivered to the user's institution (403 when it is not a recipient)."""
        institution_id = self.request.user.institution_id
        delivery = next((d for d in letter.deliveries.all() if d.recipient_id == institution_id), None)
        if delivery is None or institution_id is None or not letter.is_issued:
            raise exceptions.PermissionDenied(_("本单位不是该公文的收文机关。"))
        delivery.letter = letter
        return delivery

    @record_action("delivery.sign", subject="own_delivery", request=s.DeliverySignSerializer, summary=_("签收"))
    def sign(self, request, delivery, data):
        """Sign for the copy delivered to the user's institution (签收; 主送 or 抄送)."""
        services.delivery_sign(delivery=delivery, by=request.user, signed_on=data.get("signed_on"))
        return delivery.letter

    @record_action(
        "delivery.reply",
        subject="own_delivery",
        request=s.LetterReplySerializer,
        code=status.HTTP_201_CREATED,
        summary=_("起草复函"),
    )
    def reply(self, request, delivery, data):
        """Draft the 复函 a letter asks of the user's institution (主送, signed for, not yet answered):
        addressed to the issuer and linked; the answer is the new draft. Issuing it settles the debt."""
        return services.delivery_reply(
            delivery=delivery, by=request.user, title=data.get("title", ""), body=data.get("body", "")
        )

    @record_action("delivery.read", subject="own_delivery", summary=_("阅知"))
    def read(self, request, delivery, data):
        """Mark the institution's signed copy as read (阅知)."""
        services.delivery_mark_read(delivery=delivery, by=request.user)
        return delivery.letter

    @extend_schema(
        tags=["letters"],
        summary=_("下载公文 PDF"),
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("公文 PDF")),
            **errors(404, 409),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def pdf(self, request, uuid=None):
        """The issued letter as PDF (GB/T 9704), once rendered."""
        letter = self.get_object()
        if not letter.is_issued:
            raise Conflict(_("公文尚未签发，没有 PDF。"))
        if not letter.pdf_sha256 or not letter.pdf:
            raise exceptions.NotFound(_("公文 PDF 正在生成，请稍后再试。"))
        try:
            handle = letter.pdf.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(_("公文 PDF 文件缺失，请联系管理员。")) from None
        filename = f"{letter.doc_number or letter.uuid}.pdf"
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
        response["ETag"] = f'"{letter.pdf_sha256}"'
        return response

    @record_action("letter.share", request=s.LetterShareSerializer, summary=_("共享给其他机关"))
    def share(self, request, letter, data):
        """Share an issued letter with another institution (it then sees the letter)."""
        services.letter_share(letter=letter, institution=data["institution"], by=request.user)

    @record_action("letter.share", request=s.LetterShareSerializer, summary=_("取消共享"))
    def unshare(self, request, letter, data):
        """Withdraw a share; the institution stops seeing the letter on its next request."""
        services.letter_unshare(letter=letter, institution=data["institution"], by=request.user)


# ----------------------------------------------------------------------------- ledger


@extend_schema_view(
    list=extend_schema(
        tags=["ledger"], summary=_("工作台账"), responses={200: s.LedgerEntrySerializer(many=True), **errors(400, 404)}
    ),
    retrieve=extend_schema(
        tags=["ledger"], summary=_("台账事项详情"), responses={200: s.LedgerEntrySerializer, **errors(404)}
    ),
)
class LedgerEntryViewSet(RecordViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The task ledger (工作台账): every obligation with a deadline."""

    model = LedgerEntry
    schema_tag = "ledger"
    detail_serializer = s.LedgerEntrySerializer
    filter_backends = [DjangoFilterBackend, BoundedSearchFilter, ListOrdering]
    filterset_class = LedgerEntryFilter
    listing = LEDGER
    search_fields = ["title"]

    def base_queryset(self):
        return super().base_queryset().select_related("owner", "source_type")

    @record_action("ledger.complete", request=s.LedgerCompleteSerializer, summary=_("办结"))
    def complete(self, request, entry, data):
        """The owner reports a manual obligation done, with evidence (办结); an entry with a source is
        done only when its source's transition completes it (409)."""
        services.ledger_complete(entry=entry, by=request.user, evidence=data["evidence"], done_on=data.get("done_on"))

    @record_action("ledger.extend", request=s.LedgerExtendSerializer, summary=_("延期（办公室，手工登记的事项）"))
    def extend(self, request, entry, data):
        """The office extends a manual entry, with a reason (a sourced entry follows its source)."""
        services.ledger_extend(entry=entry, by=request.user, days=data["days"], reason=data["reason"])

    @extend_schema(
        tags=["ledger"],
        summary=_("登记工作方案事项（办公室）"),
        request=s.LedgerCreateSerializer,
        responses={201: s.LedgerEntrySerializer, **errors(400, 403)},
    )
    def create(self, request, *args, **kwargs):
        """The office registers a task of the work plan by hand: owner, clause (四(二)3), due date."""
        access.require(request.user, "ledger.create")
        data = self.validated(s.LedgerCreateSerializer)
        entry = services.ledger_create(by=request.user, **data)
        return self.detail_response(entry, status.HTTP_201_CREATED)

    @record_action("ledger.urge", request=s.LedgerUrgeSerializer, summary=_("催办（办公室）"))
    def urge(self, request, entry, data):
        """The office presses the owner: a notification, and with `letter` a 督办函 for sign-off."""
        services.ledger_urge(entry=entry, by=request.user, message=data["message"], letter=data["letter"])

    @record_action("ledger.waive", request=s.LedgerWaiveSerializer, summary=_("免除"))
    def waive(self, request, entry, data):
        """The office waives an obligation, with a reason (免除)."""
        services.ledger_waive(entry=entry, by=request.user, reason=data["reason"])


# ----------------------------------------------------------------------------- inspections


@extend_schema_view(
    list=extend_schema(
        tags=["inspections"],
        summary=_("专项检查列表"),
        responses={200: s.InspectionListSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        tags=["inspections"],
        summary=_("专项检查详情（含台账快照）"),
        responses={200: s.InspectionDetailSerializer, **errors(404)},
    ),
    create=extend_schema(
        tags=["inspections"],
        summary=_("新建专项检查"),
        request=s.InspectionCreateSerializer,
        responses={201: s.InspectionDetailSerializer, **errors(400, 403)},
    ),
)
class InspectionViewSet(
    ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Inspections (专项检查): frozen snapshots of the ledger with findings."""

    lookup_field = "uuid"

    def get_queryset(self):
        qs = Inspection.objects.visible_to(self.request.user).select_related("institution", "created_by")
        return qs.defer("snapshot") if self.action == "list" else qs

    def get_serializer_class(self):
        return s.InspectionListSerializer if self.action == "list" else s.InspectionDetailSerializer

    def create(self, request, *args, **kwargs):
        access.require(request.user, "inspection.create")
        data = _validated(s.InspectionCreateSerializer, request)
        inspection = services.inspection_create(
            by=request.user,
            title=data["title"],
            findings=data.get("findings", ""),
            entries=data.get("entries"),
            clause=data.get("clause", ""),
        )
        fresh = self.get_queryset().get(pk=inspection.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


# ----------------------------------------------------------------------------- notifications


@extend_schema_view(
    list=extend_schema(
        tags=["notifications"],
        summary=_("我的通知"),
        responses={200: s.NotificationSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        tags=["notifications"], summary=_("通知详情"), responses={200: s.NotificationSerializer, **errors(404)}
    ),
)
class NotificationViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """The user's own notifications (in-app inbox)."""

    serializer_class = s.NotificationSerializer
    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(
        tags=["notifications"],
        summary=_("标记为已读"),
        request=None,
        responses={200: s.NotificationSerializer, **errors(404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, uuid=None):
        notification = self.get_object()
        services.notification_mark_read(notification=notification, by=request.user)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        tags=["notifications"], summary=_("全部标记为已读"), request=None, responses={200: s.MarkedSerializer}
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="read-all",
        url_name="read-all",
        filter_backends=[],
        pagination_class=None,
    )
    def read_all(self, request):
        unread = list(self.get_queryset().unread())
        for notification in unread:
            services.notification_mark_read(notification=notification, by=request.user)
        return Response({"marked": len(unread)})


# ----------------------------------------------------------------------------- calendar


class DeadlineView(APIView):
    """Deadline arithmetic on the working-day calendar (for forms that show a due date)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=["calendar"],
        summary=_("计算期限（工作日历）"),
        parameters=[s.DeadlineQuerySerializer],
        responses={200: s.DeadlineSerializer, **errors(400)},
    )
    def get(self, request):
        query = s.DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        deadline = compute_deadline(
            query.validated_data["start"], query.validated_data["period"], query.validated_data["unit"]
        )
        return Response(
            s.DeadlineSerializer(
                {
                    "start": deadline.start,
                    "period": deadline.period,
                    "unit": deadline.unit,
                    "nominal": deadline.nominal,
                    "due": deadline.due,
                    "reason": deadline.reason,
                    "explained": deadline.explain(),
                    "warnings": list(deadline.warnings),
                }
            ).data
        )


# ----------------------------------------------------------------------------- docs


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local static files; its init script is a separate file, so the
    page runs under the portal's CSP (no inline script). Sign-in required."""

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                return redirect_to_login(request.get_full_path())
            except NoReverseMatch:
                raise exceptions.NotAuthenticated() from None
        return super().get(request, *args, **kwargs)
