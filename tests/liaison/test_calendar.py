"""Deadline arithmetic: 民法典 arts. 200–204 on the Chinese working-day calendar."""

import datetime as dt

import pytest

from liaison.calendar import WorkCalendar, add_months, compute_deadline, years_needing_attention
from liaison.models import HolidayOverride

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),  # no 31 February: the month's last day
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-08-31", 6, "2027-02-28"),  # across the year end
        ("2026-01-15", 2, "2026-03-15"),  # same-numbered day
    ],
)
def test_month_periods_end_on_same_numbered_day_or_the_months_last_day(start, months, expected):
    assert add_months(D(start), months) == D(expected)
    assert compute_deadline(D(start), months, "months").nominal == D(expected)


def test_month_end_clamped_date_that_is_a_make_up_working_saturday_stays():
    # 2026-02-28 is a Saturday, but a 调休 working day for the Spring Festival.
    deadline = compute_deadline(D("2026-01-31"), 1, "months")
    assert deadline.due == D("2026-02-28")
    assert deadline.nominal == deadline.due and deadline.reason == ""


def test_start_day_is_not_counted():
    deadline = compute_deadline(D("2026-03-03"), 10, "days")
    assert deadline.nominal == D("2026-03-13")  # a Friday: no roll-over
    assert deadline.due == D("2026-03-13")
    assert deadline.explain() == "起算 2026-03-03 + 10日 = 2026-03-13"


def test_spring_festival_2026_rolls_to_first_working_day_with_explanation():
    # Receipt 15 Dec 2025 + 2 months = 15 Feb 2026, the first day of the Spring Festival holiday (15–23 Feb).
    deadline = compute_deadline(D("2025-12-15"), 2, "months", "签收")
    assert deadline.nominal == D("2026-02-15")
    assert deadline.due == D("2026-02-24")
    text = deadline.explain()
    assert "春节" in text
    assert "2026-02-15" in text and "2026-02-24" in text
    assert text.startswith("签收 2025-12-15 + 2个月")
    assert deadline.warnings == ()


def test_national_day_2026_rolls_to_october_8():
    # The 2026 National Day holiday runs 1–7 October (chinesecalendar); 8 October is a Thursday.
    for nominal_day in range(1, 8):
        start = D(f"2026-10-{nominal_day:02d}") - dt.timedelta(days=15)
        deadline = compute_deadline(start, 15, "days")
        assert deadline.nominal == D(f"2026-10-{nominal_day:02d}")
        assert deadline.due == D("2026-10-08"), deadline.explain()
        assert "国庆" in deadline.explain()


def test_make_up_working_sunday_is_a_working_day():
    # 2025-09-28 is a Sunday, worked in exchange for the National Day holiday.
    deadline = compute_deadline(D("2025-09-18"), 10, "days")
    assert deadline.nominal == D("2025-09-28")
    assert deadline.due == D("2025-09-28")
    assert WorkCalendar().day(D("2025-10-11")).is_workday  # a working Saturday


def test_plain_weekend_rolls_to_monday():
    deadline = compute_deadline(D("2026-03-06"), 1, "days")  # Friday + 1 = Saturday 7 March
    assert deadline.nominal == D("2026-03-07")
    assert deadline.due == D("2026-03-09")
    assert "星期六" in deadline.explain() and "2026-03-09" in deadline.explain()


def test_fifteen_day_urgent_period():
    assert compute_deadline(D("2026-03-02"), 15, "days").due == D("2026-03-17")
    # Ending on a Sunday: the next Monday.
    assert compute_deadline(D("2026-03-07"), 15, "days").due == D("2026-03-23")


def test_working_days_skip_holidays_and_count_make_up_days():
    # Fri 13 Feb 2026 + 3 working days: Sat 14 Feb is worked (调休), 15–23 Feb are holidays.
    deadline = compute_deadline(D("2026-02-13"), 3, "working_days")
    assert deadline.nominal == D("2026-02-25")
    assert deadline.due == D("2026-02-25")
    assert WorkCalendar().working_days_between(D("2026-02-13"), D("2026-02-25")) == 3


def test_uncovered_year_without_admin_holidays_uses_weekdays_with_a_warning():
    # chinesecalendar 1.11 stops at 2026; nobody has entered 2027's holidays yet.
    deadline = compute_deadline(D("2027-01-25"), 14, "days")  # Monday 8 Feb 2027
    assert deadline.due == D("2027-02-08")
    assert len(deadline.warnings) == 1 and "2027" in deadline.warnings[0]
    assert deadline.warnings[0] in deadline.explain()
    saturday = compute_deadline(D("2027-02-05"), 1, "days")
    assert saturday.due == D("2027-02-08") and saturday.warnings


def test_admin_holiday_in_uncovered_year_moves_the_deadline_and_removes_the_warning():
    HolidayOverride.objects.create(date=D("2027-02-08"), kind=HolidayOverride.Kind.HOLIDAY, name="春节")
    deadline = compute_deadline(D("2027-01-25"), 14, "days")
    assert deadline.nominal == D("2027-02-08")
    assert deadline.due == D("2027-02-09")
    assert deadline.warnings == ()
    assert "春节" in deadline.explain() and "2027-02-09" in deadline.explain()
    assert "尚未录入" not in deadline.explain()


def test_admin_workday_override_makes_a_saturday_a_working_day():
    HolidayOverride.objects.create(date=D("2027-02-20"), kind=HolidayOverride.Kind.WORKDAY, name="春节调休")
    assert compute_deadline(D("2027-02-10"), 10, "days").due == D("2027-02-20")
    # An override also wins over chinesecalendar in a covered year.
    HolidayOverride.objects.create(date=D("2026-03-07"), kind=HolidayOverride.Kind.WORKDAY, name="调休")
    assert compute_deadline(D("2026-03-06"), 1, "days").due == D("2026-03-07")


def test_admin_holiday_override_wins_over_chinesecalendar_in_a_covered_year():
    HolidayOverride.objects.create(date=D("2026-03-13"), kind=HolidayOverride.Kind.HOLIDAY, name="地方节日")
    deadline = compute_deadline(D("2026-03-03"), 10, "days")
    assert deadline.due == D("2026-03-16")  # Fri 13th off, then the weekend


def test_years_needing_attention_lists_uncovered_years_without_admin_entries():
    assert years_needing_attention([2025, 2026, 2027, 2028]) == [2027, 2028]
    HolidayOverride.objects.create(date=D("2027-01-01"), kind=HolidayOverride.Kind.HOLIDAY, name="元旦")
    assert years_needing_attention([2025, 2026, 2027, 2028]) == [2028]


def test_negative_period_is_refused():
    with pytest.raises(ValueError):
        compute_deadline(D("2026-03-03"), -1, "days")


def test_one_calendar_counts_every_span_as_a_fresh_calendar_does():
    """working_days_between remembers the days it looked up (a list's deadlines all count from
    today): each span, forwards and backwards, across the Spring Festival, National Day, the year
    end and an administrator's override, as a new calendar counts it alone."""
    HolidayOverride.objects.create(date=D("2026-06-15"), kind="holiday", name="测试假日")
    shared = WorkCalendar()
    starts = [D("2026-01-20"), D("2026-06-10"), D("2026-09-28"), D("2026-12-28")]
    for start in starts:
        for days in (-40, -9, -1, 0, 1, 3, 8, 17, 45):
            end = start + dt.timedelta(days=days)
            assert shared.working_days_between(start, end) == WorkCalendar().working_days_between(start, end)
    assert shared.working_days_between(D("2026-06-12"), D("2026-06-16")) == 1  # Mon 15 is the override
