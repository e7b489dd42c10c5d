"""Page forms for cases, hearings, appearances, conclusion, coordination and import.

They parse input and offer choices from `visible_to(user)`; the rules (states, dates, parties)
live in `cases.services`, whose ValidationErrors the views put beside these forms' fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.forms import FilterForm, InstitutionChoices, PortalForm, date_field
from liaison.models import Institution

from ..models import AdministrativeCase, Appearance, Cause, Coordination, Outcome, normalise_case_number

Case = AdministrativeCase
K = Institution.Kind
YES_NO = [("", gettext_lazy("未确定")), ("yes", gettext_lazy("是")), ("no", gettext_lazy("否"))]
MAJOR_CHOICES = [("", gettext_lazy("非重大案件")), *[c for c in Case.MajorCategory.choices if c[0]]]


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def yes_no_initial(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _institutions(user, *kinds):
    return (
        Institution.objects.visible_to(user)
        .filter(kind__in=kinds, is_active=True)
        .select_related("region")
        .order_by("region__level", "region_id", "kind", "id")
    )


def defendant_choices(user):
    """Administrative organs a case may be brought against: governments and their departments."""
    return _institutions(user, K.GOVERNMENT, K.AGENCY)


class _InstitutionChoice(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


def _radios(field):
    field.widget = forms.RadioSelect(choices=field.choices)
    field.widget.attrs["class"] = "form-check-input"


# ----------------------------------------------------------------------------- list


class CaseFilter(FilterForm):
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("案号、原告或被告")}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部状态")), *Case.Status.choices]
    )
    instance = forms.ChoiceField(
        label=gettext_lazy("审级"), required=False, choices=[("", gettext_lazy("全部审级")), *Case.Instance.choices]
    )
    cause = forms.ModelChoiceField(
        Cause.objects.order_by("position", "id"),
        label=gettext_lazy("案由"),
        required=False,
        empty_label=gettext_lazy("全部案由"),
    )
    court = _InstitutionChoice(
        None, label=gettext_lazy("审理法院"), required=False, empty_label=gettext_lazy("全部法院")
    )
    defendant = _InstitutionChoice(
        None, label=gettext_lazy("被告"), required=False, empty_label=gettext_lazy("全部被告")
    )
    major = forms.ChoiceField(
        label=gettext_lazy("重大案件"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            ("yes", gettext_lazy("全部重大案件")),
            ("no", gettext_lazy("非重大案件")),
            *[c for c in Case.MajorCategory.choices if c[0]],
        ],
    )
    filed_from = date_field(gettext_lazy("立案日期自"))
    filed_to = date_field(gettext_lazy("立案日期至"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = _institutions(user, K.COURT)
        self.fields["defendant"].queryset = defendant_choices(user)

    def clean(self):
        data = super().clean()
        if data.get("filed_from") and data.get("filed_to") and data["filed_from"] > data["filed_to"]:
            self.add_error("filed_to", _("结束日期不能早于开始日期。"))
        return data


class CoordinationFilter(FilterForm):
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("案号或协调事项")}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *Coordination.Status.choices],
    )


# ----------------------------------------------------------------------------- the case


class CaseForm(PortalForm):
    number = forms.CharField(
        label=gettext_lazy("案号"),
        max_length=40,
        help_text=gettext_lazy("如“（2026）桂02行初12号”；半角括号也可，保存时统一为全角。"),
        error_messages={"required": gettext_lazy("请填写案号。")},
    )
    instance = forms.ChoiceField(
        label=gettext_lazy("审级"),
        choices=Case.Instance.choices,
        initial=Case.Instance.FIRST,
        error_messages={"required": gettext_lazy("请选择审级。"), "invalid_choice": gettext_lazy("请选择审级。")},
    )
    cause = forms.ModelChoiceField(
        Cause.objects.order_by("position", "id"),
        label=gettext_lazy("案由"),
        empty_label=gettext_lazy("请选择案由"),
        error_messages={"required": gettext_lazy("请选择案由。"), "invalid_choice": gettext_lazy("请选择案由。")},
    )
    plaintiffs = forms.CharField(
        label=gettext_lazy("原告"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("多个原告每行一个。"),
        error_messages={"required": gettext_lazy("请填写原告。")},
    )
    defendants = InstitutionChoices(
        None,
        label=gettext_lazy("被告行政机关"),
        help_text=gettext_lazy("人民政府或政府部门；按住 Ctrl 可多选，可在上方输入框中按名称筛选。"),
        error_messages={
            "required": gettext_lazy("请选择被告行政机关。"),
            "invalid_choice": gettext_lazy("所选单位不存在或不能作为被告。"),
            "invalid_pk_value": gettext_lazy("所选单位不存在或不能作为被告。"),
        },
    )
    filed_on = date_field(
        gettext_lazy("立案日期"), required=True, help_text=gettext_lazy("不能晚于今天。"), not_future=True
    )
    major_category = forms.ChoiceField(
        label=gettext_lazy("重大案件类别"),
        choices=MAJOR_CHOICES,
        required=False,
        help_text=gettext_lazy("集体土地征收、房屋拆迁补偿等重大案件可启动府院协调，负责人应当出庭应诉。"),
    )
    summary = forms.CharField(
        label=gettext_lazy("案情摘要"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    CORE = ("number", "instance", "cause", "plaintiffs", "defendants", "filed_on")

    def __init__(self, *args, user, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filed_on"].error_messages["required"] = _("请填写立案日期。")
        self.fields["filed_on"].error_messages["invalid"] = _("立案日期格式不正确。")
        self.fields["defendants"].queryset = defendant_choices(user)
        self.locked = case is not None and case.status != Case.Status.PENDING
        if self.locked:
            # A concluded case keeps its 案号, parties and filing date (services.case_update).
            for name in self.CORE:
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean_number(self):
        value = self.cleaned_data.get("number")
        if self.fields["number"].disabled:
            return value
        try:
            return normalise_case_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def service_fields(self) -> dict:
        data = self.cleaned_data
        names = ("major_category", "summary") if self.locked else (*self.CORE, "major_category", "summary")
        fields = {name: data[name] for name in names}
        if "defendants" in fields:
            fields["defendants"] = list(fields["defendants"])
        return fields

    @classmethod
    def initial_for(cls, case: Case) -> dict:
        return {
            "number": case.number,
            "instance": case.instance,
            "cause": case.cause,
            "plaintiffs": case.plaintiffs,
            "defendants": list(case.defendants.all()),
            "filed_on": case.filed_on,
            "major_category": case.major_category,
            "summary": case.summary,
        }


class HearingForm(PortalForm):
    held_on = date_field(
        gettext_lazy("开庭日期"), required=True, help_text=gettext_lazy("可以登记尚未开庭的排期；不能早于立案日期。")
    )
    court_room = forms.CharField(
        label=gettext_lazy("法庭"), max_length=60, required=False, help_text=gettext_lazy("如“第三审判庭”。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = _("请填写开庭日期。")
        self.fields["held_on"].error_messages["invalid"] = _("开庭日期格式不正确。")


class AppearanceForm(PortalForm):
    defendant = _InstitutionChoice(
        None,
        label=gettext_lazy("被告"),
        empty_label=gettext_lazy("请选择被告"),
        error_messages={
            "required": gettext_lazy("请选择被告。"),
            "invalid_choice": gettext_lazy("该单位不是本案被告。"),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("出庭情况"),
        choices=Appearance.Kind.choices,
        error_messages={"required": gettext_lazy("请选择出庭情况。")},
    )
    person_name = forms.CharField(label=gettext_lazy("出庭人"), max_length=40, required=False)
    person_post = forms.CharField(
        label=gettext_lazy("职务"), max_length=60, required=False, help_text=gettext_lazy("负责人出庭须填写职务。")
    )
    explanation = forms.FileField(
        label=gettext_lazy("书面说明"),
        required=False,
        help_text=gettext_lazy("委托工作人员出庭的，上传加盖公章的书面说明扫描件（PDF、PNG 或 JPEG）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    head_summoned = forms.BooleanField(label=gettext_lazy("法院通知负责人出庭"), required=False)
    summon_basis = forms.ChoiceField(
        label=gettext_lazy("通知依据"),
        required=False,
        choices=[("", gettext_lazy("请选择通知依据")), *[c for c in Appearance.SummonBasis.choices if c[0]]],
    )
    summon_reason = forms.CharField(
        label=gettext_lazy("通知理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    SUMMON = ("head_summoned", "summon_basis", "summon_reason")

    def __init__(self, *args, defendants, may_summon: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].queryset = defendants
        _radios(self.fields["kind"])
        if not may_summon:
            # Whether and why the head was summoned is the court's record once it exists.
            for name in self.SUMMON:
                del self.fields[name]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "defendant": data["defendant"],
            "kind": data["kind"],
            "person_name": data["person_name"],
            "person_post": data["person_post"],
            "explanation": data["explanation"] or None,
        }
        for name in self.SUMMON:
            if name in self.fields:
                fields[name] = data[name]
        return fields

    @classmethod
    def initial_for(cls, row: Appearance | None, defendant) -> dict:
        if row is None:
            return {"defendant": defendant}
        return {
            "defendant": row.defendant,
            "kind": row.kind,
            "person_name": row.person_name,
            "person_post": row.person_post,
            "head_summoned": row.head_summoned,
            "summon_basis": row.summon_basis,
            "summon_reason": row.summon_reason,
        }


class ConcludeForm(PortalForm):
    outcome = forms.ModelChoiceField(
        Outcome.objects.order_by("position", "id"),
        label=gettext_lazy("结案方式"),
        empty_label=gettext_lazy("请选择结案方式"),
        error_messages={
            "required": gettext_lazy("请选择结案方式。"),
            "invalid_choice": gettext_lazy("请选择结案方式。"),
        },
    )
    concluded_on = date_field(
        gettext_lazy("结案日期"),
        required=True,
        help_text=gettext_lazy("不能早于立案日期，不能晚于今天。"),
        not_future=True,
    )
    effective_on = date_field(
        gettext_lazy("生效日期"),
        help_text=gettext_lazy("裁判已生效的填写；尚未生效的留空，生效后再登记。"),
        not_future=True,
    )
    imposes_obligation = forms.ChoiceField(
        label=gettext_lazy("生效裁判课以义务"),
        choices=YES_NO,
        required=False,
        help_text=gettext_lazy("判决行政机关履行义务、赔偿等的选“是”；用于计算生效裁判自动履行率。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concluded_on"].error_messages["required"] = _("请填写结案日期。")
        _radios(self.fields["imposes_obligation"])


class EffectiveForm(PortalForm):
    effective_on = date_field(
        gettext_lazy("生效日期"),
        required=True,
        help_text=gettext_lazy("不能早于结案日期，不能晚于今天。"),
        not_future=True,
    )
    imposes_obligation = forms.ChoiceField(label=gettext_lazy("生效裁判课以义务"), choices=YES_NO, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].error_messages["required"] = _("请填写生效日期。")
        _radios(self.fields["imposes_obligation"])


class PerformanceForm(PortalForm):
    performed_voluntarily = forms.ChoiceField(
        label=gettext_lazy("是否自动履行"),
        choices=[("yes", gettext_lazy("已自动履行（未经申请强制执行）")), ("no", gettext_lazy("未自动履行"))],
        error_messages={"required": gettext_lazy("请选择是否自动履行。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self.fields["performed_voluntarily"])


# ----------------------------------------------------------------------------- coordination


class CoordinationOpenForm(PortalForm):
    government = _InstitutionChoice(
        None,
        label=gettext_lazy("协调政府"),
        empty_label=gettext_lazy("请选择人民政府"),
        help_text=gettext_lazy("一般为被告行政机关的本级人民政府。"),
        error_messages={
            "required": gettext_lazy("请选择协调的人民政府。"),
            "invalid_choice": gettext_lazy("请选择协调的人民政府。"),
        },
    )
    subject = forms.CharField(
        label=gettext_lazy("协调事项"),
        max_length=200,
        help_text=gettext_lazy("如“集体土地征收补偿安置争议协调”。"),
        error_messages={"required": gettext_lazy("请填写协调事项。")},
    )
    opened_on = date_field(gettext_lazy("启动日期"), help_text=gettext_lazy("留空为今天。"), not_future=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["government"].queryset = _institutions(user, K.GOVERNMENT)


class CommunicationForm(PortalForm):
    summary = forms.CharField(
        label=gettext_lazy("沟通情况"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("写明沟通方式、参加人员、各方意见和下一步安排。"),
        error_messages={"required": gettext_lazy("请写明沟通情况。")},
    )
    occurred_on = date_field(gettext_lazy("沟通日期"), help_text=gettext_lazy("留空为今天。"), not_future=True)


class InviteForm(PortalForm):
    procuratorate = _InstitutionChoice(
        None,
        label=gettext_lazy("邀请监督的检察院"),
        empty_label=gettext_lazy("请选择人民检察院"),
        error_messages={
            "required": gettext_lazy("请选择人民检察院。"),
            "invalid_choice": gettext_lazy("请选择人民检察院。"),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procuratorate"].queryset = _institutions(user, K.PROCURATORATE)


class CloseForm(PortalForm):
    outcome = forms.CharField(
        label=gettext_lazy("协调结果"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("写明协调达成的意见或未能达成一致的情况。"),
        error_messages={"required": gettext_lazy("请写明协调结果。")},
    )
    closed_on = date_field(gettext_lazy("结束日期"), help_text=gettext_lazy("留空为今天。"), not_future=True)


# ----------------------------------------------------------------------------- import


class ImportUploadForm(PortalForm):
    file = forms.FileField(
        label=gettext_lazy("案件清单（.xlsx）"),
        help_text=gettext_lazy("请使用导入模板；按列名识别，列的顺序不限。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": gettext_lazy("请选择要导入的 .xlsx 文件。")},
    )
