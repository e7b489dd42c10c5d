"""Case pages: the list (filters, search, sorting, pagination, export, query budget), filing and
editing, the detail with hearings and appearances, and the court's conclusion steps. Each page:
the right persona acts, an outsider gets 404, a too-low role 403, bad input stays beside the field
with nothing saved, a wrong state is a message, and CSRF is enforced."""

import datetime as dt
import io
import itertools

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import AdministrativeCase, Appearance, Cause, Hearing
from liaison.models import AuditEntry, Institution

from ..liaison._view_helpers import client_for
from ._work_helpers import verbs_shown
from .conftest import CITY_AGENCY, PDF, D, pdf, today

URL = "/cases/"
COURT = "柳州市中级人民法院"


def url(case, suffix=""):
    return f"/cases/{case.uuid}/{suffix}"


def numbers(response) -> list[str]:
    return [c.number for c in response.context["page"].object_list]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


_serial = itertools.count(5000)


def bulk_cases(court_clerk, defendant, n, *, prefix="批量原告", major=""):
    """Many cases written directly (test data, not a workflow), each with one defendant."""
    cause = Cause.objects.get(name="行政处罚")
    start = next(_serial) * 1000
    AdministrativeCase.objects.bulk_create(
        [
            AdministrativeCase(
                number=f"（2025）桂02行初{start + i}号",
                court=court_clerk.institution,
                cause=cause,
                plaintiffs=f"{prefix}{i}\n第二原告",
                filed_on=D("2025-06-01"),
                major_category=major,
                created_by=court_clerk,
            )
            for i in range(n)
        ]
    )
    cases = list(AdministrativeCase.objects.filter(plaintiffs__startswith=prefix))
    through = AdministrativeCase.defendants.through
    through.objects.bulk_create([through(administrativecase=c, institution=defendant) for c in cases])
    return cases


