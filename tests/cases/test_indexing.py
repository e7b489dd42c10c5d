"""The indicators' dated copies (cases.indexing) stay in step with whatever writes a case.

Per agency the indicators read CaseDefendant (the case's counted fields on each defendant
row) and HearingDefendant (each defendant's place at each hearing, with its appearance);
every way of writing a case must leave them equal to a recomputation from the rows.
"""

import datetime as dt

from cases import importer, indexing, services
from cases.models import Appearance, CaseDefendant, HearingDefendant

from .conftest import CITY_AGENCY, D, pdf
from .test_import import YEAR, case_row, run, xlsx

GOV = "柳州市人民政府"
POLICE = "柳州市公安局"


def places(case) -> set:
    return set(
        HearingDefendant.objects.filter(case=case).values_list(
            "hearing__held_on", "institution__name", "appearance", "explained"
        )
    )


def test_the_case_services_keep_the_copies_in_step(make_case, court_clerk, agency_staff, inst, outcome):
    case = make_case(defendants=[CITY_AGENCY, GOV])
    assert indexing.out_of_step([case.pk]) == 0
    assert set(CaseDefendant.objects.filter(administrativecase=case).values_list("instance", "cause_id")) == {
        ("first", case.cause_id)
    }

    hearing = services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"))
    assert places(case) == {(D("2026-04-01"), CITY_AGENCY, "", False), (D("2026-04-01"), GOV, "", False)}

    services.appearance_record(
        hearing=hearing,
        by=agency_staff,
        defendant=inst[CITY_AGENCY],
        kind=Appearance.Kind.DELEGATED,
        person_name="王某",
        explanation=pdf(),
    )
    assert (D("2026-04-01"), CITY_AGENCY, "delegated", True) in places(case)
    assert indexing.out_of_step([case.pk]) == 0

    # The government (no appearance recorded) leaves; the police joins, owing a place too.
    services.case_update(case=case, by=court_clerk, defendants=[inst[CITY_AGENCY], inst[POLICE]])
    assert places(case) == {(D("2026-04-01"), CITY_AGENCY, "delegated", True), (D("2026-04-01"), POLICE, "", False)}
    assert indexing.out_of_step([case.pk]) == 0

    services.case_conclude(case=case, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    services.case_mark_effective(case=case, by=court_clerk, effective_on=D("2026-05-25"), imposes_obligation=True)
    services.case_record_performance(case=case, by=court_clerk, performed_voluntarily=False)
    rows = set(
        CaseDefendant.objects.filter(administrativecase=case).values_list(
            "institution__name",
            "outcome__code",
            "concluded_on",
            "effective_on",
            "imposes_obligation",
            "performed_voluntarily",
        )
    )
    assert rows == {(name, "revoke", D("2026-05-06"), D("2026-05-25"), True, False) for name in (CITY_AGENCY, POLICE)}
    assert indexing.out_of_step() == 0


def test_the_importer_keeps_the_copies_in_step(court_clerk, inst):
    pending = {"结案方式": "", "结案日期": "", "生效日期": "", "是否课以义务": "", "是否自动履行": ""}
    run(court_clerk, xlsx([case_row(1, **pending), case_row(2)]))
    assert CaseDefendant.objects.filter(effective_on=dt.date(YEAR, 7, 3)).count() == 1
    assert indexing.out_of_step() == 0
    # The next list concludes case 1 and changes its defendant.
    _preview, result = run(court_clerk, xlsx([case_row(1, 被告="市公安局"), case_row(2)]))
    assert result == importer.ImportResult(created=0, updated=1, skipped=0, unchanged=1)
    assert set(CaseDefendant.objects.values_list("institution__name", "effective_on")) == {
        (POLICE, dt.date(YEAR, 7, 3)),
        ("柳州市城市管理行政执法局", dt.date(YEAR, 7, 3)),
    }
    assert indexing.out_of_step() == 0


def test_orm_writes_keep_the_copies_in_step_and_a_drift_is_seen(make_case, court_clerk, inst, outcome):
    case = make_case(defendants=[CITY_AGENCY])
    services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"))
    case.outcome = outcome("withdrawal")
    case.concluded_on = D("2026-04-10")
    case.save()  # a correction written directly (as the bulletin tests do)
    case.defendants.add(inst[GOV])
    assert indexing.out_of_step() == 0
    assert len(places(case)) == 2
    # A copy changed behind the portal's back is reported, and refresh repairs it.
    CaseDefendant.objects.filter(administrativecase=case).update(concluded_on=None)
    HearingDefendant.objects.filter(case=case).update(appearance="head")
    assert indexing.out_of_step() == 4
    indexing.refresh([case.pk])
    assert indexing.out_of_step() == 0
    inst[GOV].cases_defended.clear()
    assert indexing.out_of_step() == 0 and len(places(case)) == 1
