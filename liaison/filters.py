"""Filters for the hub's API lists (django-filter).

They only narrow querysets that are already scoped with `visible_to(user)`: a foreign
id in a filter matches nothing, it never widens what a user sees. Numeric and date
inputs are bounded so that a silly value is a 400, not a database overflow.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import selectors
from .models import Delivery, Institution, LedgerEntry, Letter, Notification


def _user_of(request):
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.UUID)
class InstitutionChoiceFilter(django_filters.ModelChoiceFilter):
    """An institution by its uuid (the schema says so; a method filter's type cannot be guessed)."""


@extend_schema_field(OpenApiTypes.STR)
class RegionChoiceFilter(django_filters.ModelChoiceFilter):
    """A region by its code."""


def institution_filter(choices, *, label, **kwargs) -> django_filters.ModelChoiceFilter:
    """`?<name>=<institution uuid>`, one of `choices(user)` (the list's parties, selectors.parties):
    another is a 400, like any invalid choice."""
    return InstitutionChoiceFilter(
        queryset=lambda request: choices(_user_of(request)), to_field_name="uuid", label=label, **kwargs
    )


def region_filter(choices, *, label=None, **kwargs) -> django_filters.ModelChoiceFilter:
    """`?region=<region code>`, one of the regions of `choices(user)`'s institutions."""
    return RegionChoiceFilter(
        queryset=lambda request: selectors.regions_of(choices(_user_of(request))),
        to_field_name="code",
        label=label or _("地区（行政区域代码）"),
        **kwargs,
    )


class InstitutionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Institution.Kind.choices, label=_("类别"))
    level = django_filters.ChoiceFilter(choices=Institution.Level.choices, label=_("层级"))
    region = django_filters.CharFilter(field_name="region__code", max_length=40, label=_("行政区域代码"))

    class Meta:
        model = Institution
        fields = ["kind", "level", "region"]


class LetterFilter(django_filters.FilterSet):
    BOX_CHOICES = [("inbox", _("收文")), ("outbox", _("发文"))]

    status = django_filters.ChoiceFilter(choices=Letter.Status.choices, label=_("状态"))
    series = django_filters.ChoiceFilter(choices=Letter.Series.choices, label=_("文种"))
    year = django_filters.NumberFilter(field_name="year", min_value=1949, max_value=2999, label=_("年度"))
    box = django_filters.ChoiceFilter(choices=BOX_CHOICES, method="filter_box", label=_("收发文"))
    issuer = institution_filter(selectors.letter_issuer_choices, label=_("发文机关"), field_name="issuer")
    region = region_filter(selectors.letter_issuer_choices, field_name="issuer__region")

    class Meta:
        model = Letter
        fields = ["status", "series", "year", "box", "issuer", "region"]

    def filter_box(self, queryset, name, value):
        institution_id = getattr(self.request.user, "institution_id", None)
        if institution_id is None:
            return queryset.none()
        if value == "inbox":
            delivered = Delivery.objects.filter(recipient_id=institution_id).values("letter_id")
            return queryset.filter(status=Letter.Status.ISSUED, pk__in=delivered)
        return queryset.filter(issuer_id=institution_id)


class LedgerEntryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LedgerEntry.Status.choices, label=_("状态"))
    owner = institution_filter(selectors.ledger_owner_choices, label=_("责任单位"), field_name="owner")
    region = region_filter(selectors.ledger_owner_choices, field_name="owner__region")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("截止日期不晚于"))
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("截止日期不早于"))
    clause = django_filters.CharFilter(
        field_name="clause", lookup_expr="startswith", max_length=20, label=_("工作方案条目（四(二) 含其各项）")
    )

    class Meta:
        model = LedgerEntry
        fields = ["status", "owner", "region", "due_before", "due_after", "clause"]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(method="filter_unread", label=_("仅未读"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(Q(read_at__isnull=True) if value else Q(read_at__isnull=False))