def form_data(inst, cause, **overrides):
    data = {
        "number": "(2026)桂02行初77号",
        "instance": "first",
        "cause": str(cause.pk),
        "plaintiffs": "张三\n李四",
        "defendants": [str(inst[CITY_AGENCY].uuid)],
        "filed_on": "2026-03-02",
        "major_category": "",
        "summary": "不服行政处罚决定。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def case(make_case):
    return make_case(number="（2026）桂02行初1号", plaintiffs="张三\n李四")


@pytest.fixture
def held(case, court_clerk):
    """A hearing held today (appearances may be recorded)."""
    return services.hearing_add(case=case, by=court_clerk, held_on=today(), court_room="第三审判庭")


# ----------------------------------------------------------------------------- list


def test_court_defendant_and_its_government_see_the_case_an_outsider_does_not(
    case, court_clerk, agency_staff, gov_legal, outsider_agency, world
):
    for user in (court_clerk, agency_staff, gov_legal, world["office"]):
        assert numbers(client_for(user).get(URL)) == [case.number], user.username
    for user in (outsider_agency, world["justice_legal"], world["proc_staff"]):
        response = client_for(user).get(URL)
        assert numbers(response) == [], user.username
        assert "这里还没有案件" in response.content.decode()


def test_list_lights_the_cases_module_and_offers_filing_and_import_to_courts_only(court_clerk, agency_staff):
    html = client_for(court_clerk).get(URL).content.decode()
    assert 'class="nav-link active" aria-current="page" href="/cases/"' in html
    assert "登记案件" in html and "从 Excel 导入" in html
    html = client_for(agency_staff).get(URL).content.decode()
    assert "登记案件" not in html and "从 Excel 导入" not in html and "/cases/import/" not in html


def test_filters_and_search(make_case, court_clerk, inst, outcome):
    a = make_case(number="（2026）桂02行初1号", plaintiffs="张三", filed_on=D("2026-01-10"))
    b = make_case(
        number="（2026）桂02行初2号",
        plaintiffs="李四",
        defendants=["柳州市人民政府"],
        filed_on=D("2026-02-10"),
        major_category="land_expropriation",
    )
    c = make_case(
        number="（2026）桂02行终3号",
        plaintiffs="王五",
        instance="second",
        cause=Cause.objects.get(name="政府信息公开"),
        filed_on=D("2026-03-10"),
    )
    services.case_conclude(case=a, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    client = client_for(court_clerk)
    get = lambda **params: numbers(client.get(URL, params))  # noqa: E731
    assert get(status="concluded") == [a.number]
    assert get(instance="second") == [c.number]
    assert get(cause=c.cause.pk) == [c.number]
    assert get(court=inst[COURT].uuid) == [c.number, b.number, a.number]
    assert get(court=inst["柳州铁路运输法院"].uuid) == []
    assert get(defendant=inst["柳州市人民政府"].uuid) == [b.number]
    assert get(major="yes") == [b.number]
    assert get(major="land_expropriation") == [b.number]
    assert get(major="demolition") == []
    assert get(major="no") == [c.number, a.number]
    assert get(filed_from="2026-02-01", filed_to="2026-02-28") == [b.number]
    assert get(q="(2026)桂02行初1号") == [a.number]  # half-width brackets
    assert get(q="李四") == [b.number]
    assert get(q="城市管理") == [c.number, a.number]


def test_case_numbers_sort_by_year_then_number(make_case, court_clerk):
    for number in ("（2026）桂02行初10号", "（2025）桂02行初30号", "（2026）桂02行初9号", "（2026）桂02行初100号"):
        make_case(number=number)
    client = client_for(court_clerk)
    expected = ["（2025）桂02行初30号", "（2026）桂02行初9号", "（2026）桂02行初10号", "（2026）桂02行初100号"]
    assert numbers(client.get(URL, {"sort": "number"})) == expected
    assert numbers(client.get(URL, {"sort": "-number"})) == expected[::-1]


def test_sorting_and_pagination(court_clerk, agency_staff):
    bulk_cases(court_clerk, agency_staff.institution, 120)
    client = client_for(court_clerk)
    first = client.get(URL, {"sort": "number"})
    assert len(first.context["page"].object_list) == 50
    assert "第 1 / 3 页" in first.content.decode()
    ordered = numbers(first)
    assert ordered == sorted(ordered)
    assert numbers(client.get(URL, {"sort": "-number"}))[0] == max(
        AdministrativeCase.objects.values_list("number", flat=True)
    )
    assert len(client.get(URL, {"sort": "number", "page": 3}).context["page"].object_list) == 20


def test_bad_filter_values_are_reported_not_a_500(court_clerk):
    response = client_for(court_clerk).get(
        URL,
        {
            "status": "x",
            "cause": "abc",
            "court": "not-a-uuid",
            "defendant": "00000000-0000-0000-0000-000000000000",
            "filed_from": "2026-13-45",
            "sort": "evil",
            "page": "abc",
        },
    )
    assert response.status_code == 200
    assert "已忽略此条件" in response.content.decode()


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "office"])
def test_list_query_count_is_constant(world, court_clerk, agency_staff, rows, persona, django_assert_max_num_queries):
    bulk_cases(court_clerk, agency_staff.institution, rows)
    client = client_for(world[persona])
    with django_assert_max_num_queries(11):
        response = client.get(URL, {"sort": "court", "major": "no"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


def test_export_holds_exactly_the_filtered_rows_of_every_page(court_clerk, agency_staff, outsider_agency):
    bulk_cases(court_clerk, agency_staff.institution, 60, prefix="城管原告")
    bulk_cases(court_clerk, outsider_agency.institution, 3, prefix="环保原告")
    response = client_for(court_clerk).get(URL + "export/", {"defendant": agency_staff.institution.uuid, "page": 2})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[:6] == ("案号", "审级", "案由", "原告", "被告", "立案日期")
    assert len(rows) == 60
    assert all(r[4] == CITY_AGENCY and r[3].startswith("城管原告") for r in rows)


def test_export_never_holds_invisible_cases(case, outsider_agency):
    response = client_for(outsider_agency).get(URL + "export/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


# ----------------------------------------------------------------------------- filing and editing


def test_court_files_a_case_with_a_normalised_number(court_clerk, inst, cause, agency_staff):
    response = client_for(court_clerk).post(URL + "new/", form_data(inst, cause))
    case = AdministrativeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url(case)
    assert case.number == "（2026）桂02行初77号"
    assert case.court == inst[COURT] and case.created_by == court_clerk
    assert list(case.defendants.all()) == [inst[CITY_AGENCY]]
    assert agency_staff.notifications.filter(kind="case.filed").exists()


def test_a_bad_number_is_explained_in_chinese_and_nothing_is_saved(court_clerk, inst, cause):
    response = client_for(court_clerk).post(URL + "new/", form_data(inst, cause, number="2026桂02行初77号"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["number"] == ["案号格式不正确，应如“（2026）桂02行初12号”。"]
    body = response.content.decode()
    assert "请修改以下问题后再提交" in body and 'value="2026桂02行初77号"' in body
    assert "不服行政处罚决定。" in body  # the rest of the input is kept
    assert not AdministrativeCase.objects.exists()


def test_missing_fields_and_service_errors_are_shown_beside_the_fields(court_clerk, inst, cause, make_case):
    make_case(number="（2026）桂02行初77号")
    client = client_for(court_clerk)
    response = client.post(URL + "new/", form_data(inst, cause, plaintiffs="", defendants=[], filed_on=""))
    errors = response.context["form"].errors
    assert errors["plaintiffs"] == ["请填写原告。"]
    assert errors["defendants"] == ["请选择被告行政机关。"]
    assert errors["filed_on"] == ["请填写立案日期。"]
    # The service's own rules (a 案号 already registered) come back beside the field.
    response = client.post(URL + "new/", form_data(inst, cause))
    assert response.context["form"].errors["number"] == ["案号已存在。"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(URL + "new/", form_data(inst, cause, number="（2026）桂02行初78号", filed_on=tomorrow))
    assert response.context["form"].errors["filed_on"] == ["立案日期不能晚于今天。"]
    assert AdministrativeCase.objects.count() == 1


def test_a_court_cannot_be_named_as_a_defendant(court_clerk, inst, cause):
    response = client_for(court_clerk).post(URL + "new/", form_data(inst, cause, defendants=[str(inst[COURT].uuid)]))
    assert "defendants" in response.context["form"].errors
    assert not AdministrativeCase.objects.exists()


@pytest.mark.parametrize("persona", ["agency_staff", "gov_legal", "proc_staff", "auditor", "office"])
def test_only_court_users_may_file_cases(world, persona, inst, cause):
    client = client_for(world[persona])
    assert client.get(URL + "new/").status_code == 403
    assert client.post(URL + "new/", form_data(inst, cause)).status_code == 403
    assert not AdministrativeCase.objects.exists()


def test_court_edits_its_case_and_the_change_is_on_the_timeline(case, court_clerk, inst, cause):
    client = client_for(court_clerk)
    assert client.get(url(case, "edit/")).status_code == 200
    data = form_data(inst, cause, number=case.number, summary="补充的案情。", major_category="demolition")
    response = client.post(url(case, "edit/"), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "补充的案情。" and case.major_category == "demolition"
    body = client.get(url(case)).content.decode()
    assert "修改案件信息" in body and "重大案件类别" in body


def test_a_concluded_case_keeps_its_number_and_parties(case, court_clerk, inst, cause, outcome):
    services.case_conclude(case=case, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    data = form_data(inst, cause, number="（2026）桂02行初999号", plaintiffs="别人", summary="结案后补充。")
    response = client_for(court_clerk).post(url(case, "edit/"), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.number == "（2026）桂02行初1号" and case.plaintiffs == "张三\n李四"
    assert case.summary == "结案后补充。"


def test_edit_is_404_for_outsiders_and_403_for_defendants(case, agency_staff, outsider_agency, world, inst, cause):
    assert client_for(outsider_agency).get(url(case, "edit/")).status_code == 404
    assert client_for(world["justice_legal"]).post(url(case, "edit/"), form_data(inst, cause)).status_code == 404
    assert client_for(agency_staff).get(url(case, "edit/")).status_code == 403
    assert client_for(world["auditor"]).post(url(case, "edit/"), form_data(inst, cause)).status_code == 403
    assert client_for(world["county_clerk"]).get(url(case, "edit/")).status_code == 404


# ----------------------------------------------------------------------------- detail


def test_detail_shows_header_parties_and_the_courts_actions(case, court_clerk):
    response = client_for(court_clerk).get(url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body and "审理中" in body and "柳州市中级人民法院" in body
    assert "张三等诉柳州市城市管理行政执法局行政处罚案" in body
    # A pending ordinary case: no effect, performance, coordination or review yet.
    assert verbs_shown(response) == {"case.hearing", "case.conclude", "observation.create", "case.edit"}
    assert "立案登记" in body  # the timeline


def test_a_defendant_reads_the_case_without_the_courts_actions(case, agency_staff, gov_legal):
    for user in (agency_staff, gov_legal):
        response = client_for(user).get(url(case))
        assert response.status_code == 200
        assert verbs_shown(response) == set()
        body = response.content.decode()
        for path in ("hearings/new/", "conclude/", "edit/", "coordinate/"):
            assert url(case, path) not in body


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "proc_staff", "county_clerk", "county_gov_legal"])
def test_detail_is_404_for_institutions_not_party_to_the_case(case, world, persona):
    assert client_for(world[persona]).get(url(case)).status_code == 404


def test_malformed_or_unknown_ids_are_404(court_clerk):
    client = client_for(court_clerk)
    assert client.get("/cases/not-a-uuid/").status_code == 404
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_major_case_offers_coordination_to_the_court(make_case, court_clerk, agency_staff):
    major = make_case(major_category="land_expropriation")
    response = client_for(court_clerk).get(url(major))
    assert "coordination.open" in verbs_shown(response)
    assert "发起协调" in response.content.decode() and "集体土地征收" in response.content.decode()
    assert "coordination.open" not in verbs_shown(client_for(agency_staff).get(url(major)))


def test_detail_query_count_does_not_grow_with_hearings(case, court_clerk, django_assert_max_num_queries):
    for day in ("2026-03-10", "2026-03-20", "2026-04-01"):
        hearing = services.hearing_add(case=case, by=court_clerk, held_on=D(day))
        services.appearance_record(
            hearing=hearing,
            by=court_clerk,
            defendant=case.defendants.get(),
            kind="head",
            person_name="罗永强",
            person_post="局长",
        )
    client = client_for(court_clerk)
    client.get(url(case))
    with django_assert_max_num_queries(16) as few:
        client.get(url(case))
    Hearing.objects.bulk_create([Hearing(case=case, held_on=D("2026-04-02")) for _ in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(case)).status_code == 200


def test_detail_links_the_enforcements_of_the_case_that_the_user_sees(
    make_case, make_enforcement, court_clerk, agency_staff, outsider_agency
):
    case = make_case()
    e = make_enforcement(case=case, basis_reference="柳城管罚〔2026〕7号")
    link = f'href="/cases/enforcements/{e.uuid}/"'
    body = client_for(court_clerk).get(url(case)).content.decode()
    assert "关联事项" in body and link in body and "柳城管罚〔2026〕7号" in body
    # The defendant sees the case but not the enforcement applied for by another agency.
    body = client_for(agency_staff).get(url(case)).content.decode()
    assert link not in body and "柳城管罚〔2026〕7号" not in body


# ----------------------------------------------------------------------------- hearings


def test_court_adds_a_hearing_and_the_defendant_is_notified(case, court_clerk, agency_staff):
    response = client_for(court_clerk).post(
        url(case, "hearings/new/"), {"held_on": "2026-06-01", "court_room": "第三审判庭"}
    )
    assert response.status_code == 302
    hearing = case.hearings.get()
    assert hearing.held_on == D("2026-06-01") and hearing.court_room == "第三审判庭"
    assert agency_staff.notifications.filter(kind="case.hearing").exists()


def test_a_hearing_before_the_filing_date_is_refused_beside_the_field(case, court_clerk):
    response = client_for(court_clerk).post(url(case, "hearings/new/"), {"held_on": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == ["开庭日期不能早于立案日期（2026-03-02）。"]
    assert not case.hearings.exists()
    response = client_for(court_clerk).post(url(case, "hearings/new/"), {"held_on": "2026-02-30"})
    assert "held_on" in response.context["form"].errors and not case.hearings.exists()


def test_hearing_page_is_403_for_defendants_and_404_for_outsiders(case, agency_staff, outsider_agency, world):
    assert client_for(agency_staff).get(url(case, "hearings/new/")).status_code == 403
    assert client_for(world["auditor"]).post(url(case, "hearings/new/"), {"held_on": "2026-06-01"}).status_code == 403
    assert client_for(outsider_agency).post(url(case, "hearings/new/"), {"held_on": "2026-06-01"}).status_code == 404
    assert not case.hearings.exists()


def test_no_hearing_can_be_added_to_a_concluded_case(case, court_clerk, outcome):
    services.case_conclude(case=case, by=court_clerk, outcome=outcome("revoke"), concluded_on=D("2026-05-06"))
    response = client_for(court_clerk).post(url(case, "hearings/new/"), {"held_on": "2026-06-01"}, follow=True)
    assert "不能执行此操作" in " ".join(messages_of(response))
    assert not case.hearings.exists()


# ----------------------------------------------------------------------------- appearances


def appearance_url(case, hearing):
    return url(case, f"hearings/{hearing.uuid}/appearance/")


def test_court_records_a_head_appearance(case, held, court_clerk, inst):
    data = {
        "defendant": str(inst[CITY_AGENCY].uuid),
        "kind": "head",
        "person_name": "罗永强",
        "person_post": "局长",
        "head_summoned": "on",
        "summon_basis": "must_public_interest",
        "summon_reason": "涉及重大公共利益",
    }
    client = client_for(court_clerk)
    assert client.get(appearance_url(case, held), {"defendant": inst[CITY_AGENCY].uuid}).status_code == 200
    response = client.post(appearance_url(case, held), data)
    assert response.status_code == 302
    row = Appearance.objects.get()
    assert (row.kind, row.person_name, row.person_post, row.head_summoned) == ("head", "罗永强", "局长", True)
    body = client.get(url(case)).content.decode()
    assert "负责人出庭" in body and "罗永强（局长）" in body and "应当通知：涉及重大公共利益" in body


def test_a_defendant_records_its_own_delegated_appearance_with_the_explanation(case, held, agency_staff, inst, world):
    data = {
        "defendant": str(inst[CITY_AGENCY].uuid),
        "kind": "delegated",
        "person_name": "覃文斌",
        "person_post": "法规科科员",
        "explanation": pdf(),
    }
    response = client_for(agency_staff).post(appearance_url(case, held), data)
    assert response.status_code == 302
    row = Appearance.objects.get()
    assert row.kind == "delegated" and row.explanation
    link = f"/cases/{case.uuid}/hearings/{held.uuid}/appearances/{inst[CITY_AGENCY].uuid}/explanation/"
    detail = client_for(world["court_clerk"]).get(url(case)).content.decode()
    assert link in detail and "下载书面说明" in detail
    for user in (world["court_clerk"], agency_staff, world["gov_legal"], world["office"]):
        download = client_for(user).get(link)
        assert download.status_code == 200, user.username
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF
    for user in (world["env_staff"], world["justice_legal"], world["proc_staff"]):
        assert client_for(user).get(link).status_code == 404, user.username


def test_a_delegated_appearance_without_explanation_or_a_fake_scan_is_refused(case, held, agency_staff, inst):
    base = {"defendant": str(inst[CITY_AGENCY].uuid), "kind": "delegated", "person_name": "覃文斌"}
    client = client_for(agency_staff)
    response = client.post(appearance_url(case, held), base)
    assert response.status_code == 200
    assert response.context["form"].errors["explanation"] == ["委托工作人员出庭须上传加盖公章的书面说明。"]
    assert 'value="覃文斌"' in response.content.decode()
    fake = pdf(name="说明.pdf", content=b"<html><script>alert(1)</script></html>")
    response = client.post(appearance_url(case, held), {**base, "explanation": fake})
    assert response.context["form"].errors["explanation"] == ["书面说明只接受 PDF、PNG、JPEG 文件。"]
    response = client.post(appearance_url(case, held), {**base, "kind": "head", "person_post": ""})
    assert response.context["form"].errors["person_post"] == ["负责人出庭须填写职务。"]
    assert not Appearance.objects.exists()


def test_a_defendant_cannot_record_another_defendants_appearance(make_case, court_clerk, agency_staff, inst):
    two = make_case(defendants=(CITY_AGENCY, "柳州市生态环境局"))
    hearing = services.hearing_add(case=two, by=court_clerk, held_on=today())
    data = {"defendant": str(inst["柳州市生态环境局"].uuid), "kind": "none"}
    response = client_for(agency_staff).post(appearance_url(two, hearing), data)
    assert response.status_code == 200
    assert response.context["form"].errors["defendant"] == ["该单位不是本案被告。"]
    assert not Appearance.objects.exists()


def test_a_defendant_cannot_change_the_courts_summons_record(case, held, court_clerk, agency_staff, inst):
    services.appearance_record(
        hearing=held,
        by=court_clerk,
        defendant=inst[CITY_AGENCY],
        kind="none",
        head_summoned=True,
        summon_basis="must_public_concern",
    )
    client = client_for(agency_staff)
    page = client.get(appearance_url(case, held))
    assert "head_summoned" not in page.context["form"].fields
    data = {
        "defendant": str(inst[CITY_AGENCY].uuid),
        "kind": "head",
        "person_name": "罗永强",
        "person_post": "局长",
        "head_summoned": "",
        "summon_basis": "",
    }
    assert client.post(appearance_url(case, held), data).status_code == 302
    row = Appearance.objects.get()
    assert row.kind == "head" and row.head_summoned and row.summon_basis == "must_public_concern"


def test_appearance_of_a_future_hearing_is_a_message(case, court_clerk, inst):
    future = services.hearing_add(case=case, by=court_clerk, held_on=today() + dt.timedelta(days=7))
    response = client_for(court_clerk).post(
        appearance_url(case, future), {"defendant": str(inst[CITY_AGENCY].uuid), "kind": "none"}, follow=True
    )
    assert "庭审尚未举行" in " ".join(messages_of(response))
    assert not Appearance.objects.exists()


def test_appearance_page_answers_404_to_outsiders_and_403_to_readers(case, held, outsider_agency, world, inst):
    data = {"defendant": str(inst[CITY_AGENCY].uuid), "kind": "none"}
    assert client_for(outsider_agency).post(appearance_url(case, held), data).status_code == 404
    assert client_for(world["gov_legal"]).post(appearance_url(case, held), data).status_code == 403
    assert client_for(world["auditor"]).post(appearance_url(case, held), data).status_code == 403
    assert (
        client_for(world["court_clerk"])
        .get(url(case, "hearings/00000000-0000-0000-0000-000000000000/appearance/"))
        .status_code
        == 404
    )
    assert not Appearance.objects.exists()


# ----------------------------------------------------------------------------- conclusion


def test_conclude_then_mark_effective_then_record_performance(case, court_clerk, outcome):
    client = client_for(court_clerk)
    revoke = outcome("revoke")
    response = client.post(
        url(case, "conclude/"), {"outcome": revoke.pk, "concluded_on": "2026-05-06", "imposes_obligation": "yes"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "concluded" and case.imposes_obligation is True
    assert client.get(url(case, "conclude/"), follow=True).redirect_chain  # a wrong state: back to the case

    response = client.post(url(case, "effective/"), {"effective_on": "2026-05-25", "imposes_obligation": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "effective" and case.effective_on == D("2026-05-25")
    assert {"case.record_performance", "review.create"} <= verbs_shown(client_for(court_clerk).get(url(case)))

    response = client.post(url(case, "performance/"), {"performed_voluntarily": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.performed_voluntarily is True
    actions = list(
        AuditEntry.objects.filter(target_id=case.pk, action__startswith="case.").values_list("action", flat=True)
    )
    assert {"case.conclude", "case.effective", "case.performance"} <= set(actions)


def test_conclusion_errors_stay_beside_the_fields(case, court_clerk, outcome):
    client = client_for(court_clerk)
    response = client.post(url(case, "conclude/"), {"outcome": "", "concluded_on": ""})
    errors = response.context["form"].errors
    assert errors["outcome"] == ["请选择结案方式。"] and errors["concluded_on"] == ["请填写结案日期。"]
    response = client.post(
        url(case, "conclude/"),
        {"outcome": outcome("revoke").pk, "concluded_on": "2026-05-06", "effective_on": "2026-05-01"},
    )
    assert response.context["form"].errors["effective_on"] == ["生效日期不能早于结案日期（2026-05-06）。"]
    case.refresh_from_db()
    assert case.status == "pending" and case.outcome is None


def test_effective_and_performance_in_the_wrong_state_are_messages(case, court_clerk):
    client = client_for(court_clerk)
    response = client.post(url(case, "effective/"), {"effective_on": "2026-05-25"}, follow=True)
    assert "不能执行此操作" in " ".join(messages_of(response))
    response = client.post(url(case, "performance/"), {"performed_voluntarily": "yes"}, follow=True)
    assert "不能执行此操作" in " ".join(messages_of(response))
    case.refresh_from_db()
    assert case.status == "pending" and case.performed_voluntarily is None


def test_performance_of_a_judgment_without_obligation_is_a_conflict_message(case, court_clerk, outcome):
    services.case_conclude(
        case=case,
        by=court_clerk,
        outcome=outcome("revoke"),
        concluded_on=D("2026-05-06"),
        effective_on=D("2026-05-20"),
        imposes_obligation=False,
    )
    response = client_for(court_clerk).post(url(case, "performance/"), {"performed_voluntarily": "yes"}, follow=True)
    assert "未课以义务" in " ".join(messages_of(response))


@pytest.mark.parametrize("step", ["conclude/", "effective/", "performance/"])
def test_conclusion_steps_are_403_for_defendants_and_404_for_outsiders(
    case, step, agency_staff, outsider_agency, world
):
    assert client_for(agency_staff).get(url(case, step)).status_code == 403
    assert client_for(world["auditor"]).post(url(case, step), {}).status_code == 403
    assert client_for(outsider_agency).post(url(case, step), {}).status_code == 404


# ----------------------------------------------------------------------------- CSRF


def test_every_write_refuses_posts_without_csrf_token(case, held, court_clerk, inst, cause):
    client = client_for(court_clerk, enforce_csrf_checks=True)
    posts = {
        URL + "new/": form_data(inst, cause),
        url(case, "edit/"): form_data(inst, cause, number=case.number, summary="改"),
        url(case, "hearings/new/"): {"held_on": "2026-06-01"},
        appearance_url(case, held): {"defendant": str(inst[CITY_AGENCY].uuid), "kind": "none"},
        url(case, "conclude/"): {"outcome": "1", "concluded_on": "2026-05-06"},
        url(case, "effective/"): {"effective_on": "2026-05-25"},
        url(case, "performance/"): {"performed_voluntarily": "yes"},
    }
    for path, data in posts.items():
        assert client.post(path, data).status_code == 403, path
    assert AdministrativeCase.objects.count() == 1 and case.hearings.count() == 1
    assert not Appearance.objects.exists()


def test_every_page_is_for_signed_in_users_only(client, case, held):
    for path in (URL, URL + "export/", URL + "new/", url(case), url(case, "edit/"), appearance_url(case, held)):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), path


def test_defendant_choices_are_administrative_organs_only(court_clerk):
    form = client_for(court_clerk).get(URL + "new/").context["form"]
    kinds = set(form.fields["defendants"].queryset.values_list("kind", flat=True))
    assert kinds == {Institution.Kind.GOVERNMENT, Institution.Kind.AGENCY}
