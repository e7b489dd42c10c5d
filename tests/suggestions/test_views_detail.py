"""The suggestion detail page: who sees it, what it says, which actions it offers."""

import re

import pytest
from django.utils import timezone

from suggestions import services

from ._view_helpers import CITY_AGENCY, client_for, draft
from .conftest import D


def url(s, suffix=""):
    return f"/suggestions/{s.uuid}/{suffix}"


def buttons(user, s) -> set[str]:
    """The actions the detail page offers: its buttons' verbs, without the prefix."""
    body = client_for(user).get(url(s)).content.decode()
    return {verb.split(".", 1)[1] for verb in re.findall(r'data-verb="([^"]+)"', body)}


@pytest.fixture
def issued(make_suggestion, court_clerk, court_head, inst):
    return make_suggestion(court_clerk, court_head, title="已发出的司法建议", cc=[inst["柳州市人民政府"]])


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff):
    return make_suggestion(
        court_clerk,
        court_head,
        title="已签收的司法建议",
        issued_on=D("2025-12-12"),
        received_on=D("2025-12-15"),
        receiver=agency_staff,
    )


def test_parties_and_the_office_see_an_issued_suggestion(issued, court_clerk, agency_staff, gov_legal, office, auditor):
    for user in (court_clerk, agency_staff, gov_legal, office, auditor):
        response = client_for(user).get(url(issued))
        assert response.status_code == 200, user
        assert issued.letter.doc_number in response.content.decode()


