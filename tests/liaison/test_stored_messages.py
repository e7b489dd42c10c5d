"""Notification and ledger titles are stored as msgid + parameters and shown in the reader's language."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from liaison import i18n, services
from liaison.i18n import Msg
from liaison.models import LedgerEntry, Letter, Notification

from ._view_helpers import client_for


def english(user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_message_keeps_its_msgid_and_translates_when_shown():
    msg = Msg(gettext_noop("待签发：%(t)s"), t="关于规范执法的函")
    assert msg.as_json() == {"msgid": "待签发：%(t)s", "params": {"t": "关于规范执法的函"}}
    with translation.override("en"):
        assert str(msg) == "Awaiting sign-off: 关于规范执法的函"
        # Stored in the site's language whatever the request's language.
        assert msg.stored() == "待签发：关于规范执法的函"
    with translation.override("zh-hans"):
        assert str(msg) == "待签发：关于规范执法的函"


def test_choice_labels_and_nested_messages_are_translated_when_shown(world):
    from suggestions.models import Suggestion

    s = Suggestion(kind=Suggestion.Kind.JUDICIAL)
    with translation.override("en"):
        # Created while English is active: still stored as the msgid, not today's English.
        msg = Msg(gettext_noop("回复%(k)s %(n)s"), k=i18n.label(s, "kind"), n="柳中法建〔2026〕2号")
    assert msg.params["k"] == {"msgid": "司法建议", "params": {}}
    outer = Msg(gettext_noop("催办：%(t)s（截止 %(d)s）"), t=msg, d=dt.date(2026, 12, 9))
    with translation.override("en"):
        assert str(outer) == "Reminder: Reply to Judicial suggestion 柳中法建〔2026〕2号 (due 2026-12-09)"
    assert outer.stored() == "催办：回复司法建议 柳中法建〔2026〕2号（截止 2026-12-09）"


def test_a_datetime_parameter_reads_in_each_language():
    msg = Msg(
        gettext_noop("会议通知：%(t)s（%(w)s）"), t="联席会议", w=timezone.make_aware(dt.datetime(2026, 12, 9, 9, 30))
    )
    assert msg.stored() == "会议通知：联席会议（2026年12月9日 09:30）"
    with translation.override("en"):
        assert str(msg) == "Meeting notice: 联席会议 (2026-12-09 09:30)"


def test_a_translation_that_does_not_fit_its_parameters_falls_back():
    assert i18n.render({"msgid": "待签发：%(t)s", "params": {}}, "旧标题") == "待签发：%(t)s"
    assert i18n.render({"msgid": "未知：%(x)s", "params": {"y": 1}}, "旧标题") == "旧标题"
    assert i18n.render({}, "旧标题") == "旧标题"


def test_notification_shows_in_english_and_keeps_chinese_title(agency_staff):
    services.notify(
        users=[agency_staff], kind="t", title=Msg(gettext_noop("待签发：%(t)s"), t="关于规范执法的函"), key="k1"
    )
    n = Notification.objects.get(key="k1")
    assert n.title == "待签发：关于规范执法的函"
    assert n.message["msgid"] == "待签发：%(t)s"
    client = english(agency_staff)
    assert "Awaiting sign-off: 关于规范执法的函" in client.get("/notifications/").content.decode()
    assert "Awaiting sign-off: 关于规范执法的函" in client.get("/").content.decode()
    api = client.get("/api/v1/notifications/").json()
    assert api["results"][0]["title"] == "Awaiting sign-off: 关于规范执法的函"
    assert "待签发：关于规范执法的函" in client_for(agency_staff).get("/notifications/").content.decode()


def test_a_row_written_before_keeps_its_stored_title(agency_staff):
    services.notify(users=[agency_staff], kind="t", title="到期提醒：答复司法建议", key="old")
    n = Notification.objects.get(key="old")
    assert n.message == {}
    assert "到期提醒：答复司法建议" in english(agency_staff).get("/notifications/").content.decode()


def test_ledger_entry_from_a_service_reads_in_english_on_page_api_and_export(world, inst, court_clerk, agency_staff):
    from suggestions.models import Suggestion

    s = Suggestion(kind=Suggestion.Kind.JUDICIAL)
    entry = services.ledger_open(
        owner=agency_staff.institution,
        title=Msg(gettext_noop("回复%(k)s %(n)s"), k=i18n.label(s, "kind"), n="柳中法建〔2026〕2号"),
        start_date=timezone.localdate(),
        period=60,
    )
    assert entry.title == "回复司法建议 柳中法建〔2026〕2号"
    client = english(agency_staff)
    english_title = "Reply to Judicial suggestion 柳中法建〔2026〕2号"
    assert english_title in client.get("/ledger/").content.decode()
    assert english_title in client.get(entry.get_absolute_url()).content.decode()
    assert client.get(f"/api/v1/ledger/{entry.uuid}/").json()["title"] == english_title
    export = client.get("/ledger/export/")
    assert export.status_code == 200

    import io

    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
    assert english_title in cells
    # The Chinese page and search still use the stored title.
    assert entry.title in client_for(agency_staff).get("/ledger/?q=回复司法建议").content.decode()


def test_the_sweep_names_the_entry_in_the_readers_language(world, agency_staff):
    entry = services.ledger_open(
        owner=agency_staff.institution,
        title=Msg(gettext_noop("办理%(s)s移送的违法线索"), s="市检察院"),
        start_date=timezone.localdate() - dt.timedelta(days=40),
        period=10,
    )
    services.ledger_sweep()
    n = Notification.objects.get(user=agency_staff, key=f"ledger.overdue:{entry.uuid}")
    assert n.title.endswith("办理市检察院移送的违法线索")
    with translation.override("en"):
        assert n.display_title.endswith(
            "days overdue: 柳州市城市管理行政执法局 Handle the lead on a violation transferred by 市检察院"
        ) or (
            "days overdue:" in n.display_title
            and n.display_title.endswith("Handle the lead on a violation transferred by 市检察院")
        )


def test_letter_submit_stores_the_msgid_even_from_an_english_request(world, court_clerk):
    letter = services.letter_create(
        by=court_clerk, title="关于规范执法的函", body="正文", addressees=[world["agency_staff"].institution]
    )
    with translation.override("en"):
        services.letter_submit(letter=letter, by=court_clerk)
    n = Notification.objects.get(kind="letter.pending", subject_id=letter.pk)
    assert n.title == "待签发：关于规范执法的函"
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PENDING


# ----------------------------------------------------------------------------- one way to do it

APPS = ["liaison", "cases", "suggestions", "meetings", "indicators"]
TITLED = {"notify", "_notify", "notify_institution", "ledger_open"}


def _calls():
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                    yield path, node, name


def _branches(value):
    return [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]


def _is_msg(value):
    return isinstance(value, ast.Call) and getattr(value.func, "id", "") == "Msg"


def test_every_service_notification_and_ledger_title_is_a_message():
    """A title translated when written (`_("…") % {…}`) would be shown in its writer's language."""
    wrong = []
    for path, node, name in _calls():
        if name not in TITLED:
            continue
        for kw in node.keywords:
            passed_on = isinstance(kw.value, ast.Name) and kw.value.id == "title"  # a wrapper's own argument
            if kw.arg == "title" and not passed_on and not all(_is_msg(v) for v in _branches(kw.value)):
                wrong.append(f"{path.name}:{node.lineno}")
    assert wrong == []


