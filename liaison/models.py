"""The shared domain: institutions, people, calendar, letters, ledger, notifications, audit."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from . import i18n
from .querysets import (
    InspectionQuerySet,
    InstitutionQuerySet,
    LedgerEntryQuerySet,
    LetterQuerySet,
    NotificationQuerySet,
)
from .status import BLUE, GREEN, GREY, RED, URGENT_ORDER, due_rank_field, open_due_field
from .status import colours as status_colours


class Region(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("市级")
        COUNTY = "county", _("县（区）级")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["level", "id"]

    def __str__(self):
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        AGENCY = "agency", _("政府部门")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        OFFICE = "office", _("领导小组办公室")

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        COUNTY = "county", _("县（区）级")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    code = models.CharField(_("机关代字"), max_length=20, unique=True, help_text=_("用于发文字号，如“柳中法”。"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="institutions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("部门的本级政府，或下级法院、检察院的上级院；逾期事项向其升级。"),
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("机关单位")
        verbose_name_plural = _("机关单位")
        ordering = ["region_id", "kind", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级机关不能是自身。")})


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICE = "office", _("办公室工作人员")
        STAFF = "staff", _("承办人")
        HEAD = "head", _("负责人")
        LEGAL = "legal", _("法制工作人员")
        AUDITOR = "auditor", _("检查人员")
        ADMIN = "admin", _("系统管理员")

    institution = models.ForeignKey(
        Institution, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.STAFF)
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    post = models.CharField(_("职务"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.role != self.Role.ADMIN and not self.institution_id:
            raise ValidationError({"institution": _("除系统管理员外，用户必须属于一个单位。")})
        if self.role == self.Role.OFFICE and self.institution and self.institution.kind != Institution.Kind.OFFICE:
            raise ValidationError({"role": _("只有领导小组办公室的用户可以担任办公室工作人员。")})


# ----------------------------------------------------------------------------- calendar


class HolidayOverride(models.Model):
    """An administrator-entered day: a holiday, or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休工作日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40, help_text=_("如“春节”“国庆节”。"))

    class Meta:
        verbose_name = _("节假日设置")
        verbose_name_plural = _("节假日设置")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}（{self.get_kind_display()}）"


# ----------------------------------------------------------------------------- letters


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待签发")
        ISSUED = "issued", _("已发出")

    status_colours(Status, {Status.DRAFT: GREY, Status.PENDING: BLUE, Status.ISSUED: GREEN})

    class Series(models.TextChoices):
        HAN = "han", _("函")
        JIAN = "jian", _("建议")
        FU = "fu", _("复函")
        TONGBAO = "tongbao", _("通报")
        TONGZHI = "tongzhi", _("通知")
        JIYAO = "jiyao", _("纪要")

    # The character the series adds to the 机关代字: 柳中法 + 函 → 柳中法函〔2026〕12号.
    SERIES_MARK = {"han": "函", "jian": "建", "fu": "复", "tongbao": "通", "tongzhi": "通知", "jiyao": "纪"}

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(
        Institution, verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="letters"
    )
    series = models.CharField(_("文种"), max_length=10, choices=Series.choices, default=Series.HAN)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=60, null=True, blank=True, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    signatory = models.CharField(_("署名"), max_length=100, blank=True, help_text=_("默认为发文机关名称。"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, blank=True, choices=[("", "—"), ("加急", _("加急")), ("特急", _("特急"))]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="letters_created")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="letters_signed_off"
    )
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="letters/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # The record this letter belongs to (a suggestion, a meeting, a bulletin …), if any.
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # A letter may ask each of its main recipients (主送) for a written reply by a date; each then
    # owes a 复函 (series FU, `in_reply_to` this letter) until its reply is issued (Delivery.reply).
    reply_by = models.DateField(
        _("要求回复日期"), null=True, blank=True, help_text=_("需要主送机关书面回复（复函）时填写；不早于成文日期。")
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("答复的来文"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "series", "year", "number"], name="letter_number_unique"),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            # The lists' default order (API, outbox by issuer, office-wide by status).
            models.Index(fields=["-created_at", "-id"], name="letter_list_order"),
            models.Index(fields=["issuer", "-created_at", "-id"], name="letter_outbox_order"),
            models.Index(fields=["status", "-created_at", "-id"], name="letter_status_order"),
        ]

    def __str__(self):
        return self.doc_number or self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("letter_detail", kwargs={"uuid": self.uuid})

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def signature_name(self) -> str:
        return self.signatory or self.issuer.name

    def addressees(self):
        return [d.recipient for d in self.deliveries.all() if d.kind == Delivery.Kind.TO]

    def cc(self):
        return [d.recipient for d in self.deliveries.all() if d.kind == Delivery.Kind.CC]


