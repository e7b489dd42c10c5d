"""Builders shared by the case-work page tests (test_views_work_*.py)."""

import datetime as dt
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import (
    ClueTransfer,
    Dispute,
    Enforcement,
    Observation,
    ObservationAttendance,
    Review,
    SupervisionApplication,
)
from liaison.models import Institution

from ..liaison._view_helpers import client_for  # noqa: F401  (re-exported for the page tests)


def today() -> dt.date:
    return timezone.localdate()


def body(response) -> str:
    return response.content.decode()


def verbs_shown(response) -> set[str]:
    """The transitions a page offers: its buttons' data-verb (rendered from cases/flows.py)."""
    return set(re.findall(r'data-verb="([^"]+)"', response.content.decode()))


def rows_of(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    return header, rows


def listed(response) -> list:
    return list(response.context["page"].object_list)


def queries_for(client, url, params=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    return len(ctx.captured_queries), response


def named(name: str) -> Institution:
    return Institution.objects.get(name=name)


# ----------------------------------------------------------------------------- bulk rows (test data, not workflows)


def bulk_enforcements(court, applicant, assignee, by, n, *, prefix="批量执行"):
    today_ = today()
    Enforcement.objects.bulk_create(
        [
            Enforcement(
                court=court,
                applicant=applicant,
                basis="decision",
                basis_reference=f"{prefix}〔2026〕{i}号",
                respondent=f"被执行人{i}",
                obligation="限期拆除",
                applied_on=today_ - dt.timedelta(days=40),
                status=Enforcement.Status.ASSIGNED,
                ruling="granted",
                ruled_on=today_ - dt.timedelta(days=30),
                assignee=assignee,
                feedback_due=today_ + dt.timedelta(days=i % 20 - 5),
                feedback_due_explained="裁定 + 30日",
                created_by=by,
            )
            for i in range(n)
        ]
    )


def bulk_supervisions(procuratorate, court, agency, by, n, *, prefix="申请人"):
    today_ = today()
    SupervisionApplication.objects.bulk_create(
        [
            SupervisionApplication(
                procuratorate=procuratorate,
                applicant=f"{prefix}{i}",
                court=court,
                enforcing_agency=agency,
                request="申请监督",
                received_on=today_ - dt.timedelta(days=10),
                decision_due=today_ + dt.timedelta(days=i % 30),
                decision_due_explained="收到申请 + 3个月",
                created_by=by,
            )
            for i in range(n)
        ]
    )


def bulk_clues(sender, recipient, by, n, *, prefix="线索"):
    ClueTransfer.objects.bulk_create(
        [
            ClueTransfer(
                sender=sender,
                recipient=recipient,
                summary=f"{prefix}{i}",
                sent_on=today() - dt.timedelta(days=3),
                created_by=by,
            )
            for i in range(n)
        ]
    )


def bulk_disputes(agency, government, court, by, n, *, prefix="争议"):
    Dispute.objects.bulk_create(
        [
            Dispute(
                title=f"{prefix}{i}",
                applicant=f"申请人{i}",
                agency=agency,
                government=government,
                court=court,
                summary="概况",
                received_on=today() - dt.timedelta(days=i % 50),
                created_by=by,
            )
            for i in range(n)
        ]
    )


def bulk_observations(case, agencies, by, n, *, prefix="观摩"):
    Observation.objects.bulk_create(
        [
            Observation(
                case=case,
                court=case.court,
                held_on=today() - dt.timedelta(days=i % 30),
                title=f"{prefix}{i}",
                created_by=by,
            )
            for i in range(n)
        ]
    )
    observations = list(Observation.objects.filter(title__startswith=prefix))
    ObservationAttendance.objects.bulk_create(
        [
            ObservationAttendance(observation=o, institution=a, invited=5, attended=3)
            for o in observations
            for a in agencies
        ]
    )


def bulk_reviews(case, participants, by, n):
    existing = list(Review.objects.filter(case=case).values_list("pk", flat=True))
    Review.objects.bulk_create(
        [
            Review(
                case=case,
                court=case.court,
                held_on=today() - dt.timedelta(days=i % 30),
                act_problems=f"问题{i}",
                created_by=by,
            )
            for i in range(n)
        ]
    )
    reviews = list(Review.objects.filter(case=case).exclude(pk__in=existing))
    Review.participants.through.objects.bulk_create(
        [Review.participants.through(review=r, institution=p) for r in reviews for p in participants]
    )
