"""Filters for the cases API lists (django-filter).

Each filter set validates the query string (a bad value is a 400 with the parameter's
name) and then hands the cleaned values to the list selector in `cases.selectors`, which
starts from `visible_to(user)`: a foreign uuid in a filter matches nothing, it never
widens what a user sees. The queryset django-filter passes in is therefore not used.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from liaison.filters import institution_filter, region_filter
from liaison.models import Institution

from . import selectors
from .models import (
    AdministrativeCase,
    Cause,
    ClueTransfer,
    Coordination,
    Dispute,
    Enforcement,
    Observation,
    Review,
    SupervisionApplication,
)

NOTHING = object()


class StrictBooleanWidget(BooleanWidget):
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        # An unknown word is passed on for the field to reject, instead of meaning "no filter".
        return raw if value is None and raw not in (None, "") else value


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0), or absent; anything else is an error."""

    def to_python(self, value):
        if isinstance(value, str) and value:
            raise forms.ValidationError(_("请填写 true 或 false。"), code="invalid")
        return super().to_python(value)


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", StrictBooleanWidget)
        super().__init__(*args, **kwargs)


def _pk(model, **lookup):
    """The primary key behind a public value, or NOTHING when none matches."""
    pk = model.objects.filter(**lookup).values_list("pk", flat=True).first()
    return NOTHING if pk is None else pk


class SelectorFilterSet(django_filters.FilterSet):
    """Validated parameters → keyword arguments of a list selector."""

    def selector_kwargs(self, data: dict) -> dict:
        raise NotImplementedError

    def select(self, **kwargs):
        raise NotImplementedError

    def filter_queryset(self, queryset):
        kwargs = self.selector_kwargs(self.form.cleaned_data)
        if any(value is NOTHING for value in kwargs.values()):
            return queryset.none()
        return self.select(user=self.request.user, **kwargs)


def _case_kwarg(data: dict) -> dict:
    return {"case": _pk(AdministrativeCase, uuid=data["case"])} if data.get("case") else {}


class CaseFilter(SelectorFilterSet):
    status = django_filters.ChoiceFilter(choices=AdministrativeCase.Status.choices, label=_("状态"))
    instance = django_filters.ChoiceFilter(choices=AdministrativeCase.Instance.choices, label=_("审级"))
    cause = django_filters.CharFilter(max_length=40, label=_("案由（名称）"))
    court = django_filters.UUIDFilter(label=_("审理法院的 uuid"))
    defendant = django_filters.UUIDFilter(label=_("被告行政机关的 uuid"))
    major = BooleanFilter(label=_("重大案件"))
    filed_after = django_filters.DateFilter(label=_("立案日期不早于"))
    filed_before = django_filters.DateFilter(label=_("立案日期不晚于"))
    q = django_filters.CharFilter(max_length=100, label=_("案号、原告或被告名称"))

    class Meta:
        model = AdministrativeCase
        fields = ["status", "instance", "cause", "court", "defendant", "major", "filed_after", "filed_before", "q"]

    def selector_kwargs(self, data):
        kwargs = {
            name: data.get(name)
            for name in ("q", "status", "instance", "major", "filed_after", "filed_before")
            if data.get(name) not in (None, "")
        }
        if data.get("cause"):
            kwargs["cause"] = _pk(Cause, name=data["cause"].strip())
        for name in ("court", "defendant"):
            if data.get(name):
                kwargs[name] = _pk(Institution, uuid=data[name])
        return kwargs

    def select(self, **kwargs):
        return selectors.case_list(**kwargs)


class DisputeFilter(SelectorFilterSet):
    status = django_filters.ChoiceFilter(choices=Dispute.Status.choices, label=_("状态"))
    q = django_filters.CharFilter(max_length=100, label=_("争议事项、申请人或涉事行政机关"))
    institution = institution_filter(
        selectors.dispute_parties, label=_("涉事行政机关、政府、法院或检察院（单位 uuid）")
    )
    region = region_filter(selectors.dispute_parties)

    class Meta:
        model = Dispute
        fields = ["status", "q", "institution", "region"]

    def selector_kwargs(self, data):
        return {
            "status": data.get("status") or None,
            "q": data.get("q") or None,
            "institution": data.get("institution"),
            "region": data.get("region"),
        }

    def select(self, **kwargs):
        return selectors.dispute_list(**kwargs)


