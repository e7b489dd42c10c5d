"""Working-day calendar and deadline arithmetic (民法典 arts. 200–204, 行政诉讼法 art. 51).

- The start day is not counted: a period of N days from 3 March ends on 3 + N.
- A period in months ends on the same-numbered day of the last month, or on that
  month's last day when it has no such day (31 Jan + 1 month = 28/29 Feb).
- A last day that is a rest day or statutory holiday moves to the next working day.

Which days are working days: an administrator-entered `HolidayOverride` for the date
wins; otherwise the `chinesecalendar` package (2004–2026, with make-up working days);
for a year it does not cover, administrator-entered holidays if any exist for that
year, and otherwise plain Monday–Friday with a warning shown to administrators.
"""

import calendar as pycal
import datetime as dt
import re
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from .models import HolidayOverride

WEEKDAY_NAMES = "一二三四五六日"
UNIT_LABELS = {"days": "日", "months": "个月", "working_days": "个工作日"}
HOLIDAY_CHINESE = {h.value: h.chinese for h in Holiday}


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    name: str  # "春节", "调休工作日", "星期六" …
    source: str  # "admin", "chinesecalendar", "admin-year", "weekday"


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    period: int
    unit: str
    nominal: dt.date
    due: dt.date
    reason: str = ""  # why `due` differs from `nominal`
    warnings: tuple[str, ...] = field(default=())
    start_label: str = "起算"

    def explain(self) -> str:
        text = f"{self.start_label} {self.start.isoformat()} + {self.period}{UNIT_LABELS[self.unit]} = {self.nominal.isoformat()}"
        if self.due != self.nominal:
            text += f"，{self.reason} → {self.due.isoformat()}"
        if self.warnings:
            text += "（" + "；".join(self.warnings) + "）"
        return text


