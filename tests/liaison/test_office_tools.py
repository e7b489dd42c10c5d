"""The office's tools on the ledger: 催办 (a notification, optionally a numbered 督办函), entries
registered by hand for the work plan's tasks (owner, clause, due date) and closed by their owner
with evidence after a confirmation, its region's letters (read-only), inspections by clause."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services
from liaison.models import AuditEntry, Institution, LedgerEntry, LedgerUrge, Letter, Notification, Region, User

from ._view_helpers import audit_count, client_for, entry, issued_letter


def later(days=30):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def actions_of(e):
    return list(
        AuditEntry.objects.filter(target_id=e.pk, target_type__model="ledgerentry")
        .order_by("id")
        .values_list("action", flat=True)
    )


# ----------------------------------------------------------------------------- the manual work-plan entry


def test_the_office_registers_a_work_plan_entry_and_the_owner_closes_it_with_evidence(office, agency_staff):
    page = client_for(office).get("/ledger/").content.decode()
    assert 'href="/ledger/new/" data-ledger-create' in page
    form = client_for(office).get("/ledger/new/").content.decode()
    assert "四(二) “一府两院”信息交流共享机制" in form
    owner = agency_staff.institution
    response = client_for(office).post(
        "/ledger/new/",
        {"owner": str(owner.uuid), "title": "建立执法信息共享目录", "clause": "四（二）3", "due_date": later()},
    )
    assert response.status_code == 302
    e = LedgerEntry.objects.get(title="建立执法信息共享目录")
    assert response["Location"] == f"/ledger/{e.uuid}/"
    assert (e.owner, e.clause, e.created_by, e.source_type_id) == (owner, "四(二)3", office, None)
    assert e.due_date >= timezone.localdate() + dt.timedelta(days=30)
    assert actions_of(e) == ["ledger.create"]
    notice = Notification.objects.get(user=agency_staff, kind="ledger.created")
    assert "四(二)3" in notice.title and notice.awaits == "ledger.complete"
    detail = client_for(agency_staff).get(f"/ledger/{e.uuid}/").content.decode()
    assert "四(二)3" in detail and 'data-verb="ledger.complete"' in detail and "手工登记" in detail
    # 办结: evidence, then a confirmation page, then done (audited) and the notice settles.
    client = client_for(agency_staff)
    step = client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "已印发共享目录（柳城管函〔2026〕9号）"})
    assert step.status_code == 200 and 'name="confirmed"' in step.content.decode()
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.OPEN
    client.post(f"/ledger/{e.uuid}/complete/", {"evidence": "已印发共享目录（柳城管函〔2026〕9号）", "confirmed": "1"})
    e.refresh_from_db()
    assert e.status == LedgerEntry.Status.DONE and actions_of(e) == ["ledger.create", "ledger.complete"]
    notice.refresh_from_db()
    assert notice.settled_at is not None


def test_the_entry_form_reports_every_error_in_one_round_and_saves_nothing(office):
    response = client_for(office).post(
        "/ledger/new/", {"owner": "", "title": "", "clause": "七(九)", "due_date": timezone.localdate().isoformat()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请选择责任单位" in body and "请填写事项" in body
    assert "不是工作方案的任务条目" in body and "截止日期应晚于今天" in body
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("clause", "normal"), [("四(二)3", "四(二)3"), ("四（二）", "四(二)"), (" 三 (一) 12", "三(一)12")]
)
def test_clauses_are_the_work_plans(office, agency_staff, clause, normal):
    e = services.ledger_create(
        by=office,
        owner=agency_staff.institution,
        title="事项",
        clause=clause,
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    assert e.clause == normal


@pytest.mark.parametrize("clause", ["", "四", "五(一)1", "四(九)", "四(二)123", "abc"])
def test_a_clause_outside_the_plan_is_refused(office, agency_staff, clause):
    with pytest.raises(ValidationError) as exc:
        services.ledger_create(
            by=office,
            owner=agency_staff.institution,
            title="事项",
            clause=clause,
            due_date=timezone.localdate() + dt.timedelta(days=5),
        )
    assert "clause" in exc.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_only_the_office_registers_entries(agency_staff, agency_head, auditor, office_head):
    for user in (agency_staff, agency_head, auditor, office_head):
        assert client_for(user).get("/ledger/new/").status_code == 403
        assert client_for(user).post("/ledger/new/", {"title": "x"}).status_code == 403
        assert "data-ledger-create" not in client_for(user).get("/ledger/").content.decode()
        with pytest.raises(PermissionDenied):
            services.ledger_create(
                by=user,
                owner=agency_staff.institution,
                title="x",
                clause="四(二)",
                due_date=timezone.localdate() + dt.timedelta(days=5),
            )


@pytest.fixture
def county_office(world):
    region = Region.objects.get(name="城中区")
    inst = Institution.objects.create(
        name="城中区联动办", short_name="城中联办", code="城中联办", kind="office", level="county", region=region
    )
    return User.objects.create(username="county_office", institution=inst, role=User.Role.OFFICE)


def test_a_county_office_registers_only_for_its_own_region(county_office, agency_staff, county_gov_legal):
    with pytest.raises(ValidationError) as exc:
        services.ledger_create(
            by=county_office,
            owner=agency_staff.institution,
            title="x",
            clause="四(二)",
            due_date=timezone.localdate() + dt.timedelta(days=5),
        )
    assert "owner" in exc.value.message_dict
    e = services.ledger_create(
        by=county_office,
        owner=county_gov_legal.institution,
        title="x",
        clause="四(二)",
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    assert e.owner == county_gov_legal.institution


def test_the_api_registers_and_filters_by_clause(api, office, agency_staff, outsider_agency):
    body = {"owner": str(agency_staff.institution.uuid), "title": "共享目录", "clause": "四(二)3", "due_date": later()}
    assert api(agency_staff).post("/api/v1/ledger/", body, format="json").status_code == 403
    bad = api(office).post("/api/v1/ledger/", {**body, "clause": "九(一)"}, format="json")
    assert bad.status_code == 400 and "clause" in bad.json()
    created = api(office).post("/api/v1/ledger/", body, format="json")
    assert created.status_code == 201 and created.json()["clause"] == "四(二)3"
    assert "complete" in api(agency_staff).get(f"/api/v1/ledger/{created.json()['uuid']}/").json()["allowed_actions"]
    entry(outsider_agency.institution, title="未分条目的事项")
    listed = api(office).get("/api/v1/ledger/?clause=四(二)").json()["results"]
    assert [row["title"] for row in listed] == ["共享目录"]


# ----------------------------------------------------------------------------- 催办


def overdue(owner):
    e = entry(owner, title="逾期的事项", due_in=-3, start_ago=30)
    LedgerEntry.objects.filter(pk=e.pk).update(status=LedgerEntry.Status.OVERDUE)
    e.refresh_from_db()
    return e


def test_the_office_urges_an_overdue_entry_with_a_numbered_letter(office, office_head, agency_staff, agency_head):
    e = overdue(agency_staff.institution)
    detail = client_for(office).get(f"/ledger/{e.uuid}/").content.decode()
    assert f'href="/ledger/{e.uuid}/urge/" data-verb="ledger.urge"' in detail
    assert client_for(office).get(f"/ledger/{e.uuid}/urge/").status_code == 200
    empty = client_for(office).post(f"/ledger/{e.uuid}/urge/", {"message": ""})
    assert empty.status_code == 200 and not LedgerUrge.objects.exists()
    response = client_for(office).post(f"/ledger/{e.uuid}/urge/", {"message": "请于本周内办结并报送。", "letter": "on"})
    assert response.status_code == 302
    urge = LedgerUrge.objects.get(entry=e)
    assert urge.message == "请于本周内办结并报送。" and urge.created_by == office
    letter = urge.letter
    assert letter.status == Letter.Status.PENDING and letter.issuer == office.institution
    assert letter.addressees() == [agency_staff.institution] and "已逾期 3 天" in letter.body
    assert actions_of(e)[-1] == "ledger.urge"
    assert AuditEntry.objects.filter(action="ledger.urge", target_id=e.pk).get().after["letter"] == str(letter.uuid)
    for user in (agency_staff, agency_head):
        assert Notification.objects.filter(user=user, kind="ledger.urge").count() == 1
    assert Notification.objects.filter(user=office_head, kind="letter.pending", awaits="letter.issue").exists()
    # The office head signs the 督办函 off: numbered and delivered to the owner, who sees it on the entry.
    services.letter_issue(letter=letter, by=office_head)
    letter.refresh_from_db()
    assert letter.doc_number.startswith("柳联办函〔")
    owner_view = client_for(agency_staff).get(f"/ledger/{e.uuid}/").content.decode()
    assert "催办记录" in owner_view and "请于本周内办结并报送。" in owner_view
    assert f'<a href="/letters/{letter.uuid}/">{letter.doc_number}</a>' in owner_view
    assert 'data-verb="ledger.urge"' not in owner_view


def test_urging_without_a_letter_only_notifies(api, office, agency_staff):
    e = entry(agency_staff.institution)
    response = api(office).post(f"/api/v1/ledger/{e.uuid}/urge/", {"message": "请抓紧办理"}, format="json")
    assert response.status_code == 200
    assert response.json()["urges"][0]["message"] == "请抓紧办理" and response.json()["urges"][0]["letter"] is None
    assert LedgerUrge.objects.get(entry=e).letter is None and not Letter.objects.exists()
    assert Notification.objects.filter(user=agency_staff, kind="ledger.urge").exists()
    assert audit_count(e) == 1


def test_urging_is_the_offices_on_open_entries_only(api, office, agency_staff, gov_legal, auditor, outsider_agency):
    e = entry(agency_staff.institution)
    for user in (agency_staff, gov_legal, auditor):
        assert client_for(user).get(f"/ledger/{e.uuid}/urge/").status_code == 403
        assert api(user).post(f"/api/v1/ledger/{e.uuid}/urge/", {"message": "x"}, format="json").status_code == 403
    assert client_for(outsider_agency).get(f"/ledger/{e.uuid}/urge/").status_code == 404
    assert (
        api(outsider_agency).post(f"/api/v1/ledger/{e.uuid}/urge/", {"message": "x"}, format="json").status_code == 404
    )
    services.ledger_complete(entry=e, by=agency_staff, evidence="已办结")
    assert api(office).post(f"/api/v1/ledger/{e.uuid}/urge/", {"message": "x"}, format="json").status_code == 409
    refused = client_for(office).post(f"/ledger/{e.uuid}/urge/", {"message": "x"}, follow=True)
    assert "已办结" in refused.content.decode()
    assert not LedgerUrge.objects.exists()


def test_a_sourced_entry_may_be_urged(api, office, agency_staff):
    e = services.ledger_open(
        owner=agency_staff.institution,
        title="来源事项",
        start_date=timezone.localdate(),
        period=10,
        source=office.institution,
    )
    assert "urge" in api(office).get(f"/api/v1/ledger/{e.uuid}/").json()["allowed_actions"]


# ----------------------------------------------------------------------------- region letters, inspections


def test_the_office_reads_its_regions_letters(office, auditor, court_clerk, court_head, agency_staff, county_office):
    letter = issued_letter(court_clerk, court_head, [agency_staff.institution], title="关于共享执法信息的函")
    services.letter_submit(
        letter=services.letter_create(
            by=court_clerk, title="尚未签发的函", body="x", addressees=[agency_staff.institution]
        ),
        by=court_clerk,
    )
    for user in (office, auditor):
        page = client_for(user).get("/letters/region/").content.decode()
        assert "关于共享执法信息的函" in page and "尚未签发的函" not in page and "本区域公文" in page
        assert client_for(user).get(f"/letters/{letter.uuid}/").status_code == 200
    assert "关于共享执法信息的函" not in client_for(county_office).get("/letters/region/").content.decode()
    for user in (agency_staff, court_clerk):
        assert client_for(user).get("/letters/region/").status_code == 403
        assert client_for(user).get("/letters/region/export/").status_code == 403
    filtered = client_for(office).get(f"/letters/region/?issuer={agency_staff.institution.uuid}").content.decode()
    assert "关于共享执法信息的函" not in filtered
    assert client_for(office).get("/letters/region/export/").status_code == 200


def test_the_region_letters_query_count_is_constant(
    office, court_clerk, court_head, agency_staff, django_assert_max_num_queries
):
    for i in range(3):
        issued_letter(court_clerk, court_head, [agency_staff.institution], title=f"函{i}")
    client = client_for(office)
    client.get("/letters/region/")
    with django_assert_max_num_queries(20) as captured:
        client.get("/letters/region/")
    first = len(captured)
    for i in range(5):
        issued_letter(court_clerk, court_head, [agency_staff.institution], title=f"更多函{i}")
    with django_assert_max_num_queries(first):
        client.get("/letters/region/")


def test_inspections_by_clause(office, agency_staff):
    due = timezone.localdate() + dt.timedelta(days=10)
    services.ledger_create(by=office, owner=agency_staff.institution, title="共享目录", clause="四(二)3", due_date=due)
    services.ledger_create(by=office, owner=agency_staff.institution, title="联席会议", clause="四(一)", due_date=due)
    entry(agency_staff.institution, title="其他事项")
    response = client_for(office).post("/inspections/new/", {"title": "信息共享专项检查", "clause": "四(二)"})
    assert response.status_code == 302
    client_for(office).post("/inspections/new/", {"title": "全部事项检查", "clause": ""})
    from liaison.models import Inspection

    by_clause = Inspection.objects.get(title="信息共享专项检查")
    assert by_clause.clause == "四(二)" and [row["title"] for row in by_clause.snapshot] == ["共享目录"]
    assert len(Inspection.objects.get(title="全部事项检查").snapshot) == 3
    listed = client_for(office).get("/inspections/?clause=四(二)").content.decode()
    assert "信息共享专项检查" in listed and "全部事项检查" not in listed
    ledger = client_for(office).get("/ledger/?clause=四(二)").content.decode()
    assert "共享目录" in ledger and "联席会议" not in ledger and "其他事项" not in ledger
