"""Beat jobs run twice make one proposal each; the reminder goes out once, the working day before."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from liaison.models import Notification
from meetings import services
from meetings.models import Meeting


def test_december_proposes_the_annual_sanzhang_meeting_once(world):
    first = services.scheduled_proposals(today=dt.date(2026, 12, 1))
    second = services.scheduled_proposals(today=dt.date(2026, 12, 1))
    assert len(first) == 1 and second == []
    m = Meeting.objects.get(schedule_key="sanzhang:2026")
    assert m.kind.code == "sanzhang_annual" and m.status == Meeting.Status.PROPOSED
    assert m.convener.kind == "office" and m.proposer == m.convener
    assert {i.kind for i in m.proposed_participants.all()} == {"government", "court", "procuratorate"}
    assert Notification.objects.filter(user=world["office"], kind="meeting.proposed").count() == 1


def test_each_quarters_first_month_proposes_its_work_meeting_once(world):
    for day in (dt.date(2026, 1, 2), dt.date(2026, 1, 15), dt.date(2026, 4, 1), dt.date(2026, 4, 1)):
        services.scheduled_proposals(today=day)
    services.scheduled_proposals(today=dt.date(2026, 2, 1))  # not a quarter's first month
    keys = sorted(Meeting.objects.filter(kind__code="work_regular").values_list("schedule_key", flat=True))
    assert keys == ["work:2026Q1", "work:2026Q2"]


def test_the_beat_task_twice(world, settings):
    from meetings.tasks import propose_scheduled_meetings

    today = timezone.localdate()
    expected = (today.month == 12) + (today.month in (1, 4, 7, 10))
    assert propose_scheduled_meetings() == expected
    assert propose_scheduled_meetings() == 0
    assert Meeting.objects.exclude(schedule_key=None).count() == expected


def test_reminder_the_working_day_before_once(walk, world):
    m = walk.responded()
    start = timezone.make_aware(dt.datetime(2026, 10, 12, 9, 0))  # Monday after 国庆
    Meeting.objects.filter(pk=m.pk).update(starts_at=start)
    # Saturday 10 October 2026 is a make-up working day (调休): it is the working day before.
    assert services.send_reminders(today=dt.date(2026, 10, 8)) == 0
    assert services.send_reminders(today=dt.date(2026, 10, 9)) == 0
    assert services.send_reminders(today=dt.date(2026, 10, 11)) == 0  # a Sunday: no job runs on rest days
    sent = services.send_reminders(today=dt.date(2026, 10, 10))
    again = services.send_reminders(today=dt.date(2026, 10, 10))
    assert (sent, again) == (1, 0)
    assert Notification.objects.filter(user=world["court_clerk"], kind="meeting.reminder").count() == 1
    # the institution that sent apologies is not reminded
    assert not Notification.objects.filter(user=world["proc_staff"], kind="meeting.reminder").exists()


def test_setup_schedules_registers_the_meeting_jobs(db):
    call_command("setup_schedules", stdout=open("/dev/null", "w"))
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"meetings.tasks.propose_scheduled_meetings", "meetings.tasks.remind_meetings"} <= tasks
