"""Reporting periods: calendar quarters (2026Q3) and years (2026), with the two comparisons."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from liaison.i18n import Msg

QUARTER_RE = re.compile(r"^(\d{4})[Qq]([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})$")
MIN_YEAR, MAX_YEAR = 2000, 2199


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None  # None: the whole year

    @classmethod
    def parse(cls, value: str) -> Period:
        """`2026Q3` or `2026`; ValueError with a message for the user otherwise."""
        value = (value or "").strip()
        match = QUARTER_RE.match(value) or YEAR_RE.match(value)
        if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise ValueError(_("期间格式应为季度 2026Q3 或年度 2026。"))
        quarter = int(match.group(2)) if match.re is QUARTER_RE else None
        return cls(int(match.group(1)), quarter)

    @classmethod
    def containing(cls, day: dt.date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        return str(self.message)

    @property
    def message(self) -> Msg:
        """The label as a stored sentence (a notification names the period in its reader's language)."""
        if self.quarter:
            return Msg(gettext_noop("%(y)d年第%(q)d季度"), y=self.year, q=self.quarter)
        return Msg(gettext_noop("%(y)d年"), y=self.year)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2 if self.quarter else 1, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter in (None, 4):
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    def previous(self) -> Period:
        """The quarter before (a year's previous period is the year before)."""
        if self.quarter is None:
            return Period(self.year - 1)
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)

    def last_year(self) -> Period:
        return Period(self.year - 1, self.quarter)

    def trail(self, n: int) -> list[Period]:
        """This period and the n-1 before it, oldest first (the trend charts)."""
        out = [self]
        while len(out) < n:
            out.append(out[-1].previous())
        return out[::-1]

    def __str__(self) -> str:
        return self.code
