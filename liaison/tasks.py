"""Celery tasks. They take ids, re-fetch, and return quietly when there is nothing to do."""

import gc
import logging

from celery import shared_task
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=90, time_limit=120)
def render_letter_pdf(letter_id: int) -> bool:
    from . import services
    from .models import Letter
    from .pdf import render_letter

    letter = Letter.objects.filter(pk=letter_id, status=Letter.Status.ISSUED).first()
    if letter is None or letter.pdf_sha256:
        return False
    try:
        pdf_bytes = render_letter(letter)
        return services.store_letter_pdf(letter_id=letter_id, pdf_bytes=pdf_bytes)
    finally:
        gc.collect()  # WeasyPrint keeps large structures alive across renders


@shared_task(soft_time_limit=30, time_limit=60)
def send_notification_emails(notification_ids: list[int]) -> int:
    from .models import Notification

    sent = 0
    for n in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        if not n.user.email:
            continue
        send_mail(n.title, f"{n.body}\n\n{n.url}".strip(), None, [n.user.email], fail_silently=True)
        sent += 1
    return sent


@shared_task(soft_time_limit=300, time_limit=360)
def sweep_deadlines() -> dict:
    from .services import ledger_sweep

    result = ledger_sweep()
    logger.info("ledger sweep: %s", result)
    return result


@shared_task(soft_time_limit=300, time_limit=360)
def purge_idempotency_keys() -> int:
    from .api.idempotency import purge_expired

    deleted = purge_expired()
    logger.info("idempotency keys purged: %s", deleted)
    return deleted
