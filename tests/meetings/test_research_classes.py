"""Joint research (共同调研): a topic from the work plan, members from the three institutions,
milestones, a report issued as a letter to the government. Rule-of-law classes (法治课堂):
lecturers from the court, procuratorate and legal-affairs office, audience, attendance, materials."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from liaison import access
from liaison.errors import Conflict
from liaison.models import Letter
from meetings import research as rs
from meetings.models import ClassMaterial, LawClass, Milestone, Research

from .conftest import soon

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _research(world):
    return rs.research_create(
        by=world["court_clerk"],
        topic="land",
        title="集体土地征收补偿中的行政争议成因",
        purpose="梳理近三年征地拆迁类行政案件，分析败诉原因，提出源头治理建议。",
    )


def test_research_members_from_the_three_institutions_milestones_and_report_letter(world, city):
    r = _research(world)
    assert r.lead == city["court"] and r.government == city["gov"]
    with pytest.raises(PermissionDenied):  # only the lead acts on it
        rs.research_member_add(research=r, by=world["proc_staff"], institution=city["proc"], name="莫丽娟")
    rs.research_member_add(research=r, by=world["court_clerk"], institution=city["court"], name="黄立明", post="书记员")
    rs.research_member_add(research=r, by=world["court_clerk"], institution=city["justice"], name="周红")
    with pytest.raises(Conflict):  # no procuratorate member yet
        rs.research_start(research=r, by=world["court_clerk"])
    rs.research_member_add(research=r, by=world["court_clerk"], institution=city["proc"], name="莫丽娟")
    # a member institution sees the research; an institution with no part does not
    assert access.visible(Research.objects.all(), world["proc_staff"]).filter(pk=r.pk).exists()
    assert not access.visible(Research.objects.all(), world["env_staff"]).filter(pk=r.pk).exists()
    today = timezone.localdate()
    m = rs.research_milestone_add(
        research=r, by=world["court_clerk"], title="实地走访", due_date=today + dt.timedelta(days=20)
    )
    with pytest.raises(Conflict):  # planning: milestones are completed once research has started
        rs.milestone_complete(milestone=m, by=world["court_clerk"])
    rs.research_start(research=r, by=world["court_clerk"])
    with pytest.raises(ValidationError):
        rs.milestone_complete(milestone=m, by=world["court_clerk"], done_on=today + dt.timedelta(days=1))
    rs.milestone_complete(milestone=m, by=world["court_clerk"], note="走访三个城区。")
    m.refresh_from_db()
    assert m.status == Milestone.Status.DONE and m.done_on == today
    r = rs.research_report(
        research=r, by=world["court_clerk"], title="关于集体土地征收补偿行政争议的调研报告", body="一、基本情况\n……"
    )
    assert r.status == Research.Status.REPORTED and r.report_letter.status == Letter.Status.PENDING
    with pytest.raises(PermissionDenied):
        rs.research_issue(research=r, by=world["court_clerk"])
    r = rs.research_issue(research=r, by=world["court_head"])
    assert r.status == Research.Status.ISSUED
    letter = r.report_letter
    assert letter.status == Letter.Status.ISSUED and letter.doc_number
    kinds = {(d.recipient, d.kind) for d in letter.deliveries.all()}
    assert (city["gov"], "to") in kinds and (city["proc"], "cc") in kinds and (city["justice"], "cc") in kinds


def test_research_topic_other_needs_its_name(world):
    with pytest.raises(ValidationError) as exc:
        rs.research_create(by=world["court_clerk"], topic="other", title="x", purpose="y")
    assert "topic_other" in exc.value.message_dict
    with pytest.raises(ValidationError):
        rs.research_create(by=world["court_clerk"], topic="nonsense", title="x", purpose="y")
    assert not Research.objects.exists()


def _class(world, city):
    return rs.class_create(
        by=world["justice_legal"],
        title="行政执法中的证据规则",
        starts_at=soon(days=-1),
        location="市司法局培训室",
        audience=[city["agency"], city["env"]],
    )


def test_class_lecturers_attendance_and_materials(world, city):
    c = _class(world, city)
    with pytest.raises(ValidationError):  # an agency's staff is not among the lecturers' institutions
        rs.lecturer_add(law_class=c, by=world["justice_legal"], institution=city["agency"], name="覃文斌")
    with pytest.raises(Conflict):  # no lecturer: cannot be held
        rs.class_hold(law_class=c, by=world["justice_legal"], attendance="市城管局 20")
    rs.lecturer_add(law_class=c, by=world["justice_legal"], institution=city["court"], name="梁振华", topic="证据规则")
    rs.lecturer_add(law_class=c, by=world["justice_legal"], institution=city["proc"], name="蓝建国")
    with pytest.raises(PermissionDenied):
        rs.lecturer_add(law_class=c, by=world["agency_staff"], institution=city["court"], name="x")
    # the hub's upload rules: a PDF named .docx is refused, nothing stored
    with pytest.raises(ValidationError):
        rs.material_add(law_class=c, by=world["justice_legal"], upload=SimpleUploadedFile("讲义.docx", PDF_BYTES))
    assert not ClassMaterial.objects.exists()
    mat = rs.material_add(law_class=c, by=world["justice_legal"], upload=SimpleUploadedFile("讲义.pdf", PDF_BYTES))
    assert mat.content_type == "application/pdf" and len(mat.sha256) == 64
    with pytest.raises(ValidationError) as exc:  # a unit that was not invited
        rs.class_hold(law_class=c, by=world["justice_legal"], attendance="城中区法院 3")
    assert "attendance" in exc.value.message_dict
    c = rs.class_hold(law_class=c, by=world["justice_legal"], attendance="市城管局 20 覃文斌、罗永强\n市生态环境局 12")
    assert c.status == LawClass.Status.HELD and sum(a.count for a in c.attendance.all()) == 32
    # audience and lecturers' institutions see it; others do not
    for user in ("agency_staff", "env_staff", "court_clerk", "proc_staff", "office"):
        assert access.visible(LawClass.objects.all(), world[user]).filter(pk=c.pk).exists(), user
    assert not access.visible(LawClass.objects.all(), world["county_clerk"]).filter(pk=c.pk).exists()


def test_pages_404_403_and_downloads(world, city):
    c = _class(world, city)
    rs.lecturer_add(law_class=c, by=world["justice_legal"], institution=city["court"], name="梁振华")
    mat = rs.material_add(law_class=c, by=world["justice_legal"], upload=SimpleUploadedFile("讲义.pdf", PDF_BYTES))
    r = _research(world)
    county, agency = _client(world["county_clerk"]), _client(world["agency_staff"])
    for path in (
        f"/meetings/classes/{c.uuid}/",
        f"/meetings/classes/{c.uuid}/hold/",
        f"/meetings/classes/materials/{mat.uuid}/",
        f"/meetings/research/{r.uuid}/",
        f"/meetings/research/{r.uuid}/member/",
    ):
        assert county.get(path).status_code == 404, path
    assert agency.get(f"/meetings/classes/{c.uuid}/hold/").status_code == 403  # audience, not organizer
    d = agency.get(f"/meetings/classes/materials/{mat.uuid}/")
    assert d.status_code == 200 and b"".join(d.streaming_content) == PDF_BYTES
    justice = _client(world["justice_legal"])
    page = justice.get(f"/meetings/classes/{c.uuid}/").content.decode()
    assert 'data-verb="law_class.hold"' in page and "讲义.pdf" in page
    resp = justice.post(f"/meetings/classes/{c.uuid}/hold/", {"attendance": "不存在的单位 3"})
    assert resp.status_code == 200 and "第1行" in resp.content.decode()
    resp = justice.post(f"/meetings/classes/{c.uuid}/material/", {"file": SimpleUploadedFile("讲义2.exe", PDF_BYTES)})
    assert resp.status_code == 200 and ClassMaterial.objects.count() == 1
    court = _client(world["court_clerk"])
    resp = court.post(
        "/meetings/research/new/", {"topic": "ecology", "title": "柳江流域生态保护执法", "purpose": "调研执法衔接"}
    )
    assert resp.status_code == 302
    assert "柳江流域生态保护执法" in court.get("/meetings/research/").content.decode()
    assert "柳江流域生态保护执法" not in county.get("/meetings/research/").content.decode()
    assert court.get("/meetings/research/?export=1")["Content-Type"].startswith("application/vnd.openxmlformats")
    assert justice.get("/meetings/classes/?export=1").status_code == 200
