"""Create or update the periodic tasks that celery beat (DatabaseScheduler) runs. Idempotent.

The hub's own entries are below; the apps add theirs with `liaison.plugins.register(schedules=…)`.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from liaison import plugins

# name, task, crontab (minute, hour, day_of_week, day_of_month, month_of_year), description
SCHEDULES = [
    (
        "台账每日巡检（提醒与逾期升级）",
        "liaison.tasks.sweep_deadlines",
        ("0", "6", "*", "*", "*"),
        "每天 06:00（北京时间）提醒即将到期的台账事项，标记逾期并向上级和办公室升级。",
    ),
    (
        "清理过期的 API 幂等键",
        "liaison.tasks.purge_idempotency_keys",
        ("30", "3", "*", "*", "*"),
        "每天 03:30（北京时间）删除超过保留期（IDEMPOTENCY_KEY_DAYS，默认 7 天）的 Idempotency-Key 记录。",
    ),
]


class Command(BaseCommand):
    help = "创建或更新 celery beat 定时任务（可重复执行）。"

    def handle(self, *args, **options):
        for name, task, (minute, hour, dow, dom, moy), description in [*SCHEDULES, *plugins.schedules()]:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week=dow,
                day_of_month=dom,
                month_of_year=moy,
                timezone=settings.TIME_ZONE,
            )
            PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": task,
                    "crontab": crontab,
                    "interval": None,
                    "solar": None,
                    "clocked": None,
                    "args": json.dumps([]),
                    "kwargs": json.dumps({}),
                    "enabled": True,
                    "one_off": False,
                    "description": description,
                },
            )
            self.stdout.write(f"定时任务：{name} → {task}（{minute} {hour} {dom} {moy} {dow}，{settings.TIME_ZONE}）")
