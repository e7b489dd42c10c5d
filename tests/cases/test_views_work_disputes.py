"""诉前化解 pages: list, taking up a dispute (court or government), mediation sessions, the
conclusion with confirmation and a case picked from the cases the user sees."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from cases import services
from cases.models import Dispute, MediationSession

from ._work_helpers import body, bulk_disputes, client_for, listed, queries_for, rows_of, today
from .conftest import CITY_AGENCY

LIST = "/cases/disputes/"
NEW = "/cases/disputes/new/"


def url(d, action=""):
    return f"/cases/disputes/{d.uuid}/{action + '/' if action else ''}"


@pytest.fixture
def dispute(court_clerk, inst):
    return services.dispute_create(
        by=court_clerk,
        title="房屋征收补偿争议",
        applicant="张三",
        agency=inst[CITY_AGENCY],
        summary="申请人对补偿标准有异议。",
        received_on=today() - dt.timedelta(days=10),
    )


def valid(inst, **changes):
    data = {
        "title": "拆除违法建筑争议",
        "applicant": "李四",
        "agency": str(inst[CITY_AGENCY].uuid),
        "summary": "对拆除决定有异议。",
        "received_on": today().isoformat(),
    }
    data.update(changes)
    return data


# ----------------------------------------------------------------------------- list


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "gov_legal", "office"])
def test_parties_list_the_dispute(dispute, world, persona):
    response = client_for(world[persona]).get(LIST)
    assert [d.pk for d in listed(response)] == [dispute.pk] and "化解中" in body(response)


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "proc_staff", "county_clerk"])
def test_outsiders_list_nothing(dispute, world, persona):
    response = client_for(world[persona]).get(LIST)
    assert listed(response) == [] and dispute.title not in body(response)


@pytest.mark.parametrize("persona", ["court_clerk", "gov_legal", "office"])
def test_list_query_count_is_the_same_at_10_and_200_rows(world, inst, court_clerk, persona):
    args = (inst[CITY_AGENCY], inst["柳州市人民政府"], inst["柳州市中级人民法院"], court_clerk)
    client = client_for(world[persona])
    bulk_disputes(*args, 10, prefix="甲")
    few, _r = queries_for(client, LIST, {"sort": "agency"})
    bulk_disputes(*args, 190, prefix="乙")
    many, response = queries_for(client, LIST, {"sort": "agency"})
    assert response.context["page"].paginator.count == 200 and few == many <= 12


def test_filters_sorting_and_export(court_clerk, inst, dispute):
    bulk_disputes(
        inst[CITY_AGENCY], inst["柳州市人民政府"], inst["柳州市中级人民法院"], court_clerk, 15, prefix="批量争议"
    )
    client = client_for(court_clerk)
    assert [d.title for d in listed(client.get(LIST, {"q": "批量争议3"}))] == ["批量争议3"]
    titles = [d.title for d in listed(client.get(LIST, {"sort": "title"}))]
    assert titles == sorted(titles)
    assert client.get(LIST, {"status": "??"}).status_code == 200
    header, rows = rows_of(client.get(LIST + "export/", {"q": "批量争议"}))
    assert header[0] == "争议事项" and len(rows) == 15


# ----------------------------------------------------------------------------- take up


def test_court_takes_up_a_dispute_with_the_agencys_government(court_clerk, inst):
    client = client_for(court_clerk)
    form = client.get(NEW).context["form"]
    assert "court" not in form.fields and "government" in form.fields
    response = client.post(NEW, valid(inst))
    d = Dispute.objects.get()
    assert response["Location"] == url(d)
    assert (d.court.name, d.government.name) == ("柳州市中级人民法院", "柳州市人民政府")


def test_government_takes_up_a_dispute_about_its_own_department(gov_legal, inst):
    client = client_for(gov_legal)
    form = client.get(NEW).context["form"]
    assert "government" not in form.fields
    assert CITY_AGENCY in {i.name for i in form.fields["agency"].queryset}
    assert "柳州市城中区司法局" not in {i.name for i in form.fields["agency"].queryset}
    client.post(NEW, valid(inst, court=str(inst["柳州市中级人民法院"].uuid)))
    assert Dispute.objects.get().government.name == "柳州市人民政府"


@pytest.mark.parametrize("persona", ["agency_staff", "proc_staff", "auditor"])
def test_only_courts_and_governments_take_up_disputes(world, inst, persona):
    client = client_for(world[persona])
    assert client.get(NEW).status_code == 403 and client.post(NEW, valid(inst)).status_code == 403
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"agency": str(uuid.UUID(int=7))}, "agency"),
        ({"received_on": "2099-12-31"}, "received_on"),
        ({"government": "柳州市人民政府"}, "government"),  # not a public id
    ],
)
def test_bad_dispute_is_refused_beside_the_field(court_clerk, inst, change, field):
    response = client_for(court_clerk).post(NEW, valid(inst, **change))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Dispute.objects.exists()


def test_an_agency_of_another_government_is_refused(court_clerk, inst):
    data = valid(inst, government=str(inst["柳州市城中区人民政府"].uuid))
    response = client_for(court_clerk).post(NEW, data)
    assert "agency" in response.context["form"].errors and not Dispute.objects.exists()


def test_taking_up_needs_the_csrf_token(court_clerk, inst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    assert client.post(NEW, valid(inst)).status_code == 403 and not Dispute.objects.exists()


# ----------------------------------------------------------------------------- detail, sessions, conclusion


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "proc_staff"])
def test_detail_and_actions_are_404_for_outsiders(dispute, world, persona):
    client = client_for(world[persona])
    for action in ("", "sessions/new", "conclude"):
        assert client.get(url(dispute, action)).status_code == 404


def session(**changes):
    data = {
        "held_on": today().isoformat(),
        "location": "市中院调解室",
        "participants": "法官、局法规科",
        "result": "达成初步意向。",
    }
    data.update(changes)
    return data


def test_a_party_records_a_mediation_session(dispute, agency_staff):
    client = client_for(agency_staff)
    text = body(client.get(url(dispute)))
    assert "记录联合调解…" in text and "化解结束…" not in text  # the agency mediates, the hosts conclude
    assert client.post(url(dispute, "sessions/new"), session()).status_code == 302
    assert MediationSession.objects.get().location == "市中院调解室"
    assert "达成初步意向" in body(client.get(url(dispute)))


def test_bad_session_is_refused_and_nothing_saved(dispute, court_clerk):
    response = client_for(court_clerk).post(url(dispute, "sessions/new"), session(held_on="2020-01-01", result=""))
    errors = response.context["form"].errors
    assert "result" in errors and not MediationSession.objects.exists()
    response = client_for(court_clerk).post(url(dispute, "sessions/new"), session(held_on="2020-01-01"))
    assert "held_on" in response.context["form"].errors and not MediationSession.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "office"])
def test_readers_may_not_record_sessions(dispute, world, persona):
    response = client_for(world[persona]).post(url(dispute, "sessions/new"), session())
    assert response.status_code == 403 and not MediationSession.objects.exists()


def test_conclusion_is_confirmed_and_a_filed_dispute_links_a_visible_case(dispute, court_clerk, make_case):
    case = make_case()
    client = client_for(court_clerk)
    assert client.get(url(dispute, "conclude")).status_code == 200
    data = {"status": "filed", "outcome_on": today().isoformat(), "notes": "已立案受理。", "case": case.number}
    step1 = client.post(url(dispute, "conclude"), data)
    assert step1.status_code == 200 and "确认化解结果" in body(step1) and case.number in body(step1)
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert client.post(url(dispute, "conclude"), {**data, "confirmed": "1"}).status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.case) == ("filed", case)
    text = body(client.get(url(dispute)))
    assert "立案受理" in text and f"/cases/{case.uuid}/" in text and "记录联合调解…" not in text


def test_a_filed_dispute_needs_a_case_the_user_sees(dispute, court_clerk, county_clerk, make_case):
    other = make_case(by=county_clerk, number="（2026）桂0202行初8号")
    client = client_for(court_clerk)
    base = {"status": "filed", "outcome_on": today().isoformat(), "notes": "n", "confirmed": "1"}
    for number in ("", other.number, "乱写"):
        response = client.post(url(dispute, "conclude"), {**base, "case": number})
        assert response.status_code == 200 and "case" in response.context["form"].errors
    dispute.refresh_from_db()
    assert dispute.status == "open"


@pytest.mark.parametrize("persona", ["agency_staff", "auditor"])
def test_only_the_hosts_conclude(dispute, world, persona):
    data = {"status": "resolved", "outcome_on": today().isoformat(), "notes": "n", "confirmed": "1"}
    client = client_for(world[persona])
    assert client.get(url(dispute, "conclude")).status_code == 403
    assert client.post(url(dispute, "conclude"), data).status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_conclusion_and_sessions_need_the_csrf_token(dispute, court_clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    data = {"status": "resolved", "outcome_on": today().isoformat(), "notes": "n", "confirmed": "1"}
    assert client.post(url(dispute, "conclude"), data).status_code == 403
    assert client.post(url(dispute, "sessions/new"), session()).status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == "open" and not MediationSession.objects.exists()


def test_a_concluded_dispute_takes_no_more_sessions(dispute, court_clerk):
    services.dispute_conclude(dispute=dispute, by=court_clerk, status="withdrawn", outcome_on=today(), notes="撤回")
    response = client_for(court_clerk).post(url(dispute, "sessions/new"), session(), follow=True)
    assert "不能执行此操作" in body(response) and not MediationSession.objects.exists()
