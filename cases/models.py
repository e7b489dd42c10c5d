"""Administrative cases and what the three institutions do around them.

The five indicators are computed from these rows, so each field the formulas need is
stored plainly: the instance, the outcome (whose "lost" meaning is configurable data),
the concluded and effective dates, each hearing's appearance per defendant, and
whether an effective judgment imposed an obligation and was performed voluntarily.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from liaison.models import Institution, Letter
from liaison.status import BLUE, GREEN, GREY, URGENT_ORDER, due_rank_field, open_due_field
from liaison.status import colours as status_colours

from .querysets import (
    CaseQuerySet,
    ClueTransferQuerySet,
    CoordinationQuerySet,
    DisputeQuerySet,
    EnforcementQuerySet,
    ObservationQuerySet,
    ReviewQuerySet,
    SupervisionQuerySet,
)

User = settings.AUTH_USER_MODEL

# （2026）桂02行初12号: year in full-width or half-width brackets, court code, 行 + type, number.
CASE_NUMBER_RE = re.compile(
    r"^[（(](?P<year>\d{4})[）)](?P<court>[\u4e00-\u9fff]\d{2,4})(?P<type>行[\u4e00-\u9fff]{1,3})(?P<n>[1-9]\d{0,5})号$"
)


def normalise_case_number(value: str) -> str:
    """Half-width brackets become full-width; spaces go. Raises ValidationError if malformed."""
    value = (value or "").strip().replace(" ", "").replace("(", "（").replace(")", "）")
    if not CASE_NUMBER_RE.match(value):
        raise ValidationError(_("案号格式不正确，应如“（2026）桂02行初12号”。"), code="case_number")
    return value


# The 案由 and outcomes migration 0002 seeds, as msgids: their names read in the reader's language
# (Cause.label, Outcome.label); a name an administrator adds is shown as written.
SEEDED_NAMES = [
    gettext_noop("行政处罚"),
    gettext_noop("行政强制措施"),
    gettext_noop("行政强制执行"),
    gettext_noop("行政许可"),
    gettext_noop("行政征收或者征用"),
    gettext_noop("行政登记"),
    gettext_noop("行政确认"),
    gettext_noop("行政给付"),
    gettext_noop("行政允诺"),
    gettext_noop("行政征缴"),
    gettext_noop("行政奖励"),
    gettext_noop("行政收费"),
    gettext_noop("政府信息公开"),
    gettext_noop("行政批复"),
    gettext_noop("行政处理"),
    gettext_noop("行政复议"),
    gettext_noop("行政裁决"),
    gettext_noop("行政协议"),
    gettext_noop("行政补偿"),
    gettext_noop("行政赔偿"),
    gettext_noop("不履行职责"),
    gettext_noop("公益诉讼"),
    gettext_noop("判决撤销"),
    gettext_noop("判决部分撤销"),
    gettext_noop("判决变更"),
    gettext_noop("判决确认违法"),
    gettext_noop("判决确认无效"),
    gettext_noop("判决责令履行"),
    gettext_noop("判决给付"),
    gettext_noop("判决驳回诉讼请求"),
    gettext_noop("裁定驳回起诉"),
    gettext_noop("其他裁定"),
    gettext_noop("撤诉"),
    gettext_noop("调解"),
]


class Cause(models.Model):
    """案由, kept as data (second level from 法发〔2020〕44号; administrators may add third-level ones)."""

    name = models.CharField(_("案由"), max_length=40, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_information_disclosure = models.BooleanField(_("信息公开类"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("案由")
        verbose_name_plural = _("案由")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


class Outcome(models.Model):
    """How a case was concluded. `counts_as_lost` is the configurable 败诉 mapping (RULES.md)."""

    class Kind(models.TextChoices):
        JUDGMENT = "judgment", _("判决")
        RULING = "ruling", _("裁定")
        WITHDRAWAL = "withdrawal", _("撤诉")
        MEDIATION = "mediation", _("调解")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("结案方式"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    counts_as_lost = models.BooleanField(_("计为行政机关败诉"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("结案方式")
        verbose_name_plural = _("结案方式（败诉口径）")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


class AdministrativeCase(models.Model):
    class Instance(models.TextChoices):
        FIRST = "first", _("一审")
        SECOND = "second", _("二审")
        RETRIAL = "retrial", _("再审")
        NON_LITIGATION = "non_litigation", _("非诉执行审查")

    class Status(models.TextChoices):
        PENDING = "pending", _("审理中")
        CONCLUDED = "concluded", _("已结案")
        EFFECTIVE = "effective", _("已生效")

    status_colours(Status, {Status.PENDING: BLUE, Status.CONCLUDED: GREEN, Status.EFFECTIVE: GREEN})

    class MajorCategory(models.TextChoices):
        NONE = "", _("—")
        LAND = "land_expropriation", _("集体土地征收")
        DEMOLITION = "demolition", _("房屋拆迁补偿")
        ENVIRONMENT = "environment", _("生态环境保护")
        GROUP = "group_interest", _("重大群体利益")
        PROJECT = "major_project", _("重大项目实施")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("案号"), max_length=40, unique=True)
    court = models.ForeignKey(
        Institution, verbose_name=_("审理法院"), on_delete=models.PROTECT, related_name="cases_heard"
    )
    instance = models.CharField(_("审级"), max_length=15, choices=Instance.choices, default=Instance.FIRST)
    cause = models.ForeignKey(Cause, verbose_name=_("案由"), on_delete=models.PROTECT)
    plaintiffs = models.TextField(_("原告"), help_text=_("多个原告每行一个。"))
    defendants = models.ManyToManyField(
        Institution, verbose_name=_("被告行政机关"), related_name="cases_defended", through="CaseDefendant"
    )
    filed_on = models.DateField(_("立案日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    major_category = models.CharField(_("重大案件类别"), max_length=20, choices=MajorCategory.choices, blank=True)
    outcome = models.ForeignKey(Outcome, verbose_name=_("结案方式"), null=True, blank=True, on_delete=models.PROTECT)
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True, db_index=True)
    imposes_obligation = models.BooleanField(_("生效裁判课以义务"), null=True, blank=True)
    performed_voluntarily = models.BooleanField(_("未经申请执行即自动履行"), null=True, blank=True)
    summary = models.TextField(_("案情摘要"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()
    # Migration 0009 installs liaison.rowcount's triggers on this table: whole-table counts read one row.
    row_count_kept = True

    class Meta:
        verbose_name = _("行政案件")
        verbose_name_plural = _("行政案件")
        ordering = ["-filed_on", "-id"]
        indexes = [
            # A court's own cases in list order (its visibility branch, and the court filter):
            # counted and paged from the index alone.
            models.Index(fields=["court", "-filed_on", "-id"], name="case_court_order"),
            models.Index(fields=["instance", "effective_on"]),
            # The list's default order (and its filed_from/filed_to filters): pages walk it and stop.
            models.Index(fields=["-filed_on", "-id"], name="case_list_order"),
            models.Index(fields=["status", "-filed_on", "-id"], name="case_status_order"),
            models.Index(fields=["cause", "-filed_on", "-id"], name="case_cause_order"),
            models.Index(fields=["instance", "-filed_on", "-id"], name="case_instance_order"),
            models.Index(fields=["major_category", "-filed_on", "-id"], name="case_major_order"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"uuid": self.uuid})

    def save(self, *args, **kwargs):
        from . import indexing  # the defendant rows and hearing places carry copies of the counted fields

        with transaction.atomic():
            super().save(*args, **kwargs)
            indexing.refresh([self.pk])

    @property
    def is_major(self) -> bool:
        return bool(self.major_category)

    @property
    def agency_lost(self) -> bool | None:
        """Derived from the configurable outcome mapping; None while the case is pending."""
        return None if self.outcome_id is None else self.outcome.counts_as_lost


class Hearing(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(AdministrativeCase, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField(_("开庭日期"), db_index=True)
    court_room = models.CharField(_("法庭"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("庭审")
        verbose_name_plural = _("庭审")
        ordering = ["held_on", "id"]

    def save(self, *args, **kwargs):
        from . import indexing  # each defendant's place at this hearing (HearingDefendant)

        with transaction.atomic():
            super().save(*args, **kwargs)
            indexing.refresh([self.case_id], columns=False)


class Appearance(models.Model):
    """Who appeared for one defendant at one hearing (负责人出庭应诉)."""

    class Kind(models.TextChoices):
        HEAD = "head", _("负责人出庭")
        DELEGATED = "delegated", _("委托工作人员出庭（附书面说明）")
        NONE = "none", _("无人出庭")

    class SummonBasis(models.TextChoices):
        NONE = "", _("未通知")
        MUST_PUBLIC_INTEREST = "must_public_interest", _("应当通知：涉及重大公共利益")
        MUST_PUBLIC_CONCERN = "must_public_concern", _("应当通知：社会高度关注")
        MUST_MASS_INCIDENT = "must_mass_incident", _("应当通知：可能引发群体性事件")
        MAY_PUBLIC_INTEREST_LITIGATION = "may_public_interest_litigation", _("可以通知：行政公益诉讼")
        MAY_OTHER = "may_other", _("可以通知：其他案件")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="appearances")
    defendant = models.ForeignKey(Institution, verbose_name=_("被告"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("出庭情况"), max_length=10, choices=Kind.choices)
    person_name = models.CharField(_("出庭人"), max_length=40, blank=True)
    person_post = models.CharField(_("职务"), max_length=60, blank=True)
    explanation = models.FileField(_("书面说明"), upload_to="appearances/%Y/", blank=True)
    head_summoned = models.BooleanField(_("法院通知负责人出庭"), default=False)
    summon_basis = models.CharField(_("通知依据"), max_length=40, choices=SummonBasis.choices, blank=True)
    summon_reason = models.TextField(_("通知理由"), blank=True)

    class Meta:
        verbose_name = _("出庭应诉情况")
        verbose_name_plural = _("出庭应诉情况")
        constraints = [models.UniqueConstraint(fields=["hearing", "defendant"], name="one_appearance_per_defendant")]

    def save(self, *args, **kwargs):
        from . import indexing  # the defendant's place at the hearing carries the appearance

        with transaction.atomic():
            super().save(*args, **kwargs)
            indexing.refresh([self.hearing.case_id], columns=False)

    def clean(self):
        errors = {}
        if self.kind in (self.Kind.HEAD, self.Kind.DELEGATED) and not self.person_name:
            errors["person_name"] = _("请填写出庭人姓名。")
        if self.kind == self.Kind.HEAD and not self.person_post:
            errors["person_post"] = _("负责人出庭须填写职务。")
        if self.kind == self.Kind.DELEGATED and not self.explanation:
            errors["explanation"] = _("委托工作人员出庭须上传加盖公章的书面说明。")
        if self.head_summoned and not self.summon_basis:
            errors["summon_basis"] = _("请选择通知负责人出庭的依据。")
        if errors:
            raise ValidationError(errors)


# ----------------------------------------------------------------------------- copies the indicators read by date


class CaseDefendant(models.Model):
    """One defendant of a case (the defendants M2M's row), with copies of the case's counted fields.

    Per agency the indicators count a case for each of its defendants; with the case's dates
    on the defendant row, one agency's cases of a quarter are an index range
    (institution, date) instead of every case it ever defended (bench/indicators.py).
    The copies are storage, not rules: `cases.indexing.refresh` writes them, called
    wherever a case, its defendants, a hearing or an appearance is written.
    """

    administrativecase = models.ForeignKey(AdministrativeCase, on_delete=models.CASCADE)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    instance = models.CharField(max_length=15, null=True, blank=True)
    # No index of their own: the few outcomes and causes are joined from these rows, not looked up.
    cause = models.ForeignKey(Cause, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    concluded_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    imposes_obligation = models.BooleanField(null=True, blank=True)
    performed_voluntarily = models.BooleanField(null=True, blank=True)

    COPIED = (
        "instance",
        "cause_id",
        "outcome_id",
        "concluded_on",
        "effective_on",
        "imposes_obligation",
        "performed_voluntarily",
    )

    class Meta:
        db_table = "cases_administrativecase_defendants"
        unique_together = [("administrativecase", "institution")]
        indexes = [
            # One agency's cases by either counting date, read from the index alone on PostgreSQL.
            models.Index(
                fields=["institution", "effective_on"],
                include=[
                    "administrativecase",
                    "concluded_on",
                    "instance",
                    "outcome",
                    "cause",
                    "imposes_obligation",
                    "performed_voluntarily",
                ],
                name="defendant_effective",
            ),
            models.Index(
                fields=["institution", "concluded_on"],
                include=[
                    "administrativecase",
                    "effective_on",
                    "instance",
                    "outcome",
                    "cause",
                    "imposes_obligation",
                    "performed_voluntarily",
                ],
                name="defendant_concluded",
            ),
        ]


class HearingDefendant(models.Model):
    """A defendant's place at a hearing (每一被告每一庭次应出庭): the appearance rate counts these.

    One row per (hearing, defendant of its case), whether or not an appearance was recorded,
    with the hearing's date, the case's 结案日期 and a copy of the recorded appearance; kept by
    `cases.indexing.refresh` like CaseDefendant.
    """

    # The unique constraint and the (institution, held_on) index lead with these two.
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+", db_index=False)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+", db_index=False)
    case = models.ForeignKey(AdministrativeCase, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    # The case's 结案日期: a hearing after it (overtaken by a withdrawal) did not take place.
    concluded_on = models.DateField(null=True, blank=True)
    appearance = models.CharField(max_length=10, choices=Appearance.Kind.choices, blank=True)
    explained = models.BooleanField(default=False)  # a delegated appearance with its written explanation

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hearing", "institution"], name="one_place_per_defendant")]
        indexes = [
            models.Index(
                fields=["institution", "held_on"],
                include=["concluded_on", "appearance", "explained"],
                name="place_held",
            ),
        ]


# ----------------------------------------------------------------------------- 诉前化解


class Dispute(models.Model):
    """行政争议诉前实质化解: joint mediation by government and court, procuratorate taking part."""

    class Status(models.TextChoices):
        OPEN = "open", _("化解中")
        RESOLVED = "resolved", _("诉前化解")
        WITHDRAWN = "withdrawn", _("申请人撤回")
        FILED = "filed", _("立案受理")

    status_colours(
        Status,
        {Status.OPEN: BLUE, Status.RESOLVED: GREEN, Status.WITHDRAWN: GREY, Status.FILED: GREEN},
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("争议事项"), max_length=200)
    applicant = models.CharField(_("申请人"), max_length=200)
    agency = models.ForeignKey(Institution, verbose_name=_("涉事行政机关"), on_delete=models.PROTECT, related_name="+")
    government = models.ForeignKey(Institution, verbose_name=_("政府"), on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(Institution, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    procuratorate = models.ForeignKey(
        Institution, verbose_name=_("参与的检察院"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("争议概况"))
    received_on = models.DateField(_("受理日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome_on = models.DateField(_("化解日期"), null=True, blank=True)
    outcome_notes = models.TextField(_("化解结果"), blank=True)
    case = models.ForeignKey(
        AdministrativeCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="disputes"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政争议诉前化解")
        verbose_name_plural = _("行政争议诉前化解")
        ordering = ["-received_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [models.Index(fields=["-received_on", "-id"], name="dispute_list_order")]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:dispute_detail", kwargs={"uuid": self.uuid})


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    location = models.CharField(_("地点"), max_length=100, blank=True)
    participants = models.TextField(_("参加人员"))
    result = models.TextField(_("调解情况"))

    class Meta:
        verbose_name = _("联合调解")
        verbose_name_plural = _("联合调解")
        ordering = ["held_on", "id"]


# ----------------------------------------------------------------------------- 重大案件协调


class Coordination(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("协调中")
        CLOSED = "closed", _("已结束")

    status_colours(Status, {Status.OPEN: BLUE, Status.CLOSED: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(AdministrativeCase, on_delete=models.PROTECT, related_name="coordinations")
    court = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    government = models.ForeignKey(Institution, verbose_name=_("协调政府"), on_delete=models.PROTECT, related_name="+")
    procuratorate = models.ForeignKey(
        Institution,
        verbose_name=_("邀请监督的检察院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_on = models.DateField(_("邀请监督日期"), null=True, blank=True)
    subject = models.CharField(_("协调事项"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("启动日期"))
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    outcome = models.TextField(_("协调结果"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CoordinationQuerySet.as_manager()

    class Meta:
        verbose_name = _("重大案件协调")
        verbose_name_plural = _("重大案件协调")
        ordering = ["-opened_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [models.Index(fields=["-opened_on", "-id"], name="coordination_list_order")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("cases:coordination_detail", kwargs={"uuid": self.uuid})


class Communication(models.Model):
    coordination = models.ForeignKey(Coordination, on_delete=models.CASCADE, related_name="communications")
    institution = models.ForeignKey(Institution, verbose_name=_("沟通单位"), on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("日期"))
    summary = models.TextField(_("沟通情况"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["occurred_on", "id"]


# ----------------------------------------------------------------------------- 裁执分离


class Enforcement(models.Model):
    """An application for enforcement and the court's ruling; non-money obligations go to the government."""

    class Basis(models.TextChoices):
        DECISION = "decision", _("行政决定（非诉执行）")
        JUDGMENT = "judgment", _("生效行政裁判")

    class Status(models.TextChoices):
        APPLIED = "applied", _("审查中")
        REFUSED = "refused", _("裁定不准予执行")
        COURT = "court", _("法院强制执行")
        ASSIGNED = "assigned", _("已交由政府组织实施")
        FEEDBACK = "feedback", _("已书面反馈")
        CLOSED = "closed", _("已结案")

    status_colours(
        Status,
        {
            Status.APPLIED: BLUE,
            Status.REFUSED: GREY,
            Status.COURT: GREEN,
            Status.ASSIGNED: BLUE,
            Status.FEEDBACK: GREEN,
            Status.CLOSED: GREEN,
        },
    )

    class Ruling(models.TextChoices):
        NONE = "", _("—")
        GRANTED = "granted", _("准予执行")
        REFUSED = "refused", _("不准予执行")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    court = models.ForeignKey(Institution, verbose_name=_("审查法院"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(Institution, verbose_name=_("申请机关"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        AdministrativeCase, null=True, blank=True, on_delete=models.PROTECT, related_name="enforcements"
    )
    basis = models.CharField(_("执行依据类别"), max_length=10, choices=Basis.choices)
    basis_reference = models.CharField(_("执行依据文号"), max_length=100)
    respondent = models.CharField(_("被执行人"), max_length=200)
    obligation = models.TextField(_("执行内容"))
    money_obligation = models.BooleanField(_("金钱给付义务"), default=False)
    applied_on = models.DateField(_("申请日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.APPLIED, db_index=True)
    ruling = models.CharField(_("审查结果"), max_length=10, choices=Ruling.choices, blank=True)
    ruling_reasons = models.TextField(_("裁定理由"), blank=True)
    ruled_on = models.DateField(_("裁定日期"), null=True, blank=True)
    assignee = models.ForeignKey(
        Institution, verbose_name=_("组织实施机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignment_letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)
    feedback_due_explained = models.TextField(blank=True)
    feedback_letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Overdue first (liaison.status.URGENT_ORDER): the feedback deadline runs once assigned; under review
    # or enforced by the court it is open without one; refused, fed back or closed it is done.
    due_rank = due_rank_field(
        running=models.Q(status=Status.ASSIGNED), open=models.Q(status__in=[Status.APPLIED, Status.COURT])
    )
    open_due = open_due_field("feedback_due", running=models.Q(status=Status.ASSIGNED))

    objects = EnforcementQuerySet.as_manager()

    class Meta:
        verbose_name = _("裁执分离执行案件")
        verbose_name_plural = _("裁执分离执行案件")
        ordering = ["-applied_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [
            models.Index(fields=["-applied_on", "-id"], name="enforcement_list_order"),
            models.Index(fields=[*URGENT_ORDER, "-applied_on", "-id"], name="enforcement_urgent_order"),
        ]

    def __str__(self):
        return f"{self.basis_reference} {self.respondent}"

    def get_absolute_url(self) -> str:
        return reverse("cases:enforcement_detail", kwargs={"uuid": self.uuid})


# ----------------------------------------------------------------------------- 协作配合（检察监督）


class SupervisionApplication(models.Model):
    """An enforced party's application to the procuratorate for enforcement supervision."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("审查中")
        DECIDED = "decided", _("已决定")

    status_colours(Status, {Status.RECEIVED: BLUE, Status.DECIDED: GREEN})

    class Decision(models.TextChoices):
        NONE = "", _("—")
        SUPPORT = "support", _("支持监督申请")
        NOT_SUPPORT = "not_support", _("不支持监督申请")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procuratorate = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    applicant = models.CharField(_("申请人（被执行人）"), max_length=200)
    enforcement = models.ForeignKey(
        Enforcement, null=True, blank=True, on_delete=models.PROTECT, related_name="supervisions"
    )
    court = models.ForeignKey(Institution, verbose_name=_("作出裁定的法院"), on_delete=models.PROTECT, related_name="+")
    enforcing_agency = models.ForeignKey(
        Institution, verbose_name=_("实施强制执行的机关"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.TextField(_("申请事项与理由"))
    received_on = models.DateField(_("收到申请日期"))
    decision_due = models.DateField(_("决定期限"))
    decision_due_explained = models.TextField(blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    decision = models.CharField(_("决定"), max_length=12, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Overdue first (liaison.status.URGENT_ORDER): the decision deadline runs until decided.
    due_rank = due_rank_field(running=models.Q(status=Status.RECEIVED))
    open_due = open_due_field("decision_due", running=models.Q(status=Status.RECEIVED))

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("执行监督申请")
        verbose_name_plural = _("执行监督申请")
        ordering = ["-received_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="supervision_list_order"),
            models.Index(fields=[*URGENT_ORDER, "-received_on", "-id"], name="supervision_urgent_order"),
        ]

    def __str__(self):
        return f"{self.applicant}（{self.court.short_name}）"

    def get_absolute_url(self) -> str:
        return reverse("cases:supervision_detail", kwargs={"uuid": self.uuid})


class CaseSupervision(models.Model):
    """个案监督: the procuratorate's supervision record on a case."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procuratorate = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(AdministrativeCase, on_delete=models.PROTECT, related_name="supervisions")
    opened_on = models.DateField(_("立案监督日期"))
    notes = models.TextField(_("监督情况"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("个案监督")
        verbose_name_plural = _("个案监督")
        ordering = ["-opened_on", "-id"]


class ClueTransfer(models.Model):
    """违法线索移送 between government, court and procuratorate, with receipt and handling result."""

    class Status(models.TextChoices):
        SENT = "sent", _("已移送")
        RECEIVED = "received", _("已接收")
        HANDLED = "handled", _("已办结")

    status_colours(Status, {Status.SENT: BLUE, Status.RECEIVED: BLUE, Status.HANDLED: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(Institution, verbose_name=_("移送单位"), on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Institution, verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(AdministrativeCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="clues")
    summary = models.TextField(_("线索内容"))
    sent_on = models.DateField(_("移送日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SENT)
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    handling_result = models.TextField(_("处理结果"), blank=True)
    handled_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ClueTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("违法线索移送")
        verbose_name_plural = _("违法线索移送")
        ordering = ["-sent_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [models.Index(fields=["-sent_on", "-id"], name="clue_list_order")]

    def __str__(self):
        first = self.summary.strip().splitlines()[0] if self.summary.strip() else ""
        return first if len(first) <= 40 else first[:39] + "…"

    def get_absolute_url(self) -> str:
        return reverse("cases:clue_detail", kwargs={"uuid": self.uuid})


# ----------------------------------------------------------------------------- 庭审旁听、判后评议


class Observation(models.Model):
    """庭审旁听/观摩: agency staff attend a hearing; the procuratorate may be invited to supervise."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(AdministrativeCase, on_delete=models.PROTECT, related_name="observations")
    court = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("名称"), max_length=200)
    procuratorate = models.ForeignKey(
        Institution, verbose_name=_("邀请的检察院"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("庭审旁听观摩")
        verbose_name_plural = _("庭审旁听观摩")
        ordering = ["-held_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [models.Index(fields=["-held_on", "-id"], name="observation_list_order")]

    def get_absolute_url(self) -> str:
        return reverse("cases:observation_detail", kwargs={"uuid": self.uuid})


class ObservationAttendance(models.Model):
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="attendances")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    invited = models.PositiveSmallIntegerField(_("通知人数"), default=0)
    attended = models.PositiveSmallIntegerField(_("实到人数"), default=0)
    names = models.TextField(_("参加人员"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["observation", "institution"], name="one_attendance_row")]


class Review(models.Model):
    """判后评议 after an effective judgment, on the six topics of work plan 四(四)3."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(AdministrativeCase, on_delete=models.PROTECT, related_name="reviews")
    court = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("评议日期"))
    participants = models.ManyToManyField(Institution, verbose_name=_("参加单位"), related_name="+")
    act_problems = models.TextField(_("涉案行政行为存在的问题"), blank=True)
    litigation_work = models.TextField(_("行政机关的应诉工作"), blank=True)
    risk_prevention = models.TextField(_("执法司法的风险防范"), blank=True)
    trial_conduct = models.TextField(_("人民法院的庭审活动规范"), blank=True)
    dispute_resolution = models.TextField(_("行政争议的实质化解"), blank=True)
    social_impact = models.TextField(_("涉案纠纷的社会影响"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ReviewQuerySet.as_manager()

    TOPICS = [
        "act_problems",
        "litigation_work",
        "risk_prevention",
        "trial_conduct",
        "dispute_resolution",
        "social_impact",
    ]

    class Meta:
        verbose_name = _("判后评议")
        verbose_name_plural = _("判后评议")
        ordering = ["-held_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [models.Index(fields=["-held_on", "-id"], name="review_list_order")]

    def get_absolute_url(self) -> str:
        return reverse("cases:review_detail", kwargs={"uuid": self.uuid})
