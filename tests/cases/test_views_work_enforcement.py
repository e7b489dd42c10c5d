"""裁执分离 pages: list, register, detail, ruling with confirmation, written feedback, and the round
trip court → assignee → head's sign-off on the letter page → 已书面反馈, ledger 已办结."""

import datetime as dt

import pytest
from django.test import Client

from cases import services
from cases.models import Enforcement
from liaison.calendar import WorkCalendar
from liaison.models import LedgerEntry, Letter

from ._work_helpers import body, bulk_enforcements, client_for, listed, queries_for, rows_of, today
from .conftest import APPLICANT, CITY_AGENCY

LIST = "/cases/enforcements/"
NEW = "/cases/enforcements/new/"


def url(e, action=""):
    return f"/cases/enforcements/{e.uuid}/{action + '/' if action else ''}"


def grant(e, by, assignee, ruled_on=None):
    return services.enforcement_rule(
        enforcement=e, by=by, ruling="granted", ruled_on=ruled_on or today() - dt.timedelta(days=3), assignee=assignee
    )


@pytest.fixture
def assigned(make_enforcement, court_head, inst):
    """Granted by the court's head: the assignment letter is issued, the assignee's ledger entry open."""
    return grant(make_enforcement(), court_head, inst[CITY_AGENCY])


def ledger(e):
    return LedgerEntry.objects.filter(source_type__model="enforcement", source_id=e.pk)


def valid_application(inst, **changes):
    data = {
        "applicant": str(inst[APPLICANT].uuid),
        "basis": "decision",
        "basis_reference": "柳自然资罚〔2026〕88号",
        "respondent": "柳州某置业有限公司",
        "obligation": "限期拆除违法建筑物。",
        "applied_on": "2026-02-10",
        "case": "",
    }
    data.update(changes)
    return data


# ----------------------------------------------------------------------------- list and export


def test_court_and_assignee_see_the_list_with_feedback_deadline_words(assigned, court_clerk, agency_staff):
    for persona in (court_clerk, agency_staff):
        response = client_for(persona).get(LIST)
        assert response.status_code == 200
        assert [e.pk for e in listed(response)] == [assigned.pk]
    text = body(client_for(agency_staff).get(LIST))
    assert assigned.basis_reference in text and "已交由政府组织实施" in text
    days = (assigned.feedback_due - today()).days
    left = WorkCalendar().working_days_between(today(), assigned.feedback_due)
    assert (f"剩余 {left} 个工作日" if days > 0 else f"已逾期 {-days} 天") in text


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "county_clerk"])
def test_outsiders_list_nothing(assigned, world, persona):
    response = client_for(world[persona]).get(LIST)
    assert response.status_code == 200 and listed(response) == []
    assert assigned.basis_reference not in body(response)
    assert "这里还没有执行案件" in body(response)


def test_filters_sort_and_bad_values(court_clerk, agency_staff, inst):
    bulk_enforcements(inst["柳州市中级人民法院"], inst[APPLICANT], inst[CITY_AGENCY], court_clerk, 30)
    client = client_for(court_clerk)
    overdue = listed(client.get(LIST, {"overdue": "yes"}))
    assert overdue and all(e.feedback_due < today() for e in overdue)
    assert [e.respondent for e in listed(client.get(LIST, {"q": "被执行人7"}))] == ["被执行人7"]
    assert listed(client.get(LIST, {"status": "refused"})) == []
    dues = [e.feedback_due for e in listed(client.get(LIST, {"sort": "feedback_due"}))]
    assert dues == sorted(dues)
    dues = [e.feedback_due for e in listed(client.get(LIST, {"sort": "-feedback_due"}))]
    assert dues == sorted(dues, reverse=True)
    response = client.get(LIST, {"status": "nonsense", "sort": "evil", "page": "x", "overdue": "maybe"})
    assert response.status_code == 200 and "已忽略此条件" in body(response)


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "office"])
def test_list_query_count_is_the_same_at_10_and_200_rows(world, inst, court_clerk, persona):
    client = client_for(world[persona])
    court, applicant, assignee = inst["柳州市中级人民法院"], inst[APPLICANT], inst[CITY_AGENCY]
    bulk_enforcements(court, applicant, assignee, court_clerk, 10, prefix="甲")
    few, response = queries_for(client, LIST, {"sort": "applicant"})
    assert response.context["page"].paginator.count == 10
    bulk_enforcements(court, applicant, assignee, court_clerk, 190, prefix="乙")
    many, response = queries_for(client, LIST, {"sort": "applicant"})
    assert response.context["page"].paginator.count == 200
    assert few == many <= 12


