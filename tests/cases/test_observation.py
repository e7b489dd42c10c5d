"""Trial observation (庭审观摩) and post-judgment review (判后评议)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import AdministrativeCase, Observation, ObservationAttendance, Review
from liaison.errors import Conflict
from liaison.models import AuditEntry

from .conftest import CITY_AGENCY, D, notified, today

# ----------------------------------------------------------------------------- observation


@pytest.fixture
def observation(make_case, court_clerk, inst):
    case = make_case()
    return services.observation_create(
        case=case,
        by=court_clerk,
        held_on=D("2026-04-01"),
        title="行政处罚案件庭审观摩",
        attendees=[(inst[CITY_AGENCY], 10), (inst["柳州市生态环境局"], 5)],
        procuratorate=inst["柳州市人民检察院"],
    )


def test_court_invites_agencies_and_the_procuratorate_to_observe(
    observation, outsider_agency, agency_staff, proc_staff, gov_legal
):
    assert [(a.institution.name, a.invited) for a in observation.attendances.order_by("id")] == [
        (CITY_AGENCY, 10),
        ("柳州市生态环境局", 5),
    ]
    assert notified("observation.invited") == ["agency_head", "agency_staff", "env_staff", "proc_head", "proc_staff"]
    for persona in (agency_staff, outsider_agency, proc_staff):
        assert Observation.objects.visible_to(persona).filter(pk=observation.pk).exists()
    assert not Observation.objects.visible_to(gov_legal).exists()
    # The invited procuratorate sees the case it supervises at the hearing.
    assert AdministrativeCase.objects.visible_to(proc_staff).filter(pk=observation.case_id).exists()
    assert AuditEntry.objects.filter(action="observation.create", target_id=observation.pk).exists()


def test_observation_input_is_checked(make_case, court_clerk, inst):
    case = make_case()
    bad = [
        ({"attendees": []}, "attendees"),
        ({"attendees": [(inst["柳州市人民检察院"], 2)]}, "attendees"),
        ({"attendees": [(inst[CITY_AGENCY], 2), (inst[CITY_AGENCY], 3)]}, "attendees"),
        ({"attendees": [(inst[CITY_AGENCY], -1)]}, "attendees"),
        ({"procuratorate": inst[CITY_AGENCY]}, "procuratorate"),
        ({"title": ""}, "title"),
        ({"held_on": D("2026-03-01")}, "held_on"),  # before the case was filed
    ]
    for change, field in bad:
        args = {"held_on": D("2026-04-01"), "title": "观摩", "attendees": [(inst[CITY_AGENCY], 3)], **change}
        with pytest.raises(ValidationError) as err:
            services.observation_create(case=case, by=court_clerk, **args)
        assert list(err.value.message_dict) == [field]
    assert not Observation.objects.exists() and not ObservationAttendance.objects.exists()


def test_only_the_cases_court_organises_an_observation(make_case, agency_staff, county_clerk, inst):
    case = make_case()
    for stranger in (agency_staff, county_clerk):
        with pytest.raises(PermissionDenied):
            services.observation_create(
                case=case, by=stranger, held_on=D("2026-04-01"), title="t", attendees=[(inst[CITY_AGENCY], 1)]
            )


def test_the_court_records_who_came(observation, court_clerk, agency_staff, inst):
    row = services.observation_record_attendance(
        observation=observation, by=court_clerk, institution=inst[CITY_AGENCY], attended=8, names="覃文斌等8人"
    )
    assert (row.invited, row.attended, row.names) == (10, 8, "覃文斌等8人")
    with pytest.raises(PermissionDenied):
        services.observation_record_attendance(
            observation=observation, by=agency_staff, institution=inst[CITY_AGENCY], attended=9
        )
    with pytest.raises(ValidationError) as err:
        services.observation_record_attendance(
            observation=observation, by=court_clerk, institution=inst["柳州市交通运输局"], attended=1
        )
    assert list(err.value.message_dict) == ["institution"]
    with pytest.raises(ValidationError) as err:
        services.observation_record_attendance(
            observation=observation, by=court_clerk, institution=inst[CITY_AGENCY], attended="many"
        )
    assert list(err.value.message_dict) == ["attended"]
    row.refresh_from_db()
    assert row.attended == 8


def test_attendance_waits_for_the_observation_to_happen(make_case, court_clerk, inst):
    later = services.observation_create(
        case=make_case(),
        by=court_clerk,
        held_on=today() + dt.timedelta(days=7),
        title="t",
        attendees=[(inst[CITY_AGENCY], 3)],
    )
    with pytest.raises(Conflict):
        services.observation_record_attendance(
            observation=later, by=court_clerk, institution=inst[CITY_AGENCY], attended=3
        )


# ----------------------------------------------------------------------------- review


def review(case, by, inst, **topics):
    topics = topics or {"act_problems": "处罚程序未告知陈述申辩权利", "litigation_work": "负责人出庭，答辩充分"}
    return services.review_create(
        case=case,
        by=by,
        held_on=D("2026-06-10"),
        participants=[inst[CITY_AGENCY], inst["柳州市人民检察院"]],
        **topics,
    )


def test_court_holds_a_review_after_the_judgment_takes_effect(
    effective_case, court_clerk, inst, agency_staff, proc_staff, outsider_agency
):
    r = review(effective_case(), court_clerk, inst)
    assert r.act_problems.startswith("处罚程序") and r.social_impact == ""
    assert set(r.participants.values_list("name", flat=True)) == {CITY_AGENCY, "柳州市人民检察院"}
    assert notified("review.created") == ["agency_head", "agency_staff", "proc_head", "proc_staff"]
    for persona in (agency_staff, proc_staff):
        assert Review.objects.visible_to(persona).filter(pk=r.pk).exists()
    assert not Review.objects.visible_to(outsider_agency).exists()
    assert AuditEntry.objects.get(action="review.create").after["topics"] == ["act_problems", "litigation_work"]


def test_no_review_before_the_judgment_is_effective(make_case, court_clerk, inst, outcome):
    case = make_case()
    with pytest.raises(Conflict):
        review(case, court_clerk, inst)
    services.case_conclude(case=case, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    with pytest.raises(Conflict):
        review(case, court_clerk, inst)


def test_a_review_needs_one_topic_participants_and_a_date_after_effect(effective_case, court_clerk, inst):
    case = effective_case()
    with pytest.raises(ValidationError) as err:
        review(case, court_clerk, inst, act_problems="  ", social_impact="")
    assert list(err.value.message_dict) == ["non_field_errors"]
    with pytest.raises(ValidationError) as err:
        services.review_create(case=case, by=court_clerk, held_on=D("2026-06-10"), participants=[], social_impact="s")
    assert list(err.value.message_dict) == ["participants"]
    with pytest.raises(ValidationError) as err:
        services.review_create(
            case=case, by=court_clerk, held_on=D("2026-05-24"), participants=[inst[CITY_AGENCY]], social_impact="s"
        )
    assert list(err.value.message_dict) == ["held_on"]
    assert not Review.objects.exists()


def test_only_the_cases_court_holds_the_review(effective_case, agency_staff, county_clerk, inst):
    case = effective_case()
    for stranger in (agency_staff, county_clerk):
        with pytest.raises(PermissionDenied):
            review(case, stranger, inst)
