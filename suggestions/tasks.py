from celery import shared_task


@shared_task(soft_time_limit=300, time_limit=360)
def draft_periodic_reports() -> int:
    """Quarterly: draft each issuer's 函告 on last quarter's suggestions (idempotent)."""
    from .services import periodic_reports_draft_all

    return periodic_reports_draft_all()
