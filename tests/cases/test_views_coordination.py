"""Major-case coordination pages: opening from a major case, the detail with communications,
inviting the procuratorate and closing (each through a confirmation), the list and its export."""

import io

import pytest
from openpyxl import load_workbook

from cases import services
from cases.models import Communication, Coordination
from liaison.models import AuditEntry

from ..liaison._view_helpers import client_for
from ._work_helpers import verbs_shown
from .conftest import D

GOV = "柳州市人民政府"
PROC = "柳州市人民检察院"
LIST = "/cases/coordinations/"


def url(c, suffix=""):
    return f"/cases/coordinations/{c.uuid}/{suffix}"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def major(make_case):
    return make_case(number="（2026）桂02行初9号", major_category="land_expropriation", plaintiffs="某村村民小组")


@pytest.fixture
def coordination(major, court_clerk, inst):
    return services.coordination_open(
        case=major, by=court_clerk, government=inst[GOV], subject="集体土地征收补偿协调", opened_on=D("2026-03-05")
    )


@pytest.fixture
def invited(coordination, court_clerk, inst):
    return services.coordination_invite(coordination=coordination, by=court_clerk, procuratorate=inst[PROC])


# ----------------------------------------------------------------------------- opening


def test_court_opens_a_coordination_from_a_major_case(major, court_clerk, gov_legal, inst):
    client = client_for(court_clerk)
    page = client.get(f"/cases/{major.uuid}/coordinate/")
    assert page.status_code == 200
    assert page.context["form"].initial["government"] == inst[GOV]  # the defendant's government
    response = client.post(
        f"/cases/{major.uuid}/coordinate/",
        {"government": str(inst[GOV].uuid), "subject": "征收补偿协调", "opened_on": ""},
    )
    c = Coordination.objects.get()
    assert response.status_code == 302 and response["Location"] == url(c)
    assert (c.case, c.government, c.subject, c.status) == (major, inst[GOV], "征收补偿协调", "open")
    assert gov_legal.notifications.filter(kind="coordination.opened").exists()


