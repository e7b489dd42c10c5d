"""Login page, logout, the layout every page shares (CSP, language, no inline code)."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.test import Client

from ._view_helpers import client_for

PASSWORD = settings.DEMO_PASSWORD


def post_login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_login_page_renders_in_chinese_with_csp(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "府院联动平台" in body
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp


def test_login_rotates_session_key_and_lands_on_dashboard(court_clerk):
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    response = post_login(client, "court_clerk", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == court_clerk.pk
    assert client.get("/").status_code == 200


def test_unknown_user_and_wrong_password_get_the_same_answer(court_clerk):
    wrong = post_login(Client(), "court_clerk", "not-the-password")
    unknown = post_login(Client(), "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert "用户名或密码错误" in wrong.content.decode()
    assert "用户名或密码错误" in unknown.content.decode()
    assert "_auth_user_id" not in Client().session


def test_lockout_after_max_failures_even_with_the_right_password(court_clerk):
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        post_login(client, "court_clerk", "wrong")
    failures = AccessAttempt.objects.filter(username="court_clerk").aggregate(n=Sum("failures_since_start"))["n"]
    assert failures == settings.LOGIN_MAX_FAILURES
    response = post_login(client, "court_clerk", PASSWORD)
    assert response.status_code == 200
    assert f"尝试次数过多，请 {settings.LOGIN_LOCKOUT_MINUTES} 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_answers_unknown_usernames_the_same_way(db):
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        post_login(client, "ghost", "wrong")
    assert "尝试次数过多" in post_login(client, "ghost", "wrong").content.decode()


def test_login_does_not_redirect_off_site(court_clerk):
    response = post_login(Client(), "court_clerk", PASSWORD, next="https://evil.example/")
    assert response.status_code == 302 and response.url == "/"
    response = post_login(Client(), "court_clerk", PASSWORD, next="/ledger/")
    assert response.url == "/ledger/"


def test_demo_accounts_listed_only_in_debug(court_clerk, settings):
    settings.DEBUG = False
    body = Client().get("/login/").content.decode()
    assert PASSWORD not in body and "court_clerk" not in body
    settings.DEBUG = True
    body = Client().get("/login/").content.decode()
    assert PASSWORD in body and "court_clerk" in body


def test_login_post_without_csrf_token_is_refused(court_clerk):
    client = Client(enforce_csrf_checks=True)
    assert post_login(client, "court_clerk", PASSWORD).status_code == 403


def test_logout_is_post_only_and_ends_the_session(court_clerk):
    client = client_for(court_clerk)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"
    assert client.get("/").status_code == 302


def test_anonymous_visitors_are_sent_to_login(db):
    for url in ["/", "/letters/inbox/", "/letters/outbox/", "/ledger/", "/inspections/", "/notifications/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/?next="), url


def test_language_switch_to_english(court_clerk):
    client = client_for(court_clerk)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Dashboard" in body


PAGES = ["/", "/letters/inbox/", "/letters/outbox/", "/letters/new/", "/ledger/", "/inspections/", "/notifications/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_csp_and_no_inline_script_or_style(court_clerk, url):
    response = client_for(court_clerk).get(url)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "inline <script>"
    assert not re.search(r"<style\b", body), "inline <style>"
    assert not re.search(r"\sstyle=", body), "style attribute"
    assert not re.search(r"\son[a-z]+=", body), "inline event handler"


def test_top_bar_shows_institution_name_and_unread_count(court_clerk):
    from liaison.services import notify

    notify(users=[court_clerk], kind="test", title="测试通知", key="t1")
    body = client_for(court_clerk).get("/").content.decode()
    assert court_clerk.institution.name in body
    assert court_clerk.display_name in body
    assert re.search(r'badge rounded-pill text-bg-danger">1<', body)
