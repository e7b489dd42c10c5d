"""Excel import of a court's administrative case list: template, preview, commit.

Courts keep their case lists in Excel. The flow a page, an API view or the management
command builds on:

    data = build_template()                                  # the .xlsx to download
    p = preview(user=user, file=upload, keep=True)           # parse + validate, nothing saved
    p.errors, p.counts, p.rows                               # show them; p.token for the next request
    p = load_preview(user=user, token=token)                 # the confirm request re-parses the kept file
    result = commit(user=user, preview=p, only_valid=False)  # all rows or none (or only the valid ones)

The court is always the user's own institution. A 案号 already registered by another court
is an error, never an update of someone else's case; a 案号 of the user's court updates
that case (re-importing a file never duplicates). A column missing from the file leaves
that field of an existing case as it is; a blank cell in a present column clears it.
"""

import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import access
from liaison.errors import Conflict
from liaison.models import AuditEntry, Institution
from liaison.services import audit, sanitize_filename

from .models import CASE_NUMBER_RE, AdministrativeCase, Appearance, Cause, Hearing, Outcome, normalise_case_number

Case = AdministrativeCase
Through = AdministrativeCase.defendants.through

MAX_ROWS = 20_000
# A 20 MB upload that inflates past this is not a case list (zip bomb guard).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
PREVIEW_MAX_AGE = dt.timedelta(days=1)
# The same limits as the case form (cases.services).
MAX_PLAINTIFFS_CHARS = 2000
MAX_SUMMARY_CHARS = 20000
SHEET_TITLE = "案件清单"
HELP_SHEET_TITLE = "说明"
_CHUNK = 500
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


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
_BY_HEADER = {c.header: c for c in COLUMNS}
_BY_KEY = {c.key: c for c in COLUMNS}