class CoordinationFilter(SelectorFilterSet):
    status = django_filters.ChoiceFilter(choices=Coordination.Status.choices, label=_("状态"))
    case = django_filters.UUIDFilter(label=_("案件的 uuid"))

    class Meta:
        model = Coordination
        fields = ["status", "case"]

    def selector_kwargs(self, data):
        return {"status": data.get("status") or None, **_case_kwarg(data)}

    def select(self, **kwargs):
        return selectors.coordination_list(**kwargs)


class EnforcementFilter(SelectorFilterSet):
    status = django_filters.ChoiceFilter(choices=Enforcement.Status.choices, label=_("状态"))
    q = django_filters.CharFilter(max_length=100, label=_("执行依据文号、被执行人或申请机关"))
    overdue = BooleanFilter(label=_("逾期未反馈"))
    institution = institution_filter(
        selectors.enforcement_parties, label=_("法院、申请机关或组织实施机关（单位 uuid）")
    )
    region = region_filter(selectors.enforcement_parties)

    class Meta:
        model = Enforcement
        fields = ["status", "q", "overdue", "institution", "region"]

    def selector_kwargs(self, data):
        return {
            "status": data.get("status") or None,
            "q": data.get("q") or None,
            "overdue": bool(data.get("overdue")),
            "institution": data.get("institution"),
            "region": data.get("region"),
        }

    def select(self, **kwargs):
        return selectors.enforcement_list(**kwargs)


class SupervisionFilter(SelectorFilterSet):
    status = django_filters.ChoiceFilter(choices=SupervisionApplication.Status.choices, label=_("状态"))
    institution = institution_filter(selectors.supervision_parties, label=_("检察院、法院或实施机关（单位 uuid）"))
    region = region_filter(selectors.supervision_parties)

    class Meta:
        model = SupervisionApplication
        fields = ["status", "institution", "region"]

    def selector_kwargs(self, data):
        return {
            "status": data.get("status") or None,
            "institution": data.get("institution"),
            "region": data.get("region"),
        }

    def select(self, **kwargs):
        return selectors.supervision_list(**kwargs)


class ClueFilter(SelectorFilterSet):
    BOX_CHOICES = [("sent", _("本单位移送")), ("received", _("移送本单位"))]

    status = django_filters.ChoiceFilter(choices=ClueTransfer.Status.choices, label=_("状态"))
    box = django_filters.ChoiceFilter(choices=BOX_CHOICES, label=_("移送或接收"))
    institution = institution_filter(selectors.clue_parties, label=_("移送或接收单位（单位 uuid）"))
    region = region_filter(selectors.clue_parties)

    class Meta:
        model = ClueTransfer
        fields = ["status", "box", "institution", "region"]

    def selector_kwargs(self, data):
        return {
            "status": data.get("status") or None,
            "box": data.get("box") or None,
            "institution": data.get("institution"),
            "region": data.get("region"),
        }

    def select(self, **kwargs):
        return selectors.clue_list(**kwargs)


class ObservationFilter(SelectorFilterSet):
    case = django_filters.UUIDFilter(label=_("案件的 uuid"))

    class Meta:
        model = Observation
        fields = ["case"]

    def selector_kwargs(self, data):
        return _case_kwarg(data)

    def select(self, **kwargs):
        return selectors.observation_list(**kwargs)


class ReviewFilter(SelectorFilterSet):
    case = django_filters.UUIDFilter(label=_("案件的 uuid"))

    class Meta:
        model = Review
        fields = ["case"]

    def selector_kwargs(self, data):
        return _case_kwarg(data)

    def select(self, **kwargs):
        return selectors.review_list(**kwargs)