def test_export_holds_exactly_the_filtered_rows(court_clerk, inst, outsider_agency):
    bulk_enforcements(inst["柳州市中级人民法院"], inst[APPLICANT], inst[CITY_AGENCY], court_clerk, 60)
    response = client_for(court_clerk).get(LIST + "export/", {"overdue": "yes"})
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    header, rows = rows_of(response)
    assert header[0] == "执行依据文号" and "期限情况" in header
    expected = Enforcement.objects.filter(feedback_due__lt=today()).count()
    assert len(rows) == expected and all(str(r[12]).startswith("已逾期") for r in rows)
    _header, none = rows_of(client_for(outsider_agency).get(LIST + "export/"))
    assert none == []


# ----------------------------------------------------------------------------- register


def test_court_registers_an_application(court_clerk, inst):
    client = client_for(court_clerk)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, valid_application(inst))
    e = Enforcement.objects.get()
    assert response.status_code == 302 and response["Location"] == url(e)
    assert (e.court, e.applicant.name, e.status) == (court_clerk.institution, APPLICANT, "applied")


def test_registration_can_name_one_of_the_courts_effective_cases(court_clerk, inst, effective_case):
    case = effective_case()
    client_for(court_clerk).post(
        NEW, valid_application(inst, basis="judgment", case=case.number.replace("（", "(").replace("）", ")"))
    )
    assert Enforcement.objects.get().case == case


@pytest.mark.parametrize("persona", ["auditor", "agency_staff", "proc_staff", "gov_legal"])
def test_only_an_acting_court_user_may_register(world, inst, persona):
    client = client_for(world[persona])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, valid_application(inst)).status_code == 403
    assert not Enforcement.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"basis_reference": ""}, "basis_reference"),
        ({"applicant": "8d5b7a8e-0000-4000-8000-000000000000"}, "applicant"),
        ({"applied_on": "2099-01-01"}, "applied_on"),
        ({"applied_on": "2026-13-45"}, "applied_on"),
        ({"case": "不是案号"}, "case"),
        ({"case": "（2026）桂02行初999号"}, "case"),  # no such case
        ({"basis": "judgment", "case": ""}, None),  # accepted: a judgment without a case is the service's call
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(court_clerk, inst, change, field):
    response = client_for(court_clerk).post(NEW, valid_application(inst, **change))
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "请修改以下问题后再提交" in body(response)
    assert "柳州某置业有限公司" in body(response)  # input kept
    assert not Enforcement.objects.exists()


def test_another_courts_case_is_not_found(court_clerk, county_clerk, inst, make_case):
    other = make_case(by=county_clerk, number="（2026）桂0202行初1号")
    response = client_for(court_clerk).post(NEW, valid_application(inst, case=other.number))
    assert "case" in response.context["form"].errors and not Enforcement.objects.exists()


def test_registration_needs_the_csrf_token(court_clerk, inst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    assert client.post(NEW, valid_application(inst)).status_code == 403
    assert not Enforcement.objects.exists()


# ----------------------------------------------------------------------------- detail


def test_detail_header_parties_letters_ledger_and_timeline(assigned, agency_staff, court_clerk):
    text = body(client_for(agency_staff).get(url(assigned)))
    letter = assigned.assignment_letter
    assert assigned.basis_reference in text and "已交由政府组织实施" in text
    assert APPLICANT in text and "柳州市中级人民法院" in text and CITY_AGENCY in text
    assert "书面反馈期限" in text and assigned.feedback_due.isoformat() in text and "期限计算" in text
    assert letter.doc_number in text and f"/letters/{letter.uuid}/" in text
    assert "书面反馈执行情况" in text  # the ledger entry
    assert "作出裁定" in text and "组织实施函已签发" in text  # timeline
    assert "起草书面反馈…" in text  # the assignee's action
    court_text = body(client_for(court_clerk).get(url(assigned)))
    assert "起草书面反馈…" not in court_text and "作出裁定…" not in court_text


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "county_clerk", "proc_staff"])
def test_detail_is_404_for_outsiders(assigned, world, persona):
    client = client_for(world[persona])
    for action in ("", "rule", "feedback"):
        assert client.get(url(assigned, action)).status_code == 404
    assert client.get("/cases/enforcements/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_court_sees_the_clerks_pending_assignment_letter_the_assignee_a_note(
    make_enforcement, court_clerk, inst, agency_staff
):
    e = grant(make_enforcement(), court_clerk, inst[CITY_AGENCY])
    court_text = body(client_for(court_clerk).get(url(e)))
    assert "组织实施函待本院负责人签发" in court_text and f"/letters/{e.assignment_letter.uuid}/" in court_text
    agency_text = body(client_for(agency_staff).get(url(e)))
    assert "法院的组织实施函尚未签发" in agency_text
    assert f"/letters/{e.assignment_letter.uuid}/" not in agency_text and "起草书面反馈…" not in agency_text


