from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def draft_bulletins():
    """After each quarter: draft the city's and each county's 季度指标通报 (idempotent)."""
    from .services import draft_quarter

    return [str(b.uuid) for b in draft_quarter()]


@shared_task(soft_time_limit=900, time_limit=960)
def draft_annual_reports():
    """In January: draft last year's 行政诉讼司法审查报告 for the city and each county (idempotent)."""
    from .report_services import draft_year

    return [str(r.uuid) for r in draft_year()]
