"""liaison.pagination: the fast count and deep pages give exactly what Django's paginator gives.

On city-scale data (seed_scale, small) every persona's case, suggestion and letter lists are
paginated both ways, with the thresholds that pick a path forced each way, and every page
must hold the same rows in the same order; counts must be equal. The ids-first paths only
ever narrow the visible queryset, so an outsider's row can never appear (checked too).
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator

from cases import selectors as case_selectors
from cases.models import AdministrativeCase
from liaison import access, pagination
from liaison.models import Letter
from liaison.pagination import FastPaginator
from suggestions import selectors as suggestion_selectors
from suggestions.models import Suggestion

PERSONAS = ["office", "agency_staff", "court_clerk", "county_gov_legal", "proc_staff", "env_staff", "county_clerk"]


@pytest.fixture
def scale(world):
    call_command(
        "seed_scale", cases=400, suggestions=150, letters=120, today=dt.date(2026, 6, 30), stdout=io.StringIO()
    )
    return world


def lists(user):
    yield "cases", case_selectors.case_list(user=user)
    yield "cases ?q", case_selectors.case_list(user=user, q="局")
    yield "cases status", case_selectors.case_list(user=user, status=AdministrativeCase.objects.first().status)
    yield "cases by number", case_selectors.case_list(user=user).order_by("number", "id")
    yield "suggestions", suggestion_selectors.suggestion_list(user=user)
    yield "letters", Letter.objects.visible_to(user).select_related("issuer")


def pages(paginator):
    return [[row.pk for row in paginator.page(n).object_list] for n in paginator.page_range]


# (SMALL_SET, DEEP_OFFSET): defaults; UNION count and ids first; UNION count and the walk;
# resolved ids sorted; a mix that changes path between pages.
THRESHOLDS = [(10_000, 1_000), (0, 0), (0, 10_000), (10_000, 0), (5, 7)]


@pytest.mark.django_db
def test_every_page_is_what_django_gives(scale, monkeypatch):
    for small_set, deep_offset in THRESHOLDS:
        monkeypatch.setattr(pagination, "SMALL_SET", small_set)
        monkeypatch.setattr(pagination, "DEEP_OFFSET", deep_offset)
        checked = 0
        for name in PERSONAS:
            user = scale[name]
            for label, qs in lists(user):
                expected = Paginator(qs, 7)
                got = FastPaginator(qs, 7)
                assert got.count == expected.count, (small_set, deep_offset, name, label)
                assert pages(got) == pages(expected), (small_set, deep_offset, name, label)
                checked += expected.count
        assert checked > 1000  # the lists are not empty


@pytest.mark.django_db
def test_branches_narrow_never_widen(scale, monkeypatch):
    user = scale["agency_staff"]
    qs = case_selectors.case_list(user=user)
    assert len(qs.branches) >= 2  # court, defendants, coordination, supervision, observation
    visible = set(AdministrativeCase.objects.visible_to(user).values_list("pk", flat=True))
    assert 0 < len(visible) < AdministrativeCase.objects.count()
    for small_set, deep in [(0, 0), (10_000, 0)]:
        monkeypatch.setattr(pagination, "SMALL_SET", small_set)
        monkeypatch.setattr(pagination, "DEEP_OFFSET", deep)
        paginator = FastPaginator(qs, 10)
        seen = {row.pk for n in paginator.page_range for row in paginator.page(n).object_list}
        assert seen == visible

    qs = Suggestion.objects.visible_to(user)
    assert qs.branches
    assert not (qs | Suggestion.objects.filter(issuer=scale["court_clerk"].institution)).branches
    assert qs.filter(kind="judicial").branches  # narrowing keeps them

    qs = case_selectors.case_list(user=scale["office"])
    assert access.oversees_every_region(scale["office"])
    assert not qs.branches
    paginator = FastPaginator(qs, 50)
    last = paginator.page(paginator.num_pages)
    assert [r.pk for r in last.object_list] == list(qs.values_list("pk", flat=True)[last.start_index() - 1 :])


@pytest.mark.django_db
def test_whole_table_count_follows_every_write(scale, django_assert_num_queries):
    """The office's unfiltered list reads its count from the trigger-kept row (PostgreSQL), which
    follows inserts (one and many), deletes and their rollback; elsewhere it is counted."""
    from uuid import uuid4

    from django.db import connection, transaction

    from liaison import rowcount

    qs = case_selectors.case_list(user=scale["office"])
    if connection.vendor != "postgresql":
        assert rowcount.exact(AdministrativeCase) is None
        assert FastPaginator(qs, 50).count == AdministrativeCase.objects.count()
        return

    def same():
        assert rowcount.exact(AdministrativeCase) == AdministrativeCase.objects.count()
        assert FastPaginator(qs.all(), 50).count == Paginator(qs.all(), 50).count

    same()
    template = AdministrativeCase.objects.order_by("id").first()

    def copies(n):
        out = []
        for i in range(n):
            case = AdministrativeCase.objects.get(pk=template.pk)
            case.pk, case.uuid, case.number = None, uuid4(), f"{template.number}-{uuid4().hex[:8]}-{i}"
            out.append(case)
        return out

    copies(1)[0].save()
    same()
    AdministrativeCase.objects.bulk_create(copies(5))
    same()
    with pytest.raises(RuntimeError), transaction.atomic():
        AdministrativeCase.objects.bulk_create(copies(3))
        same()
        raise RuntimeError  # rolled back: the count with it
    same()
    AdministrativeCase.objects.filter(number__startswith=f"{template.number}-").delete()
    same()
    AdministrativeCase.objects.filter(pk__in=AdministrativeCase.objects.order_by("-id").values("pk")[:4]).delete()
    same()
    with django_assert_num_queries(1):
        assert FastPaginator(qs.all(), 50).count > 0  # one row read, no count(*)


@pytest.mark.django_db
def test_a_table_without_the_counting_triggers_is_counted_without_asking_the_counter(office):
    """Only a model that declares row_count_kept reads liaison_row_count; any other whole-table count is
    one count(*) query, on PostgreSQL as on SQLite (the ledger page's query budget depends on it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison import rowcount
    from liaison.models import LedgerEntry

    with CaptureQueriesContext(connection) as ctx:
        assert rowcount.exact(LedgerEntry) is None
    assert len(ctx.captured_queries) == 0
