"""The suggestion list: tabs per party, deadline words, filters, sorting, pagination, query budget, export."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.calendar import WorkCalendar

from ._view_helpers import CITY_AGENCY, bulk_suggestions, client_for, draft

URL = "/suggestions/"


def rows_of(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    return header, rows


def titles(response):
    return [s.title for s in response.context["page"].object_list]


@pytest.fixture
def issued(make_suggestion, court_clerk, court_head, inst):
    """市中院 → 市城管局, cc 市政府, not yet received."""
    return make_suggestion(court_clerk, court_head, title="已发出的司法建议", cc=[inst["柳州市人民政府"]])


def test_court_sees_its_drafts_and_issued_suggestions_in_its_box(court_clerk, issued, inst):
    unsent = draft(court_clerk, inst[CITY_AGENCY], title="尚未提交的草稿")
    response = client_for(court_clerk).get(URL, {"box": "issued"})
    assert response.status_code == 200
    assert set(titles(response)) == {issued.title, unsent.title}
    body = response.content.decode()
    assert issued.letter.doc_number in body and "草稿" in body and "未编号" in body


def test_recipient_sees_issued_suggestions_but_never_the_issuers_drafts(agency_staff, court_clerk, issued, inst):
    draft(court_clerk, inst[CITY_AGENCY], title="尚未提交的草稿")
    client = client_for(agency_staff)
    assert titles(client.get(URL, {"box": "received"})) == [issued.title]
    # Awaiting 签收, so it is in the recipient's to-do box (the default tab).
    assert titles(client.get(URL)) == [issued.title]
    assert "尚未提交的草稿" not in client.get(URL, {"box": "all"}).content.decode()


def test_cc_box_and_office_overview(gov_legal, office, issued, outsider_agency):
    assert titles(client_for(gov_legal).get(URL, {"box": "cc"})) == [issued.title]
    response = client_for(office).get(URL)
    assert titles(response) == [issued.title]
    assert "辖区总览" in response.content.decode()
    empty = client_for(outsider_agency).get(URL, {"box": "all"})
    assert titles(empty) == []
    assert "这里还没有建议" in empty.content.decode()


def test_todo_box_of_the_issuer_holds_what_awaits_sign_off(court_clerk, court_head, inst, issued):
    waiting = draft(court_clerk, inst[CITY_AGENCY], title="待审批的建议")
    from suggestions import services

    services.suggestion_submit(suggestion=waiting, by=court_clerk)
    assert titles(client_for(court_head).get(URL, {"box": "todo"})) == ["待审批的建议"]
    tabs = {t["key"]: t["count"] for t in client_for(court_head).get(URL).context["tabs"]}
    assert tabs == {"todo": 1, "issued": 2, "cc": 0, "all": 2}


def test_todo_box_of_the_issuer_holds_a_pending_extension_until_decided(
    court_clerk, court_head, agency_staff, make_suggestion
):
    from suggestions import services
    from suggestions.models import Extension

    s = make_suggestion(
        court_clerk, court_head, title="申请延期的建议", received_on=timezone.localdate(), receiver=agency_staff
    )
    make_suggestion(
        court_clerk, court_head, title="另一份建议", received_on=timezone.localdate(), receiver=agency_staff
    )
    ext = services.extension_request(suggestion=s, by=agency_staff, days=10, reasons="需要协调多个部门。")
    client = client_for(court_head)
    assert titles(client.get(URL, {"box": "todo"})) == ["申请延期的建议"]
    assert {t["key"]: t["count"] for t in client.get(URL).context["tabs"]}["todo"] == 1
    services.extension_decide(extension=Extension.objects.get(pk=ext.pk), by=court_head, approve=True)
    assert titles(client.get(URL, {"box": "todo"})) == []
    assert {t["key"]: t["count"] for t in client.get(URL).context["tabs"]}["todo"] == 0


def test_reply_due_reads_as_days_left_or_overdue_with_colours(court_clerk, agency_staff):
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="逾期建议", due_in=-3)
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="将到期建议", due_in=5)
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="还早的建议", due_in=40)
    body = client_for(agency_staff).get(URL, {"box": "received"}).content.decode()
    today = timezone.localdate()
    left = {n: WorkCalendar().working_days_between(today, today + dt.timedelta(days=n)) for n in (5, 40)}
    # The portal's one wording (UX.md): working days left, calendar days overdue.
    assert "已逾期 3 天" in body and "text-bg-danger" in body
    assert f"剩余 {left[5]} 个工作日" in body and "text-bg-warning" in body
    assert f"剩余 {left[40]} 个工作日" in body and "text-bg-primary" in body


def test_todo_box_lists_overdue_first_then_due_soonest_then_awaiting_receipt(court_clerk, agency_staff, issued):
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="还早的建议", due_in=40)
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="逾期建议", due_in=-3)
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="将到期建议", due_in=5)
    assert titles(client_for(agency_staff).get(URL)) == ["逾期建议0", "将到期建议0", "还早的建议0", issued.title]


def test_filters_status_kind_overdue_keyword_and_period(court_clerk, proc_staff, agency_staff, issued):
    bulk_suggestions(court_clerk, agency_staff.institution, 2, prefix="逾期建议", due_in=-3)
    bulk_suggestions(proc_staff, agency_staff.institution, 1, prefix="检察建议甲")
    client = client_for(agency_staff)
    box = {"box": "received"}
    assert titles(client.get(URL, {**box, "status": "issued"})) == [issued.title]
    assert titles(client.get(URL, {**box, "kind": "procuratorial"})) == ["检察建议甲0"]
    assert sorted(titles(client.get(URL, {**box, "overdue": "yes"}))) == ["逾期建议0", "逾期建议1"]
    assert "逾期建议0" not in titles(client.get(URL, {**box, "overdue": "no"}))
    assert titles(client.get(URL, {**box, "q": issued.letter.doc_number})) == [issued.title]
    assert titles(client.get(URL, {**box, "issued_from": "2000-01-01", "issued_to": "2000-12-31"})) == []


def test_keyword_searches_case_number(court_clerk, court_head, make_suggestion, agency_staff):
    make_suggestion(court_clerk, court_head, title="有案号的建议", case_number="（2026）桂02行初88号")
    assert titles(client_for(agency_staff).get(URL, {"box": "all", "q": "行初88"})) == ["有案号的建议"]


@pytest.mark.parametrize("few", [1000, 0], ids=["index-list", "subquery"])
def test_keyword_finds_the_same_suggestions_as_the_joined_condition(
    world, court_clerk, court_head, proc_staff, proc_head, make_suggestion, inst, monkeypatch, few
):
    """The keyword is matched on the suggestions' own columns, institutions first and the 建议书
    by 文号 (gram index on PostgreSQL, or the plain subquery past `keywords.FEW` matches): the
    same rows as the joined condition it replaced, for every persona and keywords of 1-6
    characters over every searched field, LIKE's % and _ too."""
    from django.db.models import Q

    from liaison import keywords

    monkeypatch.setattr(keywords, "FEW", few)

    from liaison.models import Letter
    from suggestions.models import Suggestion
    from suggestions.selectors import suggestion_list

    make_suggestion(court_clerk, court_head, title="关于规范行政执法程序的建议", case_number="（2026）桂02行初88号")
    make_suggestion(court_clerk, court_head, title="关于100%_落实的建议", recipient="柳州市生态环境局")
    make_suggestion(
        proc_staff, proc_head, title="检察建议", recipient="柳州市人民政府", cc=[inst["柳州市城市管理行政执法局"]]
    )
    draft(court_clerk, inst["柳州市城市管理行政执法局"], title="尚未发出的草稿")
    doc_number = Letter.objects.exclude(doc_number=None).values_list("doc_number", flat=True).first()
    keywords = ["执法", "法", "建议", "规范政", "生态", "城管", "人民", "行初88", "桂02", "%", "_", "100%_", "无此词"]
    keywords += [doc_number, doc_number[:2], doc_number[-3:]]
    compared = 0
    for user in world.values():
        if user.institution_id is None:
            continue
        for q in keywords:
            joined = (
                Suggestion.objects.visible_to(user)
                .filter(
                    Q(title__icontains=q)
                    | Q(letter__doc_number__icontains=q)
                    | Q(recipient__name__icontains=q)
                    | Q(issuer__name__icontains=q)
                    | Q(case_number__icontains=q)
                )
                .values_list("pk", flat=True)
            )
            found = suggestion_list(user=user, q=q).values_list("pk", flat=True)
            assert sorted(found) == sorted(joined), (user.username, q)
            compared += len(joined)
    assert compared > 0


