"""The suggestion list's 单位 (issuer or recipient) and 地区 filters, on the page and in the API: they
narrow the list, offer only the parties of suggestions the viewer may see, and refuse any other."""

import pytest

from ._view_helpers import client_for

URL = "/suggestions/"
API = "/api/v1/suggestions/"


@pytest.fixture
def three(make_suggestion, court_clerk, court_head, inst):
    """市中院 → 市城管局 (the agency persona), → 市生态环境局 (the outsider), → 城中区人民政府 (another region)."""
    return {
        "agency": make_suggestion(court_clerk, court_head, title="致城管局"),
        "outsider": make_suggestion(court_clerk, court_head, title="致生态环境局", recipient="柳州市生态环境局"),
        "county": make_suggestion(court_clerk, court_head, title="致城中区政府", recipient="柳州市城中区人民政府"),
    }


def _page(user, **params):
    response = client_for(user).get(URL, {"box": "all", **params})
    assert response.status_code == 200
    return response, {s.title for s in response.context["page"].object_list}


def test_the_office_narrows_by_institution_and_region(office, court_clerk, agency_staff, inst, three):
    _response, titles = _page(office)
    assert titles == {"致城管局", "致生态环境局", "致城中区政府"}
    assert _page(office, institution=str(agency_staff.institution.uuid))[1] == {"致城管局"}
    # issuer or recipient: the court is a party to all three
    assert _page(office, institution=str(court_clerk.institution.uuid))[1] == set(titles)
    response, titles = _page(office, region="chengzhong")
    assert titles == {"致城中区政府"}
    assert ("地区", "城中区") in response.context["listing"].described  # printed and exported with the list


def test_the_choices_are_the_parties_the_viewer_sees(office, agency_staff, outsider_agency, three):
    form = _page(agency_staff)[0].context["filters"]
    assert {i.name for i in form.fields["institution"].queryset} == {"柳州市中级人民法院", "柳州市城市管理行政执法局"}
    assert {r.code for r in form.fields["region"].queryset} == {"liuzhou"}
    office_form = _page(office)[0].context["filters"]
    assert "柳州市生态环境局" in {i.name for i in office_form.fields["institution"].queryset}
    assert {r.code for r in office_form.fields["region"].queryset} == {"liuzhou", "chengzhong"}


def test_an_institution_or_region_the_viewer_does_not_see_is_refused_and_leaks_nothing(
    agency_staff, outsider_agency, three
):
    for params in ({"institution": str(outsider_agency.institution.uuid)}, {"region": "chengzhong"}):
        response, titles = _page(agency_staff, **params)
        assert response.context["filters"].errors, params  # reported beside the field, and ignored
        assert titles == {"致城管局"}, params
        body = response.content.decode()
        assert "致生态环境局" not in body and "致城中区政府" not in body and "柳州市生态环境局" not in body


def test_the_api_takes_the_same_filters_and_answers_400_for_another_institution(
    api, office, agency_staff, outsider_agency, three
):
    def titles(client, **params):
        response = client.get(API, params)
        assert response.status_code == 200, response.content
        return {r["title"] for r in response.json()["results"]}

    client = api(office)
    assert titles(client, institution=str(outsider_agency.institution.uuid)) == {"致生态环境局"}
    assert titles(client, region="chengzhong") == {"致城中区政府"}
    client = api(agency_staff)
    assert titles(client, institution=str(agency_staff.institution.uuid)) == {"致城管局"}
    for params in ({"institution": str(outsider_agency.institution.uuid)}, {"region": "chengzhong"}, {"region": "x"}):
        response = client.get(API, params)
        assert response.status_code == 400 and set(response.json()) == set(params), params
        assert "致生态环境局" not in response.content.decode()
