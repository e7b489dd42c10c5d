"""Enforcement separated from adjudication (裁执分离): ruling, assignment letter, ledger, feedback."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import Enforcement
from liaison import services as hub
from liaison.calendar import compute_deadline
from liaison.errors import Conflict
from liaison.models import AuditEntry, LedgerEntry, Letter

from .conftest import APPLICANT, CITY_AGENCY, D, notified, today

RULED_ON = D("2026-03-02")
# 2026-03-02 + 30 days = 2026-04-01, a Wednesday and a working day.
DUE = D("2026-04-01")


def ledger(enforcement):
    return LedgerEntry.objects.filter(source_type__model="enforcement", source_id=enforcement.pk)


def grant(enforcement, by, assignee, **kw):
    return services.enforcement_rule(
        enforcement=enforcement, by=by, ruling="granted", ruled_on=kw.pop("ruled_on", RULED_ON), assignee=assignee, **kw
    )


# ----------------------------------------------------------------------------- create


def test_court_registers_an_application_for_enforcement(make_enforcement, court_clerk, inst):
    e = make_enforcement()
    assert e.court == court_clerk.institution and e.applicant.name == APPLICANT and e.status == "applied"
    assert AuditEntry.objects.filter(action="enforcement.create", target_id=e.pk).count() == 1
    assert Enforcement.objects.visible_to(court_clerk).filter(pk=e.pk).exists()


@pytest.mark.parametrize("persona", ["agency_staff", "gov_legal", "proc_staff", "auditor"])
def test_only_a_court_registers_applications(persona, world, make_enforcement):
    with pytest.raises(PermissionDenied):
        make_enforcement(by=world[persona])
    assert not Enforcement.objects.exists()


def test_application_input_is_checked(make_enforcement, make_case, county_clerk):
    bad = [
        ({"applicant": "柳州市人民检察院"}, "applicant"),
        ({"basis": "whim"}, "basis"),
        ({"basis_reference": ""}, "basis_reference"),
        ({"applied_on": today() + dt.timedelta(days=1)}, "applied_on"),
        ({"basis": "judgment", "case": make_case()}, "case"),  # not yet effective
        ({"case": make_case(by=county_clerk, number="（2026）桂0202行初1号")}, "case"),  # another court's
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as err:
            make_enforcement(**change)
        assert list(err.value.message_dict) == [field]
    assert not Enforcement.objects.exists()


# ----------------------------------------------------------------------------- rule


def test_a_refusal_needs_reasons_and_the_applicant_is_told(make_enforcement, court_clerk, user_at):
    applicant_staff = user_at(APPLICANT)
    e = make_enforcement()
    with pytest.raises(ValidationError) as err:
        services.enforcement_rule(enforcement=e, by=court_clerk, ruling="refused", ruled_on=RULED_ON)
    assert list(err.value.message_dict) == ["reasons"]
    e = services.enforcement_rule(
        enforcement=e, by=court_clerk, ruling="refused", reasons="行政决定明显缺乏事实根据", ruled_on=RULED_ON
    )
    assert e.status == "refused" and e.assignee is None and not ledger(e).exists()
    assert notified("enforcement.ruled") == [applicant_staff.username]
    with pytest.raises(Conflict):
        grant(e, court_clerk, None)


def test_a_granted_money_obligation_stays_with_the_court(make_enforcement, court_clerk, inst):
    e = make_enforcement(money=True)
    e = grant(e, court_clerk, inst[CITY_AGENCY])  # an assignee given by mistake is ignored
    assert e.status == "court" and e.assignee is None and e.assignment_letter is None
    assert not ledger(e).exists() and not Letter.objects.filter(source_id=e.pk).exists()


def test_a_non_money_obligation_needs_an_assignee_of_the_right_government(make_enforcement, court_clerk, inst):
    e = make_enforcement()
    for assignee in (None, inst["柳州市城中区司法局"], inst["柳州市中级人民法院"]):
        with pytest.raises(ValidationError) as err:
            grant(e, court_clerk, assignee)
        assert list(err.value.message_dict) == ["assignee"]
    with pytest.raises(ValidationError) as err:
        grant(e, court_clerk, inst[CITY_AGENCY], ruled_on=D("2026-02-09"))  # before the application
    assert list(err.value.message_dict) == ["ruled_on"]
    e.refresh_from_db()
    assert e.status == "applied" and not Letter.objects.exists()


def test_the_government_itself_may_be_assigned(make_enforcement, court_head, inst, gov_legal):
    e = grant(make_enforcement(), court_head, inst["柳州市人民政府"])
    assert e.status == "assigned" and ledger(e).get().owner.name == "柳州市人民政府"


def test_only_the_court_that_reviews_rules(make_enforcement, county_clerk, agency_staff, inst):
    e = make_enforcement()
    for stranger in (county_clerk, agency_staff):
        with pytest.raises(PermissionDenied):
            grant(e, stranger, inst[CITY_AGENCY])


def test_a_head_ruling_signs_the_assignment_letter_off_at_once(make_enforcement, court_head, inst, agency_staff):
    e = grant(make_enforcement(), court_head, inst[CITY_AGENCY])
    assert e.assignment_letter.status == "issued" and e.assignment_letter.doc_number.startswith("柳中法函〔")
    assert {d.recipient.name for d in e.assignment_letter.deliveries.all()} == {CITY_AGENCY, APPLICANT}
    entry = ledger(e).get()
    assert (entry.owner.name, entry.due_date, entry.status) == (CITY_AGENCY, DUE, "open")
    assert notified("letter.received", user=agency_staff) == ["agency_staff"]


def test_the_feedback_period_is_configurable(make_enforcement, court_head, inst, settings):
    settings.ENFORCEMENT_FEEDBACK_DAYS = 10
    e = grant(make_enforcement(), court_head, inst[CITY_AGENCY])
    expected = compute_deadline(RULED_ON, 10, "days", "裁定")
    assert e.feedback_due == expected.due == ledger(e).get().due_date


# ----------------------------------------------------------------------------- the round trip


def test_enforcement_round_trip_from_ruling_to_written_feedback(
    make_enforcement,
    court_clerk,
    court_head,
    agency_staff,
    agency_head,
    gov_legal,
    gov_head,
    office,
    outsider_agency,
    inst,
):
    e = make_enforcement()
    # The clerk records the ruling; the assignment letter waits for the head's sign-off.
    e = grant(e, court_clerk, inst[CITY_AGENCY])
    assert e.status == "assigned" and e.assignee.name == CITY_AGENCY and e.ruling == "granted"
    assert e.feedback_due == DUE and e.feedback_due_explained.startswith("裁定 2026-03-02 + 30日")
    letter = e.assignment_letter
    assert letter.status == "pending" and letter.source == e and letter.issuer == court_clerk.institution
    assert notified("letter.pending") == ["court_head"]
    assert not ledger(e).exists()
    with pytest.raises(Conflict):  # nothing to feed back before the letter reaches the assignee
        services.enforcement_feedback_draft(enforcement=e, by=agency_staff, result="r")

    # The head signs it off on the letter page: the assignee's ledger entry opens.
    hub.letter_issue(letter=letter, by=court_head)
    letter.refresh_from_db()
    assert letter.doc_number.startswith("柳中法函〔2026〕")
    entry = ledger(e).get()
    assert (entry.owner.name, entry.start_date, entry.due_date, entry.status) == (CITY_AGENCY, RULED_ON, DUE, "open")
    assert entry.due_explained.startswith("裁定 2026-03-02 + 30日 = 2026-04-01")
    assert AuditEntry.objects.filter(action="enforcement.assign", target_id=e.pk).count() == 1
    for persona in (agency_staff, gov_legal, office):  # the assignee, its government, the office
        assert Enforcement.objects.visible_to(persona).filter(pk=e.pk).exists()
    assert not Enforcement.objects.visible_to(outsider_agency).exists()

    # The day before the due date the assignee is reminded; after it, the superior and the office hear.
    assert hub.ledger_sweep(today=DUE - dt.timedelta(days=1)) == {"reminded": 1, "escalated": 0}
    assert notified("ledger.reminder") == ["agency_head", "agency_staff"]
    assert hub.ledger_sweep(today=DUE + dt.timedelta(days=1)) == {"reminded": 0, "escalated": 1}
    assert notified("ledger.overdue") == ["agency_head", "agency_staff", "gov_head", "gov_legal", "office"]
    entry.refresh_from_db()
    assert entry.status == "overdue"
    assert hub.ledger_sweep(today=DUE + dt.timedelta(days=2)) == {"reminded": 0, "escalated": 0}

    # The assignee drafts its written feedback; its head signs it off.
    feedback = services.enforcement_feedback_draft(enforcement=e, by=agency_staff, result="已于3月20日拆除完毕。")
    assert feedback.status == "pending" and feedback.series == "fu" and feedback.source == e
    assert [d.recipient for d in feedback.deliveries.all()] == [court_clerk.institution]
    assert notified("letter.pending", user=agency_head) == ["agency_head"]
    e.refresh_from_db()
    assert e.status == "assigned" and e.feedback_letter == feedback
    with pytest.raises(Conflict):
        services.enforcement_feedback_draft(enforcement=e, by=agency_staff, result="again")

    hub.letter_issue(letter=feedback, by=agency_head)
    feedback.refresh_from_db()
    e.refresh_from_db()
    entry.refresh_from_db()
    assert feedback.doc_number.startswith("柳城管复〔2026〕")
    assert (e.status, e.feedback_on, e.feedback_letter) == ("feedback", feedback.issued_on, feedback)
    assert (entry.status, entry.evidence, entry.done_on) == ("done", feedback.doc_number, feedback.issued_on)
    assert notified("letter.received", user=court_clerk) == ["court_clerk"]
    actions = set(
        AuditEntry.objects.filter(target_type__model="enforcement", target_id=e.pk).values_list("action", flat=True)
    )
    assert {
        "enforcement.create",
        "enforcement.rule",
        "enforcement.assign",
        "enforcement.feedback_draft",
        "enforcement.feedback",
    } <= actions
    with pytest.raises(Conflict):
        services.enforcement_feedback_draft(enforcement=e, by=agency_staff, result="again")


def test_a_head_feedback_is_issued_at_once(make_enforcement, court_head, agency_head, inst):
    e = grant(make_enforcement(), court_head, inst[CITY_AGENCY])
    feedback = services.enforcement_feedback_draft(enforcement=e, by=agency_head, result="已执行完毕。")
    e.refresh_from_db()
    assert feedback.status == "issued" and e.status == "feedback"
    assert ledger(e).get().status == "done"


def test_only_the_assignee_feeds_back_in_writing(
    make_enforcement, court_head, court_clerk, outsider_agency, gov_legal, agency_staff, inst
):
    e = grant(make_enforcement(), court_head, inst[CITY_AGENCY])
    for stranger in (court_clerk, outsider_agency, gov_legal):
        with pytest.raises(PermissionDenied):
            services.enforcement_feedback_draft(enforcement=e, by=stranger, result="r")
    with pytest.raises(ValidationError) as err:
        services.enforcement_feedback_draft(enforcement=e, by=agency_staff, result="  ")
    assert list(err.value.message_dict) == ["result"]
    e.refresh_from_db()
    assert e.feedback_letter is None and not Letter.objects.filter(series="fu").exists()


def test_a_court_enforced_obligation_has_no_feedback(make_enforcement, court_head, agency_staff, inst):
    e = grant(make_enforcement(money=True), court_head, None)
    with pytest.raises(PermissionDenied):  # nobody was assigned
        services.enforcement_feedback_draft(enforcement=e, by=agency_staff, result="r")


def test_another_letter_from_the_assignee_about_something_else_changes_nothing(
    make_enforcement, court_head, agency_head, court_clerk, inst
):
    e = grant(make_enforcement(), court_head, inst[CITY_AGENCY])
    other = hub.letter_create(by=agency_head, title="工作简报", body="b", addressees=[court_clerk.institution])
    hub.letter_submit(letter=other, by=agency_head)
    hub.letter_issue(letter=other, by=agency_head)
    e.refresh_from_db()
    assert e.status == "assigned" and ledger(e).get().status == "open"
