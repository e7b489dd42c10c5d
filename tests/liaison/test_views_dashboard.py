"""工作台: what must I do today."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison import services, workflow
from liaison.calendar import WorkCalendar
from liaison.models import HolidayOverride

from ._view_helpers import bulk_entries, bulk_letters, client_for, draft_letter, entry, issued_letter


def test_dashboard_lists_todo_then_overdue_then_due_soon(agency_staff, court_clerk, court_head):
    today = timezone.localdate()
    entry(agency_staff.institution, title="逾期三天的事项", due_in=-3, start_ago=40)
    soon = entry(agency_staff.institution, title="五天后到期的事项", due_in=5)
    entry(agency_staff.institution, title="一个月后到期的事项", due_in=30)
    letter = issued_letter(court_clerk, court_head, [agency_staff.institution], title="待签收的司法建议函")
    body = client_for(agency_staff).get("/").content.decode()
    assert "已逾期 3 天" in body
    left = WorkCalendar().working_days_between(today, soon.due_date)
    assert f"剩余 {left} 个工作日" in body
    assert "一个月后到期的事项" not in body
    assert letter.title in body
    # the letter to sign for is a duty (待办), above the institution's overdue and due-soon work
    assert body.index(letter.title) < body.index("逾期三天的事项") < body.index("五天后到期的事项")


def test_dashboard_shows_head_the_letters_awaiting_sign_off(court_clerk, court_head, agency_staff):
    letter = draft_letter(court_clerk, [agency_staff.institution], title="请领导签发的函")
    services.letter_submit(letter=letter, by=court_clerk)
    head = client_for(court_head).get("/")
    assert [(i.label, i.obj.pk) for i in head.context["todo"]] == [("待签发", letter.pk)]
    assert "请领导签发的函" in head.content.decode()
    assert "请领导签发的函" not in client_for(court_clerk).get("/").content.decode()


def test_dashboard_counters_are_the_lengths_of_its_lists(court_clerk, court_head, agency_staff):
    for n in range(3):
        issued_letter(court_clerk, court_head, [agency_staff.institution], title=f"来文{n}")
    body = client_for(agency_staff).get("/").content.decode()
    assert '<span class="summary-n" data-count="todo">3</span>' in body
    assert '<span data-count="待签收">3</span>' in body
    assert body.count('data-verb="delivery.sign"') == 3


def test_dashboard_does_not_show_other_institutions_work(agency_staff, outsider_agency, court_clerk, court_head):
    entry(agency_staff.institution, title="城管局逾期事项", due_in=-1, start_ago=30)
    issued_letter(court_clerk, court_head, [agency_staff.institution], title="只给城管局的函")
    body = client_for(outsider_agency).get("/").content.decode()
    assert "城管局逾期事项" not in body and "只给城管局的函" not in body


def test_office_sees_overdue_work_of_the_region_to_chase(office, agency_staff):
    entry(agency_staff.institution, title="城管局逾期事项", due_in=-1, start_ago=30)
    body = client_for(office).get("/").content.decode()
    assert "督办" in body and "城管局逾期事项" in body


def test_dashboard_lists_recent_notifications(agency_staff):
    services.notify(users=[agency_staff], kind="t", title="收文：请签收", key="k1", url="/letters/inbox/")
    body = client_for(agency_staff).get("/").content.decode()
    assert "收文：请签收" in body and 'href="/letters/inbox/"' in body


def test_administrator_is_warned_about_uncovered_calendar_years(admin_user, monkeypatch):
    monkeypatch.setattr("liaison.views.dashboard.years_needing_attention", lambda years: [2099])
    body = client_for(admin_user).get("/").content.decode()
    assert "节假日数据缺失" in body and "2099" in body


def test_warning_disappears_once_holidays_are_entered(admin_user):
    year = timezone.localdate().year
    for missing in (year, year + 1):
        HolidayOverride.objects.create(date=dt.date(missing, 10, 1), kind="holiday", name="国庆节")
    body = client_for(admin_user).get("/").content.decode()
    assert "节假日数据缺失" not in body


def test_non_administrators_never_see_the_calendar_warning(agency_staff, monkeypatch):
    monkeypatch.setattr("liaison.views.dashboard.years_needing_attention", lambda years: [2099])
    assert "节假日数据缺失" not in client_for(agency_staff).get("/").content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_dashboard_query_count_is_constant(agency_staff, court_clerk, rows, django_assert_max_num_queries):
    """The agency's dashboard with `rows` copies to sign for and overdue and due-soon entries."""
    bulk_entries(agency_staff.institution, rows, due_date=timezone.localdate() - dt.timedelta(days=2))
    bulk_entries(agency_staff.institution, rows, due_date=timezone.localdate() + dt.timedelta(days=2), prefix="soon")
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, rows)
    client = client_for(agency_staff)
    # 9 for the page, plus one query per workflow that declares duties (its 待办 candidates: here the
    # `rows` copies to sign for, with their letters joined) and one per workflow the issuer follows
    # (跟踪): constant in the number of rows
    duty_flows = sum(1 for flow in workflow.WORKFLOWS.values() if flow.todo_transitions)
    tracked_flows = sum(1 for flow in workflow.WORKFLOWS.values() if flow.track)
    with django_assert_max_num_queries(9 + duty_flows + tracked_flows):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("rows", [5, 60])
