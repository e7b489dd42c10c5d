"""Builders shared by the page tests (test_views_*.py)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from liaison import services
from liaison.models import AuditEntry, Delivery, LedgerEntry, Letter, Notification


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def draft_letter(by, to, cc=(), title="关于规范城市管理行政执法程序的函"):
    return services.letter_create(by=by, title=title, body="经审理发现……\n\n请研究。", addressees=list(to), cc=list(cc))


def issued_letter(clerk, head, to, cc=(), title="关于规范城市管理行政执法程序的函"):
    letter = draft_letter(clerk, to, cc, title=title)
    services.letter_submit(letter=letter, by=clerk)
    return services.letter_issue(letter=letter, by=head)


def bulk_letters(issuer, author, recipient, n, *, status=Letter.Status.ISSUED, prefix="批量"):
    """Many issued letters with one delivery each, written directly (test data, not a workflow)."""
    now = timezone.now()
    year = timezone.localdate().year
    letters = Letter.objects.bulk_create(
        [
            Letter(
                issuer=issuer,
                series="han",
                year=year if status == Letter.Status.ISSUED else None,
                number=(10000 + i) if status == Letter.Status.ISSUED else None,
                doc_number=f"{issuer.code}函〔{year}〕{10000 + i}号" if status == Letter.Status.ISSUED else None,
                title=f"{prefix}{i}",
                body="正文",
                status=status,
                created_by=author,
                issued_on=timezone.localdate() if status == Letter.Status.ISSUED else None,
                issued_at=now if status == Letter.Status.ISSUED else None,
            )
            for i in range(n)
        ]
    )
    letters = list(Letter.objects.filter(title__startswith=prefix, issuer=issuer))
    Delivery.objects.bulk_create(
        [
            Delivery(letter=letter, recipient=recipient, delivered_at=now if status == Letter.Status.ISSUED else None)
            for letter in letters
        ]
    )
    return letters


def bulk_entries(owner, n, *, due_date=None, status=LedgerEntry.Status.OPEN, prefix="台账事项"):
    today = timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=30)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                owner=owner,
                title=f"{prefix}{i}",
                start_date=today - dt.timedelta(days=10),
                period=40,
                unit="days",
                due_date=due_date,
                due_explained=f"起算 {today - dt.timedelta(days=10)} + 40日",
                status=status,
            )
            for i in range(n)
        ]
    )
    return list(LedgerEntry.objects.filter(owner=owner, title__startswith=prefix))


def entry(owner, *, title="答复司法建议", due_in=10, start_ago=30):
    today = timezone.localdate()
    return LedgerEntry.objects.create(
        owner=owner,
        title=title,
        start_date=today - dt.timedelta(days=start_ago),
        period=start_ago + due_in,
        unit="days",
        due_date=today + dt.timedelta(days=due_in),
        due_explained="起算",
    )


def bulk_notifications(user, n):
    Notification.objects.bulk_create(
        [Notification(user=user, kind="test", title=f"通知{i}", key=f"test:{i}", url="/ledger/") for i in range(n)]
    )


def audit_count(obj) -> int:
    return AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(type(obj)), target_id=obj.pk).count()
