"""The work plan's progress: each task's records of the year the viewer may see, with the open ones."""

import subprocess

from django.test import Client
from django.utils import timezone

from meetings import progress, services
from meetings import research as rs
from meetings.models import Meeting

from .conftest import soon


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _by_code(tasks):
    return {t.code: t for t in tasks}


def test_tasks_count_only_what_the_viewer_sees(world, city, kinds):
    r = rs.research_create(by=world["court_clerk"], topic="rural", title="乡村振兴中的土地流转争议", purpose="调研")
    c = rs.class_create(
        by=world["justice_legal"],
        title="行政复议新法解读",
        starts_at=soon(),
        location="司法局",
        audience=[city["agency"]],
    )
    m = services.meeting_propose(by=world["office"], kind=kinds["sanzhang_major"], title="重大事项会商", reasons="x")
    year = timezone.localdate().year
    office = _by_code(progress.report(world["office"], year))
    assert office["四(八)"].total == 1 and office["四(八)"].open == 1
    assert office["三(四)"].total >= 1  # research serves 三(四) too
    assert office["四(七)"].rows[0].items[0].label == c.title
    assert office["四(一)"].rows[0].label == "会议" and office["四(一)"].rows[0].total == 1
    court = _by_code(progress.report(world["court_clerk"], year))
    assert court["四(八)"].total == 1 and court["四(七)"].total == 0 and court["四(一)"].total == 0
    env = _by_code(progress.report(world["env_staff"], year))
    assert env["四(八)"].total == 0 and env["四(七)"].total == 0
    assert not progress.report(world["env_staff"], year - 3)[0].rows
    assert Meeting.objects.filter(pk=m.pk).exists() and r.pk


def test_decisions_of_a_meeting_follow_its_tasks(world, walk):
    m = walk.minuted()
    # the 协调会 links a major case's coordination? not here: link a research to it to serve 四(八)
    r = rs.research_create(by=world["office"], topic="land", title="征地拆迁调研", purpose="调研")
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import MeetingLink

    MeetingLink.objects.create(meeting=m, target_type=ContentType.objects.get_for_model(r), target_id=r.pk)
    task = _by_code(progress.report(world["office"], timezone.localdate().year))["四(八)"]
    labels = {row.label: row for row in task.rows}
    assert labels["会议"].total == 1 and labels["会议议定事项"].open == 1
    assert labels["会议议定事项"].items[0].url == f"/meetings/decisions/{walk.decision.uuid}/"


def test_page_and_pdf(world, city):
    rs.research_create(by=world["court_clerk"], topic="business", title="优化营商环境行政执法调研", purpose="调研")
    court = _client(world["court_clerk"])
    page = court.get("/meetings/progress/").content.decode()
    assert "四(八)" in page and "优化营商环境行政执法调研" in page
    assert court.get("/meetings/progress/?year=abc").status_code == 404
    pdf = court.get("/meetings/progress.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True)
    text = text.stdout.decode()
    assert "工作方案落实情况" in text and "共同调研工作机制" in text and "优化营商环境行政执法调研" in text
    env_pdf = _client(world["env_staff"]).get("/meetings/progress.pdf").content
    text = subprocess.run(["pdftotext", "-", "-"], input=env_pdf, capture_output=True, check=True).stdout.decode()
    assert "优化营商环境行政执法调研" not in text
