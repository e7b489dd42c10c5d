import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services
from liaison.errors import Conflict
from liaison.models import AuditEntry, Delivery, Letter, Notification


@pytest.fixture
def draft(court_clerk, agency_staff, gov_legal):
    return services.letter_create(
        by=court_clerk,
        title="关于规范城市管理行政执法程序的函",
        body="经审理发现……",
        addressees=[agency_staff.institution],
        cc=[gov_legal.institution],
    )


def issue(letter, clerk, head):
    services.letter_submit(letter=letter, by=clerk)
    return services.letter_issue(letter=letter, by=head)


def test_issue_numbers_letter_and_delivers_to_addressees_and_cc(
    draft, court_clerk, court_head, agency_staff, gov_legal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = issue(draft, court_clerk, court_head)
    year = timezone.localdate().year
    assert letter.doc_number == f"柳中法函〔{year}〕1号"
    assert {d.recipient_id: d.kind for d in letter.deliveries.all()} == {
        agency_staff.institution_id: Delivery.Kind.TO,
        gov_legal.institution_id: Delivery.Kind.CC,
    }
    assert Notification.objects.filter(user=agency_staff, kind="letter.received").count() == 1
    letter.refresh_from_db()
    assert letter.pdf_sha256 and letter.pdf.read(5) == b"%PDF-"
    actions = list(AuditEntry.objects.filter(target_id=letter.pk).values_list("action", flat=True))
    assert {"letter.create", "letter.submit", "letter.issue", "letter.pdf"} <= set(actions)


def test_numbers_run_on_per_issuer_series_and_year(draft, court_clerk, court_head, agency_staff):
    issue(draft, court_clerk, court_head)
    second = services.letter_create(by=court_clerk, title="第二件", body="正文", addressees=[agency_staff.institution])
    second = issue(second, court_clerk, court_head)
    assert second.number == 2
    jian = services.letter_create(
        by=court_clerk, title="建议", body="正文", addressees=[agency_staff.institution], series="jian"
    )
    assert issue(jian, court_clerk, court_head).number == 1


def test_staff_cannot_issue_and_issued_letter_cannot_be_edited(draft, court_clerk, court_head):
    services.letter_submit(letter=draft, by=court_clerk)
    with pytest.raises(PermissionDenied):
        services.letter_issue(letter=draft, by=court_clerk)
    services.letter_issue(letter=draft, by=court_head)
    with pytest.raises(Conflict):
        services.letter_update(letter=draft, by=court_clerk, title="改")
    with pytest.raises(Conflict):
        services.letter_issue(letter=draft, by=court_head)


def test_other_institutions_head_cannot_issue(draft, court_clerk, proc_head):
    services.letter_submit(letter=draft, by=court_clerk)
    with pytest.raises(PermissionDenied):
        services.letter_issue(letter=draft, by=proc_head)
    draft.refresh_from_db()
    assert draft.status == Letter.Status.PENDING and draft.number is None


def test_sign_for_accepts_past_paper_date_but_not_future_or_before_issue(draft, court_clerk, court_head, agency_staff):
    letter = issue(draft, court_clerk, court_head)
    delivery = letter.deliveries.get(recipient=agency_staff.institution)
    with pytest.raises(ValidationError) as err:
        services.delivery_sign(
            delivery=delivery, by=agency_staff, signed_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert "signed_on" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.delivery_sign(delivery=delivery, by=agency_staff, signed_on=letter.issued_on - dt.timedelta(days=1))
    services.delivery_sign(delivery=delivery, by=agency_staff, signed_on=letter.issued_on)
    delivery.refresh_from_db()
    assert delivery.signed_on == letter.issued_on and delivery.signed_by == agency_staff
    with pytest.raises(Conflict):
        services.delivery_sign(delivery=delivery, by=agency_staff)


def test_addressee_is_required_and_nothing_is_saved(court_clerk):
    before = Letter.objects.count()
    with pytest.raises(ValidationError) as err:
        services.letter_create(by=court_clerk, title="无主送", body="正文", addressees=[])
    assert "addressees" in err.value.message_dict
    assert Letter.objects.count() == before


def test_auditor_cannot_write_letters(auditor, agency_staff):
    with pytest.raises(PermissionDenied):
        services.letter_create(by=auditor, title="t", body="b", addressees=[agency_staff.institution])
