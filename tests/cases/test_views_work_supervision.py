"""执行监督 pages: list, receiving an application (two 函告), detail, decision with confirmation;
个案监督 by 案号."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from cases import services
from cases.models import CaseSupervision, SupervisionApplication
from liaison.calendar import WorkCalendar
from liaison.models import LedgerEntry, Letter

from ._work_helpers import body, bulk_supervisions, client_for, listed, queries_for, rows_of, today
from .conftest import CITY_AGENCY

LIST = "/cases/supervisions/"
NEW = "/cases/supervisions/new/"
CASE_NEW = "/cases/case-supervisions/new/"


def url(app, action=""):
    return f"/cases/supervisions/{app.uuid}/{action + '/' if action else ''}"


def letters(app):
    return Letter.objects.filter(source_type__model="supervisionapplication", source_id=app.pk).order_by("id")


@pytest.fixture
def application(proc_head, inst):
    """Received by the procuratorate's head: both 函告 are issued."""
    return services.supervision_create(
        by=proc_head,
        applicant="柳州某置业有限公司",
        court=inst["柳州市中级人民法院"],
        enforcing_agency=inst[CITY_AGENCY],
        request="认为强制拆除程序违法，申请监督。",
        received_on=today() - dt.timedelta(days=5),
    )


def valid(inst, **changes):
    data = {
        "applicant": "柳州某置业有限公司",
        "court": str(inst["柳州市中级人民法院"].uuid),
        "enforcing_agency": str(inst[CITY_AGENCY].uuid),
        "enforcement": "",
        "request": "认为强制拆除程序违法，申请监督。",
        "received_on": (today() - dt.timedelta(days=1)).isoformat(),
    }
    data.update(changes)
    return data


# ----------------------------------------------------------------------------- list


@pytest.mark.parametrize("persona", ["proc_staff", "court_clerk", "agency_staff", "office"])
def test_parties_see_the_application_with_its_decision_deadline(application, world, persona):
    response = client_for(world[persona]).get(LIST)
    assert response.status_code == 200 and [a.pk for a in listed(response)] == [application.pk]
    left = WorkCalendar().working_days_between(today(), application.decision_due)
    assert f"剩余 {left} 个工作日" in body(response)


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "gov_legal"])
def test_outsiders_list_nothing(application, world, persona):
    response = client_for(world[persona]).get(LIST)
    assert listed(response) == [] and application.applicant not in body(response)


def test_list_filters_and_sorting(proc_staff, inst):
    bulk_supervisions(inst["柳州市人民检察院"], inst["柳州市中级人民法院"], inst[CITY_AGENCY], proc_staff, 12)
    client = client_for(proc_staff)
    assert [a.applicant for a in listed(client.get(LIST, {"q": "申请人11"}))] == ["申请人11"]
    assert listed(client.get(LIST, {"status": "decided"})) == []
    dues = [a.decision_due for a in listed(client.get(LIST, {"sort": "-decision_due"}))]
    assert dues == sorted(dues, reverse=True)
    assert client.get(LIST, {"status": "x", "sort": "x"}).status_code == 200


@pytest.mark.parametrize("persona", ["proc_staff", "court_clerk", "office"])
def test_list_query_count_is_the_same_at_10_and_200_rows(world, inst, proc_staff, persona):
    args = (inst["柳州市人民检察院"], inst["柳州市中级人民法院"], inst[CITY_AGENCY], proc_staff)
    client = client_for(world[persona])
    bulk_supervisions(*args, 10, prefix="甲")
    few, _r = queries_for(client, LIST, {"sort": "court"})
    bulk_supervisions(*args, 190, prefix="乙")
    many, response = queries_for(client, LIST, {"sort": "court"})
    assert response.context["page"].paginator.count == 200 and few == many <= 12


def test_export_holds_the_filtered_rows(proc_staff, inst):
    bulk_supervisions(inst["柳州市人民检察院"], inst["柳州市中级人民法院"], inst[CITY_AGENCY], proc_staff, 55)
    header, rows = rows_of(client_for(proc_staff).get(LIST + "export/", {"q": "申请人1"}))
    assert (
        header[0] == "申请人"
        and len(rows) == SupervisionApplication.objects.filter(applicant__contains="申请人1").count()
    )


# ----------------------------------------------------------------------------- receive


