"""Overdue first: the suggestion list and its API read replies overdue (most overdue first), then due
by deadline, then open ones with no deadline running, then closed ones - by default, in every box;
a column the user sorts by (?sort= on the page, ?ordering= in the API) still wins."""

import datetime as dt

from django.utils import timezone

from suggestions import services
from suggestions.models import Reply, Suggestion

from ._view_helpers import client_for

URL = "/suggestions/"
API = "/api/v1/suggestions/"


def _received(make_suggestion, court_clerk, court_head, agency_staff, title, due_in):
    s = make_suggestion(court_clerk, court_head, title=title)
    s = services.suggestion_receive(suggestion=s, by=agency_staff)
    Suggestion.objects.filter(pk=s.pk).update(reply_due=timezone.localdate() + dt.timedelta(days=due_in))
    return s


def _world(make_suggestion, court_clerk, court_head, agency_staff, agency_head):
    """Created oldest first in an order that is none of the expected ones: by creation the list would
    start with the closed one."""
    due = _received(make_suggestion, court_clerk, court_head, agency_staff, "五天后到期", 5)
    late = _received(make_suggestion, court_clerk, court_head, agency_staff, "逾期九天", -9)
    unsigned = make_suggestion(court_clerk, court_head, title="待签收")
    slightly_late = _received(make_suggestion, court_clerk, court_head, agency_staff, "逾期两天", -2)
    # replied through the services, newest of all: its deadline no longer runs, it goes last
    closed = _received(make_suggestion, court_clerk, court_head, agency_staff, "已回复", -30)
    reply = services.suggestion_reply(suggestion=closed, by=agency_staff, measures="已整改。")
    services.reply_approve(reply=Reply.objects.get(pk=reply.pk), by=agency_head)
    return [late, slightly_late, due, unsigned, Suggestion.objects.get(pk=closed.pk)]


def test_the_list_puts_overdue_first_then_by_deadline_then_open_then_closed(
    make_suggestion, court_clerk, court_head, agency_staff, agency_head
):
    expected = [s.title for s in _world(make_suggestion, court_clerk, court_head, agency_staff, agency_head)]
    assert expected[-1] == "已回复" and Suggestion.objects.latest("created_at").title == "已回复"
    for user, box in [(court_clerk, "all"), (court_clerk, "issued"), (agency_staff, "all"), (agency_staff, "received")]:
        response = client_for(user).get(URL, {"box": box})
        assert [s.title for s in response.context["page"].object_list] == expected, (user, box)
        assert response.context["sort"] == "urgent"
    # the recipient's 待办 box: the overdue replies on top, the one to sign for after those with a deadline
    todo = client_for(agency_staff).get(URL).context["page"].object_list
    assert [s.title for s in todo] == ["逾期九天", "逾期两天", "五天后到期", "待签收"]
    # the first row reads overdue, in red
    body = client_for(court_clerk).get(URL, {"box": "all"}).content.decode()
    body = body[body.index("<tbody") :]
    assert body.index("逾期九天") < body.index("逾期两天") < body.index("五天后到期") < body.index("已回复")
    assert "已逾期 9 天" in body


def test_a_column_the_user_sorts_by_still_wins(make_suggestion, court_clerk, court_head, agency_staff, agency_head):
    _world(make_suggestion, court_clerk, court_head, agency_staff, agency_head)
    client = client_for(court_clerk)
    newest = [s.title for s in client.get(URL, {"box": "all", "sort": "-created"}).context["page"].object_list]
    assert newest == ["已回复", "逾期两天", "待签收", "逾期九天", "五天后到期"]
    by_due = [s.title for s in client.get(URL, {"box": "all", "sort": "reply_due"}).context["page"].object_list]
    assert by_due[:4] == ["已回复", "逾期九天", "逾期两天", "五天后到期"] and by_due[-1] == "待签收"


def test_the_api_reads_in_the_same_order_and_takes_declared_orderings(
    make_suggestion, court_clerk, court_head, agency_staff, agency_head, api
):
    expected = [s.title for s in _world(make_suggestion, court_clerk, court_head, agency_staff, agency_head)]
    client = api(court_clerk)
    assert [r["title"] for r in client.get(API).json()["results"]] == expected
    assert [r["title"] for r in client.get(API, {"ordering": "-urgent"}).json()["results"]] == expected[::-1]
    newest = [r["title"] for r in client.get(API, {"ordering": "-created"}).json()["results"]]
    assert newest == ["已回复", "逾期两天", "待签收", "逾期九天", "五天后到期"]
    # an order the list does not declare is a field error, not an order by an arbitrary column
    for bad in ("password", "created_by__password", "-issuer__name__x"):
        response = client.get(API, {"ordering": bad})
        assert response.status_code == 400 and "ordering" in response.json(), bad


def test_the_order_follows_the_transitions(make_suggestion, court_clerk, court_head, agency_staff, agency_head):
    s = make_suggestion(court_clerk, court_head, title="待签收")
    other = _received(make_suggestion, court_clerk, court_head, agency_staff, "五天后到期", 5)
    assert (Suggestion.objects.get(pk=s.pk).due_rank, Suggestion.objects.get(pk=other.pk).due_rank) == (1, 0)
    s = services.suggestion_receive(suggestion=s, by=agency_staff)  # its reply deadline starts running
    row = Suggestion.objects.get(pk=s.pk)
    assert (row.due_rank, row.open_due) == (0, row.reply_due)
    reply = services.suggestion_reply(suggestion=row, by=agency_staff, measures="已整改。")
    services.reply_approve(reply=Reply.objects.get(pk=reply.pk), by=agency_head)
    row = Suggestion.objects.get(pk=s.pk)
    assert (row.status, row.due_rank, row.open_due) == ("replied", 2, None)
