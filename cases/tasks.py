from celery import shared_task


@shared_task(soft_time_limit=120, time_limit=180)
def purge_import_previews() -> int:
    """Daily: delete kept spreadsheet uploads older than a day (previews never confirmed)."""
    from .importer import purge_stale_previews

    return purge_stale_previews()
