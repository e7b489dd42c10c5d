"""Beat jobs for meetings. Idempotent: run twice, they make one proposal and one reminder."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=120, time_limit=180)
def propose_scheduled_meetings() -> int:
    from .services import scheduled_proposals

    made = scheduled_proposals()
    logger.info("scheduled meeting proposals: %d", len(made))
    return len(made)


@shared_task(soft_time_limit=120, time_limit=180)
def remind_meetings() -> int:
    from .services import send_reminders

    sent = send_reminders()
    logger.info("meeting reminders: %d", sent)
    return sent
