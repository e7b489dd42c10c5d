"""Page forms for meetings; the services validate again and their errors go beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.forms import FilterForm, PortalForm
from liaison.models import Institution, LedgerEntry

from .models import Decision, Meeting, MeetingKind


def _institutions():
    return Institution.objects.filter(is_active=True).order_by("region_id", "kind", "id")


DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposeForm(PortalForm):
    kind = forms.ModelChoiceField(label=_("会议类别"), queryset=MeetingKind.objects.filter(is_active=True))
    title = forms.CharField(label=_("会议议题"), max_length=200)
    reasons = forms.CharField(label=_("提议理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    proposed_date = forms.DateField(label=_("建议召开日期"), required=False, widget=DATE)
    participants = forms.ModelMultipleChoiceField(
        label=_("建议参加单位"),
        queryset=_institutions(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ConveneForm(PortalForm):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=DT, required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    location = forms.CharField(label=_("会议地点"), max_length=200)
    invitees = forms.ModelMultipleChoiceField(
        label=_("受邀单位"), queryset=_institutions(), widget=forms.SelectMultiple(attrs={"size": 10})
    )


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ConfirmForm(PortalForm):
    pass


class AgendaForm(PortalForm):
    title = forms.CharField(label=_("议程"), max_length=200)
    presenter = forms.ModelChoiceField(label=_("汇报单位"), queryset=_institutions(), required=False)


class RespondForm(PortalForm):
    attending = forms.TypedChoiceField(
        label=_("回复"),
        choices=[("1", _("参加")), ("0", _("请假"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    attendees = forms.CharField(
        label=_("参会人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名 职务。"),
        max_length=2000,
    )
    apology_reason = forms.CharField(
        label=_("请假理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class HoldForm(PortalForm):
    held_on = forms.DateField(label=_("召开日期"), widget=DATE)
    attendance = forms.CharField(
        label=_("签到"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一人：单位简称 姓名 职务；已按各单位回复预填，未到会的请删去。"),
    )


class DecisionForm(PortalForm):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    owner = forms.ModelChoiceField(label=_("责任单位"), queryset=_institutions())
    due_date = forms.DateField(
        label=_("完成期限"), required=False, widget=DATE, help_text=_("不填则按会议类别的默认期限计算。")
    )
    period = forms.IntegerField(label=_("或期限"), required=False, min_value=1, max_value=1000)
    unit = forms.ChoiceField(label=_("期限单位"), choices=LedgerEntry.Unit.choices, required=False)


class MinutesForm(PortalForm):
    title = forms.CharField(label=_("纪要标题"), max_length=200)
    body = forms.CharField(label=_("纪要正文"), widget=forms.Textarea(attrs={"rows": 18}), max_length=50000)


class TextForm(PortalForm):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReportForm(PortalForm):
    evidence = forms.CharField(label=_("办结情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    done_on = forms.DateField(label=_("办结日期"), required=False, widget=DATE)


class NoteForm(PortalForm):
    note = forms.CharField(
        label=_("确认意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


# ----------------------------------------------------------------------------- list filters


class MeetingFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Meeting.Status.choices])
    kind = forms.ChoiceField(label=_("会议类别"), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = MeetingKind.objects.filter(is_active=True).values_list("code", "name")
        self.fields["kind"].choices = [("", _("全部")), *kinds]


class DecisionFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Decision.Status.choices])
    open = forms.BooleanField(label=_("只看未办结"), required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
