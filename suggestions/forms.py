"""Page forms for suggestions. They parse input; the rules (periods, parties, states) live in services."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import selectors as hub_selectors
from liaison.forms import (
    FilesField,
    FilterForm,
    InstitutionChoices,
    PortalForm,
    date_field,
    institution_filter,
    party_choices,
    region_filter,
)
from liaison.models import Institution

from . import page_selectors, selectors, services
from .models import Filing, Suggestion

UNIT_CHOICES = [("months", gettext_lazy("个月")), ("days", gettext_lazy("日"))]


def _period_text(period_unit: tuple[int, str]) -> str:
    period, unit = period_unit
    return f"{period}{services.UNIT_LABEL[unit]}"


def default_period_help(kind: str) -> str:
    """The configured default periods for the issuer's kind, in words, for the form's help text."""
    if kind == Suggestion.Kind.JUDICIAL:
        parts = [
            _("一般 %(p)s，紧急 %(u)s")
            % {
                "p": _period_text(services.default_period(kind=kind)),
                "u": _period_text(services.default_period(kind=kind, urgent=True)),
            }
        ]
    else:
        parts = []
        for subkind, label in (
            (Suggestion.Subkind.GENERAL, Suggestion.Subkind.GENERAL.label),
            (Suggestion.Subkind.PUBLIC_INTEREST, Suggestion.Subkind.PUBLIC_INTEREST.label),
        ):
            parts.append(
                _("%(l)s %(p)s（紧急 %(u)s）")
                % {
                    "l": label,
                    "p": _period_text(services.default_period(kind=kind, subkind=subkind)),
                    "u": _period_text(services.default_period(kind=kind, subkind=subkind, urgent=True)),
                }
            )
    return _("自签收之日起计算。留空按规定期限：%(d)s。可以缩短，不能长于规定期限。") % {"d": "；".join(parts)}


class SuggestionForm(PortalForm):
    subkind = forms.ChoiceField(
        label=gettext_lazy("检察建议类型"),
        choices=[
            (Suggestion.Subkind.GENERAL, Suggestion.Subkind.GENERAL.label),
            (Suggestion.Subkind.PUBLIC_INTEREST, Suggestion.Subkind.PUBLIC_INTEREST.label),
        ],
        initial=Suggestion.Subkind.GENERAL,
        error_messages={"required": gettext_lazy("请选择检察建议的类型。")},
    )
    recipient = forms.ModelChoiceField(
        None,
        label=gettext_lazy("被建议单位"),
        to_field_name="uuid",
        empty_label=gettext_lazy("请选择被建议单位"),
        error_messages={
            "required": gettext_lazy("请选择被建议单位。"),
            "invalid_choice": gettext_lazy("所选单位不存在或不能作为被建议单位。"),
        },
        help_text=gettext_lazy("行政机关：人民政府或政府部门。"),
        widget=forms.Select(attrs={"data-filterable": "1"}),
    )
    cc = InstitutionChoices(
        None,
        label=gettext_lazy("抄送单位"),
        required=False,
        help_text=gettext_lazy("如被建议单位的上级机关或主管部门；按住 Ctrl 可多选。"),
        error_messages={
            "invalid_choice": gettext_lazy("所选单位不存在。"),
            "invalid_pk_value": gettext_lazy("所选单位不存在。"),
        },
    )
    touches_procuratorial = forms.BooleanField(
        label=gettext_lazy("涉及检察监督职责"),
        required=False,
        help_text=gettext_lazy("勾选后，签发时自动抄送同级人民检察院，检察院可据此签发关联检察建议。"),
    )
    case_number = forms.CharField(
        label=gettext_lazy("关联案号"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("如（2026）桂02行初12号；非因办案发现的问题可留空。"),
    )
    category = forms.ChoiceField(label=gettext_lazy("问题类别"), choices=Suggestion.Category.choices)
    title = forms.CharField(
        label=gettext_lazy("标题"),
        max_length=200,
        help_text=gettext_lazy("如“关于规范城市管理行政执法程序的建议”。"),
        error_messages={"required": gettext_lazy("请填写标题。")},
    )
    problem = forms.CharField(
        label=gettext_lazy("发现的问题"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("请写明发现的问题。")},
    )
    recommendations = forms.CharField(
        label=gettext_lazy("建议内容"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("逐条写明，每条一段。"),
        error_messages={"required": gettext_lazy("请写明建议内容。")},
    )
    urgent = forms.BooleanField(
        label=gettext_lazy("紧急"),
        required=False,
        help_text=gettext_lazy("紧急的建议适用较短的规定期限，建议书标注“特急”。"),
    )
    reply_period = forms.IntegerField(
        label=gettext_lazy("回复期限"),
        required=False,
        min_value=1,
        max_value=999,
        error_messages={"invalid": gettext_lazy("回复期限必须是正整数。")},
    )
    reply_unit = forms.ChoiceField(
        label=gettext_lazy("期限单位"), choices=UNIT_CHOICES, required=False, initial="months"
    )
    linked_from = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # the 建议书's 附件: saved with the draft, or nothing is
    file = FilesField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        inst = user.institution
        self.kind = (
            Suggestion.Kind.JUDICIAL if inst and inst.kind == Institution.Kind.COURT else Suggestion.Kind.PROCURATORIAL
        )
        self.fields["recipient"].queryset = page_selectors.recipient_choices(user)
        self.fields["recipient"].label_from_instance = lambda obj: obj.name
        self.fields["cc"].queryset = hub_selectors.addressable_institutions(user)
        if self.kind == Suggestion.Kind.JUDICIAL:
            del self.fields["subkind"]
        else:
            del self.fields["touches_procuratorial"]
            self.fields["subkind"].widget = forms.RadioSelect(choices=self.fields["subkind"].choices)
            self.fields["subkind"].widget.attrs["class"] = "form-check-input"
        self.fields["reply_period"].help_text = default_period_help(self.kind)

    @property
    def kind_label(self) -> str:
        return Suggestion.Kind(self.kind).label

    def clean(self):
        data = super().clean()
        recipient = data.get("recipient")
        if recipient and recipient in (data.get("cc") or []):
            self.add_error("cc", _("抄送单位不能是被建议单位。"))
        return data

    def service_fields(self) -> dict:
        """The cleaned data as the services take it."""
        data = self.cleaned_data
        fields = {
            "recipient": data["recipient"],
            "cc": list(data["cc"]),
            "title": data["title"],
            "problem": data["problem"],
            "recommendations": data["recommendations"],
            "category": data["category"],
            "case_number": data["case_number"],
            "urgent": data["urgent"],
            "reply_period": data["reply_period"],
            "reply_unit": data["reply_unit"] or None,
        }
        if "subkind" in self.fields:
            fields["subkind"] = data["subkind"]
        if "touches_procuratorial" in self.fields:
            fields["touches_procuratorial"] = data["touches_procuratorial"]
        return fields

    @classmethod
    def initial_for(cls, s: Suggestion) -> dict:
        # The same-level procuratorate cc'd because of `touches_procuratorial` is not a choice of the author.
        cc = [i for i in s.cc.all() if not (s.touches_procuratorial and i.kind == Institution.Kind.PROCURATORATE)]
        return {
            "subkind": s.subkind or Suggestion.Subkind.GENERAL,
            "recipient": s.recipient,
            "cc": cc,
            "touches_procuratorial": s.touches_procuratorial,
            "case_number": s.case_number,
            "category": s.category,
            "title": s.title,
            "problem": s.problem,
            "recommendations": s.recommendations,
            "urgent": s.urgent,
            "reply_period": s.reply_period,
            "reply_unit": s.reply_unit,
        }

    @classmethod
    def initial_linked(cls, source: Suggestion) -> dict:
        """A procuratorial suggestion prefilled from the judicial one it follows up."""
        core = source.title.strip()
        core = core.removeprefix("关于")
        for ending in ("的司法建议书", "的司法建议", "的建议书", "的建议", "司法建议书", "司法建议", "建议书", "建议"):
            if core.endswith(ending):
                core = core[: -len(ending)]
                break
        return {
            "subkind": Suggestion.Subkind.GENERAL,
            "recipient": source.recipient,
            "title": _("关于%(t)s的检察建议") % {"t": core},
            "problem": source.problem,
            "recommendations": source.recommendations,
            "case_number": source.case_number,
            "category": source.category,
            "linked_from": source.uuid,
        }


# ----------------------------------------------------------------------------- actions


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("请写明理由。")},
    )

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


class IssueForm(PortalForm):
    issued_on = date_field(
        gettext_lazy("成文日期"),
        help_text=gettext_lazy("留空为今天。补录纸质建议书时填写实际成文日期，不能晚于今天。"),
        not_future=True,
    )


class ReceiveForm(PortalForm):
    received_on = date_field(
        gettext_lazy("签收日期"),
        help_text=gettext_lazy("纸质送达时填写实际签收日期；留空为今天。回复期限自签收之日起计算（签收当日不计入）。"),
        not_future=True,
    )


class ReplyForm(PortalForm):
    measures = forms.CharField(
        label=gettext_lazy("采纳建议及整改落实情况"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("逐条写明对建议的采纳情况、已采取的措施和整改结果。"),
        error_messages={"required": gettext_lazy("请写明采取的措施。")},
    )
    # the 复函's 附件: saved with the reply, or nothing is
    file = FilesField()


class ExtensionForm(PortalForm):
    days = forms.IntegerField(
        label=gettext_lazy("延长天数"),
        min_value=1,
        max_value=180,
        help_text=gettext_lazy("自原期限届满之日起延长的日数（1 至 180 日）。"),
        error_messages={
            "required": gettext_lazy("请填写延长天数。"),
            "invalid": gettext_lazy("请填写延长天数。"),
            "min_value": gettext_lazy("延长天数应在 1 至 180 日之间。"),
            "max_value": gettext_lazy("延长天数应在 1 至 180 日之间。"),
        },
    )
    reasons = forms.CharField(
        label=gettext_lazy("延期理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("请写明延期理由。")},
    )


class ExtensionDecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("审批意见"),
        choices=[("approve", gettext_lazy("同意延期")), ("refuse", gettext_lazy("不同意延期"))],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择同意或不同意。")},
    )
    reason = forms.CharField(
        label=gettext_lazy("意见说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("不同意延期时必须说明理由。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"


class EvaluationForm(PortalForm):
    evaluation = forms.ChoiceField(
        label=gettext_lazy("评价结果"),
        choices=Suggestion.Evaluation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择评价结果。")},
    )
    reasons = forms.CharField(
        label=gettext_lazy("评价理由"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("部分采纳或未采纳时必须说明理由。"),
    )
    rectify = forms.BooleanField(
        label=gettext_lazy("要求继续整改并再次书面回复"),
        required=False,
        help_text=gettext_lazy("部分采纳或未采纳时可开启新一轮整改，被建议单位须在期限内再次回复。"),
    )
    rectify_days = forms.IntegerField(
        label=gettext_lazy("整改回复期限（日）"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=gettext_lazy("自评价之日起计算，1 至 365 日。"),
        error_messages={
            "invalid": gettext_lazy("请填写整改回复期限（天数）。"),
            "min_value": gettext_lazy("整改期限应在 1 至 365 日之间。"),
            "max_value": gettext_lazy("整改期限应在 1 至 365 日之间。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].widget.attrs["class"] = "form-check-input"


# ----------------------------------------------------------------------------- filings


class FilingForm(PortalForm):
    kind = forms.ChoiceField(label=gettext_lazy("备案类别"), choices=Filing.Kind.choices)
    suggestion = forms.ModelChoiceField(
        None,
        label=gettext_lazy("检察建议"),
        required=False,
        to_field_name="uuid",
        empty_label=gettext_lazy("请选择本院发出的检察建议"),
        help_text=gettext_lazy("备案类别为“检察建议”时必选。"),
        error_messages={"invalid_choice": gettext_lazy("请选择本院发出的检察建议。")},
    )
    title = forms.CharField(
        label=gettext_lazy("标题"), max_length=200, error_messages={"required": gettext_lazy("请填写标题。")}
    )
    summary = forms.CharField(
        label=gettext_lazy("基本情况"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("请写明基本情况。")},
    )
    filed_on = date_field(
        gettext_lazy("备案日期"), help_text=gettext_lazy("留空为今天；不能晚于今天。"), not_future=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].queryset = page_selectors.filing_suggestion_choices(user)
        self.fields["suggestion"].label_from_instance = lambda s: f"{s.letter.doc_number} {s.title}"


# ----------------------------------------------------------------------------- filters


class SuggestionFilter(FilterForm):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), required=False, choices=[("", gettext_lazy("全部状态")), *Suggestion.Status.choices]
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"), required=False, choices=[("", gettext_lazy("全部类别")), *Suggestion.Kind.choices]
    )
    overdue = forms.ChoiceField(
        label=gettext_lazy("期限"),
        required=False,
        choices=[("", gettext_lazy("全部")), ("yes", gettext_lazy("已逾期未回复")), ("no", gettext_lazy("未逾期"))],
    )
    institution = institution_filter(gettext_lazy("发出或被建议单位"))
    region = region_filter()
    issued_from = date_field(gettext_lazy("发出日期自"))
    issued_to = date_field(gettext_lazy("发出日期至"))
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("标题、文号、单位、案号")}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the parties of suggestions the user may see, and their regions (selectors.parties).
        party_choices(self, selectors.parties(user), institution="institution")

    def clean(self):
        data = super().clean()
        if data.get("issued_from") and data.get("issued_to") and data["issued_from"] > data["issued_to"]:
            self.add_error("issued_to", _("结束日期不能早于开始日期。"))
        return data


class FilingFilter(FilterForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("备案类别"), required=False, choices=[("", gettext_lazy("全部类别")), *Filing.Kind.choices]
    )
    filed_from = date_field(gettext_lazy("备案日期自"))
    filed_to = date_field(gettext_lazy("备案日期至"))
    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("filed_from") and data.get("filed_to") and data["filed_from"] > data["filed_to"]:
            self.add_error("filed_to", _("结束日期不能早于开始日期。"))
        return data


GROUP_CHOICES = [
    ("issuer", gettext_lazy("按发出机关")),
    ("recipient", gettext_lazy("按被建议单位")),
    ("region", gettext_lazy("按地区")),
    ("kind", gettext_lazy("按建议类别")),
]


class StatisticsForm(FilterForm):
    quarter = forms.ChoiceField(label=gettext_lazy("季度"), required=False)
    start = date_field(gettext_lazy("自定义起始日期"))
    end = date_field(gettext_lazy("自定义截止日期"))
    group = forms.ChoiceField(label=gettext_lazy("统计维度"), required=False, choices=GROUP_CHOICES)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["quarter"].choices = page_selectors.recent_quarters(self.today)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and not self.has_error("start") and not self.has_error("end"):
            self.add_error("end" if start else "start", _("自定义期间须同时填写起始和截止日期。"))
        elif start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        elif start and end and (end - start).days > 3660:
            self.add_error("end", _("统计期间不能超过十年。"))
        return data

    def period(self) -> tuple[dt.date, dt.date, str]:
        """(start, end, words) from the custom dates if both are valid, else the quarter, else this quarter."""
        values = self.values()
        if values.get("start") and values.get("end") and not self.errors:
            start, end = values["start"], values["end"]
            return start, end, f"{start.isoformat()} 至 {end.isoformat()}"
        key = values.get("quarter") or page_selectors.quarter_key(self.today)
        start, end = page_selectors.parse_quarter(key)
        label = dict(self.fields["quarter"].choices).get(key, key)
        return start, end, f"{label}（{start.isoformat()} 至 {end.isoformat()}）"

    def group_by(self) -> str:
        return self.values().get("group") or "issuer"
