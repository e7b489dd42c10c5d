"""What the benchmark and the canary load share: personas with sessions, sample records, the URLs.

Run with DJANGO_SETTINGS_MODULE=bench.settings against a database filled by `seed_scale`.
"""

import http.client
import os
import platform
import subprocess

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from liaison.models import Delivery, Letter, User  # noqa: E402

HOST = os.environ.get("BENCH_HOST", "127.0.0.1")
PORT = int(os.environ.get("BENCH_PORT", "8400"))

OFFICE = "柳州市“一府两院”法治共建联动工作领导小组办公室"
# name: (institution, role). `office` oversees every region (the wide viewer); `agency` is a
# city department that sees only its own (the narrow viewer).
PERSONAS = {
    "office": (OFFICE, User.Role.OFFICE),
    "auditor": (OFFICE, User.Role.AUDITOR),
    "agency": ("柳州市城市管理行政执法局", User.Role.STAFF),
    "court": ("柳州市中级人民法院", User.Role.STAFF),
    "county_court": ("柳州市城中区人民法院", User.Role.STAFF),
    "proc": ("柳州市人民检察院", User.Role.STAFF),
    "gov": ("柳州市人民政府", User.Role.LEGAL),
    "county_gov": ("柳州市城中区人民政府", User.Role.LEGAL),
    "env": ("柳州市生态环境局", User.Role.STAFF),
}


def persona_user(name: str) -> User:
    inst, role = PERSONAS[name]
    user = (
        User.objects.filter(institution__name=inst, role=role, is_active=True)
        .order_by("-username")  # seed accounts (seed<id>-<role>) before demo ones
        .select_related("institution")
        .first()
    )
    if user is None:
        raise SystemExit(f"no account for {name} ({inst}, {role}): run manage.py seed_scale first")
    return user


def session_cookie(user: User) -> str:
    """A logged-in session for the user, written to the session store (no password needed)."""
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return f"{settings.SESSION_COOKIE_NAME}={s.session_key}"


# The proxy in front of gunicorn says the request came over HTTPS (no SSL redirect).
BASE_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}


def get(path: str, cookie: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes, dict]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, PORT, timeout=60)
    try:
        conn.request("GET", path, headers={**BASE_HEADERS, "Cookie": cookie})
        r = conn.getresponse()
        body = r.read()
        return r.status, body, dict(r.getheaders())
    finally:
        if own:
            conn.close()


def samples() -> dict:
    """Records the detail and download URLs use: visible to the persona that asks for them."""
    from cases.models import AdministrativeCase

    agency = persona_user("agency")
    case = AdministrativeCase.objects.order_by("-filed_on", "-id").first()
    delivery = (
        Delivery.objects.filter(recipient=agency.institution, letter__status=Letter.Status.ISSUED)
        .select_related("letter")
        .order_by("-id")
        .first()
    )
    return {"case": case, "letter": delivery.letter if delivery else None}


def data_size() -> dict:
    from cases.models import AdministrativeCase, Appearance, Hearing
    from suggestions.models import Suggestion

    return {
        "cases": AdministrativeCase.objects.count(),
        "defendant_links": AdministrativeCase.defendants.through.objects.count(),
        "hearings": Hearing.objects.count(),
        "appearances": Appearance.objects.count(),
        "suggestions": Suggestion.objects.count(),
        "letters": Letter.objects.count(),
        "deliveries": Delivery.objects.count(),
    }


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    with connection.cursor() as cur:
        cur.execute("select version()")
        db = cur.fetchone()[0].split(" on ")[0] if connection.vendor == "postgresql" else connection.vendor
    try:
        load = open("/proc/loadavg").read().split()[:3]
    except OSError:
        load = []
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "database": db,
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "load_average": load,
        "wrk": wrk.strip(),
    }


def endpoints(sample: dict) -> list[tuple[str, str, str]]:
    """(label, persona, path): every list page and endpoint the issue names, wide and narrow."""
    case, letter = sample["case"], sample["letter"]
    rows = [
        ("dashboard", "office", "/"),
        ("dashboard", "agency", "/"),
        ("/cases/ page", "office", "/cases/"),
        ("/cases/ page", "agency", "/cases/"),
        ("/cases/?q=公安 (keyword)", "office", "/cases/?q=%E5%85%AC%E5%AE%89"),
        ("/cases/?page=500 (deep)", "office", "/cases/?page=500"),
        ("/api/v1/cases/", "office", "/api/v1/cases/"),
        ("/api/v1/cases/", "agency", "/api/v1/cases/"),
        ("/api/v1/cases/?page=500 (deep)", "office", "/api/v1/cases/?page=500"),
        ("/suggestions/ page", "office", "/suggestions/"),
        ("/suggestions/ page", "agency", "/suggestions/"),
        ("/suggestions/?q=执法 (keyword)", "office", "/suggestions/?q=%E6%89%A7%E6%B3%95"),
        ("/suggestions/?page=300 (deep)", "office", "/suggestions/?page=300"),
        ("/api/v1/suggestions/", "office", "/api/v1/suggestions/"),
        ("/api/v1/suggestions/", "agency", "/api/v1/suggestions/"),
        ("/letters/inbox/ page", "office", "/letters/inbox/"),
        ("/letters/inbox/ page", "agency", "/letters/inbox/"),
        ("/letters/outbox/ page", "agency", "/letters/outbox/"),
        ("/api/v1/letters/", "office", "/api/v1/letters/"),
        ("/api/v1/letters/", "agency", "/api/v1/letters/"),
        ("/api/v1/letters/?page=200 (deep)", "office", "/api/v1/letters/?page=200"),
        # Narrow viewers deep in their lists and a court's wide list (counts and ids-first pages).
        ("/cases/ page", "court", "/cases/"),
        ("/cases/?page=51 (deep, narrow)", "agency", "/cases/?page=51"),
        ("/api/v1/cases/?page=51 (deep, narrow)", "agency", "/api/v1/cases/?page=51"),
        ("/cases/?page=last (deep)", "office", "/cases/?page=4000"),
        ("/api/v1/letters/?page=20 (deep, narrow)", "agency", "/api/v1/letters/?page=20"),
        ("/meetings/ page", "office", "/meetings/"),
        ("/meetings/ page", "agency", "/meetings/"),
        ("/api/v1/meetings/", "office", "/api/v1/meetings/"),
        ("/api/v1/indicators/ (city)", "office", "/api/v1/indicators/?level=city"),
        ("/api/v1/indicators/ (agency)", "agency", "/api/v1/indicators/"),
    ]
    if case is not None:
        rows.append(("case detail page", "office", f"/cases/{case.uuid}/"))
    if letter is not None:
        rows.append(("letter detail page", "agency", f"/letters/{letter.uuid}/"))
        rows.append(("letter PDF download", "agency", f"/letters/{letter.uuid}/pdf/"))
    return rows


CEILINGS = [("bare JsonResponse", "office", "/bench/bare-json/"), ("bare DRF list (50)", "office", "/bench/bare-drf/")]
