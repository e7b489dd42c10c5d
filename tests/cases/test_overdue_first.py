"""Overdue first on the 裁执分离 and 执行监督 lists (page and API): the running deadline ascending (most
overdue first), then open rows without one, then closed ones, newest first among equals; a column the
user sorts by still wins."""

from cases.models import Enforcement, SupervisionApplication

from ._work_helpers import bulk_enforcements, bulk_supervisions, client_for, listed
from .conftest import APPLICANT, CITY_AGENCY


def test_enforcements_read_overdue_first(court_clerk, inst, api):
    # feedback due in -5 … 14 days (i % 20 - 5), written in no particular order of deadline
    bulk_enforcements(inst["柳州市中级人民法院"], inst[APPLICANT], inst[CITY_AGENCY], court_clerk, 20)
    done = Enforcement.objects.get(respondent="被执行人0")  # the most overdue by date, but fed back
    Enforcement.objects.filter(pk=done.pk).update(status=Enforcement.Status.FEEDBACK)
    review = Enforcement.objects.get(respondent="被执行人19")  # back under review: no deadline runs
    Enforcement.objects.filter(pk=review.pk).update(status=Enforcement.Status.APPLIED)
    rows = listed(client_for(court_clerk).get("/cases/enforcements/"))
    assert [e.respondent for e in rows[:2]] == ["被执行人1", "被执行人2"]  # 4 and 3 days overdue
    running = [e.feedback_due for e in rows[:18]]
    assert running == sorted(running) and all(e.status == "assigned" for e in rows[:18])
    assert [e.respondent for e in rows[18:]] == ["被执行人19", "被执行人0"]
    body = api(court_clerk).get("/api/v1/enforcements/").json()
    assert [r["respondent"] for r in body["results"]] == [e.respondent for e in rows]
    by_due = listed(client_for(court_clerk).get("/cases/enforcements/", {"sort": "feedback_due"}))
    assert by_due[0].respondent == "被执行人0"


def test_supervision_applications_read_overdue_first(proc_staff, inst, api):
    bulk_supervisions(proc_staff.institution, inst["柳州市中级人民法院"], inst[CITY_AGENCY], proc_staff, 6)
    # decision due in 0 … 5 days; make one overdue and one decided
    SupervisionApplication.objects.filter(applicant="申请人4").update(
        decision_due=SupervisionApplication.objects.get(applicant="申请人0").decision_due.replace(year=2020)
    )
    SupervisionApplication.objects.filter(applicant="申请人0").update(status=SupervisionApplication.Status.DECIDED)
    rows = listed(client_for(proc_staff).get("/cases/supervisions/"))
    assert [a.applicant for a in rows] == ["申请人4", "申请人1", "申请人2", "申请人3", "申请人5", "申请人0"]
    body = api(proc_staff).get("/api/v1/supervisions/").json()
    assert [r["applicant"] for r in body["results"]] == [a.applicant for a in rows]