class LetterGroupObjectPermission(GroupObjectPermissionBase):
    """Explicit sharing of a letter with an institution (its group), via django-guardian."""

    content_object = models.ForeignKey(Letter, on_delete=models.CASCADE)


class LetterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Letter, on_delete=models.CASCADE)


class DocumentCounter(models.Model):
    """The last number given per issuer, series and year; rows are locked to allocate."""

    issuer = models.ForeignKey(Institution, on_delete=models.PROTECT)
    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "series", "year"], name="counter_unique")]


class Delivery(models.Model):
    """A letter in one recipient's inbox (收文)."""

    class Kind(models.TextChoices):
        TO = "to", _("主送")
        CC = "cc", _("抄送")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        Institution, verbose_name=_("收文机关"), on_delete=models.PROTECT, related_name="deliveries"
    )
    kind = models.CharField(_("类别"), max_length=2, choices=Kind.choices, default=Kind.TO)
    position = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The 复函 that settled this recipient's debt, set when it is issued (services.letter_issue).
    reply = models.ForeignKey(
        Letter, verbose_name=_("复函"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = _("送达")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["letter", "recipient"], name="delivery_unique")]
        indexes = [
            models.Index(fields=["recipient", "signed_on"]),
            # The inbox: one recipient's deliveries, newest first.
            models.Index(fields=["recipient", "-delivered_at", "-id"], name="delivery_inbox_order"),
        ]

    @property
    def state(self) -> str:
        if self.read_at:
            return "read"
        if self.signed_on:
            return "signed"
        if self.delivered_at:
            return "delivered"
        return "pending"

    STATE_LABELS = {"pending": _("未送达"), "delivered": _("待签收"), "signed": _("已签收"), "read": _("已阅")}

    def __str__(self):
        return str(self.letter)

    @property
    def title(self) -> str:
        return self.letter.title

    @property
    def api_record(self) -> Letter:
        """A copy is acted on through its letter's API (POST letters/{uuid}/sign/)."""
        return self.letter

    def get_absolute_url(self) -> str:
        return self.letter.get_absolute_url()

    @property
    def todo_kind(self) -> str:
        """What the recipient's to-do list calls a copy: 收文 (主送) or 抄送."""
        return str(_("收文") if self.kind == self.Kind.TO else _("抄送"))

    @property
    def track_kind(self) -> str:
        """What the issuer's 跟踪 calls it: 发文 (主送) or 抄送."""
        return str(_("发文") if self.kind == self.Kind.TO else _("抄送"))

    def get_state_display(self) -> str:
        return str(self.STATE_LABELS[self.state])

    @property
    def owes_reply(self) -> bool:
        """A main recipient of a letter asking for a reply, whose 复函 is not issued yet."""
        return self.kind == self.Kind.TO and self.letter.reply_by is not None and self.reply_id is None

    @property
    def reply_due(self):
        """The reply deadline this copy is held to (主送 of a letter asking for a reply), else None."""
        return self.letter.reply_by if self.kind == self.Kind.TO else None


def attachment_path(instance, filename):
    # Stored under a random name; the original name is kept in the row only.
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a letter, or to a record (a suggestion, a reply) that becomes a letter:
    the record's files move onto its letter when the letter is drafted (`attachments_to_letter`),
    so the letter's PDF lists them in its 附件 line and the letter's access rules apply."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    record_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        return self.name


# ----------------------------------------------------------------------------- ledger


