"""QUALITY.md §11 — document numbers allocated concurrently: no gaps, no duplicates.

The default suite runs 20 threads on PostgreSQL; here 50 threads run on whatever database
`make test-reliability` uses (PostgreSQL, or SQLite in a file: BEGIN IMMEDIATE serialises writers).
"""

import pytest

from tests.liaison.test_postgres import issue_concurrently, skip_unless_shared_db

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_issues_number_one_to_fifty(world, monkeypatch):
    skip_unless_shared_db()
    assert issue_concurrently(world, monkeypatch, 50) == list(range(1, 51))
