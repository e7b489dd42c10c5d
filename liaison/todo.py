"""待办: every record where a user may act now, derived from the transition table.

A transition that is someone's duty (sign off, issue, sign for, reply, approve a reply,
evaluate, decide an extension, …) carries its to-do wording in its declaration
(`Transition(..., todo=_("待签发"))`). The to-do list of a user is, for every registered
workflow, its candidate records (`Workflow.pending`, narrow and indexed) filtered by
`workflow.available(user, obj)`: exactly the actions the page shows as buttons and the API
lists in `allowed_actions`, so the three cannot disagree. Overdue first, then by deadline.

A letter or copy that serves another record (`Workflow.part_of`: its source) leaves the list
while a duty of that record takes its step (`Transition.takes`: a suggestion's 签收 signs for
its 建议书): one row per step, in the record's own words.

The dashboard's counters are the lengths of these lists, and `/api/v1/todo/` returns them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from . import status, workflow
from .calendar import WorkCalendar

# A safety bound per workflow: a to-do list is a worklist, not a report.
LIMIT = 200


@dataclass
class Pending:
    """A record waiting for a step, with its deadline: the rows of 待办 (Item) and 跟踪
    (liaison.tracking.Row). `label` names the step; the lists group by it. The words and links
    are computed once per row (a row's title is read by the sort, the grouping and the template:
    for the office's 324 rows, 1,033 URL reversals and ~1,300 str(record) before)."""

    obj: object
    due: dt.date | None
    deadline: status.Due

    @cached_property
    def record_url(self) -> str:
        get = getattr(self.obj, "get_absolute_url", None)
        return get() if get else ""

    @cached_property
    def title(self) -> str:
        return str(self.obj)

    @cached_property
    def subtitle(self) -> str:
        """The record's own title under its number (a letter's or suggestion's subject), if it has one."""
        text = str(getattr(self.obj, "display_title", None) or getattr(self.obj, "title", "") or "")
        return "" if text == self.title else text

    @property
    def overdue(self) -> bool:
        return self.deadline.kind == "overdue"


@dataclass
class Item(Pending):
    transition: workflow.Transition
    label: str  # the step's to-do wording (str(transition.todo)), translated once per list

    @property
    def verb(self) -> str:
        return self.transition.verb

    @cached_property
    def action_url(self) -> str:
        """The action's page; the record's page for an action that posts at once (审批同意, 提交): its
        URL answers POST only, and the record is read before its button is pressed."""
        if self.transition.page and not self.transition.post:
            return workflow.page_url(self.transition, self.obj)
        return self.record_url

    @cached_property
    def kind(self) -> str:
        return str(getattr(self.obj, "todo_kind", "") or self.obj._meta.verbose_name)


def sort_key(row: Pending):
    # overdue first (most overdue first), then by deadline, undated last
    return (not row.overdue, row.due is None, row.due or dt.date.max, row.title)


def items(user, *, today: dt.date | None = None) -> list[Item]:
    """Every pending action of `user`, overdue first."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    user = workflow.actor(user)
    labels: dict[str, str] = {}  # verb -> its wording in the reader's language
    found: list[Item] = []
    for flow in list(workflow.WORKFLOWS.values()):
        if not flow.todo_transitions:
            continue
        for obj in flow.todo_candidates(user)[:LIMIT]:
            # only the duties: the other transitions are never on the list (is_duty)
            for t in workflow.available(user, obj, flow.todo_verbs):
                if not flow.is_duty(user, t, obj):
                    continue
                due = flow.due(obj) if flow.due else None
                deadline = status.due_state(due, pending=True, today=today, calendar=calendar)
                label = labels.get(t.verb)
                if label is None:
                    label = labels[t.verb] = str(t.todo)
                found.append(Item(obj=obj, due=due, deadline=deadline, transition=t, label=label))
    found = without_parts(found)
    found.sort(key=sort_key)
    return found


def record_key(obj) -> tuple[int, int]:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(type(obj)).pk, obj.pk


def without_parts(found: list) -> list:
    """Drop the rows a duty of another row's record takes (`Workflow.part_of`, `Transition.takes`):
    a suggestion's 签收 signs for its 建议书, a meeting's 签发会议通知 issues the notice; the record's
    row says it in its own words and opens its own page. Rows carry `transition` (None: no duty)."""
    taken = {
        (record_key(row.obj), row.transition.takes)
        for row in found
        if row.transition is not None and row.transition.takes
    }
    if not taken:
        return found
    kept = []
    for row in found:
        flow = workflow.flow_for(row.obj)
        part = flow.part_of(row.obj) if flow is not None and flow.part_of is not None else None
        if part is None or row.transition is None or (part, row.transition.verb) not in taken:
            kept.append(row)
    return kept


@dataclass
class Group:
    """The rows of one step (待签发, 待签收, 待答复 …), overdue first: `rows` all of them (the counts),
    `shown` those the page prints (the dashboard: the first few, with a link to the whole list)."""

    label: str
    rows: list[Pending]
    shown: list[Pending]

    @property
    def more(self) -> bool:
        return len(self.shown) < len(self.rows)


def groups(found: list[Pending], *, top: int | None = None) -> list[Group]:
    """The list by its steps' wording, in the order of each step's most urgent row; `top`: print
    only that many rows of each (the counts stay those of the whole list)."""
    by_label: dict[str, list[Pending]] = {}
    for row in found:
        by_label.setdefault(row.label, []).append(row)
    return [Group(label, rows, rows[:top] if top else rows) for label, rows in by_label.items()]
