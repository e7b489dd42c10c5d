"""English is complete: the catalogue has no untranslated entry and the main pages read in English.

User data (institution names, titles, case numbers, plaintiffs) stays Chinese; the checks look only
at what the templates and code say: the navigation (left nav and breadcrumbs on list pages), page
headings, and on detail pages the field labels, table headings and action buttons.
"""

import datetime as dt
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Ideographs only: full-width punctuation such as ：or （） in a template is not a missed translation.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")

PERSONAS = ["court_clerk", "agency_staff", "proc_staff", "office", "gov_legal"]
LIST_PAGES = ["/", "/letters/inbox/", "/letters/outbox/", "/ledger/", "/notifications/", "/suggestions/", "/cases/"]


# ----------------------------------------------------------------------------- the catalogue


def _unquote(s: str) -> str:
    return s[1:-1].encode("raw_unicode_escape").decode("unicode_escape") if s.startswith('"') else s


def po_entries(path=PO) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags (no obsolete entries)."""
    entries, cur, field = [], None, None

    def flush():
        if cur is not None and "msgid" in cur:
            entries.append(cur)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#~"):
            continue
        if not line:
            flush()
            cur, field = None, None
            continue
        if cur is None:
            cur = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            cur["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if field[0] == "msgstr":
                cur["msgstr"][field[1]] += value
            else:
                cur[field[0]] += value
        else:
            key, _, rest = line.partition(" ")
            m = re.fullmatch(r"msgstr\[(\d+)\]", key)
            if m:
                field = ("msgstr", int(m.group(1)))
                cur["msgstr"][field[1]] = _unquote(rest)
            elif key == "msgstr":
                field = ("msgstr", 0)
                cur["msgstr"][0] = _unquote(rest)
            else:
                field = (key, None)
                cur[key] = _unquote(rest)
    flush()
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


@pytest.fixture(scope="module")
def entries():
    return po_entries()


def test_every_catalogue_entry_has_an_english_translation(entries):
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


SOURCES = ["manage.py", "liaison", "cases", "suggestions", "meetings", "indicators", "templates"]


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed")
def test_every_msgid_in_the_code_and_templates_has_an_english_translation(tmp_path):
    """A msgid written in the code but never added to the catalogue is shown in Chinese to an
    English reader, and the catalogue's own checks above cannot see it: extract the msgids as
    makemessages does (in a copy, the project's catalogue untouched) and look them up."""
    root = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(root / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings", "PYTHONPATH": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = po_entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(extracted) > 1000
    missing = [
        e["msgid"] for e in extracted if "fuzzy" in e["flags"] or not all(s.strip() for s in e["msgstr"].values())
    ]
    assert not missing, "add these msgids with their English to locale/en/LC_MESSAGES/django.po:\n" + "\n".join(missing)


def test_plural_entries_give_both_english_forms(entries):
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals
    for e in plurals:
        assert sorted(e["msgstr"]) == [0, 1], e["msgid"]


def test_translations_keep_the_placeholders_of_the_chinese(entries):
    wrong = []
    for e in entries:
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for s in e["msgstr"].values():
            # A singular form may spell out the count ("1 item") only if the Chinese has none either.
            if sorted(PLACEHOLDER.findall(s)) != expected:
                wrong.append((e["msgid"], s))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file(entries):
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    missing = []
    for e in entries:
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            ok = all(catalog.get((key, n)) == s for n, s in e["msgstr"].items())
        else:
            ok = catalog.get(key) == e["msgstr"][0]
        if not ok:
            missing.append(e["msgid"])
    assert missing == [], "run manage.py compilemessages"


# ----------------------------------------------------------------------------- the pages


def english_client(user) -> Client:
    client = Client()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def _texts(html: str, pattern: str) -> list[str]:
    return [" ".join(TAG.sub(" ", m).split()) for m in re.findall(pattern, html, re.S)]


# The language switch names each language in itself.
LANGUAGE_NAMES = ["简体中文", "中文"]


def chinese_left(texts, data=()) -> list[str]:
    """The texts that still hold Chinese once the given user data (names, numbers, titles) is removed."""
    data = sorted({d for d in [*data, *LANGUAGE_NAMES] if d}, key=len, reverse=True)
    left = []
    for t in texts:
        for d in data:
            t = t.replace(d, "")
        if CJK.search(t):
            left.append(t)
    return left


def institution_names():
    from liaison.models import Institution

    return [n for pair in Institution.objects.values_list("name", "short_name") for n in pair]


def get_english(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


def _routed(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@pytest.mark.parametrize("persona", PERSONAS)
def test_main_pages_have_english_navigation_and_headings(world, persona):
    client = english_client(world[persona])
    for path in [p for p in LIST_PAGES if _routed(p)]:
        html = get_english(client, path)
        navs = _texts(html, r"<nav\b[^>]*>(.*?)</nav>")
        headings = _texts(html, r"<h1\b[^>]*>(.*?)</h1>")
        assert navs and headings, path
        assert chinese_left(navs) == [], path
        assert chinese_left(headings) == [], path
        aria = re.findall(r'aria-label="([^"]*)"', html)
        assert chinese_left(aria) == [], path


def test_the_language_choice_sticks_and_chinese_comes_back(world):
    client = english_client(world["office"])
    assert "Task ledger" in get_english(client, "/ledger/")
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = client.get("/ledger/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "工作台账" in html


def _labels(html: str) -> list[str]:
    """Field labels, column headings, section headings and action buttons of a detail page."""
    texts = []
    for pattern in (
        r"<dt\b[^>]*>(.*?)</dt>",
        r"<th\b[^>]*scope=\"col\"[^>]*>(.*?)</th>",
        r"<h2\b[^>]*>(.*?)</h2>",
        r"<button\b[^>]*>(.*?)</button>",
        r"<a\b[^>]*class=\"btn[^\"]*\"[^>]*>(.*?)</a>",
    ):
        texts += _texts(html, pattern)
    return texts


def test_a_suggestion_reads_in_english_for_its_issuer_and_recipient(world, inst):
    from suggestions import services
    from suggestions.models import Suggestion

    court_clerk, court_head, agency_staff = world["court_clerk"], world["court_head"], world["agency_staff"]
    s = services.suggestion_create(
        by=court_clerk,
        recipient=inst["柳州市城市管理行政执法局"],
        title="关于规范行政执法程序的建议",
        problem="执法文书送达程序不规范。",
        recommendations="完善送达程序，加强执法人员培训。",
    )
    data = [*institution_names(), s.title, str(court_clerk), str(court_head)]
    for user in (court_clerk, court_head):
        html = get_english(english_client(user), f"/suggestions/{s.uuid}/")
        assert "Judicial suggestion" in html
        assert chinese_left(_labels(html), data) == []
    services.suggestion_submit(suggestion=s, by=court_clerk)
    services.suggestion_approve(suggestion=s, by=court_head)
    services.suggestion_issue(suggestion=s, by=court_head)
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ISSUED
    client = english_client(agency_staff)
    html = get_english(client, f"/suggestions/{s.uuid}/")
    assert chinese_left(_labels(html), [*data, s.letter.doc_number]) == []
    html = get_english(client, f"/suggestions/{s.uuid}/receive/")
    assert "Signing for it cannot be undone." in html


@pytest.mark.skipif(not _routed("/cases/"), reason="the cases pages are not routed")
def test_a_case_reads_in_english_for_the_court_and_the_defendant(world, inst):
    from cases import services
    from cases.models import Cause

    case = services.case_create(
        by=world["court_clerk"],
        number="（2026）桂02行初901号",
        instance="first",
        cause=Cause.objects.get(name="行政处罚"),
        plaintiffs="张三\n李四",
        defendants=[inst["柳州市城市管理行政执法局"]],
        filed_on=dt.date(2026, 3, 2),
        major_category="land_expropriation",
    )
    services.hearing_add(case=case, by=world["court_clerk"], held_on=dt.date(2026, 4, 1), court_room="第三审判庭")
    data = [*institution_names(), case.number, "张三", "李四", "行政处罚", "第三审判庭"]
    for persona in ("court_clerk", "agency_staff"):
        client = english_client(world[persona])
        html = get_english(client, f"/cases/{case.uuid}/")
        assert "First instance" in html
        assert "Major case" in html
        assert "Administrative penalty" in html  # a seeded 案由 reads in English; the stored name stays 行政处罚
        # Punctuation between values is ASCII in English (full-width only in Chinese).
        assert "Cause of action: Administrative penalty" in html
        assert chinese_left(_labels(html), data) == [], persona
        html = get_english(client, "/cases/")
        assert "Administrative cases" in html
        assert "Case number" in html


def test_one_chinese_word_with_two_meanings_has_one_english_for_each():
    """待反馈 is opinions awaited on a legal review but feedback awaited on an enforcement
    assignment; a timeline's 签发 is an event (Issued), a button's an action (Issue)."""
    from django.utils import translation

    from cases.flows import ENFORCEMENT_FLOW
    from liaison.selectors import ACTION_LABELS
    from meetings.models import ReviewInvitation

    with translation.override("en"):
        assert str(ReviewInvitation.Status.PENDING.label) == "Awaiting opinions"
        assert str(ENFORCEMENT_FLOW.transitions["enforcement.feedback"].todo) == "Awaiting feedback"
        assert str(ACTION_LABELS["letter.issue"]) == "Issued"
        assert str(ACTION_LABELS["delivery.sign"]) == "Signed for"
