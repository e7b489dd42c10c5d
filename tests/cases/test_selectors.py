"""Case lists: search and filters, only visible rows, and a constant number of queries."""

import pytest
from django.db import connection
from django.db.models import Q

from cases import selectors, services
from cases.models import AdministrativeCase, Cause

from .conftest import CITY_AGENCY, D


def numbers(qs) -> list[str]:
    return [c.number for c in qs]


@pytest.fixture
def three_cases(make_case, cause):
    a = make_case(number="（2026）桂02行初1号", plaintiffs="张三", filed_on=D("2026-01-10"))
    b = make_case(
        number="（2026）桂02行初2号",
        plaintiffs="李四",
        defendants=["柳州市人民政府"],
        filed_on=D("2026-02-10"),
        major_category="demolition",
    )
    c = make_case(
        number="（2026）桂02行终3号",
        plaintiffs="王五",
        instance="second",
        cause=Cause.objects.get(name="政府信息公开"),
        filed_on=D("2026-03-10"),
    )
    return a, b, c


def test_search_by_number_plaintiff_or_defendant(three_cases, court_clerk):
    find = lambda q: numbers(selectors.case_list(user=court_clerk, q=q))  # noqa: E731
    assert find("(2026)桂02行初1号") == ["（2026）桂02行初1号"]
    assert find("行终") == ["（2026）桂02行终3号"]
    assert find("李四") == ["（2026）桂02行初2号"]
    assert find("城市管理") == ["（2026）桂02行终3号", "（2026）桂02行初1号"]
    assert find("市政府") == ["（2026）桂02行初2号"]


def test_a_long_keyword_searches_the_defendants_only_when_an_institution_matches(three_cases, court_clerk):
    # Without the defendant arm the condition is a plain OR of the two text columns, which
    # PostgreSQL's trigram indexes serve; the results are the same either way.
    links = lambda qs: str(qs.query).count("cases_administrativecase_defendants")  # noqa: E731
    unfiltered = links(selectors.case_list(user=court_clerk))
    plain = selectors.case_list(user=court_clerk, q="行初1号")
    assert links(plain) == unfiltered
    assert numbers(plain) == ["（2026）桂02行初1号"]
    named = selectors.case_list(user=court_clerk, q="人民政府")
    assert links(named) > unfiltered
    assert numbers(named) == ["（2026）桂02行初2号"]


@pytest.mark.parametrize("few", [1000, 0], ids=["index-list", "like"])
def test_keyword_finds_the_same_cases_as_the_joined_condition(world, make_case, monkeypatch, few):
    """The keyword is tested as `id IN (keys) OR id IN (defendant links)` (gram indexes on
    PostgreSQL, or the column's `LIKE` past `keywords.FEW` matches; the institutions matched
    first): the same rows as the joined condition it replaced, for every persona and keywords of
    1-6 characters over 案号, plaintiffs and defendants' names and short names, LIKE's % and _ too."""
    from liaison import keywords

    monkeypatch.setattr(keywords, "FEW", few)
    make_case(number="（2026）桂02行初7号", plaintiffs="张三\n广西某建材有限公司", defendants=["柳州市公安局"])
    make_case(number="（2025）桂0202行初15号", plaintiffs="李四", defendants=["柳州市公安局", CITY_AGENCY])
    make_case(number="（2026）桂02行终3号", plaintiffs="王某100%_", defendants=["柳州市人民政府"])
    make_case(by=world["county_clerk"], number="（2026）桂0202行初5104号", plaintiffs="陈某")
    words = ["公安", "公", "市公安局", "柳州市公安局", "城管", "人民政府", "建材", "建材有限", "行初", "行初5104"]
    words += ["(2026)桂02", "张三", "某", "王某100%_", "%", "_", "无此词"]
    compared = 0
    for user in world.values():
        if user.institution_id is None:
            continue
        for q in words:
            joined = (
                AdministrativeCase.objects.visible_to(user)
                .filter(
                    Q(number__icontains=selectors._number_query(q))
                    | Q(plaintiffs__icontains=q)
                    | Q(defendants__name__icontains=q)
                    | Q(defendants__short_name__icontains=q)
                )
                .values_list("pk", flat=True)
                .distinct()
            )
            found = selectors.case_list(user=user, q=q).values_list("pk", flat=True)
            assert sorted(found) == sorted(joined), (user.username, q)
            compared += len(joined)
    assert compared > 0


