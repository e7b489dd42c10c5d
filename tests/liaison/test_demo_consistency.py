"""The loaded demo tells one story in time: nothing signed before it was delivered, timelines on the
documents' dates, linked 案号 that exist, representatives who fit their institutions."""

from io import StringIO

import pytest
from django.core.management import call_command

from .demo_consistency import all_problems


@pytest.mark.django_db
def test_the_loaded_demo_does_not_contradict_itself(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", "--quiet", stdout=StringIO())
    problems = all_problems()
    print({check: len(found) for check, found in problems.items()})
    assert problems == {check: [] for check in problems}
