"""The API docs page in a real browser: Swagger UI loads from local files, renders every
operation (it renders those near the viewport: the test scrolls through them all), runs "Try it out" with the session, and trips no Content-Security-Policy rule.

Marked `browser` (Debian's Chromium, `make test-browser`); deselected by default.
"""

import json

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp = window.__csp || [];
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def allow_sync_db(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_docs_page_works_under_the_csp(live_server, world, allow_sync_db):
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(world["agency_staff"])
    session = client.cookies["sessionid"].value
    schema = json.loads(client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content)
    expected = {
        f"operations-{op['tags'][0]}-{op['operationId']}" for path in schema["paths"].values() for op in path.values()
    }
    assert len(expected) > 100
    host = live_server.url.split("//", 1)[1].split(":")[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors, hosts = [], set()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=20000)
        # Swagger UI renders only the operations near the viewport: scroll through the page
        # and collect every operation it rendered on the way.
        rendered = set()
        while True:
            rendered |= set(page.eval_on_selector_all(".opblock", "els => els.map(e => e.id)"))
            if page.evaluate("innerHeight + scrollY >= document.body.scrollHeight - 2"):
                break
            page.mouse.wheel(0, 500)
            page.wait_for_timeout(50)
        assert rendered == expected
        operation = page.locator("#operations-calendar-calendar_deadline_retrieve")
        page.evaluate("scrollTo(0, 0)")
        while not operation.count():
            page.mouse.wheel(0, 300)
            page.wait_for_timeout(50)
        operation.click()
        operation.get_by_role("button", name="Try it out").click()
        operation.locator("input[placeholder=start]").fill("2026-01-31")
        operation.locator("input[placeholder=period]").fill("1")
        operation.get_by_role("button", name="Execute").click()
        page.wait_for_selector(".live-responses-table .response-col_status")
        assert "2026-02-02" in operation.locator(".live-responses-table").inner_text()
        violations = page.evaluate("window.__csp || []")
        browser.close()
    assert violations == []
    assert errors == []
    assert hosts == {live_server.url.split("//", 1)[1]}
