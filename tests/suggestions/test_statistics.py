import datetime as dt

from suggestions import selectors, services

from .conftest import D


def test_statistics_count_replies_against_deadlines_with_numerators(
    make_suggestion, court_clerk, court_head, agency_head, outsider_agency, office, inst
):
    # Two suggestions to 城管局 received 2 Nov (due 4 Jan 2027); one replied today, one still open.
    a = make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    make_suggestion(
        court_clerk, court_head, issued_on=D("2026-11-02"), received_on=D("2026-11-02"), receiver=agency_head
    )
    services.suggestion_reply(suggestion=a, by=agency_head, measures="已整改")
    services.suggestion_evaluate(suggestion=a, by=court_clerk, evaluation="adopted")
    rows = selectors.statistics(user=court_clerk, start=D("2026-10-01"), end=D("2026-12-31"), group_by="recipient")
    assert len(rows) == 1
    row = rows[0]
    assert row["group"] == "柳州市城市管理行政执法局"
    assert (row["issued"], row["received"], row["adopted"]) == (2, 2, 1)
    # Only the replied one falls in the denominator in Q4 (the other is due in 2027).
    assert (row["replied"], row["due"]) == (1, 1)
    assert str(row["reply_rate"]) == "100.00%" and str(row["on_time_rate"]) == "100.00%"
    # The 2027 quarter: the open one is due then, not replied → 0 of 1.
    rows = selectors.statistics(user=court_clerk, start=D("2027-01-01"), end=D("2027-03-31"), group_by="recipient")
    assert (rows[0]["replied"], rows[0]["due"]) == (0, 1)
    assert str(rows[0]["reply_rate"]) == "0.00%"
    # Overdue once the deadline passed.
    rows = selectors.statistics(
        user=court_clerk, start=D("2027-01-01"), end=D("2027-03-31"), group_by="issuer", today=dt.date(2027, 2, 1)
    )
    assert rows[0]["overdue"] == 1
    # An unrelated agency sees nothing; the office sees the region's figures.
    assert selectors.statistics(user=outsider_agency, start=D("2026-10-01"), end=D("2026-12-31")) == []
    assert selectors.statistics(user=office, start=D("2026-10-01"), end=D("2026-12-31"))[0]["issued"] == 2


def test_rate_with_zero_denominator_shows_a_dash():
    assert str(selectors.Rate(0, 0)) == "—"
    assert str(selectors.Rate(686, 4311)) == "15.91%"


def test_quarterly_letter_is_drafted_once_for_the_head(make_suggestion, court_clerk, court_head, agency_head):
    from liaison.models import Letter
    from suggestions.models import PeriodicReport

    make_suggestion(
        court_clerk, court_head, issued_on=D("2026-08-03"), received_on=D("2026-08-04"), receiver=agency_head
    )
    assert services.quarter_bounds(D("2026-10-09")) == (D("2026-07-01"), D("2026-09-30"))
    assert services.periodic_reports_draft_all(today=D("2026-10-09")) == 1
    assert services.periodic_reports_draft_all(today=D("2026-10-09")) == 1  # returns the existing one
    assert PeriodicReport.objects.count() == 1
    report = PeriodicReport.objects.get()
    letter = report.letter
    assert letter.status == Letter.Status.PENDING and letter.issuer == court_head.institution
    assert [i.name for i in letter.addressees()] == ["柳州市人民政府"]
    assert [i.name for i in letter.cc()] == ["柳州市人民检察院"]
    assert "本期发出建议1件" in letter.body and "柳州市城市管理行政执法局" in letter.body