def test_opening_needs_a_government_and_a_subject(major, court_clerk, inst):
    response = client_for(court_clerk).post(
        f"/cases/{major.uuid}/coordinate/", {"government": str(inst["柳州市生态环境局"].uuid), "subject": ""}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["government"] == ["请选择协调的人民政府。"] and errors["subject"] == ["请填写协调事项。"]
    response = client_for(court_clerk).post(
        f"/cases/{major.uuid}/coordinate/",
        {"government": str(inst[GOV].uuid), "subject": "协调", "opened_on": "2026-01-01"},
    )
    assert response.context["form"].errors["opened_on"] == ["启动日期不能早于立案日期（2026-03-02）。"]
    assert not Coordination.objects.exists()


def test_an_ordinary_case_cannot_be_coordinated(make_case, court_clerk, inst):
    plain = make_case()
    response = client_for(court_clerk).post(
        f"/cases/{plain.uuid}/coordinate/", {"government": str(inst[GOV].uuid), "subject": "协调"}, follow=True
    )
    assert "只有重大案件" in " ".join(messages_of(response))
    assert not Coordination.objects.exists()


def test_opening_is_403_for_defendants_and_404_for_outsiders(major, agency_staff, outsider_agency, world, inst):
    data = {"government": str(inst[GOV].uuid), "subject": "协调"}
    assert client_for(agency_staff).post(f"/cases/{major.uuid}/coordinate/", data).status_code == 403
    assert client_for(world["gov_legal"]).get(f"/cases/{major.uuid}/coordinate/").status_code == 403
    assert client_for(world["auditor"]).post(f"/cases/{major.uuid}/coordinate/", data).status_code == 403
    assert client_for(outsider_agency).post(f"/cases/{major.uuid}/coordinate/", data).status_code == 404
    assert client_for(world["proc_staff"]).post(f"/cases/{major.uuid}/coordinate/", data).status_code == 404
    assert not Coordination.objects.exists()


# ----------------------------------------------------------------------------- detail, communications


def test_parties_see_the_coordination_outsiders_get_404(coordination, world):
    for persona in ("court_clerk", "gov_legal", "gov_head", "agency_staff", "office", "auditor"):
        response = client_for(world[persona]).get(url(coordination))
        assert response.status_code == 200, persona
        assert "集体土地征收补偿协调" in response.content.decode()
    for persona in ("env_staff", "justice_legal", "proc_staff", "county_clerk"):
        assert client_for(world[persona]).get(url(coordination)).status_code == 404, persona


def test_the_invited_procuratorate_then_sees_the_coordination_and_the_case(
    coordination, major, court_clerk, world, inst
):
    proc = client_for(world["proc_staff"])
    assert proc.get(url(coordination)).status_code == 404
    assert proc.get(f"/cases/{major.uuid}/").status_code == 404
    services.coordination_invite(coordination=coordination, by=court_clerk, procuratorate=inst[PROC])
    assert proc.get(url(coordination)).status_code == 200
    assert proc.get(f"/cases/{major.uuid}/").status_code == 200
    assert [c.subject for c in proc.get(LIST).context["page"].object_list] == ["集体土地征收补偿协调"]


def test_each_party_records_communications(invited, world):
    for persona, text in (("gov_legal", "市政府已召集自然资源局研究补偿方案。"), ("proc_staff", "检察院列席协调会。")):
        client = client_for(world[persona])
        assert verbs_shown(client.get(url(invited))) == {"coordination.communicate"}, persona
        response = client.post(url(invited, "communicate/"), {"summary": text, "occurred_on": ""})
        assert response.status_code == 302, persona
    rows = list(Communication.objects.order_by("id").values_list("institution__name", "summary"))
    assert rows == [(GOV, "市政府已召集自然资源局研究补偿方案。"), (PROC, "检察院列席协调会。")]
    body = client_for(world["court_clerk"]).get(url(invited)).content.decode()
    assert "市政府已召集自然资源局研究补偿方案。" in body and "记录沟通情况" in body


def test_an_empty_communication_is_refused_beside_the_field(coordination, gov_legal):
    response = client_for(gov_legal).post(
        url(coordination, "communicate/"), {"summary": "", "occurred_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["summary"] == ["请写明沟通情况。"]
    assert not Communication.objects.exists()


def test_communicating_is_403_for_a_defendant_and_auditor_and_404_for_outsiders(coordination, world):
    data = {"summary": "沟通"}
    assert client_for(world["agency_staff"]).post(url(coordination, "communicate/"), data).status_code == 403
    assert client_for(world["auditor"]).post(url(coordination, "communicate/"), data).status_code == 403
    assert client_for(world["env_staff"]).post(url(coordination, "communicate/"), data).status_code == 404
    assert not Communication.objects.exists()


# ----------------------------------------------------------------------------- invite, close


def test_inviting_the_procuratorate_goes_through_a_confirmation(coordination, court_clerk, inst, world):
    client = client_for(court_clerk)
    page = client.get(url(coordination, "invite/"))
    assert page.status_code == 200 and page.context["form"].initial["procuratorate"] == inst[PROC]
    step1 = client.post(url(coordination, "invite/"), {"procuratorate": str(inst[PROC].uuid)})
    assert step1.status_code == 200
    body = step1.content.decode()
    assert "确认邀请" in body and "邀请不能撤回" in body
    coordination.refresh_from_db()
    assert coordination.procuratorate is None
    assert not world["proc_staff"].notifications.exists()

    back = client.post(
        url(coordination, "invite/"), {"procuratorate": str(inst[PROC].uuid), "back": "1", "confirmed": "1"}
    )
    assert back.status_code == 200 and "下一步：确认" in back.content.decode()
    coordination.refresh_from_db()
    assert coordination.procuratorate is None

    step2 = client.post(url(coordination, "invite/"), {"procuratorate": str(inst[PROC].uuid), "confirmed": "1"})
    assert step2.status_code == 302
    coordination.refresh_from_db()
    assert coordination.procuratorate == inst[PROC] and coordination.invited_on
    assert world["proc_staff"].notifications.filter(kind="coordination.invited").exists()
    again = client.get(url(coordination, "invite/"), follow=True)
    assert "已邀请柳州市人民检察院监督" in " ".join(messages_of(again))


def test_inviting_something_other_than_a_procuratorate_is_refused(coordination, court_clerk, inst):
    response = client_for(court_clerk).post(
        url(coordination, "invite/"), {"procuratorate": str(inst["柳州市生态环境局"].uuid), "confirmed": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["procuratorate"] == ["请选择人民检察院。"]
    coordination.refresh_from_db()
    assert coordination.procuratorate is None


def test_closing_goes_through_a_confirmation_and_ends_the_communications(invited, court_clerk, world):
    client = client_for(court_clerk)
    data = {"outcome": "双方就补偿标准达成一致，原告撤诉。", "closed_on": ""}
    step1 = client.post(url(invited, "close/"), data)
    assert step1.status_code == 200 and "确认结束协调" in step1.content.decode()
    invited.refresh_from_db()
    assert invited.status == "open"
    step2 = client.post(url(invited, "close/"), {**data, "confirmed": "1"})
    assert step2.status_code == 302
    invited.refresh_from_db()
    assert invited.status == "closed" and invited.outcome == data["outcome"]
    detail = client_for(world["gov_legal"]).get(url(invited))
    assert verbs_shown(detail) == set()
    assert "双方就补偿标准达成一致" in detail.content.decode()
    late = client_for(world["gov_legal"]).post(url(invited, "communicate/"), {"summary": "迟到的记录"}, follow=True)
    assert "不能执行此操作" in " ".join(messages_of(late))
    assert not Communication.objects.exists()
    assert AuditEntry.objects.filter(action="coordination.close").count() == 1


def test_closing_needs_an_outcome(coordination, court_clerk):
    response = client_for(court_clerk).post(url(coordination, "close/"), {"outcome": "", "confirmed": "1"})
    assert response.context["form"].errors["outcome"] == ["请写明协调结果。"]
    coordination.refresh_from_db()
    assert coordination.status == "open"


@pytest.mark.parametrize("step", ["invite/", "close/"])
def test_invite_and_close_are_the_courts(coordination, step, world, inst):
    data = {"procuratorate": str(inst[PROC].uuid), "outcome": "结束", "confirmed": "1"}
    for persona in ("gov_legal", "gov_head", "agency_head", "auditor", "office"):
        assert client_for(world[persona]).post(url(coordination, step), data).status_code == 403, persona
    assert client_for(world["env_staff"]).post(url(coordination, step), data).status_code == 404
    coordination.refresh_from_db()
    assert coordination.status == "open" and coordination.procuratorate is None


# ----------------------------------------------------------------------------- list, export


def test_list_filters_and_exports_what_the_user_sees(coordination, make_case, court_clerk, inst, world):
    other = make_case(number="（2026）桂02行初10号", major_category="demolition")
    second = services.coordination_open(case=other, by=court_clerk, government=inst[GOV], subject="房屋拆迁补偿协调")
    services.coordination_close(coordination=second, by=court_clerk, outcome="已化解")
    client = client_for(world["gov_legal"])
    subjects = lambda **p: [c.subject for c in client.get(LIST, p).context["page"].object_list]  # noqa: E731
    assert sorted(subjects()) == ["房屋拆迁补偿协调", "集体土地征收补偿协调"]
    assert subjects(status="closed") == ["房屋拆迁补偿协调"]
    assert subjects(q="(2026)桂02行初9号") == ["集体土地征收补偿协调"]
    export = client.get(LIST + "export/", {"status": "open"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["集体土地征收补偿协调"]
    empty = client_for(world["env_staff"]).get(LIST)
    assert empty.context["page"].paginator.count == 0 and "这里还没有协调" in empty.content.decode()
    rows = list(
        load_workbook(io.BytesIO(client_for(world["env_staff"]).get(LIST + "export/").content)).active.iter_rows()
    )
    assert len(rows) == 1


@pytest.mark.parametrize("n", [3, 30])
def test_list_query_count_is_constant(n, make_case, court_clerk, inst, django_assert_max_num_queries):
    for i in range(n):
        case = make_case(number=f"（2026）桂02行初{100 + i}号", major_category="environment")
        c = services.coordination_open(case=case, by=court_clerk, government=inst[GOV], subject=f"协调{i}")
        services.coordination_invite(coordination=c, by=court_clerk, procuratorate=inst[PROC])
    client = client_for(court_clerk)
    with django_assert_max_num_queries(8):
        response = client.get(LIST, {"sort": "government"})
    assert response.context["page"].paginator.count == n


def test_every_coordination_write_refuses_posts_without_csrf_token(coordination, major, court_clerk, gov_legal, inst):
    clerk = client_for(court_clerk, enforce_csrf_checks=True)
    assert (
        clerk.post(f"/cases/{major.uuid}/coordinate/", {"government": str(inst[GOV].uuid), "subject": "x"}).status_code
        == 403
    )
    assert (
        clerk.post(url(coordination, "invite/"), {"procuratorate": str(inst[PROC].uuid), "confirmed": "1"}).status_code
        == 403
    )
    assert clerk.post(url(coordination, "close/"), {"outcome": "x", "confirmed": "1"}).status_code == 403
    gov = client_for(gov_legal, enforce_csrf_checks=True)
    assert gov.post(url(coordination, "communicate/"), {"summary": "x"}).status_code == 403
    coordination.refresh_from_db()
    assert coordination.status == "open" and coordination.procuratorate is None
    assert Coordination.objects.count() == 1 and not Communication.objects.exists()
