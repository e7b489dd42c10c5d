"""Meetings: personas and a helper that walks a meeting to a given stage through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.models import Institution
from meetings import services
from meetings.models import MeetingKind


@pytest.fixture
def office_head(world):
    return world["office_head"]


@pytest.fixture
def kinds(world):
    return {k.code: k for k in MeetingKind.objects.all()}


@pytest.fixture
def city(world):
    names = {
        "gov": "柳州市人民政府",
        "court": "柳州市中级人民法院",
        "proc": "柳州市人民检察院",
        "agency": "柳州市城市管理行政执法局",
        "env": "柳州市生态环境局",
        "justice": "柳州市司法局",
    }
    by_name = {i.name: i for i in Institution.objects.filter(name__in=names.values())}
    return {key: by_name[name] for key, name in names.items()}


def soon(days=3, hour=9):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 30))


class Walk:
    """Moves one 协调会 proposed by the agency along the flow, stage by stage."""

    def __init__(self, world, kinds, city):
        self.w, self.kinds, self.city = world, kinds, city
        self.m = None
        self.minutes = None
        self.decision = None

    def proposed(self):
        self.m = services.meeting_propose(
            by=self.w["agency_staff"],
            kind=self.kinds["xietiao"],
            title="占道经营整治中的执法衔接问题",
            reasons="近期涉占道经营行政案件增多，需与法院、检察院协调执法标准。",
            participants=[self.city["court"], self.city["proc"]],
        )
        return self.m

    def convened(self):
        self.proposed()
        services.agenda_add(
            meeting=self.m, by=self.w["office"], title="通报涉占道经营案件情况", presenter=self.city["court"]
        )
        self.m = services.meeting_convene(
            meeting=self.m,
            by=self.w["office"],
            starts_at=soon(),
            location="市中院第三会议室",
            invitees=[self.city["agency"], self.city["court"], self.city["proc"]],
        )
        return self.m

    def notified(self):
        self.convened()
        self.m = services.meeting_issue_notice(meeting=self.m, by=self.w["office_head"])
        return self.m

    def responded(self):
        self.notified()
        inv = {i.institution_id: i for i in self.m.invitations.all()}
        services.invitation_respond(
            invitation=inv[self.city["court"].pk],
            by=self.w["court_clerk"],
            attending=True,
            attendees="黄立明 书记员\n梁振华 副院长",
        )
        services.invitation_respond(
            invitation=inv[self.city["proc"].pk],
            by=self.w["proc_staff"],
            attending=False,
            apology_reason="同日有庭审任务",
        )
        services.invitation_respond(
            invitation=inv[self.city["agency"].pk], by=self.w["agency_staff"], attending=True, attendees="覃文斌 科员"
        )
        return self.m

    def held(self):
        self.responded()
        rows = services.attendance_prefill(self.m)
        self.m = services.meeting_hold(
            meeting=self.m, by=self.w["office"], attendance=rows, held_on=timezone.localdate()
        )
        return self.m

    def decided(self):
        self.held()
        self.decision = services.decision_add(
            meeting=self.m,
            by=self.w["office"],
            text="市城管局牵头制定占道经营执法指引",
            owner=self.city["agency"],
            period=30,
        )
        return self.m

    def minuted(self):
        self.decided()
        self.minutes = services.minutes_draft(meeting=self.m, by=self.w["office"])
        services.minutes_circulate(minutes=self.minutes, by=self.w["office"])
        services.minutes_comment(minutes=self.minutes, by=self.w["court_clerk"], text="建议写明指引完成后报送法院。")
        services.minutes_submit(minutes=self.minutes, by=self.w["office"])
        self.minutes = services.minutes_approve(minutes=self.minutes, by=self.w["office_head"])
        self.m.refresh_from_db()
        self.decision.refresh_from_db()
        return self.m


@pytest.fixture
def walk(world, kinds, city):
    return Walk(world, kinds, city)
