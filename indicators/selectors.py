"""The five indicators, computed in the database: one aggregate statement per level.

For a period and a level (agency, region, city) one SQL statement (a UNION ALL of four
grouped aggregates: cases, hearings, head appearances, suggestions) returns, per unit,
every numerator and denominator for the period, the previous period and the same
quarter last year (FILTER columns, so a row may count in several periods). Python only
adds up those few rows per unit, formats rates and ranks the units.

Counting (RULES.md, and the decisions where it is silent):

- 败诉率 / 信息公开案件败诉率: first-instance cases with an outcome (judgment, ruling,
  withdrawal, mediation) whose 生效日期 falls in the period (the rule is configurable:
  `CountingRules.case_date`); lost when the outcome `counts_as_lost` (configurable
  mapping). Per agency a case counts for each defendant; per region and city-wide a case
  counts once, however many of its defendants the region has.
- 负责人出庭率: every (hearing, defendant) pair of a hearing that took place in the period
  (held on or before today, and not after the case concluded: a hearing overtaken by a
  withdrawal did not take place); numerator: the pairs with a 负责人 appearance. A delegated
  appearance with a written explanation is lawful but is not the head appearing: it is in
  the denominator and reported beside the rate as `delegated`.
- 司法建议回复率: as the suggestions statistics count it — suggestions replied to in the
  period, plus those whose deadline fell in it and that were unanswered at its end;
  numerator: replied in the period (total) and of those by the deadline (on time).
- 生效裁判自动履行率: cases effective in the period that impose an obligation on the agency;
  numerator: performed without an application for enforcement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, Value
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.models import AdministrativeCase, Appearance, CaseDefendant, Hearing, HearingDefendant, Outcome
from liaison import rowcount
from liaison.models import Institution, Region
from suggestions.models import Suggestion

from .models import CountingRules, rules_snapshot
from .periods import Period


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    numerator: str
    denominator: str
    higher_is_better: bool
    source: str  # cases, hearings, suggestions: what the drill-down lists
    numerator_label: str
    denominator_label: str


INDICATORS = (
    Indicator(
        "loss_rate",
        _("行政机关败诉率"),
        "lost",
        "concluded",
        False,
        "cases",
        _("败诉案件"),
        _("一审结案"),
    ),
    Indicator(
        "appearance_rate",
        _("行政机关负责人出庭率"),
        "heads",
        "hearings",
        True,
        "hearings",
        _("负责人出庭"),
        _("应出庭庭次"),
    ),
    Indicator(
        "reply_rate",
        _("司法建议回复率"),
        "replied",
        "suggestions",
        True,
        "suggestions",
        _("书面回复"),
        _("应回复"),
    ),
    Indicator(
        "performance_rate",
        _("生效裁判自动履行率"),
        "performed",
        "obligations",
        True,
        "cases",
        _("自动履行"),
        _("课以义务的生效裁判"),
    ),
    Indicator(
        "disclosure_loss_rate",
        _("信息公开案件败诉率"),
        "disc_lost",
        "disc_concluded",
        False,
        "cases",
        _("信息公开败诉"),
        _("信息公开结案"),
    ),
)
BY_KEY = {i.key: i for i in INDICATORS}

MEASURES = {
    "cases": ("concluded", "lost", "disc_concluded", "disc_lost", "obligations", "performed"),
    "hearings": ("hearings",),
    "heads": ("heads", "delegated"),
    "suggestions": ("suggestions", "replied", "on_time"),
}
ALL_MEASURES = tuple(m for ms in MEASURES.values() for m in ms)

LEVELS = ("agency", "region", "city")
DEFENDANT_KINDS = (Institution.Kind.AGENCY, Institution.Kind.GOVERNMENT)
OPEN_TO_RECIPIENT = ("issued", "received", "replied", "evaluated", "rectifying")


# ----------------------------------------------------------------------------- rates


def rate(numerator: int, denominator: int) -> Decimal | None:
    """Percentage to two decimals, half up (686/4311 → 15.91); None for an empty denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def display(value: Decimal | None) -> str:
    """ "—" for an empty denominator, never 0 % or 100 %."""
    return "—" if value is None else f"{value}%"


def change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """Percentage points between the two shown rates; None when either is "—"."""
    return None if now is None or before is None else now - before