def test_bad_filter_values_are_reported_not_a_500(agency_staff):
    response = client_for(agency_staff).get(
        URL, {"box": "nonsense", "status": "x", "issued_from": "2026-13-45", "sort": "evil", "page": "abc"}
    )
    assert response.status_code == 200
    assert "已忽略此条件" in response.content.decode()


def test_sorting_by_recipient_and_reply_due(court_clerk, agency_staff, outsider_agency):
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="晚到期", due_in=50)
    bulk_suggestions(court_clerk, agency_staff.institution, 1, prefix="早到期", due_in=5)
    client = client_for(court_clerk)
    assert titles(client.get(URL, {"box": "issued", "sort": "reply_due"})) == ["早到期0", "晚到期0"]
    assert titles(client.get(URL, {"box": "issued", "sort": "-reply_due"})) == ["晚到期0", "早到期0"]


def test_pagination(court_clerk, agency_staff):
    bulk_suggestions(court_clerk, agency_staff.institution, 120)
    client = client_for(court_clerk)
    first = client.get(URL, {"box": "issued"})
    assert len(first.context["page"].object_list) == 50
    assert "第 1 / 3 页" in first.content.decode()
    assert len(client.get(URL, {"box": "issued", "page": 3}).context["page"].object_list) == 20


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("persona", ["office", "agency_staff", "court_clerk"])
def test_list_query_count_is_constant(world, court_clerk, agency_staff, rows, persona, django_assert_max_num_queries):
    bulk_suggestions(court_clerk, agency_staff.institution, rows)
    client = client_for(world[persona])
    with django_assert_max_num_queries(12):  # 10 + the 单位 and 地区 filters' choices
        response = client.get(URL, {"box": "all", "sort": "recipient"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_export_holds_exactly_the_filtered_rows_of_every_page(court_clerk, agency_staff, outsider_agency, issued):
    bulk_suggestions(court_clerk, agency_staff.institution, 60, prefix="月度建议")
    bulk_suggestions(court_clerk, outsider_agency.institution, 3, prefix="环保建议")
    response = client_for(agency_staff).get(URL + "export/", {"box": "all", "q": "月度建议"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    header, rows = rows_of(response)
    assert header[:2] == ("文号", "标题")
    assert len(rows) == 60 and all(r[1].startswith("月度建议") for r in rows)
    # Without a keyword: the agency's own suggestions only, never the 生态环境局's.
    _, rows = rows_of(client_for(agency_staff).get(URL + "export/", {"box": "all"}))
    assert len(rows) == 61 and not any(r[1].startswith("环保建议") for r in rows)


def test_export_of_the_overdue_filter(court_clerk, agency_staff):
    bulk_suggestions(court_clerk, agency_staff.institution, 2, prefix="逾期建议", due_in=-4)
    bulk_suggestions(court_clerk, agency_staff.institution, 2, prefix="正常建议", due_in=20)
    _, rows = rows_of(client_for(court_clerk).get(URL + "export/", {"box": "issued", "overdue": "yes"}))
    assert sorted(r[1] for r in rows) == ["逾期建议0", "逾期建议1"]
    assert {r[12] for r in rows} == {"已逾期 4 天"}


def test_list_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url
