"""The joint-research and rule-of-law-class API (/api/v1/research/, research-milestones/,
law-classes/): the whole flows, every action's 404 (outsider) → 403 (role) → 409 (state) → 400
(body), lists, filters and query bounds."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from liaison.models import Letter
from meetings import research as rs
from meetings.models import LawClass, Milestone, Research

from .conftest import soon

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RESEARCH = "/api/v1/research/"
CLASSES = "/api/v1/law-classes/"


def _post(client, path, data=None):
    return client.post(path, data or {}, format="json")


def _research(world):
    return rs.research_create(by=world["court_clerk"], topic="land", title="征地拆迁行政争议成因", purpose="梳理案件。")


def _class(world, city, **kw):
    return rs.class_create(
        by=world["justice_legal"],
        title="行政执法中的证据规则",
        starts_at=kw.pop("starts_at", timezone.now() - dt.timedelta(hours=2)),
        location="市司法局报告厅",
        audience=[city["agency"]],
        **kw,
    )


def test_research_through_the_api(api, world, city):
    court, head = api(world["court_clerk"]), api(world["court_head"])
    r = _post(court, RESEARCH, {"topic": "land", "title": "征地拆迁行政争议成因", "purpose": "梳理近三年案件。"})
    assert r.status_code == 201, r.content
    uuid = r.json()["uuid"]
    assert r.json()["allowed_actions"] == ["member", "milestone"]  # start: once the three sides are members
    assert r.json()["government"]["uuid"] == str(city["gov"].uuid)
    for inst, name in ((city["court"], "黄立明"), (city["proc"], "莫丽娟")):
        r = _post(court, f"{RESEARCH}{uuid}/member/", {"institution": str(inst.uuid), "name": name, "post": "法官"})
        assert r.status_code == 200, r.content
    # two sides only: starting is refused by the table's condition
    assert _post(court, f"{RESEARCH}{uuid}/start/").status_code == 409
    _post(court, f"{RESEARCH}{uuid}/member/", {"institution": str(city["agency"].uuid), "name": "覃文斌"})
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    r = _post(court, f"{RESEARCH}{uuid}/milestone/", {"title": "实地走访", "due_date": due})
    assert r.status_code == 200 and len(r.json()["members"]) == 3
    assert r.json()["allowed_actions"] == ["member", "milestone", "start"]
    milestone = r.json()["milestones"][0]
    assert milestone["allowed_actions"] == []  # not yet active
    r = _post(court, f"{RESEARCH}{uuid}/start/")
    assert r.status_code == 200 and r.json()["status"] == "active"
    m = f"/api/v1/research-milestones/{milestone['uuid']}/"
    assert court.get(m).json()["allowed_actions"] == ["complete"]
    r = _post(court, m + "complete/", {"note": "走访三个乡镇"})
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["research"]["uuid"] == uuid
    assert _post(court, m + "complete/").status_code == 409
    r = _post(court, f"{RESEARCH}{uuid}/report/", {"title": "关于征地拆迁行政争议的调研报告", "body": "正文"})
    assert r.status_code == 200 and r.json()["status"] == "reported"
    assert head.get(f"{RESEARCH}{uuid}/").json()["allowed_actions"] == ["issue"]
    r = _post(head, f"{RESEARCH}{uuid}/issue/")
    assert r.status_code == 200 and r.json()["status"] == "issued" and r.json()["report_doc_number"]
    letter = Letter.objects.get(uuid=r.json()["report_letter"])
    assert letter.status == Letter.Status.ISSUED
    # a member institution reads it; the government it went to too
    assert api(world["proc_staff"]).get(f"{RESEARCH}{uuid}/").status_code == 200
    assert api(world["gov_legal"]).get(f"{RESEARCH}{uuid}/").json()["allowed_actions"] == []


def test_research_outsider_404_role_403_state_409_body_400(api, world, city):
    r = _research(world)
    rs.research_member_add(research=r, by=world["court_clerk"], institution=city["proc"], name="莫丽娟")
    milestone = rs.research_milestone_add(
        research=r, by=world["court_clerk"], title="走访", due_date=timezone.localdate()
    )
    url = f"{RESEARCH}{r.uuid}/"
    m = f"/api/v1/research-milestones/{milestone.uuid}/"
    outsider = api(world["county_clerk"])
    assert outsider.get(url).status_code == 404 and outsider.get(m).status_code == 404
    assert _post(outsider, url + "member/", {"name": 1}).status_code == 404
    assert _post(outsider, m + "complete/").status_code == 404
    # a member sees it but does not act; the lead's staff do not sign
    proc = api(world["proc_staff"])
    assert proc.get(url).status_code == 200
    assert _post(proc, url + "milestone/", {"title": ""}).status_code == 403
    assert _post(proc, m + "complete/").status_code == 403
    assert _post(api(world["court_clerk"]), url + "issue/").status_code == 403
    # the wrong state
    court = api(world["court_clerk"])
    assert _post(court, url + "report/", {"title": "x", "body": "y"}).status_code == 409
    assert _post(court, m + "complete/").status_code == 409
    # the body
    r2 = _post(court, url + "member/", {"institution": str(city["court"].uuid)})
    assert r2.status_code == 400 and "name" in r2.json()
    r2 = _post(court, url + "member/", {"institution": "00000000-0000-0000-0000-000000000000", "name": "x"})
    assert r2.status_code == 400 and "institution" in r2.json()
    r2 = _post(court, url + "milestone/", {"title": "x", "due_date": "2026-13-45"})
    assert r2.status_code == 400 and "due_date" in r2.json()
    r2 = _post(court, RESEARCH, {"topic": "other", "title": "x", "purpose": "y"})
    assert r2.status_code == 400 and "topic_other" in r2.json()
    assert _post(api(world["auditor"]), RESEARCH, {"topic": "land", "title": "x", "purpose": "y"}).status_code == 403
    assert r.members.count() == 1 and r.milestones.count() == 1 and Research.objects.count() == 1


def test_research_list_filters_and_query_bound(api, world, django_assert_max_num_queries):
    _research(world)
    rs.research_create(by=world["court_clerk"], topic="business", title="营商环境", purpose="x")
    court = api(world["court_clerk"])
    with django_assert_max_num_queries(8):
        r = court.get(RESEARCH)
    assert r.json()["count"] == 2 and r.json()["results"][0]["title"] == "营商环境"  # newest first
    assert court.get(RESEARCH, {"topic": "land"}).json()["count"] == 1
    assert court.get(RESEARCH, {"status": "active"}).json()["count"] == 0
    assert court.get(RESEARCH, {"q": "征地"}).json()["count"] == 1
    assert court.get(RESEARCH, {"topic": "nope"}).status_code == 400
    assert api(world["proc_staff"]).get(RESEARCH).json()["count"] == 0  # not a member yet


def test_class_through_the_api(api, world, city):
    justice = api(world["justice_legal"])
    starts = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    r = _post(
        justice,
        CLASSES,
        {
            "title": "行政执法中的证据规则",
            "starts_at": starts,
            "location": "报告厅",
            "audience": [str(city["agency"].uuid)],
        },
    )
    assert r.status_code == 201, r.content
    uuid = r.json()["uuid"]
    assert r.json()["allowed_actions"] == ["lecturer", "material", "cancel"]
    r = _post(justice, f"{CLASSES}{uuid}/lecturer/", {"institution": str(city["court"].uuid), "name": "梁振华"})
    assert r.status_code == 200 and r.json()["lecturers"][0]["name"] == "梁振华"
    r = justice.post(
        f"{CLASSES}{uuid}/material/", {"file": SimpleUploadedFile("讲义.pdf", PDF_BYTES)}, format="multipart"
    )
    assert r.status_code == 200, r.content
    material = r.json()["materials"][0]
    assert material["name"] == "讲义.pdf" and material["download"].endswith(f"/{material['uuid']}/")
    short = city["agency"].short_name
    r = _post(justice, f"{CLASSES}{uuid}/hold/", {"attendance": f"{short} 35 覃文斌、韦丽"})
    assert r.status_code == 200 and r.json()["status"] == "held"
    assert r.json()["attendance"] == [
        {"institution": r.json()["audience"][0], "count": 35, "names": "覃文斌、韦丽"},
    ]
    # the audience and the lecturers' court read it
    assert api(world["agency_staff"]).get(f"{CLASSES}{uuid}/").json()["allowed_actions"] == []
    assert api(world["court_clerk"]).get(f"{CLASSES}{uuid}/").status_code == 200


def test_class_outsider_404_role_403_state_409_body_400(api, world, city):
    c = _class(world, city)
    url = f"{CLASSES}{c.uuid}/"
    outsider = api(world["proc_staff"])
    assert outsider.get(url).status_code == 404
    assert _post(outsider, url + "cancel/", {"reason": ""}).status_code == 404
    agency = api(world["agency_staff"])  # the audience sees, but does not organise
    assert _post(agency, url + "cancel/", {"reason": "x"}).status_code == 403
    assert agency.post(url + "material/", {}, format="multipart").status_code == 403
    justice = api(world["justice_legal"])
    assert _post(justice, url + "hold/", {"attendance": "x 1"}).status_code == 409  # no lecturer yet
    rs.lecturer_add(law_class=c, by=world["justice_legal"], institution=city["court"], name="梁振华")
    r = _post(justice, url + "hold/", {"attendance": "不存在的单位 10"})
    assert r.status_code == 400 and "attendance" in r.json()
    r = _post(justice, url + "lecturer/", {"institution": str(city["env"].uuid), "name": "x"})
    assert r.status_code == 400 and "institution" in r.json()  # lecturers come from the court, procuratorate, 司法局
    r = _post(justice, url + "cancel/", {})
    assert r.status_code == 400 and "reason" in r.json()
    r = justice.post(url + "material/", {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()
    c.refresh_from_db()
    assert c.status == LawClass.Status.PLANNED and not c.materials.exists() and c.lecturers.count() == 1
    assert _post(justice, url + "cancel/", {"reason": "改期"}).status_code == 200
    assert _post(justice, url + "cancel/", {"reason": "改期"}).status_code == 409
    r = _post(justice, CLASSES, {"title": "x", "starts_at": "nope", "location": "y", "audience": []})
    assert r.status_code == 400 and {"starts_at", "audience"} <= set(r.json())


def test_class_list_filters_and_query_bound(api, world, city, django_assert_max_num_queries):
    _class(world, city)
    _class(world, city, starts_at=soon(days=20))
    justice = api(world["justice_legal"])
    with django_assert_max_num_queries(8):
        r = justice.get(CLASSES)
    assert r.json()["count"] == 2 and r.json()["results"][0]["starts_at"] > r.json()["results"][1]["starts_at"]
    after = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    assert justice.get(CLASSES, {"starts_after": after}).json()["count"] == 1
    assert justice.get(CLASSES, {"organizer": str(city["justice"].uuid), "status": "planned"}).json()["count"] == 2
    assert justice.get(CLASSES, {"starts_after": "2026-13-45"}).status_code == 400
    assert api(world["agency_staff"]).get(CLASSES).json()["count"] == 2
    assert api(world["proc_staff"]).get(CLASSES).json()["count"] == 0
    assert Milestone.objects.count() == 0


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(body)).worksheets[0].iter_rows()]


def test_exports_are_the_filtered_lists_as_the_pages_workbooks(api, world, city):
    _research(world)
    rs.research_create(by=world["court_clerk"], topic="business", title="营商环境", purpose="x")
    _class(world, city)
    court, justice = api(world["court_clerk"]), api(world["justice_legal"])
    rows = _sheet(court.get(RESEARCH + "export/", {"topic": "land"}))
    assert (
        rows[0][:3] == ["调研领域", "调研课题", "牵头单位"] and len(rows) == 2 and rows[1][1] == "征地拆迁行政争议成因"
    )
    rows = _sheet(justice.get(CLASSES + "export/"))
    assert rows[0][0] == "课程名称" and len(rows) == 2 and rows[1][0] == "行政执法中的证据规则"
    assert len(_sheet(api(world["proc_staff"]).get(CLASSES + "export/"))) == 1  # nothing it may not see
    assert court.get(RESEARCH + "export/", {"status": "nope"}).status_code == 400
