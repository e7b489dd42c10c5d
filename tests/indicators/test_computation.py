"""The five indicators against values counted by hand from the table in conftest.py."""

from decimal import Decimal

import pytest
from django.db import connection

from cases.models import Outcome
from indicators.models import CountingRules
from indicators.periods import Period
from indicators.selectors import compute, display, display_change, rate

from .conftest import CG, CJ, TODAY, A, E, T

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026Q3")


def figures(level, period=Q3, **kwargs):
    return compute(period, level, today=TODAY, **kwargs)


def fig(report, key, indicator):
    unit = report.unit(key)
    assert unit is not None, key
    return unit.figures[indicator]


def nd(figure, bucket="current"):
    counts = getattr(figure, bucket)
    return counts.numerator, counts.denominator


def by_name(report, name):
    return next(u for u in report.units if u.name == name)


# ----------------------------------------------------------------------------- arithmetic


def test_rates_have_two_decimals_half_up_and_a_dash_for_an_empty_denominator():
    assert rate(686, 4311) == Decimal("15.91")  # the published example in RULES.md
    assert rate(1, 3) == Decimal("33.33")
    assert rate(2, 3) == Decimal("66.67")
    assert rate(1, 8) == Decimal("12.50")  # exactly half a hundredth rounds up
    assert rate(0, 0) is None and display(None) == "—"
    assert display(rate(0, 5)) == "0.00%" and display(rate(5, 5)) == "100.00%"
    assert display_change(Decimal("-10.00")) == "-10.00" and display_change(Decimal("12.5")) == "+12.5"


def test_periods_and_their_comparisons():
    assert (Q3.start.isoformat(), Q3.end.isoformat()) == ("2026-07-01", "2026-09-30")
    assert Q3.previous().code == "2026Q2" and Q3.last_year().code == "2025Q3"
    assert Period.parse("2026Q1").previous().code == "2025Q4"
    assert Period.parse("2026").end.isoformat() == "2026-12-31" and Period.parse("2026").previous().code == "2025"
    for bad in ("2026Q5", "26Q1", "2026-3", "", "1900"):
        with pytest.raises(ValueError):
            Period.parse(bad)


# ----------------------------------------------------------------------------- per agency


def test_loss_rate_per_agency_withdrawal_and_mediation_are_concluded_not_lost(counted):
    r = figures("agency")
    # A: c1 (lost), c2, c3 (withdrawal), c4 (mediation), c6 (lost); c5 effective in Q4,
    # c8 second instance, c11 pending → 2 of 5.
    f = fig(r, by_name(r, A).key, "loss_rate")
    assert nd(f) == (2, 5) and f.display == "40.00%"
    # E: c6 (lost, shared with A), c7 → 1 of 2.
    assert nd(fig(r, by_name(r, E).key, "loss_rate")) == (1, 2)
    # 城中区: CJ c9 (lost), c10 → 1 of 2; CG c10 → 0 of 1, shown as 0.00 %, not "—".
    assert nd(fig(r, by_name(r, CJ).key, "loss_rate")) == (1, 2)
    g = fig(r, by_name(r, CG).key, "loss_rate")
    assert nd(g) == (0, 1) and g.display == "0.00%"


def test_empty_denominators_show_a_dash_and_are_not_ranked(counted):
    r = figures("agency")
    unit = by_name(r, T)
    for key, f in unit.figures.items():
        assert nd(f) == (0, 0), key
        assert f.display == "—" and f.rank is None and f.change_previous is None


def test_case_concluded_in_one_quarter_and_effective_in_the_next_counts_in_the_next(counted):
    q4 = figures("agency", Period.parse("2026Q4"))
    # c5: concluded 2026-09-25, effective 2026-10-15 → Q4 only: 1 of 1 for A.
    assert nd(fig(q4, by_name(q4, A).key, "loss_rate")) == (1, 1)
    # ... and under the rule "by 结案日期" it moves to Q3: c1, c5, c6 lost of 6.
    CountingRules.objects.update_or_create(pk=1, defaults={"case_date": "concluded_on"})
    q3 = figures("agency")
    assert nd(fig(q3, by_name(q3, A).key, "loss_rate")) == (3, 6)
    assert q3.rules["case_date"] == "concluded_on"


