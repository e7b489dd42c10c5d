"""工作台账 and 专项检查 pages."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison import services
from liaison.models import Inspection, LedgerEntry

from ._view_helpers import audit_count, bulk_entries, client_for, entry


def rows_of(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    return header, rows


# ----------------------------------------------------------------------------- list


def test_ledger_lists_own_entries_with_deadline_words(agency_staff):
    entry(agency_staff.institution, title="逾期的事项", due_in=-2, start_ago=40)
    entry(agency_staff.institution, title="快到期的事项", due_in=3)
    entry(agency_staff.institution, title="还早的事项", due_in=40)
    body = client_for(agency_staff).get("/ledger/").content.decode()
    assert "已逾期 2 天" in body
    assert "个工作日" in body and "text-bg-warning" in body
    assert "还早的事项" in body and "办理中" in body


def test_ledger_hides_other_institutions_entries(agency_staff, outsider_agency):
    entry(outsider_agency.institution, title="生态环境局的事项")
    body = client_for(agency_staff).get("/ledger/").content.decode()
    assert "生态环境局的事项" not in body


def test_superior_government_and_office_see_agency_entries(agency_staff, gov_legal, office):
    entry(agency_staff.institution, title="城管局的事项")
    assert "城管局的事项" in client_for(gov_legal).get("/ledger/").content.decode()
    assert "城管局的事项" in client_for(office).get("/ledger/").content.decode()


def test_ledger_filters(agency_staff, gov_legal, office):
    today = timezone.localdate()
    entry(agency_staff.institution, title="逾期甲", due_in=-5, start_ago=40)
    entry(agency_staff.institution, title="未到期乙", due_in=20)
    entry(gov_legal.institution, title="政府丙", due_in=20)
    client = client_for(office)
    body = client.get("/ledger/?status=overdue").content.decode()
    assert "逾期甲" in body and "未到期乙" not in body and "政府丙" not in body
    body = client.get(f"/ledger/?owner={gov_legal.institution.uuid}").content.decode()
    assert "政府丙" in body and "逾期甲" not in body
    body = client.get("/ledger/", {"due_from": (today + dt.timedelta(days=10)).isoformat()}).content.decode()
    assert "未到期乙" in body and "逾期甲" not in body
    body = client.get("/ledger/", {"q": "乙"}).content.decode()
    assert "未到期乙" in body and "逾期甲" not in body


def test_bad_filter_values_are_reported_not_a_500(agency_staff):
    response = client_for(agency_staff).get("/ledger/?due_from=2026-13-45&owner=nonsense&status=x&sort=evil&page=abc")
    assert response.status_code == 200
    assert "已忽略此条件" in response.content.decode()


def test_sorting_by_column(agency_staff):
    entry(agency_staff.institution, title="甲 later", due_in=30)
    entry(agency_staff.institution, title="乙 sooner", due_in=5)
    client = client_for(agency_staff)
    titles = [e.title for e in client.get("/ledger/?sort=due_date").context["page"].object_list]
    assert titles == ["乙 sooner", "甲 later"]
    titles = [e.title for e in client.get("/ledger/?sort=-due_date").context["page"].object_list]
    assert titles == ["甲 later", "乙 sooner"]


def test_pagination_and_empty_state(agency_staff, outsider_agency):
    bulk_entries(agency_staff.institution, 120)
    client = client_for(agency_staff)
    first = client.get("/ledger/")
    assert len(first.context["page"].object_list) == 50
    assert "第 1 / 3 页" in first.content.decode()
    assert len(client.get("/ledger/?page=3").context["page"].object_list) == 20
    assert "台账中还没有事项" in client_for(outsider_agency).get("/ledger/").content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_ledger_query_count_is_constant(office, agency_staff, rows, django_assert_max_num_queries):
    bulk_entries(agency_staff.institution, rows, due_date=timezone.localdate() + dt.timedelta(days=3))
    client = client_for(office)
    with django_assert_max_num_queries(13):  # 11 + the 跟踪 block's (liaison.tracking) + the 地区 filter's choices
        response = client.get("/ledger/?sort=owner")
    assert response.status_code == 200


def test_export_contains_exactly_the_filtered_rows(office, agency_staff, gov_legal):
    bulk_entries(agency_staff.institution, 70, prefix="城管事项")
    bulk_entries(gov_legal.institution, 5, prefix="政府事项")
    client = client_for(office)
    response = client.get(f"/ledger/export/?owner={agency_staff.institution.uuid}&sort=title")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    header, rows = rows_of(response)
    assert header[:2] == ("责任单位", "事项")
    assert len(rows) == 70  # every page, not only the first 50
    assert {r[0] for r in rows} == {agency_staff.institution.name}
    _, all_rows = rows_of(client.get("/ledger/export/"))
    assert len(all_rows) == 75


def test_export_never_contains_invisible_rows(agency_staff, outsider_agency):
    entry(outsider_agency.institution, title="不可见事项")
    entry(agency_staff.institution, title="可见事项")
    _, rows = rows_of(client_for(agency_staff).get("/ledger/export/"))
    assert [r[1] for r in rows] == ["可见事项"]


# ----------------------------------------------------------------------------- detail and actions


def test_detail_shows_due_explanation_and_is_404_for_outsiders(agency_staff, outsider_agency):
    e = services.ledger_open(
        owner=agency_staff.institution, title="答复司法建议", start_date=timezone.localdate(), period=2, unit="months"
    )
    response = client_for(agency_staff).get(f"/ledger/{e.uuid}/")
    assert response.status_code == 200
    assert e.due_explained in response.content.decode()
    assert client_for(outsider_agency).get(f"/ledger/{e.uuid}/").status_code == 404


def test_owner_completes_with_evidence(agency_staff):
    e = entry(agency_staff.institution)
    response = client_for(agency_staff).post(
        f"/ledger/{e.uuid}/complete/",
        {"evidence": "已复函，柳城管函〔2026〕3号", "done_on": timezone.localdate().isoformat(), "confirmed": "1"},
    )
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.DONE and e.evidence.startswith("已复函")


def test_complete_without_evidence_or_with_future_date_saves_nothing(agency_staff):
    e = entry(agency_staff.institution)
    client = client_for(agency_staff)
    response = client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "", "done_on": ""})
    assert response.status_code == 200 and "请修改以下问题后再提交" in response.content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "保留的说明", "done_on": tomorrow})
    assert response.status_code == 200
    body = response.content.decode()
    assert "办结日期不能晚于今天。" in body and "保留的说明" in body
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN and audit_count(e) == 0


def test_complete_twice_is_a_message(agency_staff):
    e = entry(agency_staff.institution)
    client = client_for(agency_staff)
    client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "完成", "confirmed": "1"})
    response = client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "再次", "confirmed": "1"}, follow=True)
    assert response.status_code == 200
    assert "“已办结”，不能执行此操作" in response.content.decode()
    e.refresh_from_db()
    assert e.evidence == "完成"


def test_complete_is_403_for_auditor_and_superior_404_for_outsider(agency_staff, auditor, gov_legal, outsider_agency):
    e = entry(agency_staff.institution)
    assert client_for(auditor).post(f"/ledger/{e.uuid}/complete/", {"evidence": "x"}).status_code == 403
    assert client_for(gov_legal).post(f"/ledger/{e.uuid}/complete/", {"evidence": "x"}).status_code == 403
    assert client_for(outsider_agency).post(f"/ledger/{e.uuid}/complete/", {"evidence": "x"}).status_code == 404
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN


def test_office_waives_owner_may_not(office, agency_staff):
    e = entry(agency_staff.institution)
    assert client_for(agency_staff).post(f"/ledger/{e.uuid}/waive/", {"reason": "x"}).status_code == 403
    response = client_for(office).post(f"/ledger/{e.uuid}/waive/", {"reason": ""})
    assert response.status_code == 200
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN
    client_for(office).post(f"/ledger/{e.uuid}/waive/", {"reason": "会议决定不再办理", "confirmed": "1"})
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.WAIVED


def test_a_manual_entry_is_closed_with_evidence_after_a_confirmation(agency_staff):
    e = entry(agency_staff.institution)
    client = client_for(agency_staff)
    detail = client.get(f"/ledger/{e.uuid}/").content.decode()
    assert f'href="/ledger/{e.uuid}/complete/" data-verb="ledger.complete"' in detail
    assert "手工登记" in detail
    assert client.get(f"/ledger/{e.uuid}/complete/").status_code == 200
    step = client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "已整改到位"})
    assert (
        step.status_code == 200 and "确认办结" in step.content.decode() and 'name="confirmed"' in step.content.decode()
    )
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN and audit_count(e) == 0
    client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "已整改到位", "confirmed": "1"})
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.DONE and audit_count(e) == 1


def test_a_sourced_entry_is_not_closed_on_the_ledger_page_nor_the_api(agency_staff, office, api):
    from liaison.models import Institution

    source = Institution.objects.exclude(pk=agency_staff.institution_id).first()  # any record but a letter
    e = services.ledger_open(
        owner=agency_staff.institution, title="来源事项", start_date=timezone.localdate(), period=10, source=source
    )
    client = client_for(agency_staff)
    detail = client.get(f"/ledger/{e.uuid}/").content.decode()
    assert 'data-verb="ledger.complete"' not in detail and "来源记录办结时台账自动办结" in detail
    response = client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "已口头回复", "confirmed": "1"}, follow=True)
    assert "来源记录办结时台账自动办结" in response.content.decode()
    refused = api(agency_staff).post(f"/api/v1/ledger/{e.uuid}/complete/", {"evidence": "已口头回复"}, format="json")
    assert refused.status_code == 409 and "来源记录办结时台账自动办结" in refused.json()["detail"]
    assert "complete" not in api(agency_staff).get(f"/api/v1/ledger/{e.uuid}/").json()["allowed_actions"]
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN and audit_count(e) == 1  # the opening only
    # Its source's transition closes it; the office may still waive one.
    assert (
        services.ledger_close_for_source(
            source=source, owner=agency_staff.institution, evidence="来源已办结", done_on=timezone.localdate()
        )
        == 1
    )
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.DONE
    other = services.ledger_open(
        owner=agency_staff.institution, title="来源事项二", start_date=timezone.localdate(), period=10, source=office
    )
    assert "waive" in api(office).get(f"/api/v1/ledger/{other.uuid}/").json()["allowed_actions"]


def test_office_extends_a_manual_entry_with_a_reason(agency_staff, office, api):
    e = entry(agency_staff.institution, due_in=-3, start_ago=30)
    e.status = LedgerEntry.Status.OVERDUE
    e.save(update_fields=["status"])
    old_due = e.due_date
    assert client_for(agency_staff).get(f"/ledger/{e.uuid}/extend/").status_code == 403
    response = client_for(office).post(f"/ledger/{e.uuid}/extend/", {"days": "30", "reason": ""})
    assert response.status_code == 200 and audit_count(e) == 0
    response = client_for(office).post(f"/ledger/{e.uuid}/extend/", {"days": "30", "reason": "经协调延期"})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.due_date >= old_due + dt.timedelta(days=30) and e.status == LedgerEntry.Status.OPEN
    assert audit_count(e) == 1
    bad = api(office).post(f"/api/v1/ledger/{e.uuid}/extend/", {"days": 0, "reason": "x"}, format="json")
    assert bad.status_code == 400 and "days" in bad.json()
    assert api(agency_staff).post(f"/api/v1/ledger/{e.uuid}/extend/", {}, format="json").status_code == 403


def test_ledger_forms_refuse_posts_without_csrf(agency_staff):
    e = entry(agency_staff.institution)
    client = client_for(agency_staff, enforce_csrf_checks=True)
    assert client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "x"}).status_code == 403
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN


# ----------------------------------------------------------------------------- inspections


def test_auditor_creates_an_inspection_that_freezes_the_visible_entries(auditor, agency_staff):
    entry(agency_staff.institution, title="检查前的事项")
    client = client_for(auditor)
    assert client.get("/inspections/new/").status_code == 200
    response = client.post("/inspections/new/", {"title": "第一季度专项检查", "findings": "发现两项逾期"})
    inspection = Inspection.objects.get(title="第一季度专项检查")
    assert response.status_code == 302 and response.url == f"/inspections/{inspection.uuid}/"
    entry(agency_staff.institution, title="检查后的事项")
    body = client.get(response.url).content.decode()
    assert "检查前的事项" in body and "检查后的事项" not in body
    assert "第一季度专项检查" in client.get("/inspections/").content.decode()


def test_inspection_needs_a_title_and_saves_nothing_without(auditor):
    response = client_for(auditor).post("/inspections/new/", {"title": "", "findings": "保留"})
    assert response.status_code == 200 and "保留" in response.content.decode()
    assert not Inspection.objects.exists()


def test_staff_may_not_create_inspections(agency_staff):
    assert client_for(agency_staff).get("/inspections/new/").status_code == 403
    assert client_for(agency_staff).post("/inspections/new/", {"title": "x"}).status_code == 403
    assert not Inspection.objects.exists()


def test_inspection_detail_and_export_are_404_for_outsiders(auditor, agency_staff):
    entry(agency_staff.institution, title="快照中的事项")
    inspection = services.inspection_create(by=auditor, title="检查")
    assert client_for(agency_staff).get(f"/inspections/{inspection.uuid}/").status_code == 404
    assert client_for(agency_staff).get(f"/inspections/{inspection.uuid}/export/").status_code == 404
    response = client_for(auditor).get(f"/inspections/{inspection.uuid}/export/")
    _, rows = rows_of(response)
    assert [r[1] for r in rows] == ["快照中的事项"]
    assert rows[0][3] == dt.datetime.combine(timezone.localdate() + dt.timedelta(days=10), dt.time())


@pytest.mark.parametrize("rows", [10, 200])
def test_inspection_list_query_count_is_constant(auditor, rows, django_assert_max_num_queries):
    Inspection.objects.bulk_create(
        [Inspection(title=f"检查{i}", institution=auditor.institution, created_by=auditor) for i in range(rows)]
    )
    client = client_for(auditor)
    with django_assert_max_num_queries(8):
        assert client.get("/inspections/").status_code == 200
