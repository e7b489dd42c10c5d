import pytest


def test_a_missing_record_answers_a_portal_page_with_404(client, agency_staff):
    client.force_login(agency_staff)
    response = client.get("/letters/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或无权查看" in html and "favicon.svg" in html


def test_a_forbidden_action_answers_a_portal_page_with_403(client, auditor):
    client.force_login(auditor)
    response = client.get("/letters/new/")
    assert response.status_code == 403
    assert "您无权执行此操作" in response.content.decode()


# With DEBUG on (as `make run` starts the portal) Django would answer with its technical pages.


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = False
    return settings


def test_with_debug_on_an_unknown_url_answers_the_portal_page_not_the_url_list(client, agency_staff, debug_on):
    client.force_login(agency_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或无权查看" in html
    assert "URLconf" not in html and "letters/inbox/" not in html.split("portal-empty")[1]


def test_with_debug_on_a_missing_record_answers_the_portal_page(client, agency_staff, debug_on):
    client.force_login(agency_staff)
    response = client.get("/letters/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404 and "页面不存在或无权查看" in response.content.decode()


def test_with_debug_on_an_error_answers_the_portal_500_page(agency_staff, debug_on, monkeypatch):
    from django.test import Client

    from liaison import selectors

    def boom(user):
        raise RuntimeError("CANARY-traceback")

    monkeypatch.setattr(selectors, "dashboard", boom)
    client = Client(raise_request_exception=False)
    client.force_login(agency_staff)
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错，操作没有完成" in html and "CANARY-traceback" not in html and "Traceback" not in html


def test_the_api_keeps_its_json_404_with_debug_on(client, agency_staff, debug_on):
    client.force_login(agency_staff)
    response = client.get("/api/v1/letters/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_technical_pages_come_back_when_asked_for(client, agency_staff, debug_on):
    debug_on.TECHNICAL_ERROR_PAGES = True
    client.force_login(agency_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在或无权查看" not in response.content.decode()


def test_production_500_page_renders_with_the_portal_layout(rf, agency_staff):
    from liaison.views.common import server_error

    request = rf.get("/")
    request.user = agency_staff
    response = server_error(request)
    assert response.status_code == 500 and "系统出错" in response.content.decode()
