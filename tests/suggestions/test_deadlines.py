"""Reply deadlines run from receipt (签收) through the working-day calendar."""

import pytest
from django.core.exceptions import ValidationError

from liaison.models import LedgerEntry
from suggestions import services

from .conftest import D


def test_procuratorial_two_months_rolls_past_spring_festival(make_suggestion, proc_staff, proc_head, agency_staff):
    s = make_suggestion(
        proc_staff, proc_head, issued_on=D("2025-12-12"), received_on=D("2025-12-15"), receiver=agency_staff
    )
    assert (s.reply_period, s.reply_unit) == (2, "months")
    assert s.reply_due == D("2026-02-24")
    assert s.reply_due_explained == "签收 2025-12-15 + 2个月 = 2026-02-15，春节假期 → 2026-02-24"
    entry = LedgerEntry.objects.get(owner=agency_staff.institution, source_id=s.pk)
    assert entry.due_date == D("2026-02-24") and entry.due_explained == s.reply_due_explained


def test_judicial_month_end_clamps_and_make_up_saturday_is_a_working_day(
    make_suggestion, court_clerk, court_head, agency_staff
):
    s = make_suggestion(
        court_clerk, court_head, issued_on=D("2025-12-30"), received_on=D("2025-12-31"), receiver=agency_staff
    )
    # 31 Dec + 2 months → 28 Feb 2026 (no 31 Feb), a Saturday that is a 调休 working day.
    assert s.reply_due == D("2026-02-28")
    assert s.reply_due_explained == "签收 2025-12-31 + 2个月 = 2026-02-28"


def test_urgent_public_interest_fifteen_days_rolls_past_national_day(
    make_suggestion, proc_staff, proc_head, agency_staff
):
    s = make_suggestion(
        proc_staff,
        proc_head,
        subkind="public_interest",
        urgent=True,
        issued_on=D("2026-09-18"),
        received_on=D("2026-09-20"),
        receiver=agency_staff,
    )
    assert (s.reply_period, s.reply_unit) == (15, "days")
    assert s.reply_due == D("2026-10-08")
    assert "国庆节假期" in s.reply_due_explained


def test_issuer_may_shorten_but_not_lengthen_the_period(court_clerk, inst):
    s = services.suggestion_create(
        by=court_clerk,
        recipient=inst["柳州市城市管理行政执法局"],
        title="t",
        problem="p",
        recommendations="r",
        reply_period=30,
        reply_unit="days",
    )
    assert (s.reply_period, s.reply_unit) == (30, "days")
    with pytest.raises(ValidationError) as err:
        services.suggestion_create(
            by=court_clerk,
            recipient=inst["柳州市城市管理行政执法局"],
            title="t",
            problem="p",
            recommendations="r",
            reply_period=3,
            reply_unit="months",
        )
    assert "reply_period" in err.value.message_dict


def test_approved_extension_moves_the_deadline_and_explains_it(make_suggestion, proc_staff, proc_head, agency_staff):
    s = make_suggestion(
        proc_staff, proc_head, issued_on=D("2026-08-28"), received_on=D("2026-08-31"), receiver=agency_staff
    )
    # 31 Aug + 2 months = 31 Oct (Saturday) → Monday 2 Nov.
    assert s.reply_due == D("2026-11-02")
    ext = services.extension_request(suggestion=s, by=agency_staff, days=30, reasons="需协调多个部门")
    services.extension_decide(extension=ext, by=proc_head, approve=True)
    s.refresh_from_db()
    assert s.reply_due == D("2026-12-02")
    assert s.reply_due_explained.endswith("经批准延期 30 日：原届满日 2026-11-02 + 30日 = 2026-12-02")
    entry = LedgerEntry.objects.get(owner=agency_staff.institution, source_id=s.pk)
    assert entry.due_date == D("2026-12-02")


def test_refused_extension_needs_reasons_and_keeps_the_deadline(make_suggestion, proc_staff, proc_head, agency_staff):
    s = make_suggestion(
        proc_staff, proc_head, issued_on=D("2026-08-28"), received_on=D("2026-08-31"), receiver=agency_staff
    )
    ext = services.extension_request(suggestion=s, by=agency_staff, days=10, reasons="理由")
    with pytest.raises(ValidationError):
        services.extension_decide(extension=ext, by=proc_head, approve=False)
    services.extension_decide(extension=ext, by=proc_head, approve=False, reason="期限充足")
    s.refresh_from_db()
    assert s.reply_due == D("2026-11-02")


def test_receipt_date_cannot_be_before_issue_or_in_the_future(make_suggestion, court_clerk, court_head, agency_staff):
    s = make_suggestion(court_clerk, court_head, issued_on=D("2026-11-02"))
    with pytest.raises(ValidationError):
        services.suggestion_receive(suggestion=s, by=agency_staff, received_on=D("2026-11-01"))
    with pytest.raises(ValidationError):
        services.suggestion_receive(suggestion=s, by=agency_staff, received_on=D("2099-01-01"))
    s.refresh_from_db()
    assert s.status == "issued" and s.received_on is None
