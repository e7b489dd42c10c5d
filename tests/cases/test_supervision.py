"""Supervision (协作配合): enforcement-supervision applications, case supervision, clue transfers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import AdministrativeCase, CaseSupervision, ClueTransfer, SupervisionApplication
from liaison.calendar import compute_deadline
from liaison.errors import Conflict
from liaison.models import AuditEntry, LedgerEntry, Letter

from .conftest import CITY_AGENCY, D, notified, today

RECEIVED = D("2026-06-01")


def ledger(obj):
    return LedgerEntry.objects.filter(source_type__model=obj._meta.model_name, source_id=obj.pk)


def letters(obj):
    return Letter.objects.filter(source_type__model=obj._meta.model_name, source_id=obj.pk).order_by("id")


@pytest.fixture
def make_application(proc_staff, inst):
    def make(by=None, **fields):
        fields.setdefault("applicant", "柳州某置业有限公司")
        fields.setdefault("court", inst["柳州市中级人民法院"])
        fields.setdefault("enforcing_agency", inst[CITY_AGENCY])
        fields.setdefault("request", "认为强制拆除程序违法，申请监督。")
        fields.setdefault("received_on", RECEIVED)
        return services.supervision_create(by=by or proc_staff, **fields)

    return make


# ----------------------------------------------------------------------------- 执行监督申请


def test_an_application_opens_the_decision_period_and_letters_to_court_and_agency(make_application, proc_staff):
    app = make_application()
    expected = compute_deadline(RECEIVED, 3, "months", "收到申请")
    assert (app.decision_due, app.decision_due_explained) == (expected.due, expected.explain())
    entry = ledger(app).get()
    assert (entry.owner, entry.due_date, entry.status) == (proc_staff.institution, expected.due, "open")
    court_letter, agency_letter = letters(app)
    assert [d.recipient.name for d in court_letter.deliveries.all()] == ["柳州市中级人民法院"]
    assert [d.recipient.name for d in agency_letter.deliveries.all()] == [CITY_AGENCY]
    # Drafted by staff: both wait for the head's sign-off.
    assert {court_letter.status, agency_letter.status} == {"pending"}
    assert notified("letter.pending") == ["proc_head", "proc_head"]  # one per letter
    assert "函" in court_letter.title and "案卷材料" in court_letter.body and "实施情况" in agency_letter.body
    assert AuditEntry.objects.filter(action="supervision.create", target_id=app.pk).count() == 1


def test_a_heads_application_letters_are_issued_at_once(make_application, proc_head, court_clerk, agency_staff):
    app = make_application(by=proc_head)
    assert {letter.status for letter in letters(app)} == {"issued"}
    assert all(letter.doc_number.startswith("柳检函〔2026〕") for letter in letters(app))
    assert notified("letter.received", user=court_clerk) == ["court_clerk"]
    assert notified("letter.received", user=agency_staff) == ["agency_staff"]


def test_the_decision_period_is_configurable(make_application, settings):
    settings.SUPERVISION_DECISION_MONTHS = 1
    app = make_application()
    assert app.decision_due == compute_deadline(RECEIVED, 1, "months").due == ledger(app).get().due_date


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "gov_legal", "auditor"])
def test_only_a_procuratorate_receives_applications(persona, world, make_application):
    with pytest.raises(PermissionDenied):
        make_application(by=world[persona])
    assert not SupervisionApplication.objects.exists()


def test_application_input_is_checked_and_nothing_is_saved(make_application, make_enforcement, court_clerk, inst):
    other = make_enforcement()
    bad = [
        ({"court": inst[CITY_AGENCY]}, "court"),
        ({"enforcing_agency": inst["柳州市中级人民法院"]}, "enforcing_agency"),
        ({"received_on": today() + dt.timedelta(days=1)}, "received_on"),
        ({"request": ""}, "request"),
        ({"enforcement": other}, "enforcement"),  # not assigned to this agency
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as err:
            make_application(**change)
        assert list(err.value.message_dict) == [field]
    assert not SupervisionApplication.objects.exists()
    assert not LedgerEntry.objects.exists() and not Letter.objects.exists()


def test_an_application_on_an_assigned_enforcement_lets_the_procuratorate_see_it(
    make_application, make_enforcement, court_head, proc_staff, inst
):
    from cases.models import Enforcement

    e = services.enforcement_rule(
        enforcement=make_enforcement(),
        by=court_head,
        ruling="granted",
        ruled_on=D("2026-03-02"),
        assignee=inst[CITY_AGENCY],
    )
    assert not Enforcement.objects.visible_to(proc_staff).exists()
    app = make_application(enforcement=e)
    assert app.enforcement == e
    assert Enforcement.objects.visible_to(proc_staff).filter(pk=e.pk).exists()


def test_parties_see_an_application_an_outsider_does_not(
    make_application, court_clerk, agency_staff, proc_staff, outsider_agency, gov_legal
):
    app = make_application()
    for persona in (proc_staff, court_clerk, agency_staff):
        assert SupervisionApplication.objects.visible_to(persona).filter(pk=app.pk).exists()
    for persona in (outsider_agency, gov_legal):
        assert not SupervisionApplication.objects.visible_to(persona).exists()


def test_the_decision_closes_the_ledger_entry_and_court_and_agency_are_told(
    make_application, proc_staff, court_clerk, agency_staff
):
    app = make_application()
    with pytest.raises(PermissionDenied):
        services.supervision_decide(application=app, by=court_clerk, decision="support", reasons="r")
    for change, field in (
        ({"decision": "maybe"}, "decision"),
        ({"reasons": ""}, "reasons"),
        ({"decided_on": D("2026-05-31")}, "decided_on"),
    ):
        args = {"decision": "support", "reasons": "执行程序违法", **change}
        with pytest.raises(ValidationError) as err:
            services.supervision_decide(application=app, by=proc_staff, **args)
        assert list(err.value.message_dict) == [field]
    app = services.supervision_decide(application=app, by=proc_staff, decision="support", reasons="执行程序违法")
    assert (app.status, app.decision, app.decided_on) == ("decided", "support", today())
    entry = ledger(app).get()
    assert entry.status == "done" and entry.evidence.startswith("支持监督申请")
    assert notified("supervision.decided", user=court_clerk) == ["court_clerk"]
    assert notified("supervision.decided", user=agency_staff) == ["agency_staff"]
    with pytest.raises(Conflict):
        services.supervision_decide(application=app, by=proc_staff, decision="not_support", reasons="r")


# ----------------------------------------------------------------------------- 个案监督


def test_case_supervision_lets_the_procuratorate_see_the_case_once(make_case, proc_head, court_clerk):
    case = make_case()
    assert not AdministrativeCase.objects.visible_to(proc_head).exists()
    record = services.case_supervision_create(by=proc_head, case=case, notes="审查审判程序", opened_on=D("2026-04-01"))
    assert record.procuratorate == proc_head.institution
    assert AdministrativeCase.objects.visible_to(proc_head).filter(pk=case.pk).exists()
    assert notified("case.supervised", user=court_clerk) == ["court_clerk"]
    entry = AuditEntry.objects.get(action="case_supervision.create", target_id=case.pk)
    assert entry.after["reason"] == "审查审判程序"  # the reason is on the audit trail
    with pytest.raises(Conflict):
        services.case_supervision_create(by=proc_head, case=case, notes="again")


def test_only_the_procuratorates_head_opens_case_supervision(make_case, proc_staff, proc_head):
    case = make_case()
    for user in (proc_staff,):
        with pytest.raises(PermissionDenied):
            services.case_supervision_create(by=user, case=case, notes="n")
        with pytest.raises(PermissionDenied):
            services.case_supervision_request(by=user, number=case.number, notes="n")
    assert not CaseSupervision.objects.exists()


def test_a_procuratorate_supervises_only_courts_in_its_jurisdiction(make_case, user_at, court_clerk, agency_staff):
    from liaison.models import User

    case = make_case()
    county_proc = user_at("柳州市城中区人民检察院", role=User.Role.HEAD)
    with pytest.raises(ValidationError) as err:
        services.case_supervision_create(by=county_proc, case=case, notes="n")
    assert list(err.value.message_dict) == ["case"]
    for stranger in (court_clerk, agency_staff):
        with pytest.raises(PermissionDenied):
            services.case_supervision_create(by=stranger, case=case, notes="n")
    assert not CaseSupervision.objects.exists()


def test_a_request_by_number_for_no_case_in_jurisdiction_is_audited_not_told(make_case, user_at, proc_head):
    from liaison.models import User

    case = make_case()
    county_proc = user_at("柳州市城中区人民检察院", role=User.Role.HEAD)
    for by, number in ((county_proc, case.number), (proc_head, "（2026）桂02行初999号")):
        assert services.case_supervision_request(by=by, number=number, notes="核查线索") is None
        entry = AuditEntry.objects.filter(action="case_supervision.unmatched", actor=by).get()
        assert entry.after == {"number": number, "reason": "核查线索"}
    assert not CaseSupervision.objects.exists()
    assert not AdministrativeCase.objects.visible_to(county_proc).exists()


def test_a_request_by_number_opens_a_case_in_jurisdiction(make_case, proc_head):
    case = make_case()
    record = services.case_supervision_request(
        by=proc_head, number=case.number, notes="依职权监督", opened_on=case.filed_on - dt.timedelta(days=3)
    )
    assert record.case == case and record.opened_on == case.filed_on  # not before the filing
    with pytest.raises(ValidationError) as err:
        services.case_supervision_request(by=proc_head, number=case.number, notes=" ")
    assert list(err.value.message_dict) == ["notes"]


def test_a_city_procuratorate_supervises_county_courts_too(make_case, county_clerk, proc_head):
    case = make_case(by=county_clerk, number="（2026）桂0202行初5号")
    services.case_supervision_create(by=proc_head, case=case, notes="n")
    with pytest.raises(ValidationError) as err:
        services.case_supervision_create(by=proc_head, case=make_case(), notes=" ")
    assert list(err.value.message_dict) == ["notes"]


# ----------------------------------------------------------------------------- 违法线索移送


@pytest.fixture
def clue(court_clerk, inst):
    return services.clue_transfer_send(
        by=court_clerk, recipient=inst[CITY_AGENCY], summary="执法人员涉嫌违法收费", sent_on=D("2026-06-01")
    )


def test_a_clue_transfer_puts_handling_in_the_recipients_ledger(clue, agency_staff, settings):
    entry = ledger(clue).get()
    expected = compute_deadline(D("2026-06-01"), settings.CLUE_HANDLING_DAYS, "days", "移送")
    assert (entry.owner, entry.due_date) == (agency_staff.institution, expected.due)
    assert notified("clue.sent") == ["agency_head", "agency_staff"]
    assert ClueTransfer.objects.visible_to(agency_staff).filter(pk=clue.pk).exists()


def test_the_recipient_receives_then_handles_and_the_sender_is_told(clue, agency_staff, court_clerk):
    with pytest.raises(Conflict):
        services.clue_transfer_handle(clue=clue, by=agency_staff, result="r")
    clue = services.clue_transfer_receive(clue=clue, by=agency_staff, received_on=D("2026-06-02"))
    assert (clue.status, clue.received_on) == ("received", D("2026-06-02"))
    with pytest.raises(Conflict):
        services.clue_transfer_receive(clue=clue, by=agency_staff)
    with pytest.raises(ValidationError) as err:
        services.clue_transfer_handle(clue=clue, by=agency_staff, result="r", handled_on=D("2026-06-01"))
    assert list(err.value.message_dict) == ["handled_on"]
    clue = services.clue_transfer_handle(clue=clue, by=agency_staff, result="已立案调查并处分相关人员")
    assert clue.status == "handled" and clue.handled_on == today()
    assert ledger(clue).get().status == "done"
    assert notified("clue.handled", user=court_clerk) == ["court_clerk"]
    actions = set(AuditEntry.objects.filter(target_type__model="cluetransfer").values_list("action", flat=True))
    assert actions == {"clue.send", "clue.receive", "clue.handle"}


def test_only_the_recipient_receives_and_handles(clue, court_clerk, outsider_agency, gov_legal):
    for stranger in (court_clerk, outsider_agency, gov_legal):
        with pytest.raises(PermissionDenied):
            services.clue_transfer_receive(clue=clue, by=stranger)
    clue.refresh_from_db()
    assert clue.status == "sent"


def test_clue_input_is_checked(court_clerk, agency_staff, inst, make_case, county_clerk):
    with pytest.raises(PermissionDenied):
        services.clue_transfer_send(
            by=agency_staff, recipient=inst["柳州市人民检察院"], summary="s", sent_on=D("2026-06-01")
        )
    foreign = make_case(by=county_clerk, number="（2026）桂0202行初9号")
    bad = [
        ({"recipient": court_clerk.institution}, "recipient"),
        ({"recipient": inst["柳州市“一府两院”法治共建联动工作领导小组办公室"]}, "recipient"),
        ({"sent_on": today() + dt.timedelta(days=1)}, "sent_on"),
        ({"summary": ""}, "summary"),
        ({"case": foreign}, "case"),
    ]
    for change, field in bad:
        args = {"recipient": inst[CITY_AGENCY], "summary": "s", "sent_on": D("2026-06-01"), **change}
        with pytest.raises(ValidationError) as err:
            services.clue_transfer_send(by=court_clerk, **args)
        assert list(err.value.message_dict) == [field]
    assert not ClueTransfer.objects.exists() and not LedgerEntry.objects.exists()
