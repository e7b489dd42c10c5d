"""Excel export of any list a person can see: `xlsx_response(filename, headers, rows)`.

Callers pass rows they already got from `visible_to(...)` with the page's filters applied,
so an export holds exactly the rows the page lists (all pages, not only the current one).
List pages declare their columns once in a `liaison.lists.ListSpec`, which calls this module;
a table that is not a list (the indicators report) calls `xlsx_response` directly.

Every workbook is written the same way:
- the header row is bold, frozen, repeated on every printed page and carries an auto-filter;
- column widths fit their contents as Excel measures them (a Chinese character is two units),
  from the header and the first `WIDTH_SAMPLE` rows, between `MIN_WIDTH` and `MAX_WIDTH`;
- dates and times are real Excel dates with a date format, numbers are numbers;
- every other value is written as text, so a value starting with `= + - @` (or a tab or CR)
  never becomes a formula, and characters XML cannot hold are dropped instead of failing;
- `about` (the list's name, its active filters, who exported it and when) goes into the print
  header of the sheet and onto a second sheet "筛选条件", so a printed or forwarded list says
  what it is a selection of.
"""

import datetime as dt
import decimal
import io
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import islice
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel (and LibreOffice) evaluate a typed-in value starting with one of these as a formula; a cell
# written as a string ("s"/inlineStr) never is, whatever it starts with.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 500  # rows read ahead to size the columns (the rest streams through)
ABOUT_SHEET_TITLE = "筛选条件"


def attachment_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the real (Chinese) name as RFC 5987 UTF-8."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""

    def ascii_only(text: str) -> str:
        return "".join(ch for ch in text if 32 <= ord(ch) < 127 and ch not in '"\\;').strip(" .")

    ascii_name = (ascii_only(stem) or "download") + (f".{ascii_only(ext)}" if ascii_only(ext) else "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def display_width(text: str) -> int:
    """Width in Excel's units: a wide (Chinese, full-width) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _plain(value):
    """The value as the cell will hold it: local naive datetimes, numbers, or text."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (dt.date, int, float, decimal.Decimal)) and not isinstance(value, bool):
        return value
    if value is None or value == "":
        return None  # an empty cell, not an empty string
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _shown_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, str):
        return max((display_width(line) for line in value.splitlines()), default=0)
    return len(str(value))


def _cell(ws, value, number_format: str | None = None):
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, dt.datetime):
        cell.number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = number_format or DATE_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # text stays text: never a formula
    elif value is not None and number_format:
        cell.number_format = number_format
    return cell


def _header_text(text: str) -> str:
    # The print header is a format string: "&" starts a code, so it is doubled; Excel caps it at 255.
    return text.replace("&", "&&")[:250]


def xlsx_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Sheet1",
    widths: Sequence[int | None] | None = None,
    formats: Sequence[str | None] | None = None,
    about: Sequence[tuple[str, str]] | None = None,
) -> bytes:
    """The workbook. `widths`/`formats` (per column, None = from the contents) come from a list's
    declaration; `about` is [(label, text)]: the list's name first, then its filters."""
    headers = [str(h) for h in headers]
    n = len(headers)
    widths = list(widths or [None] * n)
    formats = list(formats or [None] * n)
    rows = iter(rows)
    head = [[_plain(v) for v in row] for row in islice(rows, WIDTH_SAMPLE)]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", str(sheet_title))[:31] or "Sheet1")
    for index, header in enumerate(headers):
        width = widths[index]
        if width is None:
            seen = max((_shown_width(row[index]) for row in head if index < len(row)), default=0)
            width = max(display_width(header) + 3, seen + 1)  # +3: the auto-filter's arrow
        ws.column_dimensions[get_column_letter(index + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    if about:
        ws.oddHeader.center.text = _header_text("；".join(f"{k}：{v}" if k else v for k, v in about))
    ws.oddFooter.center.text = "&P / &N"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = _cell(ws, header)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in head:
        ws.append([_cell(ws, v, formats[i] if i < n else None) for i, v in enumerate(row)])
        count += 1
    for row in rows:
        ws.append([_cell(ws, _plain(v), formats[i] if i < n else None) for i, v in enumerate(row)])
        count += 1
    if n:
        ws.auto_filter.ref = f"A1:{get_column_letter(n)}{count + 1}"

    if about:
        sheet = wb.create_sheet(title=ABOUT_SHEET_TITLE)
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = MAX_WIDTH
        wrap = Alignment(wrap_text=True, vertical="top")
        for label, text in [*about, (_("条数"), count)]:
            key = _cell(sheet, _plain(label))
            key.font = bold
            value = _cell(sheet, _plain(text))
            value.alignment = wrap
            sheet.append([key, value])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], **options) -> HttpResponse:
    """An .xlsx download; `filename` may be Chinese and should end with .xlsx. `options` as `xlsx_bytes`."""
    response = HttpResponse(xlsx_bytes(headers, rows, **options), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
