"""The suggestion flow: each transition checks state and actor, is atomic and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.errors import Conflict
from liaison.models import AuditEntry, LedgerEntry, Notification
from suggestions import services
from suggestions.models import Reply, Suggestion

from .conftest import D


def test_full_journey_to_evaluation(make_suggestion, court_clerk, court_head, agency_staff, agency_head, inst):
    s = make_suggestion(court_clerk, court_head, received_on=None)
    assert s.status == "issued" and s.letter.doc_number.startswith("柳中法建〔")
    assert s.letter.deliveries.get().recipient == agency_staff.institution
    s = services.suggestion_receive(suggestion=s, by=agency_staff)
    entry = LedgerEntry.objects.get(owner=agency_staff.institution, source_id=s.pk)
    assert entry.status == "open"
    reply = services.suggestion_reply(suggestion=s, by=agency_staff, measures="已完善送达程序。")
    s.refresh_from_db()
    assert reply.status == Reply.Status.PENDING and s.status == "received"
    assert Notification.objects.filter(user=agency_head, kind="suggestion.reply_pending").exists()
    with pytest.raises(PermissionDenied):
        services.reply_approve(reply=reply, by=agency_staff)
    services.reply_approve(reply=reply, by=agency_head)
    s.refresh_from_db()
    reply.refresh_from_db()
    assert s.status == "replied" and reply.letter.doc_number.startswith("柳城管复〔")
    assert reply.letter.deliveries.get().recipient == court_clerk.institution
    entry.refresh_from_db()
    assert entry.status == "done" and entry.evidence == reply.letter.doc_number
    s = services.suggestion_evaluate(suggestion=s, by=court_clerk, evaluation="adopted")
    assert s.status == "evaluated" and s.evaluation == "adopted"
    actions = set(
        AuditEntry.objects.filter(target_id=s.pk, target_type__model="suggestion").values_list("action", flat=True)
    )
    assert {
        "suggestion.create",
        "suggestion.submit",
        "suggestion.approve",
        "suggestion.issue",
        "suggestion.receive",
        "suggestion.reply",
        "suggestion.reply_sent",
        "suggestion.evaluate",
    } <= actions


def test_partly_adopted_opens_a_rectification_round(make_suggestion, court_clerk, court_head, agency_head):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    services.suggestion_reply(suggestion=s, by=agency_head, measures="部分整改。")
    with pytest.raises(ValidationError) as err:
        services.suggestion_evaluate(suggestion=s, by=court_clerk, evaluation="partly")
    assert "reasons" in err.value.message_dict
    s = services.suggestion_evaluate(
        suggestion=s, by=court_clerk, evaluation="partly", reasons="送达问题未整改", rectify=True, rectify_days=20
    )
    assert s.status == "rectifying" and s.round == 2
    assert LedgerEntry.objects.filter(owner=agency_head.institution, source_id=s.pk, status="open").count() == 1
    services.suggestion_reply(suggestion=s, by=agency_head, measures="已全部整改。")
    s.refresh_from_db()
    assert s.status == "replied" and s.replies.count() == 2


def test_second_reply_in_a_round_is_a_conflict(make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_staff
    )
    services.suggestion_reply(suggestion=s, by=agency_staff, measures="第一次")
    with pytest.raises(Conflict):
        services.suggestion_reply(suggestion=s, by=agency_staff, measures="第二次")
    assert s.replies.count() == 1


def test_only_the_recipient_replies_and_only_the_issuer_head_issues(
    make_suggestion, court_clerk, court_head, outsider_agency, gov_legal, inst
):
    s = services.suggestion_create(
        by=court_clerk, recipient=inst["柳州市城市管理行政执法局"], title="t", problem="p", recommendations="r"
    )
    services.suggestion_submit(suggestion=s, by=court_clerk)
    with pytest.raises(PermissionDenied):
        services.suggestion_approve(suggestion=s, by=court_clerk)
    services.suggestion_approve(suggestion=s, by=court_head)
    s = services.suggestion_issue(suggestion=s, by=court_head)
    for stranger in (outsider_agency, gov_legal, court_clerk):
        with pytest.raises(PermissionDenied):
            services.suggestion_receive(suggestion=s, by=stranger)


def test_withdrawal_before_receipt_only(make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(court_clerk, court_head)
    with pytest.raises(PermissionDenied):
        services.suggestion_withdraw(suggestion=s, by=court_clerk, reason="r")
    services.suggestion_withdraw(suggestion=s, by=court_head, reason="事实有误")
    s.refresh_from_db()
    assert s.status == "withdrawn"
    assert Notification.objects.filter(user=agency_staff, kind="suggestion.withdrawn").exists()
    received = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_staff
    )
    with pytest.raises(Conflict):
        services.suggestion_withdraw(suggestion=received, by=court_head, reason="r")


def test_judicial_suggestion_touching_supervision_is_cced_to_procuratorate_which_may_link(
    make_suggestion, court_clerk, court_head, proc_staff, agency_staff, inst
):
    s = make_suggestion(court_clerk, court_head, touches_procuratorial=True)
    assert list(s.cc.all()) == [inst["柳州市人民检察院"]]
    assert Suggestion.objects.visible_to(proc_staff).filter(pk=s.pk).exists()
    with pytest.raises(PermissionDenied):
        services.suggestion_create(
            by=agency_staff, recipient=inst["柳州市城市管理行政执法局"], title="t", problem="p", recommendations="r"
        )
    linked = services.suggestion_create(
        by=proc_staff,
        recipient=s.recipient,
        title=f"关联：{s.title}",
        problem=s.problem,
        recommendations=s.recommendations,
        subkind="general",
        linked_from=s,
    )
    assert linked.kind == "procuratorial" and list(s.linked.all()) == [linked]


def test_visibility_before_and_after_issue(
    make_suggestion, court_clerk, court_head, agency_staff, outsider_agency, office, gov_legal, inst
):
    draft = services.suggestion_create(
        by=court_clerk,
        recipient=inst["柳州市城市管理行政执法局"],
        title="草稿",
        problem="p",
        recommendations="r",
        cc=[inst["柳州市人民政府"]],
    )
    assert not Suggestion.objects.visible_to(agency_staff).filter(pk=draft.pk).exists()
    assert not Suggestion.objects.visible_to(office).filter(pk=draft.pk).exists()
    issued = make_suggestion(court_clerk, court_head, cc=[inst["柳州市人民政府"]])
    for persona in (court_clerk, agency_staff, office, gov_legal):
        assert Suggestion.objects.visible_to(persona).filter(pk=issued.pk).exists()
    assert not Suggestion.objects.visible_to(outsider_agency).filter(pk=issued.pk).exists()


def test_filing_goes_to_the_office(proc_staff, court_clerk, office, make_suggestion, proc_head, agency_staff):
    from suggestions.models import Filing

    s = make_suggestion(proc_staff, proc_head)
    filing = services.filing_create(
        by=proc_staff, kind="suggestion", title="检察建议备案", summary="概况", suggestion=s
    )
    assert filing.office == office.institution
    assert Filing.objects.visible_to(office).filter(pk=filing.pk).exists()
    assert not Filing.objects.visible_to(agency_staff).filter(pk=filing.pk).exists()
    with pytest.raises(PermissionDenied):
        services.filing_create(by=court_clerk, kind="supervision_case", title="t", summary="s")


def test_signing_the_letter_on_the_letter_page_receives_the_suggestion(
    make_suggestion, court_clerk, court_head, agency_staff, gov_legal, inst
):
    from liaison import services as hub

    s = make_suggestion(court_clerk, court_head, cc=[inst["柳州市人民政府"]])
    # A cc's copy signed first changes nothing.
    hub.delivery_sign(delivery=s.letter.deliveries.get(recipient=gov_legal.institution), by=gov_legal)
    s.refresh_from_db()
    assert s.status == "issued"
    hub.delivery_sign(delivery=s.letter.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    s.refresh_from_db()
    assert s.status == "received" and s.received_on == s.letter.issued_on and s.reply_due
    assert LedgerEntry.objects.filter(owner=agency_staff.institution, source_id=s.pk, status="open").count() == 1


def test_court_sees_the_procuratorial_suggestion_linked_to_its_own(
    make_suggestion, court_clerk, court_head, proc_staff, proc_head
):
    s = make_suggestion(court_clerk, court_head, touches_procuratorial=True)
    linked = services.suggestion_create(
        by=proc_staff,
        recipient=s.recipient,
        title="关联",
        problem="p",
        recommendations="r",
        subkind="general",
        linked_from=s,
    )
    assert not Suggestion.objects.visible_to(court_clerk).filter(pk=linked.pk).exists()  # a draft stays inside
    services.suggestion_submit(suggestion=linked, by=proc_staff)
    services.suggestion_approve(suggestion=linked, by=proc_head)
    services.suggestion_issue(suggestion=linked, by=proc_head)
    assert Suggestion.objects.visible_to(court_clerk).filter(pk=linked.pk).exists()


def test_unticking_procuratorial_duties_drops_the_automatic_cc(court_clerk, inst):
    s = services.suggestion_create(
        by=court_clerk,
        recipient=inst["柳州市城市管理行政执法局"],
        title="t",
        problem="p",
        recommendations="r",
        cc=[inst["柳州市人民政府"]],
        touches_procuratorial=True,
    )
    assert {i.name for i in s.cc.all()} == {"柳州市人民政府", "柳州市人民检察院"}
    s = services.suggestion_update(suggestion=s, by=court_clerk, touches_procuratorial=False)
    assert [i.name for i in s.cc.all()] == ["柳州市人民政府"]
    s = services.suggestion_update(suggestion=s, by=court_clerk, touches_procuratorial=True)
    assert {i.name for i in s.cc.all()} == {"柳州市人民政府", "柳州市人民检察院"}