# ----------------------------------------------------------------------------- ruling


def ruling(**changes):
    data = {"ruling": "granted", "reasons": "", "ruled_on": (today() - dt.timedelta(days=2)).isoformat()}
    data.update(changes)
    return data


def test_ruling_is_confirmed_before_it_is_recorded(make_enforcement, court_head, inst, agency_staff):
    e = make_enforcement()
    client = client_for(court_head)
    form = client.get(url(e, "rule"))
    assert form.status_code == 200 and 'type="radio" name="ruling" value="granted" class="form-check-input"' in body(
        form
    )
    choices = {i.name for i in form.context["form"].fields["assignee"].queryset}
    assert {"柳州市人民政府", CITY_AGENCY, APPLICANT} <= choices and "柳州市城中区人民政府" not in choices
    data = ruling(assignee=str(inst[CITY_AGENCY].uuid))
    step1 = client.post(url(e, "rule"), data)
    assert step1.status_code == 200 and "确认裁定" in body(step1) and "组织实施函" in body(step1)
    e.refresh_from_db()
    assert e.status == "applied" and not Letter.objects.exists()  # the check ran and was rolled back
    back = client.post(url(e, "rule"), {**data, "back": "1"})
    assert back.status_code == 200 and back.context["form"]["ruling"].value() == "granted"
    done = client.post(url(e, "rule"), {**data, "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == url(e)
    e.refresh_from_db()
    assert e.status == "assigned" and e.assignment_letter.status == "issued"
    assert "组织实施函" in body(client.get(url(e))) and ledger(e).get().owner.name == CITY_AGENCY


def test_a_money_obligation_needs_no_assignee(make_enforcement, court_clerk):
    e = make_enforcement(money=True)
    response = client_for(court_clerk).get(url(e, "rule"))
    assert "assignee" not in response.context["form"].fields and "由本院强制执行" in body(response)
    client_for(court_clerk).post(url(e, "rule"), {**ruling(), "confirmed": "1"})
    e.refresh_from_db()
    assert e.status == "court"


@pytest.mark.parametrize(
    "data, field",
    [
        (ruling(ruling="refused"), "reasons"),
        (ruling(), "assignee"),
        (ruling(ruled_on="2026-02-01"), "ruled_on"),  # before the application
        (ruling(ruling=""), "ruling"),
    ],
)
def test_bad_ruling_is_shown_beside_the_field_and_nothing_changes(make_enforcement, court_clerk, data, field):
    e = make_enforcement()
    for confirmed in ("", "1"):
        response = client_for(court_clerk).post(url(e, "rule"), {**data, "confirmed": confirmed})
        assert response.status_code == 200 and field in response.context["form"].errors
    e.refresh_from_db()
    assert e.status == "applied" and not Letter.objects.exists()


def test_an_assignee_picked_outside_the_courts_region_is_refused(make_enforcement, court_clerk, inst):
    e = make_enforcement()
    response = client_for(court_clerk).post(url(e, "rule"), ruling(assignee=str(inst["柳州市城中区司法局"].uuid)))
    assert "assignee" in response.context["form"].errors


def test_an_agency_may_not_rule_and_a_refused_ruling_is_not_asked_twice(
    make_enforcement, court_clerk, user_at, auditor
):
    e = make_enforcement()
    applicant = user_at(APPLICANT)
    for persona in (applicant, auditor):
        assert client_for(persona).get(url(e, "rule")).status_code == 403
        assert (
            client_for(persona)
            .post(url(e, "rule"), {**ruling(ruling="refused", reasons="r"), "confirmed": "1"})
            .status_code
            == 403
        )
    e.refresh_from_db()
    assert e.status == "applied"
    client = client_for(court_clerk)
    client.post(url(e, "rule"), {**ruling(ruling="refused", reasons="缺乏事实根据"), "confirmed": "1"})
    e.refresh_from_db()
    assert e.status == "refused"
    again = client.get(url(e, "rule"), follow=True)
    assert "不能执行此操作" in body(again)


def test_ruling_needs_the_csrf_token(make_enforcement, court_clerk):
    e = make_enforcement()
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    assert client.post(url(e, "rule"), {**ruling(ruling="refused", reasons="r"), "confirmed": "1"}).status_code == 403
    e.refresh_from_db()
    assert e.status == "applied"


# ----------------------------------------------------------------------------- written feedback


def test_staff_feedback_goes_to_the_letter_page_for_the_heads_sign_off(assigned, agency_staff):
    client = client_for(agency_staff)
    assert client.get(url(assigned, "feedback")).status_code == 200
    response = client.post(url(assigned, "feedback"), {"result": "已于3月20日拆除完毕。"})
    assigned.refresh_from_db()
    letter = assigned.feedback_letter
    assert response.status_code == 302 and response["Location"] == f"/letters/{letter.uuid}/"
    assert letter.status == "pending" and letter.body.startswith("已于3月20日")
    # Once drafted, the page leads to the letter instead of a second draft.
    again = client.get(url(assigned, "feedback"))
    assert again.status_code == 302 and again["Location"] == f"/letters/{letter.uuid}/"
    assert "待本单位负责人签发" in body(client.get(url(assigned)))


def test_a_heads_feedback_is_confirmed_then_issued(assigned, agency_head):
    client = client_for(agency_head)
    step1 = client.post(url(assigned, "feedback"), {"result": "已拆除。"})
    assert step1.status_code == 200 and "确认签发书面反馈" in body(step1)
    assert not Letter.objects.filter(series="fu").exists()
    done = client.post(url(assigned, "feedback"), {"result": "已拆除。", "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == url(assigned)
    assigned.refresh_from_db()
    assert assigned.status == "feedback" and ledger(assigned).get().status == "done"


@pytest.mark.parametrize("persona", ["court_clerk", "court_head", "gov_legal", "auditor"])
def test_only_the_assignee_drafts_feedback(assigned, world, persona):
    client = client_for(world[persona])
    assert client.get(url(assigned, "feedback")).status_code == 403
    assert client.post(url(assigned, "feedback"), {"result": "x"}).status_code == 403
    assigned.refresh_from_db()
    assert assigned.feedback_letter is None


def test_empty_feedback_is_refused_and_nothing_is_drafted(assigned, agency_staff):
    response = client_for(agency_staff).post(url(assigned, "feedback"), {"result": "   "})
    assert response.status_code == 200 and "result" in response.context["form"].errors
    assigned.refresh_from_db()
    assert assigned.feedback_letter is None


def test_feedback_before_the_assignment_letter_is_issued_is_a_message(
    make_enforcement, court_clerk, agency_staff, inst
):
    e = grant(make_enforcement(), court_clerk, inst[CITY_AGENCY])
    response = client_for(agency_staff).post(url(e, "feedback"), {"result": "x"}, follow=True)
    assert response.status_code == 200 and "尚未签发" in body(response)
    e.refresh_from_db()
    assert e.feedback_letter is None


def test_feedback_needs_the_csrf_token(assigned, agency_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agency_staff)
    assert client.post(url(assigned, "feedback"), {"result": "x"}).status_code == 403
    assigned.refresh_from_db()
    assert assigned.feedback_letter is None


# ----------------------------------------------------------------------------- the round trip through the pages


def test_round_trip_ruling_assignee_feedback_head_sign_off(
    make_enforcement, court_clerk, court_head, agency_staff, agency_head, inst
):
    e = make_enforcement()
    # The court's head rules on the page: the assignment letter is issued at once.
    data = {**ruling(assignee=str(inst[CITY_AGENCY].uuid)), "confirmed": "1"}
    assert client_for(court_head).post(url(e, "rule"), data).status_code == 302

    # The assignee sees it, with the letter and its action.
    agency = client_for(agency_staff)
    assert e.pk in [row.pk for row in listed(agency.get(LIST))]
    page = body(agency.get(url(e)))
    e.refresh_from_db()
    assert e.assignment_letter.doc_number in page and "起草书面反馈…" in page
    entry = ledger(e).get()
    assert entry.status == "open"

    # It drafts the feedback and lands on the letter page, where its head signs it off.
    response = agency.post(url(e, "feedback"), {"result": "已组织实施，违法建筑物已拆除完毕。"})
    letter_url = response["Location"]
    e.refresh_from_db()
    assert letter_url == f"/letters/{e.feedback_letter.uuid}/"
    head = client_for(agency_head)
    assert head.get(letter_url).status_code == 200
    assert head.post(letter_url + "issue/", {"issued_on": ""}).status_code == 302

    # The enforcement reads 已书面反馈 and the ledger entry 已办结, for the assignee and the court.
    e.refresh_from_db()
    entry.refresh_from_db()
    assert e.status == "feedback" and entry.status == "done"
    for persona in (agency_staff, court_clerk):
        text = body(client_for(persona).get(url(e)))
        assert "已书面反馈" in text and e.feedback_letter.doc_number in text
    assert "已办结" in body(agency.get(url(e)))  # the ledger card
    assert "已办结" in body(agency.get(f"/ledger/{entry.uuid}/"))
    assert "书面反馈已签发" in body(client_for(court_clerk).get(url(e)))  # the timeline
