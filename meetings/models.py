"""Meetings of the linkage mechanism (工作方案 四(一), 五(一)–(三)) and what they decide.

A meeting is proposed by any institution (or by the schedule), accepted and convened by
the leading-group office (or declined with a reason), announced by a numbered notice
letter, answered by each invitee (attendees or an apology), held with attendance, and
closed by its minutes (纪要), issued as a letter after the convener's head approves them.
Each decision (议定事项) has an owner institution and a due date and lives on the owner's
ledger until the office confirms the evidence of its completion.

The kinds are data (MeetingKind, seeded from the work plan by migration 0002).
Transitions are declared once in `flows.py`.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.models import Institution, LedgerEntry, Letter
from liaison.status import AMBER, BLUE, GREEN, GREY, RED, URGENT_ORDER, due_rank_field, open_due_field
from liaison.status import colours as status_colours


class MeetingKind(models.Model):
    class Category(models.TextChoices):
        LEADING_GROUP = "leading_group", _("领导小组会议")
        SANZHANG = "sanzhang", _("“三长”联席会商会议")
        WORK = "work", _("联动工作会议")
        CONSULTATION = "consultation", _("定向会商")
        LEGAL_REVIEW = "legal_review", _("参与论证")
        RESEARCH = "research", _("共同调研")
        CLASS = "class", _("联动法治课堂")

    class Cadence(models.TextChoices):
        NONE = "", _("根据工作需要")
        ANNUAL = "annual", _("每年一次（年底或年初）")
        QUARTERLY = "quarterly", _("每季度一次")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    cadence = models.CharField(_("召开周期"), max_length=10, choices=Cadence.choices, blank=True)
    basis = models.CharField(_("工作方案依据"), max_length=60, help_text=_("如“四(一)、五(二)1”。"))
    purpose = models.TextField(_("主要内容"), blank=True)
    participants = models.TextField(_("参加人员"), blank=True)
    # Which institution kinds are invited by default (the office may change the list).
    default_invitee_kinds = models.JSONField(_("默认邀请单位类别"), default=list, blank=True)
    office_only = models.BooleanField(
        _("仅由办公室提议"), default=False, help_text=_("年度会议、常规联席会议由领导小组办公室提议召集。")
    )
    decision_period = models.PositiveSmallIntegerField(_("议定事项默认期限"), default=30)
    decision_unit = models.CharField(
        _("期限单位"), max_length=15, choices=LedgerEntry.Unit.choices, default=LedgerEntry.Unit.DAYS
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会议类别")
        verbose_name_plural = _("会议类别")
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待受理")
        DECLINED = "declined", _("不予召集")
        CONVENED = "convened", _("待发通知")
        NOTIFIED = "notified", _("已通知")
        HELD = "held", _("已召开")
        MINUTED = "minuted", _("纪要已印发")
        CANCELLED = "cancelled", _("已取消")

    status_colours(
        Status,
        {
            Status.PROPOSED: GREY,
            Status.DECLINED: GREY,
            Status.CONVENED: BLUE,
            Status.NOTIFIED: BLUE,
            Status.HELD: AMBER,
            Status.MINUTED: GREEN,
            Status.CANCELLED: GREY,
        },
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.ForeignKey(MeetingKind, verbose_name=_("会议类别"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("会议议题"), max_length=200)
    reasons = models.TextField(_("提议理由"))
    proposer = models.ForeignKey(
        Institution, verbose_name=_("提议单位"), on_delete=models.PROTECT, related_name="meetings_proposed"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_date = models.DateField(_("建议召开日期"), null=True, blank=True)
    proposed_participants = models.ManyToManyField(
        Institution, verbose_name=_("建议参加单位"), blank=True, related_name="+"
    )
    # The office that convenes (the proposer's region's office, else the city office).
    convener = models.ForeignKey(
        Institution, verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="meetings_convened"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = models.TextField(_("不予召集理由"), blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    location = models.CharField(_("会议地点"), max_length=200, blank=True)
    notice_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("会议通知")
    )
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    # Scheduled proposals are made once per key ("sanzhang:2026", "work:2026Q1").
    schedule_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["convener", "created_at"]),
            models.Index(fields=["proposer", "created_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:detail", kwargs={"uuid": self.uuid})


class MeetingLink(models.Model):
    """A record the proposal or an agenda item refers to (a case, a suggestion, a letter …)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="links")
    agenda_item = models.ForeignKey("AgendaItem", null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("关联记录")
        verbose_name_plural = _("关联记录")
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agenda_item", "target_type", "target_id"], name="meeting_link_once"
            )
        ]


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待回复")
        ATTENDING = "attending", _("参加")
        APOLOGY = "apology", _("请假")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    institution = models.ForeignKey(
        Institution, verbose_name=_("受邀单位"), on_delete=models.PROTECT, related_name="meeting_invitations"
    )
    status = models.CharField(_("回复"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attendees = models.TextField(_("参会人员"), blank=True, help_text=_("每行一人：姓名 职务。"))
    apology_reason = models.TextField(_("请假理由"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("会议邀请")
        verbose_name_plural = _("会议邀请")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "institution"], name="invitation_once")]
        indexes = [models.Index(fields=["institution", "meeting"])]

    def __str__(self):
        return f"{self.meeting} → {self.institution}"

    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class AgendaItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("议程"), max_length=200)
    presenter = models.ForeignKey(
        Institution, verbose_name=_("汇报单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("会议议程")
        verbose_name_plural = _("会议议程")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """签到: one person at the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey(Institution, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    present = models.BooleanField(_("到会"), default=True)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["id"]


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        CIRCULATED = "circulated", _("征求意见中")
        PENDING = "pending", _("待负责人审定")
        ISSUED = "issued", _("已印发")

    status_colours(Status, {Status.DRAFT: GREY, Status.CIRCULATED: BLUE, Status.PENDING: AMBER, Status.ISSUED: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    title = models.CharField(_("纪要标题"), max_length=200)
    body = models.TextField(_("纪要正文"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("纪要文件")
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")

    def __str__(self):
        return self.title


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("纪要意见")
        verbose_name_plural = _("纪要意见")
        ordering = ["id"]


class Decision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("待纪要印发")
        OPEN = "open", _("落实中")
        REPORTED = "reported", _("待办公室确认")
        DONE = "done", _("已办结")

    status_colours(Status, {Status.DRAFT: GREY, Status.OPEN: BLUE, Status.REPORTED: AMBER, Status.DONE: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("议定事项"))
    owner = models.ForeignKey(
        Institution, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="meeting_decisions"
    )
    period = models.PositiveSmallIntegerField(_("期限"))
    unit = models.CharField(_("期限单位"), max_length=15, choices=LedgerEntry.Unit.choices)
    due_date = models.DateField(_("完成期限"), db_index=True)
    due_explained = models.TextField(_("期限计算"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    ledger_entry = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(_("办结情况"), blank=True)
    reported_on = models.DateField(_("报结日期"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Overdue first (liaison.status): open decisions (落实中, 待办公室确认) by due date, then the others by
    # due date too (the office's supervision order, since a draft's and a done one's date still says when).
    due_rank = due_rank_field(running=models.Q(status__in=[Status.OPEN, Status.REPORTED]))

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["owner", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["due_rank", "due_date", "id"], name="decision_urgent_order"),
            models.Index(fields=["owner", "due_rank", "due_date", "id"], name="decision_owner_urgent"),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:decision_detail", kwargs={"uuid": self.uuid})

    @property
    def title(self) -> str:
        return self.text.splitlines()[0][:80] if self.text else ""


class DecisionUpdate(models.Model):
    """进展: the owner's progress notes and reports, the office's confirmation or return."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("进展情况")
        REPORT = "report", _("报请办结")
        RETURNED = "returned", _("退回继续落实")
        CONFIRMED = "confirmed", _("确认办结")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(_("内容"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("落实进展")
        verbose_name_plural = _("落实进展")
        ordering = ["id"]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal iCalendar feed: the secret token is the URL; revoking it answers 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_live_feed")
        ]


# ----------------------------------------------------------------------------- legal review (论证)


class LegalReview(models.Model):
    """参与论证 (工作方案三(二)): a government side's draft normative document or major decision,
    sent with an invitation letter (the draft attached) to the court and the procuratorate; each
    returns its opinions, clause by clause where it chooses; the government records for each
    opinion whether it was adopted, with a reason, and answers with a numbered letter carrying
    the adoption table."""

    class Subject(models.TextChoices):
        NORMATIVE = "normative", _("行政规范性文件")
        DECISION = "decision", _("重大行政决策")
        ADJUSTMENT = "adjustment", _("重大利益调整")

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        INVITED = "invited", _("征求意见中")
        CONCLUDED = "concluded", _("采纳情况待签发")
        ISSUED = "issued", _("已反馈")

    status_colours(Status, {Status.DRAFT: GREY, Status.INVITED: BLUE, Status.CONCLUDED: AMBER, Status.ISSUED: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    government = models.ForeignKey(
        Institution, verbose_name=_("起草单位"), on_delete=models.PROTECT, related_name="legal_reviews"
    )
    subject = models.CharField(_("论证事项类别"), max_length=12, choices=Subject.choices)
    title = models.CharField(_("草案名称"), max_length=200)
    summary = models.TextField(_("起草说明"), help_text=_("草案的背景、主要内容和需要重点论证的问题。"))
    period = models.PositiveSmallIntegerField(_("反馈期限（工作日）"), default=10)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # 征求意见函: the draft travels as its attachment (the hub's upload rules).
    invitation_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("征求意见函")
    )
    # 论证意见采纳情况的函, with the adoption table attached.
    answer_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("采纳情况函")
    )
    due_date = models.DateField(_("反馈截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Overdue first (liaison.status.URGENT_ORDER): the opinions' deadline runs while invited; a draft
    # or one whose 采纳情况 awaits sign-off is open without one; answered, it is done.
    due_rank = due_rank_field(
        running=models.Q(status=Status.INVITED), open=models.Q(status__in=[Status.DRAFT, Status.CONCLUDED])
    )
    open_due = open_due_field("due_date", running=models.Q(status=Status.INVITED))

    class Meta:
        verbose_name = _("参与论证")
        verbose_name_plural = _("参与论证")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["government", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["created_at"]),  # the list's default order (newest first) for the office
            models.Index(fields=["subject", "created_at"]),  # the list's filter by category
            models.Index(fields=[*URGENT_ORDER, "-created_at", "-id"], name="review_urgent_order"),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:review_detail", kwargs={"uuid": self.uuid})

    def __str__(self):
        return self.title


class ReviewInvitation(models.Model):
    """One invited institution (the court, the procuratorate) and its return of opinions."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("legal review", "待反馈")
        RETURNED = "returned", _("已反馈")

    status_colours(Status, {Status.PENDING: BLUE, Status.RETURNED: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="invitations")
    institution = models.ForeignKey(
        Institution, verbose_name=_("受邀单位"), on_delete=models.PROTECT, related_name="review_invitations"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    general = models.TextField(_("总体意见"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    ledger_entry = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("论证邀请")
        verbose_name_plural = _("论证邀请")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "institution"], name="review_invitation_once")]
        indexes = [models.Index(fields=["institution", "review"])]

    def __str__(self):
        return f"{self.review} → {self.institution}"


class ReviewOpinion(models.Model):
    """One opinion of an invited institution, on a clause or on the draft as a whole, and the
    government's answer to it (采纳 / 部分采纳 / 不采纳, with a reason)."""

    class Adoption(models.TextChoices):
        PENDING = "", _("待研究")
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        REJECTED = "rejected", _("不采纳")

    status_colours(
        Adoption, {Adoption.PENDING: GREY, Adoption.ADOPTED: GREEN, Adoption.PARTLY: AMBER, Adoption.REJECTED: RED}
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.ForeignKey(ReviewInvitation, on_delete=models.CASCADE, related_name="opinions")
    position = models.PositiveSmallIntegerField(default=0)
    clause = models.CharField(_("条款"), max_length=60, blank=True, help_text=_("如“第五条第二款”；不填为总体意见。"))
    text = models.TextField(_("意见"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    adoption = models.CharField(_("采纳情况"), max_length=10, choices=Adoption.choices, blank=True, default="")
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("论证意见")
        verbose_name_plural = _("论证意见")
        ordering = ["invitation_id", "position", "id"]

    def __str__(self):
        return f"{self.clause or '总体'}：{self.text[:40]}"

    @property
    def review(self) -> LegalReview:
        return self.invitation.review

    @property
    def adoption_colour(self) -> str:
        return self.Adoption.colours.get(self.adoption, GREY)


# ----------------------------------------------------------------------------- joint research (共同调研)


class Research(models.Model):
    """共同调研 (工作方案四(八)): a topic from the work plan's list, members from the government,
    the court and the procuratorate, milestones, and a report issued as a letter to the government."""

    class Topic(models.TextChoices):
        BUSINESS = "business", _("营商环境")
        FOOD_DRUG = "food_drug", _("食药品安全")
        ECOLOGY = "ecology", _("生态环境和资源保护")
        PUBLIC_HEALTH = "public_health", _("公共卫生安全")
        GOVERNANCE = "governance", _("社会治理")
        SECURITY = "security", _("社会保障")
        RURAL = "rural", _("乡村振兴")
        LAND = "land", _("征地拆迁")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNING = "planning", _("筹备中")
        ACTIVE = "active", _("调研中")
        REPORTED = "reported", _("报告待签发")
        ISSUED = "issued", _("报告已报送")

    status_colours(Status, {Status.PLANNING: GREY, Status.ACTIVE: BLUE, Status.REPORTED: AMBER, Status.ISSUED: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    topic = models.CharField(_("调研领域"), max_length=15, choices=Topic.choices)
    topic_other = models.CharField(_("其他领域"), max_length=60, blank=True)
    title = models.CharField(_("调研课题"), max_length=200)
    purpose = models.TextField(_("调研目的和内容"))
    lead = models.ForeignKey(Institution, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    # the government the report is addressed to (the lead's region's people's government)
    government = models.ForeignKey(Institution, verbose_name=_("报送政府"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNING)
    report_letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("调研报告")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("共同调研")
        verbose_name_plural = _("共同调研")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["created_at"]),  # the list's default order (newest first) for the office
            models.Index(fields=["topic", "created_at"]),  # the list's filter by topic
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:research_detail", kwargs={"uuid": self.uuid})

    def __str__(self):
        return self.title

    @property
    def topic_label(self) -> str:
        return self.topic_other if self.topic == self.Topic.OTHER and self.topic_other else self.get_topic_display()


class ResearchMember(models.Model):
    research = models.ForeignKey(Research, on_delete=models.CASCADE, related_name="members")
    institution = models.ForeignKey(Institution, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("调研组成员")
        verbose_name_plural = _("调研组成员")
        ordering = ["id"]
        indexes = [models.Index(fields=["institution", "research"])]


class Milestone(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("未完成")
        DONE = "done", _("已完成")

    status_colours(Status, {Status.OPEN: BLUE, Status.DONE: GREEN})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    research = models.ForeignKey(Research, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划完成日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("完成情况"), blank=True)

    class Meta:
        verbose_name = _("调研节点")
        verbose_name_plural = _("调研节点")
        ordering = ["due_date", "id"]


# ----------------------------------------------------------------------------- rule-of-law classes (法治课堂)


def material_path(instance, filename):
    return f"class-materials/{uuid.uuid4().hex}"


class LawClass(models.Model):
    """联动法治课堂 (工作方案四(七)): lecturers from the court, the procuratorate and the legal-affairs
    office teach the staff of audience institutions; attendance and materials are kept."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已安排")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    status_colours(Status, {Status.PLANNED: BLUE, Status.HELD: GREEN, Status.CANCELLED: GREY})

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("课程名称"), max_length=200)
    summary = models.TextField(_("授课内容"), blank=True)
    organizer = models.ForeignKey(Institution, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("授课时间"))
    location = models.CharField(_("地点"), max_length=200)
    audience = models.ManyToManyField(Institution, verbose_name=_("听课单位"), related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    held_on = models.DateField(_("举办日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法治课堂")
        verbose_name_plural = _("法治课堂")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["organizer", "starts_at"]), models.Index(fields=["starts_at"])]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:class_detail", kwargs={"uuid": self.uuid})

    def __str__(self):
        return self.title


class Lecturer(models.Model):
    law_class = models.ForeignKey(LawClass, on_delete=models.CASCADE, related_name="lecturers")
    institution = models.ForeignKey(Institution, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=40)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    topic = models.CharField(_("授课题目"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("授课人")
        verbose_name_plural = _("授课人")
        ordering = ["id"]


class ClassAttendance(models.Model):
    law_class = models.ForeignKey(LawClass, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey(Institution, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(_("到课人数"))
    names = models.TextField(_("到课人员"), blank=True)

    class Meta:
        verbose_name = _("到课情况")
        verbose_name_plural = _("到课情况")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["law_class", "institution"], name="class_attendance_once")]


class ClassMaterial(models.Model):
    """授课材料: checked by the hub's upload rules (content sniffed, name matching it)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    law_class = models.ForeignKey(LawClass, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=material_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("授课材料")
        verbose_name_plural = _("授课材料")
        ordering = ["id"]

    def __str__(self):
        return self.name
