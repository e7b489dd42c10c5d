"""The figures' cache (`selectors.compute`, PostgreSQL): a write of any kind shows on the next request.

The cache is keyed by a data version that triggers bump on every write to the tables the figures
are computed from (liaison.rowcount). Each test here warms the cache, writes in one way (a service
save, an M2M link, queryset.update, raw SQL, TRUNCATE, a counting-rule or outcome-mapping edit, a
rolled-back transaction, another connection), and checks that the API's next answer is the one an
uncached computation gives — and that it changed, so a stale cache fails the test. On SQLite, where
no trigger keeps the version, nothing is cached (checked too).
"""

import json
import re
import threading

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import AdministrativeCase, Appearance, Cause, Outcome
from indicators import selectors, viewing
from indicators.api import report_payload
from indicators.models import CountingRules
from indicators.periods import Period
from liaison import rowcount
from suggestions.models import Suggestion

from .conftest import A, D, E

URL = "/api/v1/indicators/"
Q3 = Period.parse("2026Q3")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the data version is kept by PostgreSQL triggers"
)


@pytest.fixture(autouse=True)
def committed(counted):
    """The fixtures' rows stand for committed data. A test's transaction never commits, so here is
    what committing them would do: the data version moves (the bump the deferred trigger makes at
    COMMIT; without it every test would share one version, and a report cached by an earlier test
    would be served to the next) and the mark the writes left (this transaction has written a
    watched table: no cache) is cleared. Each test's own writes mark the transaction again."""
    CountingRules.current()  # the stored rules' first row, written by the first computation otherwise
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {rowcount.TABLE} SET n = nextval('{rowcount.VERSIONS}') WHERE tbl = %s",
                [f"version:{selectors.VERSION}"],
            )
            cursor.execute("SELECT set_config(%s, '', true)", [f"liaison.wrote_{selectors.VERSION}"])
    return counted


def answer(api, user, level):
    r = api(user).get(URL, {"quarter": Q3.code, "level": level})
    assert r.status_code == 200, r.content
    return r.json()["units"]


def reference(user, level):
    """The same units computed without the cache (the slow path the cache must agree with)."""
    report = selectors.compute(Q3, level, cached=False)
    report.units = [u for u in report.units if viewing._in_scope(user, u)]
    return json.loads(json.dumps(report_payload(report)["units"], cls=DjangoJSONEncoder))


def aggregate_ran(queries) -> bool:
    return any("UNION ALL" in q["sql"] for q in queries)


# ----------------------------------------------------------------------------- each kind of write


def case_created(c):
    case = AdministrativeCase.objects.create(
        number="（2026）桂02行初9901号",
        court=c["cases"]["c1"].court,
        instance="first",
        cause=Cause.objects.get(name="行政处罚"),
        plaintiffs="原告新",
        filed_on=D("2026-01-02"),
        status="effective",
        outcome=Outcome.objects.get(code="revoke"),
        concluded_on=D("2026-08-10"),
        effective_on=D("2026-08-20"),
        created_by=c["cases"]["c1"].created_by,
    )
    case.defendants.set([c["inst"][A]])


def case_updated(c):
    c2 = c["cases"]["c2"]
    c2.outcome = Outcome.objects.get(code="revoke")
    c2.save()


def case_deleted(c):
    c["cases"]["c1"].delete()


def defendant_linked(c):
    c["cases"]["c7"].defendants.add(c["inst"][A])


def suggestion_state_changed(c):
    s3 = c["suggestions"]["s3"]
    s3.status = Suggestion.Status.WITHDRAWN
    s3.save(update_fields=["status"])


def counting_rule_edited(c):
    rules = CountingRules.current()
    rules.include_procuratorial = True
    rules.save()


def outcome_mapping_edited(c):
    dismiss = Outcome.objects.get(code="dismiss_claims")
    dismiss.counts_as_lost = True
    dismiss.save()


def appearance_recorded(c):
    Appearance.objects.create(
        hearing=c["hearings"]["h6"], defendant=c["inst"][E], kind="head", person_name="局长", person_post="局长"
    )


def bulk_updated(c):
    AdministrativeCase.objects.filter(pk=c["cases"]["c2"].pk).update(outcome=Outcome.objects.get(code="revoke"))


