"""Builders shared by the suggestions API tests (test_api_*.py)."""

import datetime as dt

from django.utils import timezone

from liaison.models import AuditEntry, Delivery, LedgerEntry, Letter
from suggestions.models import Extension, Filing, Reply, Suggestion

URL = "/api/v1/suggestions/"
STATS_URL = "/api/v1/suggestions/statistics/"
FILINGS_URL = "/api/v1/filings/"
CITY_AGENCY = "柳州市城市管理行政执法局"


def detail(s, action=""):
    return f"{URL}{s.uuid}/" + (f"{action}/" if action else "")


def payload(recipient, **extra):
    """A valid draft for `recipient` (an Institution)."""
    return {
        "recipient": str(recipient.uuid),
        "title": "关于规范行政执法程序的建议",
        "problem": "执法文书送达程序不规范。",
        "recommendations": "完善送达程序，加强执法人员培训。",
        **extra,
    }


def snapshot():
    """Row counts a refused request must leave untouched."""
    return tuple(
        model.objects.count()
        for model in (Suggestion, Reply, Extension, Filing, Letter, Delivery, LedgerEntry, AuditEntry)
    )


def post(client, url, data=None):
    return client.post(url, data if data is not None else {}, format="json")


def bulk_received(n, issuer_user, recipient, *, cc=None, due_in=30, prefix="批量建议"):
    """Many received suggestions written directly (test data for lists, not a workflow)."""
    issuer = issuer_user.institution
    today = timezone.localdate()
    now = timezone.now()
    base = 30000 + Letter.objects.count()
    letters = Letter.objects.bulk_create(
        Letter(
            issuer=issuer,
            series="jian",
            year=today.year,
            number=base + i,
            doc_number=f"{issuer.code}建〔{today.year}〕{base + i}号",
            title=f"{prefix}{i}",
            body="正文",
            status=Letter.Status.ISSUED,
            created_by=issuer_user,
            signed_off_by=issuer_user,
            issued_on=today,
            issued_at=now,
        )
        for i in range(n)
    )
    Delivery.objects.bulk_create(
        Delivery(letter=letter, recipient=recipient, kind="to", position=0, delivered_at=now, signed_on=today)
        for letter in letters
    )
    kind = "judicial" if issuer.kind == "court" else "procuratorial"
    rows = Suggestion.objects.bulk_create(
        Suggestion(
            kind=kind,
            subkind="" if kind == "judicial" else "general",
            issuer=issuer,
            recipient=recipient,
            title=f"{prefix}{i}",
            problem="问题",
            recommendations="建议",
            reply_period=2,
            reply_unit="months",
            status=Suggestion.Status.RECEIVED,
            letter=letter,
            issued_on=today,
            received_on=today,
            reply_due=today + dt.timedelta(days=due_in),
            created_by=issuer_user,
        )
        for i, letter in enumerate(letters)
    )
    if cc is not None:
        Suggestion.cc.through.objects.bulk_create(
            Suggestion.cc.through(suggestion_id=s.pk, institution_id=cc.pk) for s in rows
        )
    return rows