def test_every_stored_msgid_has_an_english_translation():
    from .test_english import po_entries

    translated = {e["msgid"] for e in po_entries() if all(s.strip() for s in e["msgstr"].values())}
    missing = []
    for _path, node, name in _calls():
        if name == "gettext_noop" and node.args and isinstance(node.args[0], ast.Constant):
            if node.args[0].value not in translated:
                missing.append(node.args[0].value)
    assert missing == []


@pytest.mark.parametrize("status", list(LedgerEntry.Status))
def test_inspection_rows_show_status_in_the_readers_language(status):
    with translation.override("en"):
        assert i18n.ledger_status({"status": status.value, "status_display": "旧"}) == str(status.label)


# ----------------------------------------------------------------------------- deadline explanations


@pytest.mark.parametrize(
    "stored, english",
    [
        ("签收 2026-11-19 + 2个月 = 2027-01-19", "Signed for 2026-11-19 + 2 months = 2027-01-19"),
        (
            "收到申请 2026-11-27 + 3个月 = 2027-02-27，星期六休息日 → 2027-03-01"
            "（2027年法定节假日尚未录入，暂按周一至周五计算）",
            "Application received 2026-11-27 + 3 months = 2027-02-27; Saturday, a rest day → 2027-03-01"
            " (statutory holidays of 2027 not entered yet; counted as Monday to Friday)",
        ),
        (
            "收函 2026-09-25 + 10个工作日 = 2026-10-01，国庆节假期 → 2026-10-09",
            "Letter received 2026-09-25 + 10 working days = 2026-10-01; National Day holiday → 2026-10-09",
        ),
        ("由办公室手工说明", "由办公室手工说明"),
    ],
)
def test_a_stored_deadline_explanation_reads_in_the_readers_language(stored, english):
    from liaison.calendar import explain_shown

    with translation.override("en"):
        assert explain_shown(stored) == english
    with translation.override("zh-hans"):
        assert explain_shown(stored) == stored


