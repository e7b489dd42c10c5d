"""Excel export of any list a person can see: `xlsx_response(filename, headers, rows)`.

Callers pass rows they already got from `visible_to(...)` with the page's filters applied,
so an export holds exactly the rows the page lists (all pages, not only the current one).
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel (and LibreOffice) evaluate a text cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def attachment_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the real (Chinese) name as RFC 5987 UTF-8."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""

    def ascii_only(text: str) -> str:
        return "".join(ch for ch in text if 32 <= ord(ch) < 127 and ch not in '"\\;').strip(" .")

    ascii_name = (ascii_only(stem) or "download") + (f".{ascii_only(ext)}" if ascii_only(ext) else "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _cell(ws, value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(ws, value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if value is not None and not isinstance(value, (int, float, str, bool)):
        value = str(value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"  # text stays text: no formula injection
    return cell


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(str(header)) * 2 + 6))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, str(header))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell(ws, value) for value in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1"
) -> HttpResponse:
    """An .xlsx download; `filename` may be Chinese and should end with .xlsx."""
    response = HttpResponse(xlsx_bytes(headers, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
