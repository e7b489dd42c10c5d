"""The recorder the other browser tests rely on does notice what they assert is absent."""

import pytest

pytestmark = pytest.mark.browser


def test_recorder_notices_csp_violations_foreign_hosts_and_error_responses(login_as, live_server):
    page, recorder = login_as("court_clerk")
    assert not recorder.csp_errors() and not recorder.foreign_requests() and not recorder.bad_responses()

    # An inline script is refused by the portal's CSP (script-src 'self').
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__inline = 1"; document.body.appendChild(s); }"""
    )
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.__inline") is None
    assert any("script-src" in str(v) for v in recorder.csp_violations), recorder.csp_violations
    assert any("Content Security Policy" in m for m in recorder.console_errors), recorder.console_errors

    # A 404 of the portal's own is a bad response.
    page.goto(f"{live_server.url}/letters/00000000-0000-0000-0000-000000000000/")
    assert any(r.startswith("404 GET") for r in recorder.bad_responses()), recorder.bad_responses()

    # A navigation elsewhere is recorded as foreign (and aborted before it leaves the machine).
    page.route("http://portal-test.invalid/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/")
    with pytest.raises(Exception):  # noqa: B017, PT011 - the aborted navigation
        page.goto("http://portal-test.invalid/x")
    assert recorder.foreign_requests() == ["GET http://portal-test.invalid/x"]

    with pytest.raises(AssertionError, match="CSP violations"):
        recorder.assert_clean()