def raw_sql_updated(c):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE suggestions_suggestion SET replied_on = NULL, status = 'received' WHERE id = %s",
            [c["suggestions"]["s1"].pk],
        )


def truncated(c):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the fixture's deferred checks, before TRUNCATE
        cursor.execute("TRUNCATE cases_appearance CASCADE")


def institution_renamed(c):
    agency = c["inst"][A]
    agency.name = "柳州市城市管理综合行政执法局"
    agency.save(update_fields=["name"])


WRITES = [
    (case_created, "city"),
    (case_updated, "city"),
    (case_deleted, "city"),
    (defendant_linked, "agency"),  # city-wide a case counts once: the link shows per agency
    (suggestion_state_changed, "city"),
    (counting_rule_edited, "city"),
    (outcome_mapping_edited, "city"),
    (appearance_recorded, "city"),
    (bulk_updated, "city"),
    (raw_sql_updated, "city"),
    (truncated, "city"),
    (institution_renamed, "agency"),
]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("write,level", WRITES, ids=[w.__name__ for w, _level in WRITES])
def test_the_next_request_after_a_write_has_the_new_figures(api, office, counted, write, level):
    before = answer(api, office, level)
    assert before == reference(office, level)
    with CaptureQueriesContext(connection) as warm:
        assert answer(api, office, level) == before
    assert not aggregate_ran(warm.captured_queries)  # cached: the write below must get past it
    write(counted)
    after = answer(api, office, level)
    assert after != before, "the write changes these figures"
    assert after == reference(office, level)


@on_postgresql
@pytest.mark.django_db
def test_figures_computed_inside_a_rolled_back_transaction_are_never_served(api, office, counted):
    before = answer(api, office, "city")
    with pytest.raises(RuntimeError), transaction.atomic():
        raw_sql_updated(counted)  # s1 unanswered: this transaction's own figures, neither read nor cached
        assert rowcount.version(selectors.VERSION) is None
        assert answer(api, office, "city") != before
        raise RuntimeError
    assert rowcount.version(selectors.VERSION) is not None
    assert answer(api, office, "city") == before == reference(office, "city")
    suggestion_state_changed(counted)
    assert answer(api, office, "city") == reference(office, "city") != before


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_shows_on_the_next_request(api, office, counted):
    before = answer(api, office, "city")
    assert answer(api, office, "city") == before  # cached

    def elsewhere():
        try:
            with connections["default"].cursor() as cursor:  # this thread's own connection
                cursor.execute(
                    "UPDATE cases_administrativecase SET outcome_id = (SELECT id FROM cases_outcome "
                    "WHERE code = 'revoke') WHERE id = %s",
                    [counted["cases"]["c2"].pk],
                )
        finally:
            connections["default"].close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    after = answer(api, office, "city")
    assert after != before and after == reference(office, "city")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_version_moves_as_each_writer_commits_and_writers_do_not_wait_for_one_another(counted):
    """Two writers of watched tables with their transactions open at once: the second neither waits
    for the first (under a lock timeout) nor moves the version before it commits; each commit moves it.
    Bumped at the first write instead, the version's row would be held by the first writer until it
    committed, and the second would time out here."""
    start = rowcount.version(selectors.VERSION)
    wrote, release, errors = threading.Event(), threading.Event(), []

    def first_writer():
        try:
            with transaction.atomic():
                AdministrativeCase.objects.filter(pk=counted["cases"]["c2"].pk).update(plaintiffs="原告甲")
                wrote.set()
                release.wait(10)
        except Exception as e:  # reported below: the thread's failure is the test's
            errors.append(e)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert wrote.wait(10)
        assert rowcount.version(selectors.VERSION) == start  # written, not committed
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Suggestion.objects.filter(pk=counted["suggestions"]["s3"].pk).update(status=Suggestion.Status.WITHDRAWN)
            assert rowcount.version(selectors.VERSION) is None  # its own rows: no cache
        second = rowcount.version(selectors.VERSION)
        assert second not in (None, start)
    finally:
        release.set()
        thread.join()
    assert errors == []
    assert rowcount.version(selectors.VERSION) not in (None, start, second)


# ----------------------------------------------------------------------------- what is cached, and for whom


