from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.forms import PortalForm


class CommentaryForm(PortalForm):
    commentary = forms.CharField(
        label=_("审核意见与工作建议"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("印入通报正文“工作建议”部分，每段一行。"),
    )


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请写明理由。")},
    )

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class BulletinFilter(PortalForm):
    period = forms.CharField(label=_("季度"), required=False, max_length=6, help_text=_("如 2026Q3。"))
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *statuses]


class ReportForm(PortalForm):
    """Every section's heading and text, and the typical cases by 案号; built from the report's sections."""

    typical_cases = forms.CharField(
        label=_("典型案例（案号）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个案号，最多 20 件；只能选本院可查看的案件。"),
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section_keys = []
        for s in sections:
            self.fields[f"{s.key}_heading"] = forms.CharField(label=_("标题"), max_length=100, initial=s.heading)
            self.fields[f"{s.key}_body"] = forms.CharField(
                label=s.heading,
                required=False,
                max_length=20000,
                initial=s.body,
                widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
                help_text=_(
                    "可用：## 标题、### 小标题、- 列表、| 表格 | 行 |（第二行 |---| 为表头分隔）、**加粗**；其他内容按原文显示。"
                ),
            )
            self.section_keys.append(s.key)
        self.order_fields([f for k in self.section_keys for f in (f"{k}_heading", f"{k}_body")] + ["typical_cases"])
        for name in self.fields:  # the fields added after PortalForm styled its own
            w = self.fields[name].widget
            if "form-control" not in w.attrs.get("class", ""):
                w.attrs["class"] = f"{w.attrs.get('class', '')} form-control".strip()

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "sections": {k: {"heading": d[f"{k}_heading"], "body": d[f"{k}_body"]} for k in self.section_keys},
            "typical_cases": [line for line in d.get("typical_cases", "").splitlines() if line.strip()],
        }