def test_several_defendants_count_for_each_agency_and_once_for_a_region(counted):
    agencies = figures("agency")
    regions = figures("region")
    city = figures("city")
    # c6 (A + E, lost) is in both A's and E's 2/5 and 1/2 ...
    assert nd(fig(agencies, by_name(agencies, A).key, "disclosure_loss_rate")) == (1, 1)
    assert nd(fig(agencies, by_name(agencies, E).key, "disclosure_loss_rate")) == (1, 2)
    # ... but once in the city's own departments (市本级): c1 c2 c3 c4 c6 c7 → 2 lost of 6.
    assert nd(fig(regions, "liuzhou", "loss_rate")) == (2, 6)
    assert nd(fig(regions, "liuzhou", "disclosure_loss_rate")) == (1, 2)
    # c10 (CG + CJ, both 城中区) once for 城中区: c9 (lost), c10 → 1 of 2.
    assert nd(fig(regions, "chengzhong", "loss_rate")) == (1, 2)
    # City-wide every case once: c1 c2 c3 c4 c6 c7 c9 c10, lost c1 c6 c9 → 3 of 8.
    f = fig(city, "city", "loss_rate")
    assert nd(f) == (3, 8) and f.display == "37.50%"


def test_a_government_covers_its_agencies(counted):
    regions = figures("region")
    # 城中区政府 covers itself and 城中区司法局: appearances at h7 are CG head + CJ none → 1 of 2,
    # while CG alone is 1 of 1 and CJ alone 0 of 1.
    agencies = figures("agency")
    assert nd(fig(agencies, by_name(agencies, CG).key, "appearance_rate")) == (1, 1)
    assert nd(fig(agencies, by_name(agencies, CJ).key, "appearance_rate")) == (0, 1)
    f = fig(regions, "chengzhong", "appearance_rate")
    assert nd(f) == (1, 2) and f.display == "50.00%"
    # Performance: c9 (CJ) 1 of 1; reply: s7 (CJ) 1 of 1.
    assert nd(fig(regions, "chengzhong", "performance_rate")) == (1, 1)
    assert nd(fig(regions, "chengzhong", "reply_rate")) == (1, 1)
    # A county with nothing at all: every figure "—".
    assert all(f.display == "—" for f in regions.unit("yufeng").figures.values())


def test_head_appearance_with_a_delegated_appearance_and_a_written_explanation(counted):
    r = figures("agency")
    # A: h1 head, h2 delegated (written explanation), h3 none, h5 head, h8 head (pending case);
    # h4 was overtaken by the withdrawal, h9 is not yet held → 3 heads of 5 hearings.
    f = fig(r, by_name(r, A).key, "appearance_rate")
    assert nd(f) == (3, 5) and f.display == "60.00%"
    assert f.current.delegated == 1
    # E: h5 delegated, h6 nothing recorded → 0 of 2, one delegated.
    e = fig(r, by_name(r, E).key, "appearance_rate")
    assert nd(e) == (0, 2) and e.current.delegated == 1 and e.display == "0.00%"
    # City: 9 (hearing, defendant) pairs, 4 heads → 44.44 %; 市本级 3 of 7 → 42.86 %.
    assert fig(figures("city"), "city", "appearance_rate").display == "44.44%"
    regions = figures("region")
    assert nd(fig(regions, "liuzhou", "appearance_rate")) == (3, 7)
    assert fig(regions, "liuzhou", "appearance_rate").display == "42.86%"


def test_hearings_not_yet_held_do_not_count(counted):
    q4 = figures("agency", Period.parse("2026Q4"))
    # h9 (2026-12-20) is after today (2026-12-01): A has no hearing in Q4 yet.
    assert nd(fig(q4, by_name(q4, A).key, "appearance_rate")) == (0, 0)
    later = compute(Period.parse("2026Q4"), "agency", today=Period.parse("2026Q4").end)
    assert nd(fig(later, by_name(later, A).key, "appearance_rate")) == (0, 1)


