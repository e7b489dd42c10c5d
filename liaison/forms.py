"""Page forms of the hub. They only parse input: rules live in services, rows come from selectors."""

from django import forms
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import selectors, uploads
from .lists import escaped
from .models import Institution, Letter, Region

DATE_WIDGET = {"type": "date"}


class NotInFuture:
    """The form says a date is in the future in the same round as every other error (the
    service still checks it: this only spares the user a second submission)."""

    def __init__(self, label):
        self.label = label

    def __call__(self, value):
        if value and value > timezone.localdate():
            raise ValidationError(_("%(l)s不能晚于今天。"), code="future", params={"l": self.label})


def date_field(label, *, required=False, help_text="", not_future=False):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        validators=[NotInFuture(label)] if not_future else [],
    )


# Django's own wording ("确保该变量包含不超过 200 字符") replaced by plain sentences that name the
# field and, for lengths, say how long the input is. Messages a form wrote itself are kept.
PLAIN_MESSAGES = {
    "max_length": _("%(label)s不能超过 %(limit_value)s 字，现在是 %(show_value)s 字。"),
    "min_length": _("%(label)s至少要 %(limit_value)s 字，现在是 %(show_value)s 字。"),
    "max_value": _("%(label)s不能大于 %(limit_value)s。"),
    "min_value": _("%(label)s不能小于 %(limit_value)s。"),
    "invalid_choice": _("%(label)s的选项无效，请从列表中重新选择。"),
    "invalid_pk_value": _("%(label)s的选项无效，请从列表中重新选择。"),
    "invalid_list": _("%(label)s的选项无效，请从列表中重新选择。"),
    "empty": _("%(label)s：上传的文件是空的。"),
    "missing": _("%(label)s：没有收到文件，请重新选择。"),
    "contradiction": _("%(label)s：请选择上传新文件或清除原文件，不能同时进行。"),
}
PLAIN_INVALID = {
    forms.DateField: _("%(label)s格式不正确，请按“2026-03-05”的格式填写。"),
    forms.DateTimeField: _("%(label)s格式不正确，请按“2026-03-05 09:30”的格式填写。"),
    forms.IntegerField: _("%(label)s请填写整数。"),
    forms.DecimalField: _("%(label)s请填写数字。"),
    forms.FloatField: _("%(label)s请填写数字。"),
    forms.EmailField: _("%(label)s不是有效的电子邮箱地址。"),
    forms.FileField: _("%(label)s：所选文件无法读取，请重新选择。"),
    forms.URLField: _("%(label)s不是有效的网址。"),
}
_VALIDATOR_DEFAULTS = {
    "max_length": django_validators.MaxLengthValidator.message,
    "min_length": django_validators.MinLengthValidator.message,
    "max_value": django_validators.MaxValueValidator.message,
    "min_value": django_validators.MinValueValidator.message,
}


def _django_default(field: forms.Field, code: str):
    """The message Django itself would use for `code` on this field (None if it has none)."""
    if code in _VALIDATOR_DEFAULTS:
        return _VALIDATOR_DEFAULTS[code]
    for cls in type(field).__mro__:
        message = getattr(cls, "default_error_messages", {}).get(code)
        if message is not None:
            return message
    return None


