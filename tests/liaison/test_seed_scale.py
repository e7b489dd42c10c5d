"""`manage.py seed_scale`: bulk city-scale data that is reproducible, consistent, and usable by the portal."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cases import indexing
from cases.models import AdministrativeCase, Appearance, Hearing, HearingDefendant
from liaison import access, services
from liaison.models import Delivery, DocumentCounter, Institution, LedgerEntry, Letter, User
from suggestions.models import Suggestion

TODAY = dt.date(2026, 6, 30)
SIZES = {"cases": 400, "suggestions": 150, "letters": 120}


def seed(**overrides):
    out = io.StringIO()
    call_command("seed_scale", **{**SIZES, "today": TODAY, **overrides}, stdout=out)
    return out.getvalue()


def fingerprint() -> str:
    h = hashlib.sha256()
    for rows in (
        AdministrativeCase.objects.order_by("uuid").values_list(
            "uuid", "number", "court_id", "status", "filed_on", "outcome_id", "effective_on", "summary"
        ),
        AdministrativeCase.defendants.through.objects.order_by(
            "administrativecase__uuid", "institution_id"
        ).values_list("administrativecase__uuid", "institution_id"),
        Hearing.objects.order_by("uuid").values_list("uuid", "case__uuid", "held_on"),
        Appearance.objects.order_by("hearing__uuid", "defendant_id").values_list(
            "hearing__uuid", "defendant_id", "kind"
        ),
        Suggestion.objects.order_by("uuid").values_list("uuid", "issuer_id", "recipient_id", "status", "reply_due"),
        Letter.objects.order_by("uuid").values_list("uuid", "issuer_id", "doc_number", "status", "title"),
        Delivery.objects.order_by("uuid").values_list("uuid", "letter__uuid", "recipient_id", "signed_on"),
        LedgerEntry.objects.order_by("uuid").values_list("uuid", "owner_id", "due_date", "status"),
    ):
        for row in rows:
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.mark.django_db
def test_sizes_and_consistency(world):
    report = seed()
    assert "完成" in report
    assert AdministrativeCase.objects.count() == SIZES["cases"]
    # Canary drafts (one per court and procuratorate) come on top of the requested suggestions.
    issuers = Institution.objects.filter(kind__in=["court", "procuratorate"]).count()
    assert Suggestion.objects.count() == SIZES["suggestions"] + issuers
    # Every court hears cases, every case has a defendant, hearings record each defendant.
    courts = set(Institution.objects.filter(kind="court").values_list("pk", flat=True))
    assert set(AdministrativeCase.objects.values_list("court_id", flat=True)) == courts
    assert not AdministrativeCase.objects.filter(defendants__isnull=True).exists()
    years = {d.year for d in AdministrativeCase.objects.values_list("filed_on", flat=True)}
    assert years == {2024, 2025, 2026}
    assert Hearing.objects.exists() and Appearance.objects.count() >= Hearing.objects.count()
    for case in AdministrativeCase.objects.filter(status="effective")[:50]:
        assert case.outcome_id and case.concluded_on <= case.effective_on <= TODAY
    # An issued suggestion has its numbered 建议书 delivered to the recipient.
    issued = Suggestion.objects.exclude(letter=None)
    assert issued.exists()
    for s in issued.select_related("letter")[:50]:
        assert s.letter.doc_number and s.letter.deliveries.filter(recipient_id=s.recipient_id, kind="to").exists()
        assert s.letter.issuer_id == s.issuer_id
    # Linked procuratorial suggestions follow a judicial one cc'd to that procuratorate.
    for s in Suggestion.objects.exclude(linked_from=None).select_related("linked_from")[:20]:
        assert s.kind == "procuratorial" and s.linked_from.cc.filter(pk=s.issuer_id).exists()
    assert LedgerEntry.objects.exists()
    # The indicators' dated copies are written with the rows, equal to what the portal keeps.
    assert HearingDefendant.objects.count() >= Appearance.objects.count()
    assert indexing.out_of_step() == 0


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data(world):
    sid = transaction.savepoint()
    seed(seed=7)
    first = fingerprint()
    transaction.savepoint_rollback(sid)
    sid = transaction.savepoint()
    seed(seed=7)
    assert fingerprint() == first
    transaction.savepoint_rollback(sid)
    seed(seed=8)
    assert fingerprint() != first


@pytest.mark.django_db
def test_refuses_a_second_run(world):
    seed(cases=10, suggestions=5, letters=5)
    with pytest.raises(CommandError):
        seed(cases=10, suggestions=5, letters=5)


@pytest.mark.django_db
def test_portal_goes_on_numbering_after_the_seed(world, court_clerk, court_head):
    seed(cases=10, suggestions=40, letters=60)
    court = court_clerk.institution
    year = dt.date.today().year
    counter = DocumentCounter.objects.filter(issuer=court, series="han", year=year).first()
    before = counter.last if counter else 0
    letter = services.letter_create(
        by=court_clerk, title="函", body="正文", series="han", addressees=[Institution.objects.get(name="柳州市公安局")]
    )
    services.letter_submit(letter=letter, by=court_clerk)
    letter = services.letter_issue(letter=letter, by=court_head)
    assert letter.number == before + 1
    # The seed's numbers are contiguous per issuer, series and year.
    for c in DocumentCounter.objects.all()[:30]:
        numbers = sorted(
            Letter.objects.filter(issuer_id=c.issuer_id, series=c.series, year=c.year).values_list("number", flat=True)
        )
        assert numbers == list(range(1, c.last + 1))


@pytest.mark.django_db
def test_canary_drafts_are_seen_by_their_issuer_only(world):
    seed(cases=30, suggestions=10, letters=10)
    drafts = Letter.objects.filter(title__contains="CANARY-", status="draft").select_related("issuer")
    assert drafts.count() == 2 * Institution.objects.count()
    seed_users = User.objects.filter(username__startswith="seed").select_related("institution")
    for user in seed_users[:: max(1, seed_users.count() // 15)]:
        seen = set(access.visible(drafts, user).values_list("issuer_id", flat=True))
        assert seen == {user.institution_id}
    cases = AdministrativeCase.objects.filter(plaintiffs__contains="CANARY-")
    assert cases.exists()


def meetings_fingerprint() -> str:
    from meetings.models import Decision, Invitation, Meeting

    h = hashlib.sha256()
    for rows in (
        Meeting.objects.order_by("uuid").values_list(
            "uuid", "kind_id", "proposer_id", "status", "starts_at", "held_on"
        ),
        Invitation.objects.order_by("uuid").values_list("uuid", "meeting__uuid", "institution_id", "status"),
        Decision.objects.order_by("uuid").values_list("uuid", "meeting__uuid", "owner_id", "status", "due_date"),
    ):
        for row in rows:
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.mark.django_db
def test_meetings_in_every_state_consistent_and_reproducible(world):
    from meetings.models import Decision, Invitation, Meeting, Minutes

    small = {"cases": 20, "suggestions": 5, "letters": 5, "meetings": 120}
    sid = transaction.savepoint()
    seed(**small)
    first = meetings_fingerprint()
    transaction.savepoint_rollback(sid)
    seed(**small)
    assert meetings_fingerprint() == first
    MS = Meeting.Status
    assert Meeting.objects.count() == 120
    assert {MS.PROPOSED, MS.NOTIFIED, MS.HELD, MS.MINUTED} <= set(Meeting.objects.values_list("status", flat=True))
    for m in Meeting.objects.prefetch_related("invitations", "decisions"):
        accepted = m.status not in (MS.PROPOSED, MS.DECLINED)
        assert bool(m.invitations.all()) == accepted and (m.starts_at is not None) == accepted
        assert m.convener_id not in {i.institution_id for i in m.invitations.all()}
        assert (m.held_on is not None) == (m.status in (MS.HELD, MS.MINUTED)) == bool(m.decisions.all())
        if m.held_on:
            assert m.held_on <= TODAY
        elif m.starts_at and m.status != MS.CANCELLED:
            assert m.starts_at.date() > TODAY  # not held yet: still to come
        if m.status in (MS.NOTIFIED, MS.HELD, MS.MINUTED):
            assert m.notice_letter.status == Letter.Status.ISSUED and m.notice_letter.issued_on <= TODAY
            assert set(m.notice_letter.deliveries.values_list("recipient_id", flat=True)) == {
                i.institution_id for i in m.invitations.all()
            }
        if m.status == MS.MINUTED:
            minutes = Minutes.objects.get(meeting=m)
            assert minutes.status == Minutes.Status.ISSUED and minutes.letter.issued_on <= TODAY
    opened = Decision.objects.exclude(status=Decision.Status.DRAFT).select_related("ledger_entry", "meeting")
    assert opened.exists()
    for d in opened:
        assert d.meeting.status == MS.MINUTED
        entry = d.ledger_entry
        assert (entry.owner_id, entry.source_id, entry.due_date) == (d.owner_id, d.pk, d.due_date)
        assert (entry.status == LedgerEntry.Status.DONE) == (d.status == Decision.Status.DONE)
    assert not Decision.objects.filter(status=Decision.Status.DRAFT, ledger_entry__isnull=False).exists()
    assert Invitation.objects.filter(status=Invitation.Status.ATTENDING).exists()
    # The portal shows them: the convening office's meeting list and a decision's page.
    d = opened.first()
    office = User.objects.get(username__startswith="seed", institution_id=d.meeting.convener_id, role=User.Role.OFFICE)
    from django.test import Client

    client = Client()
    client.force_login(office)
    assert client.get("/meetings/", secure=True).status_code == 200
    assert client.get(d.get_absolute_url(), secure=True).status_code == 200
