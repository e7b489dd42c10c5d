"""A record's page is its model's `get_absolute_url`: services and views ask the record, they never
spell a path (a URL map in a services module went stale silently when a route moved)."""

import re
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("cases", "suggestions", "meetings", "indicators")
# A quoted path into one of the portal's modules, e.g. f"/cases/disputes/{d.uuid}/".
SPELLED_PATH = re.compile(r"""f?["']/(cases|suggestions|meetings|indicators|letters|ledger)/""")


def _modules():
    for app in DOMAIN_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_of_the_apps_spells_a_record_path():
    spelled = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _modules()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if SPELLED_PATH.search(line) and not line.lstrip().startswith(("#", '"""'))
    ]
    assert spelled == []


@pytest.mark.parametrize(
    "label, view",
    [
        ("cases.AdministrativeCase", "cases:detail"),
        ("cases.Dispute", "cases:dispute_detail"),
        ("cases.Coordination", "cases:coordination_detail"),
        ("cases.Enforcement", "cases:enforcement_detail"),
        ("cases.SupervisionApplication", "cases:supervision_detail"),
        ("cases.ClueTransfer", "cases:clue_detail"),
        ("cases.Observation", "cases:observation_detail"),
        ("cases.Review", "cases:review_detail"),
        ("suggestions.Suggestion", "suggestions:detail"),
        ("indicators.Bulletin", "indicators:bulletin_detail"),
        ("indicators.AnnualReport", "indicators:report_detail"),
        ("meetings.LegalReview", "meetings:review_detail"),
        ("meetings.Research", "meetings:research_detail"),
        ("meetings.LawClass", "meetings:class_detail"),
    ],
)
def test_each_record_with_a_page_names_it(label, view):
    record = apps.get_model(label)(uuid=uuid.uuid4())
    match = resolve(record.get_absolute_url())
    assert f"{match.namespace}:{match.url_name}" == view
    assert match.kwargs["uuid"] == record.uuid
