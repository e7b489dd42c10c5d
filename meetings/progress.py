"""The work plan's progress for the leading group (工作方案五(一)1: 听取工作进展情况汇报): for each
task and mechanism (三(一)–(四), 四(一)–(八)), the meetings, decisions, suggestions, cases, letters
and other records that served it in a year, with what is still open.

Which records serve which task is declared once, below (SOURCES): a model, the date that places
it in a year, the statuses that are still open, and the tasks it serves. A meeting serves the
tasks its kind names (MeetingKind.basis, e.g. "三(四)、四(八)") and those of the records it
links (a 协调会 on a major case's coordination serves 三(三)); its decisions follow it.

Every count and every item goes through `access.visible` for the viewer: the leading-group
office sees the whole region, an institution only what it is a party to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison import access, links
from liaison.pdf import PdfDocument, chinese_date
from liaison.workplan import TASK_CODES, TASKS

from .models import Decision, Meeting, MeetingKind, MeetingLink

# The plan's tasks are the hub's (liaison.workplan): ledger entries and inspections name them too.

OPEN_ITEMS_SHOWN = 10


@dataclass(frozen=True)
class Source:
    label: object  # what the records are called
    model: str  # "app_label.Model"
    date: str  # the field placing a record in a year
    tasks: tuple[str, ...]
    open_statuses: tuple[str, ...] = ()  # status values still open (empty: never open)
    where: dict = field(default_factory=dict)  # extra filter

    def model_class(self):
        try:
            return apps.get_model(self.model)
        except LookupError:  # an app not installed: the task simply shows nothing from it
            return None


SOURCES = [
    Source(_("行政争议诉前化解"), "cases.Dispute", "received_on", ("三(一)",), ("open",)),
    Source(_("参与论证"), "meetings.LegalReview", "created_at", ("三(二)",), ("draft", "invited", "concluded")),
    Source(_("季度指标通报"), "indicators.Bulletin", "created_at", ("三(二)", "四(二)"), ("draft", "reviewed")),
    Source(_("重大案件协调"), "cases.Coordination", "invited_on", ("三(三)",), ("open",)),
    Source(
        _("司法建议、检察建议"),
        "suggestions.Suggestion",
        "created_at",
        ("三(四)", "四(三)"),
        ("issued", "received", "rectifying"),
    ),
    Source(_("行政案件（应诉）"), "cases.AdministrativeCase", "filed_on", ("四(四)",), ("pending",)),
    Source(_("庭审旁听观摩"), "cases.Observation", "held_on", ("三(四)", "四(四)")),
    Source(_("判后评议"), "cases.Review", "held_on", ("四(四)",)),
    Source(
        _("函告（公文）"),
        "liaison.Letter",
        "issued_on",
        ("四(二)",),
        (),
        {"status": "issued", "series__in": ("han", "tongbao")},
    ),
    Source(_("裁执分离执行案件"), "cases.Enforcement", "applied_on", ("四(五)",), ("applied", "court", "assigned")),
    Source(_("执行监督申请"), "cases.SupervisionApplication", "received_on", ("四(六)",), ("received",)),
    Source(_("违法线索移送"), "cases.ClueTransfer", "sent_on", ("四(六)",), ("sent", "received")),
    Source(_("法治课堂"), "meetings.LawClass", "starts_at", ("四(七)",), ("planned",)),
    Source(_("共同调研"), "meetings.Research", "created_at", ("三(四)", "四(八)"), ("planning", "active", "reported")),
]


def tasks_of_basis(basis: str) -> set[str]:
    return {code for code in TASK_CODES if code in (basis or "")}


def _year_filter(model, date_field: str, year: int) -> Q:
    return Q(**{f"{date_field}__year": year})


@dataclass
class Row:
    label: object
    total: int
    open: int
    items: list  # the open items shown (links.Link or text), at most OPEN_ITEMS_SHOWN


@dataclass
class Task:
    code: str
    label: object
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def open(self) -> int:
        return sum(r.open for r in self.rows)


def _items(user, qs) -> list:
    found = []
    for obj in qs[:OPEN_ITEMS_SHOWN]:
        ref = links.ref(user, obj)
        found.append(ref if ref is not None else str(obj))
    return found


def _meeting_tasks(user, year: int) -> dict[str, set[int]]:
    """task code -> ids of the visible meetings of `year` that served it (by kind or by link)."""
    meetings = (
        access.visible(Meeting.objects.all(), user)
        .filter(Q(held_on__year=year) | Q(held_on__isnull=True, created_at__year=year))
        .exclude(status__in=[Meeting.Status.DECLINED, Meeting.Status.CANCELLED])
    )
    by_task: dict[str, set[int]] = {code: set() for code in TASK_CODES}
    kinds = {k.pk: tasks_of_basis(k.basis) for k in MeetingKind.objects.all()}
    ids = []
    for pk, kind_id in meetings.values_list("pk", "kind_id"):
        ids.append(pk)
        for code in kinds.get(kind_id, ()):
            by_task[code].add(pk)
    # a meeting linking a record of a source serves that source's tasks
    by_type = {}
    for source in SOURCES:
        model = source.model_class()
        if model is not None:
            by_type.setdefault(ContentType.objects.get_for_model(model).pk, set()).update(source.tasks)
    for meeting_id, type_id in MeetingLink.objects.filter(meeting_id__in=ids).values_list(
        "meeting_id", "target_type_id"
    ):
        for code in by_type.get(type_id, ()):
            by_task[code].add(meeting_id)
    return by_task


def report(user, year: int) -> list[Task]:
    """The tasks with, for each, a row per kind of record: this year's total and what is open."""
    meeting_ids = _meeting_tasks(user, year)
    decisions = access.visible(Decision.objects.all(), user).exclude(status=Decision.Status.DRAFT)
    meetings = access.visible(Meeting.objects.all(), user).select_related("kind")
    source_rows: dict[str, list[Row]] = {code: [] for code in TASK_CODES}
    for source in SOURCES:
        model = source.model_class()
        if model is None:
            continue
        qs = access.visible(model._default_manager.all(), user).filter(_year_filter(model, source.date, year))
        if source.where:
            qs = qs.filter(**source.where)
        total = qs.count()
        if not total:
            continue
        open_qs = qs.filter(status__in=source.open_statuses) if source.open_statuses else qs.none()
        row = Row(source.label, total, open_qs.count(), _items(user, open_qs.order_by(source.date, "pk")))
        for code in source.tasks:
            source_rows[code].append(row)
    result = []
    for code, label in TASKS:
        rows = []
        ids = meeting_ids[code]
        if ids:
            m_qs = meetings.filter(pk__in=ids)
            m_open = m_qs.exclude(status=Meeting.Status.MINUTED)
            rows.append(Row(_("会议"), m_qs.count(), m_open.count(), _items(user, m_open.order_by("starts_at", "pk"))))
            d_qs = decisions.filter(meeting_id__in=ids)
            if d_qs.exists():
                d_open = d_qs.filter(status__in=[Decision.Status.OPEN, Decision.Status.REPORTED])
                rows.append(
                    Row(
                        _("会议议定事项"), d_qs.count(), d_open.count(), _items(user, d_open.order_by("due_date", "pk"))
                    )
                )
        rows += source_rows[code]
        result.append(Task(code, label, rows))
    return result


class ProgressPdf(PdfDocument):
    """工作方案落实情况 for the leading group: one table per task, open items named."""

    template_name = "meetings/pdf/progress.html"

    def __init__(self, user, year: int, tasks: list[Task]):
        self.user, self.year, self.tasks = user, year, tasks

    def get_context(self) -> dict:
        from django.utils import timezone

        return {
            "year": self.year,
            "tasks": self.tasks,
            "viewer": self.user.institution.name if self.user.institution_id else "",
            "date": chinese_date(timezone.localdate()),
        }