def test_procuratorate_receives_an_application_and_both_letters_go_to_its_head(proc_staff, inst):
    client = client_for(proc_staff)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, valid(inst))
    app = SupervisionApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == url(app)
    assert [letter.status for letter in letters(app)] == ["pending", "pending"]


def test_the_enforcement_is_linked_by_its_reference(proc_staff, inst, make_enforcement, court_head):
    e = services.enforcement_rule(
        enforcement=make_enforcement(),
        by=court_head,
        ruling="granted",
        ruled_on=today() - dt.timedelta(days=20),
        assignee=inst[CITY_AGENCY],
    )
    client = client_for(proc_staff)
    wrong = client.post(NEW, valid(inst, enforcement="柳自然资罚〔2026〕99号"))
    assert "enforcement" in wrong.context["form"].errors and not SupervisionApplication.objects.exists()
    client.post(NEW, valid(inst, enforcement=e.basis_reference))
    app = SupervisionApplication.objects.get()
    assert app.enforcement == e
    assert f"/cases/enforcements/{e.uuid}/" in body(client.get(url(app)))


@pytest.mark.parametrize("persona", ["auditor", "court_clerk", "agency_staff"])
def test_only_a_procuratorate_receives_applications(world, inst, persona):
    client = client_for(world[persona])
    assert client.get(NEW).status_code == 403 and client.post(NEW, valid(inst)).status_code == 403
    assert not SupervisionApplication.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"applicant": ""}, "applicant"),
        ({"court": str(uuid.UUID(int=1))}, "court"),
        ({"enforcing_agency": ""}, "enforcing_agency"),
        ({"received_on": "2099-01-01"}, "received_on"),
        ({"request": ""}, "request"),
    ],
)
def test_bad_application_is_refused_beside_the_field(proc_staff, inst, change, field):
    response = client_for(proc_staff).post(NEW, valid(inst, **change))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not SupervisionApplication.objects.exists() and not Letter.objects.exists()


def test_the_court_is_not_accepted_as_enforcing_agency(proc_staff, inst):
    response = client_for(proc_staff).post(NEW, valid(inst, enforcing_agency=str(inst["柳州市中级人民法院"].uuid)))
    assert "enforcing_agency" in response.context["form"].errors


def test_receiving_needs_the_csrf_token(proc_staff, inst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(proc_staff)
    assert client.post(NEW, valid(inst)).status_code == 403 and not SupervisionApplication.objects.exists()


# ----------------------------------------------------------------------------- detail


def test_detail_shows_deadline_letters_and_timeline(application, proc_staff, court_clerk, agency_staff):
    court_letter, agency_letter = letters(application)
    text = body(client_for(proc_staff).get(url(application)))
    assert "决定期限" in text and application.decision_due.isoformat() in text and "剩余" in text
    assert court_letter.doc_number in text and agency_letter.doc_number in text
    assert "受理执行监督申请" in text and "作出决定…" in text
    # The court and the agency each see the letter addressed to them, and no action.
    court_text = body(client_for(court_clerk).get(url(application)))
    assert court_letter.doc_number in court_text and agency_letter.doc_number not in court_text
    assert "作出决定…" not in court_text
    agency_text = body(client_for(agency_staff).get(url(application)))
    assert agency_letter.doc_number in agency_text and court_letter.doc_number not in agency_text


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "county_clerk", "gov_legal"])
def test_detail_is_404_for_outsiders(application, world, persona):
    client = client_for(world[persona])
    assert client.get(url(application)).status_code == 404
    assert client.get(url(application, "decide")).status_code == 404
    assert (
        client.post(url(application, "decide"), {"decision": "support", "reasons": "x", "confirmed": "1"}).status_code
        == 404
    )


# ----------------------------------------------------------------------------- decision


