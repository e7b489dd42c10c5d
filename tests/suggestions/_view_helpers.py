"""Builders shared by the suggestion page tests (test_views_*.py)."""

import datetime as dt

from django.utils import timezone

from liaison.models import Delivery, Letter
from suggestions import services
from suggestions.models import Suggestion

from ..liaison._view_helpers import client_for  # noqa: F401  (re-exported for the page tests)

CITY_AGENCY = "柳州市城市管理行政执法局"


def draft(author, recipient, **fields):
    fields.setdefault("title", "关于规范行政执法程序的建议")
    fields.setdefault("problem", "执法文书送达程序不规范。")
    fields.setdefault("recommendations", "完善送达程序，加强执法人员培训。")
    if author.institution.kind == "procuratorate":
        fields.setdefault("subkind", "general")
    return services.suggestion_create(by=author, recipient=recipient, **fields)


def bulk_suggestions(issuer_user, recipient, n, *, prefix="批量建议", status=Suggestion.Status.RECEIVED, due_in=30):
    """Many issued suggestions written directly (test data, not a workflow): letter, delivery, deadline."""
    issuer = issuer_user.institution
    today = timezone.localdate()
    now = timezone.now()
    year = today.year
    base = 20000 + Letter.objects.filter(issuer=issuer, series="jian").count()
    letters = Letter.objects.bulk_create(
        [
            Letter(
                issuer=issuer,
                series="jian",
                year=year,
                number=base + i,
                doc_number=f"{issuer.code}建〔{year}〕{base + i}号",
                title=f"{prefix}{i}",
                body="正文",
                status=Letter.Status.ISSUED,
                created_by=issuer_user,
                issued_on=today,
                issued_at=now,
            )
            for i in range(n)
        ]
    )
    letters = list(Letter.objects.filter(issuer=issuer, title__startswith=prefix).order_by("number"))
    Delivery.objects.bulk_create([Delivery(letter=letter, recipient=recipient, delivered_at=now) for letter in letters])
    received = status not in (Suggestion.Status.ISSUED,)
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                kind="judicial" if issuer.kind == "court" else "procuratorial",
                subkind="" if issuer.kind == "court" else "general",
                issuer=issuer,
                recipient=recipient,
                title=letter.title,
                problem="问题",
                recommendations="建议",
                reply_period=2,
                reply_unit="months",
                status=status,
                letter=letter,
                issued_on=today - dt.timedelta(days=10),
                received_on=today - dt.timedelta(days=9) if received else None,
                reply_due=today + dt.timedelta(days=due_in) if received else None,
                reply_due_explained="签收 + 2个月" if received else "",
                created_by=issuer_user,
            )
            for letter in letters
        ]
    )
    return list(Suggestion.objects.filter(issuer=issuer, title__startswith=prefix))
