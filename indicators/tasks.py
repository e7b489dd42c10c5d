from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def draft_bulletins():
    """After each quarter: draft the city's and each county's 季度指标通报 (idempotent)."""
    from .services import draft_quarter

    return [str(b.uuid) for b in draft_quarter()]
