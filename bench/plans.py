"""The query plans behind each list page and endpoint: what `bench/RESULTS.md` quotes.

    DATABASE_URL=postgres://…/fy_bench python -m bench.plans [--only cases] [--verbose]

Each list URL is requested in-process (Django's test client, logged in as the persona),
every SQL statement it ran is captured, and the slow ones (over --threshold ms, default 5)
are run again under `EXPLAIN (ANALYZE, BUFFERS)`: the execution time, the buffers and the
top of the plan are printed. The sum is the request's SQL time (best of --repeat runs).
Read-only: EXPLAIN ANALYZE of a SELECT changes nothing.
"""

import argparse
import os
import re
import sys
import time
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.common import persona_user  # noqa: E402

# (label, persona, path): the lists of the issue, wide and narrow viewers, first and deep pages.
LISTS = [
    ("cases page 1", "office", "/cases/"),
    ("cases page 1", "agency", "/cases/"),
    ("cases page 1", "court", "/cases/"),
    ("cases page 1", "county_gov", "/cases/"),
    ("cases page 51 (offset 2500)", "agency", "/cases/?page=51"),
    ("cases page 51 (offset 2500)", "court", "/cases/?page=51"),
    ("cases page 500 (offset 24950)", "office", "/cases/?page=500"),
    ("cases page 500 (offset 24950)", "court", "/cases/?page=500"),
    ("cases last page", "office", "/cases/?page=last"),
    ("cases last page", "agency", "/cases/?page=last"),
    ("cases ?q=公安", "agency", "/cases/?q=%E5%85%AC%E5%AE%89"),
    ("api cases", "office", "/api/v1/cases/"),
    ("api cases", "agency", "/api/v1/cases/"),
    ("api cases page 51", "agency", "/api/v1/cases/?page=51"),
    ("api cases last page", "office", "/api/v1/cases/?page=last"),
    ("api cases page 500", "office", "/api/v1/cases/?page=500"),
    ("suggestions page 1", "office", "/suggestions/"),
    ("suggestions page 1", "agency", "/suggestions/"),
    ("suggestions page 1", "court", "/suggestions/"),
    ("suggestions deep page", "court", "/suggestions/?page=last"),
    ("api suggestions", "agency", "/api/v1/suggestions/"),
    ("api letters", "office", "/api/v1/letters/"),
    ("api letters", "agency", "/api/v1/letters/"),
    ("api letters page 200", "office", "/api/v1/letters/?page=200"),
    ("api letters last page", "agency", "/api/v1/letters/?page=last"),
    ("api suggestions last page", "court", "/api/v1/suggestions/?page=last"),
    ("letters inbox", "agency", "/letters/inbox/"),
    ("meetings list", "office", "/meetings/"),
]
# Keyword search at 2, 3 and 4 characters: a pg_trgm index serves `LIKE '%…%'` only from three
# characters (a pattern's trigrams), the gram index (cases 0010) shorter ones; 公安… matches a
# defendant's name, 建材… and 王某 a plaintiff, 行初… a 案号 (行初: three cases in four).
KEYWORDS = ["公安", "公安局", "建材", "建材有", "建材有限", "行初5104", "行初", "王某"]
LISTS += [
    (f"cases ?q={k} ({len(k)} chars)", persona, f"/cases/?q={quote(k)}")
    for k in KEYWORDS
    for persona in ("office", "agency", "court")
]
LISTS += [
    (f"suggestions ?q={k} ({len(k)} chars)", persona, f"/suggestions/?q={quote(k)}")
    for k in ("规范", "规范政", "规范政府")
    for persona in ("office", "agency")
]

PLAN_TIME = re.compile(r"Execution Time: ([\d.]+) ms")
BUFFERS = re.compile(r"shared hit=(\d+)(?: read=(\d+))?")


def explain(sql: str) -> tuple[float, list[str]]:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [r[0] for r in cur.fetchall()]
    ms = next((float(m.group(1)) for line in lines if (m := PLAN_TIME.search(line))), 0.0)
    return ms, lines


def run(client, path) -> tuple[int, float, list[dict]]:
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        r = client.get(path, secure=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        wall = (time.perf_counter() - t) * 1000
    return r.status_code, wall, list(ctx.captured_queries)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    parser.add_argument("--threshold", type=float, default=5.0, help="EXPLAIN queries slower than this (ms)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="print whole plans")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="one table row per list: EXPLAIN ANALYZE time and buffers of all its queries",
    )
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("bench.plans needs PostgreSQL (DATABASE_URL)")
    setup_test_environment()  # the test client keeps each response's template context
    settings.ALLOWED_HOSTS = ["*"]
    load = open("/proc/loadavg").read().split()[:3]
    print(f"load average {' '.join(load)}")
    if args.summary:
        print("| list | viewer | queries | EXPLAIN ANALYZE (sum) | buffers (sum) |\n|---|---|---|---|---|")
    clients = {}
    for label, persona, path in LISTS:
        if args.only and args.only not in label and args.only not in path:
            continue
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(persona_user(persona))
        client = clients[persona]
        if path.endswith("page=last"):
            # The last page of this viewer's list, whatever its length.
            first = client.get(path.replace("page=last", "page=1"), secure=True)
            if first.get("Content-Type", "").startswith("application/json"):
                n = max(1, -(-first.json()["count"] // 50))
            else:
                n = first.context["page"].paginator.num_pages
            path = path.replace("page=last", f"page={n}")
        best = None
        for _ in range(args.repeat):
            status, wall, queries = run(client, path)
            if best is None or wall < best[1]:
                best = (status, wall, queries)
        status, wall, queries = best
        sql_ms = sum(float(q["time"]) * 1000 for q in queries)
        if args.summary:
            total_ms, total_buffers = 0.0, 0
            for q in queries:
                if not q["sql"].lstrip().upper().startswith(("SELECT", "(SELECT")):
                    continue
                ms, lines = explain(q["sql"])
                top = next((line for line in lines if "Buffers:" in line), "")
                m = BUFFERS.search(top)
                total_ms += ms
                total_buffers += int(m.group(1)) + int(m.group(2) or 0) if m else 0
            print(f"| {label} | {persona} | {len(queries)} | {total_ms:.1f} ms | {total_buffers:,} |", flush=True)
            continue
        print(
            f"\n## {label} — {persona} — {path}: {status}, {wall:.0f} ms wall, {len(queries)} queries, "
            f"{sql_ms:.0f} ms SQL"
        )
        for q in queries:
            if float(q["time"]) * 1000 < args.threshold:
                continue
            ms, lines = explain(q["sql"])
            buffers = next((line.strip() for line in lines if "Buffers:" in line), "")
            print(f"- {ms:.1f} ms: {q['sql'][:160]}…")
            print(f"    {lines[0].strip()[:150]}  [{buffers[:80]}]")
            for line in lines[1 : (len(lines) if args.verbose else 6)]:
                print(f"    {line[:150]}")


if __name__ == "__main__":
    main()
