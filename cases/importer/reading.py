"""Reading an uploaded case list: file checks, the header row, and every row checked on its own."""

import datetime as dt
import hashlib
import io
import os
import re
import time
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Institution
from liaison.services import sanitize_filename

from ..models import CASE_NUMBER_RE, normalise_case_number
from . import kept, layout
from .existing import match_existing
from .layout import (
    BY_HEADER,
    BY_KEY,
    COLUMNS,
    DATE_PATTERNS,
    INSTANCE_BY_TYPE,
    LIST_SPLIT,
    MAX_PLAINTIFFS_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_UNPACKED_BYTES,
    NAME_SPLIT,
    SHEET_TITLE,
    YES,
    ImportPreview,
    ImportRow,
    References,
    name_key,
)


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
        result.token = kept.store(user, data, name, sha256)
    return result


def _preview_bytes(user, data: bytes, name: str, sha256: str) -> ImportPreview:
    headers, raw_rows = _read_sheet(data)
    refs = References(user)
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
        user_id=user.pk, court=user.institution, filename=name, sha256=sha256, headers=headers, rows=rows, refs=refs
    )
    match_existing(result)
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
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    # The directory's sizes bound what reading inflates (zipfile stops at the declared size),
    # so a bomb is refused here, before any XML is parsed.
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES or len(infos) > 1000:
        raise _file_error(
            _(
                "文件解压后有 %(u)s MB，超过案件清单的上限 %(m)d MB：其中可能有大量空行或多余内容。"
                "请只保留案件清单工作表，删除多余的空行后另存为新的 .xlsx 再上传。"
            )
            % {"u": f"{unpacked / 1048576:,.0f}", "m": MAX_UNPACKED_BYTES // 1048576}
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _scan_sheet(archive, info)
    return data


# A row element (any namespace prefix) and its r="…" attribute, in the raw sheet XML. The name is
# found first (fast even in millions of other elements), then checked to open a tag.
_ROW_NAME = re.compile(rb"row(?=[\s/>])")
_TAG_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,62}:)?\Z")
_ROW_INDEX = re.compile(rb"\br\s*=\s*[\"'](\d+)")
# Elements a sheet row may hold: 13 columns of inline strings are ~80; Excel's shared strings fewer.
ELEMENTS_PER_LINE = 100


def _scan_sheet(archive, info) -> None:
    """Count a worksheet's rows, their highest r="…" and its elements in the raw XML, 1 MiB at a
    time, before any XML parser sees it: openpyxl's read-only mode parses a whole sheet without a
    `<dimension>` just to size it, and fills in every row below a row numbered far down."""
    rows = elements = 0
    tail = b""
    with archive.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            buf = tail + chunk
            end = len(buf) if not chunk else max(0, len(buf) - 600)
            elements += buf.count(b"<", 0, end)
            if elements > layout.MAX_LINES * ELEMENTS_PER_LINE:
                raise _too_many_lines()
            for match in _ROW_NAME.finditer(buf):
                start = match.start()
                if start >= end:
                    break
                if not _TAG_OPEN.search(buf, max(0, start - 64), start):
                    continue
                rows += 1
                index = _ROW_INDEX.search(buf[match.end() : match.end() + 512].split(b">", 1)[0])
                if rows > layout.MAX_LINES or (index and int(index.group(1)) > layout.MAX_LINES):
                    raise _too_many_lines()
            if not chunk:
                return
            tail = buf[end:]


