"""One lockout for every login path (page, API token, /admin/login/), keyed on the username so a
spray cannot lock out others; the client address counts only from a configured proxy header."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PASSWORD = settings.DEMO_PASSWORD
LIMIT = settings.LOGIN_MAX_FAILURES
PROXY = "10.0.0.1"  # the reverse proxy: every request arrives from it


def page(username, password, **meta):
    return Client(REMOTE_ADDR=PROXY, **meta).post("/login/", {"username": username, "password": password})


def token(username, password, **meta):
    return APIClient(REMOTE_ADDR=PROXY, **meta).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def admin(username, password, **meta):
    client = Client(REMOTE_ADDR=PROXY, **meta)
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"})


def logged_in(path, response) -> bool:
    if path is token:
        return response.status_code == 200 and "token" in response.json()
    if path is admin:
        return response.status_code == 302 and response.url == "/admin/"
    return response.status_code == 302 and response.url == "/"


def locked(path, response) -> bool:
    if path is token:
        return response.status_code == 429 and "分钟" in response.json()["detail"]
    if path is admin:
        return response.status_code == 429 and "尝试次数过多" in response.content.decode()
    return response.status_code == 200 and "尝试次数过多" in response.content.decode()


PATHS = [page, token, admin]


def test_admin_login_locks_out_after_repeated_failures(world):
    for _ in range(LIMIT):
        assert not logged_in(admin, admin("admin", "wrong"))
    response = admin("admin", PASSWORD)
    assert locked(admin, response), response.status_code
    # and the lock holds on the other paths: no token for admin either
    assert locked(token, token("admin", PASSWORD))
    assert not Token.objects.filter(user__username="admin").exists()


@pytest.mark.parametrize("failing", PATHS, ids=lambda p: p.__name__)
def test_failures_on_any_path_lock_the_name_on_every_path(failing, world):
    for _ in range(LIMIT):
        assert not logged_in(failing, failing("county_head", "wrong"))
    for path in PATHS:
        response = path("county_head", PASSWORD)
        assert locked(path, response), (path.__name__, response.status_code)
        assert not logged_in(path, response)
    # another name is untouched
    assert logged_in(page, page("county_clerk", PASSWORD))


def test_admin_answers_unknown_and_known_names_alike(world):
    for name in ("admin", "no-such-admin"):
        for _ in range(LIMIT):
            admin(name, "wrong")
    known, unknown = admin("admin", "wrong"), admin("no-such-admin", "wrong")
    assert known.status_code == unknown.status_code == 429


def test_name_case_does_not_dodge_the_lock(world):
    for name in ("County_Head", "COUNTY_HEAD", "county_head ", "county_head", "cOunty_head"):
        page(name, "wrong")
    assert locked(page, page("county_head", PASSWORD))


def test_a_spray_from_the_proxy_address_locks_nobody_else(world):
    sprayed = [name for name in world if name != "county_head"] + [f"ghost{i}" for i in range(10)]
    for i in range(50):
        path = PATHS[i % 3]
        assert not logged_in(path, path(sprayed[i % len(sprayed)], "wrong"))
    for path in PATHS[:2]:
        assert logged_in(path, path("county_head", PASSWORD)), path.__name__


@pytest.fixture
def trusted_header(settings):
    settings.LOGIN_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    settings.LOGIN_ADDRESS_MAX_FAILURES = 20


def test_with_a_trusted_header_one_client_is_slowed_not_everyone(world, trusted_header):
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    names = [f"ghost{i}" for i in range(20)]
    for name in names:  # one failure per name: no name reaches its own limit
        page(name, "wrong", **attacker)
    # the attacking client is locked, whatever name it tries, on every path
    assert locked(page, page("county_head", PASSWORD, **attacker))
    assert locked(token, token("county_head", PASSWORD, **attacker))
    # a client that puts a made-up address first is still known by what the proxy appended
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    assert locked(page, page("county_head", PASSWORD, **forged))
    # county_head from their own desk, through the same proxy, logs in
    assert logged_in(page, page("county_head", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.44"))


def test_without_a_trusted_header_the_forwarded_address_is_ignored(world):
    for i in range(30):
        page(f"ghost{i}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert logged_in(page, page("county_head", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9"))


def test_lockout_expires_after_the_cool_off(world):
    import datetime as dt

    from axes.models import AccessAttempt

    for _ in range(LIMIT):
        page("county_head", "wrong")
    assert locked(page, page("county_head", PASSWORD))
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1)
    )
    assert logged_in(page, page("county_head", PASSWORD))
