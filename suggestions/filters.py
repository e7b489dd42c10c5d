"""Filters for the suggestions API lists (django-filter).

Like the hub's filters they only narrow querysets already scoped with `visible_to(user)`:
a foreign value matches nothing and never widens what a user sees.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.filters import institution_filter, region_filter

from . import selectors
from .models import Filing, Suggestion


class SuggestionFilter(django_filters.FilterSet):
    BOX_CHOICES = [("issued", _("本单位发出")), ("received", _("本单位收到")), ("cc", _("抄送本单位"))]

    status = django_filters.ChoiceFilter(choices=Suggestion.Status.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=Suggestion.Kind.choices, label=_("建议类别"))
    box = django_filters.ChoiceFilter(choices=BOX_CHOICES, method="filter_box", label=_("发出、收到或抄送"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("逾期未回复"))
    institution = institution_filter(
        selectors.parties, method="filter_institution", label=_("发出或被建议单位（单位 uuid）")
    )
    region = region_filter(selectors.parties, method="filter_region")
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("标题、文号、被建议单位或案号"))
    issued_after = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte", label=_("发出日期不早于"))
    issued_before = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte", label=_("发出日期不晚于"))

    class Meta:
        model = Suggestion
        fields = ["status", "kind", "box", "overdue", "institution", "region", "q", "issued_after", "issued_before"]

    def filter_box(self, queryset, name, value):
        institution_id = getattr(self.request.user, "institution_id", None)
        if institution_id is None:
            return queryset.none()
        if value == "issued":
            return queryset.filter(issuer_id=institution_id)
        if value == "received":
            return queryset.filter(recipient_id=institution_id)
        cc = Suggestion.cc.through.objects.filter(institution_id=institution_id).values("suggestion_id")
        return queryset.filter(pk__in=cc)

    def filter_institution(self, queryset, name, value):
        return selectors.with_party(queryset, value)

    def filter_region(self, queryset, name, value):
        return selectors.in_region(queryset, value)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=Suggestion.OPEN_STATES, reply_due__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(letter__doc_number__icontains=value)
            | Q(recipient__name__icontains=value)
            | Q(recipient__short_name__icontains=value)
            | Q(case_number__icontains=value)
        )


class FilingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Filing.Kind.choices, label=_("备案类别"))
    filed_after = django_filters.DateFilter(field_name="filed_on", lookup_expr="gte", label=_("备案日期不早于"))
    filed_before = django_filters.DateFilter(field_name="filed_on", lookup_expr="lte", label=_("备案日期不晚于"))

    class Meta:
        model = Filing
        fields = ["kind", "filed_after", "filed_before"]