@on_postgresql
@pytest.mark.django_db
def test_a_second_identical_request_does_not_run_the_indicator_statement(api, office, counted):
    with CaptureQueriesContext(connection) as first:
        one = answer(api, office, "city")
    with CaptureQueriesContext(connection) as second:
        two = answer(api, office, "city")
    assert aggregate_ran(first.captured_queries)
    assert not aggregate_ran(second.captured_queries)
    assert one == two
    # What is left: the version (one query) and whatever the request itself needs (access, scope).
    assert [q for q in second.captured_queries if rowcount.TABLE in q["sql"]] != []
    assert len(second.captured_queries) < len(first.captured_queries)


@on_postgresql
@pytest.mark.django_db
def test_every_persona_gets_from_the_cache_what_a_computation_gives(api, world, counted):
    for persona, user in world.items():
        for level in selectors.LEVELS:
            if api(user).get(URL, {"quarter": Q3.code, "level": level}).status_code != 200:
                continue  # 403s are test_api's
            assert answer(api, user, level) == reference(user, level), (persona, level)


@on_postgresql
@pytest.mark.django_db
def test_the_key_names_the_day_the_units_the_rules_passed_in_and_the_language(counted):
    from django.utils import translation

    q4, a = Period.parse("2026Q4"), counted["inst"][A].pk

    def heard(today):  # h9 (c11, A, 2026-12-20) counts once today has passed it
        return selectors.compute(q4, "city", today=today).units[0].figures["appearance_rate"].current.denominator

    assert (heard(D("2026-12-01")), heard(D("2026-12-21")), heard(D("2026-12-01"))) == (0, 1, 0)
    everyone = selectors.compute(Q3, "agency")
    assert [u.name for u in selectors.compute(Q3, "agency", units=[a]).units] == [A] and len(everyone.units) > 1
    assert len(selectors.compute(Q3, "agency").units) == len(everyone.units)

    def replies(rules):
        return selectors.compute(Q3, "agency", rules=rules).unit(a).figures["reply_rate"].current.denominator

    stored = replies(None)
    assert replies(CountingRules(include_procuratorial=True)) == stored + 1  # s5
    assert replies(CountingRules(include_procuratorial=False)) == stored == replies(None)

    def names():
        return [u.name for u in selectors.compute(Q3, "region").units]

    chinese = names()
    with translation.override("en"):
        english = names()
        assert english == [u.name for u in selectors.compute(Q3, "region", cached=False).units]
    assert chinese == names() == [u.name for u in selectors.compute(Q3, "region", cached=False).units]
    assert english != chinese and any(name.endswith("(city level)") for name in english)


@on_postgresql
@pytest.mark.django_db
def test_every_table_the_figures_are_read_from_is_watched(counted):
    """Every table named by a statement of the computation (the aggregate for each level, kind of
    period, counting rules and units; the units; the rules; the 败诉 outcomes) bumps the version."""
    read = set()
    for level in selectors.LEVELS:
        for case_date in CountingRules.CaseDate.values:
            for first_only in (True, False):
                for procuratorial in (True, False):
                    for units in (None, [counted["inst"][A].pk]):
                        for period in (Q3, Period.parse("2026")):
                            rules = CountingRules(
                                case_date=case_date, first_instance_only=first_only, include_procuratorial=procuratorial
                            )
                            with CaptureQueriesContext(connection) as ctx:
                                selectors.compute(period, level, units=units, rules=rules, cached=False)
                            for q in ctx.captured_queries:
                                read |= set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"]))
    with CaptureQueriesContext(connection) as ctx:
        selectors.compute(Q3, "city", cached=False)  # the stored rules
    for q in ctx.captured_queries:
        read |= set(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"]))
    assert {"cases_administrativecase", "suggestions_suggestion", "indicators_countingrules"} <= read
    assert read - rowcount.watched(selectors.VERSION) == set()


@pytest.mark.django_db
def test_on_sqlite_nothing_is_cached(api, office, counted):
    if connection.vendor == "postgresql":
        assert rowcount.version(selectors.VERSION) is not None
        return
    assert rowcount.version(selectors.VERSION) is None
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            answer(api, office, "city")
        assert aggregate_ran(ctx.captured_queries)
