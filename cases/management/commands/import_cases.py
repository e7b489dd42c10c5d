"""Import a court's case list from an .xlsx file, as the given court user (see docs/case-import.md).

    manage.py import_cases --user court_clerk 案件清单.xlsx [--only-valid] [--dry-run]

Row errors are printed one per line; with errors and without --only-valid nothing is saved
and the command exits non-zero.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases import importer
from liaison.errors import Conflict


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入本院的行政案件清单。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="导入模板格式的 .xlsx 文件")
        parser.add_argument("--user", required=True, help="执行导入的法院用户的用户名（案件登记在其所属法院）")
        parser.add_argument("--only-valid", action="store_true", help="只导入无误的行，跳过有错误的行")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不保存")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.select_related("institution").get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"用户“{options['user']}”不存在。") from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在。")

        started = time.monotonic()
        try:
            with path.open("rb") as fh:
                preview = importer.preview(user=user, file=fh, filename=path.name)
        except PermissionDenied:
            raise CommandError(f"用户“{user.get_username()}”无权导入案件（须为法院的工作人员）。") from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None

        for message in preview.errors:
            self.stderr.write(message)
        counts = preview.counts
        self.stdout.write(
            f"共 {counts['rows']} 行：新建 {counts['create']}，更新 {counts['update']}，"
            f"无变化 {counts['unchanged']}，有错误 {counts['invalid']}。"
        )
        if options["dry_run"]:
            self.stdout.write("试运行：未保存任何数据。")
            return
        if counts["invalid"] and not options["only_valid"]:
            raise CommandError(
                f"有 {counts['invalid']} 行存在错误，未导入任何案件（可加 --only-valid 只导入无误的行）。"
            )
        try:
            result = importer.commit(user=user, preview=preview, only_valid=options["only_valid"])
        except (ValidationError, Conflict) as exc:
            raise CommandError("；".join(getattr(exc, "messages", None) or [str(exc)])) from None
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：新建 {result.created}，更新 {result.updated}，无变化 {result.unchanged}，"
                f"跳过 {result.skipped}（用时 {elapsed:.1f} 秒）。"
            )
        )
