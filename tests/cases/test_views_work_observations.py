"""庭审观摩 and 判后评议 pages: lists, organising from a case, attendance per invited institution,
the review's six topics."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from cases import services
from cases.models import Observation, ObservationAttendance, Review

from ._work_helpers import body, bulk_observations, bulk_reviews, client_for, listed, queries_for, rows_of, today
from .conftest import CITY_AGENCY

OBS = "/cases/observations/"
REV = "/cases/reviews/"


def url(obj, action=""):
    base = OBS if isinstance(obj, Observation) else REV
    return f"{base}{obj.uuid}/{action + '/' if action else ''}"


def new(base, case):
    return f"{base}new/?case={case.uuid}"


@pytest.fixture
def case(make_case):
    return make_case()


@pytest.fixture
def observation(case, court_clerk, inst):
    return services.observation_create(
        case=case,
        by=court_clerk,
        held_on=today() - dt.timedelta(days=5),
        title="行政处罚案件庭审观摩",
        attendees=[(inst[CITY_AGENCY], 10)],
        procuratorate=inst["柳州市人民检察院"],
    )


def observation_data(inst, **changes):
    data = {
        "title": "征收补偿案件庭审观摩",
        "held_on": (today() + dt.timedelta(days=7)).isoformat(),
        "procuratorate": "",
        "institution_0": str(inst[CITY_AGENCY].uuid),
        "invited_0": "8",
        "institution_1": str(inst["柳州市生态环境局"].uuid),
        "invited_1": "3",
    }
    data.update(changes)
    return data


# ----------------------------------------------------------------------------- observation list


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "proc_staff", "office"])
def test_invited_parties_list_the_observation(observation, world, persona):
    response = client_for(world[persona]).get(OBS)
    assert [o.pk for o in listed(response)] == [observation.pk] and "已举行" in body(response)


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "gov_legal"])
def test_outsiders_list_no_observation(observation, world, persona):
    response = client_for(world[persona]).get(OBS)
    assert listed(response) == [] and observation.title not in body(response)


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "office"])
def test_observation_list_query_count_is_the_same_at_10_and_200_rows(world, inst, case, court_clerk, persona):
    agencies = [inst[CITY_AGENCY], inst["柳州市生态环境局"]]
    client = client_for(world[persona])
    bulk_observations(case, agencies, court_clerk, 10, prefix="甲")
    few, _r = queries_for(client, OBS, {"sort": "title"})
    bulk_observations(case, agencies, court_clerk, 190, prefix="乙")
    many, response = queries_for(client, OBS, {"sort": "title"})
    assert response.context["page"].paginator.count == 200 and few == many <= 12


def test_observation_filters_and_export(case, inst, court_clerk):
    bulk_observations(case, [inst[CITY_AGENCY]], court_clerk, 25, prefix="观摩")
    client = client_for(court_clerk)
    assert [o.title for o in listed(client.get(OBS, {"q": "观摩13"}))] == ["观摩13"]
    assert len(listed(client.get(OBS, {"q": case.number}))) == 25
    assert listed(client.get(OBS, {"held_from": "2000-01-01", "held_to": "2000-12-31"})) == []
    bad = client.get(OBS, {"held_from": "2026-02-30", "held_to": "x", "sort": "?"})
    assert bad.status_code == 200 and "已忽略此条件" in body(bad)
    header, rows = rows_of(client.get(OBS + "export/", {"q": "观摩1"}))
    assert header[0] == "名称" and len(rows) == Observation.objects.filter(title__startswith="观摩1").count()
    assert rows[0][6:] == (5, 3)


# ----------------------------------------------------------------------------- organising


def test_court_organises_an_observation_from_a_case(case, court_clerk, inst):
    client = client_for(court_clerk)
    pick = client.get(OBS + "new/", {"number": case.number.replace("（", "(").replace("）", ")")})
    assert pick.status_code == 302 and pick["Location"] == new(OBS, case)
    form = client.get(new(OBS, case))
    assert form.status_code == 200 and form.context["form"]["institution_0"].value() == inst[CITY_AGENCY].uuid
    response = client.post(new(OBS, case), observation_data(inst))
    o = Observation.objects.get()
    assert response.status_code == 302 and response["Location"] == url(o)
    assert sorted((a.institution.name, a.invited) for a in o.attendances.all()) == [
        ("柳州市城市管理行政执法局", 8),
        ("柳州市生态环境局", 3),
    ]


def test_the_case_picker_finds_only_visible_cases(court_clerk, county_clerk, make_case):
    other = make_case(by=county_clerk, number="（2026）桂0202行初3号")
    response = client_for(court_clerk).get(OBS + "new/", {"number": other.number})
    assert response.status_code == 200 and "number" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["agency_staff", "auditor", "office", "county_clerk"])
def test_only_the_cases_court_organises(case, world, inst, persona):
    client = client_for(world[persona])
    expected = 404 if persona == "county_clerk" else 403
    assert client.get(new(OBS, case)).status_code == expected
    assert client.post(new(OBS, case), observation_data(inst)).status_code == expected
    assert not Observation.objects.exists()


def test_a_foreign_or_malformed_case_is_404(case, outsider_agency, court_clerk):
    assert client_for(outsider_agency).get(new(OBS, case)).status_code == 404
    assert client_for(court_clerk).get(OBS + "new/?case=not-a-uuid").status_code == 404
    assert client_for(court_clerk).get(f"{OBS}new/?case={uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"held_on": "2026-01-01"}, "held_on"),  # before the case was filed
        ({"invited_0": ""}, "invited_0"),
        ({"invited_0": "-2"}, "invited_0"),
        ({"institution_1": str(uuid.UUID(int=9))}, "institution_1"),
        ({"institution_0": "", "institution_1": ""}, "attendees"),
        ({"institution_1": ""} | {"institution_2": "", "institution_0": ""}, "attendees"),
    ],
)
def test_bad_observation_is_refused_beside_the_field(case, court_clerk, inst, change, field):
    response = client_for(court_clerk).post(new(OBS, case), observation_data(inst, **change))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Observation.objects.exists()


def test_the_same_institution_twice_is_refused(case, court_clerk, inst):
    data = observation_data(inst, institution_1=str(inst[CITY_AGENCY].uuid))
    response = client_for(court_clerk).post(new(OBS, case), data)
    assert "attendees" in response.context["form"].errors and "同一单位不能重复邀请" in body(response)


def test_organising_needs_the_csrf_token(case, court_clerk, inst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    assert client.post(new(OBS, case), observation_data(inst)).status_code == 403
    assert not Observation.objects.exists()


# ----------------------------------------------------------------------------- detail, attendance


def test_detail_shows_the_invited_institutions_and_the_courts_action(observation, court_clerk, agency_staff):
    text = body(client_for(agency_staff).get(url(observation)))
    assert observation.title in text and CITY_AGENCY in text and "柳州市人民检察院" in text
    assert "登记实到人数…" not in text and "组织庭审观摩" in text
    assert "登记实到人数…" in body(client_for(court_clerk).get(url(observation)))


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "gov_legal"])
def test_observation_pages_are_404_for_outsiders(observation, world, persona):
    client = client_for(world[persona])
    assert client.get(url(observation)).status_code == 404
    assert client.get(url(observation, "attendance")).status_code == 404


def test_court_records_attendance_for_every_invited_institution(observation, court_clerk):
    client = client_for(court_clerk)
    form = client.get(url(observation, "attendance"))
    assert form.status_code == 200 and CITY_AGENCY in body(form)
    response = client.post(url(observation, "attendance"), {"attended_0": "7", "names_0": "张三、李四等"})
    assert response.status_code == 302
    row = ObservationAttendance.objects.get()
    assert (row.attended, row.names) == (7, "张三、李四等")
    assert "实到 7 人" in body(client.get(url(observation)))  # the timeline


def test_bad_attendance_is_refused_and_nothing_is_saved(observation, court_clerk):
    response = client_for(court_clerk).post(url(observation, "attendance"), {"attended_0": "-1", "names_0": "x"})
    assert response.status_code == 200 and "attended_0" in response.context["form"].errors
    assert ObservationAttendance.objects.get().attended == 0


@pytest.mark.parametrize("persona", ["agency_staff", "proc_staff", "auditor"])
def test_only_the_court_records_attendance(observation, world, persona):
    client = client_for(world[persona])
    assert client.get(url(observation, "attendance")).status_code == 403
    assert client.post(url(observation, "attendance"), {"attended_0": "3"}).status_code == 403
    assert ObservationAttendance.objects.get().attended == 0


def test_attendance_before_the_hearing_is_a_message(case, court_clerk, inst):
    future = services.observation_create(
        case=case,
        by=court_clerk,
        held_on=today() + dt.timedelta(days=3),
        title="将来的观摩",
        attendees=[(inst[CITY_AGENCY], 2)],
    )
    response = client_for(court_clerk).get(url(future, "attendance"), follow=True)
    assert "观摩尚未举行" in body(response)


def test_attendance_needs_the_csrf_token(observation, court_clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    assert client.post(url(observation, "attendance"), {"attended_0": "3"}).status_code == 403
    assert ObservationAttendance.objects.get().attended == 0


# ----------------------------------------------------------------------------- reviews


@pytest.fixture
def effective(effective_case):
    return effective_case()


def review_data(inst, **changes):
    data = {
        "held_on": (today() - dt.timedelta(days=1)).isoformat(),
        "participants": [str(inst[CITY_AGENCY].uuid), str(inst["柳州市人民检察院"].uuid)],
        "act_problems": "送达程序不规范。",
        "litigation_work": "答辩举证及时。",
    }
    data.update(changes)
    return data


@pytest.fixture
def review(effective, court_clerk, inst):
    return services.review_create(
        case=effective,
        by=court_clerk,
        held_on=today() - dt.timedelta(days=2),
        participants=[inst[CITY_AGENCY]],
        act_problems="程序问题。",
        social_impact="社会关注度高。",
    )


def test_court_records_a_review_on_the_six_topics(effective, court_clerk, inst):
    client = client_for(court_clerk)
    form = client.get(new(REV, effective))
    assert form.status_code == 200
    text = body(form)
    for label in (
        "涉案行政行为存在的问题",
        "行政机关的应诉工作",
        "执法司法的风险防范",
        "人民法院的庭审活动规范",
        "行政争议的实质化解",
        "涉案纠纷的社会影响",
    ):
        assert label in text
    response = client.post(new(REV, effective), review_data(inst))
    r = Review.objects.get()
    assert response["Location"] == url(r)
    assert {i.name for i in r.participants.all()} == {CITY_AGENCY, "柳州市人民检察院"}


def test_a_review_before_the_judgment_is_effective_is_a_message(case, court_clerk, inst):
    response = client_for(court_clerk).get(new(REV, case), follow=True)
    assert "判决生效后才能组织判后评议" in body(response) and not Review.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"participants": []}, "participants"),
        ({"act_problems": "", "litigation_work": ""}, None),  # at least one topic
        ({"held_on": "2026-05-01"}, "held_on"),  # before the judgment took effect
    ],
)
def test_bad_review_is_refused(effective, court_clerk, inst, change, field):
    response = client_for(court_clerk).post(new(REV, effective), review_data(inst, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (field in errors) if field else ("__all__" in errors and "请至少填写一项评议内容" in body(response))
    assert "送达程序不规范" in body(response) or change.get("act_problems") == ""  # input kept
    assert not Review.objects.exists()


@pytest.mark.parametrize("persona", ["agency_staff", "auditor", "proc_staff"])
def test_only_the_court_records_reviews(effective, world, inst, persona):
    client = client_for(world[persona])
    expected = 404 if persona == "proc_staff" else 403  # the procuratorate does not see this case
    assert client.get(new(REV, effective)).status_code == expected
    assert client.post(new(REV, effective), review_data(inst)).status_code == expected
    assert not Review.objects.exists()


def test_review_needs_the_csrf_token(effective, court_clerk, inst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(court_clerk)
    assert client.post(new(REV, effective), review_data(inst)).status_code == 403
    assert not Review.objects.exists()


def test_review_detail_and_list(review, agency_staff):
    client = client_for(agency_staff)
    text = body(client.get(url(review)))
    assert "程序问题" in text and "社会关注度高" in text and "未评议" in text and review.case.number in text
    listing = client.get(REV)
    assert [r.pk for r in listed(listing)] == [review.pk] and "2 / 6 项" in body(listing)


@pytest.mark.parametrize("persona", ["env_staff", "justice_legal", "proc_staff"])
def test_review_pages_are_404_for_outsiders(review, world, persona):
    client = client_for(world[persona])
    assert client.get(url(review)).status_code == 404
    assert listed(client.get(REV)) == []


@pytest.mark.parametrize("persona", ["court_clerk", "agency_staff", "office"])
def test_review_list_query_count_is_the_same_at_10_and_200_rows(world, inst, effective, court_clerk, persona):
    participants = [inst[CITY_AGENCY], inst["柳州市人民检察院"]]
    client = client_for(world[persona])
    bulk_reviews(effective, participants, court_clerk, 10)
    few, _r = queries_for(client, REV, {"sort": "case"})
    bulk_reviews(effective, participants, court_clerk, 190)
    many, response = queries_for(client, REV, {"sort": "case"})
    assert response.context["page"].paginator.count == 200 and few == many <= 12


def test_review_export(effective, inst, court_clerk):
    bulk_reviews(effective, [inst[CITY_AGENCY]], court_clerk, 12)
    header, rows = rows_of(client_for(court_clerk).get(REV + "export/", {"q": effective.number}))
    assert header[:3] == ("案号", "评议日期", "法院") and len(header) == 10 and len(rows) == 12
