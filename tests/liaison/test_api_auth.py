"""/api/v1/auth/: token login with the shared lockout, token and session authentication."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = settings.DEMO_PASSWORD


def obtain(username, password, **extra):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def test_token_for_good_credentials_authenticates_later_requests(agency_staff):
    response = obtain("agency_staff", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=agency_staff).key == token
    client = APIClient()
    assert client.get("/api/v1/letters/").status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/letters/").status_code == 200
    # Token requests are not subject to CSRF: they carry no ambient credential.
    assert client.post("/api/v1/notifications/read-all/").status_code == 200


def test_same_answer_for_unknown_user_and_wrong_password(world):
    wrong = obtain("agency_staff", "wrong-password")
    unknown = obtain("nobody-here", "wrong-password")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert "token" not in wrong.json()


def test_missing_fields_are_field_errors(world):
    response = APIClient().post(TOKEN_URL, {"username": "agency_staff"}, format="json")
    assert response.status_code == 400 and "password" in response.json()
    response = APIClient().post(TOKEN_URL, "garbage", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("username", ["agency_staff", "no_such_user"])
def test_lockout_after_repeated_failures_even_with_the_right_password(username, world):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert obtain(username, "wrong").status_code == 400
    locked = obtain(username, PASSWORD)
    assert locked.status_code == 429
    assert "分钟" in locked.json()["detail"]
    assert not Token.objects.filter(user__username=username).exists()


def test_success_clears_earlier_failures(world):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        obtain("agency_staff", "wrong")
    assert obtain("agency_staff", PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username="agency_staff").exists()


def test_inactive_user_gets_the_same_answer(agency_staff):
    agency_staff.is_active = False
    agency_staff.save(update_fields=["is_active"])
    assert obtain("agency_staff", PASSWORD).json() == obtain("nobody-here", "x").json()


def test_logout_deletes_the_token(agency_staff):
    token = obtain("agency_staff", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert not Token.objects.filter(key=token).exists()
    assert client.get("/api/v1/letters/").status_code in (401, 403)


def test_session_logout_needs_csrf(agency_staff):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(agency_staff)
    assert client.post("/api/v1/auth/logout/").status_code == 403
    assert client.get("/api/v1/letters/").status_code == 200


def test_anonymous_requests_are_refused(world):
    client = APIClient()
    for url in (
        "/api/v1/letters/",
        "/api/v1/ledger/",
        "/api/v1/institutions/",
        "/api/v1/notifications/",
        "/api/v1/schema/",
    ):
        assert client.get(url).status_code in (401, 403), url
    assert client.post("/api/v1/letters/", {}, format="json").status_code in (401, 403)


def test_password_change_revokes_api_tokens(agency_staff):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=agency_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/letters/").status_code == 200
    agency_staff.set_password("A-new-password-2026")
    agency_staff.save()
    assert not Token.objects.filter(user=agency_staff).exists()
    assert client.get("/api/v1/letters/").status_code == 401
