"""The meetings demo: a year of meetings across the kinds, told forward in time, loaded twice
without doubling, with decisions done, open and overdue."""

import time

from django.utils import timezone

from liaison.models import AuditEntry, LedgerEntry
from meetings import demo
from meetings.models import Decision, LawClass, LegalReview, Meeting, Research
from tests.liaison import demo_consistency


def test_demo_loads_once_and_tells_its_story_in_order(world, capsys):
    started = time.perf_counter()
    made = demo.load(world)
    took = time.perf_counter() - started
    print(f"meetings demo: {made} meetings in {took:.1f} s")
    assert made == len(demo.MEETINGS)
    counts = (Meeting.objects.count(), LegalReview.objects.count(), Research.objects.count(), LawClass.objects.count())
    audits = AuditEntry.objects.count()
    assert demo.load(world) == 0  # idempotent
    assert (
        Meeting.objects.count(),
        LegalReview.objects.count(),
        Research.objects.count(),
        LawClass.objects.count(),
    ) == counts
    assert AuditEntry.objects.count() == audits
    today = timezone.localdate()
    statuses = set(Meeting.objects.values_list("status", flat=True))
    assert {"proposed", "notified", "held", "minuted"} <= statuses
    kinds = set(Meeting.objects.values_list("kind__category", flat=True))
    assert {"sanzhang", "work", "consultation"} <= kinds
    decisions = Decision.objects.exclude(status="draft")
    assert decisions.filter(status="done").exists() and decisions.filter(status="reported").exists()
    overdue = decisions.filter(status="open", due_date__lt=today)
    assert overdue.exists() and decisions.filter(status="open", due_date__gte=today).exists()
    # done decisions' ledger entries are done; open ones open
    for d in decisions.select_related("ledger_entry"):
        assert (d.ledger_entry.status == LedgerEntry.Status.DONE) == (d.status == "done"), d.text
    assert {r.status for r in LegalReview.objects.all()} == {"issued", "invited"}
    assert {r.status for r in Research.objects.all()} == {"issued", "active"}
    assert {c.status for c in LawClass.objects.all()} == {"held", "planned"}
    problems = {
        check.__name__: check()
        for check in (
            demo_consistency.letters_and_deliveries,
            demo_consistency.timelines_in_order,
            demo_consistency.ledger,
        )
    }
    assert problems == {name: [] for name in problems}
