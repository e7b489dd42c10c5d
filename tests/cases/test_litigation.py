"""Cases, hearings and appearances: each service checks actor, state and input, atomic and audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import AdministrativeCase, Appearance, Hearing
from liaison.errors import Conflict
from liaison.models import AuditEntry, Notification

from .conftest import CITY_AGENCY, PNG, D, notified, pdf, today


def audit_actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type__model=obj._meta.model_name, target_id=obj.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )


# ----------------------------------------------------------------------------- case_create


def test_court_files_a_case_with_a_normalised_number_and_its_defendants_are_told(
    make_case, court_clerk, agency_staff, inst
):
    case = make_case(
        number=" (2026)桂02行初7号 ", defendants=[CITY_AGENCY, "柳州市人民政府"], major_category="demolition"
    )
    assert case.number == "（2026）桂02行初7号"
    assert case.court == court_clerk.institution and case.status == "pending" and case.is_major
    assert set(case.defendants.values_list("name", flat=True)) == {CITY_AGENCY, "柳州市人民政府"}
    assert case.plaintiffs == "张三\n李四"
    assert audit_actions(case) == ["case.create"]
    assert notified("case.filed", user=agency_staff) == ["agency_staff"]


def test_a_number_already_filed_is_a_field_error_whatever_the_brackets(make_case):
    make_case(number="（2026）桂02行初12号")
    with pytest.raises(ValidationError) as err:
        make_case(number="(2026)桂02行初12号")
    assert err.value.message_dict == {"number": ["案号已存在。"]}
    assert AdministrativeCase.objects.count() == 1


def test_bad_input_reports_every_field_and_saves_nothing(court_clerk, inst):
    with pytest.raises(ValidationError) as err:
        services.case_create(
            by=court_clerk,
            number="2026行初12",
            instance="fourth",
            cause=None,
            plaintiffs="  ",
            defendants=[inst["柳州市中级人民法院"]],
            filed_on=today() + dt.timedelta(days=1),
            major_category="nonsense",
        )
    assert set(err.value.message_dict) == {
        "number",
        "instance",
        "cause",
        "plaintiffs",
        "defendants",
        "filed_on",
        "major_category",
    }
    assert "不能晚于今天" in err.value.message_dict["filed_on"][0]
    assert AdministrativeCase.objects.count() == 0
    assert not AuditEntry.objects.filter(action="case.create").exists()


def test_a_case_needs_at_least_one_defendant(court_clerk, cause):
    with pytest.raises(ValidationError) as err:
        services.case_create(
            by=court_clerk,
            number="（2026）桂02行初1号",
            instance="first",
            cause=cause,
            plaintiffs="张三",
            defendants=[],
            filed_on=D("2026-03-02"),
        )
    assert list(err.value.message_dict) == ["defendants"]


@pytest.mark.parametrize("persona", ["agency_staff", "proc_staff", "gov_legal", "office", "auditor"])
def test_only_a_court_files_cases(persona, world, make_case):
    with pytest.raises(PermissionDenied):
        make_case(by=world[persona])
    assert AdministrativeCase.objects.count() == 0


# ----------------------------------------------------------------------------- case_update


def test_a_pending_case_can_be_corrected_and_the_change_is_audited(make_case, court_clerk, inst):
    case = make_case()
    case = services.case_update(
        case=case, by=court_clerk, number="(2026)桂02行初99号", defendants=[inst["柳州市交通运输局"]], summary="要点"
    )
    assert case.number == "（2026）桂02行初99号" and case.summary == "要点"
    assert list(case.defendants.values_list("name", flat=True)) == ["柳州市交通运输局"]
    entry = AuditEntry.objects.get(action="case.update", target_id=case.pk)
    assert entry.after["number"] == "（2026）桂02行初99号" and "交通运输局" in entry.after["defendants"]


def test_a_concluded_case_keeps_its_core_fields_but_its_summary_may_change(make_case, court_clerk, outcome, cause):
    case = make_case()
    services.case_conclude(case=case, by=court_clerk, outcome=outcome("dismiss_claims"), concluded_on=D("2026-04-01"))
    with pytest.raises(Conflict):
        services.case_update(case=case, by=court_clerk, number="（2026）桂02行初99号")
    # Sending the unchanged core fields with a new summary (as a form does) is fine.
    case = services.case_update(case=case, by=court_clerk, number=case.number, cause=cause, summary="补充摘要")
    assert case.summary == "补充摘要" and case.number == "（2026）桂02行初1号"


def test_only_the_cases_court_edits_it(make_case, county_clerk, agency_staff):
    case = make_case()
    for stranger in (county_clerk, agency_staff):
        with pytest.raises(PermissionDenied):
            services.case_update(case=case, by=stranger, summary="x")


def test_a_defendant_with_a_recorded_appearance_cannot_be_removed(make_case, court_clerk, agency_head, inst):
    case = make_case(defendants=[CITY_AGENCY, "柳州市人民政府"])
    hearing = services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"))
    services.appearance_record(
        hearing=hearing,
        by=agency_head,
        defendant=agency_head.institution,
        kind="head",
        person_name="罗永强",
        person_post="局长",
    )
    with pytest.raises(ValidationError) as err:
        services.case_update(case=case, by=court_clerk, defendants=[inst["柳州市人民政府"]])
    assert list(err.value.message_dict) == ["defendants"]
    assert case.defendants.count() == 2


# ----------------------------------------------------------------------------- hearing_add


def test_court_adds_a_hearing_and_each_defendant_is_told(make_case, court_clerk, agency_staff):
    case = make_case()
    hearing = services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"), court_room="第三法庭")
    assert hearing.case == case and hearing.court_room == "第三法庭"
    assert "case.hearing" in audit_actions(case)
    assert notified("case.hearing", user=agency_staff) == ["agency_staff"]


def test_a_hearing_may_be_scheduled_ahead_but_not_before_filing(make_case, court_clerk):
    case = make_case()
    services.hearing_add(case=case, by=court_clerk, held_on=today() + dt.timedelta(days=10))
    with pytest.raises(ValidationError) as err:
        services.hearing_add(case=case, by=court_clerk, held_on=D("2026-03-01"))
    assert list(err.value.message_dict) == ["held_on"]
    assert case.hearings.count() == 1


def test_hearings_are_added_by_the_court_to_pending_cases_only(make_case, court_clerk, agency_staff, outcome):
    case = make_case()
    with pytest.raises(PermissionDenied):
        services.hearing_add(case=case, by=agency_staff, held_on=D("2026-04-01"))
    services.case_conclude(case=case, by=court_clerk, outcome=outcome("withdrawal"), concluded_on=D("2026-04-01"))
    with pytest.raises(Conflict):
        services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"))
    assert Hearing.objects.count() == 0


# ----------------------------------------------------------------------------- appearance_record


@pytest.fixture
def hearing(make_case, court_clerk):
    case = make_case(defendants=[CITY_AGENCY, "柳州市人民政府"])
    return services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"))


def test_defendant_records_its_head_appearing(hearing, agency_head):
    row = services.appearance_record(
        hearing=hearing,
        by=agency_head,
        defendant=agency_head.institution,
        kind="head",
        person_name="罗永强",
        person_post="局长",
    )
    assert (row.kind, row.person_name, row.person_post) == ("head", "罗永强", "局长")
    assert AuditEntry.objects.filter(action="case.appearance", target_id=hearing.case_id).count() == 1


def test_delegated_staff_need_a_sealed_written_explanation(hearing, agency_staff, court_clerk):
    with pytest.raises(ValidationError) as err:
        services.appearance_record(
            hearing=hearing, by=agency_staff, defendant=agency_staff.institution, kind="delegated", person_name="覃文斌"
        )
    assert list(err.value.message_dict) == ["explanation"]
    assert not Appearance.objects.exists()
    row = services.appearance_record(
        hearing=hearing,
        by=agency_staff,
        defendant=agency_staff.institution,
        kind="delegated",
        person_name="覃文斌",
        explanation=pdf("../../说明\u202egpj.exe"),
    )
    # Stored under a random name with the sniffed type's extension; the uploader's name is not used.
    assert row.explanation.name.startswith("appearances/") and row.explanation.name.endswith(".pdf")
    assert "说明" not in row.explanation.name and ".." not in row.explanation.name
    assert row.explanation.read().startswith(b"%PDF-")


@pytest.mark.parametrize("content", [b"MZ\x90\x00 an exe", b"<html><script>alert(1)</script>", b"PK\x03\x04 a docx"])
def test_an_explanation_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_saved(hearing, agency_staff, content):
    with pytest.raises(ValidationError) as err:
        services.appearance_record(
            hearing=hearing,
            by=agency_staff,
            defendant=agency_staff.institution,
            kind="delegated",
            person_name="覃文斌",
            explanation=pdf("说明.pdf", content),
        )
    assert list(err.value.message_dict) == ["explanation"]
    assert not Appearance.objects.exists()


def test_a_png_scan_is_accepted(hearing, agency_staff):
    row = services.appearance_record(
        hearing=hearing,
        by=agency_staff,
        defendant=agency_staff.institution,
        kind="delegated",
        person_name="覃文斌",
        explanation=pdf("扫描件.png", PNG),
    )
    assert row.explanation.name.endswith(".png")


def test_recording_again_updates_the_one_row_per_defendant(hearing, agency_staff, court_clerk):
    services.appearance_record(hearing=hearing, by=agency_staff, defendant=agency_staff.institution, kind="none")
    row = services.appearance_record(
        hearing=hearing,
        by=court_clerk,
        defendant=agency_staff.institution,
        kind="head",
        person_name="罗永强",
        person_post="局长",
    )
    assert Appearance.objects.filter(hearing=hearing).count() == 1 and row.kind == "head"
    entries = AuditEntry.objects.filter(action="case.appearance").order_by("id")
    assert entries.count() == 2 and entries.last().before == {"kind": "none", "person_name": ""}


def test_a_head_appearance_needs_name_and_post(hearing, court_clerk, agency_staff):
    with pytest.raises(ValidationError) as err:
        services.appearance_record(hearing=hearing, by=court_clerk, defendant=agency_staff.institution, kind="head")
    assert set(err.value.message_dict) == {"person_name", "person_post"}
    with pytest.raises(ValidationError) as err:
        services.appearance_record(
            hearing=hearing, by=court_clerk, defendant=agency_staff.institution, kind="none", head_summoned=True
        )
    assert list(err.value.message_dict) == ["summon_basis"]
    assert not Appearance.objects.exists()


def test_a_defendant_records_only_its_own_appearance(hearing, agency_staff, outsider_agency, gov_legal, inst):
    with pytest.raises(PermissionDenied):
        services.appearance_record(hearing=hearing, by=agency_staff, defendant=inst["柳州市人民政府"], kind="none")
    with pytest.raises(PermissionDenied):
        services.appearance_record(
            hearing=hearing, by=outsider_agency, defendant=outsider_agency.institution, kind="none"
        )
    services.appearance_record(hearing=hearing, by=gov_legal, defendant=gov_legal.institution, kind="none")
    assert Appearance.objects.count() == 1


def test_the_court_may_only_record_appearances_of_the_cases_defendants(hearing, court_clerk, outsider_agency):
    with pytest.raises(ValidationError) as err:
        services.appearance_record(hearing=hearing, by=court_clerk, defendant=outsider_agency.institution, kind="none")
    assert list(err.value.message_dict) == ["defendant"]


def test_no_appearance_is_recorded_for_a_hearing_still_to_come(make_case, court_clerk, agency_staff):
    case = make_case()
    later = services.hearing_add(case=case, by=court_clerk, held_on=today() + dt.timedelta(days=3))
    with pytest.raises(Conflict):
        services.appearance_record(hearing=later, by=agency_staff, defendant=agency_staff.institution, kind="none")


def test_a_defendant_cannot_change_the_courts_summons(hearing, court_clerk, agency_staff):
    services.appearance_record(
        hearing=hearing,
        by=court_clerk,
        defendant=agency_staff.institution,
        kind="none",
        head_summoned=True,
        summon_basis="may_other",
        summon_reason="案情重大",
    )
    row = services.appearance_record(
        hearing=hearing,
        by=agency_staff,
        defendant=agency_staff.institution,
        kind="head",
        person_name="罗永强",
        person_post="局长",
        head_summoned=False,
    )
    assert row.head_summoned and row.summon_basis == "may_other" and row.summon_reason == "案情重大"


def test_a_head_who_must_appear_and_does_not_prompts_the_court(hearing, court_clerk, court_head, agency_staff):
    services.appearance_record(
        hearing=hearing,
        by=court_clerk,
        defendant=agency_staff.institution,
        kind="delegated",
        person_name="覃文斌",
        explanation=pdf(),
        head_summoned=True,
        summon_basis="must_mass_incident",
    )
    assert notified("case.head_absent") == ["court_clerk", "court_head"]
    assert "司法建议" in Notification.objects.filter(kind="case.head_absent").first().body


def test_nobody_appearing_in_a_major_case_prompts_the_court(make_case, court_clerk, agency_staff):
    case = make_case(major_category="land_expropriation")
    hearing = services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-01"))
    services.appearance_record(hearing=hearing, by=agency_staff, defendant=agency_staff.institution, kind="none")
    assert notified("case.head_absent") == ["court_clerk", "court_head"]


def test_absence_in_an_ordinary_case_is_only_recorded(hearing, agency_staff, court_clerk):
    services.appearance_record(hearing=hearing, by=agency_staff, defendant=agency_staff.institution, kind="none")
    services.appearance_record(
        hearing=hearing,
        by=court_clerk,
        defendant=agency_staff.institution,
        kind="delegated",
        person_name="覃文斌",
        explanation=pdf(),
        head_summoned=True,
        summon_basis="may_other",
    )
    assert notified("case.head_absent") == []


# ----------------------------------------------------------------------------- conclusion


def test_conclusion_with_an_effective_date_makes_the_case_effective(make_case, court_clerk, outcome):
    case = make_case()
    case = services.case_conclude(
        case=case,
        by=court_clerk,
        outcome=outcome("revoke"),
        concluded_on=D("2026-05-06"),
        effective_on=D("2026-05-25"),
        imposes_obligation=True,
    )
    assert case.status == "effective" and case.agency_lost is True and case.imposes_obligation is True
    assert "case.conclude" in audit_actions(case)


def test_a_concluded_case_becomes_effective_later(make_case, court_clerk, outcome):
    case = make_case()
    case = services.case_conclude(
        case=case, by=court_clerk, outcome=outcome("dismiss_claims"), concluded_on=D("2026-05-06")
    )
    assert case.status == "concluded" and case.effective_on is None and case.agency_lost is False
    with pytest.raises(ValidationError) as err:
        services.case_mark_effective(case=case, by=court_clerk, effective_on=D("2026-05-01"))
    assert list(err.value.message_dict) == ["effective_on"]
    case = services.case_mark_effective(case=case, by=court_clerk, effective_on=D("2026-05-21"))
    assert case.status == "effective" and case.effective_on == D("2026-05-21")
    with pytest.raises(Conflict):
        services.case_mark_effective(case=case, by=court_clerk, effective_on=D("2026-05-22"))


@pytest.mark.parametrize(
    "dates, field",
    [
        ({"concluded_on": D("2026-03-01")}, "concluded_on"),  # before filing
        ({"concluded_on": D("2026-05-06"), "effective_on": D("2026-05-05")}, "effective_on"),
        ({"concluded_on": "tomorrow"}, "concluded_on"),
        ({"concluded_on": None}, "concluded_on"),
    ],
)
def test_conclusion_dates_are_checked_and_nothing_is_saved(make_case, court_clerk, outcome, dates, field):
    case = make_case()
    with pytest.raises(ValidationError) as err:
        services.case_conclude(case=case, by=court_clerk, outcome=outcome("revoke"), **dates)
    assert list(err.value.message_dict) == [field]
    case.refresh_from_db()
    assert case.status == "pending" and case.outcome is None


def test_a_case_concludes_before_a_scheduled_hearing_but_not_before_one_held(
    make_case, court_clerk, agency_staff, outcome
):
    case = make_case()
    held = services.hearing_add(case=case, by=court_clerk, held_on=D("2026-04-10"))
    services.appearance_record(hearing=held, by=agency_staff, defendant=agency_staff.institution, kind="none")
    services.hearing_add(case=case, by=court_clerk, held_on=today() + dt.timedelta(days=5))
    with pytest.raises(ValidationError) as err:
        services.case_conclude(case=case, by=court_clerk, outcome=outcome("withdrawal"), concluded_on=D("2026-04-09"))
    assert list(err.value.message_dict) == ["concluded_on"]
    case = services.case_conclude(
        case=case, by=court_clerk, outcome=outcome("withdrawal"), concluded_on=D("2026-04-20")
    )
    assert case.status == "concluded"


def test_no_date_of_a_conclusion_lies_in_the_future(make_case, court_clerk, outcome):
    case = make_case()
    with pytest.raises(ValidationError) as err:
        services.case_conclude(
            case=case,
            by=court_clerk,
            outcome=outcome("revoke"),
            concluded_on=today(),
            effective_on=today() + dt.timedelta(days=1),
        )
    assert list(err.value.message_dict) == ["effective_on"]


def test_a_case_is_concluded_once_by_its_court(make_case, court_clerk, county_clerk, agency_staff, outcome):
    case = make_case()
    for stranger in (county_clerk, agency_staff):
        with pytest.raises(PermissionDenied):
            services.case_conclude(case=case, by=stranger, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    services.case_conclude(case=case, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    with pytest.raises(Conflict):
        services.case_conclude(case=case, by=court_clerk, outcome=outcome("alter"), concluded_on=D("2026-05-07"))
    with pytest.raises(ValidationError) as err:
        services.case_conclude(case=make_case(), by=court_clerk, outcome=None, concluded_on=D("2026-05-06"))
    assert list(err.value.message_dict) == ["outcome"]


def test_performance_is_recorded_only_for_effective_judgments_imposing_an_obligation(
    make_case, effective_case, court_clerk, agency_staff, outcome
):
    case = effective_case()
    with pytest.raises(PermissionDenied):
        services.case_record_performance(case=case, by=agency_staff, performed_voluntarily=True)
    case = services.case_record_performance(case=case, by=court_clerk, performed_voluntarily=True)
    assert case.performed_voluntarily is True
    assert AuditEntry.objects.filter(action="case.performance", target_id=case.pk).exists()
    pending = make_case()
    with pytest.raises(Conflict):
        services.case_record_performance(case=pending, by=court_clerk, performed_voluntarily=True)
    no_duty = services.case_conclude(
        case=make_case(),
        by=court_clerk,
        outcome=outcome("dismiss_claims"),
        concluded_on=D("2026-05-06"),
        effective_on=D("2026-05-20"),
        imposes_obligation=False,
    )
    with pytest.raises(Conflict):
        services.case_record_performance(case=no_duty, by=court_clerk, performed_voluntarily=True)
    with pytest.raises(ValidationError):
        services.case_record_performance(case=case, by=court_clerk, performed_voluntarily="yes")


# ----------------------------------------------------------------------------- visibility


def test_a_case_against_the_city_management_bureau_is_seen_by_its_parties_only(
    make_case, court_clerk, agency_staff, gov_legal, office, outsider_agency, county_clerk, proc_staff
):
    case = make_case()
    visible = AdministrativeCase.objects.visible_to
    for persona in (court_clerk, agency_staff, gov_legal, office):
        assert visible(persona).filter(pk=case.pk).exists(), persona.username
    for persona in (outsider_agency, county_clerk, proc_staff):
        assert not visible(persona).exists(), persona.username
