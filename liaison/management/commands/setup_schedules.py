"""Create or update the periodic tasks that celery beat (DatabaseScheduler) runs. Idempotent."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# name, task, crontab (minute, hour, day_of_week, day_of_month, month_of_year), description
SCHEDULES = [
    (
        "台账每日巡检（提醒与逾期升级）",
        "liaison.tasks.sweep_deadlines",
        ("0", "6", "*", "*", "*"),
        "每天 06:00（北京时间）提醒即将到期的台账事项，标记逾期并向上级和办公室升级。",
    ),
    (
        "季度司法建议、检察建议情况函告（起草）",
        "suggestions.tasks.draft_periodic_reports",
        ("0", "7", "*", "1", "1,4,7,10"),
        "每季度首日 07:00 为各发文机关起草上一季度建议发出与回复情况的函告（可重复执行）。",
    ),
    (
        "清理过期的案件导入预览文件",
        "cases.tasks.purge_import_previews",
        ("30", "3", "*", "*", "*"),
        "每天 03:30 删除一天前上传而未确认导入的表格文件。",
    ),
]


class Command(BaseCommand):
    help = "创建或更新 celery beat 定时任务（可重复执行）。"

    def handle(self, *args, **options):
        for name, task, (minute, hour, dow, dom, moy), description in SCHEDULES:
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