def test_what_explain_writes_is_what_explain_shown_reads(db):
    from liaison.calendar import compute_deadline, explain_shown

    for start, period, unit, label in [
        (dt.date(2026, 9, 25), 10, "working_days", "收函"),
        (dt.date(2026, 11, 27), 3, "months", "收到申请"),
        (dt.date(2026, 1, 30), 1, "days", "签收"),
    ]:
        text = compute_deadline(start, period, unit, label).explain()
        with translation.override("en"):
            assert not i18n_cjk(explain_shown(text)), text


def i18n_cjk(text):
    import re

    return re.search(r"[\u4e00-\u9fff]", text)


def test_the_ledger_page_explains_the_deadline_in_english(world, agency_staff):
    entry = services.ledger_open(
        owner=agency_staff.institution,
        title="答复司法建议",
        start_date=dt.date(2026, 11, 19),
        period=2,
        unit="months",
        start_label="签收",
    )
    assert entry.due_explained.startswith("签收 2026-11-19 + 2个月")
    client = english(agency_staff)
    assert "Signed for 2026-11-19 + 2 months" in client.get(entry.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/ledger/{entry.uuid}/").json()
    assert api["due_explained"].startswith("Signed for 2026-11-19 + 2 months")
    assert client_for(agency_staff).get(f"/api/v1/ledger/{entry.uuid}/").json()["due_explained"] == entry.due_explained


def test_a_letter_drafted_in_an_english_session_is_written_in_chinese(world, agency_staff, office):
    """A 督办函 is an official document: its title and body are Chinese whoever drafts it."""
    entry = services.ledger_open(
        owner=agency_staff.institution,
        title="答复司法建议",
        start_date=timezone.localdate() - dt.timedelta(days=10),
        period=60,
    )
    with translation.override("en"):
        services.ledger_urge(entry=entry, by=office, message="请于本周内报送。", letter=True)
    letter = Letter.objects.get(title="关于督办“答复司法建议”的函")
    assert letter.body.startswith("你单位承办的“答复司法建议”")
    assert "Reminder" not in letter.body


def test_the_audit_log_names_the_entry_in_chinese_whatever_the_actor_reads(world, agency_staff):
    from liaison.models import AuditEntry

    with translation.override("en"):
        entry = services.ledger_open(
            owner=agency_staff.institution,
            title=Msg(gettext_noop("办理%(s)s移送的违法线索"), s="市检察院"),
            start_date=timezone.localdate(),
            period=10,
        )
        assert str(entry).startswith("Handle the lead")
    assert AuditEntry.objects.get(action="ledger.open", target_id=entry.pk).target_repr == "办理市检察院移送的违法线索"
