"""跟踪: the issuer follows what it sent — awaiting receipt, reply, feedback or its own
evaluation, overdue first — on its dashboard, its own page and the API, and sees nobody else's."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from liaison import services, tracking
from suggestions import services as suggestion_services
from suggestions.models import Reply, Suggestion

from ._view_helpers import bulk_letters, client_for, issued_letter


def _rows(user):
    return [(r.step, type(r.obj).__name__, r.obj.pk) for r in tracking.rows(user)]


def _suggestion(clerk, head, recipient):
    s = suggestion_services.suggestion_create(
        by=clerk,
        recipient=recipient,
        title="关于规范行政执法程序的建议",
        problem="执法文书送达程序不规范。",
        recommendations="完善送达程序。",
    )
    suggestion_services.suggestion_submit(suggestion=s, by=clerk)
    suggestion_services.suggestion_approve(suggestion=s, by=head)
    return suggestion_services.suggestion_issue(suggestion=s, by=head)


def test_a_suggestion_is_followed_from_receipt_to_evaluation(court_clerk, court_head, agency_staff, agency_head):
    s = _suggestion(court_clerk, court_head, agency_staff.institution)
    # one row: the 建议书's copy serves the suggestion (part_of), which is tracked itself
    assert _rows(court_clerk) == [("待签收", "Suggestion", s.pk)] == _rows(court_head)
    row = tracking.rows(court_clerk)[0]
    assert row.party == agency_staff.institution and not row.mine and row.due is None
    assert _rows(agency_staff) == []  # the recipient does not track what it received

    s = suggestion_services.suggestion_receive(suggestion=s, by=agency_staff)
    row = tracking.rows(court_clerk)[0]
    assert (row.step, row.due, row.overdue) == ("待回复", s.reply_due, False)

    Suggestion.objects.filter(pk=s.pk).update(reply_due=timezone.localdate() - dt.timedelta(days=6))
    row = tracking.rows(court_clerk)[0]
    assert row.overdue and row.deadline.label == "已逾期 6 天"

    reply = suggestion_services.suggestion_reply(suggestion=s, by=agency_staff, measures="已完善送达程序。")
    assert [r.step for r in tracking.rows(court_clerk)] == ["待回复"]  # drafted, not yet sent
    suggestion_services.reply_approve(reply=Reply.objects.get(pk=reply.pk), by=agency_head)
    row = tracking.rows(court_clerk)[0]
    assert (row.step, row.mine, row.due) == ("待评价", True, None)
    assert _rows(court_clerk) == [("待评价", "Suggestion", s.pk)]  # the reply letter serves it too

    suggestion_services.suggestion_evaluate(
        suggestion=Suggestion.objects.get(pk=s.pk), by=court_clerk, evaluation="adopted"
    )
    assert _rows(court_clerk) == []


def test_each_unsigned_copy_of_a_letter_is_followed_until_signed(
    court_clerk, court_head, agency_staff, gov_legal, outsider_agency
):
    letter = issued_letter(court_clerk, court_head, [agency_staff.institution], title="关于执法程序的函")
    rows = tracking.rows(court_clerk)
    assert [(r.step, r.party) for r in rows] == [("待签收", agency_staff.institution)]
    assert rows[0].title == letter.doc_number and rows[0].subtitle == "关于执法程序的函"
    assert tracking.rows(outsider_agency) == [] and tracking.rows(gov_legal) == []

    services.delivery_sign(delivery=letter.deliveries.get(), by=agency_staff)
    assert tracking.rows(court_clerk) == []


def test_overdue_first(court_clerk, court_head, agency_staff, inst):
    late = _suggestion(court_clerk, court_head, agency_staff.institution)
    late = suggestion_services.suggestion_receive(suggestion=late, by=agency_staff)
    Suggestion.objects.filter(pk=late.pk).update(reply_due=timezone.localdate() - dt.timedelta(days=2))
    issued_letter(court_clerk, court_head, [agency_staff.institution], title="新来的函")
    rows = tracking.rows(court_clerk)
    assert [r.obj.pk for r in rows][0] == late.pk and rows[0].overdue
    assert [r.step for r in rows] == ["待回复", "待签收"]


def test_page_dashboard_and_api_show_the_same_rows(court_clerk, court_head, agency_staff, outsider_agency):
    letter = issued_letter(court_clerk, court_head, [agency_staff.institution], title="关于执法程序的函")
    page = client_for(court_clerk).get("/tracking/")
    assert page.status_code == 200 and len(page.context["tracking"]) == 1
    assert "关于执法程序的函" in page.content.decode()
    home = client_for(court_clerk).get("/").content.decode()
    assert '<span class="summary-n" data-count="tracking">1</span>' in home and 'href="/tracking/"' in home
    api = APIClient()
    api.force_authenticate(court_clerk)
    body = api.get("/api/v1/tracking/").json()
    assert body["count"] == 1 and body["results"][0]["step"] == "待签收"
    assert body["results"][0]["record"]["uuid"] == str(letter.uuid)
    # nobody else's
    assert "关于执法程序的函" not in client_for(outsider_agency).get("/tracking/").content.decode()
    api.force_authenticate(outsider_agency)
    assert api.get("/api/v1/tracking/").json() == {"count": 0, "overdue": 0, "results": []}
    assert APIClient().get("/api/v1/tracking/").status_code in (401, 403)


def test_tracking_page_needs_a_login(client):
    response = client.get("/tracking/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("rows", [5, 60])
def test_tracking_page_query_count_is_constant(court_clerk, agency_staff, rows, django_assert_max_num_queries):
    bulk_letters(court_clerk.institution, court_clerk, agency_staff.institution, rows)
    client = client_for(court_clerk)
    with django_assert_max_num_queries(12):
        response = client.get("/tracking/")
    assert len(response.context["tracking"]) == rows


def test_the_ledger_page_shows_what_the_clerk_sent_and_waits_for(
    court_clerk, court_head, agency_staff, outsider_agency
):
    s = _suggestion(court_clerk, court_head, agency_staff.institution)
    s = suggestion_services.suggestion_receive(suggestion=s, by=agency_staff)
    Suggestion.objects.filter(pk=s.pk).update(reply_due=timezone.localdate() - dt.timedelta(days=6))
    response = client_for(court_clerk).get("/ledger/")
    assert response.status_code == 200
    html = response.content.decode()
    # the clerk owes nothing itself (共 0 条) yet sees the late reply it waits for, in the dashboard's block
    block = html[html.index('id="tracking"') : html.index("</section>", html.index('id="tracking"'))]
    assert 'data-step="待回复" class="table-danger"' in block and "已逾期 6 天" in block and s.title in block
    assert 'href="/tracking/"' in block
    # the recipient does not track what it received; an outsider sees nothing of it
    assert 'id="tracking"' not in client_for(agency_staff).get("/ledger/").content.decode()
    assert s.title not in client_for(outsider_agency).get("/ledger/").content.decode()