# Model fields each column sets (the status is derived, not a column).
_FIELDS = {
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
UPDATE_FIELDS = [f for f in _FIELDS.values() if f != "number"] + ["status"]

# 案号 type code → instance, used when the 审级 cell is blank.
_INSTANCE_BY_TYPE = {
    "行初": Case.Instance.FIRST,
    "行终": Case.Instance.SECOND,
    "行再": Case.Instance.RETRIAL,
    "行申": Case.Instance.RETRIAL,
    "行审": Case.Instance.NON_LITIGATION,
}
_LIST_SPLIT = re.compile(r"[、；;\r\n]+")
_NAME_SPLIT = re.compile(r"[、，,；;\r\n]+")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_YES = {"是": True, "否": False}


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
    _defendant_links: dict[int, int] = field(default_factory=dict, repr=False)  # institution id → through pk

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
    _refs: "_References | None" = field(default=None, repr=False)

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


# ----------------------------------------------------------------------------- template


def build_template() -> bytes:
    """The .xlsx courts fill in: headers and one example row, and a 说明 sheet with valid values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    causes = list(Cause.objects.values_list("name", flat=True))
    outcomes = list(Outcome.objects.values_list("name", flat=True))
    instances = list(instance_labels())
    majors = list(major_category_labels())
    example = _example_row(causes, outcomes)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FDE9D9")
    ws.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        ws.column_dimensions[get_column_letter(index)].width = 40 if column.key == "summary" else 22
    ws.append([example[c.key] for c in COLUMNS])
    for index in range(1, len(COLUMNS) + 1):
        cell = ws.cell(row=2, column=index)
        if isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        else:
            cell.number_format = "@"
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET_TITLE)
    help_ws.column_dimensions["A"].width = 16
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    help_ws.append([_("案件清单导入说明")])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append(
        [
            _(
                "第一行为列名，请勿修改；每行一个案件，第 2 行为示例，可直接改写。底色列为必填列。"
                "本院已登记的案号再次导入时更新该案件，未登记的新建；其他法院登记的案号不能导入。"
                "每个文件最多 %(n)d 行。"
            )
            % {"n": MAX_ROWS}
        ]
    )
    help_ws.append([])
    help_ws.append([_("列名"), _("必填"), _("填写说明")])
    for cell in help_ws[help_ws.max_row]:
        cell.font = bold
    for column in COLUMNS:
        help_ws.append([column.header, _("是") if column.required else _("否"), str(column.help)])
        help_ws.cell(row=help_ws.max_row, column=3).alignment = wrap

    lists = {}
    for title, values in (
        (_("审级"), instances),
        (_("案由"), causes),
        (_("结案方式"), outcomes),
        (_("重大案件类别"), majors),
    ):
        help_ws.append([])
        help_ws.append([title])
        help_ws.cell(row=help_ws.max_row, column=1).font = bold
        first = help_ws.max_row + 1
        for value in values:
            help_ws.append([value])
        lists[title] = f"'{HELP_SHEET_TITLE}'!$A${first}:$A${max(first, help_ws.max_row)}"

    def validate(key: str, formula: str) -> None:
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = _("请从列表中选择，或查看“说明”工作表。")
        dv.errorTitle = _("取值无效")
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)

    validate("instance", lists[_("审级")])
    validate("cause", lists[_("案由")])
    validate("outcome", lists[_("结案方式")])
    validate("major_category", lists[_("重大案件类别")])
    validate("imposes_obligation", '"是,否"')
    validate("performed_voluntarily", '"是,否"')

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _example_row(causes: list[str], outcomes: list[str]) -> dict[str, Any]:
    """A row that imports as it stands: last year's dates, a registered agency as defendant."""
    year = timezone.localdate().year - 1
    agency = (
        Institution.objects.filter(kind=Institution.Kind.AGENCY, is_active=True).order_by("id").first()
        or Institution.objects.filter(kind=Institution.Kind.GOVERNMENT).order_by("id").first()
    )
    return {
        "number": f"（{year}）桂02行初12号",
        "instance": "一审",
        "cause": "行政处罚" if "行政处罚" in causes else (causes[0] if causes else ""),
        "plaintiffs": "张某、李某",
        "defendants": agency.name if agency else "",
        "filed_on": dt.date(year, 3, 5),
        "outcome": "判决驳回诉讼请求" if "判决驳回诉讼请求" in outcomes else (outcomes[0] if outcomes else ""),
        "concluded_on": dt.date(year, 6, 18),
        "effective_on": dt.date(year, 7, 3),
        "imposes_obligation": "否",
        "performed_voluntarily": "",
        "major_category": "",
        "summary": "原告不服被告作出的行政处罚决定，请求予以撤销。",
    }


# ----------------------------------------------------------------------------- preview


class _References:
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
            self.by_name[_name_key(name)] = (pk, kind)
            if short:
                self.by_short[_name_key(short)].append((pk, kind))
            self.institution_names[pk] = name


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", name or "").replace("(", "（").replace(")", "）")


def preview(*, user, file, keep: bool = False, filename: str | None = None) -> ImportPreview:
    """Parse and check an uploaded case list; nothing is saved.

    Problems with the file itself (not an .xlsx, too large, too many rows, missing columns)
    raise ValidationError({"file": [...]}); problems with rows are reported per row. With
    keep=True the file is stored for `load_preview` and `preview.token` is set.
    """
    access.require(user, "case.import")
    data = _read_upload(file)
    name = sanitize_filename(filename or os.path.basename(getattr(file, "name", "") or "") or "cases.xlsx")
    sha256 = hashlib.sha256(data).hexdigest()
    result = _preview_bytes(user, data, name, sha256)
    if keep:
        result.token = _store(user, data, name, sha256)
    return result


def _preview_bytes(user, data: bytes, name: str, sha256: str) -> ImportPreview:
    headers, raw_rows = _read_sheet(data)
    refs = _References(user)
    today = timezone.localdate()
    rows = [_clean_row(line, raw, headers, refs, today) for line, raw in raw_rows]
    first_line: dict[str, int] = {}
    for row in rows:
        if not row.number:
            continue
        if row.number in first_line:
            row.field_errors.append(
                _("案号“%(number)s”与第 %(line)d 行重复") % {"number": row.number, "line": first_line[row.number]}
            )
        else:
            first_line[row.number] = row.line
    result = ImportPreview(
        user_id=user.pk, court=user.institution, filename=name, sha256=sha256, headers=headers, rows=rows, _refs=refs
    )
    _match_existing(result)
    return result


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]}, code="invalid_file")


