"""The column layout of a case list, and the constants and types every step of the import shares."""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.models import Institution

from ..models import AdministrativeCase, Cause, Outcome

Case = AdministrativeCase
Through = AdministrativeCase.defendants.through

MAX_ROWS = 20_000
# Sheet rows read, blank or not (title rows, the header, blank rows between cases, and the
# empty rows a reader fills in before a row numbered far down): the work is bounded by this
# whatever the file says, so one `<row r="1000000000">` costs no more than a full list.
MAX_LINES = MAX_ROWS + 1_000
# Unpacked size of the whole workbook, from the zip directory before anything is parsed. A
# 20,000-row list written by openpyxl (inline strings, short summaries, as our export writes
# it) unpacks to 19 MB, by Excel (shared strings) to a few MB; anything far beyond is a
# zip bomb or millions of empty rows.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# Wall-clock limit for reading one file in the web process (checked between rows).
PARSE_SECONDS = 15
PREVIEW_MAX_AGE = dt.timedelta(days=1)
# Kept uploads per user: a new preview discards that user's oldest beyond this.
MAX_KEPT_PER_USER = 5
# The same limits as the case form (cases.services).
MAX_PLAINTIFFS_CHARS = 2000
MAX_SUMMARY_CHARS = 20000
SHEET_TITLE = "案件清单"
HELP_SHEET_TITLE = "说明"
CHUNK = 500


# ----------------------------------------------------------------------------- the column layout


@dataclass(frozen=True)
class Column:
    # The header is the file format courts fill in, so it stays Chinese in every UI language.
    header: str
    key: str
    required: bool
    help: Any


COLUMNS: tuple[Column, ...] = (
    Column(
        "案号",
        "number",
        True,
        gettext_lazy(
            "如“（2026）桂02行初12号”；半角括号也可，导入时统一为全角。本院已登记的案号再次导入时更新该案件。"
        ),
    ),
    Column(
        "审级",
        "instance",
        False,
        gettext_lazy(
            "一审、二审、再审或非诉执行审查；留空时按案号推断：行初→一审，行终→二审，行再、行申→再审，行审→非诉执行审查。"
        ),
    ),
    Column("案由", "cause", True, gettext_lazy("案由表中的名称，见下方“案由”列表。")),
    Column("原告", "plaintiffs", True, gettext_lazy("多个原告用顿号（、）或换行分隔。")),
    Column(
        "被告",
        "defendants",
        True,
        gettext_lazy("被告行政机关的全称或简称，多个用顿号（、）分隔；须是门户中登记的人民政府或政府部门。"),
    ),
    Column(
        "立案日期",
        "filed_on",
        True,
        gettext_lazy("如 2026-03-05、2026/3/5、2026年3月5日，或 Excel 日期单元格；不能晚于今天。"),
    ),
    Column(
        "结案方式",
        "outcome",
        False,
        gettext_lazy("结案方式表中的名称，见下方列表；未结案留空。填写结案方式须同时填写结案日期。"),
    ),
    Column("结案日期", "concluded_on", False, gettext_lazy("不早于立案日期，不晚于今天；须同时填写结案方式。")),
    Column(
        "生效日期", "effective_on", False, gettext_lazy("裁判发生法律效力的日期；不早于结案日期，须同时填写结案日期。")
    ),
    Column("是否课以义务", "imposes_obligation", False, gettext_lazy("生效裁判是否课以行政机关义务：是、否，或留空。")),
    Column(
        "是否自动履行",
        "performed_voluntarily",
        False,
        gettext_lazy("课以义务的生效裁判是否未经申请执行即自动履行：是、否，或留空；未课以义务的案件留空。"),
    ),
    Column("重大案件类别", "major_category", False, gettext_lazy("留空，或下方“重大案件类别”列表中的一项。")),
    Column("案情摘要", "summary", False, gettext_lazy("可选。")),
)
BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}

# Model fields each column sets (the status is derived, not a column).
FIELDS = {
    "number": "number",
    "instance": "instance",
    "cause": "cause_id",
    "plaintiffs": "plaintiffs",
    "filed_on": "filed_on",
    "outcome": "outcome_id",
    "concluded_on": "concluded_on",
    "effective_on": "effective_on",
    "imposes_obligation": "imposes_obligation",
    "performed_voluntarily": "performed_voluntarily",
    "major_category": "major_category",
    "summary": "summary",
}
UPDATE_FIELDS = [f for f in FIELDS.values() if f != "number"] + ["status"]