def _too_many_lines() -> ValidationError:
    return _file_error(
        _("工作表超过 %(n)d 行（含空行），请删除多余的空行，或分成多个文件导入（每个文件最多 %(m)d 行案件）。")
        % {"n": layout.MAX_LINES, "m": layout.MAX_ROWS}
    )


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
        # A sheet that says it is longer than any list is refused before its rows are read.
        if (ws.max_row or 0) > layout.MAX_LINES:
            raise _too_many_lines()
        deadline = time.monotonic() + layout.PARSE_SECONDS
        rows: list[tuple[int, dict[str, Any]]] = []
        header_at: dict[int, str] | None = None
        header_line = 0
        for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
            # Every row read counts, blank or not, including those filled in before a row far down.
            if line > layout.MAX_LINES:
                raise _too_many_lines()
            if line % 500 == 0 and time.monotonic() > deadline:
                raise _file_error(
                    _("文件读取超时（超过 %(s)d 秒），请分成多个较小的文件导入。") % {"s": layout.PARSE_SECONDS}
                )
            if header_at is None:
                # The header row is the first row naming 案号 (a title row above it is allowed).
                texts = [_header_text(v) for v in values]
                if BY_KEY["number"].header in texts:
                    header_at, header_line = _header_map(texts), line
                elif line >= 10:
                    break
                continue
            record = {key: values[i] for i, key in header_at.items() if i < len(values)}
            # Blank in every known column (a pre-numbered 序号 column alone is not a case).
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
                continue
            if len(rows) >= layout.MAX_ROWS:
                raise _file_error(_("文件超过 %(n)d 行案件数据，请分成多个文件导入。") % {"n": layout.MAX_ROWS})
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
    headers = [BY_KEY[key].header for _, key in sorted(header_at.items())]
    return headers, rows


def _header_text(value) -> str:
    # Tolerate stray spaces and a required-column marker such as 案号*.
    return re.sub(r"\s+", "", cell_text(value)).rstrip("*＊")


def _header_map(texts: list[str]) -> dict[int, str]:
    """Column index → column key for the known headers; unknown columns are ignored."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for index, text in enumerate(texts):
        column = BY_HEADER.get(text)
        if column is None:
            continue
        if column.key in seen:
            raise _file_error(_("列“%(col)s”出现了两次。") % {"col": column.header})
        seen.add(column.key)
        out[index] = column.key
    return out


def cell_text(value) -> str:
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


def _clean_row(line: int, raw: dict[str, Any], headers: list[str], refs: References, today: dt.date) -> ImportRow:
    row = ImportRow(line=line, cells={BY_KEY[k].header: cell_text(v) for k, v in raw.items()})
    present = {BY_HEADER[h].key for h in headers}
    errors, values = row.field_errors, row.values

    def text(key: str) -> str:
        return cell_text(raw.get(key))

    def require(key: str) -> str:
        value = text(key)
        if not value:
            errors.append(_("%(col)s不能为空") % {"col": BY_KEY[key].header})
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
        if type_code in INSTANCE_BY_TYPE:
            values["instance"] = INSTANCE_BY_TYPE[type_code]
        else:
            errors.append(_("审级不能为空（无法从案号推断）"))

    cause = require("cause")
    if cause:
        if cause in refs.causes:
            values["cause_id"] = refs.causes[cause]
        else:
            errors.append(_("未找到案由“%(value)s”") % {"value": cause})

    plaintiffs = "\n".join(p.strip() for p in LIST_SPLIT.split(text("plaintiffs")) if p.strip())
    if not plaintiffs:
        errors.append(_("%(col)s不能为空") % {"col": "原告"})
    elif len(plaintiffs) > MAX_PLAINTIFFS_CHARS:
        errors.append(_("%(col)s不能超过 %(n)d 个字符") % {"col": "原告", "n": MAX_PLAINTIFFS_CHARS})
    else:
        values["plaintiffs"] = plaintiffs

    names = [n.strip() for n in NAME_SPLIT.split(text("defendants")) if n.strip()]
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
            if value and value not in YES:
                errors.append(_("%(col)s只能填“是”“否”或留空") % {"col": BY_KEY[key].header})
            values[key] = YES.get(value)
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


def _resolve_defendant(name: str, refs: References, errors: list[str]) -> int | None:
    key = name_key(name)
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
    header = BY_KEY[key].header
    text = cell_text(value)
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
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def load_preview(*, user, token: str) -> ImportPreview:
    """Re-parse a kept upload for the confirm request. Another user's or an expired token answers 404."""
    access.require(user, "case.import")
    data, meta = kept.read(user, token)
    result = _preview_bytes(user, data, meta["filename"], meta["sha256"])
    result.token = token
    return result