def _read_upload(file) -> bytes:
    limit = settings.UPLOAD_MAX_BYTES
    too_large = _file_error(_("文件过大，最大 %(m)d MB。") % {"m": max(1, limit // 1048576)})
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        if getattr(file, "size", None) is not None and file.size > limit:
            raise too_large
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(_("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后上传。"))
    not_xlsx = _file_error(_("文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。"))
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > MAX_UNPACKED_BYTES:
        raise too_large
    return data


def _read_sheet(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Known headers in the file (in order) and the non-blank rows as (Excel line, {key: value})."""
    from openpyxl import load_workbook

    not_xlsx = _file_error(_("文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise not_xlsx from None
    try:
        sheets = wb.worksheets
        if not sheets:
            raise not_xlsx
        ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else sheets[0]
        rows: list[tuple[int, dict[str, Any]]] = []
        header_at: dict[int, str] | None = None
        header_line = 0
        for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if header_at is None:
                # The header row is the first row naming 案号 (a title row above it is allowed).
                texts = [_header_text(v) for v in values]
                if _BY_KEY["number"].header in texts:
                    header_at, header_line = _header_map(texts), line
                elif line >= 10:
                    break
                continue
            record = {key: values[i] for i, key in header_at.items() if i < len(values)}
            # Blank in every known column (a pre-numbered 序号 column alone is not a case).
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise _file_error(_("文件超过 %(n)d 行案件数据，请分成多个文件导入。") % {"n": MAX_ROWS})
            rows.append((line, record))
    except ValidationError:
        raise
    except Exception:
        raise not_xlsx from None
    finally:
        wb.close()
    if header_at is None:
        raise _file_error(_("未找到列名行：第一行应为导入模板中的列名（案号、案由、原告……）。"))
    present = set(header_at.values())
    missing = [c.header for c in COLUMNS if c.required and c.key not in present]
    if missing:
        raise _file_error(_("第 %(line)d 行缺少必填列：%(cols)s。") % {"line": header_line, "cols": "、".join(missing)})
    if not rows:
        raise _file_error(_("文件中没有案件数据。"))
    headers = [_BY_KEY[key].header for _, key in sorted(header_at.items())]
    return headers, rows


def _header_text(value) -> str:
    # Tolerate stray spaces and a required-column marker such as 案号*.
    return re.sub(r"\s+", "", _text(value)).rstrip("*＊")


def _header_map(texts: list[str]) -> dict[int, str]:
    """Column index → column key for the known headers; unknown columns are ignored."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for index, text in enumerate(texts):
        column = _BY_HEADER.get(text)
        if column is None:
            continue
        if column.key in seen:
            raise _file_error(_("列“%(col)s”出现了两次。") % {"col": column.header})
        seen.add(column.key)
        out[index] = column.key
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _clean_row(line: int, raw: dict[str, Any], headers: list[str], refs: _References, today: dt.date) -> ImportRow:
    row = ImportRow(line=line, cells={_BY_KEY[k].header: _text(v) for k, v in raw.items()})
    present = {_BY_HEADER[h].key for h in headers}
    errors, values = row.field_errors, row.values

    def text(key: str) -> str:
        return _text(raw.get(key))

    def require(key: str) -> str:
        value = text(key)
        if not value:
            errors.append(_("%(col)s不能为空") % {"col": _BY_KEY[key].header})
        return value

    number = require("number")
    if number:
        try:
            row.number = normalise_case_number(number)
            values["number"] = row.number
        except ValidationError as exc:
            errors.append(exc.messages[0].rstrip("。"))

    label = text("instance")
    if label:
        if label in refs.instances:
            values["instance"] = refs.instances[label]
        else:
            errors.append(
                _("审级“%(value)s”无效，应为%(choices)s") % {"value": label, "choices": "、".join(refs.instances)}
            )
    elif row.number:
        type_code = CASE_NUMBER_RE.match(row.number).group("type")
        if type_code in _INSTANCE_BY_TYPE:
            values["instance"] = _INSTANCE_BY_TYPE[type_code]
        else:
            errors.append(_("审级不能为空（无法从案号推断）"))

    cause = require("cause")
    if cause:
        if cause in refs.causes:
            values["cause_id"] = refs.causes[cause]
        else:
            errors.append(_("未找到案由“%(value)s”") % {"value": cause})

    plaintiffs = "\n".join(p.strip() for p in _LIST_SPLIT.split(text("plaintiffs")) if p.strip())
    if not plaintiffs:
        errors.append(_("%(col)s不能为空") % {"col": "原告"})
    elif len(plaintiffs) > MAX_PLAINTIFFS_CHARS:
        errors.append(_("%(col)s不能超过 %(n)d 个字符") % {"col": "原告", "n": MAX_PLAINTIFFS_CHARS})
    else:
        values["plaintiffs"] = plaintiffs

    names = [n.strip() for n in _NAME_SPLIT.split(text("defendants")) if n.strip()]
    if not names:
        errors.append(_("%(col)s不能为空") % {"col": "被告"})
    ids: list[int] = []
    for name in names:
        pk = _resolve_defendant(name, refs, errors)
        if pk is not None and pk not in ids:
            ids.append(pk)
    row.defendant_ids = tuple(ids)

    filed_on = _date(raw.get("filed_on"), "filed_on", errors, today, required=True)
    concluded_on = _date(raw.get("concluded_on"), "concluded_on", errors, today)
    effective_on = _date(raw.get("effective_on"), "effective_on", errors, today)
    if filed_on:
        values["filed_on"] = filed_on
    for key, value in (("concluded_on", concluded_on), ("effective_on", effective_on)):
        if key in present:
            values[key] = value
    if filed_on and concluded_on and concluded_on < filed_on:
        errors.append(_("结案日期早于立案日期"))
    if effective_on and concluded_on:
        if effective_on < concluded_on:
            errors.append(_("生效日期早于结案日期"))
    elif effective_on and filed_on and effective_on < filed_on:
        errors.append(_("生效日期早于立案日期"))

    if "outcome" in present:
        outcome = text("outcome")
        values["outcome_id"] = None
        if outcome:
            if outcome in refs.outcomes:
                values["outcome_id"] = refs.outcomes[outcome]
            else:
                errors.append(_("未找到结案方式“%(value)s”") % {"value": outcome})
        if "concluded_on" in present:
            if outcome and not text("concluded_on"):
                errors.append(_("填写了结案方式，请同时填写结案日期"))
            if text("concluded_on") and not outcome:
                errors.append(_("填写了结案日期，请同时填写结案方式"))
    if "concluded_on" in present and "effective_on" in present and text("effective_on") and not text("concluded_on"):
        errors.append(_("填写了生效日期，请同时填写结案日期"))

    for key in ("imposes_obligation", "performed_voluntarily"):
        if key in present:
            value = text(key)
            if value and value not in _YES:
                errors.append(_("%(col)s只能填“是”“否”或留空") % {"col": _BY_KEY[key].header})
            values[key] = _YES.get(value)
    if values.get("performed_voluntarily") is not None and values.get("imposes_obligation") is not True:
        if "imposes_obligation" in present:
            errors.append(_("未课以义务的案件，是否自动履行应留空"))
    if values.get("performed_voluntarily") is not None and "effective_on" in present and not text("effective_on"):
        errors.append(_("填写了是否自动履行，请同时填写生效日期"))

    if "major_category" in present:
        label = text("major_category")
        values["major_category"] = ""
        if label:
            if label in refs.majors:
                values["major_category"] = refs.majors[label]
            else:
                errors.append(
                    _("重大案件类别“%(value)s”无效，应留空或为%(choices)s")
                    % {"value": label, "choices": "、".join(refs.majors)}
                )
    if "summary" in present:
        values["summary"] = text("summary")
        if len(values["summary"]) > MAX_SUMMARY_CHARS:
            errors.append(_("%(col)s不能超过 %(n)d 个字符") % {"col": "案情摘要", "n": MAX_SUMMARY_CHARS})
    if errors:
        row.values = {}
    return row


def _resolve_defendant(name: str, refs: _References, errors: list[str]) -> int | None:
    key = _name_key(name)
    match = refs.by_name.get(key)
    if match is None:
        candidates = refs.by_short.get(key, [])
        if len(candidates) > 1:
            errors.append(_("简称“%(name)s”对应多个单位，请填写全称") % {"name": name})
            return None
        match = candidates[0] if candidates else None
    if match is None:
        errors.append(_("未找到单位“%(name)s”") % {"name": name})
        return None
    pk, kind = match
    if kind not in (Institution.Kind.GOVERNMENT, Institution.Kind.AGENCY):
        errors.append(_("“%(name)s”不是行政机关，不能作为被告") % {"name": name})
        return None
    return pk


def _date(value, key: str, errors: list[str], today: dt.date, required: bool = False) -> dt.date | None:
    header = _BY_KEY[key].header
    text = _text(value)
    if not text:
        if required:
            errors.append(_("%(col)s不能为空") % {"col": header})
        return None
    parsed = _parse_date(value)
    if parsed is None:
        errors.append(_("%(col)s“%(value)s”无法识别，应如 2026-03-05") % {"col": header, "value": text})
        return None
    if parsed > today:
        errors.append(_("%(col)s %(date)s 晚于今天") % {"col": header, "date": parsed.isoformat()})
        return None
    return parsed


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date typed into a cell formatted as a number: Excel's serial day count.
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        return None
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


# ----------------------------------------------------------------------------- existing cases


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _derived_status(values: dict[str, Any]) -> str:
    if values.get("effective_on"):
        return Case.Status.EFFECTIVE
    if values.get("outcome_id") or values.get("concluded_on"):
        return Case.Status.CONCLUDED
    return Case.Status.PENDING


def _match_existing(p: ImportPreview, *, lock: bool = False) -> None:
    """Decide create/update/unchanged per row against the cases registered now (re-run at commit)."""
    numbers = list({row.number for row in p.rows if row.number})
    existing: dict[str, Case] = {}
    for chunk in _chunks(numbers):
        qs = Case.objects.filter(number__in=chunk)
        if lock:
            qs = qs.select_for_update()
        existing.update((case.number, case) for case in qs)
    own_ids = [c.pk for c in existing.values() if c.court_id == p.court.pk]
    links: dict[int, dict[int, int]] = defaultdict(dict)
    for chunk in _chunks(own_ids):
        for pk, case_id, inst_id in Through.objects.filter(administrativecase_id__in=chunk).values_list(
            "pk", "administrativecase_id", "institution_id"
        ):
            links[case_id][inst_id] = pk
    last_hearing: dict[int, dt.date] = {}
    appeared: set[tuple[int, int]] = set()
    for chunk in _chunks(own_ids):
        last_hearing.update(
            Hearing.objects.filter(case_id__in=chunk)
            .values("case_id")
            .annotate(last=Max("held_on"))
            .values_list("case_id", "last")
        )
        appeared.update(
            Appearance.objects.filter(hearing__case_id__in=chunk).values_list("hearing__case_id", "defendant_id")
        )
    for row in p.rows:
        row.db_errors, row.action, row.case, row.changes, row._defendant_links = [], "", None, {}, {}
        case = existing.get(row.number) if row.number else None
        if case is not None and case.court_id != p.court.pk:
            row.db_errors.append(_("案号“%(number)s”已由其他法院登记，不能导入") % {"number": row.number})
            continue
        if row.field_errors:
            continue
        if case is None:
            row.action = "create"
            continue
        row.case, row._defendant_links = case, links.get(case.pk, {})
        row.db_errors = _update_errors(case, row, last_hearing.get(case.pk), appeared, p._refs)
        if row.db_errors:
            continue
        row.changes = _changes(case, row, p._refs)
        row.action = "update" if row.changes else "unchanged"


def _update_errors(case: Case, row: ImportRow, last_hearing, appeared: set, refs: "_References") -> list[str]:
    """What the row would break in the case as registered (columns left out keep their values)."""
    errors = []
    merged = _merged(case, row)
    filed, concluded, effective = merged["filed_on"], merged["concluded_on"], merged["effective_on"]
    if concluded and concluded < filed:
        errors.append(_("结案日期早于立案日期"))
    if effective and concluded and effective < concluded:
        errors.append(_("生效日期早于结案日期"))
    if concluded and last_hearing and concluded < last_hearing:
        errors.append(_("结案日期早于已登记的开庭日期（%(date)s）") % {"date": last_hearing.isoformat()})
    for inst_id in row._defendant_links:
        if inst_id not in row.defendant_ids and (case.pk, inst_id) in appeared:
            name = refs.institution_names.get(inst_id, "")
            errors.append(_("被告“%(name)s”已有出庭应诉记录，不能从本案删除") % {"name": name})
    return errors


def _merged(case: Case, row: ImportRow) -> dict[str, Any]:
    merged = {f: getattr(case, f) for f in UPDATE_FIELDS}
    merged.update(row.values)
    merged["status"] = _derived_status(merged)
    return merged


def _changes(case: Case, row: ImportRow, refs: _References) -> dict[str, tuple[Any, Any]]:
    merged = _merged(case, row)
    out = {}
    for f in UPDATE_FIELDS:
        before, after = getattr(case, f), merged[f]
        if before != after:
            out[f.removesuffix("_id")] = (_display(f, before, refs), _display(f, after, refs))
    if set(row._defendant_links) != set(row.defendant_ids):
        names = refs.institution_names
        out["defendants"] = (
            "、".join(sorted(names.get(i, str(i)) for i in row._defendant_links)),
            "、".join(names.get(i, str(i)) for i in row.defendant_ids),
        )
    return out


def _display(f: str, value, refs: _References):
    if value is None or value == "":
        return ""
    if f == "cause_id":
        return refs.cause_names.get(value, value)
    if f == "outcome_id":
        return refs.outcome_names.get(value, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if f in ("instance", "status", "major_category"):
        choices = {"instance": Case.Instance, "status": Case.Status, "major_category": Case.MajorCategory}[f]
        with translation.override(None):
            return str(choices(value).label)
    return value


# ----------------------------------------------------------------------------- commit


def commit(*, user, preview: ImportPreview, only_valid: bool = False) -> ImportResult:
    """Create and update the previewed cases in one transaction.

    Nothing is saved unless every row is valid, or with only_valid=True only the valid rows
    are. Rows are re-checked against the cases registered at this moment.
    """
    access.require(user, "case.import")
    if preview.user_id != user.pk or preview.court.pk != user.institution_id:
        raise PermissionDenied("case.import")
    try:
        with transaction.atomic():
            result = _commit(user, preview, only_valid)
    except IntegrityError:
        # Another import or a clerk registered one of these numbers between check and insert.
        raise Conflict(_("导入期间有案号被同时登记，请重新上传预览后再导入。")) from None
    if preview.token:
        discard_preview(user=user, token=preview.token)
    return result


def _commit(user, p: ImportPreview, only_valid: bool) -> ImportResult:
    _match_existing(p, lock=True)
    invalid = p.invalid_rows
    if invalid and not only_valid:
        raise ValidationError(
            _("有 %(n)d 行存在错误，未导入任何案件。请修改后重新上传，或选择只导入无误的行。") % {"n": len(invalid)},
            code="invalid_rows",
        )
    now = timezone.now()
    creating = [r for r in p.rows if r.action == "create"]
    updating = [r for r in p.rows if r.action == "update"]
    unchanged = sum(1 for r in p.rows if r.action == "unchanged")

    new_cases = []
    for row in creating:
        case = Case(court_id=p.court.pk, created_by=user, **row.values)
        case.status = _derived_status(row.values)
        new_cases.append(case)
    Case.objects.bulk_create(new_cases, batch_size=_CHUNK)
    if any(c.pk is None for c in new_cases):  # backends that cannot return ids from a bulk insert
        pks = {}
        for chunk in _chunks([c.number for c in new_cases]):
            pks.update(Case.objects.filter(number__in=chunk).values_list("number", "pk"))
        for case in new_cases:
            case.pk = case.id = pks[case.number]

    changed_cases, add_links, drop_links = [], [], []
    # Only the fields that changed are written, grouped so each group is one executemany.
    by_fields: dict[tuple[str, ...], list[Case]] = defaultdict(list)
    for row in updating:
        case = row.case
        for f, value in _merged(case, row).items():
            setattr(case, f, value)
        case.updated_at = now
        changed_cases.append(case)
        by_fields[tuple(f for f in UPDATE_FIELDS if f.removesuffix("_id") in row.changes)].append(case)
        drop_links += [pk for inst_id, pk in row._defendant_links.items() if inst_id not in row.defendant_ids]
        add_links += [(case.pk, i) for i in row.defendant_ids if i not in row._defendant_links]
    for fields, cases in by_fields.items():
        _update_cases(cases, [*fields, "updated_at"])
    for case, row in zip(new_cases, creating, strict=True):
        add_links += [(case.pk, i) for i in row.defendant_ids]
    for chunk in _chunks(drop_links):
        Through.objects.filter(pk__in=chunk).delete()
    Through.objects.bulk_create(
        [Through(administrativecase_id=c, institution_id=i) for c, i in add_links], batch_size=_CHUNK
    )

    _audit_cases(user, new_cases, creating, updating)
    skipped = len(invalid)
    audit(
        actor=user,
        action="case.import",
        target=p.court,
        after={
            "file": p.filename,
            "sha256": p.sha256,
            "rows": len(p.rows),
            "created": len(new_cases),
            "updated": len(changed_cases),
            "unchanged": unchanged,
            "skipped": skipped,
        },
    )
    return ImportResult(created=len(new_cases), updated=len(changed_cases), skipped=skipped, unchanged=unchanged)


def _update_cases(cases: list[Case], fields: list[str]) -> None:
    """One parameterised UPDATE per case, sent with executemany.

    QuerySet.bulk_update builds a CASE expression per field and row in Python (about 1 ms a
    row here: 7 s for 5,000 changed cases on PostgreSQL, near a web worker's timeout for a
    20,000-row file); executemany with the same field conversions takes a fraction of that.
    """
    by_attname = {f.attname: f for f in Case._meta.concrete_fields}
    columns = [by_attname[f] for f in fields]
    qn = connection.ops.quote_name
    sql = "UPDATE %s SET %s WHERE %s = %%s" % (
        qn(Case._meta.db_table),
        ", ".join(f"{qn(c.column)} = %s" for c in columns),
        qn(Case._meta.pk.column),
    )
    params = [[c.get_db_prep_save(getattr(case, c.attname), connection) for c in columns] + [case.pk] for case in cases]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _audit_cases(user, new_cases: list[Case], creating: list[ImportRow], updating: list[ImportRow]) -> None:
    """One entry per created or changed case, so each case's history shows the import."""
    ct = ContentType.objects.get_for_model(Case)
    common = {
        "actor": user,
        "actor_name": user.get_username(),
        "institution_id": user.institution_id,
        "target_type": ct,
    }
    entries = [
        AuditEntry(
            action="case.create",
            target_id=case.pk,
            target_repr=case.number,
            after={"source": "import", "number": case.number, "status": case.status},
            **common,
        )
        for case in new_cases
    ]
    entries += [
        AuditEntry(
            action="case.update",
            target_id=row.case.pk,
            target_repr=row.case.number,
            before={f: before for f, (before, _after) in row.changes.items()},
            after={"source": "import", **{f: after for f, (_before, after) in row.changes.items()}},
            **common,
        )
        for row in updating
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=_CHUNK)


# ----------------------------------------------------------------------------- kept uploads (preview tokens)


def _imports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(user, data: bytes, filename: str, sha256: str) -> str:
    """Keep the upload between the preview and the confirm request, under a random name.

    MEDIA_ROOT is never served by the web server (settings.MEDIA_URL points nowhere).
    """
    token = secrets.token_urlsafe(24)
    base = _imports_dir()
    meta = {"user_id": user.pk, "sha256": sha256, "filename": filename, "stored_at": time.time()}
    for suffix, payload in ((".xlsx", data), (".json", json.dumps(meta, ensure_ascii=False).encode())):
        fd = os.open(base / f"{token}{suffix}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    return token


def _kept(user, token: str) -> tuple[Path, dict]:
    if not isinstance(token, str) or not _TOKEN_RE.match(token):
        raise Http404
    base = _imports_dir()
    try:
        meta = json.loads((base / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404 from None
    if meta.get("user_id") != user.pk or time.time() - meta.get("stored_at", 0) > PREVIEW_MAX_AGE.total_seconds():
        raise Http404
    return base / f"{token}.xlsx", meta


def load_preview(*, user, token: str) -> ImportPreview:
    """Re-parse a kept upload for the confirm request. Another user's token answers 404."""
    access.require(user, "case.import")
    path, meta = _kept(user, token)
    try:
        data = path.read_bytes()
    except OSError:
        raise Http404 from None
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise Http404
    result = _preview_bytes(user, data, meta["filename"], meta["sha256"])
    result.token = token
    return result


def discard_preview(*, user, token: str) -> None:
    """Delete a kept upload (after commit, or when the user cancels)."""
    try:
        _kept(user, token)
    except Http404:
        return
    for suffix in (".xlsx", ".json"):
        (_imports_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def purge_stale_previews(*, older_than: dt.timedelta = PREVIEW_MAX_AGE, now: float | None = None) -> int:
    """Delete kept uploads older than `older_than` (default one day); returns the number of files removed."""
    cutoff = (now if now is not None else time.time()) - older_than.total_seconds()
    removed = 0
    for path in _iter_kept_files():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _iter_kept_files() -> Iterable[Path]:
    base = Path(settings.MEDIA_ROOT) / "imports"
    if not base.is_dir():
        return []
    return [p for p in base.iterdir() if p.suffix in (".xlsx", ".json") and p.is_file()]
