"""Benchmark: the five indicators on PostgreSQL against a bare SQL aggregate of the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fy_ind_bench \
        .venv/bin/python manage.py seed_scale --cases 1000000 --today 2026-12-01
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fy_ind_bench \
        .venv/bin/python bench/indicators.py [--quarter 2026Q3] [--runs 7]

Prints, for each level, the median time of `indicators.selectors.compute` (the portal's
code: ORM statement, row assembly, rates, ranking, unit names) and of a hand-written SQL
statement that computes the same numerators and denominators for the same three periods
(the "bare SQL aggregate of the same data"), measured alternately in the same run, their
ratio (target ≤ 1.5× city-wide), whether both give the same numbers, and one agency's own
figures (target < 50 ms). The portal's side is computed with `cached=False`: the computation is
what is measured, not the figures' cache. It is a benchmark script that prints figures, not a test.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from cases.models import AdministrativeCase  # noqa: E402
from indicators import selectors  # noqa: E402
from indicators.models import CountingRules  # noqa: E402
from indicators.periods import Period  # noqa: E402
from liaison.models import Institution  # noqa: E402


def between(column, p):
    return f"({column} BETWEEN '{p.start}' AND '{p.end}')"


def bare_sql(period: Period, level: str, today, rules: CountingRules, only: int | None = None) -> str:
    """The same counts written by hand: one statement per level, four grouped aggregates."""
    buckets = {"cur": period, "prev": period.previous()}
    if period.is_quarter:
        buckets["ly"] = period.last_year()
    date = f"c.{rules.case_date}"
    first = "AND c.instance = 'first'" if rules.first_instance_only else ""
    disclosure = "(ca.is_information_disclosure OR COALESCE(cp.is_information_disclosure, false))"
    kinds = "('judicial','procuratorial')" if rules.include_procuratorial else "('judicial')"
    unit_case = {"agency": "d.institution_id", "region": "i.region_id", "city": "0"}[level]
    unit_hearing = unit_case
    unit_head = {"agency": "a.defendant_id", "region": "i.region_id", "city": "0"}[level]
    unit_sugg = {"agency": "s.recipient_id", "region": "i.region_id", "city": "0"}[level]
    count_case = "count(DISTINCT c.id)" if level == "region" else "count(*)"

    case_cols, hear_cols, head_cols, sugg_cols = [], [], [], []
    for b, p in buckets.items():
        concluded = f"c.outcome_id IS NOT NULL {first} AND {between(date, p)}"
        obligations = f"{between('c.effective_on', p)} AND c.imposes_obligation"
        case_cols += [
            f"{count_case} FILTER (WHERE {concluded}) AS concluded_{b}",
            f"{count_case} FILTER (WHERE {concluded} AND o.counts_as_lost) AS lost_{b}",
            f"{count_case} FILTER (WHERE {concluded} AND {disclosure}) AS disc_concluded_{b}",
            f"{count_case} FILTER (WHERE {concluded} AND {disclosure} AND o.counts_as_lost) AS disc_lost_{b}",
            f"{count_case} FILTER (WHERE {obligations}) AS obligations_{b}",
            f"{count_case} FILTER (WHERE {obligations} AND c.performed_voluntarily) AS performed_{b}",
        ]
        held = (
            f"{between('h.held_on', p)} AND h.held_on <= '{today}' "
            f"AND (c.concluded_on IS NULL OR h.held_on <= c.concluded_on)"
        )
        hear_cols.append(f"count(*) FILTER (WHERE {held}) AS hearings_{b}")
        head_cols += [
            f"count(*) FILTER (WHERE {held} AND a.kind = 'head') AS heads_{b}",
            f"count(*) FILTER (WHERE {held} AND a.kind = 'delegated' AND a.explanation <> '') AS delegated_{b}",
        ]
        replied = between("s.replied_on", p)
        due = f"({replied} OR ({between('s.reply_due', p)} AND (s.replied_on IS NULL OR s.replied_on > '{p.end}')))"
        sugg_cols += [
            f"count(*) FILTER (WHERE {due}) AS suggestions_{b}",
            f"count(*) FILTER (WHERE {replied}) AS replied_{b}",
            f"count(*) FILTER (WHERE {replied} AND s.replied_on <= s.reply_due) AS on_time_{b}",
        ]
    case_where = " OR ".join(between(date, p) + " OR " + between("c.effective_on", p) for p in buckets.values())
    held_where = " OR ".join(between("h.held_on", p) for p in buckets.values())
    sugg_where = " OR ".join(between("s.replied_on", p) + " OR " + between("s.reply_due", p) for p in buckets.values())
    group = "" if level == "city" else "GROUP BY 1"
    d_only = f"AND d.institution_id = {int(only)}" if only else ""
    a_only = f"AND a.defendant_id = {int(only)}" if only else ""
    s_only = f"AND s.recipient_id = {int(only)}" if only else ""
    join_d = "" if level == "city" else "JOIN cases_administrativecase_defendants d ON d.administrativecase_id = c.id"
    join_i_case = "JOIN liaison_institution i ON i.id = d.institution_id" if level == "region" else ""
    join_i_head = "JOIN liaison_institution i ON i.id = a.defendant_id" if level == "region" else ""
    join_i_sugg = "JOIN liaison_institution i ON i.id = s.recipient_id" if level == "region" else ""
    hear_d = "JOIN cases_administrativecase_defendants d ON d.administrativecase_id = c.id"
    return f"""
    WITH
    cs AS (SELECT {unit_case} AS unit, {", ".join(case_cols)}
           FROM cases_administrativecase c {join_d} {join_i_case}
           LEFT JOIN cases_outcome o ON o.id = c.outcome_id
           JOIN cases_cause ca ON ca.id = c.cause_id LEFT JOIN cases_cause cp ON cp.id = ca.parent_id
           WHERE ({case_where}) {d_only} {group}),
    hs AS (SELECT {unit_hearing} AS unit, {", ".join(hear_cols)}
           FROM cases_hearing h JOIN cases_administrativecase c ON c.id = h.case_id {hear_d} {join_i_case}
           WHERE ({held_where}) {d_only} {group}),
    ap AS (SELECT {unit_head} AS unit, {", ".join(head_cols)}
           FROM cases_appearance a JOIN cases_hearing h ON h.id = a.hearing_id
           JOIN cases_administrativecase c ON c.id = h.case_id {join_i_head}
           WHERE ({held_where}) {a_only} {group}),
    ss AS (SELECT {unit_sugg} AS unit, {", ".join(sugg_cols)}
           FROM suggestions_suggestion s {join_i_sugg}
           WHERE s.kind IN {kinds} AND s.status IN ('issued','received','replied','evaluated','rectifying')
             AND ({sugg_where}) {s_only} {group})
    SELECT * FROM cs FULL JOIN hs USING (unit) FULL JOIN ap USING (unit) FULL JOIN ss USING (unit)
    """


def run_bare(sql):
    with connection.cursor() as cur:
        cur.execute(sql)
        names = [c.name for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def timed(fn, runs):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def agree(report: selectors.Report, rows: list[dict]) -> bool:
    """Both give the same numerators and denominators for every unit and period."""
    by_unit = {(0 if report.level == "city" else r["unit"]): r for r in rows}
    for u in report.units:
        row = by_unit.get(0 if report.level == "city" else u.pk, {})
        for f in u.figures.values():
            i = f.indicator
            for bucket, counts in (("cur", f.current), ("prev", f.previous), ("ly", f.last_year)):
                if counts is None:
                    continue
                if (counts.numerator, counts.denominator) != (
                    row.get(f"{i.numerator}_{bucket}") or 0,
                    row.get(f"{i.denominator}_{bucket}") or 0,
                ):
                    print(f"  MISMATCH {u.name} {i.key} {bucket}: {counts} vs bare", file=sys.stderr)
                    return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL (DATABASE_URL=postgres://…)")
    period = Period.parse(args.quarter)
    rules = CountingRules.current()
    today = min(period.end, dt.date.today())
    n_cases = AdministrativeCase.objects.count()
    print(
        f"indicators benchmark: {n_cases:,} cases, period {period.code} (+{period.previous().code}, "
        f"{period.last_year().code}), {args.runs} runs each, medians"
    )
    for level in ("city", "region", "agency"):
        sql = bare_sql(period, level, today, rules)
        run_bare(sql)  # warm the cache for both
        selectors.compute(period, level, rules=rules, today=today, cached=False)
        portal, bare = [], []
        report = rows = None
        for _ in range(args.runs):  # alternate, so both see the same cache and load
            t, report = timed(lambda lv=level: selectors.compute(period, lv, rules=rules, today=today, cached=False), 1)
            portal.append(t)
            t, rows = timed(lambda q=sql: run_bare(q), 1)
            bare.append(t)
        p, b = statistics.median(portal), statistics.median(bare)
        print(
            f"  {level:<7} portal {p:8.1f} ms   bare SQL {b:8.1f} ms   ratio {p / b:5.2f}×   "
            f"units {len(report.units):3d}   same numbers: {'yes' if agree(report, rows) else 'NO'}"
        )
    agency = (
        Institution.objects.filter(kind=Institution.Kind.AGENCY, level="city")
        .annotate(n=Count("cases_defended"))
        .order_by("-n")
        .first()
    )
    only_sql = bare_sql(period, "agency", today, rules, only=agency.pk)
    # The first call in a process also compiles the statement (cached per shape, then re-bound).
    first, _ = timed(
        lambda: selectors.compute(period, "agency", units=[agency.pk], rules=rules, today=today, cached=False), 1
    )
    portal, bare = [], []
    for _ in range(args.runs):
        t, alone = timed(
            lambda: selectors.compute(period, "agency", units=[agency.pk], rules=rules, today=today, cached=False), 1
        )
        portal.append(t)
        t, rows = timed(lambda: run_bare(only_sql), 1)
        bare.append(t)
    p, b = statistics.median(portal), statistics.median(bare)
    loss = alone.units[0].figures["loss_rate"]
    print(
        f"  one agency ({agency.name}, {agency.n:,} cases in all): own figures {p:.1f} ms (target < 50 ms), "
        f"bare SQL {b:.1f} ms, ratio {p / b:.2f}×, same numbers: {'yes' if agree(alone, rows) else 'NO'}; "
        f"first call in the process {first:.1f} ms; "
        f"败诉率 {loss.current.numerator}/{loss.current.denominator} = {loss.display}"
    )
    print(f"  load average during the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
