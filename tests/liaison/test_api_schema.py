"""OpenAPI schema and its docs page: valid, complete, local assets, and CSP-clean."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/letters/{uuid}/sign/",
        "/api/v1/ledger/{uuid}/complete/",
        "/api/v1/calendar/deadline/",
        "/api/v1/auth/token/",
    ):
        assert path in text


def test_schema_needs_a_signed_in_user(agency_staff):
    assert Client().get("/api/v1/schema/").status_code in (401, 403)
    client = Client()
    client.force_login(agency_staff)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def _docs(user):
    client = Client()
    client.force_login(user)
    return client, client.get("/api/v1/docs/")


def test_docs_page_uses_only_local_assets(agency_staff):
    client, response = _docs(agency_staff)
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith(("/static/", "/api/v1/docs/")), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    assert "//" not in "".join(u.removeprefix("/") for u in urls)


def test_docs_page_runs_under_the_csp_without_inline_scripts(agency_staff):
    client, response = _docs(agency_staff)
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    # Every <script> is a file; the only inline element is the <style> carrying the nonce.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    nonce = re.search(r'<style nonce="([^"]+)">', html).group(1)
    assert f"'nonce-{nonce}'" in re.search(r"style-src ([^;]+)", csp).group(1)
    init = re.search(r'<script src="(/api/v1/docs/\?[^"]*script[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(init)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_docs_page_sends_anonymous_users_to_sign_in(world):
    response = Client().get("/api/v1/docs/")
    assert response.status_code in (302, 401, 403)
    assert "swagger-ui" not in response.content.decode()
