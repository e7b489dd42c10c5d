"""Hostile case lists (issue 11, item 1), written by hand as the attacker would: a header row
and then a row numbered far down, millions of empty rows, or a member that inflates hugely.

Each is a valid zip with the parts openpyxl needs; none is built in memory at full size."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="案件清单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
HEADERS = ["案号", "案由", "原告", "被告", "立案日期"]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    return '<row r="1">' + "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADERS)) + "</row>"


def _workbook(write_sheet, dimension: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = SHEET_HEAD
            if dimension:
                head = head.replace("<sheetData>", f'<dimension ref="{dimension}"/><sheetData>')
            sheet.write(head.encode())
            write_sheet(sheet)
            sheet.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def row_far_down(index: int = 10_000_000) -> bytes:
    """A header row and one row numbered `index` (openpyxl fills in every row before it)."""

    def write(sheet):
        sheet.write((header_row() + f'<row r="{index}">{_cell(f"A{index}", "（2026）桂02行初1号")}</row>').encode())

    return _workbook(write)


def empty_rows(count: int = 4_000_000) -> bytes:
    """A header row and `count` empty `<row/>` elements (about 37 KB for four million)."""

    def write(sheet):
        sheet.write(header_row().encode())
        chunk = b"<row/>" * 100_000
        for _ in range(count // 100_000):
            sheet.write(chunk)
        sheet.write(b"<row/>" * (count % 100_000))

    return _workbook(write)


def lying_dimension(rows: int = 1_048_576) -> bytes:
    """A sheet that says it is `rows` long."""

    def write(sheet):
        sheet.write(header_row().encode())

    return _workbook(write, dimension=f"A1:E{rows}")


def inflating(unpacked_mb: int = 540) -> bytes:
    """A sheet padded with `unpacked_mb` MB of spaces inside a cell (a 526 KB file for 540 MB)."""

    def write(sheet):
        sheet.write((header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode())
        block = b" " * (1024 * 1024)
        for _ in range(unpacked_mb):
            sheet.write(block)
        sheet.write(b"</t></is></c></row>")

    return _workbook(write)


def many_cells(count: int = 3_000_000) -> bytes:
    """A header row and one row of `count` empty cells: few rows, millions of elements."""

    def write(sheet):
        sheet.write((header_row() + '<row r="2">').encode())
        chunk = b"<c/>" * 100_000
        for _ in range(count // 100_000):
            sheet.write(chunk)
        sheet.write(b"</row>")

    return _workbook(write)


ALL = {
    "row r=10,000,000": lambda: row_far_down(10_000_000),
    "row r=1,000,000,000": lambda: row_far_down(1_000_000_000),
    "4,000,000 empty rows": lambda: empty_rows(4_000_000),
    "dimension A1:E1048576": lambda: lying_dimension(),
    "3,000,000 cells in one row": lambda: many_cells(3_000_000),
    "540 MB inflating cell": lambda: inflating(540),
}