def test_issuers_dashboard_query_count_is_constant(court_clerk, agency_staff, rows, django_assert_max_num_queries):
    """The court's dashboard following `rows` unsigned copies (跟踪)."""
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, rows)
    client = client_for(court_clerk)
    duty_flows = sum(1 for flow in workflow.WORKFLOWS.values() if flow.todo_transitions)
    tracked_flows = sum(1 for flow in workflow.WORKFLOWS.values() if flow.track)
    with django_assert_max_num_queries(9 + duty_flows + tracked_flows):
        response = client.get("/")
    assert len(response.context["tracking"]) == rows


@pytest.mark.parametrize("n", [5, 6, 8])
def test_each_step_shows_five_rows_and_links_the_whole_list(court_clerk, court_head, agency_staff, n):
    """The dashboard prints the first five rows of a step; its counts are those of the whole list,
    which /todo/ prints (the same block, every row)."""
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, n)
    home = client_for(agency_staff).get("/")
    body = home.content.decode()
    assert len(home.context["todo"]) == n
    assert f'<span class="summary-n" data-count="todo">{n}</span>' in body
    assert f'<span data-count="待签收">{n}</span>' in body
    assert body.count('data-verb="delivery.sign"') == min(n, 5)
    link = f'<a href="/todo/#todo-g1">查看全部 {n} 项待签收</a>'
    assert (link in body) == (n > 5)
    # the rows printed are the first of the whole list, in its order
    full = client_for(agency_staff).get("/todo/")
    assert full.status_code == 200
    page = full.content.decode()
    assert page.count('data-verb="delivery.sign"') == n and "查看全部" not in page
    assert f'<span data-count="待签收">{n}</span>' in page
    titles = [i.title for i in full.context["todo"]]
    assert [i.title for i in home.context["todo_groups"][0].shown] == titles[:5]
    assert body.index(titles[0]) < body.index(titles[min(n, 5) - 1])


def test_the_todo_page_needs_a_login(client):
    response = client.get("/todo/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_todo_page_shows_only_the_users_own_duties(court_clerk, court_head, agency_staff, outsider_agency):
    """Another institution's user sees none of the agency's copies; in the court, the head signs the
    letter off and the clerk who wrote it does not (the role decides)."""
    issued_letter(court_clerk, court_head, [agency_staff.institution], title="只给城管局的函")
    pending = draft_letter(court_clerk, [agency_staff.institution], title="请领导签发的函")
    services.letter_submit(letter=pending, by=court_clerk)
    assert "只给城管局的函" in client_for(agency_staff).get("/todo/").content.decode()
    outsider = client_for(outsider_agency).get("/todo/")
    assert outsider.status_code == 200 and outsider.context["todo"] == []
    assert "只给城管局的函" not in outsider.content.decode()
    head = client_for(court_head).get("/todo/")
    assert [(i.label, i.obj.pk) for i in head.context["todo"]] == [("待签发", pending.pk)]
    clerk = client_for(court_clerk).get("/todo/")
    assert clerk.context["todo"] == [] and "请领导签发的函" not in clerk.content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_todo_page_query_count_is_constant(agency_staff, court_clerk, rows, django_assert_max_num_queries):
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, rows)
    client = client_for(agency_staff)
    # the session, the user and the layout, plus one query per workflow that declares duties (as on the dashboard)
    duty_flows = sum(1 for flow in workflow.WORKFLOWS.values() if flow.todo_transitions)
    with django_assert_max_num_queries(5 + duty_flows):
        response = client.get("/todo/")
    assert len(response.context["todo"]) == rows
