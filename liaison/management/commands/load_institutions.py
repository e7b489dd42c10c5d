"""Create or update the Liuzhou regions and institutions (no users): safe in production."""

from django.core.management.base import BaseCommand

from liaison.demo import ensure_institutions


class Command(BaseCommand):
    help = "创建或更新柳州市行政区域和机关单位（不创建用户，可在生产环境执行，可重复执行）。"

    def handle(self, *args, **options):
        institutions = ensure_institutions()
        self.stdout.write(f"机关单位：共 {len(institutions)} 个。")
