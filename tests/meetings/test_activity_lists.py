"""The 参与论证, 共同调研 and 法治课堂 lists, declared once (meetings.listings): the filter bar narrows
the rows and an unknown value is ignored with its error, the default order is newest first, a
header sorts, the export holds the filtered rows in the declared columns and states its filters,
and the page's query count does not grow with its rows."""

import io

from django.test import Client
from openpyxl import load_workbook

from liaison import lists
from meetings import research as rs
from meetings import reviews
from meetings.listings import CLASSES, RESEARCH, REVIEWS

from .conftest import soon


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _reviews(world, city, n):
    return [
        reviews.review_create(
            by=world["gov_legal"],
            subject="normative",
            title=f"规范性文件草案{i}",
            summary="说明",
            invitees=[city["court"], city["proc"]],
        )
        for i in range(n)
    ]


def _workbook(response):
    wb = load_workbook(io.BytesIO(response.content))
    return list(wb.worksheets[0].values), {r[0]: r[1] for r in wb["筛选条件"].iter_rows(values_only=True)}


def test_each_lists_default_order_has_its_own_index():
    for spec in (REVIEWS, RESEARCH, CLASSES):
        assert lists.index_for(spec) is not None, spec.title


def test_review_list_filters_sorts_and_exports_the_same_rows(world, city, django_assert_max_num_queries):
    first, second = _reviews(world, city, 2)
    gov = _client(world["gov_legal"])
    page = gov.get("/meetings/reviews/").content.decode()
    assert page.index(second.title) < page.index(first.title)  # newest first
    assert 'href="?sort=due_date"' in page and 'aria-label="筛选论证事项"' in page
    assert first.get_absolute_url() in page
    page = gov.get("/meetings/reviews/", {"q": "草案1"}).content.decode()
    assert second.title in page and first.title not in page and "清除筛选" in page
    # an unknown status is reported and ignored, never a 500
    assert gov.get("/meetings/reviews/", {"status": "nope"}).status_code == 200
    rows, about = _workbook(gov.get("/meetings/reviews/", {"q": "草案1", "export": "1"}))
    assert rows[0] == (
        "类别",
        "草案名称",
        "起草单位",
        "状态",
        "征求意见函文号",
        "反馈截止日期",
        "邀请单位数",
        "采纳情况函文号",
    )
    assert [r[1] for r in rows[1:]] == [second.title] and rows[1][6] == 2
    assert about["关键词"] == "草案1"
    _reviews(world, city, 3)
    with django_assert_max_num_queries(12):
        assert gov.get("/meetings/reviews/").status_code == 200
    outsider = _client(world["env_staff"])
    assert second.title not in outsider.get("/meetings/reviews/").content.decode()
    rows, _about = _workbook(outsider.get("/meetings/reviews/", {"export": "1"}))
    assert rows[1:] == []


def test_research_and_class_lists_filter_and_export(world, city, django_assert_max_num_queries):
    land = rs.research_create(by=world["court_clerk"], topic="land", title="征地拆迁调研", purpose="目的")
    rs.research_create(by=world["court_clerk"], topic="ecology", title="生态环境调研", purpose="目的")
    court = _client(world["court_clerk"])
    page = court.get("/meetings/research/", {"topic": "land"}).content.decode()
    assert land.title in page and "生态环境调研" not in page
    rows, about = _workbook(court.get("/meetings/research/", {"topic": "land", "export": "1"}))
    assert rows[0] == ("调研领域", "调研课题", "牵头单位", "状态", "报告文号")
    assert rows[1][:2] == ("征地拆迁", land.title) and len(rows) == 2
    assert about["调研领域"] == "征地拆迁"
    with django_assert_max_num_queries(12):
        assert court.get("/meetings/research/").status_code == 200

    justice = _client(world["justice_legal"])
    for days, title in ((-3, "证据规则"), (5, "程序规则")):
        rs.class_create(
            by=world["justice_legal"],
            title=title,
            starts_at=soon(days=days),
            location="培训室",
            audience=[city["agency"]],
        )
    page = justice.get("/meetings/classes/").content.decode()
    assert page.index("程序规则") < page.index("证据规则")  # latest class first
    page = justice.get("/meetings/classes/", {"sort": "starts_at"}).content.decode()
    assert page.index("证据规则") < page.index("程序规则")
    rows, _about = _workbook(justice.get("/meetings/classes/", {"status": "planned", "export": "1"}))
    assert rows[0] == ("课程名称", "组织单位", "授课时间", "地点", "状态")
    assert {r[0] for r in rows[1:]} == {"证据规则", "程序规则"}
    with django_assert_max_num_queries(12):
        assert justice.get("/meetings/classes/").status_code == 200
