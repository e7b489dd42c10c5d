"""Issue 11, item 1: hostile case lists are refused with a clear message, bounded by rows read
(blank or not), by the sheet's own dimension and by the zip directory's unpacked size.

The time and memory each takes are printed by tests/reliability/test_attacks.py (marker `slow`);
here the refusal itself, and that it comes from the bound (not from reading the whole sheet):
the raw scan of the sheet XML first, then the rows-read bound behind it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cases import importer

from ..liaison._view_helpers import client_for
from . import bombs

TOO_MANY = "工作表超过 21000 行（含空行）"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def refusal(user, data) -> str:
    with pytest.raises(ValidationError) as exc:
        importer.preview(user=user, file=data, keep=True)
    [message] = exc.value.message_dict["file"]
    assert list(importer.kept.kept_files()) == []  # nothing kept
    return message


@pytest.mark.parametrize("index", [10_000_000, 1_000_000_000])
def test_a_row_numbered_far_down_is_refused_before_parsing(court_clerk, index, monkeypatch):
    rows_read = count_rows_read(monkeypatch)
    assert TOO_MANY in refusal(court_clerk, bombs.row_far_down(index))
    assert rows_read() == 0  # the raw XML said so: no parser ran


def test_millions_of_empty_rows_are_refused_before_parsing(court_clerk, monkeypatch):
    rows_read = count_rows_read(monkeypatch)
    assert TOO_MANY in refusal(court_clerk, bombs.empty_rows(4_000_000))
    assert rows_read() == 0


def test_millions_of_elements_in_few_rows_are_refused_before_parsing(court_clerk, monkeypatch):
    rows_read = count_rows_read(monkeypatch)
    assert TOO_MANY in refusal(court_clerk, bombs.many_cells(3_000_000))
    assert rows_read() == 0


@pytest.mark.parametrize("make", [lambda: bombs.row_far_down(1_000_000_000), lambda: bombs.empty_rows(100_000)])
def test_rows_read_are_bounded_even_past_the_raw_scan(court_clerk, make, monkeypatch):
    # The second line: should a file slip past the raw scan, the reader still stops after
    # MAX_LINES rows, blank or filled in, instead of reading on.
    from cases.importer import reading

    monkeypatch.setattr(reading, "_scan_sheet", lambda archive, info: None)
    rows_read = count_rows_read(monkeypatch)
    assert TOO_MANY in refusal(court_clerk, make())
    assert importer.layout.MAX_LINES <= rows_read() <= importer.layout.MAX_LINES + 1


def test_more_than_the_unpacked_limit_is_refused_from_the_zip_directory(court_clerk, monkeypatch):
    rows_read = count_rows_read(monkeypatch)
    message = refusal(court_clerk, bombs.empty_rows(8_000_000))
    assert message.startswith("文件解压后有 46 MB，超过案件清单的上限 40 MB")
    assert rows_read() == 0


def test_an_inflating_member_is_refused_saying_what_is_wrong(court_clerk):
    message = refusal(court_clerk, bombs.inflating(48))
    assert message.startswith("文件解压后有 48 MB，超过案件清单的上限 40 MB")
    assert "文件过大" not in message


def test_a_sheet_that_says_it_is_a_million_rows_long_is_refused_before_reading(court_clerk, monkeypatch):
    rows_read = count_rows_read(monkeypatch)
    assert TOO_MANY in refusal(court_clerk, bombs.lying_dimension())
    assert rows_read() == 0


def test_reading_stops_at_the_time_limit(court_clerk, monkeypatch):
    monkeypatch.setattr(importer.layout, "PARSE_SECONDS", -1)
    message = refusal(court_clerk, bombs.empty_rows(2_000))
    assert message.startswith("文件读取超时")


def test_a_full_list_with_blank_rows_between_still_imports(court_clerk):
    wb = Workbook()
    ws = wb.active
    ws.title = "案件清单"
    ws.append(bombs.HEADERS)
    for n in range(1, 4):
        ws.append([f"（2025）桂02行初{n}号", "行政处罚", "张某", "柳州市城市管理行政执法局", "2025-03-05"])
        ws.append([])
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = importer.preview(user=court_clerk, file=buffer.getvalue())
    assert preview.counts["create"] == 3


def test_the_page_and_the_api_answer_a_bomb_with_the_message(court_clerk, api):
    data = bombs.row_far_down(1_000_000_000)
    page = client_for(court_clerk).post("/cases/import/", {"file": SimpleUploadedFile("案件清单.xlsx", data)})
    assert page.status_code == 200 and TOO_MANY in page.content.decode()
    response = api(court_clerk).post(
        "/api/v1/cases/import/", {"file": SimpleUploadedFile("案件清单.xlsx", data)}, format="multipart"
    )
    assert response.status_code == 400
    assert TOO_MANY in response.json()["file"][0]


def test_a_user_keeps_at_most_a_few_previews(court_clerk):
    wb = Workbook()
    ws = wb.active
    ws.title = "案件清单"
    ws.append(bombs.HEADERS)
    ws.append(["（2025）桂02行初1号", "行政处罚", "张某", "柳州市城市管理行政执法局", "2025-03-05"])
    buffer = io.BytesIO()
    wb.save(buffer)
    tokens = [importer.preview(user=court_clerk, file=buffer.getvalue(), keep=True).token for _ in range(8)]
    kept = {p.stem for p in importer.kept.kept_files()}
    assert kept == set(tokens[-importer.layout.MAX_KEPT_PER_USER :])
    importer.load_preview(user=court_clerk, token=tokens[-1])  # the newest still opens


def count_rows_read(monkeypatch):
    """Counts the rows openpyxl hands to the reader (blank ones included)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet._cells_by_row
    seen = {"n": 0}

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen["n"] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return lambda: seen["n"]
