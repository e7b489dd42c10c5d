"""The one deadline wording and the status colours declared on the choices (liaison.status)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import translation

from liaison import status
from liaison.calendar import WorkCalendar
from liaison.models import LedgerEntry, Letter

MONDAY = dt.date(2026, 3, 2)  # an ordinary working week in chinesecalendar's 2026


@pytest.mark.django_db
@pytest.mark.parametrize(
    "due, words, colour",
    [
        (MONDAY - dt.timedelta(days=2), "已逾期 2 天", status.RED),
        (MONDAY, "今天到期", status.AMBER),
        (MONDAY + dt.timedelta(days=3), "剩余 3 个工作日", status.AMBER),
        (MONDAY + dt.timedelta(days=7), "剩余 5 个工作日", status.AMBER),  # a weekend in between
        (MONDAY + dt.timedelta(days=8), "剩余 6 个工作日", status.BLUE),
    ],
)
def test_a_pending_deadline_reads_in_working_days_left_or_days_overdue(due, words, colour):
    state = status.due_state(due, today=MONDAY, calendar=WorkCalendar())
    assert (state.label, state.colour) == (words, colour)


def test_a_deadline_met_reads_its_done_words_in_green():
    # The words are translated: read them in Chinese whatever language an earlier test left active.
    with translation.override("zh-hans"):
        _check_done_words()


def _check_done_words():
    on_time = status.due_state(MONDAY, pending=False, done_on=MONDAY, done_words=("按期", "逾期"), today=MONDAY)
    late = status.due_state(MONDAY, pending=False, done_on=MONDAY + dt.timedelta(days=1), today=MONDAY)
    assert (on_time.label, on_time.colour, late.label) == ("按期", status.GREEN, "逾期办结")
    assert status.due_state(None, today=MONDAY).label == ""


def test_colours_are_declared_on_the_choices_and_read_from_the_record():
    assert status.colour_of(Letter(status=Letter.Status.DRAFT)) == status.GREY
    assert status.colour_of(Letter(status=Letter.Status.ISSUED)) == status.GREEN
    assert status.colour_of(LedgerEntry(status=LedgerEntry.Status.OVERDUE)) == status.RED


def test_a_status_left_without_a_colour_is_refused_at_declaration():
    class Status(models.TextChoices):
        A = "a", "A"
        B = "b", "B"

    with pytest.raises(ImproperlyConfigured):
        status.colours(Status, {Status.A: status.GREY})
    with pytest.raises(ImproperlyConfigured):
        status.colours(Status, {Status.A: status.GREY, Status.B: "purple"})
