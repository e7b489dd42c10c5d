"""跟踪: what the user's institution sent and still waits for, derived from the transition table.

The counterpart of 待办 (liaison.todo). Every workflow that declares `track=workflow.Track(...)`
gives the records its institution sent that someone still owes it something: a copy not signed
for, a suggestion not received or not replied to, an enforcement assignment without feedback;
or that wait for its own step (a reply to evaluate). The step awaited is the to-do wording of
the duty the record's state allows (`Workflow.awaited`): the same words the counterpart reads in
its own 待办. Overdue first, then by deadline; a letter's copy is left out when the record it
serves is tracked itself, waiting for the duty that takes its step (`Workflow.part_of`,
`Transition.takes`).

Rows come from each declaration's `sent(user)`: the user's institution's records, within the
access module's visibility.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from . import status, workflow
from .calendar import WorkCalendar
from .todo import LIMIT, Pending, sort_key, without_parts


@dataclass
class Row(Pending):
    flow: workflow.Workflow
    transition: workflow.Transition | None  # the duty awaited, if the table names one
    step: str  # what the record waits for: 待签收, 待回复, 待反馈, 待评价 …
    party: object  # the institution that must act
    mine: bool  # the step is the viewer's own institution's (待评价)

    @property
    def label(self) -> str:
        return self.step

    @property
    def kind(self) -> str:
        return str(getattr(self.obj, "track_kind", "") or self.obj._meta.verbose_name)


def rows(user, *, today: dt.date | None = None) -> list[Row]:
    """What the user's institution sent and still waits for, overdue first."""
    if not getattr(user, "is_authenticated", False) or user.institution_id is None:
        return []
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    user = workflow.actor(user)
    found: list[Row] = []
    for flow in list(workflow.WORKFLOWS.values()):
        if flow.track is None:
            continue
        for obj in flow.track.sent(user)[:LIMIT]:
            party = flow.track.party(obj)
            due = flow.due(obj) if flow.due else None
            found.append(
                Row(
                    flow=flow,
                    obj=obj,
                    transition=flow.awaiting(obj),
                    step=flow.awaited(obj),
                    party=party,
                    mine=getattr(party, "pk", None) == user.institution_id,
                    due=due,
                    deadline=status.due_state(due, pending=True, today=today, calendar=calendar),
                )
            )
    found = without_parts(found)
    found.sort(key=sort_key)
    return found


def context(user, *, top: int | None = None) -> dict:
    """What a page's 跟踪 block shows (liaison/_tracking_block.html): every row, the `top` most
    urgent, how many are overdue. The dashboard, the ledger page and /tracking/ take it from here."""
    followed = rows(user)
    return {
        "tracking": followed,
        "tracking_top": followed[:top] if top else followed,
        "tracking_overdue": sum(1 for r in followed if r.overdue),
    }
