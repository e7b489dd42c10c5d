"""Forms of the case-work pages. They only parse input: institutions and cases are offered and
looked up from `visible_to(user)`; the rules (kinds, states, dates, jurisdiction) live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.forms import (
    FilterForm,
    InstitutionChoices,
    PortalForm,
    date_field,
    institution_filter,
    party_choices,
    region_filter,
)
from liaison.models import Institution

from .. import selectors
from ..models import (
    AdministrativeCase,
    ClueTransfer,
    Dispute,
    Enforcement,
    Review,
    SupervisionApplication,
    normalise_case_number,
)
from ..services._common import _in_jurisdiction as in_jurisdiction

K = Institution.Kind
ADMINISTRATIVE = [K.GOVERNMENT, K.AGENCY]
TEXTAREA = {"rows": 5}
CASE_DATALIST = "case-numbers"
OBSERVATION_ROWS = 8


def institutions(user, kinds) -> "Institution.objects":
    return (
        Institution.objects.visible_to(user)
        .filter(kind__in=kinds, is_active=True)
        .select_related("region")
        .order_by("region__level", "region_id", "kind", "id")
    )


class InstitutionChoice(forms.ModelChoiceField):
    """One institution by UUID (a public id), labelled with its full name."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        kwargs.setdefault("empty_label", _("请选择") if kwargs.get("required", True) else _("（不选）"))
        kwargs.setdefault("widget", forms.Select(attrs={"data-filterable": "1"}))
        kwargs.setdefault("error_messages", {"invalid_choice": _("所选单位不存在或不能选择。")})
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


def text(label, *, max_length=20000, required=True, help_text="", rows=5):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


CASE_LABEL = _("关联案号")
CASE_HELP = _("如（2026）桂02行初12号；可留空。")


def case_number_field(label=CASE_LABEL, *, required=False, help_text=CASE_HELP):
    return forms.CharField(
        label=label,
        max_length=40,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"list": CASE_DATALIST, "autocomplete": "off"}),
    )


def visible_case(user, number: str) -> AdministrativeCase | None:
    """The case with this 案号 among those the user sees; another court's case is "not found"."""
    number = (number or "").strip()
    if not number:
        return None
    try:
        number = normalise_case_number(number)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None
    case = AdministrativeCase.objects.visible_to(user).filter(number=number).first()
    if case is None:
        raise forms.ValidationError(_("未找到本单位可查看的该案号案件。"))
    return case


def recent_case_numbers(user, *, limit=100) -> list[str]:
    """Suggestions for the 案号 box: the latest cases the user sees."""
    return list(
        AdministrativeCase.objects.visible_to(user)
        .order_by("-filed_on", "-id")
        .values_list("number", flat=True)[:limit]
    )


class _CaseLookup:
    """A form whose `case` field is typed as a 案号 and cleaned into a visible case."""

    def clean_case(self):
        return visible_case(self.user, self.cleaned_data.get("case"))


class WorkForm(PortalForm):
    """PortalForm, with radio buttons styled as radio buttons (PortalForm knows checkboxes and selects)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"


# ----------------------------------------------------------------------------- filters


def keyword(hint):
    """The filter bar's keyword box; the hint says what it searches."""
    return forms.CharField(
        label=_("关键词"), required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": hint})
    )


def _choices(all_label, choices):
    return [("", all_label), *choices]


class _PartyFilter(FilterForm):
    """A list spanning institutions: its 单位 (`institution`) and 地区 (`region`) choices are the
    parties of rows the viewer sees (`parties(user)`, over liaison.selectors.parties) and their regions."""

    def parties(self, user):
        raise NotImplementedError

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        party_choices(self, self.parties(user), institution="institution")


class EnforcementFilter(_PartyFilter):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(_("全部状态"), Enforcement.Status.choices)
    )
    overdue = forms.ChoiceField(
        label=_("反馈期限"), required=False, choices=[("", _("全部")), ("yes", _("已逾期未反馈"))]
    )
    institution = institution_filter(_("法院、申请机关或组织实施机关"))
    region = region_filter()
    q = keyword(_("文号、被执行人或申请机关"))

    def parties(self, user):
        return selectors.enforcement_parties(user)


