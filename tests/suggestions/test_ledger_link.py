"""The reply's ledger entry: it links to its suggestion, it is closed by the reply's issue (not by
hand), and its evidence links to the reply letter that closed it."""

import pytest

from liaison.models import LedgerEntry
from suggestions import services

from ._view_helpers import client_for
from .conftest import D


@pytest.fixture
def received(make_suggestion, court_clerk, court_head, agency_staff):
    return make_suggestion(
        court_clerk, court_head, issued_on=D("2025-12-12"), received_on=D("2025-12-15"), receiver=agency_staff
    )


def test_the_entry_links_to_its_suggestion_and_is_not_closed_by_hand(received, agency_staff, api):
    entry = LedgerEntry.objects.get(source_id=received.pk, owner=agency_staff.institution)
    page = client_for(agency_staff).get(entry.get_absolute_url()).content.decode()
    assert f'href="/suggestions/{received.uuid}/" data-source-link' in page
    assert 'data-verb="ledger.complete"' not in page
    refused = client_for(agency_staff).post(
        f"/ledger/{entry.uuid}/complete/", {"evidence": "已口头回复", "confirmed": "1"}
    )
    assert refused.status_code == 302  # the refusal, as a message on the entry's page
    assert api(agency_staff).post(f"/api/v1/ledger/{entry.uuid}/complete/", {"evidence": "x"}).status_code == 409
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN


def test_the_reply_closes_the_entry_and_its_evidence_links_to_the_reply_letter(
    received, agency_staff, agency_head, court_clerk, outsider_agency
):
    reply = services.suggestion_reply(suggestion=received, by=agency_staff, measures="已完善送达程序。")
    services.reply_approve(reply=reply, by=agency_head)
    reply.refresh_from_db()
    entry = LedgerEntry.objects.get(source_id=received.pk, owner=agency_staff.institution)
    assert entry.status == LedgerEntry.Status.DONE and entry.evidence == reply.letter.doc_number
    link = f'<a href="/letters/{reply.letter.uuid}/" data-evidence-letter>{reply.letter.doc_number}</a>'
    assert link in client_for(agency_staff).get(entry.get_absolute_url()).content.decode()
    # The superior government sees the entry and the letter; an outsider sees neither.
    assert client_for(outsider_agency).get(entry.get_absolute_url()).status_code == 404


def test_the_demo_check_finds_a_done_entry_whose_suggestion_still_awaits_its_reply(received, agency_staff):
    from tests.liaison.demo_consistency import ledger_done_only_with_its_source

    assert ledger_done_only_with_its_source() == []
    LedgerEntry.objects.filter(source_id=received.pk).update(status=LedgerEntry.Status.DONE, evidence="已口头回复")
    assert len(ledger_done_only_with_its_source()) == 1
