"""Pieces every cases API module shares (the viewsets are liaison.api.records.RecordViewSet):
creation on a list, references to related records that are shown only when the user may see
them, the allowed actions from the declared transitions."""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status

from liaison import access, links, workflow
from liaison.api import fast
from liaison.api.records import errors
from liaison.api.serializers import InstitutionRefSerializer, LetterRefSerializer, ScopedSlugRelatedField
from liaison.models import Institution, Letter

from ..models import AdministrativeCase


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
        return fast.ref(CaseRefSerializer, obj.case)


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
        return fast.ref(LetterRefSerializer, getattr(obj, self.letter_name))


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


class CreatesRecord:
    """POST to a record list (on a liaison.api.records.RecordViewSet): the creation verb (403), the
    body (`create_serializer`, 400), then `create_service(by=user, **body)`; 201 with the new
    record's detail as the viewset shows it."""

    create_verb = ""
    create_serializer = None
    create_service = None  # staticmethod(services.<record>_create)

    def create(self, request, *args, **kwargs):
        access.require(request.user, self.create_verb)
        record = self.create_service(by=request.user, **self.validated(self.create_serializer))
        return self.detail_response(record, status.HTTP_201_CREATED)


def detail_data(viewset_class, request, obj) -> dict:
    """`obj` as `viewset_class` shows it in its detail (for an action on another resource)."""
    view = viewset_class()
    view.request, view.action, view.format_kwarg, view.kwargs = request, "retrieve", None, {}
    fresh = view.get_queryset().get(pk=obj.pk)
    return view.get_serializer(fresh).data


DETAIL_ERRORS = errors(404)
CREATE_ERRORS = errors(400, 403)
LIST_ERRORS = errors(400, 404)
