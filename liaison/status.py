"""How a record's state reads on every page: its status colour and its deadline, in one wording.

The colour convention (UX.md): grey draft, blue in progress, amber due within 7 days, red
overdue, green done. A model declares its statuses' colours once, on the choices, next to them:

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已签发")
    status.colours(Status, {Status.DRAFT: status.GREY, Status.ISSUED: status.GREEN})

and `{% status_badge obj %}` reads it (`colour_of(obj)`). Badges always carry words: colour
is never the only information.

A deadline reads "剩余 3 个工作日", "今天到期" or "已逾期 2 天" while the step it is for is pending
(amber from 7 calendar days before, red once overdue), and its done words afterwards
(`due_state`); `{% deadline_badge %}` shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partialmethod
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # models declare their colours here, and the calendar reads a model
    from .calendar import WorkCalendar

GREY, BLUE, AMBER, RED, GREEN = "grey", "blue", "amber", "red", "green"
CSS = {
    GREY: "text-bg-secondary",
    BLUE: "text-bg-primary",
    AMBER: "text-bg-warning",
    RED: "text-bg-danger",
    GREEN: "text-bg-success",
}
DUE_SOON_DAYS = 7


# ----------------------------------------------------------------------------- status colours


def colours(choices, mapping: dict) -> None:
    """Declare the colour of every member of `choices` (a TextChoices class); a member left out
    is a mistake caught at import, not a grey badge found later."""
    missing = [m for m in choices if m not in mapping]
    unknown = [c for c in mapping.values() if c not in CSS]
    if missing or unknown:
        raise ImproperlyConfigured(f"{choices.__qualname__}: no colour for {missing}, unknown colours {unknown}")
    choices.colours = {str(member): colour for member, colour in mapping.items()}


def _display(obj, field) -> str:
    """Model._get_FIELD_display with the value-to-label map built once per field (see below)."""
    labels = field.__dict__.get("_portal_labels")
    if labels is None:
        labels = field._portal_labels = dict(make_hashable(field.flatchoices))
    value = getattr(obj, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def fast_displays(models) -> None:
    """Give every model field with fixed choices a `get_FOO_display` that reads a map built once.

    Django's own rebuilds `dict(make_hashable(field.flatchoices))` on every call, and hashing a
    lazy label translates it: a 50-row list with a status badge and two choice columns made ~850
    gettext calls (14 % of the case list page's Python, 9 % of the case API's). The map keeps the
    lazy labels, so the result is the same in every language. A model's own get_FOO_display and
    fields with callable choices are left alone."""
    for model in models:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if not field.choices or isinstance(field.choices, CallableChoiceIterator):
                continue
            if isinstance(method, partialmethod) and method.func is Model._get_FIELD_display:
                setattr(model, name, partialmethod(_display, field=field))


def colour_of(obj, field: str = "status") -> str:
    """The declared colour of `obj`'s status (its model's `Status` choices); grey if undeclared."""
    choices = getattr(type(obj), field.capitalize(), None)
    return getattr(choices, "colours", {}).get(str(getattr(obj, field, "")), GREY)


# ----------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Due:
    """How a deadline reads today: its kind, words and colour (never colour alone)."""

    kind: str  # overdue, soon, open, done, none; apps add their own (waiting, waived)
    label: str
    colour: str
    days: int | None = None  # overdue: calendar days late; pending: working days left

    @property
    def css(self) -> str:
        return CSS[self.colour]


NO_DEADLINE = Due("none", "", GREY)


def due_state(
    due: dt.date | None,
    *,
    pending: bool = True,
    done_on: dt.date | None = None,
    done_words=None,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Due:
    """`pending`: the step the deadline is for is still to be taken; `done_words`: (on time, late),
    shown once it is taken on `done_on`. Pass one `calendar` for a whole list (it caches holidays)."""
    today = today or timezone.localdate()
    if pending and due:
        if due < today:
            days = (today - due).days
            return Due("overdue", _("已逾期 %(n)d 天") % {"n": days}, RED, days)
        if due == today:
            return Due("soon", _("今天到期"), AMBER, 0)
        if calendar is None:
            from .calendar import WorkCalendar

            calendar = WorkCalendar()
        left = calendar.working_days_between(today, due)
        colour, kind = (AMBER, "soon") if (due - today).days <= DUE_SOON_DAYS else (BLUE, "open")
        return Due(kind, _("剩余 %(n)d 个工作日") % {"n": left}, colour, left)
    if due and done_on:
        on_time, late = done_words or (_("按期办结"), _("逾期办结"))
        return Due("done", str(late if done_on > due else on_time), GREEN)
    return NO_DEADLINE


# ----------------------------------------------------------------------------- overdue first

# Every list of records with a deadline reads overdue first by default: open and past due (most
# overdue first), then open by deadline, then the rest. Among open rows "overdue, most overdue
# first, then by deadline" is simply the deadline ascending (a past date sorts before today's), so
# the order needs no date-dependent value: a rank that says whether the deadline runs, and the
# deadline while it runs. Both are stored columns the database computes from the row itself
# (generated columns): every write path - the transition services, the holiday recomputation's
# bulk updates, the scale seeders' bulk inserts - keeps them right, none has to remember them, and
# an index (due_rank, open_due, …) serves the order where a CASE computed per query could not.
RUNNING, OPEN, CLOSED = 0, 1, 2
URGENT_ORDER = ("due_rank", "open_due")


def due_rank_field(*, running, open=None):
    """0 while the deadline runs (`running`, a Q over the row), 1 open without one running
    (`open`: awaiting receipt, a draft), 2 closed."""
    from django.db import models

    whens = [models.When(running, then=models.Value(RUNNING))]
    if open is not None:
        whens.append(models.When(open, then=models.Value(OPEN)))
    return models.GeneratedField(
        expression=models.Case(*whens, default=models.Value(CLOSED), output_field=models.SmallIntegerField()),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )


def open_due_field(field: str, *, running):
    """The deadline `field` while it runs, else empty (a closed row sorts among closed rows by its
    list's next key, not by a deadline that no longer matters)."""
    from django.db import models

    return models.GeneratedField(
        expression=models.Case(
            models.When(running, then=models.F(field)), default=None, output_field=models.DateField()
        ),
        output_field=models.DateField(),
        db_persist=True,
    )