class SupervisionFilter(_PartyFilter):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(_("全部状态"), SupervisionApplication.Status.choices)
    )
    overdue = forms.ChoiceField(
        label=_("决定期限"), required=False, choices=[("", _("全部")), ("yes", _("已逾期未决定"))]
    )
    institution = institution_filter(_("检察院、法院或实施机关"))
    region = region_filter()
    q = keyword(_("申请人、申请事项或法院"))

    def parties(self, user):
        return selectors.supervision_parties(user)


class ClueFilter(_PartyFilter):
    box = forms.ChoiceField(
        label=_("方向"),
        required=False,
        choices=[("", _("全部")), ("sent", _("本单位移送")), ("received", _("移送本单位"))],
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(_("全部状态"), ClueTransfer.Status.choices)
    )
    institution = institution_filter(_("移送或接收单位"))
    region = region_filter()
    q = keyword(_("线索内容或单位名称"))

    def parties(self, user):
        return selectors.clue_parties(user)


class DisputeFilter(_PartyFilter):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_choices(_("全部状态"), Dispute.Status.choices))
    institution = institution_filter(_("涉事行政机关、政府、法院或检察院"))
    region = region_filter()
    q = keyword(_("争议事项、申请人或行政机关"))

    def parties(self, user):
        return selectors.dispute_parties(user)


class _PeriodFilter(FilterForm):
    q = keyword(_("名称或案号"))
    held_from = date_field(_("日期自"))
    held_to = date_field(_("日期至"))

    def clean(self):
        data = super().clean()
        if data.get("held_from") and data.get("held_to") and data["held_from"] > data["held_to"]:
            self.add_error("held_to", _("结束日期不能早于开始日期。"))
        return data


class ObservationFilter(_PeriodFilter):
    pass


class ReviewFilter(_PeriodFilter):
    q = keyword(_("案号"))


# ----------------------------------------------------------------------------- 裁执分离


