"""City-scale benchmark data: `seed_scale --cases 200000 --suggestions 20000 --letters 20000`.

Bulk inserts (COPY on PostgreSQL), reproducible by `--seed`, across every institution and
the last three calendar years. The hub writes institutions, accounts and letters; each
domain app's `scale.py` (if any) writes its own records. See liaison/scale.py.
"""

import argparse
import datetime as dt
import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from liaison import scale
from liaison.demo import ensure_institutions
from liaison.models import Letter


def date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是 YYYY-MM-DD 格式的日期：{value!r}") from None


class Command(BaseCommand):
    help = "批量生成城市规模的基准测试数据（可重复：同一 --seed 在空库上生成相同数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=200_000, help="行政案件数（默认 200000）")
        parser.add_argument("--suggestions", type=int, default=20_000, help="司法建议与检察建议数（默认 20000）")
        parser.add_argument("--letters", type=int, default=20_000, help="公文数（默认 20000，不含建议书和回复）")
        parser.add_argument("--meetings", type=int, default=0, help="会议数（由会议模块生成；未安装时忽略）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument("--years", type=int, default=3, help="覆盖的自然年数，截至今天（默认 3）")
        parser.add_argument(
            "--today", type=date_arg, default=None, help="以该日为“今天”（YYYY-MM-DD；默认今天），便于复现"
        )
        parser.add_argument("--batch", type=int, default=50_000, help="每批写入的行数")

    def handle(self, *args, **options):
        if options["years"] < 1 or min(options["cases"], options["suggestions"], options["letters"]) < 0:
            raise CommandError("数量不能为负，--years 至少为 1。")
        t0 = time.monotonic()
        ensure_institutions()
        if Letter.objects.filter(
            created_by__username__startswith="seed", created_by__institution__isnull=False
        ).exists():
            raise CommandError("数据库中已有 seed_scale 生成的数据：请在新的数据库上运行（同一种子才能得到相同数据）。")
        ctx = scale.Context(options, self.stdout)
        modules = []
        for app_config in apps.get_app_configs():
            if app_config.name != "liaison" and importlib.util.find_spec(f"{app_config.name}.scale") is not None:
                module = importlib.import_module(f"{app_config.name}.scale")
                if hasattr(module, "seed"):
                    modules.append((app_config.name, module))
        if options["meetings"] and "meetings" not in {name for name, _ in modules}:
            self.stderr.write("未安装会议模块（meetings），--meetings 被忽略。")
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL synchronous_commit = off")
            scale.ensure_users(ctx)
            scale.seed_letters(ctx)
            for _name, module in modules:
                module.seed(ctx)
            ctx.flush()
            ctx.save_counters()
            scale.reset_sequences(ctx.writers)
        if connection.vendor == "postgresql":
            # Statistics for the planner, and (VACUUM, outside a transaction) the visibility map
            # that lets index-only scans skip the heap: a bulk load leaves neither.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cur:
                for model in ctx.writers:
                    cur.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        rows = sum(w.count for w in ctx.writers.values())
        self.stdout.write(
            f"完成：{rows} 行，用时 {time.monotonic() - t0:.1f} 秒（种子 {options['seed']}，"
            f"{ctx.start.isoformat()} 至 {ctx.today.isoformat()}，canary {len(ctx.canaries)} 个）。"
        )
