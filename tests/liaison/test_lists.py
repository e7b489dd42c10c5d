"""The list toolkit (liaison.lists, liaison.excel): one declaration per list; every workbook written the same way."""

import datetime as dt
import io
import zipfile

import pytest
from django.apps import apps
from django.utils import timezone, translation
from openpyxl import load_workbook

from liaison import lists
from liaison.excel import FORMULA_START, display_width, xlsx_bytes
from liaison.forms import LedgerFilter

from ._view_helpers import client_for, entry


@pytest.fixture(autouse=True)
def chinese():
    """The words are checked in Chinese whatever language an earlier test in this worker left active."""
    with translation.override("zh-hans"):
        yield


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


# ----------------------------------------------------------------------------- the workbook


def test_text_that_looks_like_a_formula_stays_text():
    """The guarantee against formula injection: a value starting with = + - @ (or tab, CR) is a string cell."""
    payloads = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x","点我")']
    assert {p[0] for p in payloads} == set(FORMULA_START)
    content = xlsx_bytes(["内容"], [[p] for p in payloads])
    ws = workbook(content).active
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    # XML reads a bare CR back as a line feed; the text is otherwise exactly what was written.
    assert [c.value for c in cells] == [p.replace("\r", "\n") for p in payloads]
    assert all(c.data_type == "s" for c in cells)
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_header_is_frozen_filtered_and_columns_fit_chinese_text():
    rows = [["柳州市城市管理行政执法局", dt.date(2026, 3, 5), 3, "abc"], ["短", dt.date(2026, 3, 6), 12, "x" * 200]]
    ws = workbook(xlsx_bytes(["责任单位", "截止日期", "件数", "备注"], rows)).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws.print_title_rows == "$1:$1"
    # 12 Chinese characters are 24 units wide: the column holds them.
    assert ws.column_dimensions["A"].width >= display_width("柳州市城市管理行政执法局") == 24
    assert ws.column_dimensions["B"].width >= 10
    assert ws.column_dimensions["D"].width == 60  # capped
    assert ws["A1"].font.b


def test_dates_are_dates_numbers_are_numbers_text_is_text():
    now = timezone.now()
    ws = workbook(xlsx_bytes(["a", "b", "c", "d", "e", "f"], [[dt.date(2026, 3, 5), now, 7, 2.5, "0012", True]])).active
    a, b, c, d, e, f = (cell for cell in ws[2])
    assert a.is_date and a.number_format == "yyyy-mm-dd" and a.value == dt.datetime(2026, 3, 5)
    assert b.is_date and b.number_format == "yyyy-mm-dd hh:mm"
    assert b.value.replace(second=0, microsecond=0) == timezone.localtime(now).replace(
        tzinfo=None, second=0, microsecond=0
    )
    assert (c.data_type, c.value) == ("n", 7) and (d.data_type, d.value) == ("n", 2.5)
    assert (e.data_type, e.value) == ("s", "0012")  # a number-looking text keeps its leading zeros
    assert f.value == "是"


def test_characters_xml_cannot_hold_are_dropped_not_a_500():
    ws = workbook(xlsx_bytes(["a"], [["退回\x01原因\x0b"]])).active
    assert ws["A2"].value == "退回原因"


def test_about_goes_to_the_print_header_and_a_second_sheet():
    about = [("列表", "工作台账"), ("状态", "已逾期"), ("关键词", "R&D")]
    wb = workbook(xlsx_bytes(["a"], [[1], [2]], sheet_title="工作台账", about=about))
    assert wb.sheetnames == ["工作台账", "筛选条件"]
    assert "状态：已逾期" in wb["工作台账"].oddHeader.center.text
    assert "R&&D" in wb["工作台账"].oddHeader.center.text  # "&" is a code in print headers
    info = {row[0]: row[1] for row in wb["筛选条件"].iter_rows(values_only=True)}
    assert info["状态"] == "已逾期" and info["关键词"] == "R&D" and info["条数"] == 2


# ----------------------------------------------------------------------------- declarations


def _all_specs():
    apps.get_app_configs()  # every installed app's listings are imported with its views
    import liaison.urls  # noqa: F401

    return list(lists.REGISTRY)


def test_every_list_sorts_only_by_declared_keys():
    from liaison.listings import LEDGER
    from liaison.models import LedgerEntry

    qs, sort = LEDGER.order(LedgerEntry.objects.all(), "password")
    assert sort == "urgent"  # the default (overdue first), not the unknown key
    qs, sort = LEDGER.order(LedgerEntry.objects.all(), "-owner")
    assert sort == "-owner" and str(qs.query).count("ORDER BY") == 1


def test_every_lists_default_order_is_served_by_an_index():
    specs = [s for s in _all_specs() if s.model is not None]
    assert len(specs) >= 4
    missing = [str(s.title) for s in specs if lists.index_for(s) is None]
    assert missing == []


def test_every_declared_column_order_names_real_columns():
    with pytest.raises(ValueError):
        lists.ListSpec(title="x", columns=[lists.Column("a", "A")], on_page=("b",))


def test_describe_filters_names_choices_and_institutions(office, gov_legal):
    entry(gov_legal.institution, title="政府丙")  # the owner choices are institutions with entries
    form = LedgerFilter({"status": "overdue", "owner": str(gov_legal.institution.uuid), "q": "乙"}, user=office)
    described = dict(lists.describe_filters(form))
    assert described["状态"] == dict(form.fields["status"].choices)["overdue"]
    assert described[str(form.fields["owner"].label)] == form.fields["owner"].label_from_instance(gov_legal.institution)
    assert described["关键词"] == "乙"


# ----------------------------------------------------------------------------- a page and its export


def test_ledger_export_states_its_filter_and_the_page_prints_it(agency_staff):
    entry(agency_staff.institution, title="逾期甲", due_in=-5, start_ago=40)
    client = client_for(agency_staff)
    body = client.get("/ledger/?status=overdue&q=甲").content.decode()
    assert "filter-summary" in body and "关键词：甲" in body
    wb = workbook(client.get("/ledger/export/?status=overdue&q=甲").content)
    info = {row[0]: row[1] for row in wb["筛选条件"].iter_rows(values_only=True)}
    assert info["关键词"] == "甲" and info["条数"] == 1 and info["列表"] == "工作台账"
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws["C2"].is_date and ws["D2"].is_date  # 起算日, 截止日期
