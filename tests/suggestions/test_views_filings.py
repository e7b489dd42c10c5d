"""备案登记: the procuratorate files with the office; the register, its export and its limits."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from suggestions import services
from suggestions.models import Filing

from ._view_helpers import client_for

URL = "/suggestions/filings/"


@pytest.fixture
def proc_suggestion(make_suggestion, proc_staff, proc_head):
    return make_suggestion(proc_staff, proc_head, title="关于督促履行环境保护职责的检察建议")


def bulk_filings(proc_user, n, *, prefix="监督案件"):
    for i in range(n):
        services.filing_create(by=proc_user, kind="supervision_case", title=f"{prefix}{i}", summary="基本情况")


def test_procurator_files_a_suggestion_with_the_office(proc_staff, office, proc_suggestion):
    client = client_for(proc_staff)
    form = client.get(URL + "new/", {"suggestion": str(proc_suggestion.uuid)}).context["form"]
    assert form.initial["suggestion"] == proc_suggestion and form.initial["kind"] == "suggestion"
    response = client.post(
        URL + "new/",
        {"kind": "suggestion", "suggestion": str(proc_suggestion.uuid), "title": "检察建议备案", "summary": "概况"},
    )
    assert response.status_code == 302
    filing = Filing.objects.get()
    assert filing.office == office.institution and filing.suggestion == proc_suggestion
    body = client_for(office).get(URL).content.decode()
    assert "检察建议备案" in body and proc_suggestion.letter.doc_number in body


def test_filing_a_suggestion_without_choosing_it_is_refused(proc_staff):
    response = client_for(proc_staff).post(
        URL + "new/", {"kind": "suggestion", "title": "保留的标题", "summary": "概况"}
    )
    assert response.status_code == 200
    assert "请选择本院发出的检察建议。" in response.content.decode() and "保留的标题" in response.content.decode()
    assert not Filing.objects.exists()


def test_future_filing_date_and_empty_fields_are_refused(proc_staff):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client = client_for(proc_staff)
    response = client.post(
        URL + "new/", {"kind": "supervision_case", "title": "t", "summary": "s", "filed_on": tomorrow}
    )
    assert response.context["form"].errors["filed_on"] == ["备案日期不能晚于今天。"]
    response = client.post(URL + "new/", {"kind": "supervision_case", "title": "", "summary": ""})
    assert "请填写标题。" in response.content.decode() and "请写明基本情况。" in response.content.decode()
    assert not Filing.objects.exists()


def test_another_institutions_suggestion_cannot_be_filed(proc_staff, make_suggestion, court_clerk, court_head):
    judicial = make_suggestion(court_clerk, court_head, touches_procuratorial=True)  # visible to the procuratorate
    response = client_for(proc_staff).post(
        URL + "new/", {"kind": "suggestion", "suggestion": str(judicial.uuid), "title": "t", "summary": "s"}
    )
    assert response.status_code == 200 and response.context["form"].errors["suggestion"]
    assert not Filing.objects.exists()


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "office", "auditor", "proc_head"])
def test_only_acting_procurators_file(world, persona):
    client = client_for(world[persona])
    expected = 200 if persona == "proc_head" else 403
    assert client.get(URL + "new/").status_code == expected
    if expected == 403:
        assert client.post(URL + "new/", {"kind": "supervision_case", "title": "t", "summary": "s"}).status_code == 403
    assert not Filing.objects.exists()


def test_register_is_seen_by_the_procuratorate_and_the_office_only(proc_staff, office, agency_staff, court_clerk):
    bulk_filings(proc_staff, 2)
    assert len(client_for(proc_staff).get(URL).context["page"].object_list) == 2
    assert len(client_for(office).get(URL).context["page"].object_list) == 2
    for user in (agency_staff, court_clerk):
        response = client_for(user).get(URL)
        assert response.status_code == 200 and len(response.context["page"].object_list) == 0
        assert "还没有备案" in response.content.decode()


def test_register_filters_and_bad_values(proc_staff, proc_suggestion):
    bulk_filings(proc_staff, 2)
    services.filing_create(by=proc_staff, kind="suggestion", title="建议备案", summary="s", suggestion=proc_suggestion)
    client = client_for(proc_staff)
    assert [f.title for f in client.get(URL, {"kind": "suggestion"}).context["page"].object_list] == ["建议备案"]
    assert [f.title for f in client.get(URL, {"q": proc_suggestion.letter.doc_number}).context["page"].object_list] == [
        "建议备案"
    ]
    response = client.get(URL, {"filed_from": "2026-99-01", "kind": "x", "sort": "evil"})
    assert response.status_code == 200 and "已忽略此条件" in response.content.decode()


def test_create_refuses_posts_without_csrf_token(proc_staff):
    client = client_for(proc_staff, enforce_csrf_checks=True)
    assert client.post(URL + "new/", {"kind": "supervision_case", "title": "t", "summary": "s"}).status_code == 403
    assert not Filing.objects.exists()


@pytest.mark.parametrize("rows", [10, 200])
def test_register_query_count_is_constant(proc_staff, office, rows, django_assert_max_num_queries):
    bulk_filings(proc_staff, rows)
    client = client_for(office)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"sort": "procuratorate"})
    assert response.status_code == 200


def test_export_holds_exactly_the_filtered_rows(proc_staff, office, proc_suggestion):
    bulk_filings(proc_staff, 55, prefix="监督案件")
    services.filing_create(by=proc_staff, kind="suggestion", title="建议备案", summary="s", suggestion=proc_suggestion)
    response = client_for(office).get(URL + "export/", {"kind": "supervision_case"})
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[:3] == ("备案日期", "备案类别", "标题")
    assert len(rows) == 55 and all(r[2].startswith("监督案件") for r in rows)
    ws = load_workbook(io.BytesIO(client_for(office).get(URL + "export/", {"kind": "suggestion"}).content)).active
    assert [r[3] for r in ws.iter_rows(min_row=2, values_only=True)] == [proc_suggestion.letter.doc_number]


def test_export_never_contains_other_registers(proc_staff, agency_staff):
    bulk_filings(proc_staff, 3)
    ws = load_workbook(io.BytesIO(client_for(agency_staff).get(URL + "export/").content)).active
    assert list(ws.iter_rows(min_row=2, values_only=True)) == []
