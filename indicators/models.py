"""Indicator rules (计算口径) an administrator may change, and later the bulletins.

The 败诉 mapping itself is `cases.Outcome.counts_as_lost` (one source of truth, edited in
the admin as 结案方式（败诉口径）); the period rules live here. Every computed figure
carries a snapshot of both (`rules_snapshot`) and its short digest, so a figure says
which mapping it was computed under.
"""

import hashlib
import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.querysets import VisibleQuerySet


class BulletinQuerySet(VisibleQuerySet):
    pass


class CountingRules(models.Model):
    """The one row of period rules (计算口径); `current()` creates it with the RULES.md defaults."""

    class CaseDate(models.TextChoices):
        EFFECTIVE = "effective_on", _("生效日期（默认）")
        CONCLUDED = "concluded_on", _("结案日期")

    case_date = models.CharField(
        _("败诉率计入期间的依据"),
        max_length=15,
        choices=CaseDate.choices,
        default=CaseDate.EFFECTIVE,
        help_text=_("已结案件按哪个日期计入季度：默认按裁判生效日期（RULES.md）。"),
    )
    first_instance_only = models.BooleanField(
        _("败诉率只统计一审案件"), default=True, help_text=_("默认只统计一审结案；取消后二审、再审结案也计入。")
    )
    include_procuratorial = models.BooleanField(
        _("回复率同时统计检察建议"), default=False, help_text=_("默认“司法建议回复率”只统计人民法院的司法建议。")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("指标计算口径")
        verbose_name_plural = _("指标计算口径")

    def __str__(self):
        return str(_("指标计算口径"))

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: the portal has one set of rules at a time
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "CountingRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


def rules_snapshot(rules: CountingRules, lost_codes: list[str]) -> dict:
    """What a figure was computed under; `digest` names it in a few characters."""
    body = {
        "case_date": rules.case_date,
        "first_instance_only": rules.first_instance_only,
        "include_procuratorial": rules.include_procuratorial,
        "lost_outcomes": sorted(lost_codes),
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:10]
    return {**body, "digest": digest}


class Bulletin(models.Model):
    """季度指标通报: a frozen snapshot of one quarter's figures for the city or one county.

    Drafted by a scheduled job after the quarter (one per region and quarter, however often
    the job runs); the office reviews it and writes its commentary; the court's head issues
    it as a numbered letter to the government, cc the procuratorate. From then on its
    figures never change; a correction is a new bulletin that names the one it corrects.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审核")
        REVIEWED = "reviewed", _("待签发")
        ISSUED = "issued", _("已印发")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "liaison.Region", verbose_name=_("通报范围"), on_delete=models.PROTECT, related_name="bulletins"
    )
    period = models.CharField(_("季度"), max_length=6, help_text=_("如 2026Q3。"))
    issuer = models.ForeignKey(
        "liaison.Institution", verbose_name=_("通报法院"), on_delete=models.PROTECT, related_name="+"
    )
    government = models.ForeignKey(
        "liaison.Institution", verbose_name=_("主送政府"), on_delete=models.PROTECT, related_name="+"
    )
    procuratorate = models.ForeignKey(
        "liaison.Institution",
        verbose_name=_("抄送检察院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    commentary = models.TextField(_("办公室审核意见与工作建议"), blank=True)
    snapshot = models.JSONField(_("指标快照"), default=dict, editable=False, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    letter = models.ForeignKey(
        "liaison.Letter", verbose_name=_("通报函"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("季度指标通报")
        verbose_name_plural = _("季度指标通报")
        ordering = ["-period", "region_id", "-id"]
        # the list's default order, and filtered by status or by quarter
        indexes = [
            models.Index(fields=["-period", "region", "-id"], name="bulletin_list_order"),
            models.Index(fields=["status", "-period", "region", "-id"], name="bulletin_status_order"),
        ]
        constraints = [
            # The scheduled job may run twice: one original bulletin per region and quarter.
            models.UniqueConstraint(
                fields=["region", "period"], condition=models.Q(corrects__isnull=True), name="one_bulletin_per_quarter"
            ),
            # One correction in progress at a time.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False) & ~models.Q(status="issued"),
                name="one_open_correction",
            ),
        ]

    def __str__(self):
        if self.letter_id and self.letter.doc_number:
            return self.letter.doc_number
        return f"{self.region} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:bulletin_detail", kwargs={"uuid": self.uuid})

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.ISSUED


# ----------------------------------------------------------------------------- the bulletin's transitions


def _office_of(user, b) -> bool:
    from liaison import access

    return access.is_office(user) and b.region_id in access.office_region_ids(user)


def _court_acting(user, b) -> bool:
    from liaison import access

    return access.is_acting(user) and user.institution_id == b.issuer_id


def _court_head(user, b) -> bool:
    from liaison.models import User

    return user.role == User.Role.HEAD and user.institution_id == b.issuer_id


def _no_open_correction(b) -> bool:
    return not b.corrections.exclude(status=Bulletin.Status.ISSUED).exists()


def _pending_bulletins(user, states):
    """待办: the court's bulletins (its head signs) and, for office staff, their regions' (they review)."""
    from liaison import access

    mine = models.Q(issuer_id=user.institution_id)
    if access.is_office(user):
        mine |= models.Q(region_id__in=access.office_region_ids(user))
    return Bulletin.objects.filter(mine, status__in=states).select_related("letter", "region")


def _declare():
    from liaison import workflow

    B = Bulletin.Status
    return workflow.register(
        workflow.Workflow(
            Bulletin,
            workflow.Transition(
                "bulletin.refresh",
                sources=[B.DRAFT],
                who=lambda u, b: _office_of(u, b) or _court_acting(u, b),
                label=_("按最新数据重新计算"),
                page="indicators:bulletin_refresh",
                style="secondary",
            ),
            workflow.Transition(
                "bulletin.comment",
                sources=[B.DRAFT],
                who=_office_of,
                label=_("填写审核意见"),
                page="indicators:bulletin_comment",
                style="secondary",
            ),
            workflow.Transition(
                "bulletin.submit",
                sources=[B.DRAFT],
                target=B.REVIEWED,
                who=_office_of,
                label=_("审核完毕，送法院签发"),
                page="indicators:bulletin_submit",
                todo=_("待审核通报"),
            ),
            workflow.Transition(
                "bulletin.return",
                sources=[B.REVIEWED],
                target=B.DRAFT,
                who=_court_head,
                label=_("退回办公室"),
                page="indicators:bulletin_return",
                style="secondary",
            ),
            workflow.Transition(
                "bulletin.issue",
                sources=[B.REVIEWED],
                target=B.ISSUED,
                who=_court_head,
                label=_("签发通报函"),
                page="indicators:bulletin_issue",
                todo=_("待签发通报"),
            ),
            workflow.Transition(
                "bulletin.correct",
                sources=[B.ISSUED],
                who=lambda u, b: _office_of(u, b) or _court_acting(u, b),
                when=_no_open_correction,
                label=_("发起更正"),
                page="indicators:bulletin_correct",
                style="danger",
                refusal=_("该通报已有一份更正正在办理。"),
            ),
            pending=_pending_bulletins,
        )
    )


# ----------------------------------------------------------------------------- the annual report


class AnnualReport(models.Model):
    """行政诉讼司法审查报告: the court's yearly report to the government, cc the procuratorate.

    Drafted in January by a scheduled job (one per region and year, however often it runs)
    with its tables computed from the cases, suggestions and enforcement records and a first
    wording of each section; the court edits the sections (restricted markup, see markup.py)
    and chooses the typical cases; its head issues it as a numbered letter with the report
    as a PDF attachment. The tables are recomputed while it is a draft and frozen at issue.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        SUBMITTED = "submitted", _("待签发")
        ISSUED = "issued", _("已印发")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "liaison.Region", verbose_name=_("报告范围"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    issuer = models.ForeignKey(
        "liaison.Institution", verbose_name=_("报告法院"), on_delete=models.PROTECT, related_name="+"
    )
    government = models.ForeignKey(
        "liaison.Institution", verbose_name=_("主送政府"), on_delete=models.PROTECT, related_name="+"
    )
    procuratorate = models.ForeignKey(
        "liaison.Institution",
        verbose_name=_("抄送检察院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("统计数据"), default=dict, editable=False, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    typical_cases = models.ManyToManyField(
        "cases.AdministrativeCase", verbose_name=_("典型案例"), blank=True, related_name="+"
    )
    letter = models.ForeignKey(
        "liaison.Letter", verbose_name=_("报告函"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政诉讼司法审查报告")
        verbose_name_plural = _("行政诉讼司法审查报告")
        ordering = ["-year", "region_id", "-id"]
        indexes = [
            models.Index(fields=["-year", "region", "-id"], name="report_list_order"),
            models.Index(fields=["status", "-year", "region", "-id"], name="report_status_order"),
        ]
        constraints = [
            # The January job may run twice: one report per region and year.
            models.UniqueConstraint(fields=["region", "year"], name="one_report_per_year"),
        ]

    def __str__(self):
        if self.letter_id and self.letter.doc_number:
            return self.letter.doc_number
        return f"{self.region} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:report_detail", kwargs={"uuid": self.uuid})

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.ISSUED


class ReportSection(models.Model):
    """One section of an annual report: its heading and text (restricted markup, see markup.py)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=20)
    heading = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), blank=True)

    class Meta:
        verbose_name = _("报告章节")
        verbose_name_plural = _("报告章节")
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="one_section_per_key")]

    def __str__(self):
        return self.heading


def _report_court_acting(user, r) -> bool:
    from liaison import access

    return access.is_acting(user) and user.institution_id == r.issuer_id


def _declare_report():
    from liaison import workflow

    R = AnnualReport.Status
    return workflow.register(
        workflow.Workflow(
            AnnualReport,
            workflow.Transition(
                "report.edit",
                sources=[R.DRAFT],
                who=_report_court_acting,
                label=_("编辑报告"),
                page="indicators:report_edit",
                style="secondary",
            ),
            workflow.Transition(
                "report.refresh",
                sources=[R.DRAFT],
                who=_report_court_acting,
                label=_("按最新数据重新统计"),
                page="indicators:report_refresh",
                style="secondary",
            ),
            workflow.Transition(
                "report.submit",
                sources=[R.DRAFT],
                target=R.SUBMITTED,
                who=_report_court_acting,
                label=_("送负责人签发"),
                page="indicators:report_submit",
                todo=_("待送签报告"),
            ),
            workflow.Transition(
                "report.return",
                sources=[R.SUBMITTED],
                target=R.DRAFT,
                who=_court_head,
                label=_("退回修改"),
                page="indicators:report_return",
                style="secondary",
            ),
            workflow.Transition(
                "report.issue",
                sources=[R.SUBMITTED],
                target=R.ISSUED,
                who=_court_head,
                label=_("签发报告"),
                page="indicators:report_issue",
                todo=_("待签发报告"),
            ),
            pending=lambda user, states: AnnualReport.objects.filter(
                issuer_id=user.institution_id, status__in=states
            ).select_related("letter", "region"),
        )
    )