def year_is_covered_by_package(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def uncovered_year_warning(year: int) -> str:
    return f"{year}年法定节假日尚未录入，暂按周一至周五计算"


class WorkCalendar:
    """Answers day questions; loads the administrator overrides once, on first use."""

    def __init__(self):
        self._overrides: dict[int, dict[dt.date, HolidayOverride]] = {}
        self._covered: dict[int, bool] = {}
        self._loaded = False
        self._workdays: dict[dt.date, bool] = {}  # working_days_between's days, each looked up once
        self.warnings: set[str] = set()

    def _year_overrides(self, year: int) -> dict[dt.date, HolidayOverride]:
        # Every override in one query on first use (a few dozen rows a year): a list whose
        # deadlines run into the next year costs no extra query (constant query counts).
        if not self._loaded:
            self._loaded = True
            for row in HolidayOverride.objects.all():
                self._overrides.setdefault(row.date.year, {})[row.date] = row
        return self._overrides.get(year, {})

    def _package_covers(self, year: int) -> bool:
        if year not in self._covered:
            self._covered[year] = year_is_covered_by_package(year)
        return self._covered[year]

    def day(self, day: dt.date) -> DayInfo:
        overrides = self._year_overrides(day.year)
        row = overrides.get(day)
        if row is not None:
            return DayInfo(day, row.kind == HolidayOverride.Kind.WORKDAY, row.name, "admin")
        weekend = day.weekday() >= 5
        weekday_name = f"星期{WEEKDAY_NAMES[day.weekday()]}"
        if self._package_covers(day.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            working = chinese_calendar.is_workday(day)
            if name:
                label = HOLIDAY_CHINESE.get(name, name)
                return DayInfo(day, working, f"{label}调休工作日" if working else f"{label}假期", "chinesecalendar")
            return DayInfo(day, working, weekday_name if not working else "工作日", "chinesecalendar")
        if overrides:
            return DayInfo(day, not weekend, weekday_name, "admin-year")
        self.warnings.add(uncovered_year_warning(day.year))
        return DayInfo(day, not weekend, weekday_name, "weekday")

    def is_workday(self, day: dt.date) -> bool:
        return self.day(day).is_workday

    def next_workday_on_or_after(self, day: dt.date) -> tuple[dt.date, str]:
        """The first working day from `day`, and why the days skipped were not working days."""
        first = self.day(day)
        if first.is_workday:
            return day, ""
        reason = first.name if first.name.endswith("假期") else f"{first.name}休息日"
        current = day
        while not self.is_workday(current):
            current += dt.timedelta(days=1)
        return current, reason

    def add(self, start: dt.date, period: int, unit: str, start_label: str = "起算") -> Deadline:
        if period < 0:
            raise ValueError("period must not be negative")
        self.warnings = set()
        if unit == "days":
            nominal = start + dt.timedelta(days=period)
        elif unit == "months":
            nominal = add_months(start, period)
        elif unit == "working_days":
            nominal = start
            counted = 0
            while counted < period:
                nominal += dt.timedelta(days=1)
                if self.is_workday(nominal):
                    counted += 1
        else:
            raise ValueError(f"unknown unit {unit!r}")
        due, reason = self.next_workday_on_or_after(nominal)
        return Deadline(
            start=start,
            period=period,
            unit=unit,
            nominal=nominal,
            due=due,
            reason=reason,
            warnings=tuple(sorted(self.warnings)),
            start_label=start_label,
        )

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if `end` is earlier).

        A list passes one calendar for all its rows, whose spans all start today: each day is looked
        up once (the agency's 待办: 78 deadlines, 11,752 calls before). `add` does not use this memo:
        it collects the warnings of the days it looks up."""
        if end == start:
            return 0
        step = 1 if end > start else -1
        count = 0
        current = start
        known = self._workdays
        while current != end:
            current += dt.timedelta(days=step)
            working = known.get(current)
            if working is None:
                working = known[current] = self.is_workday(current)
            if working:
                count += step
        return count


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, pycal.monthrange(year, month)[1])
    return dt.date(year, month, day)


def compute_deadline(start: dt.date, period: int, unit: str, start_label: str = "起算") -> Deadline:
    return WorkCalendar().add(start, period, unit, start_label)


def years_needing_attention(years) -> list[int]:
    """Years that neither chinesecalendar nor administrator entries cover."""
    missing = []
    for year in years:
        if year_is_covered_by_package(year):
            continue
        if not HolidayOverride.objects.filter(date__year=year).exists():
            missing.append(year)
    return missing


# ----------------------------------------------------------------------------- explanations shown


# The words `Deadline.explain` writes, as msgids: a stored explanation (written in Chinese, once)
# reads in the reader's language (`explain_shown`), old rows included.
START_LABELS = [
    pgettext_lazy("deadline start", "起算"),
    pgettext_lazy("deadline start", "签收"),
    pgettext_lazy("deadline start", "收函"),
    pgettext_lazy("deadline start", "收到申请"),
    pgettext_lazy("deadline start", "移送"),
    pgettext_lazy("deadline start", "裁定"),
    pgettext_lazy("deadline start", "评价"),
    pgettext_lazy("deadline start", "会议召开"),
    pgettext_lazy("deadline start", "原届满日"),
    pgettext_lazy("deadline start", "登记"),
]
DAY_NAMES = [
    gettext_noop("星期一"),
    gettext_noop("星期二"),
    gettext_noop("星期三"),
    gettext_noop("星期四"),
    gettext_noop("星期五"),
    gettext_noop("星期六"),
    gettext_noop("星期日"),
    gettext_noop("元旦"),
    gettext_noop("春节"),
    gettext_noop("清明"),
    gettext_noop("劳动节"),
    gettext_noop("端午"),
    gettext_noop("国庆节"),
    gettext_noop("中秋"),
    gettext_noop("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
]
_DATE = r"\d{4}-\d{2}-\d{2}"
_EXPLAINED = re.compile(
    rf"^(?P<label>\S+) (?P<start>{_DATE}) \+ (?P<n>\d+)(?P<unit>个工作日|个月|日) = (?P<nominal>{_DATE})"
    rf"(?:，(?P<reason>.+?) → (?P<due>{_DATE}))?(?:（(?P<warnings>.+)）)?$"
)
_UNCOVERED = re.compile(r"^(\d{4})年法定节假日尚未录入，暂按周一至周五计算$")


def _reason_shown(reason: str) -> str:
    for suffix, msgid in (("假期", gettext_noop("%(d)s假期")), ("休息日", gettext_noop("%(d)s休息日"))):
        if reason.endswith(suffix):
            return gettext(msgid) % {"d": gettext(reason.removesuffix(suffix))}
    return gettext(reason)


def _warning_shown(warning: str) -> str:
    match = _UNCOVERED.match(warning)
    if match:
        return gettext("%(y)s年法定节假日尚未录入，暂按周一至周五计算") % {"y": match.group(1)}
    return warning


def explain_shown(text: str) -> str:
    """A stored deadline explanation in the active language (as stored when it has another form)."""
    match = _EXPLAINED.match(text or "")
    if not match:
        return text
    g = match.groupdict()
    unit = {"日": "days", "个月": "months", "个工作日": "working_days"}[g["unit"]]
    shown = gettext("%(label)s %(start)s + %(n)s%(unit)s = %(nominal)s") % {
        "label": pgettext("deadline start", g["label"]),
        "start": g["start"],
        "n": g["n"],
        "unit": gettext(UNIT_LABELS[unit]),
        "nominal": g["nominal"],
    }
    if g["reason"]:
        shown += gettext("，%(reason)s → %(due)s") % {"reason": _reason_shown(g["reason"]), "due": g["due"]}
    if g["warnings"]:
        shown += gettext("（%(w)s）") % {"w": gettext("；").join(_warning_shown(w) for w in g["warnings"].split("；"))}
    return shown
