"""/api/v1/suggestions/ lists and statistics, /api/v1/filings/: filters, pages, query budgets."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from suggestions import services
from suggestions.models import Filing

from ._api_helpers import CITY_AGENCY, FILINGS_URL, STATS_URL, URL, bulk_received, post, snapshot
from .conftest import D

GOV = "柳州市人民政府"


def uuids(response):
    assert response.status_code == 200, response.content
    return {row["uuid"] for row in response.json()["results"]}


# ----------------------------------------------------------------------------- list and filters


def test_filters_by_box_status_kind_overdue_dates_and_search(
    api, make_suggestion, court_clerk, court_head, proc_staff, proc_head, agency_staff, gov_legal, inst
):
    judicial = make_suggestion(
        court_clerk,
        court_head,
        title="关于餐饮油烟执法的建议",
        case_number="（2026）桂02行初15号",
        cc=[inst[GOV]],
        issued_on=D("2026-03-02"),
        received_on=D("2026-03-03"),
        receiver=agency_staff,
    )  # due 2026-05-06: overdue by now
    procuratorial = make_suggestion(proc_staff, proc_head, title="关于占道经营的检察建议")
    draft = services.suggestion_create(
        by=court_clerk, recipient=inst[CITY_AGENCY], title="草稿", problem="p", recommendations="r"
    )
    staff, clerk, cc = api(agency_staff), api(court_clerk), api(gov_legal)
    j, p, d = str(judicial.uuid), str(procuratorial.uuid), str(draft.uuid)

    assert uuids(staff.get(URL)) == {j, p}
    assert uuids(staff.get(URL, {"box": "received"})) == {j, p}
    assert uuids(staff.get(URL, {"box": "issued"})) == set()
    assert uuids(clerk.get(URL, {"box": "issued"})) == {j, d}
    assert uuids(cc.get(URL, {"box": "cc"})) == {j}
    assert uuids(cc.get(URL, {"box": "received"})) == set()
    assert uuids(staff.get(URL, {"kind": "procuratorial"})) == {p}
    assert uuids(staff.get(URL, {"status": "received"})) == {j}
    assert uuids(clerk.get(URL, {"status": "draft"})) == {d}
    assert uuids(staff.get(URL, {"overdue": "true"})) == {j}
    assert uuids(staff.get(URL, {"overdue": "false"})) == {p}
    assert staff.get(URL, {"overdue": "true"}).json()["results"][0]["overdue"] is True
    assert uuids(staff.get(URL, {"issued_before": "2026-06-30"})) == {j}
    assert uuids(staff.get(URL, {"issued_after": "2026-07-01"})) == {p}
    assert uuids(staff.get(URL, {"q": "油烟"})) == {j}
    assert uuids(staff.get(URL, {"q": "桂02行初15"})) == {j}
    assert uuids(staff.get(URL, {"q": judicial.letter.doc_number})) == {j}
    assert uuids(clerk.get(URL, {"q": "城市管理"})) == {j, d}
    assert uuids(clerk.get(URL, {"q": "占道"})) == set()  # the procuratorate's, invisible to the court


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"kind": "secret"},
        {"box": "outbox"},
        {"issued_after": "yesterday"},
        {"issued_before": "2026-13-01"},
        {"q": "x" * 101},
    ],
)
def test_bad_filter_is_a_400(api, agency_staff, params):
    response = api(agency_staff).get(URL, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_list_is_paginated_in_drf_format(api, court_clerk, agency_staff):
    bulk_received(60, court_clerk, agency_staff.institution)
    client = api(agency_staff)
    first = client.get(URL).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 60 and len(first["results"]) == 50 and first["previous"] is None
    assert len(client.get(first["next"]).json()["results"]) == 10
    assert len(client.get(URL, {"page_size": 5000}).json()["results"]) == 60
    assert client.get(URL, {"page": 99}).status_code == 404


@pytest.mark.parametrize("rows", [10, 200])
def test_list_query_count_is_constant(
    api, rows, court_clerk, agency_staff, gov_legal, office, auditor, django_assert_max_num_queries
):
    bulk_received(rows, court_clerk, agency_staff.institution, cc=gov_legal.institution)
    for user, params in (
        (agency_staff, {}),
        (court_clerk, {"box": "issued", "q": "批量"}),
        (gov_legal, {"box": "cc", "overdue": "false"}),
        (office, {"kind": "judicial"}),
        (auditor, {}),
    ):
        client = api(user)
        with django_assert_max_num_queries(5):
            response = client.get(URL, {"page_size": 200, **params})
        assert response.status_code == 200
        assert response.json()["count"] == rows and len(response.json()["results"]) == rows


# ----------------------------------------------------------------------------- statistics


@pytest.fixture
def replied_and_open(make_suggestion, court_clerk, court_head, agency_head):
    """Two suggestions received 2 Nov 2026 (due 4 Jan 2027): one replied and adopted, one open."""
    a = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    services.suggestion_reply(suggestion=a, by=agency_head, measures="已整改")
    services.suggestion_evaluate(suggestion=a, by=court_clerk, evaluation="adopted")
    return a


def test_statistics_give_numerators_denominators_and_rates(
    api, replied_and_open, court_clerk, agency_head, office, outsider_agency
):
    today = timezone.localdate()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    response = api(court_clerk).get(STATS_URL, {"quarter": quarter, "group_by": "recipient"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["group_by"] == "recipient"
    [row] = data["rows"]
    assert (row["group"], row["key"]) == (CITY_AGENCY, str(agency_head.institution.uuid))
    assert (row["issued"], row["received"], row["replied"], row["due"], row["adopted"]) == (2, 2, 1, 1, 1)
    assert row["reply_rate"] == {"numerator": 1, "denominator": 1, "rate": 1.0, "display": "100.00%"}
    assert row["on_time_rate"]["numerator"] == 1
    assert data["totals"]["group"] == "合计" and data["totals"]["key"] is None
    assert data["totals"]["issued"] == 2
    # The 2027 quarter: the open one falls due then, unanswered → 0 of 1.
    row = (
        api(court_clerk)
        .get(STATS_URL, {"start": "2027-01-01", "end": "2027-03-31", "group_by": "recipient"})
        .json()["rows"][0]
    )
    assert row["reply_rate"] == {"numerator": 0, "denominator": 1, "rate": 0.0, "display": "0.00%"}
    # Issued but nothing due or replied in the period: no rate at all, never 0 % or 100 %.
    data = api(court_clerk).get(STATS_URL, {"start": "2026-11-01", "end": "2026-11-10"}).json()
    assert data["rows"][0]["issued"] == 2
    assert data["rows"][0]["reply_rate"] == {"numerator": 0, "denominator": 0, "rate": None, "display": "—"}
    assert data["totals"]["on_time_rate"]["rate"] is None
    # The office sees the region's figures; an unrelated agency sees none.
    assert api(office).get(STATS_URL, {"quarter": quarter}).json()["totals"]["issued"] == 2
    data = api(outsider_agency).get(STATS_URL, {"quarter": quarter}).json()
    assert data["rows"] == [] and data["totals"]["issued"] == 0


@pytest.mark.parametrize(
    "group_by, key",
    [
        ("issuer", lambda u: str(u.institution.uuid)),
        ("region", lambda u: u.institution.region.code),
        ("kind", lambda u: "judicial"),
    ],
)
def test_statistics_group_keys_are_public_ids(api, replied_and_open, court_clerk, group_by, key):
    data = api(court_clerk).get(STATS_URL, {"start": "2026-10-01", "end": "2026-12-31", "group_by": group_by}).json()
    [row] = data["rows"]
    if group_by == "region":
        assert row["key"] == replied_and_open.recipient.region.code
    else:
        assert row["key"] == key(court_clerk)
    if group_by == "kind":
        assert row["group"] == "司法建议"


def test_statistics_default_to_the_current_quarter(api, court_clerk):
    data = api(court_clerk).get(STATS_URL).json()
    today = timezone.localdate()
    assert D(data["start"]) <= today <= D(data["end"])
    assert D(data["start"]).day == 1 and (D(data["end"]) + dt.timedelta(days=1)).day == 1
    assert data["group_by"] == "issuer"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"quarter": "2026Q5"}, "quarter"),
        ({"quarter": "2026-3"}, "quarter"),
        ({"quarter": "0001Q1"}, "quarter"),
        ({"quarter": "2026Q3", "start": "2026-07-01"}, "quarter"),
        ({"start": "2026-07-01"}, "end"),
        ({"end": "2026-07-01"}, "start"),
        ({"start": "2026-09-30", "end": "2026-07-01"}, "end"),
        ({"start": "0001-01-01", "end": "2026-07-01"}, "start"),
        ({"start": "2026-07-01", "end": "9999-12-31"}, "end"),
        ({"start": "July", "end": "2026-07-01"}, "start"),
        ({"quarter": "2026Q3", "group_by": "agency"}, "group_by"),
    ],
)
def test_bad_statistics_parameters_are_field_errors(api, court_clerk, params, field):
    response = api(court_clerk).get(STATS_URL, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_quarter_four_ends_on_new_years_eve(api, court_clerk):
    data = api(court_clerk).get(STATS_URL, {"quarter": "2026q4"}).json()
    assert (data["start"], data["end"]) == ("2026-10-01", "2026-12-31")


@pytest.mark.parametrize("rows", [10, 200])
def test_statistics_query_count_is_constant(
    api, rows, court_clerk, agency_staff, office, django_assert_max_num_queries
):
    bulk_received(rows, court_clerk, agency_staff.institution)
    today = timezone.localdate()
    for user in (court_clerk, agency_staff, office):
        for group_by in ("issuer", "recipient", "region", "kind"):
            client = api(user)
            with django_assert_max_num_queries(4):
                response = client.get(
                    STATS_URL, {"start": today.isoformat(), "end": today.isoformat(), "group_by": group_by}
                )
            assert response.status_code == 200
            assert response.json()["totals"]["issued"] == rows


def test_statistics_need_a_signed_in_user(api):
    assert api().get(STATS_URL).status_code == 401


# ----------------------------------------------------------------------------- filings


def test_procuratorate_files_with_the_office_who_sees_it(
    api, make_suggestion, proc_staff, proc_head, office, agency_staff, court_clerk
):
    s = make_suggestion(proc_staff, proc_head)
    response = post(
        api(proc_staff),
        FILINGS_URL,
        {
            "kind": "suggestion",
            "title": "检察建议备案",
            "summary": "概况",
            "suggestion": str(s.uuid),
            "procuratorate": "x",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["office"]["uuid"] == str(office.institution.uuid)
    assert data["procuratorate"]["uuid"] == str(proc_staff.institution.uuid)
    assert (data["suggestion"], data["suggestion_doc_number"]) == (str(s.uuid), s.letter.doc_number)
    assert data["filed_on"] == timezone.localdate().isoformat()
    url = f"{FILINGS_URL}{data['uuid']}/"
    for user in (office, proc_staff):
        assert api(user).get(url).status_code == 200
        assert api(user).get(FILINGS_URL).json()["count"] == 1
    for user in (agency_staff, court_clerk):
        assert api(user).get(url).status_code == 404
        assert api(user).get(FILINGS_URL).json()["count"] == 0
    assert api(office).get(FILINGS_URL, {"kind": "supervision_case"}).json()["count"] == 0
    assert api(office).get(FILINGS_URL, {"kind": "nonsense"}).status_code == 400


@pytest.mark.parametrize("username", ["court_clerk", "agency_staff", "office", "auditor", "gov_legal"])
def test_only_the_procuratorate_files(api, world, username):
    before = snapshot()
    response = post(api(world[username]), FILINGS_URL, {})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "other"}, "kind"),
        ({"title": ""}, "title"),
        ({"summary": " "}, "summary"),
        ({"filed_on": "2999-01-01"}, "filed_on"),
        ({"filed_on": "soon"}, "filed_on"),
        ({"kind": "suggestion"}, "suggestion"),
        ({"kind": "suggestion", "suggestion": str(uuid.uuid4())}, "suggestion"),
    ],
)
def test_bad_filing_is_a_field_error_and_saves_nothing(api, proc_staff, change, field):
    before = snapshot()
    body = {"kind": "supervision_case", "title": "重大案件备案", "summary": "概况", **change}
    response = post(api(proc_staff), FILINGS_URL, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


def test_filing_someone_elses_suggestion_is_refused(api, make_suggestion, court_clerk, court_head, proc_staff, inst):
    # Visible to the procuratorate (cc'd), but not its own.
    judicial = make_suggestion(court_clerk, court_head, touches_procuratorial=True)
    # Invisible to it: another court's suggestion without cc.
    hidden = make_suggestion(court_clerk, court_head)
    for s in (judicial, hidden):
        response = post(
            api(proc_staff),
            FILINGS_URL,
            {"kind": "suggestion", "title": "t", "summary": "s", "suggestion": str(s.uuid)},
        )
        assert response.status_code == 400 and "suggestion" in response.json()
    assert Filing.objects.count() == 0


@pytest.mark.parametrize("rows", [10, 200])
def test_filing_list_query_count_is_constant(api, rows, proc_staff, office, django_assert_max_num_queries):
    Filing.objects.bulk_create(
        Filing(
            procuratorate=proc_staff.institution,
            office=office.institution,
            kind="supervision_case",
            title=f"备案{i}",
            summary="概况",
            filed_on=timezone.localdate(),
            created_by=proc_staff,
        )
        for i in range(rows)
    )
    for user in (proc_staff, office):
        client = api(user)
        with django_assert_max_num_queries(4):
            response = client.get(FILINGS_URL, {"page_size": 200})
        assert response.json()["count"] == rows and len(response.json()["results"]) == rows
