"""建议统计: period and grouping, rates with numerator and denominator, export, query budget."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from suggestions import services

from ._view_helpers import bulk_suggestions, client_for
from .conftest import D

URL = "/suggestions/statistics/"
Q4 = {"start": "2026-10-01", "end": "2026-12-31"}


@pytest.fixture
def q4_data(make_suggestion, court_clerk, court_head, agency_head):
    """Two suggestions to 城管局 received 2 Nov 2026; one replied and adopted, one still open (due 2027)."""
    a = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    services.suggestion_reply(suggestion=a, by=agency_head, measures="已整改")
    services.suggestion_evaluate(suggestion=a, by=court_clerk, evaluation="adopted")


def test_rates_show_numerator_and_denominator(court_clerk, q4_data):
    response = client_for(court_clerk).get(URL, {**Q4, "group": "recipient"})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["group"] == "柳州市城市管理行政执法局"
    assert (row["issued"], row["received"], row["replied"], row["adopted"]) == (2, 2, 1, 1)
    body = response.content.decode()
    assert "100.00%（1/1）" in body
    assert "2026-10-01 至 2026-12-31" in body


def test_a_zero_denominator_shows_a_dash(court_clerk, make_suggestion, court_head):
    make_suggestion(court_clerk, court_head, issued_on=D("2026-11-02"))  # issued, never received: nothing due
    response = client_for(court_clerk).get(URL, {**Q4, "group": "issuer"})
    row = response.context["rows"][0]
    assert row["issued"] == 1 and row["reply_rate_text"] == "—" and row["on_time_rate_text"] == "—"
    assert "0.00%" not in response.content.decode()


def test_quarter_selector_and_grouping_by_kind_and_region(court_clerk, q4_data):
    client = client_for(court_clerk)
    response = client.get(URL, {"quarter": "2026Q4", "group": "kind"})
    assert [r["group"] for r in response.context["rows"]] == ["司法建议"]
    assert "2026年第4季度" in response.content.decode()
    response = client.get(URL, {"quarter": "2026Q4", "group": "region"})
    assert [r["group"] for r in response.context["rows"]] == ["柳州市"]
    # The next quarter: the open suggestion falls due then, not replied → 0.00%（0/1）.
    response = client.get(URL, {"start": "2027-01-01", "end": "2027-03-31", "group": "issuer"})
    assert response.context["rows"][0]["reply_rate_text"] == "0.00%（0/1）"


def test_bad_period_is_reported_and_the_current_quarter_used(court_clerk):
    client = client_for(court_clerk)
    response = client.get(URL, {"start": "2026-12-31", "end": "2026-01-01", "quarter": "1999Q9", "group": "evil"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "截止日期不能早于起始日期。" in body and "已忽略此条件" in body
    response = client.get(URL, {"start": "2026-10-01"})
    assert "自定义期间须同时填写起始和截止日期。" in response.content.decode()


def test_others_see_only_their_own_figures(q4_data, world, office):
    for name in ("env_staff", "justice_legal"):
        response = client_for(world[name]).get(URL, Q4)
        assert response.status_code == 200 and response.context["rows"] == []
        assert "没有发出、签收、到期或回复的建议" in response.content.decode()
    assert client_for(office).get(URL, Q4).context["totals"]["issued"] == 2


def test_export_has_the_table_and_the_total(court_clerk, q4_data, make_suggestion, court_head):
    make_suggestion(court_clerk, court_head, issued_on=D("2026-11-03"), recipient="柳州市交通运输局")
    response = client_for(court_clerk).get(URL + "export/", {**Q4, "group": "recipient"})
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[0] == "被建议单位" and header[-2:] == ("回复率", "按期回复率")
    assert [r[0] for r in rows] == ["柳州市交通运输局", "柳州市城市管理行政执法局", "合计"]
    assert rows[1][1:] == (2, 2, 1, 1, 1, 0, 1, "100.00%（1/1）", "100.00%（1/1）")
    assert rows[0][-1] == "—"
    assert rows[2][1] == 3


@pytest.mark.parametrize("rows", [10, 200])
def test_statistics_query_count_is_constant(court_clerk, agency_staff, office, rows, django_assert_max_num_queries):
    bulk_suggestions(court_clerk, agency_staff.institution, rows)
    client = client_for(office)
    today = timezone.localdate()
    period = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat(), "group": "recipient"}
    with django_assert_max_num_queries(10):
        response = client.get(URL, period)
    assert response.status_code == 200
    assert response.context["totals"]["issued"] == rows


def test_statistics_requires_login(client):
    assert client.get(URL).status_code == 302