def test_reply_rate_with_a_suggestion_replied_late(counted):
    r = figures("agency")
    # A in Q3: s1 replied on time, s2 due 09-15 unanswered at the quarter's end, s3 unanswered;
    # s5 is a 检察建议 (not counted by default), s6 withdrawn → 1 of 3, on time 1.
    f = fig(r, by_name(r, A).key, "reply_rate")
    assert nd(f) == (1, 3) and f.current.on_time == 1 and f.display == "33.33%"
    # In Q4 s2 is replied late: 1 of 1 replied, 0 on time.
    q4 = figures("agency", Period.parse("2026Q4"))
    late = fig(q4, by_name(q4, A).key, "reply_rate")
    assert nd(late) == (1, 1) and late.current.on_time == 0
    assert late.display == "100.00%" and display(late.current.on_time_rate) == "0.00%"
    # E: s4 was replied early, in Q2 → nothing in Q3, 1 of 1 in Q2.
    e = fig(r, by_name(r, E).key, "reply_rate")
    assert nd(e) == (0, 0) and nd(e, "previous") == (1, 1)
    # City: s1 s2 s3 s7 → 2 of 4, both on time.
    c = fig(figures("city"), "city", "reply_rate")
    assert nd(c) == (2, 4) and c.current.on_time == 2


def test_reply_rate_counts_procuratorial_suggestions_when_the_rules_say_so(counted):
    CountingRules.objects.update_or_create(pk=1, defaults={"include_procuratorial": True})
    r = figures("agency")
    assert nd(fig(r, by_name(r, A).key, "reply_rate")) == (2, 4)  # s5 added, replied on time


def test_performance_rate(counted):
    r = figures("agency")
    # A: c1 performed, c6 not, c8 (second instance, effective in Q3) not → 1 of 3.
    f = fig(r, by_name(r, A).key, "performance_rate")
    assert nd(f) == (1, 3) and f.display == "33.33%"
    assert nd(fig(r, by_name(r, E).key, "performance_rate")) == (0, 1)
    assert nd(fig(r, by_name(r, CJ).key, "performance_rate")) == (1, 1)
    # City-wide each case once: c1, c6, c8, c9 → 2 of 4.
    assert nd(fig(figures("city"), "city", "performance_rate")) == (2, 4)


def test_change_against_the_previous_quarter_and_the_same_quarter_last_year(counted):
    r = figures("agency")
    f = fig(r, by_name(r, A).key, "loss_rate")
    # Q2: c12 lost, c14 not → 50.00 %; 2025Q3: c13 not lost → 0.00 %; Q3 40.00 %.
    assert nd(f, "previous") == (1, 2) and nd(f, "last_year") == (0, 1)
    assert f.change_previous == Decimal("-10.00") and f.change_last_year == Decimal("40.00")
    # Appearance: Q2 h10 none → 0 of 1; 2025Q3 nothing → "—", so no change against it.
    a = fig(r, by_name(r, A).key, "appearance_rate")
    assert nd(a, "previous") == (0, 1) and a.change_previous == Decimal("60.00")
    assert nd(a, "last_year") == (0, 0) and a.change_last_year is None


def test_a_year_compares_with_the_year_before(counted):
    r = figures("agency", Period.parse("2026"))
    f = fig(r, by_name(r, A).key, "loss_rate")
    # 2026: c1 c2 c3 c4 c5 c6 c12 c14 → lost c1 c5 c6 c12 = 4 of 8; 2025: c13 → 0 of 1.
    assert nd(f) == (4, 8) and nd(f, "previous") == (0, 1)
    assert f.last_year is None and f.change_previous == Decimal("50.00")


def test_rankings_of_agencies_within_their_region_and_of_counties(counted):
    r = figures("agency")
    # 市本级 departments by 败诉率 (lower is better): A 40.00 % first, E 50.00 % second.
    a, e = fig(r, by_name(r, A).key, "loss_rate"), fig(r, by_name(r, E).key, "loss_rate")
    assert (a.rank, a.ranked_of, e.rank, e.ranked_of) == (1, 2, 2, 2)
    # 出庭率 (higher is better): A 60 % first, E 0 % second.
    assert fig(r, by_name(r, A).key, "appearance_rate").rank == 1
    assert fig(r, by_name(r, E).key, "appearance_rate").rank == 2
    # 城中区: CG 0.00 % first, CJ 50.00 % second.
    assert fig(r, by_name(r, CG).key, "loss_rate").rank == 1
    assert fig(r, by_name(r, CJ).key, "loss_rate").rank == 2
    # Counties are ranked among counties: 城中区 is the only one with cases; 市本级 is not ranked.
    regions = figures("region")
    assert (fig(regions, "chengzhong", "loss_rate").rank, fig(regions, "chengzhong", "loss_rate").ranked_of) == (1, 1)
    assert fig(regions, "liuzhou", "loss_rate").rank is None


