"""The status word follows the reader's side: the recipient reads what is asked of it (待签收,
待回复, 待负责人签发), the issuer and the cc'd read the status as recorded (已发出, 已签收)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from suggestions import services
from suggestions.models import Suggestion
from suggestions.views.status_labels import label_rows, status_label

from ._view_helpers import client_for

S = Suggestion.Status


def url(s, suffix=""):
    return f"/suggestions/{s.uuid}/{suffix}"


def header_of(body: str) -> str:
    return body.split('<header class="detail-header">')[1].split("</header>")[0]


def row_of(body: str, title: str) -> str:
    return body.split(title)[1].split("</tr>")[0]


@pytest.fixture
def issued(make_suggestion, court_clerk, court_head, inst):
    return make_suggestion(court_clerk, court_head, title="关于送达程序的司法建议", cc=[inst["柳州市人民政府"]])


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff, inst):
    today = timezone.localdate()
    return make_suggestion(
        court_clerk,
        court_head,
        title="已签收的司法建议",
        issued_on=today,
        received_on=today,
        receiver=agency_staff,
        cc=[inst["柳州市人民政府"]],
    )


# ----------------------------------------------------------------------------- the mapping


def test_recipient_reads_each_status_as_what_it_must_do(issued, agency_staff):
    s = issued
    assert status_label(agency_staff, s) == "待签收"
    s.status = S.RECEIVED
    assert status_label(agency_staff, s) == "待回复"
    assert status_label(agency_staff, s, reply_pending=True) == "待负责人签发"
    s.status = S.RECTIFYING
    assert status_label(agency_staff, s) == "整改中"
    assert status_label(agency_staff, s, reply_pending=True) == "待负责人签发"
    for status, word in ((S.REPLIED, "已回复"), (S.EVALUATED, "已评价"), (S.WITHDRAWN, "已撤回")):
        s.status = status
        assert status_label(agency_staff, s) == word


def test_issuer_cc_and_office_read_the_recorded_status(issued, court_clerk, court_head, gov_legal, office):
    s = issued
    for status, word in ((S.ISSUED, "已发出"), (S.RECEIVED, "已签收"), (S.RECTIFYING, "整改中")):
        s.status = status
        for user in (court_clerk, court_head, gov_legal, office):
            assert status_label(user, s, reply_pending=True) == word, (user.username, status)


def test_labelling_a_page_of_rows_costs_at_most_one_query(received, issued, agency_staff, court_clerk):
    services.suggestion_reply(suggestion=received, by=agency_staff, measures="已整改。")
    rows = list(Suggestion.objects.filter(pk__in=[received.pk, issued.pk]).order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        label_rows(agency_staff, rows)
    assert len(queries) == 1
    assert {s.title: s.status_label for s in rows} == {received.title: "待负责人签发", issued.title: "待签收"}
    with CaptureQueriesContext(connection) as queries:
        label_rows(court_clerk, rows)  # the issuer's side needs no query at all
    assert len(queries) == 0
    assert {s.title: s.status_label for s in rows} == {received.title: "已签收", issued.title: "已发出"}


# ----------------------------------------------------------------------------- the pages


def test_recipient_todo_tab_and_header_say_awaiting_receipt_not_issued(issued, agency_staff):
    client = client_for(agency_staff)
    row = row_of(client.get("/suggestions/").content.decode(), issued.title)
    assert "待签收" in row and "已发出" not in row
    header = header_of(client.get(url(issued)).content.decode())
    assert "待签收" in header and "已发出" not in header
    assert header.count("待签收") == 1  # the status badge says it; no second badge beside the period


def test_issuer_still_reads_issued_with_awaiting_receipt_beside_the_period(issued, court_head):
    client = client_for(court_head)
    row = row_of(client.get("/suggestions/", {"box": "issued"}).content.decode(), issued.title)
    assert "已发出" in row and "待签收" not in row
    header = header_of(client.get(url(issued)).content.decode())
    assert "已发出" in header and "待签收" in header


def test_cc_institution_reads_the_recorded_status(issued, gov_legal):
    row = row_of(client_for(gov_legal).get("/suggestions/", {"box": "cc"}).content.decode(), issued.title)
    assert "已发出" in row and "待签收" not in row


def test_after_receipt_the_recipient_reads_awaiting_reply_the_issuer_received(received, agency_head, court_clerk):
    assert "待回复" in header_of(client_for(agency_head).get(url(received)).content.decode())
    header = header_of(client_for(court_clerk).get(url(received)).content.decode())
    assert "已签收" in header and "待回复" not in header


def test_staff_reply_awaiting_the_head_reads_so_inside_the_recipient_only(
    received, agency_staff, agency_head, court_clerk
):
    services.suggestion_reply(suggestion=received, by=agency_staff, measures="已整改。")
    for user in (agency_staff, agency_head):
        client = client_for(user)
        assert "待负责人签发" in row_of(client.get("/suggestions/").content.decode(), received.title), user.username
        assert "待负责人签发" in header_of(client.get(url(received)).content.decode()), user.username
    issuer = client_for(court_clerk)
    assert "待负责人签发" not in issuer.get(url(received)).content.decode()
    row = row_of(issuer.get("/suggestions/", {"box": "issued"}).content.decode(), received.title)
    assert "已签收" in row and "待负责人签发" not in row


def test_rectification_round_reads_rectifying_for_the_recipient(received, agency_head, court_clerk):
    services.suggestion_reply(suggestion=received, by=agency_head, measures="已整改。")
    services.suggestion_evaluate(
        suggestion=received, by=court_clerk, evaluation="partly", reasons="尚未完成", rectify=True, rectify_days=20
    )
    assert "整改中" in header_of(client_for(agency_head).get(url(received)).content.decode())


def test_excel_export_uses_the_same_words_as_the_list(issued, agency_staff, court_clerk):
    def statuses(user, box):
        response = client_for(user).get("/suggestions/export/", {"box": box})
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        column = header.index("状态")
        return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert statuses(agency_staff, "todo") == ["待签收"]
    assert statuses(court_clerk, "issued") == ["已发出"]