def plain_error(field: forms.Field, name: str, error: ValidationError) -> ValidationError:
    code = error.code
    default = _django_default(field, code) if code else None
    if default is None or str(error.message) != str(default):
        return error  # the form's own words
    label = field.label or name
    params = {"label": label, **(error.params or {})}
    if code == "required":
        choosing = isinstance(field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple))
        if isinstance(field, forms.FileField):
            return ValidationError(_("请选择要上传的%(label)s。"), code=code, params=params)
        template = _("请选择%(label)s。") if choosing else _("请填写%(label)s。")
        return ValidationError(template, code=code, params=params)
    if code == "invalid":
        for cls in type(field).__mro__:
            if cls in PLAIN_INVALID:
                return ValidationError(PLAIN_INVALID[cls], code=code, params=params)
        return error
    if code in PLAIN_MESSAGES:
        return ValidationError(PLAIN_MESSAGES[code], code=code, params=params)
    return error


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names, the rest on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def _attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html in Python."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _PythonSelect:
    """A select rendered in Python: the same HTML as Django's select.html and select_option.html,
    without a template include (and its context push) for every option and every attribute list,
    which made a filter bar with the 61 institutions a quarter of a case list page's Python."""

    def render(self, name, value, attrs=None, renderer=None):
        if (self.template_name, self.option_template_name) != (forms.Select.template_name, SELECT_OPTION):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{escaped(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{escaped(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{escaped(option["value"])}"{_attrs_html(option["attrs"])}>'
                    f"{escaped(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))


SELECT_OPTION = forms.Select.option_template_name


class PortalSelect(_PythonSelect, forms.Select):
    pass


class PortalSelectMultiple(_PythonSelect, forms.SelectMultiple):
    pass


# The input types whose templates only include django/forms/widgets/input.html.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "date", "number", "search", "email", "datetime", "url", "time", "tel")
}


class _PythonInput:
    """An input rendered in Python: the same HTML as Django's input.html and attrs.html, without the
    form renderer's two template renders per field (a tenth of a filter bar's Python)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name not in INPUT_TEMPLATES:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        shown = "" if value is None else f' value="{escaped(value)}"'
        return mark_safe(
            f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"{shown}'
            f"{_attrs_html(widget['attrs'])}>"
        )


PYTHON_INPUTS = (forms.TextInput, forms.DateInput, forms.NumberInput, forms.SearchInput, forms.EmailInput)
PYTHON_WIDGETS = {
    forms.Select: PortalSelect,
    forms.SelectMultiple: PortalSelectMultiple,
    **{cls: type(f"Portal{cls.__name__}", (_PythonInput, cls), {}) for cls in PYTHON_INPUTS},
}


class ListedChoiceIterator(ModelChoiceIterator):
    """A model choice field's options read with one plain query (and kept for the request), not
    through `QuerySet.iterator()`: on PostgreSQL that is a server-side cursor (DECLARE … WITH HOLD,
    FETCH, CLOSE: three round trips) for a list of a few dozen institutions."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = getattr(self.field, "listed", None)
        for obj in self.queryset if listed is None else listed:
            yield self.choice(obj)


def listed_choices(field: forms.ModelChoiceField, model, rows: list) -> None:
    """Give a model choice field rows already read as its options (rendered without a query) and,
    to check a submitted value, the queryset of exactly those rows."""
    field.queryset = model.objects.filter(pk__in=[row.pk for row in rows])
    field.listed = rows


def party_choices(form, institutions: QuerySet, *, institution: str, region: str = "region") -> None:
    """A filter bar's 单位 and 地区 choices: the institutions (`selectors.parties`) and their regions,
    from one query (`selectors.filter_choices`)."""
    found, regions = selectors.filter_choices(institutions)
    listed_choices(form.fields[institution], Institution, found)
    listed_choices(form.fields[region], Region, regions)


class PortalForm(forms.Form):
    """A form whose widgets carry the Bootstrap classes; errors are marked by Django's aria-invalid.
    Selects render in Python and model choices are read with one plain query (same HTML)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if type(widget) in PYTHON_WIDGETS:
                widget.__class__ = PYTHON_WIDGETS[type(widget)]
            if isinstance(field, forms.ModelChoiceField) and field.iterator is ModelChoiceIterator:
                field.iterator = ListedChoiceIterator
                widget.choices = field.choices
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):  # SelectMultiple too
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        if field in self.fields and isinstance(error, ValidationError) and not hasattr(error, "error_dict"):
            error = ValidationError([plain_error(self.fields[field], field, e) for e in error.error_list])
        super().add_error(field, error)


class InstitutionChoices(forms.ModelMultipleChoiceField):
    """Institutions by UUID (public ids), labelled with their full names."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 10, "data-filterable": "1"}))
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


# ----------------------------------------------------------------------------- auth


class LoginForm(PortalForm):
    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


# ----------------------------------------------------------------------------- letters


class LetterForm(PortalForm):
    series = forms.ChoiceField(label=_("文种"), choices=Letter.Series.choices, initial=Letter.Series.HAN)
    title = forms.CharField(label=_("标题"), max_length=200, help_text=_("如“关于规范城市管理行政执法程序的函”。"))
    addressees = InstitutionChoices(
        None,
        label=_("主送机关"),
        error_messages={"required": _("请至少选择一个主送机关。")},
        help_text=_("按住 Ctrl 可多选；可在上方输入框中按名称筛选。"),
    )
    cc = InstitutionChoices(None, label=_("抄送机关"), required=False)
    body = forms.CharField(
        label=_("正文"), max_length=50000, widget=forms.Textarea(attrs={"rows": 12}), help_text=_("段落之间空一行。")
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), required=False, choices=[("", _("普通")), ("加急", _("加急")), ("特急", _("特急"))]
    )
    signatory = forms.CharField(
        label=_("署名"), max_length=100, required=False, help_text=_("留空则使用发文机关全称。")
    )
    reply_by = date_field(
        _("要求回复日期"),
        help_text=_("需要主送机关书面回复（复函）时填写；不早于今天。主送机关复函前，本单位在“跟踪”中看到待复函。"),
    )
    # A 复函: the uuid of the letter it answers (from the received letter's 复函 button); the view
    # finds it among the letters the user may see, and the service checks it was received.
    in_reply_to = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = selectors.addressable_institutions(user)
        self.fields["addressees"].queryset = institutions
        self.fields["cc"].queryset = institutions
        self.user = user

    def clean_reply_by(self):
        value = self.cleaned_data.get("reply_by")
        if value is not None and value < timezone.localdate() and value != self.initial.get("reply_by"):
            raise forms.ValidationError(_("要求回复日期不能早于今天。"))
        return value

    def clean_in_reply_to(self):
        """The letter answered, among those the user may see (another's reads as not received)."""
        value = self.cleaned_data.get("in_reply_to")
        if value is None:
            return None
        letter = Letter.objects.visible_to(self.user).select_related("issuer").filter(uuid=value).first()
        if letter is None:
            raise forms.ValidationError(_("本单位没有收到该公文，不能对其复函。"))
        return letter

    def clean(self):
        data = super().clean()
        overlap = {i.pk for i in data.get("addressees") or []} & {i.pk for i in data.get("cc") or []}
        if overlap:
            self.add_error("cc", _("同一机关不能既是主送又是抄送。"))
        return data

    @classmethod
    def initial_reply(cls, letter: Letter) -> dict:
        """A 复函 to `letter`: to its issuer, titled 关于…的复函, linked."""
        from .services import reply_title

        return {
            "series": Letter.Series.FU,
            "title": reply_title(letter),
            "addressees": [letter.issuer],
            "in_reply_to": letter.uuid,
            "body": _("%(n)s收悉。现答复如下：") % {"n": letter.doc_number},
        }

    @classmethod
    def initial_for(cls, letter: Letter) -> dict:
        deliveries = list(letter.deliveries.all())
        return {
            "series": letter.series,
            "title": letter.title,
            "body": letter.body,
            "urgency": letter.urgency,
            "signatory": letter.signatory,
            "reply_by": letter.reply_by,
            "addressees": [d.recipient for d in deliveries if d.kind == "to"],
            "cc": [d.recipient for d in deliveries if d.kind == "cc"],
        }


class ReturnForm(PortalForm):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("承办人将收到该理由。"),
    )


class IssueForm(PortalForm):
    issued_on = date_field(_("成文日期"), help_text=_("留空为今天；不能晚于今天。"), not_future=True)


class SignForm(PortalForm):
    signed_on = date_field(
        _("签收日期"), help_text=_("纸质送达时填写实际签收日期；留空为今天。答复期限自签收次日起算。"), not_future=True
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Files chosen with a record's other fields (`<input type=file multiple>`), saved with the
    record by its service or not at all. Each file is checked here by the upload rules
    (liaison.uploads), so a refused file is reported with the other fields' errors, in one round;
    the service checks again, with the files the record already has."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("附件"))
        kwargs.setdefault(
            "help_text",
            _("可一次选择多个文件：PDF、OFD、Word、Excel、WPS、PNG、JPEG。表单有误时，请重新选择文件。"),
        )
        kwargs.setdefault("required", False)
        super().__init__(widget=MultipleFileInput(), **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        files = [super(FilesField, self).clean(f, initial) for f in files]
        try:
            uploads.check_count(0, len(files))
            uploads.check_files(files)
        except ValidationError as exc:  # the rules name the field `file`: here it is this one
            raise ValidationError(exc.messages) from None
        return files


class AttachmentsForm(PortalForm):
    """Files added to a record on its page (one or more at once)."""

    file = FilesField(required=True)


class AttachmentForm(PortalForm):
    file = forms.FileField(label=_("附件"), help_text=_("PDF、PNG、JPEG、Word/Excel（docx/xlsx）。"))


class ShareForm(PortalForm):
    institution = forms.ModelChoiceField(None, label=_("共享给"), to_field_name="uuid", empty_label=_("请选择单位"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = selectors.addressable_institutions(user)
        self.fields["institution"].label_from_instance = lambda obj: obj.name


# ----------------------------------------------------------------------------- filters


class FilterForm(PortalForm):
    """GET filters: a bad value is reported and ignored, never a 500."""

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def institution_filter(label) -> forms.ModelChoiceField:
    """A list's 单位 filter: one institution by uuid; the form limits its choices (selectors.parties)."""
    field = forms.ModelChoiceField(None, label=label, required=False, to_field_name="uuid", empty_label=_("全部单位"))
    field.label_from_instance = lambda obj: obj.name
    return field


def region_filter(label=None) -> forms.ModelChoiceField:
    """A list's 地区 filter: one region by code; the form limits its choices (selectors.regions_of)."""
    return forms.ModelChoiceField(
        None, label=label or _("地区"), required=False, to_field_name="code", empty_label=_("全部地区")
    )


class OutboxFilter(FilterForm):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *Letter.Status.choices])
    series = forms.ChoiceField(label=_("文种"), required=False, choices=[("", _("全部文种")), *Letter.Series.choices])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)


class RegionLetterFilter(FilterForm):
    issuer = forms.ModelChoiceField(
        None, label=_("发文机关"), required=False, to_field_name="uuid", empty_label=_("全部单位")
    )
    series = forms.ChoiceField(label=_("文种"), required=False, choices=[("", _("全部文种")), *Letter.Series.choices])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = selectors.region_issuers(user)
        self.fields["issuer"].label_from_instance = lambda obj: obj.name


class InboxFilter(FilterForm):
    signed = forms.ChoiceField(
        label=_("签收"), required=False, choices=[("", _("全部")), ("no", _("未签收")), ("yes", _("已签收"))]
    )
    issuer = institution_filter(_("发文机关"))
    region = region_filter()
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The issuers of what was delivered to the user's institution, and their regions: no other.
        party_choices(self, selectors.parties(selectors.inbox(user), "letter__issuer_id"), institution="issuer")


class LedgerFilter(FilterForm):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部状态")),
            ("overdue", _("已逾期")),
            ("soon", _("7日内到期")),
            ("open", _("办理中")),
            ("done", _("已办结")),
            ("waived", _("已免除")),
        ],
    )
    owner = institution_filter(_("责任单位"))
    region = region_filter()
    clause = forms.ChoiceField(label=_("工作方案条目"), required=False, choices=())
    due_from = date_field(_("截止日期自"))
    due_to = date_field(_("截止日期至"))
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        from . import workplan

        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = workplan.choices(_("全部条目"))
        party_choices(self, selectors.ledger_owner_choices(user), institution="owner")

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("结束日期不能早于开始日期。"))
        return data