def display_change(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


@dataclass
class Counts:
    numerator: int = 0
    denominator: int = 0
    on_time: int | None = None  # reply rate only
    delegated: int | None = None  # appearance rate only

    @property
    def rate(self) -> Decimal | None:
        return rate(self.numerator, self.denominator)

    @property
    def on_time_rate(self) -> Decimal | None:
        return None if self.on_time is None else rate(self.on_time, self.denominator)

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None


@dataclass
class Figure:
    indicator: Indicator
    current: Counts
    previous: Counts
    last_year: Counts | None  # None for a year (its previous period is the year before)
    rank: int | None = None
    ranked_of: int | None = None

    @property
    def rate(self):
        return self.current.rate

    @property
    def display(self) -> str:
        return display(self.current.rate)

    @property
    def change_previous(self):
        return change(self.current.rate, self.previous.rate)

    @property
    def change_last_year(self):
        return None if self.last_year is None else change(self.current.rate, self.last_year.rate)


@dataclass
class UnitFigures:
    level: str
    pk: int | None
    key: str  # public id: institution uuid, region code, or "city"
    name: str
    region: str
    rank_group: str  # units are ranked within their group (an agency among its region's)
    figures: dict[str, Figure] = field(default_factory=dict)


@dataclass
class Report:
    period: Period
    level: str
    rules: dict
    units: list[UnitFigures]
    computed_at: dt.datetime

    def unit(self, key) -> UnitFigures | None:
        return next((u for u in self.units if u.key == str(key) or u.pk == key), None)


# ----------------------------------------------------------------------------- filters per period


def _range(path: str, p: Period) -> Q:
    return Q(**{f"{path}__gte": p.start, f"{path}__lte": p.end})


def disclosure_q() -> Q:
    return Q(cause__is_information_disclosure=True) | Q(cause__parent__is_information_disclosure=True)


def case_filters(p: Period, rules: CountingRules) -> dict[str, Q]:
    """Per measure, the condition on an AdministrativeCase row for period p."""
    concluded = Q(outcome__isnull=False) & _range(rules.case_date, p)
    if rules.first_instance_only:
        concluded &= Q(instance=AdministrativeCase.Instance.FIRST)
    obligations = _range("effective_on", p) & Q(imposes_obligation=True)
    return {
        "concluded": concluded,
        "lost": concluded & Q(outcome__counts_as_lost=True),
        "disc_concluded": concluded & disclosure_q(),
        "disc_lost": concluded & disclosure_q() & Q(outcome__counts_as_lost=True),
        "obligations": obligations,
        "performed": obligations & Q(performed_voluntarily=True),
    }


def took_place(hearing_path: str, today: dt.date) -> Q:
    """A hearing counts once it was held, unless the case concluded before it (withdrawal)."""
    h = f"{hearing_path}__" if hearing_path else ""
    return Q(**{f"{h}held_on__lte": today}) & (
        Q(**{f"{h}case__concluded_on__isnull": True}) | Q(**{f"{h}held_on__lte": F(f"{h}case__concluded_on")})
    )


def hearing_filters(p: Period, today: dt.date) -> dict[str, Q]:
    return {"hearings": _range("held_on", p) & took_place("", today)}


def head_filters(p: Period, today: dt.date) -> dict[str, Q]:
    held = _range("hearing__held_on", p) & took_place("hearing", today)
    return {
        "heads": held & Q(kind=Appearance.Kind.HEAD),
        "delegated": held & Q(kind=Appearance.Kind.DELEGATED) & ~Q(explanation=""),
    }


def suggestion_filters(p: Period) -> dict[str, Q]:
    # The same counting as suggestions.selectors.statistics, so both pages agree.
    replied_in = _range("replied_on", p)
    due = replied_in | (_range("reply_due", p) & (Q(replied_on__isnull=True) | Q(replied_on__gt=p.end)))
    return {
        "suggestions": due,
        "replied": replied_in,
        "on_time": replied_in & Q(replied_on__lte=F("reply_due")),
    }


def suggestion_base(rules: CountingRules):
    kinds = [Suggestion.Kind.JUDICIAL] + ([Suggestion.Kind.PROCURATORIAL] if rules.include_procuratorial else [])
    return Suggestion.objects.filter(kind__in=kinds, status__in=OPEN_TO_RECIPIENT)


# ----------------------------------------------------------------------------- the aggregate statement


def _periods(period: Period) -> dict[str, Period]:
    out = {"cur": period, "prev": period.previous()}
    if period.is_quarter:
        out["ly"] = period.last_year()
    return out


def _any(qs: list[Q]) -> Q:
    out = Q(pk__in=[])
    for q in qs:
        out |= q
    return out


def _source(qs, *, unit, filters_by_bucket, measures, count, prefilter, distinct=False, units=None, unit_field=None):
    """One grouped aggregate: `unit` plus one column per (measure, bucket), zeros elsewhere."""
    if units is not None:
        qs = qs.filter(**{f"{unit_field}__in": units})
    qs = qs.filter(prefilter).values(unit=unit)
    columns = {}
    for measure in ALL_MEASURES:
        for bucket in ("cur", "prev", "ly"):
            name = f"{measure}__{bucket}"
            condition = filters_by_bucket.get(bucket, {}).get(measure)
            if measure in measures and condition is not None:
                columns[name] = Count(count, filter=condition, distinct=distinct)
            else:
                columns[name] = Value(0)
    return qs.annotate(**columns).values("unit", *columns).order_by()


def _unit_paths(level: str) -> dict[str, str | None]:
    """For each source, the path from its rows to the unit (None: the whole city)."""
    if level == "agency":
        return {"cases": "institution_id", "places": "institution_id", "sugg": "recipient_id"}
    if level == "region":
        return {"cases": "institution__region_id", "places": "institution__region_id", "sugg": "recipient__region_id"}
    return {"cases": None, "places": None, "sugg": None}


def place_filters(p: Period, today: dt.date) -> dict[str, Q]:
    """The appearance rate on HearingDefendant rows: each defendant's place at a hearing."""
    # held_on and the case's concluded_on are both on the row (took_place without the case)
    held = (
        _range("held_on", p)
        & Q(held_on__lte=today)
        & (Q(concluded_on__isnull=True) | Q(held_on__lte=F("concluded_on")))
    )
    return {
        "hearings": held,
        "heads": held & Q(appearance=Appearance.Kind.HEAD),
        "delegated": held & Q(appearance=Appearance.Kind.DELEGATED, explained=True),
    }


def aggregate_queryset(period: Period, level: str, *, rules: CountingRules, today: dt.date, units=None):
    """The one statement (UNION ALL of the sources) for a level; rows of unit + counts."""
    return _aggregate(_periods(period), level, rules=rules, today=today, units=units)


def _aggregate(buckets: dict, level: str, *, rules: CountingRules, today: dt.date, units=None):
    """aggregate_queryset for the periods' bounds in `buckets` (anything with .start and .end).

    City-wide a case counts once, so the cases and hearings are read themselves. Per agency
    and per region the defendant rows are read: CaseDefendant carries the case's counted
    fields and HearingDefendant each defendant's place at a hearing (with its appearance),
    both indexed by (institution, date), so one agency's quarter is an index range.
    """
    paths = _unit_paths(level)
    unit_of = lambda path: F(path) if path else Value(0)  # noqa: E731

    case_f = {b: case_filters(p, rules) for b, p in buckets.items()}
    date_fields = sorted({rules.case_date, "effective_on"})  # performance always runs by 生效日期
    case_dates = _any([_range(f, p) for p in buckets.values() for f in date_fields])
    hearing_dates = _any([_range("held_on", p) for p in buckets.values()])
    sugg = _source(
        suggestion_base(rules),
        unit=unit_of(paths["sugg"]),
        filters_by_bucket={b: suggestion_filters(p) for b, p in buckets.items()},
        measures=MEASURES["suggestions"],
        count="pk",
        prefilter=_any([_range("replied_on", p) | _range("reply_due", p) for p in buckets.values()]),
        units=units,
        unit_field="recipient_id",
    )
    if level == "city":
        cases = _source(
            AdministrativeCase.objects.all(),
            unit=unit_of(None),
            filters_by_bucket=case_f,
            measures=MEASURES["cases"],
            count="pk",
            prefilter=case_dates,
        )
        hearings = _source(
            Hearing.objects.all(),
            unit=unit_of(None),
            filters_by_bucket={b: hearing_filters(p, today) for b, p in buckets.items()},
            measures=MEASURES["hearings"],
            count="case__defendants",  # (hearing, defendant) pairs: each defendant owes an appearance
            prefilter=hearing_dates,
        )
        heads = _source(
            Appearance.objects.all(),
            unit=unit_of(None),
            filters_by_bucket={b: head_filters(p, today) for b, p in buckets.items()},
            measures=MEASURES["heads"],
            count="pk",
            prefilter=_any([_range("hearing__held_on", p) for p in buckets.values()]),
        )
        return cases.union(hearings, heads, sugg, all=True)
    # Per unit, one source per period: each reads one range of (institution, date) from the
    # index alone (the copies are in it), where an OR of the periods would be a bitmap scan
    # visiting the table; compute() adds a unit's rows up.
    sources = []
    for b, p in buckets.items():
        sources.append(
            _source(
                CaseDefendant.objects.all(),  # the case's counted fields, copied under the same names
                unit=unit_of(paths["cases"]),
                filters_by_bucket={b: case_f[b]},
                measures=MEASURES["cases"],
                # A case with two defendants in one region counts once for the region.
                count="administrativecase_id",
                distinct=level == "region",
                prefilter=_any([_range(f, p) for f in date_fields]),
                units=units,
                unit_field="institution_id",
            )
        )
        sources.append(
            _source(
                HearingDefendant.objects.all(),
                unit=unit_of(paths["places"]),
                filters_by_bucket={b: place_filters(p, today)},
                measures=MEASURES["hearings"] + MEASURES["heads"],
                count="institution_id",  # each row is one defendant's place at one hearing (an index column)
                prefilter=_range("held_on", p),
                units=units,
                unit_field="institution_id",
            )
        )
    return sources[0].union(*sources[1:], sugg, all=True)


@dataclass(frozen=True)
class _Bounds:
    start: dt.date
    end: dt.date


_STATEMENTS: dict[tuple, tuple[str, tuple]] = {}


def _rows(period: Period, level: str, *, rules: CountingRules, today: dt.date, units=None) -> list[dict]:
    """The rows of aggregate_queryset, its SQL compiled once per shape of statement.

    Building and compiling the statement's ~260 annotations costs Django more than
    PostgreSQL needs to run it for one agency (90 ms against 25–30 ms at 1,000,000 cases,
    bench/RESULTS.md). The periods' bounds, today and the units reach the SQL only as
    parameters, so the statement is compiled once per level, kind of period, counting rules
    and number of units, with stand-in values no real parameter can equal (dates in the
    year 1001, negative ids), and each stand-in is replaced by the real value on use.
    """
    units = None if units is None else sorted(set(units))
    if units == []:
        return []  # no unit asked for: nothing to count (and no statement: IN () is empty)
    key = (
        connection.alias,
        level,
        period.is_quarter,
        rules.case_date,
        rules.first_instance_only,
        rules.include_procuratorial,
        None if units is None else len(units),
    )
    real = _periods(period)
    if key not in _STATEMENTS:
        day = iter(dt.date(1001, 1, 1) + dt.timedelta(days=i) for i in range(100))
        stand_in = {b: _Bounds(next(day), next(day)) for b in real}
        stand_in_today = next(day)
        stand_in_units = None if units is None else [-1 - i for i in range(len(units))]
        qs = _aggregate(stand_in, level, rules=rules, today=stand_in_today, units=stand_in_units)
        sql, params = qs.query.sql_with_params()
        values = {stand_in_today: ("today", None)}
        for b, bounds in stand_in.items():
            values[bounds.start], values[bounds.end] = (b, "start"), (b, "end")
        for i, unit in enumerate(stand_in_units or ()):
            values[unit] = ("unit", i)
        # A date parameter reaches the driver as a date or (SQLite) as its ISO text: keep the form.
        values.update({d.isoformat(): (*slot, "iso") for d, slot in values.items() if isinstance(d, dt.date)})
        slots = tuple(values.get(p, ("const", p)) if _hashable(p) else ("const", p) for p in params)
        _STATEMENTS[key] = (sql, slots)
    sql, slots = _STATEMENTS[key]
    params = []
    for slot in slots:
        if slot[0] == "const":
            value = slot[1]
        elif slot[0] == "unit":
            value = units[slot[1]]
        else:
            value = today if slot[0] == "today" else getattr(real[slot[0]], slot[1])
            value = value.isoformat() if slot[-1] == "iso" else value
        params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _lost_codes() -> list[str]:
    return list(Outcome.objects.filter(counts_as_lost=True).values_list("code", flat=True))


def _units(level: str, only: list[int] | None) -> list[UnitFigures]:
    if level == "agency":
        qs = Institution.objects.filter(kind__in=DEFENDANT_KINDS).select_related("region")
        if only is not None:
            qs = qs.filter(pk__in=only)
        return [
            UnitFigures(level, i.pk, str(i.uuid), i.name, i.region.name, rank_group=f"region:{i.region_id}")
            for i in qs.order_by("region_id", "kind", "id")
        ]
    if level == "region":
        qs = Region.objects.all() if only is None else Region.objects.filter(pk__in=only)
        return [
            UnitFigures(
                level,
                r.pk,
                r.code,
                r.name if r.level == Region.Level.COUNTY else str(_("%(city)s本级") % {"city": r.name}),
                r.name,
                # Counties and districts are ranked; the city's own departments are a row, not a rival.
                rank_group="counties" if r.level == Region.Level.COUNTY else "",
            )
            for r in qs.order_by("level", "id")
        ]
    city = Region.objects.filter(parent__isnull=True).order_by("id").first()
    name = city.name if city else str(_("全市"))
    return [UnitFigures(level, None, "city", name, name, rank_group="")]


def _rank(units: list[UnitFigures]) -> None:
    """Competition ranking (1, 2, 2, 4) within each group, best first; "—" rates are not ranked."""
    for indicator in INDICATORS:
        groups: dict[str, list[UnitFigures]] = {}
        for u in units:
            if u.rank_group and u.figures[indicator.key].current.denominator:
                groups.setdefault(u.rank_group, []).append(u)
        for members in groups.values():
            ordered = sorted(
                members,
                key=lambda u: u.figures[indicator.key].current.exact,
                reverse=indicator.higher_is_better,
            )
            previous, position = None, 0
            for index, u in enumerate(ordered, start=1):
                value = u.figures[indicator.key].current.exact
                if value != previous:
                    position, previous = index, value
                u.figures[indicator.key].rank = position
                u.figures[indicator.key].ranked_of = len(ordered)


def _counts(row: dict, indicator: Indicator, bucket: str) -> Counts:
    c = Counts(row.get(f"{indicator.numerator}__{bucket}", 0), row.get(f"{indicator.denominator}__{bucket}", 0))
    if indicator.key == "reply_rate":
        c.on_time = row.get(f"on_time__{bucket}", 0)
    if indicator.key == "appearance_rate":
        c.delegated = row.get(f"delegated__{bucket}", 0)
    return c


VERSION = "indicators"  # the data version of every table the figures are computed from (migration 0006)
CACHE_SECONDS = 24 * 3600  # the key names the day; this only frees entries no one asks for


def compute(
    period: Period,
    level: str,
    *,
    units: list[int] | None = None,
    rules: CountingRules | None = None,
    today: dt.date | None = None,
    rank: bool = True,
    cached: bool = True,
) -> Report:
    """The figures of every unit of `level` (or only `units`, unranked) for `period`.

    On PostgreSQL they are cached under the data version of the tables they are computed from
    (`liaison.rowcount`: triggers bump it on every write, however made), with the period, level,
    units, counting rules, today's date (a hearing counts once held) and the language (the
    units' names): a cached report is the one a computation would return now, so every caller —
    the pages, the API, bulletins and annual reports — uses it. Asking costs one query; on
    SQLite, where no trigger keeps the version, the figures are computed every time.
    """
    if level not in LEVELS:
        raise ValueError(level)
    today = today or timezone.localdate()
    # Read before computing: the computation then sees at least this version's data (see rowcount).
    version = rowcount.version(VERSION, connection.alias) if cached else None
    if version is not None:
        key = _cache_key(version, period, level, units=units, rules=rules, today=today, rank=rank)
        report = cache.get(key)
        if report is not None:
            return report
    if rules is None:
        rules, created = CountingRules.objects.get_or_create(pk=1)  # CountingRules.current(), and did it write
        if created and version is not None:  # the stored rules' first row is a write: a new version
            version = rowcount.version(VERSION, connection.alias)
            key = _cache_key(version, period, level, units=units, rules=None, today=today, rank=rank)
    report = _compute(period, level, units=units, rules=rules, today=today, rank=rank)
    if version is not None:
        cache.set(key, report, CACHE_SECONDS)
    return report


def _cache_key(version: str, period: Period, level: str, *, units, rules, today, rank) -> str:
    # The stored rules are under the version (their table is watched); rules passed in are named.
    named = None if rules is None else (rules.case_date, rules.first_instance_only, rules.include_procuratorial)
    parts = (
        version,
        connection.alias,
        level,
        period.code,
        named,
        None if units is None else tuple(sorted(set(units))),
        rank,
        today.isoformat(),
        translation.get_language(),
    )
    return "indicators:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _compute(period: Period, level: str, *, units, rules: CountingRules, today: dt.date, rank: bool) -> Report:
    snapshot = rules_snapshot(rules, _lost_codes())
    only = None if level == "city" else units
    totals: dict[object, dict[str, int]] = {}
    for row in _rows(period, level, rules=rules, today=today, units=only if level == "agency" else None):
        unit = row.pop("unit")
        acc = totals.setdefault(unit, {})
        for name, value in row.items():
            acc[name] = acc.get(name, 0) + (value or 0)
    out = _units(level, only)
    for u in out:
        row = totals.get(0 if level == "city" else u.pk, {})
        for indicator in INDICATORS:
            u.figures[indicator.key] = Figure(
                indicator,
                _counts(row, indicator, "cur"),
                _counts(row, indicator, "prev"),
                _counts(row, indicator, "ly") if period.is_quarter else None,
            )
    if rank and only is None:
        _rank(out)
    return Report(period, level, snapshot, out, timezone.now())
