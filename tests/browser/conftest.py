"""Browser tests: Playwright (pytest-playwright) driving Debian's Chromium against live_server.

Run with `make test-browser` (= `pytest -m browser tests/browser`); the default suite
deselects them. Nothing is downloaded: the browser is /usr/bin/chromium (apt-get install
chromium), never `playwright install`.

Every test here gets, per browser context (one context per login):
- a 1366×768 viewport, zh-CN locale, Asia/Shanghai time;
- a `Recorder` listening to console errors, uncaught page errors, CSP violations
  (`securitypolicyviolation` events, reported through an exposed binding) and every
  request/response, so a test can assert "no CSP errors, no foreign hosts, no 4xx/5xx";
- a Playwright trace, kept at test-artifacts/browser/<test>/trace-<n>.zip only when the
  test fails (open with `.venv/bin/playwright show-trace <zip>`).
Screenshots go to test-artifacts/browser/<test>/<step>.png (`shot(page, "step")`).
"""

import os
import re
import shutil
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
VIEWPORT = {"width": 1366, "height": 768}
HERE = Path(__file__).resolve().parent

# Reports `securitypolicyviolation` events of every document (init scripts are injected by
# the DevTools protocol, so the page's own CSP does not block this one).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__reportCspViolation({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber
  });
});
"""


# ----------------------------------------------------------------------------- marker


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/browser `browser` before `-m` deselects (so a new file
    without `pytestmark` still stays out of the default suite)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # WhiteNoise notes that STATIC_ROOT is not collected; the live server serves
            # static files from the finders.
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


_REPORTS = pytest.StashKey[dict]()


def _failed(node) -> bool:
    return any(r.failed for r in node.stash.get(_REPORTS, {}).values())


# ----------------------------------------------------------------------------- environment


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread, so Django's
    async-safety check would refuse the ORM calls of fixtures (`world`, the flush of the
    transactional DB). Set for the browser tests' session only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _live_server_serves_no_media():
    """The portal has MEDIA_URL = None (uploads and PDFs leave only through views that check
    access), but Django's live server wraps every request in a media-files handler that
    needs a string: urlparse(None) gives bytes and every request ends in a TypeError (500).
    A MEDIA_URL on another host makes that handler step aside (it never serves a URL with a
    netloc), and a page that wrongly linked to a media URL would show up as a foreign request.
    Enabled before `live_server` starts (autouse session fixtures come first)."""
    with override_settings(MEDIA_URL="http://media.invalid/"):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)")
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        # No smooth scrolling or fades (Bootstrap honours the preference): screenshots and
        # clicks see settled pages.
        "reduced_motion": "reduce",
    }


# ----------------------------------------------------------------------------- recorder


@dataclass
class Recorder:
    """What the pages of one browser context did."""

    origin: str
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)
    requests: list = field(default_factory=list)  # (method, url, resource_type)
    responses: list = field(default_factory=list)  # (status, method, url, resource_type)
    failed_requests: list = field(default_factory=list)  # (url, failure)

    def attach(self, context):
        context.expose_binding("__reportCspViolation", lambda _source, v: self.csp_violations.append(v))
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._on_console)
        context.on("weberror", lambda e: self.page_errors.append(str(e.error)))
        context.on("request", lambda r: self.requests.append((r.method, r.url, r.resource_type)))
        context.on(
            "response", lambda r: self.responses.append((r.status, r.request.method, r.url, r.request.resource_type))
        )
        context.on("requestfailed", lambda r: self.failed_requests.append((r.url, r.failure)))

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    # -- what tests assert

    def csp_errors(self) -> list:
        console = [m for m in self.console_errors if "Content Security Policy" in m or "Content-Security-Policy" in m]
        return console + [f"securitypolicyviolation {v}" for v in self.csp_violations]

    def foreign_requests(self) -> list:
        """Requests to anything but the live server (data: URIs of inline SVG are fine)."""
        foreign = []
        for method, url, _kind in self.requests:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != self.origin:
                foreign.append(f"{method} {url}")
        return foreign

    def bad_responses(self) -> list:
        """Same-origin responses with a 4xx/5xx status."""
        return [
            f"{status} {method} {url} ({kind})"
            for status, method, url, kind in self.responses
            if status >= 400 and url.startswith(self.origin + "/")
        ]

    def assert_clean(self):
        problems = {
            "CSP violations": self.csp_errors(),
            "console errors": self.console_errors,
            "uncaught page errors": self.page_errors,
            "requests to other hosts": self.foreign_requests(),
            "4xx/5xx responses": self.bad_responses(),
            "failed requests": [f"{u} {f}" for u, f in self.failed_requests],
        }
        problems = {k: v for k, v in problems.items() if v}
        assert not problems, "\n".join(f"{k}:\n  " + "\n  ".join(map(str, v)) for k, v in problems.items())


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ----------------------------------------------------------------------------- artifacts


@pytest.fixture
def artifacts_dir(request) -> Path:
    """test-artifacts/browser/<test name>/, emptied at the start of the test."""
    params = getattr(request.node, "callspec", None)
    params = [str(v) for k, v in (params.params.items() if params else []) if k != "browser_name"]
    name = re.sub(r"[^\w.-]+", "_", "-".join([request.node.originalname, *params])).strip("_")
    path = ARTIFACTS / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shot(artifacts_dir):
    """shot(page, "step") → a full-page PNG at test-artifacts/browser/<test>/<step>.png."""

    def take(page, step: str) -> Path:
        path = artifacts_dir / f"{step}.png"
        # From the top, unfocused: a full-page capture of a scrolled page draws the sticky top bar lower.
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# ----------------------------------------------------------------------------- pages


@pytest.fixture
def browser_page(new_context, live_server, artifacts_dir, request):
    """browser_page() → (page, recorder) in a fresh context (cookies of its own), traced.

    The trace of each context is written to artifacts_dir only if the test failed.
    """
    opened = []

    def open_page():
        context = new_context()
        recorder = Recorder(origin=_origin(live_server.url))
        recorder.attach(context)
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
        opened.append(context)
        return context.new_page(), recorder

    yield open_page

    keep = _failed(request.node)
    for n, context in enumerate(opened, start=1):
        try:
            if keep:
                context.tracing.stop(path=str(artifacts_dir / f"trace-{n}.zip"))
            else:
                context.tracing.stop()
        except Exception:  # noqa: BLE001 - a closed context has no trace to save
            pass


def login(page, live_server, username: str, password: str | None = None):
    """Sign in through the login form; returns after the redirect away from /login/."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page, f"{username} could not sign in").not_to_have_url(re.compile(r"/login/"))


@pytest.fixture
def login_as(browser_page, live_server, transactional_db, world):
    """login_as("court_clerk") → (page, recorder): a new browser context, signed in."""

    def open_as(username: str):
        assert username in world, f"no demo user {username!r}"
        page, recorder = browser_page()
        login(page, live_server, username)
        return page, recorder

    return open_as
