"""The task ledger (工作台账): due dates from the calendar, reminders, escalation, inspections."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services
from liaison.errors import Conflict
from liaison.models import AuditEntry, HolidayOverride, Inspection, LedgerEntry, Notification

D = dt.date.fromisoformat
# The sweeps below run "as of" this Tuesday; reminders go out LEDGER_REMIND_DAYS (3) ahead.
SWEEP_DAY = D("2026-03-10")


@pytest.fixture
def source(court_clerk, agency_staff):
    """A judicial suggestion letter the ledger entries hang on."""
    return services.letter_create(
        by=court_clerk,
        title="关于规范执法程序的司法建议",
        body="建议如下……",
        addressees=[agency_staff.institution],
        series="jian",
    )


@pytest.fixture
def open_entry(agency_staff, source):
    def make(start, period=10, unit="days", title="书面回复司法建议", src=source):
        return services.ledger_open(
            owner=agency_staff.institution, title=title, start_date=D(start), period=period, unit=unit, source=src
        )

    return make


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_open_computes_due_date_from_the_calendar_and_explains_it(open_entry):
    entry = open_entry("2025-12-15", period=2, unit="months")
    assert entry.due_date == D("2026-02-24")  # 15 Feb is in the Spring Festival holiday
    assert "春节" in entry.due_explained and "2026-02-15" in entry.due_explained
    assert entry.status == LedgerEntry.Status.OPEN
    assert AuditEntry.objects.filter(action="ledger.open", target_id=entry.pk).count() == 1


def test_open_is_idempotent_per_source_and_owner(open_entry, agency_staff):
    first = open_entry("2026-03-02")
    again = open_entry("2026-03-05", period=30)
    assert again.pk == first.pk
    assert LedgerEntry.objects.filter(owner=agency_staff.institution).count() == 1
    # Without a source every call is a new obligation.
    a = open_entry("2026-03-02", src=None)
    b = open_entry("2026-03-02", src=None)
    assert a.pk != b.pk


def test_sweep_reminds_once_before_the_due_date(open_entry, agency_staff, agency_head):
    entry = open_entry("2026-03-02")  # due Thu 12 March, within 3 days of the sweep
    later = open_entry("2026-03-02", period=20, src=None)  # due 23 March: not yet
    assert entry.due_date == D("2026-03-12")
    assert services.ledger_sweep(today=SWEEP_DAY) == {"reminded": 1, "escalated": 0}
    assert services.ledger_sweep(today=SWEEP_DAY) == {"reminded": 0, "escalated": 0}
    assert notified("ledger.reminder") == sorted([agency_staff.username, agency_head.username])
    entry.refresh_from_db()
    later.refresh_from_db()
    assert entry.reminded_at is not None and later.reminded_at is None
    assert entry.status == LedgerEntry.Status.OPEN


def test_sweep_marks_overdue_and_escalates_once_to_owner_superior_and_office(
    open_entry, agency_staff, agency_head, gov_legal, gov_head, office, auditor, outsider_agency
):
    entry = open_entry("2026-02-24", period=9)  # due Thu 5 March
    assert entry.due_date == D("2026-03-05")
    assert services.ledger_sweep(today=SWEEP_DAY) == {"reminded": 0, "escalated": 1}
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OVERDUE and entry.escalated_at is not None
    # The owner's people, its superior (the city government: 城管局's parent) and the city office.
    expected = sorted(u.username for u in [agency_staff, agency_head, gov_legal, gov_head, office])
    assert notified("ledger.overdue") == expected
    assert auditor.username not in expected and outsider_agency.username not in expected
    title = Notification.objects.filter(kind="ledger.overdue").first().title
    assert "5" in title and entry.title in title  # overdue by 5 days
    count = Notification.objects.count()
    assert services.ledger_sweep(today=SWEEP_DAY) == {"reminded": 0, "escalated": 0}
    assert services.ledger_sweep(today=SWEEP_DAY + dt.timedelta(days=1)) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.count() == count
    assert AuditEntry.objects.filter(action="ledger.overdue", target_id=entry.pk).count() == 1


def test_done_and_waived_entries_are_neither_reminded_nor_escalated(open_entry, agency_staff, office):
    soon = open_entry("2026-03-02", src=None)
    late = open_entry("2026-02-24", period=9, src=None)
    services.ledger_complete(entry=soon, by=agency_staff, evidence="已书面回复。", done_on=D("2026-03-09"))
    services.ledger_waive(entry=late, by=office, reason="建议已撤回。")
    assert services.ledger_sweep(today=SWEEP_DAY) == {"reminded": 0, "escalated": 0}
    assert not Notification.objects.filter(kind__in=["ledger.reminder", "ledger.overdue"]).exists()


def test_holiday_edit_recomputes_open_entries(open_entry, admin_user, office, django_capture_on_commit_callbacks):
    entry = open_entry("2027-01-25", period=14)  # Mon 8 Feb 2027, no 2027 holidays known yet
    done = open_entry("2027-01-25", period=14, src=None)
    services.ledger_waive(entry=done, by=office, reason="已合并办理。")
    assert entry.due_date == D("2027-02-08") and "尚未录入" in entry.due_explained
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_set(by=admin_user, date=D("2027-02-08"), kind=HolidayOverride.Kind.HOLIDAY, name="春节")
    entry.refresh_from_db()
    done.refresh_from_db()
    assert entry.due_date == D("2027-02-09")
    assert "春节" in entry.due_explained and "尚未录入" not in entry.due_explained
    assert done.due_date == D("2027-02-08")  # closed entries keep the date they were judged by
    assert AuditEntry.objects.filter(action="ledger.recompute", target_id=entry.pk).count() == 1
    # Deleting the holiday puts it back.
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_delete(by=admin_user, holiday=HolidayOverride.objects.get(date=D("2027-02-08")))
    entry.refresh_from_db()
    assert entry.due_date == D("2027-02-08")


def test_inspection_snapshot_is_frozen(open_entry, office, agency_staff):
    entry = open_entry("2026-03-02")
    inspection = services.inspection_create(by=office, title="2026年第一季度专项检查", findings="部分事项临近到期。")
    rows = [row for row in inspection.snapshot if row["uuid"] == str(entry.uuid)]
    assert len(rows) == 1 and rows[0]["status"] == "open" and rows[0]["due_date"] == "2026-03-12"
    services.ledger_complete(entry=entry, by=agency_staff, evidence="已回复。", done_on=D("2026-03-09"))
    inspection = Inspection.objects.get(pk=inspection.pk)
    row = next(r for r in inspection.snapshot if r["uuid"] == str(entry.uuid))
    assert row["status"] == "open" and row["done_on"] is None and row["evidence"] == ""


def test_complete_refuses_future_or_pre_start_dates_and_changes_nothing(open_entry, agency_staff):
    entry = open_entry("2026-03-02")
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        services.ledger_complete(
            entry=entry, by=agency_staff, evidence="已回复。", done_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert "done_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.ledger_complete(entry=entry, by=agency_staff, evidence="已回复。", done_on=D("2026-03-01"))
    assert "done_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.ledger_complete(entry=entry, by=agency_staff, evidence="  ", done_on=D("2026-03-09"))
    assert "evidence" in err.value.message_dict
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN and entry.done_on is None and entry.evidence == ""
    assert AuditEntry.objects.count() == audits


def test_complete_twice_is_a_conflict(open_entry, agency_staff):
    entry = open_entry("2026-03-02")
    services.ledger_complete(entry=entry, by=agency_staff, evidence="已回复。", done_on=D("2026-03-09"))
    with pytest.raises(Conflict):
        services.ledger_complete(entry=entry, by=agency_staff, evidence="再次。", done_on=D("2026-03-09"))


def test_only_the_owners_acting_users_may_complete(open_entry, auditor, outsider_agency, gov_legal, office):
    entry = open_entry("2026-03-02")
    for user in (auditor, outsider_agency, gov_legal, office):
        with pytest.raises(PermissionDenied):
            services.ledger_complete(entry=entry, by=user, evidence="越权办结。", done_on=D("2026-03-09"))
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN
