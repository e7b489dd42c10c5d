"""Page forms for meetings; the services validate again and their errors go beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.forms import FilterForm, PortalForm, institution_filter, party_choices, region_filter
from liaison.models import Institution, LedgerEntry

from . import selectors
from .models import Decision, LawClass, LegalReview, Meeting, MeetingKind, Research


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
    owner = institution_filter(_("责任单位"))
    region = region_filter()
    open = forms.BooleanField(label=_("只看未办结"), required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        party_choices(self, selectors.decision_owners(user), institution="owner")


class ReviewFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *LegalReview.Status.choices])
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)


class ResearchFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Research.Status.choices])
    topic = forms.ChoiceField(label=_("调研领域"), required=False, choices=[("", _("全部")), *Research.Topic.choices])
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)


class ClassFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *LawClass.Status.choices])
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)


# ----------------------------------------------------------------------------- legal review (论证)


def _judicial():
    return Institution.objects.filter(
        is_active=True, kind__in=[Institution.Kind.COURT, Institution.Kind.PROCURATORATE]
    ).order_by("region_id", "kind", "id")


class ReviewForm(PortalForm):
    subject = forms.ChoiceField(label=_("论证事项类别"), choices=[])
    title = forms.CharField(label=_("草案名称"), max_length=200)
    summary = forms.CharField(
        label=_("起草说明"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_("草案的背景、主要内容和需要重点论证的问题。"),
    )
    invitees = forms.ModelMultipleChoiceField(
        label=_("邀请单位"), queryset=_judicial(), widget=forms.CheckboxSelectMultiple
    )
    period = forms.IntegerField(label=_("反馈期限（工作日）"), min_value=1, max_value=60, initial=10)
    draft = forms.FileField(
        label=_("草案文本"),
        required=False,
        help_text=_("PDF、OFD、Word、WPS 文件；可稍后上传，签发征求意见函前须上传。"),
    )

    def __init__(self, *args, **kwargs):
        from .models import LegalReview

        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = LegalReview.Subject.choices
        self.fields["invitees"].queryset = _judicial()


class UploadForm(PortalForm):
    file = forms.FileField(label=_("草案文本"), help_text=_("PDF、OFD、Word、WPS 文件。"))


class OpinionForm(PortalForm):
    clause = forms.CharField(
        label=_("条款"), max_length=60, required=False, help_text=_("如“第五条第二款”；不填为对草案的总体意见。")
    )
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReturnOpinionsForm(PortalForm):
    general = forms.CharField(
        label=_("总体意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("可不填；未逐条提出意见的，请在此写明意见（如“无意见”）。"),
    )


class AdoptionForm(PortalForm):
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=[], widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("部分采纳、不采纳的，须写明理由。"),
    )

    def __init__(self, *args, **kwargs):
        from .models import ReviewOpinion

        super().__init__(*args, **kwargs)
        self.fields["adoption"].choices = [c for c in ReviewOpinion.Adoption.choices if c[0]]


# ----------------------------------------------------------------------------- research and classes


class ResearchForm(PortalForm):
    topic = forms.ChoiceField(label=_("调研领域"), choices=[])
    topic_other = forms.CharField(label=_("其他领域"), max_length=60, required=False, help_text=_("选择“其他”时填写。"))
    title = forms.CharField(label=_("调研课题"), max_length=200)
    purpose = forms.CharField(label=_("调研目的和内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)

    def __init__(self, *args, **kwargs):
        from .models import Research

        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = Research.Topic.choices


class MemberForm(PortalForm):
    institution = forms.ModelChoiceField(label=_("单位"), queryset=_institutions())
    name = forms.CharField(label=_("姓名"), max_length=40)
    post = forms.CharField(label=_("职务"), max_length=60, required=False)


class MilestoneForm(PortalForm):
    title = forms.CharField(label=_("节点"), max_length=200, help_text=_("如“实地走访”“形成报告初稿”。"))
    due_date = forms.DateField(label=_("计划完成日期"), widget=DATE)


class MilestoneDoneForm(PortalForm):
    done_on = forms.DateField(label=_("完成日期"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ResearchReportForm(PortalForm):
    title = forms.CharField(label=_("报告标题"), max_length=200)
    body = forms.CharField(label=_("报告正文"), widget=forms.Textarea(attrs={"rows": 16}), max_length=50000)


class ClassForm(PortalForm):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    summary = forms.CharField(
        label=_("授课内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    starts_at = forms.DateTimeField(label=_("授课时间"), widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    location = forms.CharField(label=_("地点"), max_length=200)
    audience = forms.ModelMultipleChoiceField(
        label=_("听课单位"), queryset=_institutions(), widget=forms.SelectMultiple(attrs={"size": 10})
    )


class LecturerForm(PortalForm):
    institution = forms.ModelChoiceField(
        label=_("单位"), queryset=_institutions(), help_text=_("法院、检察院或政府法制部门（司法局）。")
    )
    name = forms.CharField(label=_("姓名"), max_length=40)
    post = forms.CharField(label=_("职务"), max_length=60, required=False)
    topic = forms.CharField(label=_("授课题目"), max_length=200, required=False)


class MaterialForm(PortalForm):
    file = forms.FileField(label=_("授课材料"), help_text=_("PDF、OFD、Word、Excel、WPS、PNG、JPEG 文件。"))


class ClassHoldForm(PortalForm):
    held_on = forms.DateField(label=_("举办日期"), required=False, widget=DATE)
    attendance = forms.CharField(
        label=_("到课情况"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个单位：单位简称 人数 姓名（姓名可不填）。"),
    )
