"""Where a request's CPU goes, measured in-process: figures that do not depend on the machine's load.

    DATABASE_URL=postgres://…/fy_bench_copy DJANGO_SETTINGS_MODULE=bench.settings DEBUG=0 \\
        python -m bench.profile [--only cases] [--top 25] [--repeat 20]
        python -m bench.profile --path '/cases/?q=公安' --persona office,agency

Each endpoint of `bench.common.endpoints` (the ones `make bench` times, plus the ceilings) is
requested through Django's test client with the persona's session cookie, as the benchmark's
gunicorn workers serve it (DEBUG=0, the production middleware, a persistent connection). For
each: the Python function calls of one request (cProfile; the same count every run — the
figure to compare), the median CPU time of the process per request and the median wall time
(their difference is mostly the wait for PostgreSQL), and the number of queries. With --top N
the profile's N most expensive functions (cumulative and own time) are printed too.

It writes sessions (one per persona): run it on a copy of the benchmark database
(`createdb -T fy_bench fy_mine`), never on the shared one.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from . import common  # noqa: E402  (django.setup())


def request(client, path):
    r = client.get(path, secure=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    if r.status_code != 200:
        raise SystemExit(f"{path}: {r.status_code}")
    if hasattr(r, "streaming_content"):
        b"".join(r.streaming_content)
    return r


def measure(client, path, repeat):
    for _ in range(3):  # warm: templates compiled, translations and the connection open
        request(client, path)
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        request(client, path)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    with CaptureQueriesContext(connection) as ctx:
        request(client, path)
    queries = len(ctx.captured_queries)  # before the next request resets the log
    prof = cProfile.Profile()
    prof.enable()
    request(client, path)
    prof.disable()
    stats = pstats.Stats(prof)
    return {
        "calls": stats.total_calls,
        "cpu_ms": statistics.median(cpu) * 1000,
        "wall_ms": statistics.median(wall) * 1000,
        "queries": queries,
        "stats": stats,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="substring of the label or path")
    parser.add_argument("--persona", default="", help="one persona, or with --path a comma-separated list")
    parser.add_argument("--path", action="append", default=[], help="request this path instead (repeatable)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--top", type=int, default=0, help="print this many functions of each profile")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --top (cumulative, tottime)")
    args = parser.parse_args(argv)
    settings.ALLOWED_HOSTS = ["*"]
    if args.path:
        rows = [
            (p, persona, quote(p, safe="/?=&")) for p in args.path for persona in (args.persona or "office").split(",")
        ]
    else:
        rows = common.endpoints(common.samples()) + common.CEILINGS
        rows = [r for r in rows if not args.only or args.only in r[0] or args.only in r[2]]
        rows = [r for r in rows if not args.persona or r[1] == args.persona]
    clients = {}
    load = open("/proc/loadavg").read().split()[:3]
    print(f"load average {' '.join(load)}; DEBUG={settings.DEBUG}")
    print(
        "| endpoint | viewer | Python calls | CPU ms (median) | wall ms (median) | queries |\n|---|---|---|---|---|---|"
    )
    for label, persona, path in rows:
        if persona not in clients:
            client = Client()
            name, value = common.session_cookie(common.persona_user(persona)).split("=", 1)
            client.cookies[name] = value
            clients[persona] = client
        m = measure(clients[persona], path, args.repeat)
        print(
            f"| {label} | {persona} | {m['calls']:,} | {m['cpu_ms']:.1f} | {m['wall_ms']:.1f} | {m['queries']} |",
            flush=True,
        )
        if args.top:
            out = io.StringIO()
            m["stats"].stream = out
            m["stats"].sort_stats(args.sort).print_stats(args.top)
            print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


if __name__ == "__main__":
    main()