def test_the_trigram_indexes_match_the_expressions_the_search_writes(three_cases, court_clerk):
    """On PostgreSQL the keyword columns have pg_trgm indexes on exactly what `icontains` compares."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm indexes exist on PostgreSQL only")
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_administrativecase'")
        defs = dict(cur.fetchall())
    sql = str(selectors.case_list(user=court_clerk, q="行初1号").query)
    # PostgreSQL keeps the text column's no-op ::text cast out of the index definition.
    for name, column, indexed in (
        ("case_number_trgm", "number", "upper((number)::text)"),
        ("case_plaintiffs_trgm", "plaintiffs", "upper(plaintiffs)"),
    ):
        assert f"USING gin ({indexed} gin_trgm_ops)" in defs[name]
        assert f'UPPER("cases_administrativecase"."{column}"::text) LIKE UPPER(' in sql
    # The gram indexes (migration 0010) are on what `keywords.matches` reads for shorter keywords.
    for name, indexed in (
        ("case_number_grams", "upper((number)::text)"),
        ("case_plaintiffs_grams", "upper(plaintiffs)"),
    ):
        assert f"USING gin (liaison_grams({indexed}))" in defs[name]


def test_filters(three_cases, court_clerk, inst, outcome):
    a, b, c = three_cases
    services.case_conclude(case=a, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    lst = lambda **f: numbers(selectors.case_list(user=court_clerk, **f))  # noqa: E731
    assert lst(status="concluded") == [a.number]
    assert lst(cause=c.cause) == [c.number]
    assert lst(instance="second") == [c.number]
    assert lst(defendant=inst["柳州市人民政府"]) == [b.number]
    assert lst(major=True) == [b.number]
    assert lst(major=False) == [c.number, a.number]
    assert lst(filed_after=D("2026-02-01"), filed_before=D("2026-02-28")) == [b.number]
    assert lst(court=inst["柳州铁路运输法院"]) == []


def test_a_list_shows_only_visible_cases(three_cases, agency_staff, outsider_agency, gov_legal):
    assert len(numbers(selectors.case_list(user=agency_staff))) == 2
    assert numbers(selectors.case_list(user=outsider_agency)) == []
    assert numbers(selectors.case_list(user=outsider_agency, q="桂02")) == []
    assert len(numbers(selectors.case_list(user=gov_legal))) == 3  # its own case and its agency's


def _bulk_cases(n, court, defendants, cause, by):
    cases = AdministrativeCase.objects.bulk_create(
        AdministrativeCase(
            number=f"（2025）桂02行初{i + 1000}号",
            court=court,
            cause=cause,
            plaintiffs=f"原告{i}",
            filed_on=D("2025-06-01"),
            created_by=by,
        )
        for i in range(n)
    )
    through = AdministrativeCase.defendants.through
    through.objects.bulk_create(
        through(administrativecase_id=c.pk, institution_id=d.pk) for c in cases for d in defendants
    )


@pytest.mark.parametrize("rows", [10, 200])
# Institutions matched first; for 1-2 characters also the 案号's and plaintiffs' keys (PostgreSQL).
@pytest.mark.parametrize("q, most", [("原告", 6), ("原告1", 5)])
def test_the_case_list_runs_a_constant_number_of_queries(
    rows, q, most, court_clerk, office, inst, cause, django_assert_max_num_queries
):
    _bulk_cases(rows, court_clerk.institution, [inst[CITY_AGENCY], inst["柳州市人民政府"]], cause, court_clerk)
    expected = sum(q in f"原告{i}" for i in range(rows))
    for user in (court_clerk, office):
        with django_assert_max_num_queries(most):
            listed = list(selectors.case_list(user=user, q=q))
            shown = [(c.court.name, c.cause.name, [d.short_name for d in c.defendants.all()]) for c in listed]
        assert len(shown) == expected


def test_other_lists_show_only_visible_rows(
    make_case, make_enforcement, court_clerk, court_head, agency_staff, outsider_agency, proc_staff, inst
):
    case = make_case(major_category="environment")
    coordination = services.coordination_open(case=case, by=court_clerk, government=inst["柳州市人民政府"], subject="s")
    e = services.enforcement_rule(
        enforcement=make_enforcement(),
        by=court_head,
        ruling="granted",
        ruled_on=D("2026-03-02"),
        assignee=inst[CITY_AGENCY],
    )
    clue = services.clue_transfer_send(
        by=court_clerk, recipient=inst[CITY_AGENCY], summary="s", sent_on=D("2026-06-01")
    )
    assert list(selectors.coordination_list(user=court_clerk)) == [coordination]
    assert list(selectors.coordination_list(user=outsider_agency)) == []
    assert list(selectors.enforcement_list(user=agency_staff, status="assigned")) == [e]
    assert list(selectors.enforcement_list(user=agency_staff, overdue=True)) == [e]
    assert list(selectors.enforcement_list(user=outsider_agency)) == []
    assert list(selectors.clue_list(user=agency_staff, box="received")) == [clue]
    assert list(selectors.clue_list(user=agency_staff, box="sent")) == []
    assert list(selectors.clue_list(user=proc_staff)) == []
    for lst in (selectors.dispute_list, selectors.supervision_list, selectors.observation_list, selectors.review_list):
        assert list(lst(user=outsider_agency)) == []


def test_a_procuratorate_finds_a_case_to_supervise_by_number_within_its_jurisdiction(
    make_case, county_clerk, proc_staff, user_at
):
    city = make_case(number="（2026）桂02行初8号")
    county = make_case(by=county_clerk, number="（2026）桂0202行初8号")
    assert selectors.case_in_jurisdiction(procuratorate=proc_staff.institution, number="(2026)桂02行初8号") == city
    assert selectors.case_in_jurisdiction(procuratorate=proc_staff.institution, number=county.number) == county
    county_proc = user_at("柳州市城中区人民检察院").institution
    assert selectors.case_in_jurisdiction(procuratorate=county_proc, number=city.number) is None
    assert selectors.case_in_jurisdiction(procuratorate=county_proc, number=county.number) == county