def test_others_get_404_and_drafts_stay_with_the_issuer(issued, court_clerk, agency_staff, world, inst):
    for name in ("env_staff", "justice_legal", "county_clerk"):
        assert client_for(world[name]).get(url(issued)).status_code == 404, name
    unsent = draft(court_clerk, inst[CITY_AGENCY])
    assert client_for(agency_staff).get(url(unsent)).status_code == 404
    assert client_for(world["office"]).get(url(unsent)).status_code == 404
    assert client_for(agency_staff).get("/suggestions/not-a-uuid/").status_code == 404
    assert client_for(agency_staff).get("/suggestions/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_header_shows_deadline_and_its_computation(received, agency_staff):
    body = client_for(agency_staff).get(url(received)).content.decode()
    assert "回复期限 2026-02-24" in body
    assert "签收 2025-12-15 + 2个月 = 2026-02-15，春节假期 → 2026-02-24" in body
    overdue_days = (timezone.localdate() - D("2026-02-24")).days
    assert f"已逾期 {overdue_days} 天" in body and "text-bg-danger" in body


def test_before_receipt_the_period_is_stated_not_a_date(issued, agency_staff):
    body = client_for(agency_staff).get(url(issued)).content.decode()
    assert "回复期限：自签收之日起 2个月" in body and "待签收" in body


def test_detail_shows_problem_recommendations_and_the_letter(issued, agency_staff):
    body = client_for(agency_staff).get(url(issued)).content.decode()
    assert issued.problem in body and issued.recommendations in body
    assert f"/letters/{issued.letter.uuid}/" in body


def test_actions_offered_follow_role_and_state(
    issued, court_clerk, court_head, agency_staff, agency_head, gov_legal, auditor
):
    can = buttons
    assert can(agency_staff, issued) == {"receive"}
    assert can(agency_head, issued) == {"receive"}
    assert can(court_head, issued) == {"withdraw"}
    assert can(court_clerk, issued) == set()
    assert can(gov_legal, issued) == set()  # cc'd: reads only
    assert can(auditor, issued) == set()
    services.suggestion_receive(suggestion=issued, by=agency_staff)
    assert can(agency_staff, issued) == {"reply", "request_extension"}
    assert can(court_head, issued) == set()


def test_draft_actions_for_clerk_and_head(court_clerk, court_head, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    assert buttons(court_clerk, s) == {"edit", "submit"}
    services.suggestion_submit(suggestion=s, by=court_clerk)
    assert buttons(court_head, s) == {"approve", "return", "withdraw"}


def test_the_cc_procuratorate_is_offered_the_linked_suggestion(
    make_suggestion, court_clerk, court_head, proc_staff, proc_head
):
    s = make_suggestion(court_clerk, court_head, touches_procuratorial=True)
    response = client_for(proc_staff).get(url(s))
    assert "link" in buttons(proc_staff, s)
    assert f"/suggestions/new/?linked_from={s.uuid}" in response.content.decode()
    assert "签发关联检察建议" in response.content.decode()


def test_linked_suggestions_show_both_ways_once_visible(
    make_suggestion, court_clerk, court_head, proc_staff, proc_head, office
):
    source = make_suggestion(court_clerk, court_head, touches_procuratorial=True, title="源司法建议")
    linked = services.suggestion_create(
        by=proc_staff,
        recipient=source.recipient,
        title="关联检察建议",
        problem="p",
        recommendations="r",
        subkind="general",
        linked_from=source,
    )
    # The procuratorate's draft is its own business.
    assert "关联检察建议" not in client_for(office).get(url(source)).content.decode()
    services.suggestion_submit(suggestion=linked, by=proc_staff)
    services.suggestion_approve(suggestion=linked, by=proc_head)
    services.suggestion_issue(suggestion=linked, by=proc_head)
    assert "关联检察建议" in client_for(office).get(url(source)).content.decode()
    assert "源司法建议" in client_for(proc_staff).get(url(linked)).content.decode()
    assert "源司法建议" in client_for(office).get(url(linked)).content.decode()
    # The court whose suggestion it follows sees the linked procuratorial suggestion too.
    assert "关联检察建议" in client_for(court_clerk).get(url(source)).content.decode()


def test_recipient_timeline_hides_the_issuers_internal_steps(issued, agency_staff, court_clerk):
    services.suggestion_receive(suggestion=issued, by=agency_staff)
    steps = [e.label for e in client_for(agency_staff).get(url(issued)).context["timeline"]]
    assert "签发建议书" in steps and "签收" in steps
    assert "提交审批" not in steps and "起草" not in steps
    issuer_steps = [e.label for e in client_for(court_clerk).get(url(issued)).context["timeline"]]
    assert issuer_steps[:3] == ["起草", "提交审批", "审批同意"]


def test_a_pending_reply_is_seen_only_inside_the_recipient(received, agency_staff, agency_head, court_clerk):
    services.suggestion_reply(suggestion=received, by=agency_staff, measures="内部草拟的回复")
    assert "内部草拟的回复" in client_for(agency_head).get(url(received)).content.decode()
    assert "内部草拟的回复" not in client_for(court_clerk).get(url(received)).content.decode()
    assert "approve" in buttons(agency_head, received)  # reply.approve


def test_detail_query_count_is_bounded(received, agency_staff, django_assert_max_num_queries):
    client = client_for(agency_staff)
    with django_assert_max_num_queries(30):
        assert client.get(url(received)).status_code == 200


def test_case_number_links_to_the_case_for_those_who_may_open_it(
    make_suggestion, court_clerk, court_head, agency_staff, world, inst
):
    from cases import services as case_services
    from cases.models import Cause

    case = case_services.case_create(
        by=court_clerk,
        number="（2026）桂02行初77号",
        defendants=[inst[CITY_AGENCY]],
        instance="first",
        cause=Cause.objects.get(name="行政处罚"),
        plaintiffs="张三",
        filed_on=D("2026-03-02"),
    )
    s = make_suggestion(court_clerk, court_head, title="有关联案件的建议", case_number=case.number)
    link = f'href="{case.get_absolute_url()}" data-case-link'
    assert link in client_for(court_clerk).get(url(s)).content.decode()
    assert link in client_for(agency_staff).get(url(s)).content.decode()
    # the 城管局's case is not the 生态环境局's: a party to the suggestion who may not open the
    # case reads its number as text, without a link
    case.defendants.set([inst["柳州市生态环境局"]])
    body = client_for(agency_staff).get(url(s)).content.decode()
    assert "data-case-link" not in body and case.number in body
    # a number no case carries stays text
    other = make_suggestion(court_clerk, court_head, title="案号不存在", case_number="（2026）桂02行初999号")
    body = client_for(court_clerk).get(url(other)).content.decode()
    assert "data-case-link" not in body and "（2026）桂02行初999号" in body