class EnforcementForm(_CaseLookup, WorkForm):
    applicant = InstitutionChoice(
        label=_("申请机关"),
        help_text=_("申请执行的人民政府或政府部门。"),
        error_messages={"required": _("请选择申请机关。")},
    )
    basis = forms.ChoiceField(
        label=_("执行依据类别"), choices=Enforcement.Basis.choices, widget=forms.RadioSelect, initial="decision"
    )
    basis_reference = forms.CharField(
        label=_("执行依据文号"), max_length=100, help_text=_("如“柳自然资罚〔2026〕15号”或生效裁判的案号。")
    )
    respondent = forms.CharField(label=_("被执行人"), max_length=200)
    obligation = text(_("执行内容"), help_text=_("申请执行的义务，如“限期拆除违法建筑物”。"))
    money_obligation = forms.BooleanField(
        label=_("金钱给付义务（罚款等）"),
        required=False,
        help_text=_("准予执行的金钱给付义务由法院强制执行；其他义务交由政府或其指定的行政机关组织实施。"),
    )
    applied_on = date_field(_("申请日期"), required=True, not_future=True)
    case = case_number_field(help_text=_("本院审理的行政案件；执行生效裁判时必填。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["applicant"].queryset = institutions(user, ADMINISTRATIVE)


def assignee_choices(enforcement: Enforcement):
    """The government of the court's region or of the applicant, and that government's agencies
    (the service checks the same rule; the choice only spares the user a refusal)."""
    governments = set(
        Institution.objects.filter(kind=K.GOVERNMENT, region_id=enforcement.court.region_id).values_list(
            "pk", flat=True
        )
    )
    applicant = enforcement.applicant
    if applicant.kind == K.GOVERNMENT:
        governments.add(applicant.pk)
    elif applicant.parent_id:
        governments.add(applicant.parent_id)
    return (
        Institution.objects.filter(is_active=True)
        .filter(Q(pk__in=governments, kind=K.GOVERNMENT) | Q(parent_id__in=governments, kind=K.AGENCY))
        .select_related("region")
        .order_by("region__level", "region_id", "kind", "id")
    )


class RulingForm(WorkForm):
    ruling = forms.ChoiceField(
        label=_("审查结果"),
        choices=[(Enforcement.Ruling.GRANTED, _("准予执行")), (Enforcement.Ruling.REFUSED, _("不准予执行"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审查结果。")},
    )
    reasons = text(_("裁定理由"), required=False, help_text=_("不准予执行的，必须写明理由。"))
    ruled_on = date_field(_("裁定日期"), required=True, not_future=True)
    assignee = InstitutionChoice(
        label=_("组织实施机关"),
        required=False,
        help_text=_("准予执行的非金钱给付义务，由本级人民政府或其指定的行政机关组织实施；本院将向其发函。"),
    )

    def __init__(self, *args, enforcement: Enforcement, **kwargs):
        super().__init__(*args, **kwargs)
        if enforcement.money_obligation:
            del self.fields["assignee"]
        else:
            self.fields["assignee"].queryset = assignee_choices(enforcement)


class FeedbackForm(WorkForm):
    result = text(
        _("执行情况"),
        rows=10,
        help_text=_("写明组织实施的时间、过程和结果。将作为本单位复函的正文，经负责人签发后送达法院。"),
    )


# ----------------------------------------------------------------------------- 执行监督、个案监督


class SupervisionForm(WorkForm):
    applicant = forms.CharField(label=_("申请人（被执行人）"), max_length=200)
    court = InstitutionChoice(label=_("作出裁定的法院"), error_messages={"required": _("请选择作出裁定的人民法院。")})
    enforcing_agency = InstitutionChoice(
        label=_("实施强制执行的机关"), error_messages={"required": _("请选择负责实施强制执行的行政机关。")}
    )
    enforcement = forms.CharField(
        label=_("执行依据文号"),
        max_length=100,
        required=False,
        help_text=_("填写后关联法院交由该机关组织实施的执行案件；找不到时可留空。"),
    )
    request = text(_("申请事项与理由"))
    received_on = date_field(
        _("收到申请日期"), required=True, help_text=_("作出决定的期限自收到申请之日起计算。"), not_future=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["court"].queryset = institutions(user, [K.COURT])
        self.fields["enforcing_agency"].queryset = institutions(user, ADMINISTRATIVE)

    def clean(self):
        data = super().clean()
        reference = (data.get("enforcement") or "").strip()
        data["enforcement"] = None
        if reference and data.get("court") and data.get("enforcing_agency"):
            found = enforcement_named(
                procuratorate=self.user.institution,
                court=data["court"],
                assignee=data["enforcing_agency"],
                reference=reference,
            )
            if found is None:
                self.add_error("enforcement", _("未找到该法院交由该机关组织实施、文号相符的执行案件。"))
            data["enforcement"] = found
        return data


def enforcement_named(*, procuratorate, court, assignee, reference) -> Enforcement | None:
    """The enforcement an applicant names by its 执行依据文号: ruled by a court the procuratorate
    supervises and handed to the agency that enforces. Like 个案监督 it is found by reference, never
    by id: the procuratorate cannot see it before the application links it."""
    if procuratorate is None or not in_jurisdiction(procuratorate, court):
        return None
    return (
        Enforcement.objects.filter(
            court=court,
            assignee=assignee,
            basis_reference=reference,
            status__in=[Enforcement.Status.ASSIGNED, Enforcement.Status.FEEDBACK, Enforcement.Status.CLOSED],
        )
        .order_by("-ruled_on", "-id")
        .first()
    )


class DecisionForm(WorkForm):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[
            (SupervisionApplication.Decision.SUPPORT, _("支持监督申请")),
            (SupervisionApplication.Decision.NOT_SUPPORT, _("不支持监督申请")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择支持或不支持监督申请。")},
    )
    reasons = text(_("决定理由"))
    decided_on = date_field(_("决定日期"), help_text=_("留空为今天。"), not_future=True)


class CaseSupervisionForm(WorkForm):
    case = case_number_field(
        _("案号"), required=True, help_text=_("本院监督范围内法院审理的行政案件，如（2026）桂02行初12号。")
    )
    notes = text(_("监督情况"))
    opened_on = date_field(_("立案监督日期"), help_text=_("留空为今天。"), not_future=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["case"].widget.attrs.pop("list", None)  # the procuratorate cannot see these cases yet

    def clean_case(self):
        number = (self.cleaned_data.get("case") or "").strip()
        try:
            number = normalise_case_number(number)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        # Only the format is checked here: whether such a case exists is not told (see
        # services.case_supervision_request).
        return number


# ----------------------------------------------------------------------------- 违法线索移送


class ClueForm(_CaseLookup, WorkForm):
    recipient = InstitutionChoice(label=_("接收单位"), error_messages={"required": _("请选择接收线索的单位。")})
    summary = text(_("线索内容"), rows=8)
    sent_on = date_field(_("移送日期"), required=True, not_future=True)
    case = case_number_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["recipient"].queryset = institutions(
            user, [K.GOVERNMENT, K.AGENCY, K.COURT, K.PROCURATORATE]
        ).exclude(pk=user.institution_id)


class ClueReceiveForm(WorkForm):
    received_on = date_field(_("接收日期"), help_text=_("留空为今天；不能早于移送日期。"), not_future=True)


class ClueHandleForm(WorkForm):
    result = text(_("处理结果"), rows=8)
    handled_on = date_field(_("办结日期"), help_text=_("留空为今天；不能早于接收日期。"), not_future=True)


# ----------------------------------------------------------------------------- 诉前化解


class DisputeForm(WorkForm):
    title = forms.CharField(label=_("争议事项"), max_length=200)
    applicant = forms.CharField(label=_("申请人"), max_length=200)
    agency = InstitutionChoice(label=_("涉事行政机关"), error_messages={"required": _("请选择涉事行政机关。")})
    court = InstitutionChoice(label=_("参与化解的法院"), error_messages={"required": _("请选择参与化解的人民法院。")})
    government = InstitutionChoice(
        label=_("参与化解的政府"), required=False, help_text=_("留空为涉事行政机关的本级人民政府。")
    )
    procuratorate = InstitutionChoice(
        label=_("参与的检察院"), required=False, help_text=_("检察院参与行政争议化解的，请选择。")
    )
    summary = text(_("争议概况"), rows=8)
    received_on = date_field(_("受理日期"), required=True, not_future=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        inst = user.institution
        if inst is not None and inst.kind == K.GOVERNMENT:
            # A government mediates disputes with itself or its own departments.
            del self.fields["government"]
            self.fields["agency"].queryset = institutions(user, ADMINISTRATIVE).filter(Q(pk=inst.pk) | Q(parent=inst))
            self.fields["court"].queryset = institutions(user, [K.COURT])
        else:
            del self.fields["court"]
            self.fields["agency"].queryset = institutions(user, ADMINISTRATIVE)
            self.fields["government"].queryset = institutions(user, [K.GOVERNMENT])
        self.fields["procuratorate"].queryset = institutions(user, [K.PROCURATORATE])


class MediationForm(WorkForm):
    held_on = date_field(_("调解日期"), required=True, not_future=True)
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    participants = text(_("参加人员"), max_length=2000, rows=3)
    result = text(_("调解情况"))


class ConcludeForm(_CaseLookup, WorkForm):
    status = forms.ChoiceField(
        label=_("化解结果"),
        choices=[
            (Dispute.Status.RESOLVED, _("诉前化解")),
            (Dispute.Status.WITHDRAWN, _("申请人撤回")),
            (Dispute.Status.FILED, _("立案受理")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择化解结果。")},
    )
    outcome_on = date_field(_("化解日期"), required=True, not_future=True)
    notes = text(_("化解结果说明"))
    case = case_number_field(_("立案案号"), help_text=_("立案受理的，填写已立案的行政案件案号。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


# ----------------------------------------------------------------------------- 庭审观摩、判后评议


class CasePickForm(WorkForm):
    number = case_number_field(_("案号"), required=True, help_text=_("本院审理的行政案件，如（2026）桂02行初12号。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_number(self):
        return visible_case(self.user, self.cleaned_data.get("number"))


class ObservationForm(WorkForm):
    title = forms.CharField(label=_("名称"), max_length=200, help_text=_("如“行政处罚案件庭审观摩”。"))
    held_on = date_field(_("观摩日期"), required=True, help_text=_("可以是将来的开庭日期。"))
    procuratorate = InstitutionChoice(
        label=_("邀请监督的检察院"), required=False, help_text=_("可以邀请检察院工作人员参与庭审监督。")
    )
    # Where the service's errors about the invited institutions are shown.
    attendees = forms.CharField(label=_("参加单位"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, case: AdministrativeCase, **kwargs):
        super().__init__(*args, **kwargs)
        choices = institutions(user, ADMINISTRATIVE)
        self.fields["procuratorate"].queryset = institutions(user, [K.PROCURATORATE])
        defendants = list(case.defendants.order_by("id"))
        self.rows = []
        for i in range(OBSERVATION_ROWS):
            inst_name, count_name = f"institution_{i}", f"invited_{i}"
            self.fields[inst_name] = InstitutionChoice(
                choices,
                label=_("单位 %(n)d") % {"n": i + 1},
                required=False,
                empty_label=_("（不邀请）"),
                widget=forms.Select,  # no type-to-filter box on each of the rows
            )
            self.fields[count_name] = forms.IntegerField(
                label=_("单位 %(n)d 通知人数") % {"n": i + 1}, required=False, min_value=0, max_value=10000
            )
            if i < len(defendants):
                self.initial.setdefault(inst_name, defendants[i].uuid)
        for name in self.fields:
            widget = self.fields[name].widget
            if not isinstance(widget, forms.HiddenInput) and "class" not in widget.attrs:
                widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"
        self.rows = [(self[f"institution_{i}"], self[f"invited_{i}"]) for i in range(OBSERVATION_ROWS)]

    def clean(self):
        data = super().clean()
        rows = []
        for i in range(OBSERVATION_ROWS):
            inst, count = data.get(f"institution_{i}"), data.get(f"invited_{i}")
            if inst is None:
                continue
            if count is None:
                self.add_error(f"invited_{i}", _("请填写通知人数。"))
                continue
            rows.append((inst, count))
        data["attendees"] = rows
        return data


class AttendanceForm(WorkForm):
    """实到人数 and names for every invited institution, in one form."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for i, row in enumerate(rows):
            name = row.institution.name
            self.fields[f"attended_{i}"] = forms.IntegerField(
                label=_("%(i)s 实到人数") % {"i": name}, min_value=0, max_value=10000, initial=row.attended
            )
            self.fields[f"names_{i}"] = forms.CharField(
                label=_("%(i)s 参加人员") % {"i": name}, max_length=2000, required=False, initial=row.names
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        self.rows = [(row, self[f"attended_{i}"], self[f"names_{i}"]) for i, row in enumerate(rows)]


class ReviewForm(WorkForm):
    held_on = date_field(_("评议日期"), required=True, help_text=_("判决生效之后。"), not_future=True)
    participants = InstitutionChoices(
        None,
        label=_("参加单位"),
        help_text=_("参与庭审活动的行政机关和检察院；按住 Ctrl 可多选。"),
        error_messages={"required": _("请选择参加评议的单位。"), "invalid_choice": _("所选单位不存在。")},
    )

    def __init__(self, *args, user, case: AdministrativeCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = institutions(user, [*ADMINISTRATIVE, K.PROCURATORATE])
        self.initial.setdefault("participants", [d.uuid for d in case.defendants.order_by("id")])
        for name in Review.TOPICS:
            label = Review._meta.get_field(name).verbose_name
            self.fields[name] = text(label, required=False, rows=4)
            self.fields[name].widget.attrs["class"] = "form-control"

    def topic_fields(self):
        return [self[name] for name in Review.TOPICS]
