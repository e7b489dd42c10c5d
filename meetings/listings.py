"""The meeting module's lists, each declared once (liaison.lists): 会议, 议定事项督办, 参与论证, 共同调研 and
法治课堂, pages and Excel."""

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from liaison.lists import Column, ListSpec, escaped, short_name
from liaison.status import URGENT_ORDER
from liaison.templatetags.portal import badge, ymd_hm

from .models import LawClass, LegalReview, Research


def _notice_number(m, viewer):
    return m.notice_letter.doc_number if m.notice_letter_id and m.notice_letter.doc_number else ""


def _status_html(m, viewer):
    return badge("secondary", m.get_status_display())


def _starts_at_html(m, viewer):
    return mark_safe(escaped(ymd_hm(m.starts_at) or "—"))


MEETINGS = ListSpec(
    title=_("会议"),
    columns=[
        Column("kind", _("会议类别"), "kind.name", nowrap=True),
        Column("title", _("议题"), link="meetings:detail"),
        Column("proposer", _("提议单位"), "proposer.name", html=short_name("proposer")),
        Column("status", _("状态"), "get_status_display", html=_status_html, nowrap=True),
        Column("starts_at", _("会议时间"), html=_starts_at_html, nowrap=True),
        Column("location", _("地点")),
        Column("notice", _("通知文号"), _notice_number),
        Column("held_on", _("召开日期")),
    ],
    on_page=("kind", "title", "proposer", "starts_at", "status"),
    in_export=("kind", "title", "proposer", "status", "starts_at", "location", "notice", "held_on"),
    filename=_("会议列表"),
)


def _meeting_of(d, viewer):
    # The meeting by kind and date only: an owner who was not invited does not see the meeting.
    return f"{d.meeting.kind.name} {d.meeting.held_on or ''}".strip()


def _days_overdue(d, viewer):
    today = timezone.localdate()
    return (today - d.due_date).days if d.status in ("open", "reported") and d.due_date < today else 0


DECISIONS = ListSpec(
    title=_("议定事项督办"),
    columns=[
        Column(
            "select",
            _("选择"),
            cell='{% if row.status == "open" %}<input class="form-check-input" type="checkbox" name="decisions" '
            'value="{{ row.uuid }}" aria-label="{% translate \'选择\' %} {{ row.title }}">{% endif %}',
            hidden_label=True,
        ),
        Column("text", _("议定事项"), cell="{{ row.text|truncatechars:60 }}", link="meetings:decision_detail"),
        Column("owner", _("责任单位"), "owner.name", cell="{{ row.owner.short_name }}"),
        Column(
            "due_date",
            _("完成期限"),
            cell='{{ row.due_date|ymd }}{% if row.late_rank == 0 %} {% badge "danger" _("已逾期") %}{% endif %}',
            nowrap=True,
        ),
        Column("status", _("状态"), "get_status_display", nowrap=True),
        Column("meeting", _("会议"), _meeting_of, cell="{{ row.meeting.kind.name }}", css="small"),
        Column("days_overdue", _("逾期天数"), _days_overdue),
        Column("evidence", _("办结情况")),
        Column("done_on", _("办结日期")),
    ],
    on_page=("select", "text", "owner", "due_date", "status", "meeting"),
    in_export=("meeting", "text", "owner", "due_date", "status", "days_overdue", "evidence", "done_on"),
    sheet=_("议定事项"),
    filename=_("议定事项督办表"),
)


def _doc_number(field):
    def value(row, viewer):
        letter = getattr(row, field)
        return (letter.doc_number or "") if letter is not None else ""

    return value


REVIEWS = ListSpec(
    title=_("参与论证"),
    model=LegalReview,
    columns=[
        Column("subject", _("类别"), "get_subject_display", nowrap=True),
        Column("title", _("草案名称"), link="meetings:review_detail"),
        Column("government", _("起草单位"), "government.name", cell="{{ row.government.short_name }}"),
        Column("status", _("状态"), "get_status_display", cell="{% status_badge row %}", nowrap=True),
        Column("invitation", _("征求意见函文号"), _doc_number("invitation_letter")),
        Column(
            "due_date",
            _("反馈截止"),
            export_label=_("反馈截止日期"),
            empty="—",
            sort=("due_date",),
            nulls_last=True,
            nowrap=True,
        ),
        Column("invited", _("邀请单位数"), "n_invited"),
        Column("answer", _("采纳情况函文号"), _doc_number("answer_letter")),
    ],
    on_page=("subject", "title", "government", "due_date", "status"),
    in_export=("subject", "title", "government", "status", "invitation", "due_date", "invited", "answer"),
    # Overdue first (liaison.status.URGENT_ORDER): opinions overdue, then due, then drafts, then answered.
    sorts={"created": ("created_at",), "urgent": (*URGENT_ORDER, "-created_at", "-id")},
    default_sort="urgent",
)


RESEARCH = ListSpec(
    title=_("共同调研"),
    model=Research,
    columns=[
        Column("topic", _("调研领域"), "topic_label", nowrap=True),
        Column("title", _("调研课题"), link="meetings:research_detail"),
        Column("lead", _("牵头单位"), "lead.name", cell="{{ row.lead.short_name }}"),
        Column("report", _("报告文号"), _doc_number("report_letter"), empty="—", nowrap=True),
        Column("status", _("状态"), "get_status_display", cell="{% status_badge row %}", nowrap=True),
    ],
    in_export=("topic", "title", "lead", "status", "report"),
    sorts={"created": ("created_at",)},
    default_sort="-created",
)


CLASSES = ListSpec(
    title=_("法治课堂"),
    model=LawClass,
    columns=[
        Column("starts_at", _("授课时间"), cell="{{ row.starts_at|ymd_hm }}", sort=("starts_at",), nowrap=True),
        Column("title", _("课程名称"), link="meetings:class_detail"),
        Column("organizer", _("组织单位"), "organizer.name", cell="{{ row.organizer.short_name }}"),
        Column("location", _("地点")),
        Column("status", _("状态"), "get_status_display", cell="{% status_badge row %}", nowrap=True),
    ],
    in_export=("title", "organizer", "starts_at", "location", "status"),
    default_sort="-starts_at",
)