class LedgerEntry(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        OVERDUE = "overdue", _("已逾期")
        DONE = "done", _("已办结")
        WAIVED = "waived", _("已免除")

    status_colours(Status, {Status.OPEN: BLUE, Status.OVERDUE: RED, Status.DONE: GREEN, Status.WAIVED: GREY})

    class Unit(models.TextChoices):
        DAYS = "days", _("日")
        MONTHS = "months", _("个月")
        WORKING_DAYS = "working_days", _("个工作日")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Institution, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    title = models.CharField(_("事项"), max_length=200)
    # The title's msgid and parameters (liaison.i18n) for an entry a service opened; `title` keeps
    # the Chinese text (search, sort, rows written before, entries typed by hand).
    message = models.JSONField(default=dict, blank=True, editable=False)
    # The period the due date was computed from, kept so holidays edits can recompute it.
    start_date = models.DateField(_("起算日"))
    period = models.PositiveSmallIntegerField(_("期限"))
    unit = models.CharField(_("期限单位"), max_length=15, choices=Unit.choices, default=Unit.DAYS)
    due_date = models.DateField(_("截止日期"), db_index=True)
    due_explained = models.TextField(_("期限计算"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    evidence = models.TextField(_("办结情况"), blank=True)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    # 工作方案六(四): the office keeps an entry for every task of the plan; the clause it serves.
    clause = models.CharField(_("工作方案条目"), max_length=20, blank=True, help_text=_("如“四(二)3”。"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # Overdue first (liaison.status.URGENT_ORDER): open (办理中, 已逾期) by due date, then closed ones.
    due_rank = due_rank_field(running=models.Q(status__in=[Status.OPEN, Status.OVERDUE]))
    open_due = open_due_field("due_date", running=models.Q(status__in=[Status.OPEN, Status.OVERDUE]))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账事项")
        verbose_name_plural = _("工作台账")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
            # The ledger and the inspections filtered by the plan's clause.
            models.Index(fields=["clause", "due_date"], name="ledger_clause_order"),
            # Overdue first (the ledger's default order): the office's, and each owner's after its owner.
            models.Index(fields=[*URGENT_ORDER, "-due_date", "-id"], name="ledger_urgent_order"),
            models.Index(fields=["owner", *URGENT_ORDER, "-due_date", "-id"], name="ledger_owner_urgent"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return i18n.render(self.message, self.title)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ledger_detail", kwargs={"uuid": self.uuid})

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.WAIVED)


class LedgerUrge(models.Model):
    """催办: the office presses the owner of an open entry (a notification, and optionally a 督办函)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="urges")
    message = models.TextField(_("催办意见"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    letter = models.ForeignKey(
        Letter, verbose_name=_("督办函"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["entry", "created_at"])]

    def __str__(self):
        return f"{self.entry} {self.created_at:%Y-%m-%d}"


class Inspection(models.Model):
    """专项检查: a frozen snapshot of ledger entries with the inspectors' findings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("检查名称"), max_length=200)
    institution = models.ForeignKey(Institution, verbose_name=_("检查单位"), on_delete=models.PROTECT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    findings = models.TextField(_("检查发现"), blank=True)
    clause = models.CharField(_("工作方案条目"), max_length=20, blank=True)
    snapshot = models.JSONField(default=list, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项检查")
        verbose_name_plural = _("专项检查")
        ordering = ["-created_at"]
        # The list of checks, newest first (liaison.listings.INSPECTIONS).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="inspection_list_order"),
            models.Index(fields=["clause", "-created_at", "-id"], name="inspection_clause_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inspection_detail", kwargs={"uuid": self.uuid})


# ----------------------------------------------------------------------------- notifications, audit


class Notification(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    # The title's msgid and parameters (liaison.i18n): shown in the reader's language; `title`
    # keeps the Chinese text (search, e-mail, rows written before).
    message = models.JSONField(default=dict, blank=True, editable=False)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Makes a notification idempotent: one per user and key.
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A notification that asks for an action (待审批, 待签发, 待签收 …) names the record and the
    # transition it waits for; it settles itself (marked read, shown as 已办理) as soon as that
    # transition is no longer open to its user, whoever entitled took it (services.settle_notifications).
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    awaits = models.CharField(_("等待的操作"), max_length=60, blank=True)
    while_state = models.CharField(max_length=30, blank=True)  # the record's state when it asked
    settled_at = models.DateTimeField(_("已办理"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(
                fields=["subject_type", "subject_id"],
                condition=models.Q(settled_at__isnull=True) & ~models.Q(awaits=""),
                name="notification_open_action",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return i18n.render(self.message, self.title)


class AuditEntry(models.Model):
    """Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False
    )
    actor_name = models.CharField(max_length=150, blank=True)
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False)
    action = models.CharField(max_length=60)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class IdempotentRequest(models.Model):
    """An API write sent with an `Idempotency-Key` header: stored in the same transaction as the
    write, so a client that retries after a lost answer (a restart, a timeout) gets the first
    answer again instead of a second record (liaison.api.idempotency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
