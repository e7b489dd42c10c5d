"""Concurrency and database guarantees: document numbers under concurrent issue, append-only audit.

The numbering test runs on every backend (SQLite serialises writers with BEGIN IMMEDIATE);
the trigger test needs PostgreSQL (`DATABASE_URL=postgres://… make test`).
"""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from liaison import services
from liaison.models import AuditEntry, DocumentCounter, Letter

THREADS = 20

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://…)"
)


def issue_concurrently(world, monkeypatch, threads: int) -> list[int]:
    """Issue `threads` pending letters of one issuer and series at once; return the numbers given."""
    clerk, head = world["court_clerk"], world["court_head"]
    addressee = world["agency_staff"].institution
    # Numbering is under test, not rendering: keep WeasyPrint out of the threads.
    monkeypatch.setattr("liaison.tasks.render_letter_pdf.delay", lambda *args, **kwargs: None)
    letters = []
    for i in range(threads):
        letter = services.letter_create(by=clerk, title=f"并发签发测试函 {i}", body="正文", addressees=[addressee])
        letters.append(services.letter_submit(letter=letter, by=clerk))

    barrier = threading.Barrier(threads)
    errors = []

    def issue(letter):
        try:
            barrier.wait(timeout=30)
            services.letter_issue(letter=letter, by=head)
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=issue, args=(letter,)) for letter in letters]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in workers), "an issuing thread hung"
    assert errors == []

    year = timezone.localdate().year
    numbers = sorted(
        Letter.objects.filter(issuer=clerk.institution, series="han", year=year).values_list("number", flat=True)
    )
    duplicates = len(numbers) - len(set(numbers))
    gaps = len(set(range(1, threads + 1)) - set(numbers))
    print(
        f"\n{connection.vendor}: {threads} concurrent issues, numbers {numbers[0]}..{numbers[-1]}, "
        f"{duplicates} duplicates, {gaps} gaps"
    )
    assert numbers == list(range(1, threads + 1))
    assert DocumentCounter.objects.get(issuer=clerk.institution, series="han", year=year).last == threads
    doc_numbers = Letter.objects.filter(issuer=clerk.institution, status="issued").values_list("doc_number", flat=True)
    assert len(set(doc_numbers)) == threads
    assert AuditEntry.objects.filter(action="letter.issue").count() == threads
    return numbers


def skip_unless_shared_db():
    """Threads need a database they can all open: PostgreSQL, or SQLite in a file (SQLITE_TEST_NAME).

    The default in-memory SQLite test database is shared-cache and locks whole tables.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite test database: set DATABASE_URL=postgres://… or SQLITE_TEST_NAME")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_allocates_numbers_without_gaps_or_duplicates(world, monkeypatch):
    skip_unless_shared_db()
    issue_concurrently(world, monkeypatch, THREADS)


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    ["UPDATE liaison_auditentry SET action = 'tampered'", "DELETE FROM liaison_auditentry"],
)
def test_audit_table_refuses_update_and_delete_on_postgres(world, statement):
    services.audit(actor=world["office"], action="test.entry", after={"n": 1})
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(action="tampered").exists()


@postgres_only
@pytest.mark.django_db
def test_audit_table_still_accepts_inserts_on_postgres(world):
    before = AuditEntry.objects.count()
    services.audit(actor=world["office"], action="test.entry")
    assert AuditEntry.objects.count() == before + 1
