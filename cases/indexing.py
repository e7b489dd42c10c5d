"""The copies the indicators read by date: CaseDefendant's case columns, HearingDefendant rows.

`refresh(case_ids)` brings both in step with the cases, their defendants, hearings and
appearances; it is the one place that writes them. It runs wherever those are written:
`AdministrativeCase.save()` (both), the defendants M2M's changes (both), `Hearing.save()`
and `Appearance.save()` (places), and the importer's bulk writes (both). These are storage
hooks, not rules: a service (or a test, or the importer) that writes a case cannot leave an
agency's figures out of step with the drill-down that lists the cases themselves.
`seed_scale` writes the copies with its rows (cases/scale.py); `out_of_step()` checks.
"""

from django.db.models import OuterRef, Subquery

from .models import AdministrativeCase, Appearance, CaseDefendant, Hearing, HearingDefendant

CHUNK = 500
PLACE = ("case_id", "held_on", "concluded_on", "appearance", "explained")  # a place's columns, in this order


def _chunks(ids):
    ids = sorted({i for i in ids if i is not None})
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh(case_ids, *, columns: bool = True, places: bool = True) -> None:
    for chunk in _chunks(case_ids):
        if columns:
            _refresh_columns(chunk)
        if places:
            _refresh_places(chunk)


def _refresh_columns(ids: list[int]) -> None:
    case = AdministrativeCase.objects.filter(pk=OuterRef("administrativecase_id"))
    CaseDefendant.objects.filter(administrativecase_id__in=ids).update(
        **{name: Subquery(case.values(name)[:1]) for name in CaseDefendant.COPIED}
    )


def _wanted_places(ids: list[int]) -> dict[tuple[int, int], tuple]:
    """(hearing, defendant) → (case, held_on, concluded_on, appearance, explained), from the rows themselves."""
    hearings = Hearing.objects.filter(case_id__in=ids).values_list("pk", "case_id", "held_on", "case__concluded_on")
    defendants: dict[int, list[int]] = {}
    for case_id, inst_id in CaseDefendant.objects.filter(administrativecase_id__in=ids).values_list(
        "administrativecase_id", "institution_id"
    ):
        defendants.setdefault(case_id, []).append(inst_id)
    recorded = {
        (h, d): (kind, kind == Appearance.Kind.DELEGATED and bool(explanation))
        for h, d, kind, explanation in Appearance.objects.filter(hearing__case_id__in=ids).values_list(
            "hearing_id", "defendant_id", "kind", "explanation"
        )
    }
    return {
        (h, d): (case_id, held_on, concluded_on, *recorded.get((h, d), ("", False)))
        for h, case_id, held_on, concluded_on in hearings
        for d in defendants.get(case_id, ())
    }


def _refresh_places(ids: list[int]) -> None:
    wanted = _wanted_places(ids)
    have = {
        (h, d): (pk, tuple(row))
        for pk, h, d, *row in HearingDefendant.objects.filter(case_id__in=ids).values_list(
            "pk", "hearing_id", "institution_id", *PLACE
        )
    }
    stale = [pk for key, (pk, row) in have.items() if wanted.get(key) != row]
    if stale:
        HearingDefendant.objects.filter(pk__in=stale).delete()
    HearingDefendant.objects.bulk_create(
        HearingDefendant(hearing_id=h, institution_id=d, **dict(zip(PLACE, row, strict=True)))
        for (h, d), row in wanted.items()
        if have.get((h, d), (None, None))[1] != row
    )


def out_of_step(case_ids=None) -> int:
    """How many copies differ from what refresh would write (0 when in step); for tests and checks."""
    cases = AdministrativeCase.objects.all() if case_ids is None else AdministrativeCase.objects.filter(pk__in=case_ids)
    differing = 0
    for chunk in _chunks(cases.values_list("pk", flat=True)):
        copied = CaseDefendant.COPIED
        want = {row[0]: row[1:] for row in AdministrativeCase.objects.filter(pk__in=chunk).values_list("pk", *copied)}
        for row in CaseDefendant.objects.filter(administrativecase_id__in=chunk).values_list(
            "administrativecase_id", *copied
        ):
            differing += row[1:] != want[row[0]]
        wanted = _wanted_places(chunk)
        have = {
            (h, d): tuple(row)
            for h, d, *row in HearingDefendant.objects.filter(case_id__in=chunk).values_list(
                "hearing_id", "institution_id", *PLACE
            )
        }
        differing += sum(1 for k in wanted.keys() | have.keys() if wanted.get(k) != have.get(k))
    return differing