# ----------------------------------------------------------------------------- ledger, inspections


class LedgerCompleteForm(PortalForm):
    evidence = forms.CharField(
        label=_("办结情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明办理结果及依据，如复函文号。"),
    )
    done_on = date_field(_("办结日期"), help_text=_("留空为今天；不能晚于今天，也不能早于起算日。"), not_future=True)


class LedgerExtendForm(PortalForm):
    days = forms.IntegerField(
        label=_("延长天数"), min_value=1, max_value=365, help_text=_("自原截止日期起计算，期限届满日遇节假日顺延。")
    )
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class LedgerWaiveForm(PortalForm):
    reason = forms.CharField(label=_("免除理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class InspectionForm(PortalForm):
    title = forms.CharField(label=_("检查名称"), max_length=200, help_text=_("如“2026年第一季度工作台账专项检查”。"))
    clause = forms.ChoiceField(
        label=_("工作方案条目"),
        required=False,
        choices=(),
        help_text=_("只检查服务于该条目的台账事项；留空为全部可见事项。"),
    )
    findings = forms.CharField(
        label=_("检查发现"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, **kwargs):
        from . import workplan

        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = workplan.choices(_("全部条目"))


class InspectionFilter(FilterForm):
    clause = forms.ChoiceField(label=_("工作方案条目"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from . import workplan

        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = workplan.choices(_("全部条目"))


class LedgerCreateForm(PortalForm):
    """The office registers a task of the work plan (every error in one round: the clause and the
    date are checked here as the service checks them)."""

    owner = forms.ModelChoiceField(None, label=_("责任单位"), to_field_name="uuid", empty_label=_("请选择"))
    title = forms.CharField(label=_("事项"), max_length=200, help_text=_("如“建立行政执法信息共享目录”。"))
    clause = forms.CharField(
        label=_("工作方案条目"),
        max_length=20,
        help_text=_("该事项服务的工作方案条目，如“四(二)3”（任务条目加项号）。"),
        widget=forms.TextInput(attrs={"list": "workplan-clauses", "autocomplete": "off"}),
    )
    due_date = date_field(_("截止日期"), required=True, help_text=_("期限届满日遇节假日顺延至节后第一个工作日。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.ledger_create_owners(user)
        self.fields["owner"].label_from_instance = lambda obj: obj.name

    def clean_clause(self):
        from . import workplan

        try:
            return workplan.clean_clause(self.cleaned_data["clause"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["clause"]) from None

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due is not None and due <= timezone.localdate():
            raise ValidationError(_("截止日期应晚于今天。"))
        return due


class LedgerUrgeForm(PortalForm):
    message = forms.CharField(
        label=_("催办意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("将通知责任单位；如同时发督办函，作为函的正文。"),
    )
    letter = forms.BooleanField(
        label=_("同时发督办函"),
        required=False,
        help_text=_("起草一份致责任单位的督办函并提交办公室负责人签发，签发后编号送达。"),
    )
