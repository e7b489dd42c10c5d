"""Issue 11, items 4, 6 and 7: long lists are refused before their items are resolved, deep JSON
and long searches are 400s, errors under /api/ are JSON, private answers are not cached."""

import json
import uuid

import pytest
from django.test import Client

from liaison.models import Letter

URL = "/api/v1/letters/"


def payload(addressees, **extra):
    return {"title": "关于协助调查的函", "body": "请予协助。", "addressees": addressees, **extra}


def post_json(client, url, body: str):
    return client.generic("POST", url, data=body, content_type="application/json")


# ----------------------------------------------------------------------------- item 4: list fields


def test_a_list_of_100000_items_is_refused_at_once(api, court_clerk, agency_staff, django_assert_max_num_queries):
    # the time it takes is printed by tests/reliability/test_attacks.py; here: no query per item
    items = [str(agency_staff.institution.uuid)] * 100_000
    with django_assert_max_num_queries(5):
        response = api(court_clerk).post(URL, payload(items), format="json")
    assert response.status_code == 400
    assert "addressees" in response.json()
    assert "100" in response.json()["addressees"][0]
    assert not Letter.objects.exists()


def test_list_items_resolve_in_one_query(api, court_clerk, world, django_assert_max_num_queries):
    # every item is checked, each error under its index, with one query for all of them
    institutions = [u.institution for u in world.values() if u.institution_id]
    good = list({str(i.uuid) for i in institutions})[:8]
    items = good + ["not-a-uuid", str(uuid.uuid4()), 42]
    with django_assert_max_num_queries(5):
        response = api(court_clerk).post(URL, payload(items), format="json")
    assert response.status_code == 400
    errors = response.json()["addressees"]
    assert set(errors) == {str(len(good)), str(len(good) + 1), str(len(good) + 2)}
    assert errors[str(len(good) + 1)] == ["不存在或无权访问。"]


def test_a_valid_list_still_creates_the_letter(api, court_clerk, agency_staff, gov_legal):
    response = api(court_clerk).post(
        URL, payload([str(agency_staff.institution.uuid)], cc=[str(gov_legal.institution.uuid).upper()]), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["cc"][0]["uuid"] == str(gov_legal.institution.uuid)


def test_duplicates_are_still_refused(api, court_clerk, agency_staff):
    items = [str(agency_staff.institution.uuid)] * 2
    response = api(court_clerk).post(URL, payload(items), format="json")
    assert response.status_code == 400 and "addressees" in response.json()


def test_a_string_is_not_a_list(api, court_clerk, agency_staff):
    response = api(court_clerk).post(URL, payload(str(agency_staff.institution.uuid)), format="json")
    assert response.status_code == 400 and "addressees" in response.json()


# ----------------------------------------------------------------------------- item 6: nesting, search


def test_deeply_nested_json_is_a_400(api, court_clerk):
    response = post_json(api(court_clerk), URL, "[" * 10_000 + "]" * 10_000)
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]
    response = post_json(api(court_clerk), URL, '{"title": ' + "[" * 100_000)
    assert response.status_code == 400
    # deeper than 32 but far from the recursion limit
    response = post_json(
        api(court_clerk),
        URL,
        json.dumps({"title": "x", "body": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}),
    )
    assert response.status_code == 400 and "嵌套" in response.json()["detail"]


def test_brackets_inside_strings_do_not_count(api, court_clerk, agency_staff):
    body = json.dumps(payload([str(agency_staff.institution.uuid)], title="[" * 150 + '"\\"{'))
    response = post_json(api(court_clerk), URL, body)
    assert response.status_code == 201, response.json()


def test_nan_is_not_json(api, court_clerk):
    assert post_json(api(court_clerk), URL, '{"title": NaN}').status_code == 400


def test_a_very_long_search_is_a_400(api, court_clerk):
    response = api(court_clerk).get(URL, {"search": "%" * 60_000})
    assert response.status_code == 400
    assert "search" in response.json()
    assert api(court_clerk).get(URL, {"search": "函"}).status_code == 200


# ----------------------------------------------------------------------------- item 7: consistency


@pytest.mark.parametrize("value", ["null", "0", "-1", "abc", "", "1.5"])
def test_a_bad_page_size_is_a_400(api, court_clerk, value):
    response = api(court_clerk).get(URL, {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_good_page_size_is_used_and_a_large_one_capped(api, court_clerk):
    assert api(court_clerk).get(URL, {"page_size": "10"}).status_code == 200
    assert api(court_clerk).get(URL, {"page_size": "5000"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/cases/0.5/", "/api/v1/letters/not-a-uuid/", "/api/v1/no-such-thing/"])
def test_unknown_api_paths_answer_json_404(api, court_clerk, path):
    response = api(court_clerk).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_unknown_pages_answer_the_portal_404_page(court_clerk):
    client = Client()
    client.force_login(court_clerk)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_oversized_api_body_answers_413_json(api, court_clerk, settings):
    settings.API_MAX_BODY_BYTES = 1024
    response = post_json(api(court_clerk), URL, json.dumps(payload([], body="正文" * 2000)))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_oversized_form_post_answers_413_page(court_clerk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client()
    client.force_login(court_clerk)
    response = client.post("/letters/new/", {"title": "x" * 5000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")


def test_logged_in_pages_exports_and_the_api_are_not_stored(api, court_clerk):
    client = Client()
    client.force_login(court_clerk)
    for url in ("/", "/letters/inbox/", "/ledger/export/", "/cases/clues/export/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    assert "no-store" in api(court_clerk).get(URL)["Cache-Control"]
    assert "no-store" in Client().get("/login/")["Cache-Control"]


def test_the_schema_enum_allows_the_blank_evaluation_the_api_returns(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("SuggestionList", "SuggestionDetail"):
        prop = schema["components"]["schemas"][name]["properties"]["evaluation"]
        assert {"$ref": "#/components/schemas/BlankEnum"} in prop["oneOf"], name
    assert schema["components"]["schemas"]["BlankEnum"]["enum"] == [""]
