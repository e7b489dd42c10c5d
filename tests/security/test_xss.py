"""XSS (QUALITY.md item 4): payloads in every text field of the scenario never become markup.

The matrix scenario is rebuilt with each canary carrying the payloads; every page route
is rendered for a persona who may see the records, and the HTML is parsed: no script
element, event-handler attribute or javascript: URL may carry a payload. Every page
answers with a Content-Security-Policy header.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client

from . import policy, scenario
from .matrix import web_rows

pytestmark = pytest.mark.django_db

PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(1)</script>javascript:alert(1)'


class Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_script = False
        self.findings: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.in_script = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert(1)" in value:
                self.findings.append(f"<{tag} {name}={value[:40]}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.findings.append(f"<{tag} {name}={value[:40]}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.findings.append("<img src=x>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(1)" in data:
            self.findings.append(f"<script>{data[:40]}")


def test_payloads_in_text_fields_stay_text(world, monkeypatch):
    original = scenario.canary
    monkeypatch.setattr(scenario, "canary", lambda inst: original(inst) + PAYLOAD)
    objs = scenario.build(world)
    rows = web_rows()
    pages = findings = 0
    problems = []
    for pattern, _name, row in rows:
        if row.skip or "GET" not in row.methods:
            continue
        for target in row.targets:
            persona = next(
                (p for p in policy.PERSONAS if policy.visible(p, target) and policy.allowed(p, row.get_verb, target)),
                None,
            )
            if persona is None:
                continue
            kwargs = row.kwargs(objs[target][0]) if (row.kwargs and target) else {}
            url = "/" + pattern
            for key, value in kwargs.items():
                url = url.replace(f"<uuid:{key}>", str(value)).replace(f"<{key}>", str(value))
            client = Client()
            client.force_login(world[persona])
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            pages += 1
            if "Content-Security-Policy" not in response:
                problems.append(f"{url}: no Content-Security-Policy header")
            inspector = Inspector()
            inspector.feed(response.content.decode("utf-8", "replace"))
            findings += len(inspector.findings)
            problems += [f"{url} as {persona}: {f}" for f in inspector.findings]
    print(f"\nXSS: {pages} pages rendered with payloads in every text field, {findings} payloads became markup")
    assert pages > 30
    assert not problems, "\n".join(problems[:40])
