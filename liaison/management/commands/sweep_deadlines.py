"""Run the daily ledger sweep by hand (celery beat runs it at 06:00): remind, mark overdue, escalate."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from liaison.services import ledger_sweep


class Command(BaseCommand):
    help = "立即执行台账巡检：到期提醒、逾期标记与升级（可重复执行，不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按指定日期巡检（YYYY-MM-DD），默认今天。")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today 应为 YYYY-MM-DD，而不是 {today!r}") from None
        result = ledger_sweep(today=day)
        self.stdout.write(f"台账巡检完成：提醒 {result['reminded']} 项，逾期升级 {result['escalated']} 项。")
