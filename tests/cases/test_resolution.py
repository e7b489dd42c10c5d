"""Pre-litigation resolution (诉前化解) and major-case coordination (重大案件协调)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import AdministrativeCase, Communication, Coordination, Dispute, MediationSession
from liaison.errors import Conflict
from liaison.models import AuditEntry

from .conftest import CITY_AGENCY, D, notified, today

# ----------------------------------------------------------------------------- disputes


@pytest.fixture
def make_dispute(court_clerk, inst):
    def make(by=None, **fields):
        fields.setdefault("title", "房屋征收补偿争议")
        fields.setdefault("applicant", "王五")
        fields.setdefault("agency", inst[CITY_AGENCY])
        fields.setdefault("summary", "申请人对补偿标准有异议。")
        fields.setdefault("received_on", D("2026-06-01"))
        return services.dispute_create(by=by or court_clerk, **fields)

    return make


def test_court_takes_up_a_dispute_with_the_agencys_government(make_dispute, inst, gov_legal, agency_staff, proc_staff):
    dispute = make_dispute(procuratorate=inst["柳州市人民检察院"])
    assert dispute.court.name == "柳州市中级人民法院" and dispute.government.name == "柳州市人民政府"
    assert dispute.status == "open"
    for persona in (gov_legal, agency_staff, proc_staff):
        assert notified("dispute.created", user=persona) == [persona.username]
        assert Dispute.objects.visible_to(persona).filter(pk=dispute.pk).exists()
    assert AuditEntry.objects.filter(action="dispute.create", target_id=dispute.pk).count() == 1


def test_government_takes_up_a_dispute_with_a_court_it_names(make_dispute, gov_legal, inst):
    with pytest.raises(ValidationError) as err:
        make_dispute(by=gov_legal)
    assert list(err.value.message_dict) == ["court"]
    dispute = make_dispute(by=gov_legal, court=inst["柳州市中级人民法院"])
    assert dispute.government == gov_legal.institution


def test_the_agency_must_belong_to_the_government(make_dispute, county_gov_legal, inst):
    with pytest.raises(ValidationError) as err:
        make_dispute(by=county_gov_legal, court=inst["柳州市城中区人民法院"])
    assert list(err.value.message_dict) == ["agency"]
    with pytest.raises(ValidationError) as err:
        make_dispute(agency=inst["柳州市人民检察院"])
    assert list(err.value.message_dict) == ["agency"]
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("persona", ["agency_staff", "proc_staff", "office", "auditor"])
def test_only_a_court_or_a_government_takes_up_a_dispute(persona, world, make_dispute):
    with pytest.raises(PermissionDenied):
        make_dispute(by=world[persona])


def test_parties_record_joint_mediation_while_the_dispute_is_open(
    make_dispute, inst, proc_staff, outsider_agency, gov_legal
):
    dispute = make_dispute(procuratorate=inst["柳州市人民检察院"])
    session = services.mediation_add(
        dispute=dispute,
        by=proc_staff,
        held_on=D("2026-06-10"),
        participants="法院、政府、检察院",
        result="初步达成意向",
    )
    assert session.dispute == dispute
    with pytest.raises(PermissionDenied):
        services.mediation_add(
            dispute=dispute, by=outsider_agency, held_on=D("2026-06-10"), participants="p", result="r"
        )
    with pytest.raises(ValidationError) as err:
        services.mediation_add(dispute=dispute, by=gov_legal, held_on=D("2026-05-31"), participants="p", result="r")
    assert list(err.value.message_dict) == ["held_on"]
    services.dispute_conclude(
        dispute=dispute, by=gov_legal, status="resolved", outcome_on=D("2026-06-20"), notes="和解"
    )
    with pytest.raises(Conflict):
        services.mediation_add(dispute=dispute, by=gov_legal, held_on=D("2026-06-21"), participants="p", result="r")
    assert MediationSession.objects.count() == 1


def test_a_dispute_filed_as_a_case_links_a_case_the_user_sees(
    make_dispute, make_case, court_clerk, county_clerk, inst, proc_staff
):
    dispute = make_dispute(procuratorate=inst["柳州市人民检察院"])
    foreign = make_case(by=county_clerk, number="（2026）桂0202行初3号")
    for case in (None, foreign):
        with pytest.raises(ValidationError) as err:
            services.dispute_conclude(
                dispute=dispute, by=court_clerk, status="filed", outcome_on=D("2026-07-01"), notes="立案", case=case
            )
        assert list(err.value.message_dict) == ["case"]
    with pytest.raises(PermissionDenied):  # the procuratorate takes part but does not conclude
        services.dispute_conclude(
            dispute=dispute, by=proc_staff, status="resolved", outcome_on=D("2026-07-01"), notes="n"
        )
    case = make_case()
    dispute = services.dispute_conclude(
        dispute=dispute, by=court_clerk, status="filed", outcome_on=D("2026-07-01"), notes="已立案", case=case
    )
    assert dispute.status == "filed" and dispute.case == case
    assert AuditEntry.objects.get(action="dispute.conclude").after == {"status": "filed", "case": case.number}
    with pytest.raises(Conflict):
        services.dispute_conclude(
            dispute=dispute, by=court_clerk, status="withdrawn", outcome_on=D("2026-07-02"), notes="n"
        )


def test_dispute_conclusion_input_is_checked(make_dispute, make_case, court_clerk):
    dispute = make_dispute()
    bad = [
        ({"status": "lost"}, "status"),
        ({"outcome_on": D("2026-05-01")}, "outcome_on"),
        ({"outcome_on": today() + dt.timedelta(days=1)}, "outcome_on"),
        ({"notes": " "}, "notes"),
        ({"case": make_case()}, "case"),  # only a filed dispute links a case
    ]
    for change, field in bad:
        args = {"status": "resolved", "outcome_on": D("2026-07-01"), "notes": "化解", **change}
        with pytest.raises(ValidationError) as err:
            services.dispute_conclude(dispute=dispute, by=court_clerk, **args)
        assert list(err.value.message_dict) == [field]
    dispute.refresh_from_db()
    assert dispute.status == "open"


# ----------------------------------------------------------------------------- coordination


@pytest.fixture
def major_case(make_case):
    return make_case(major_category="land_expropriation")


@pytest.fixture
def coordination(major_case, court_clerk, inst):
    return services.coordination_open(
        case=major_case,
        by=court_clerk,
        government=inst["柳州市人民政府"],
        subject="征收补偿方案协调",
        opened_on=D("2026-04-01"),
    )


def test_court_opens_a_coordination_on_a_major_case_and_the_government_is_told(coordination, gov_legal, major_case):
    assert coordination.status == "open" and coordination.case == major_case
    assert notified("coordination.opened", user=gov_legal) == ["gov_legal"]
    assert Coordination.objects.visible_to(gov_legal).filter(pk=coordination.pk).exists()
    assert AuditEntry.objects.filter(action="coordination.open", target_id=coordination.pk).exists()


def test_an_ordinary_case_is_not_coordinated(make_case, court_clerk, inst):
    with pytest.raises(Conflict, match="只有重大案件"):  # the case, not the input: 409
        services.coordination_open(case=make_case(), by=court_clerk, government=inst["柳州市人民政府"], subject="s")
    with pytest.raises(ValidationError) as err:
        services.coordination_open(
            case=make_case(major_category="environment"), by=court_clerk, government=inst[CITY_AGENCY], subject="s"
        )
    assert list(err.value.message_dict) == ["government"]
    assert not Coordination.objects.exists()


def test_only_the_cases_court_opens_a_coordination_while_the_case_is_pending(
    major_case, county_clerk, gov_legal, court_clerk, outcome, inst
):
    for stranger in (county_clerk, gov_legal):
        with pytest.raises(PermissionDenied):
            services.coordination_open(case=major_case, by=stranger, government=inst["柳州市人民政府"], subject="s")
    services.case_conclude(case=major_case, by=court_clerk, outcome=outcome("mediation"), concluded_on=D("2026-05-01"))
    with pytest.raises(Conflict):
        services.coordination_open(case=major_case, by=court_clerk, government=inst["柳州市人民政府"], subject="s")


def test_an_invited_procuratorate_sees_the_coordination_and_the_case_an_uninvited_one_does_not(
    coordination, court_clerk, proc_staff, user_at, inst, outsider_agency
):
    county_proc = user_at("柳州市城中区人民检察院")
    for persona in (proc_staff, county_proc, outsider_agency):
        assert not Coordination.objects.visible_to(persona).exists()
        assert not AdministrativeCase.objects.visible_to(persona).exists()
    coordination = services.coordination_invite(
        coordination=coordination, by=court_clerk, procuratorate=inst["柳州市人民检察院"]
    )
    assert coordination.invited_on == today()
    assert notified("coordination.invited") == ["proc_head", "proc_staff"]
    assert Coordination.objects.visible_to(proc_staff).filter(pk=coordination.pk).exists()
    assert AdministrativeCase.objects.visible_to(proc_staff).filter(pk=coordination.case_id).exists()
    for persona in (county_proc, outsider_agency):
        assert not Coordination.objects.visible_to(persona).exists()
        assert not AdministrativeCase.objects.visible_to(persona).exists()


def test_invitation_is_by_the_court_once_and_to_a_procuratorate(coordination, court_clerk, gov_legal, inst):
    with pytest.raises(PermissionDenied):
        services.coordination_invite(coordination=coordination, by=gov_legal, procuratorate=inst["柳州市人民检察院"])
    with pytest.raises(ValidationError) as err:
        services.coordination_invite(coordination=coordination, by=court_clerk, procuratorate=inst["柳州市人民政府"])
    assert list(err.value.message_dict) == ["procuratorate"]
    services.coordination_invite(coordination=coordination, by=court_clerk, procuratorate=inst["柳州市人民检察院"])
    with pytest.raises(Conflict):
        services.coordination_invite(
            coordination=coordination, by=court_clerk, procuratorate=inst["柳州市城中区人民检察院"]
        )
    coordination.refresh_from_db()
    assert coordination.procuratorate.name == "柳州市人民检察院"


def test_parties_record_communications_and_the_others_are_told(
    coordination, gov_legal, court_clerk, outsider_agency, agency_staff
):
    communication = services.communication_add(
        coordination=coordination, by=gov_legal, summary="政府提出补偿方案", occurred_on=D("2026-04-03")
    )
    assert communication.institution == gov_legal.institution
    assert notified("coordination.communication") == ["court_clerk", "court_head"]
    for stranger in (outsider_agency, agency_staff):  # a defendant sees the coordination but is not a party to it
        with pytest.raises(PermissionDenied):
            services.communication_add(coordination=coordination, by=stranger, summary="s")
    with pytest.raises(ValidationError) as err:
        services.communication_add(coordination=coordination, by=gov_legal, summary="s", occurred_on=D("2026-03-31"))
    assert list(err.value.message_dict) == ["occurred_on"]
    assert Communication.objects.count() == 1


def test_the_court_closes_a_coordination_with_its_outcome(coordination, court_clerk, gov_legal):
    with pytest.raises(PermissionDenied):
        services.coordination_close(coordination=coordination, by=gov_legal, outcome="o")
    with pytest.raises(ValidationError) as err:
        services.coordination_close(coordination=coordination, by=court_clerk, outcome="")
    assert list(err.value.message_dict) == ["outcome"]
    closed = services.coordination_close(coordination=coordination, by=court_clerk, outcome="达成补偿协议，原告撤诉")
    assert closed.status == "closed" and closed.closed_on == today()
    assert notified("coordination.closed") == ["gov_head", "gov_legal"]
    with pytest.raises(Conflict):
        services.coordination_close(coordination=coordination, by=court_clerk, outcome="again")
    with pytest.raises(Conflict):
        services.communication_add(coordination=coordination, by=gov_legal, summary="s")
