"""待办 for cases: ruling on an enforcement application, feeding back on an assignment, deciding a
supervision application, receiving and handling a clue — each reaches the institution that must
act and no other, leaves the list once done, and the notice that asked for it settles."""

from cases import services
from cases.models import ClueTransfer
from liaison import todo
from liaison.models import Notification

from .conftest import CITY_AGENCY, D


def _duties(user, obj):
    return [i.label for i in todo.items(user) if i.obj.pk == obj.pk and type(i.obj) is type(obj)]


def test_ruling_then_feedback(make_enforcement, court_clerk, court_head, agency_head, outsider_agency, inst):
    e = make_enforcement()
    assert _duties(court_clerk, e) == ["待裁定"] and _duties(court_head, e) == ["待裁定"]
    assert _duties(agency_head, e) == [] and _duties(outsider_agency, e) == []

    e = services.enforcement_rule(
        enforcement=e, by=court_head, ruling="granted", ruled_on=D("2026-03-02"), assignee=inst[CITY_AGENCY]
    )
    assert _duties(court_head, e) == []
    found = [i for i in todo.items(agency_head) if i.obj.pk == e.pk and i.label == "待反馈"]
    assert len(found) == 1 and found[0].due == e.feedback_due and found[0].overdue  # due 2026-04-01
    assert _duties(court_clerk, e) == [] and _duties(outsider_agency, e) == []

    services.enforcement_feedback_draft(enforcement=e, by=agency_head, result="已执行完毕。")
    assert _duties(agency_head, e) == []


def test_a_supervision_application_waits_for_the_procuratorate(proc_staff, court_clerk, agency_staff, inst):
    app = services.supervision_create(
        by=proc_staff,
        applicant="柳州某置业有限公司",
        court=inst["柳州市中级人民法院"],
        enforcing_agency=inst[CITY_AGENCY],
        request="认为强制拆除程序违法，申请监督。",
        received_on=D("2026-06-01"),
    )
    found = [i for i in todo.items(proc_staff) if i.obj.pk == app.pk]
    assert [i.label for i in found] == ["待决定"] and found[0].due == app.decision_due
    assert _duties(court_clerk, app) == [] and _duties(agency_staff, app) == []
    services.supervision_decide(application=app, by=proc_staff, decision="support", reasons="执行程序违法")
    assert _duties(proc_staff, app) == []


def test_a_clue_is_received_then_handled_and_the_notice_settles(court_clerk, agency_staff, outsider_agency, inst):
    clue = services.clue_transfer_send(
        by=court_clerk, recipient=inst[CITY_AGENCY], summary="执法人员涉嫌违法收费", sent_on=D("2026-06-01")
    )
    assert _duties(agency_staff, clue) == ["待接收"]
    assert _duties(court_clerk, clue) == [] and _duties(outsider_agency, clue) == []
    notice = Notification.objects.get(user=agency_staff, kind="clue.sent")
    assert notice.awaits == "clue.receive" and notice.settled_at is None

    clue = services.clue_transfer_receive(clue=clue, by=agency_staff, received_on=D("2026-06-02"))
    assert _duties(agency_staff, clue) == ["待办结"]
    notice.refresh_from_db()
    assert notice.settled_at is not None and notice.read_at is not None

    services.clue_transfer_handle(clue=ClueTransfer.objects.get(pk=clue.pk), by=agency_staff, result="已立案调查")
    assert _duties(agency_staff, clue) == []


def test_the_court_follows_its_assignment_until_the_feedback(
    make_enforcement, court_clerk, court_head, agency_head, inst
):
    from liaison import tracking

    e = make_enforcement()
    e = services.enforcement_rule(
        enforcement=e, by=court_head, ruling="granted", ruled_on=D("2026-03-02"), assignee=inst[CITY_AGENCY]
    )
    rows = [r for r in tracking.rows(court_clerk) if r.obj.pk == e.pk and type(r.obj) is type(e)]
    assert [(r.step, r.party, r.due) for r in rows] == [("待反馈", inst[CITY_AGENCY], e.feedback_due)]
    assert rows[0].overdue  # due 2026-04-01
    # the assignment letter's copies are followed too (feeding back does not sign for the letter)
    copies = [r for r in tracking.rows(court_clerk) if getattr(r.obj, "letter_id", None) == e.assignment_letter_id]
    assert {(r.step, r.party.name) for r in copies} == {("待签收", CITY_AGENCY), ("待签收", "柳州市自然资源和规划局")}
    assert not [r for r in tracking.rows(agency_head) if r.obj.pk == e.pk and type(r.obj) is type(e)]

    letter = services.enforcement_feedback_draft(enforcement=e, by=agency_head, result="已执行完毕。")
    assert letter.status == "issued"  # a head's feedback is issued at once
    assert not [r for r in tracking.rows(court_clerk) if r.obj.pk == e.pk and type(r.obj) is type(e)]
