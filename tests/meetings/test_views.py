"""Meeting pages: the flow by forms, 404 for outsiders, 403 for the wrong person, a message for a
wrong state, the month calendar and the secret .ics feed."""

from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from liaison.models import LedgerEntry
from meetings.models import CalendarFeed, Decision, Meeting

from .conftest import soon


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_flow_by_pages(world, city):
    agency, office, head = _client(world["agency_staff"]), _client(world["office"]), _client(world["office_head"])
    assert agency.get("/meetings/").status_code == 200
    r = agency.post(
        "/meetings/new/",
        {"kind": _kind("xietiao"), "title": "占道经营执法衔接", "reasons": "案件增多"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Meeting.objects.get()
    page = office.get(f"/meetings/{m.uuid}/").content.decode()
    assert "受理并召集" in page and "不予召集" in page
    r = office.post(
        f"/meetings/{m.uuid}/convene/",
        {
            "starts_at": timezone.localtime(soon()).strftime("%Y-%m-%dT%H:%M"),
            "location": "市中院第三会议室",
            "invitees": [city["agency"].pk, city["court"].pk, city["proc"].pk],
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert head.post(f"/meetings/{m.uuid}/issue-notice/").status_code == 302
    m.refresh_from_db()
    assert m.status == "notified"
    inv = {i.institution_id: i for i in m.invitations.all()}
    r = _client(world["court_clerk"]).post(
        f"/meetings/invitations/{inv[city['court'].pk].uuid}/respond/", {"attending": "1", "attendees": "黄立明 书记员"}
    )
    assert r.status_code == 302
    r = _client(world["proc_staff"]).post(
        f"/meetings/invitations/{inv[city['proc'].pk].uuid}/respond/", {"attending": "0", "apology_reason": ""}
    )
    assert r.status_code == 200 and "请假理由" in r.content.decode()  # the reason is required: shown beside the field
    _client(world["proc_staff"]).post(
        f"/meetings/invitations/{inv[city['proc'].pk].uuid}/respond/", {"attending": "0", "apology_reason": "出差"}
    )
    hold = office.get(f"/meetings/{m.uuid}/hold/").content.decode()
    assert "市中院 黄立明 书记员" in hold  # prefilled from the replies
    r = office.post(
        f"/meetings/{m.uuid}/hold/",
        {"held_on": timezone.localdate().isoformat(), "attendance": "市中院 黄立明 书记员\n市城管局 覃文斌 科员"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    r = office.post(
        f"/meetings/{m.uuid}/decide/",
        {"text": "制定执法指引", "owner": city["agency"].pk, "period": "30", "unit": "days"},
    )
    assert r.status_code == 302
    office.post(f"/meetings/{m.uuid}/draft-minutes/")
    mn = m.minutes
    assert "制定执法指引" in mn.body and "出差" in mn.body
    office.post(f"/meetings/minutes/{mn.uuid}/circulate/")
    _client(world["court_clerk"]).post(f"/meetings/minutes/{mn.uuid}/comment/", {"text": "同意"})
    office.post(f"/meetings/minutes/{mn.uuid}/submit/")
    r = head.post(f"/meetings/minutes/{mn.uuid}/approve/")
    assert r.status_code == 302
    d = Decision.objects.get()
    assert d.status == "open" and d.ledger_entry.owner == city["agency"]
    assert "落实议定事项" in agency.get("/ledger/").content.decode()
    agency.post(f"/meetings/decisions/{d.uuid}/report/", {"evidence": "指引已印发"})
    page = office.get("/meetings/decisions/?open=1").content.decode()
    assert "制定执法指引" in page
    office.post(f"/meetings/decisions/{d.uuid}/confirm/", {"note": ""})
    d.refresh_from_db()
    assert d.status == "done" and d.ledger_entry.status == LedgerEntry.Status.DONE
    r = office.get("/meetings/decisions/?export=1")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def _kind(code):
    from meetings.models import MeetingKind

    return MeetingKind.objects.get(code=code).pk


def test_outsider_404_role_403_state_message(world, walk):
    m = walk.notified()
    env = _client(world["env_staff"])
    for path in (f"/meetings/{m.uuid}/", f"/meetings/{m.uuid}/hold/", f"/meetings/{m.uuid}/cancel/"):
        assert env.get(path).status_code == 404
    assert env.post(f"/meetings/{m.uuid}/hold/", {"attendance": "x"}).status_code == 404
    court = _client(world["court_clerk"])
    assert court.get(f"/meetings/{m.uuid}/").status_code == 200
    assert court.get(f"/meetings/{m.uuid}/hold/").status_code == 403
    assert court.post(f"/meetings/{m.uuid}/cancel/", {"reason": "x"}).status_code == 403
    r = _client(world["office"]).get(f"/meetings/{m.uuid}/convene/", follow=True)
    assert r.redirect_chain and "不能执行此操作" in r.content.decode()
    inv = m.invitations.get(institution=world["court_clerk"].institution)
    assert _client(world["agency_staff"]).get(f"/meetings/invitations/{inv.uuid}/respond/").status_code == 403
    assert env.get(f"/meetings/invitations/{inv.uuid}/respond/").status_code == 404
    m.refresh_from_db()
    assert m.status == "notified"


def test_pages_answer_only_get_and_post(world):
    c = _client(world["office"])
    assert c.put("/meetings/").status_code == 405
    assert c.delete("/meetings/new/").status_code == 405


def test_month_calendar_shows_only_visible_meetings(world, walk):
    m = walk.notified()
    local = timezone.localtime(m.starts_at)
    month = f"{local.year}-{local.month}"
    assert m.title in _client(world["court_clerk"]).get(f"/meetings/calendar/?month={month}").content.decode()
    assert m.title not in _client(world["env_staff"]).get(f"/meetings/calendar/?month={month}").content.decode()
    assert _client(world["office"]).get("/meetings/calendar/?month=junk").status_code == 404


def test_ics_feed_parses_shows_only_visible_meetings_and_revocation_404s(world, walk, kinds):
    from meetings import services

    m = walk.notified()
    other = services.meeting_propose(by=world["env_staff"], kind=kinds["zuotan"], title="环保座谈", reasons="交流")
    services.meeting_convene(
        meeting=other, by=world["office"], starts_at=soon(5), location="市生态环境局", invitees=[other.proposer]
    )
    court = _client(world["court_clerk"])
    court.post("/meetings/calendar/feed/", {"create": "1"})
    feed = CalendarFeed.objects.get(user=world["court_clerk"], revoked_at__isnull=True)
    anon = Client()
    r = anon.get(f"/meetings/ical/{feed.token}.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["uid"]) for e in events] == [f"meeting-{m.uuid}@fylink"]
    assert m.title in str(events[0]["summary"]) and str(events[0]["location"]) == "市中院第三会议室"
    assert events[0].decoded("dtstart") == timezone.localtime(m.starts_at)
    # the office sees both meetings in its feed
    office_feed = CalendarFeed.objects.create(user=world["office"])
    titles = {
        str(e["summary"])
        for e in Calendar.from_ical(anon.get(f"/meetings/ical/{office_feed.token}.ics").content).walk("VEVENT")
    }
    assert any("环保座谈" in t for t in titles) and any(m.title in t for t in titles)
    court.post("/meetings/calendar/feed/", {"revoke": "1"})
    assert anon.get(f"/meetings/ical/{feed.token}.ics").status_code == 404
    assert anon.get("/meetings/ical/not-a-token.ics").status_code == 404
    # a new address works, the old one stays dead
    court.post("/meetings/calendar/feed/", {"rotate": "1"})
    new = CalendarFeed.objects.get(user=world["court_clerk"], revoked_at__isnull=True)
    assert new.token != feed.token and anon.get(f"/meetings/ical/{new.token}.ics").status_code == 200
    assert anon.get(f"/meetings/ical/{feed.token}.ics").status_code == 404


def test_decision_ledger_entry_closes_only_by_the_office_confirmation(world, walk):
    """The owner reports on the decision's page; the ledger page offers it no 办结 (the hub's
    ledger.complete refuses an entry with a source other than a letter): decision.confirm closes it."""
    import pytest

    from liaison import services as hub
    from liaison.errors import Conflict

    walk.minuted()
    d = walk.decision
    entry = d.ledger_entry
    agency, office = _client(world["agency_staff"]), _client(world["office"])
    page = agency.get(f"/ledger/{entry.uuid}/").content.decode()
    assert "ledger_complete" not in page and f"/ledger/{entry.uuid}/complete/" not in page
    r = agency.post(f"/ledger/{entry.uuid}/complete/", {"evidence": "自行办结", "done_on": timezone.localdate()})
    assert r.status_code in (302, 409) and "/complete/" not in r.get("Location", "")
    with pytest.raises(Conflict):
        hub.ledger_complete(entry=entry, by=world["agency_staff"], evidence="自行办结")
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.OPEN
    # the decision's page carries the owner's buttons, rendered from the workflow (data-verb)
    page = agency.get(f"/meetings/decisions/{d.uuid}/").content.decode()
    assert 'data-verb="decision.report"' in page and 'data-verb="decision.confirm"' not in page
    agency.post(f"/meetings/decisions/{d.uuid}/report/", {"evidence": "指引已印发"})
    page = office.get(f"/meetings/decisions/{d.uuid}/").content.decode()
    assert 'data-verb="decision.confirm"' in page and 'data-verb="decision.return"' in page
    office.post(f"/meetings/decisions/{d.uuid}/confirm/", {"note": ""})
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.DONE and entry.evidence == "指引已印发"


def test_wrong_state_on_an_action_page_is_the_conflict_message_not_the_form(world, walk):
    m = walk.notified()
    office = _client(world["office"])
    r = office.get(f"/meetings/{m.uuid}/convene/")  # already convened: the reason on the meeting's page
    assert r.status_code == 302 and r["Location"].endswith(f"/meetings/{m.uuid}/")
    page = office.get(r["Location"]).content.decode()
    assert "不能执行此操作" in page


def test_todo_lists_what_each_one_has_to_do_next(world, walk, city, kinds):
    """待办 from the declarations: the invitees' replies, the head's sign-offs, the owner's decision
    (with its due date) and the office's confirmation, each leaving the list once done."""
    from liaison import todo
    from meetings import services

    from .conftest import Walk

    def verbs(user):
        return {(i.verb, i.obj.pk) for i in todo.items(world[user])}

    m = walk.convened()
    assert ("meeting.issue_notice", m.pk) in verbs("office_head")
    services.meeting_issue_notice(meeting=m, by=world["office_head"])
    inv = {i.institution_id: i for i in m.invitations.all()}
    assert ("invitation.respond", inv[city["court"].pk].pk) in verbs("court_clerk")
    assert ("meeting.issue_notice", m.pk) not in verbs("office_head")
    services.invitation_respond(
        invitation=inv[city["court"].pk], by=world["court_clerk"], attending=True, attendees="黄立明"
    )
    assert ("invitation.respond", inv[city["court"].pk].pk) not in verbs("court_clerk")

    other = Walk(world, kinds, city)
    other.minuted()
    d = other.decision
    items = [i for i in todo.items(world["agency_staff"]) if i.verb == "decision.report"]
    assert [i.obj.pk for i in items] == [d.pk] and items[0].due == d.due_date
    services.decision_report(decision=d, by=world["agency_staff"], evidence="已完成")
    assert ("decision.confirm", d.pk) in verbs("office")
    assert ("decision.report", d.pk) not in verbs("agency_staff")
    # the dashboard shows the office's item with its action page
    page = _client(world["office"]).get("/").content.decode()
    assert f"/meetings/decisions/{d.uuid}/confirm/" in page