def test_ties_share_a_rank(counted):
    Outcome.objects.filter(code="dismiss_claims").update(counts_as_lost=True)
    r = figures("agency")
    # With 驳回诉讼请求 counted as lost, CG (c10) is 1 of 1 and CJ (c9, c10) 2 of 2: both 100 %.
    cg, cj = fig(r, by_name(r, CG).key, "loss_rate"), fig(r, by_name(r, CJ).key, "loss_rate")
    assert (cg.rank, cj.rank, cg.ranked_of) == (1, 1, 2)


def test_the_loss_mapping_is_data_and_the_figure_records_which_mapping(counted):
    before = figures("agency")
    Outcome.objects.filter(code="dismiss_claims").update(counts_as_lost=True)
    after = figures("agency")
    # A: c1, c2 (now lost), c6 → 3 of 5.
    assert nd(fig(after, by_name(after, A).key, "loss_rate")) == (3, 5)
    assert "dismiss_claims" not in before.rules["lost_outcomes"]
    assert "dismiss_claims" in after.rules["lost_outcomes"]
    assert before.rules["digest"] != after.rules["digest"]
    assert before.rules["lost_outcomes"] == sorted(
        ["revoke", "partly_revoke", "alter", "confirm_illegal", "confirm_void", "order_perform", "order_pay"]
    )


def test_one_agency_alone_gives_the_same_numbers_without_a_rank(counted, inst):
    full = figures("agency")
    alone = compute(Q3, "agency", today=TODAY, units=[inst[A].pk])
    assert [u.name for u in alone.units] == [A]
    for key, f in alone.units[0].figures.items():
        other = full.unit(inst[A].pk).figures[key]
        assert (nd(f), nd(f, "previous"), nd(f, "last_year")) == (
            nd(other),
            nd(other, "previous"),
            nd(other, "last_year"),
        )
        assert f.rank is None


def test_one_statement_per_level(counted, django_assert_max_num_queries):
    for level in ("agency", "region", "city"):
        rules = CountingRules.current()
        # the aggregate (one UNION ALL statement), the mapping, the unit names (and the city region);
        # on PostgreSQL first the data version the figures are cached under (test_cache.py)
        with django_assert_max_num_queries(3 + (connection.vendor == "postgresql")):
            compute(Q3, level, today=TODAY, rules=rules)


# ----------------------------------------------------------------------------- figures and drill-down agree


@pytest.mark.parametrize("level", ["agency", "region", "city"])
@pytest.mark.parametrize("period", ["2026Q3", "2026Q2", "2026"])
def test_every_figure_equals_the_drill_down_that_lists_its_records(level, period, counted, world):
    """Per agency and region the figures read the dated copies (CaseDefendant, HearingDefendant),
    the drill-down the cases and hearings themselves: for the office, who may open every record,
    each numerator, denominator, on-time and delegated count is the length of its list."""
    from indicators import viewing

    p = Period.parse(period)
    report = figures(level, p)
    checked = 0
    for unit in report.units:
        for key, figure in unit.figures.items():
            parts = {"numerator": figure.current.numerator, "denominator": figure.current.denominator}
            if figure.current.on_time is not None:
                parts["on_time"] = figure.current.on_time
            if figure.current.delegated is not None:
                parts["delegated"] = figure.current.delegated
            for part, expected in parts.items():
                _kind, rows = viewing.drilldown(world["office"], p, level, unit, key, part, today=TODAY)
                assert rows.count() == expected, (unit.name, key, part)
                checked += expected
    assert checked > 0


def test_a_statement_compiled_once_is_rebound_for_each_period_and_unit(counted):
    """The SQL is compiled once per shape with stand-in parameters: other periods and units
    asked for afterwards get their own figures, and no unit at all gives no figures."""
    a, e = counted["inst"][A].pk, counted["inst"][E].pk
    assert nd(fig(figures("agency", units=[a]), a, "loss_rate")) == (2, 5)
    assert nd(fig(figures("agency", units=[e]), e, "loss_rate")) == (1, 2)
    assert nd(fig(figures("agency", Period.parse("2026Q2"), units=[a]), a, "loss_rate")) == (1, 2)
    assert figures("agency", units=[]).units == []
