"""Read the State Council's yearly holiday notice (国务院办公厅关于20XX年部分节假日安排的通知).

chinesecalendar stops at the last year it was released for; for the next year an
administrator pastes the notice and confirms what this module reads from it. The notice
has kept one shape for years: numbered sections "一、元旦：…", each with sentences like

    1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
    1月26日（周日）、2月8日（周六）上班。
    1月1日（周三）放假1天，不调休。
    10月1日（周三）至8日（周三）放假调休，共8天。
    2022年12月31日至2023年1月2日放假调休，共3天。      (a range across the year end)
    6月10日与周末连休。

A sentence that says 上班 lists make-up working days; one that says 放假 or 连休 lists
holidays (a range "A至B" is inclusive; "B" inherits A's month and year when it omits
them). Anything else (鼓励…在除夕（2月9日）休息, the closing paragraph) is ignored. The
parser checks what the notice itself states: the weekday in brackets and "共N天"; any
disagreement is reported and nothing is saved until the text is corrected.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
CHINESE_NUMERALS = "一二三四五六七八九十"

_FULLWIDTH = str.maketrans("０１２３４５６７８９：，（）", "0123456789:,()")
_YEAR = re.compile(r"关于(\d{4})年[^。]{0,8}节假日安排|现将(\d{4})年")
_SECTION = re.compile(r"(?:^|\n|。|:)([" + CHINESE_NUMERALS + r"]{1,3})、([^:。]{1,20}?):")
# A date, optionally with year and month, and the bracket that follows it (weekday, lunar day).
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?")
_RANGE_SEP = re.compile(r"^\s*(?:至|到|—|-|~)\s*$")
_TOTAL = re.compile(r"共\s*(\d{1,2})\s*天")


@dataclass(frozen=True)
class NoticeDay:
    date: dt.date
    kind: str  # "holiday" or "workday", the values of HolidayOverride.Kind
    name: str  # the section's festival, e.g. "国庆节、中秋节"
    section: str  # the clause it came from, e.g. "六", to show beside it

    @property
    def override_name(self) -> str:
        return self.name if self.kind == "holiday" else f"{self.name}调休上班"


@dataclass
class ParsedNotice:
    year: int | None
    days: list[NoticeDay] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == "holiday"]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == "workday"]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.days)


def _normalise(text: str) -> str:
    text = text.translate(_FULLWIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("星期", "周").replace("礼拜", "周")
    # The notice is often pasted from a web page or PDF with line breaks inside sentences:
    # a line break only counts where a section starts ("一、元旦：" at the start of a line).
    text = re.sub(r"[^\S\n]+|\u3000|\u00a0", "", text)
    return re.sub(r"\n+", "\n", text)


def _find_year(text: str, year: int | None) -> int | None:
    match = _YEAR.search(text)
    if match:
        return int(match.group(1) or match.group(2))
    return year


def _sections(text: str):
    """(numeral, title, body) for each numbered section naming a festival."""
    marks = list(_SECTION.finditer(text))
    for index, mark in enumerate(marks):
        title = mark.group(2)
        if not any(f in title for f in FESTIVALS):
            continue
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        body = text[mark.end() : end]
        # The closing paragraph ("节假日期间，各地区、各部门要…") follows the last section.
        body = body.split("节假日期间", 1)[0].replace("\n", "")
        yield mark.group(1), title, body


def _check_weekday(day: dt.date, bracket: str | None, where: str, errors: list[str]) -> None:
    if not bracket:
        return
    match = re.search(r"周([一二三四五六日天])", bracket)
    if match and WEEKDAYS[match.group(1)] != day.weekday():
        actual = "一二三四五六日"[day.weekday()]
        errors.append(f"{where}：{day.month}月{day.day}日是周{actual}，通知写的是“{match.group(0)}”，请核对原文。")


def _dates_in(sentence: str, year: int, where: str, errors: list[str]):
    """The dates of a sentence, ranges expanded: [(date, part_of_range)], in order."""
    found = []
    month = None
    current_year = year
    last = None
    matches = list(_DATE.finditer(sentence))
    for index, match in enumerate(matches):
        y, m, d, bracket = match.groups()
        if y:
            current_year = int(y)
        if m:
            month = int(m)
        if month is None:
            errors.append(f"{where}：“{match.group(0)}”没有月份，无法确定日期。")
            continue
        try:
            day = dt.date(current_year, month, int(d))
        except ValueError:
            errors.append(f"{where}：{current_year}年{month}月{d}日不是有效日期。")
            continue
        _check_weekday(day, bracket, where, errors)
        between = sentence[matches[index - 1].end() : match.start()] if index else ""
        if last is not None and _RANGE_SEP.match(between):
            if day < last:
                errors.append(f"{where}：{last.isoformat()} 至 {day.isoformat()} 的结束日早于开始日。")
                continue
            step = last + dt.timedelta(days=1)
            while step <= day:
                found.append(step)
                step += dt.timedelta(days=1)
        else:
            found.append(day)
        last = day
    return found


def parse_notice(text: str, *, year: int | None = None) -> ParsedNotice:
    """Parse the notice; `year` is used only when the text does not state it."""
    text = _normalise(text or "")
    result = ParsedNotice(year=_find_year(text, year))
    if result.year is None:
        result.errors.append("没有在通知中找到年份（如“关于2027年部分节假日安排的通知”），请粘贴完整标题或填写年份。")
        return result
    seen: dict[dt.date, NoticeDay] = {}
    for numeral, title, body in _sections(text):
        name = title.strip()
        where = f"{numeral}、{name}"
        holidays_in_section = 0
        for sentence in re.split(r"[。;；]", body):
            if not sentence:
                continue
            if "上班" in sentence:
                kind = "workday"
            elif "放假" in sentence or "连休" in sentence:
                kind = "holiday"
            else:
                continue
            dates = _dates_in(sentence, result.year, where, result.errors)
            if kind == "holiday":
                holidays_in_section += len(dates)
                total = _TOTAL.search(sentence)
                if total and int(total.group(1)) != len(dates):
                    result.errors.append(
                        f"{where}：通知写“共{total.group(1)}天”，但列出的日期是 {len(dates)} 天，请核对原文。"
                    )
            for day in dates:
                if day in seen and seen[day].kind != kind:
                    result.errors.append(f"{where}：{day.isoformat()} 既被列为放假又被列为上班。")
                    continue
                seen.setdefault(day, NoticeDay(day, kind, name, numeral))
        if not holidays_in_section:
            result.errors.append(f"{where}：没有读出放假日期，请核对这一条的原文。")
    result.days = sorted(seen.values(), key=lambda d: d.date)
    if not result.days and not result.errors:
        result.errors.append("没有读出任何节假日，请粘贴通知正文（从“一、元旦：”起）。")
    return result
