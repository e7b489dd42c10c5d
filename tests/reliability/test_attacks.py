"""The attacks of issue 11, kept fixed: each prints its figure (status, time, memory growth).

- the import bombs: each refused in under 2 s with the process growing by less than 50 MB;
- the lockout spray: 50 failures from one address against other users' names leave county_head
  able to log in; 6 attempts at one name are refused on page, token and admin alike;
- a 100,000-item list, a 10,000-deep JSON body, a 60,000-character search, a non-uuid API path
  and an oversized body: 4xx JSON under /api/, never 5xx.

Run with `make test-reliability` (marker `slow`)."""

import gc
import json
import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from cases import importer
from tests.cases import bombs

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

MB = 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


class Measured:
    """Wall time and peak RSS growth (sampled every 5 ms) of the block."""

    def __enter__(self):
        gc.collect()
        self.before = self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self.started = time.monotonic()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.started
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())
        self.growth_mb = (self.peak - self.before) / MB
        return False


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


BOMBS = {**bombs.ALL, "540 MB inflating cell (526 KB file)": bombs.ALL["540 MB inflating cell"]}
BOMBS.pop("540 MB inflating cell")


@pytest.mark.parametrize("name", list(BOMBS))
def test_import_bomb_is_refused_fast_and_small(name, court_clerk, api):
    data = BOMBS[name]()
    with Measured() as m:
        with pytest.raises(ValidationError) as exc:
            importer.preview(user=court_clerk, file=data, keep=True)
    [message] = exc.value.message_dict["file"]
    response = api(court_clerk).post(
        "/api/v1/cases/import/", {"file": SimpleUploadedFile("案件清单.xlsx", data)}, format="multipart"
    )
    print(
        f"\nimport bomb {name}: {len(data):,} bytes, refused in {m.seconds:.3f} s, "
        f"RSS +{m.growth_mb:.1f} MB; API {response.status_code} {response['Content-Type']}; «{message[:40]}…»"
    )
    assert m.seconds < 2, m.seconds
    assert m.growth_mb < 50, m.growth_mb
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")


def _page(username, password, address):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def _token(username, password, address):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def _admin(username, password, address):
    return Client(REMOTE_ADDR=address).post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}
    )


def test_lockout_spray_locks_nobody_else_and_one_name_everywhere(world):
    proxy = "10.0.0.1"
    names = [n for n in world if n != "county_head"] + [f"ghost{i}" for i in range(10)]
    paths = [_page, _token, _admin]
    statuses = []
    with Measured() as m:
        for i in range(50):
            statuses.append(paths[i % 3](names[i % len(names)], "wrong-password", proxy).status_code)
    page = _page("county_head", settings.DEMO_PASSWORD, proxy)
    token = _token("county_head", settings.DEMO_PASSWORD, proxy)
    print(
        f"\nlockout spray: 50 failures from {proxy} over {len(set(names[:50]))} names in {m.seconds:.1f} s "
        f"(answers {sorted(set(statuses))}); county_head then: page {page.status_code} → {page.get('Location')}, "
        f"token {token.status_code}"
    )
    assert page.status_code == 302 and page["Location"] == "/"
    assert token.status_code == 200 and "token" in token.json()

    for _ in range(settings.LOGIN_MAX_FAILURES):
        _page("county_clerk", "wrong-password", proxy)
    sixth = {
        "page": _page("county_clerk", settings.DEMO_PASSWORD, proxy),
        "token": _token("county_clerk", settings.DEMO_PASSWORD, proxy),
        "admin": _admin("county_clerk", settings.DEMO_PASSWORD, proxy),
    }
    print(
        f"lockout: {settings.LOGIN_MAX_FAILURES} failures for county_clerk, then the right password: "
        + ", ".join(f"{k} {r.status_code}" for k, r in sixth.items())
    )
    assert "尝试次数过多" in sixth["page"].content.decode() and sixth["page"].status_code == 200
    assert sixth["token"].status_code == 429
    assert sixth["admin"].status_code == 429


def _api_attack(client, how, url, **kwargs):
    with Measured() as m:
        if how == "generic":
            response = client.generic(kwargs.pop("method"), url, **kwargs)
        else:
            response = getattr(client, how)(url, **kwargs)
    return response, m


def test_api_attacks_answer_4xx_json(api, court_clerk, agency_staff):
    client = api(court_clerk)
    uid = str(agency_staff.institution.uuid)
    big_list = json.dumps({"title": "函", "body": "正文", "addressees": [uid] * 100_000})
    attacks = {
        "100,000-item addressees": (
            "generic",
            "/api/v1/letters/",
            {"method": "POST", "data": big_list, "content_type": "application/json"},
        ),
        "10,000 nested [": (
            "generic",
            "/api/v1/letters/",
            {"method": "POST", "data": "[" * 10_000 + "]" * 10_000, "content_type": "application/json"},
        ),
        "60,000-character search": ("get", "/api/v1/letters/", {"data": {"search": "%" * 60_000}}),
        "non-uuid path": ("get", "/api/v1/cases/0.5/", {}),
        "page_size=null": ("get", "/api/v1/letters/", {"data": {"page_size": "null"}}),
        "6 MB body": (
            "generic",
            "/api/v1/letters/",
            {"method": "POST", "data": '{"title": "' + "x" * (6 * MB) + '"}', "content_type": "application/json"},
        ),
    }
    for name, (method, url, kwargs) in attacks.items():
        if method == "generic":
            kwargs = dict(kwargs)
            response, m = _api_attack(client, "generic", url, method=kwargs.pop("method"), **kwargs)
        else:
            response, m = _api_attack(client, method, url, **kwargs)
        print(
            f"\nAPI attack {name}: {response.status_code} {response['Content-Type']} in {m.seconds:.3f} s, "
            f"RSS +{m.growth_mb:.1f} MB"
        )
        assert 400 <= response.status_code < 500, (name, response.status_code)
        assert response["Content-Type"].startswith("application/json"), name
        response.json()
