"""Cross-tenant matrix (QUALITY.md item 1): one test per app and route (see matrix.py).

A failure names its route: `test_route[cases-cases:detail]`,
`test_route[meetings-POST-/api/v1/meetings/{uuid}/convene/]`. The scenario world is built
once per module run (so once per xdist worker) inside a transaction rolled back at the end;
each route's test runs in a savepoint of it, and each write probe in one more. The figures
(`cross-tenant matrix: N probes, …`) are printed at the end of the run, per app and in total
(tests/conftest.py).
"""

import time

import pytest
from django.db import transaction

from liaison import plugins

from . import matrix, policy, scenario

pytestmark = pytest.mark.django_db

CLASSIFIED = matrix.classify()


class Built:
    def __init__(self, world, objs, seconds):
        self.world, self.objs, self.seconds = world, objs, seconds
        self.reported = False
        # each persona signed in once; every route's test starts from these sessions
        self.sessions = {persona: matrix.signed_in(world[persona]) for persona in policy.PERSONAS}


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The personas and the scenario records, in a transaction of their own rolled back at the end."""
    from tests.conftest import personas

    started = time.monotonic()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = personas()
            built = Built(world, scenario.build(world), time.monotonic() - started)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.parametrize("case", CLASSIFIED.cases, ids=lambda case: case.id)
def test_route(case, matrix_world, record_property):
    if not matrix_world.reported:
        matrix_world.reported = True
        record_property("matrix_world_built", round(matrix_world.seconds, 1))
    tally = matrix.run(case, matrix_world.world, matrix_world.objs, matrix_world.sessions)
    record_property("matrix", {"label": case.label, **tally.figures()})
    assert tally.probes > 0
    assert not tally.errors, "\n".join(tally.errors[:50])
    assert not tally.leaks, "\n".join(tally.leaks[:50])
    assert not tally.unexpected, "\n".join(tally.unexpected[:80])


def test_every_route_has_a_matrix_row(record_property):
    record_property("matrix_unclassified", len(CLASSIFIED.unclassified))
    assert not CLASSIFIED.unclassified, "routes without a matrix row:\n" + "\n".join(CLASSIFIED.unclassified)
    assert not CLASSIFIED.problems, "\n".join(CLASSIFIED.problems)
    # every app's rows are probed: the hub and each installed app with a policy module
    labels = {case.label for case in CLASSIFIED.cases}
    assert labels == {label for label, _module in policy.modules()}
    assert {label for label, _dotted in plugins.matrix_modules()} >= {"suggestions", "cases", "meetings", "indicators"}


def test_an_unclassified_route_fails_the_build():
    classified = matrix.classify("tests.security.urls_unclassified")
    assert "matrix-probe/unclassified/ (matrix_probe_unclassified)" in classified.unclassified
    assert "GET /api/v1/matrix-probe/unclassified/" in classified.unclassified
    assert len(classified.unclassified) == 2, classified.unclassified
    # everything else is classified as in the project's own URLs
    assert len(classified.cases) == len(CLASSIFIED.cases)