# 案号 type code → instance, used when the 审级 cell is blank.
INSTANCE_BY_TYPE = {
    "行初": Case.Instance.FIRST,
    "行终": Case.Instance.SECOND,
    "行再": Case.Instance.RETRIAL,
    "行申": Case.Instance.RETRIAL,
    "行审": Case.Instance.NON_LITIGATION,
}
LIST_SPLIT = re.compile(r"[、；;\r\n]+")
NAME_SPLIT = re.compile(r"[、，,；;\r\n]+")
DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
YES = {"是": True, "否": False}


def _source_labels(choices) -> dict[str, str]:
    """Chinese label → value, whatever language is active (the msgids are the Chinese labels)."""
    with translation.override(None):
        return {str(label): value for value, label in choices if value}


def instance_labels() -> dict[str, str]:
    return _source_labels(Case.Instance.choices)


def major_category_labels() -> dict[str, str]:
    return _source_labels(Case.MajorCategory.choices)


# ----------------------------------------------------------------------------- results


@dataclass
class ImportRow:
    line: int  # the row number Excel shows
    cells: dict[str, str]  # header → the cell as text, for display
    number: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # model field → cleaned value (present columns only)
    defendant_ids: tuple[int, ...] = ()
    field_errors: list[str] = field(default_factory=list)  # from the row itself and the rest of the file
    db_errors: list[str] = field(default_factory=list)  # from the database, re-checked at commit
    action: str = ""  # "create" | "update" | "unchanged" | "" (invalid)
    case: Case | None = None
    # For updates: model field name (cause, outcome, defendants, status…) → (before, after) as display text.
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    defendant_links: dict[int, int] = field(default_factory=dict, repr=False)  # institution id → through pk

    @property
    def errors(self) -> list[str]:
        return self.field_errors + self.db_errors

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [row_message(self.line, e) for e in self.errors]


def row_message(line: int, error: str) -> str:
    return _("第 %(line)d 行：%(error)s") % {"line": line, "error": error}


@dataclass
class ImportPreview:
    user_id: int
    court: Institution
    filename: str
    sha256: str
    headers: list[str]  # the known column headers present in the file, in file order
    rows: list[ImportRow]
    token: str = ""
    refs: Any = field(default=None, repr=False)

    @property
    def errors(self) -> list[str]:
        return [m for row in self.rows for m in row.messages]

    @property
    def is_valid(self) -> bool:
        return all(row.is_valid for row in self.rows)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.is_valid]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.is_valid]

    @property
    def counts(self) -> dict[str, int]:
        out = {"rows": len(self.rows), "create": 0, "update": 0, "unchanged": 0, "invalid": 0}
        for row in self.rows:
            out[row.action or "invalid"] += 1
        return out


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int  # invalid rows left out with only_valid=True
    unchanged: int = 0  # rows equal to the case already registered


# ----------------------------------------------------------------------------- reference data


class References:
    """Everything rows are checked against, loaded once per file."""

    def __init__(self, user):
        self.causes = dict(Cause.objects.values_list("name", "pk"))
        self.outcomes = dict(Outcome.objects.values_list("name", "pk"))
        self.cause_names = {pk: name for name, pk in self.causes.items()}
        self.outcome_names = {pk: name for name, pk in self.outcomes.items()}
        self.instances = instance_labels()
        self.majors = major_category_labels()
        self.by_name: dict[str, tuple[int, str]] = {}
        self.by_short: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.institution_names: dict[int, str] = {}
        rows = Institution.objects.visible_to(user).values_list("pk", "name", "short_name", "kind")
        for pk, name, short, kind in rows:
            self.by_name[name_key(name)] = (pk, kind)
            if short:
                self.by_short[name_key(short)].append((pk, kind))
            self.institution_names[pk] = name


def name_key(name: str) -> str:
    return re.sub(r"\s+", "", name or "").replace("(", "（").replace(")", "）")


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
