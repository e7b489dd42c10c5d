"""Judicial suggestions (司法建议) and procuratorial suggestions (检察建议)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.models import Institution, Letter
from liaison.status import AMBER, BLUE, GREEN, GREY, URGENT_ORDER, due_rank_field, open_due_field
from liaison.status import colours as status_colours

from .querysets import FilingQuerySet, SuggestionQuerySet


class ReplyPeriodRule(models.Model):
    """Default reply periods (RULES.md); administrators may change them, the issuer may shorten."""

    kind = models.CharField(_("建议类别"), max_length=15)
    subkind = models.CharField(_("子类"), max_length=15, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    period = models.PositiveSmallIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=10, choices=[("days", _("日")), ("months", _("个月"))])
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("回复期限规则")
        verbose_name_plural = _("回复期限规则")
        constraints = [models.UniqueConstraint(fields=["kind", "subkind", "urgent"], name="reply_rule_unique")]

    def __str__(self):
        return (
            f"{self.kind}/{self.subkind or '-'}{'/紧急' if self.urgent else ''}: {self.period}{self.get_unit_display()}"
        )


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        JUDICIAL = "judicial", _("司法建议")
        PROCURATORIAL = "procuratorial", _("检察建议")

    class Subkind(models.TextChoices):
        NONE = "", _("—")
        GENERAL = "general", _("社会治理类")
        PUBLIC_INTEREST = "public_interest", _("诉前公益诉讼")

    class Category(models.TextChoices):
        ENFORCEMENT = "enforcement", _("行政执法程序")
        MANAGEMENT = "management", _("行政管理")
        LITIGATION = "litigation", _("行政应诉")
        DISCLOSURE = "disclosure", _("政府信息公开")
        PUBLIC_INTEREST = "public_interest", _("公共利益保护")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已审批")
        ISSUED = "issued", _("已发出")
        RECEIVED = "received", _("已签收")
        REPLIED = "replied", _("已回复")
        EVALUATED = "evaluated", _("已评价")
        RECTIFYING = "rectifying", _("整改中")
        WITHDRAWN = "withdrawn", _("已撤回")

    # Awaiting the recipient's reply: the reply deadline runs (the one definition; flows.py, lists, API).
    OPEN_STATES = (Status.RECEIVED, Status.RECTIFYING)
    # Issued as a numbered 建议书 and not withdrawn.
    SENT_STATES = (Status.ISSUED, Status.RECEIVED, Status.REPLIED, Status.EVALUATED, Status.RECTIFYING)

    # In progress until replied; the reply deadline has its own badge (amber, red).
    status_colours(
        Status,
        {
            Status.DRAFT: GREY,
            Status.SUBMITTED: BLUE,
            Status.APPROVED: BLUE,
            Status.ISSUED: BLUE,
            Status.RECEIVED: BLUE,
            Status.RECTIFYING: BLUE,
            Status.REPLIED: GREEN,
            Status.EVALUATED: GREEN,
            Status.WITHDRAWN: GREY,
        },
    )

    class Evaluation(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("建议类别"), max_length=15, choices=Kind.choices)
    subkind = models.CharField(_("子类"), max_length=15, choices=Subkind.choices, blank=True)
    issuer = models.ForeignKey(
        Institution, verbose_name=_("发出机关"), on_delete=models.PROTECT, related_name="suggestions_issued"
    )
    recipient = models.ForeignKey(
        Institution, verbose_name=_("被建议单位"), on_delete=models.PROTECT, related_name="suggestions_received"
    )
    cc = models.ManyToManyField(Institution, verbose_name=_("抄送"), blank=True, related_name="suggestions_cc")
    touches_procuratorial = models.BooleanField(
        _("涉及检察监督职责"), default=False, help_text=_("勾选后自动抄送同级人民检察院。")
    )
    case_number = models.CharField(_("关联案号"), max_length=60, blank=True)
    category = models.CharField(_("问题类别"), max_length=20, choices=Category.choices, default=Category.ENFORCEMENT)
    title = models.CharField(_("标题"), max_length=200)
    problem = models.TextField(_("发现的问题"))
    recommendations = models.TextField(_("建议内容"))
    urgent = models.BooleanField(_("紧急"), default=False)
    reply_period = models.PositiveSmallIntegerField(_("回复期限"))
    reply_unit = models.CharField(_("期限单位"), max_length=10, choices=[("days", _("日")), ("months", _("个月"))])
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("发出日期"), null=True, blank=True)
    received_on = models.DateField(_("签收日期"), null=True, blank=True)
    reply_due = models.DateField(_("回复期限届满日"), null=True, blank=True, db_index=True)
    reply_due_explained = models.TextField(_("期限计算"), blank=True)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    evaluation = models.CharField(_("评价"), max_length=12, choices=Evaluation.choices, blank=True)
    evaluation_reasons = models.TextField(_("评价理由"), blank=True)
    evaluated_on = models.DateField(_("评价日期"), null=True, blank=True)
    linked_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="linked", verbose_name=_("关联司法建议")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    # Overdue first (liaison.status.URGENT_ORDER): the reply deadline runs while received or rectifying;
    # awaiting receipt, a draft or one awaiting sign-off is open without one; replied, evaluated or
    # withdrawn is closed.
    due_rank = due_rank_field(
        running=models.Q(status__in=OPEN_STATES),
        open=models.Q(status__in=[Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.ISSUED]),
    )
    open_due = open_due_field("reply_due", running=models.Q(status__in=OPEN_STATES))

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("建议")
        verbose_name_plural = _("司法建议与检察建议")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["issuer", "issued_on"]),
            models.Index(fields=["recipient", "issued_on"]),
            # The list's default order, and per filter the same order after it.
            models.Index(fields=["-created_at", "-id"], name="suggestion_list_order"),
            models.Index(fields=["status", "-created_at", "-id"], name="suggestion_status_order"),
            models.Index(fields=["kind", "-created_at", "-id"], name="suggestion_kind_order"),
            models.Index(fields=["issuer", "-created_at", "-id"], name="suggestion_issuer_order"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="suggestion_recipient_order"),
            # Overdue first (the list's and the API's default order), and for the parties after them.
            models.Index(fields=[*URGENT_ORDER, "-created_at", "-id"], name="suggestion_urgent_order"),
            models.Index(fields=["issuer", *URGENT_ORDER, "-created_at", "-id"], name="suggestion_issuer_urgent"),
            models.Index(fields=["recipient", *URGENT_ORDER, "-created_at", "-id"], name="suggestion_recipient_urgent"),
        ]

    def __str__(self):
        return self.letter.doc_number if self.letter_id and self.letter.doc_number else self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("suggestions:detail", kwargs={"uuid": self.uuid})

    @property
    def letter_series(self) -> str:
        return Letter.Series.JIAN


class Reply(models.Model):
    """The agency's written reply for one round (书面回复), sent as a letter after head sign-off."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待负责人签发")
        RETURNED = "returned", _("退回修改")
        SENT = "sent", _("已回复")
        WITHDRAWN = "withdrawn", _("已撤回")

    status_colours(Status, {Status.PENDING: BLUE, Status.RETURNED: AMBER, Status.SENT: GREEN, Status.WITHDRAWN: GREY})

    # A reply the recipient is still working on: the head may return it, staff edit or withdraw it.
    OPEN_STATES = (Status.PENDING, Status.RETURNED)

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("轮次"))
    measures = models.TextField(_("采取的措施"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(_("回复日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("书面回复")
        verbose_name_plural = _("书面回复")
        ordering = ["round", "id"]
        # One reply per round (a withdrawn one aside): a second concurrent reply fails here and answers 409.
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=~models.Q(status="withdrawn"),
                name="one_reply_per_round",
            )
        ]

    def __str__(self):
        return _("第%(n)d轮回复") % {"n": self.round}

    def get_absolute_url(self) -> str:
        return self.suggestion.get_absolute_url()

    @property
    def title(self) -> str:
        """What the reply answers (the line under it in 待办): the suggestion's number and title."""
        return f"{self.suggestion} {self.suggestion.title}"


class Extension(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reasons = models.TextField(_("延期理由"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"], condition=models.Q(status="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self):
        return str(self.suggestion)

    def get_absolute_url(self) -> str:
        return self.suggestion.get_absolute_url()

    @property
    def title(self) -> str:
        return self.suggestion.title


class Filing(models.Model):
    """备案: the procuratorate files major supervision cases and its suggestions with the office."""

    class Kind(models.TextChoices):
        SUPERVISION_CASE = "supervision_case", _("重大行政执法监督案件")
        SUGGESTION = "suggestion", _("检察建议")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procuratorate = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="filings")
    office = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="filings_received")
    kind = models.CharField(_("备案类别"), max_length=20, choices=Kind.choices)
    suggestion = models.ForeignKey(Suggestion, null=True, blank=True, on_delete=models.PROTECT, related_name="filings")
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("基本情况"))
    filed_on = models.DateField(_("备案日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案登记")
        ordering = ["-filed_on", "-id"]
        # The list's default order (liaison.lists: every declared list's default order has an index).
        indexes = [models.Index(fields=["-filed_on", "-id"], name="filing_list_order")]

    def __str__(self):
        return self.title


class PeriodicReport(models.Model):
    """The periodic letter (函告) on issuance and replies, one per issuer and period."""

    issuer = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("建议情况函告")
        verbose_name_plural = _("建议情况函告")
        constraints = [models.UniqueConstraint(fields=["issuer", "start", "end"], name="one_report_per_period")]