def test_decision_is_confirmed_then_recorded_and_the_ledger_closes(application, proc_staff):
    client = client_for(proc_staff)
    assert client.get(url(application, "decide")).status_code == 200
    data = {"decision": "not_support", "reasons": "强制执行程序合法。", "decided_on": ""}
    step1 = client.post(url(application, "decide"), data)
    assert step1.status_code == 200 and "确认决定" in body(step1) and "不支持监督申请" in body(step1)
    application.refresh_from_db()
    assert application.status == "received"
    done = client.post(url(application, "decide"), {**data, "confirmed": "1"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision) == ("decided", "not_support")
    entry = LedgerEntry.objects.get(source_type__model="supervisionapplication", source_id=application.pk)
    assert entry.status == "done"
    text = body(client.get(url(application)))
    assert "不支持监督申请" in text and "强制执行程序合法" in text and "作出决定…" not in text
    again = client.post(url(application, "decide"), {**data, "confirmed": "1"}, follow=True)
    assert "不能执行此操作" in body(again)


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "auditor", "office"])
def test_only_the_procuratorate_decides(application, world, persona):
    client = client_for(world[persona])
    assert client.get(url(application, "decide")).status_code == 403
    assert (
        client.post(url(application, "decide"), {"decision": "support", "reasons": "x", "confirmed": "1"}).status_code
        == 403
    )
    application.refresh_from_db()
    assert application.status == "received"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"decision": "", "reasons": "r"}, "decision"),
        ({"decision": "maybe", "reasons": "r"}, "decision"),
        ({"decision": "support", "reasons": ""}, "reasons"),
        ({"decision": "support", "reasons": "r", "decided_on": "2020-01-01"}, "decided_on"),
    ],
)
def test_bad_decision_is_refused_and_nothing_changes(application, proc_staff, data, field):
    response = client_for(proc_staff).post(url(application, "decide"), {**data, "confirmed": "1"})
    assert response.status_code == 200 and field in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == "received"


def test_decision_needs_the_csrf_token(application, proc_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(proc_staff)
    response = client.post(url(application, "decide"), {"decision": "support", "reasons": "x", "confirmed": "1"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "received"


# ----------------------------------------------------------------------------- 个案监督


ANSWER = "已受理对 %s 的个案监督。"


def test_case_supervision_by_number_opens_the_case_to_the_procuratorate(proc_head, make_case):
    case = make_case()
    client = client_for(proc_head)
    assert client.get(CASE_NEW).status_code == 200
    response = client.post(
        CASE_NEW, {"case": case.number.replace("（", "(").replace("）", ")"), "notes": "依职权监督。"}, follow=True
    )
    assert ANSWER % case.number in body(response)
    assert CaseSupervision.objects.get().case == case


def test_case_supervision_answers_the_same_for_no_case_in_jurisdiction(proc_head, county_clerk, make_case, user_at):
    from liaison.models import User

    county_proc = user_at("柳州市鱼峰区人民检察院", role=User.Role.HEAD)
    case = make_case(by=county_clerk, number="（2026）桂0202行初5号")  # 城中区 court
    head, county = client_for(proc_head), client_for(county_proc)
    found = head.post(CASE_NEW, {"case": case.number, "notes": "监督"}, follow=True)
    outside = county.post(CASE_NEW, {"case": case.number, "notes": "监督"}, follow=True)
    missing = head.post(CASE_NEW, {"case": "（2026）桂0202行初999号", "notes": "监督"}, follow=True)
    assert [r.redirect_chain for r in (found, outside)] == [missing.redirect_chain] * 2
    assert ANSWER % case.number in body(found) and ANSWER % case.number in body(outside)
    assert ANSWER % "（2026）桂0202行初999号" in body(missing)
    assert CaseSupervision.objects.count() == 1  # only the one in jurisdiction


def test_a_malformed_number_is_still_a_field_error(proc_head):
    response = client_for(proc_head).post(CASE_NEW, {"case": "garbage", "notes": "监督"})
    assert response.status_code == 200 and "case" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["proc_staff", "court_clerk", "agency_staff", "auditor"])
def test_only_a_procuratorates_head_opens_case_supervision(world, make_case, persona):
    case = make_case()
    client = client_for(world[persona])
    assert client.get(CASE_NEW).status_code == 403
    assert client.post(CASE_NEW, {"case": case.number, "notes": "x"}).status_code == 403
    assert not CaseSupervision.objects.exists()


def test_case_supervision_twice_is_a_message(proc_head, make_case):
    case = make_case()
    client = client_for(proc_head)
    client.post(CASE_NEW, {"case": case.number, "notes": "监督"})
    again = client.post(CASE_NEW, {"case": case.number, "notes": "监督"}, follow=True)
    assert "本院已对该案件立案监督" in body(again) and CaseSupervision.objects.count() == 1


def test_case_supervision_needs_the_csrf_token(proc_head, make_case):
    case = make_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(proc_head)
    assert client.post(CASE_NEW, {"case": case.number, "notes": "x"}).status_code == 403
    assert not CaseSupervision.objects.exists()
