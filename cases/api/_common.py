"""Pieces every cases API module shares: the viewset base, body validation, references to
related records that are shown only when the user may see them."""

from django.db.models import Exists, OuterRef
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison import access, links, workflow
from liaison.api.serializers import InstitutionRefSerializer, ScopedSlugRelatedField
from liaison.api.views import ApiMixin, errors
from liaison.models import Institution, Letter

from ..models import AdministrativeCase


def validated(serializer_class, request, **context):
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def action_post(name, **kwargs):
    """A POST action on one record, routed at its dashed name (`mark-effective`)."""
    return action(detail=True, methods=["post"], url_path=name, url_name=name, **kwargs)


def action_schema(tag, summary, request=None, response=None, code=200, *extra):
    return extend_schema(
        tags=[tag],
        summary=summary,
        request=request,
        responses={code: response, **errors(*sorted({403, 404, 409, *extra}))},
    )


def institution_field(**kwargs):
    """An institution uuid from the directory (active institutions only)."""
    return ScopedSlugRelatedField(queryset=Institution.objects.filter(is_active=True), **kwargs)


# ----------------------------------------------------------------------------- references


class CaseRefSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AdministrativeCase
        fields = ["uuid", "number", "status", "status_display"]
        read_only_fields = fields


class LetterRefSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Letter
        fields = ["uuid", "doc_number", "title", "status", "status_display"]
        read_only_fields = fields


def with_visible_case(qs, user, field: str = "case"):
    """Annotate `case_visible`: a linked case is named only to those who may see it."""
    return links.annotate(qs, user, field)


def with_visible_letters(qs, user, *fields: str):
    """Annotate `<field>_visible` for each letter foreign key."""
    return qs.annotate(
        **{
            f"{name}_visible": Exists(Letter.objects.visible_to(user).filter(pk=OuterRef(f"{name}_id")))
            for name in fields
        }
    )


@extend_schema_field(CaseRefSerializer(allow_null=True))
class VisibleCaseField(serializers.Field):
    """The linked case (uuid, 案号), or null when there is none or the user may not see it."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        if obj.case_id is None or not getattr(obj, "case_visible", False):
            return None
        return CaseRefSerializer(obj.case).data


@extend_schema_field(LetterRefSerializer(allow_null=True))
class VisibleLetterField(serializers.Field):
    """A linked letter, or null when there is none or the user may not see it."""

    def __init__(self, name: str, **kwargs):
        self.letter_name = name
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        if getattr(obj, f"{self.letter_name}_id") is None or not getattr(obj, f"{self.letter_name}_visible", False):
            return None
        return LetterRefSerializer(getattr(obj, self.letter_name)).data


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AllowedActionsField(serializers.Field):
    """What the user may do now: the record's declared transitions (cases/flows.py) that its guard
    and state allow, by their API names. Every action checks the same table again."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return workflow.api_actions(self.context["request"].user, obj)


def ref(**kwargs):
    return InstitutionRefSerializer(read_only=True, **kwargs)


# ----------------------------------------------------------------------------- viewsets


class CasesApiMixin(ApiMixin):
    """Lookup by uuid; filters apply to lists only (a query string never turns a detail into a 404);
    visibility first (404), then the verb (403), and only then the body (400)."""

    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return self.decorate(super().filter_queryset(queryset))

    def decorate(self, qs):
        """Annotations the serializers need (which linked records the user may see);
        `self.action` tells a list from a detail."""
        return qs

    def get_queryset(self):
        qs = self.base_queryset()
        # A list is filtered first (filter_queryset), then decorated.
        return qs if self.action == "list" else self.decorate(qs)

    def base_queryset(self):
        raise NotImplementedError

    def object_for(self, verb):
        obj = self.get_object()
        access.require(self.request.user, verb, obj)
        return obj

    def detail_response(self, obj, code=status.HTTP_200_OK, serializer_class=None):
        """The record as the user now sees it (re-read through the viewset's queryset)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data, status=code)


def detail_data(viewset_class, request, obj) -> dict:
    """`obj` as `viewset_class` shows it in its detail (for an action on another resource)."""
    view = viewset_class()
    view.request, view.action, view.format_kwarg, view.kwargs = request, "retrieve", None, {}
    fresh = view.get_queryset().get(pk=obj.pk)
    return view.get_serializer(fresh).data


DETAIL_ERRORS = errors(404)
CREATE_ERRORS = errors(400, 403)
LIST_ERRORS = errors(400, 404)
