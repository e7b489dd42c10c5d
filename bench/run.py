"""The benchmark: wrk against gunicorn, every endpoint next to the two ceilings, interleaved.

    python -m bench.run --label after [--rounds 2] [--duration 4]

For each round and endpoint: `wrk -c1` for a single request's latency (p50/p95/p99) and
`wrk -c2` (two sync workers) for requests per second. The ceilings (bare JsonResponse,
bare DRF list) are measured between every few endpoints; an endpoint's ratio is its req/s
over the mean of the ceiling measurements just before and after it. Ratios are the
figures to compare across runs (the machine is shared); absolute numbers are noisy.
Writes bench/results/<label>.json and prints a Markdown table.
"""

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import common

HERE = Path(__file__).resolve().parent
LUA = HERE / "report.lua"


def wrk(path: str, cookie: str, *, connections: int, duration: float) -> dict:
    url = f"http://{common.HOST}:{common.PORT}{path}"
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", str(LUA)]
    for k, v in {**common.BASE_HEADERS, "Cookie": cookie}.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("{"))
    r = json.loads(line)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
    return r


def pdf_ratio(letter, repeat: int = 3) -> dict:
    """The portal's letter PDF (context, template, WeasyPrint) against bare WeasyPrint of the same HTML."""
    from weasyprint import HTML

    from liaison.pdf import STATIC_ORIGIN, StaticOnlyFetcher, render_letter, render_letter_html

    html = render_letter_html(letter)
    portal, bare = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        render_letter(letter)
        portal.append(time.perf_counter() - t)
        t = time.perf_counter()
        HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher()).write_pdf()
        bare.append(time.perf_counter() - t)
    p, b = statistics.median(portal), statistics.median(bare)
    return {"portal_ms": p * 1000, "bare_ms": b * 1000, "ratio": p / b}


def ensure_pdf(letter):
    from liaison.tasks import render_letter_pdf

    if not letter.pdf_sha256:
        render_letter_pdf(letter.pk)
        letter.refresh_from_db()
    elif not letter.pdf.storage.exists(letter.pdf.name):
        # Rendered by a checkout with another MEDIA_ROOT: put the file back where this one looks.
        from django.core.files.base import ContentFile

        from liaison.pdf import render_letter

        letter.pdf.storage.save(letter.pdf.name, ContentFile(render_letter(letter)))


def check(rows, cookies) -> None:
    """Every URL answers 200 for its persona before it is timed (a redirect would time the login page)."""
    for label, persona, path in rows:
        status, body, _ = common.get(path, cookies[persona])
        if status != 200:
            raise SystemExit(f"{label} as {persona}: {path} answered {status}: {body[:200]!r}")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument("--ceiling-every", type=int, default=4, help="endpoints between ceiling measurements")
    parser.add_argument("--only", default="", help="substring: time only matching endpoints")
    parser.add_argument("--persona", default="", help="time only this viewer's endpoints (office, agency, …)")
    args = parser.parse_args(argv)

    sample = common.samples()
    if sample["letter"] is not None:
        ensure_pdf(sample["letter"])
    rows = common.endpoints(sample)
    if args.only:
        rows = [r for r in rows if args.only in r[0] or args.only in r[2]]
    if args.persona:
        rows = [r for r in rows if r[1] == args.persona]
    personas = {p for _, p, _ in rows + common.CEILINGS}
    cookies = {p: common.session_cookie(common.persona_user(p)) for p in personas}
    check(rows + common.CEILINGS, cookies)
    info = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "label": args.label}
    info["machine"] = common.machine()
    info["data"] = common.data_size()
    print(json.dumps(info, ensure_ascii=False, indent=1), flush=True)
    if sample["letter"] is not None:
        info["pdf"] = pdf_ratio(sample["letter"])
        print(
            f"letter PDF: portal {info['pdf']['portal_ms']:.0f} ms, bare WeasyPrint {info['pdf']['bare_ms']:.0f} ms, "
            f"ratio {info['pdf']['ratio']:.2f}",
            flush=True,
        )

    results = {
        f"{label}|{persona}": {"label": label, "persona": persona, "path": path, "runs": []}
        for label, persona, path in rows
    }
    ceilings = {label: [] for label, _, _ in common.CEILINGS}

    def measure_ceilings():
        point = {}
        for label, persona, path in common.CEILINGS:
            r = wrk(path, cookies[persona], connections=2, duration=args.duration)
            ceilings[label].append(r)
            point[label] = r["rps"]
        return point

    for rnd in range(args.rounds):
        before = measure_ceilings()
        pending = []
        for i, (label, persona, path) in enumerate(rows):
            alone = wrk(path, cookies[persona], connections=1, duration=args.duration)
            loaded = wrk(path, cookies[persona], connections=2, duration=args.duration)
            pending.append((f"{label}|{persona}", alone, loaded))
            print(
                f"round {rnd + 1} {label} ({persona}): {loaded['rps']:.1f} req/s, "
                f"alone p50 {alone['p50_us'] / 1000:.1f} ms p95 {alone['p95_us'] / 1000:.1f} ms"
                f"{'  ERRORS' if loaded['status_errors'] or alone['status_errors'] else ''}",
                flush=True,
            )
            if (i + 1) % args.ceiling_every == 0 or i == len(rows) - 1:
                after = measure_ceilings()
                for key, a, lo in pending:
                    json_c = (before["bare JsonResponse"] + after["bare JsonResponse"]) / 2
                    drf_c = (before["bare DRF list (50)"] + after["bare DRF list (50)"]) / 2
                    results[key]["runs"].append(
                        {
                            "alone": a,
                            "loaded": lo,
                            "ceiling_json_rps": json_c,
                            "ceiling_drf_rps": drf_c,
                            "ratio_drf": lo["rps"] / drf_c,
                            "ratio_json": lo["rps"] / json_c,
                        }
                    )
                pending, before = [], after

    info["ceilings"] = {
        label: {
            "rps_median": statistics.median(r["rps"] for r in runs),
            "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
            "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
        }
        for label, runs in ceilings.items()
    }
    table = []
    for r in results.values():
        runs = r["runs"]
        table.append(
            {
                "endpoint": r["label"],
                "persona": r["persona"],
                "path": r["path"],
                "ratio_drf": statistics.median(x["ratio_drf"] for x in runs),
                "ratio_json": statistics.median(x["ratio_json"] for x in runs),
                "rps": statistics.median(x["loaded"]["rps"] for x in runs),
                "p50_ms": statistics.median(x["alone"]["p50_us"] for x in runs) / 1000,
                "p95_ms": max(x["alone"]["p95_us"] for x in runs) / 1000,
                "p99_ms": max(x["alone"]["p99_us"] for x in runs) / 1000,
                "errors": sum(
                    x["alone"]["status_errors"]
                    + x["loaded"]["status_errors"]
                    + x["alone"]["socket_errors"]
                    + x["loaded"]["socket_errors"]
                    for x in runs
                ),
            }
        )
    info["endpoints"] = table
    out = HERE / "results" / f"{args.label}.json"
    out.write_text(json.dumps(info, ensure_ascii=False, indent=1, default=str))
    print(markdown(info))
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


def markdown(info) -> str:
    c = info["ceilings"]
    lines = [
        f"**{info['label']}** — {info['date']}, {info['machine']['cores']} cores ({info['machine']['cpu']}), "
        f"{info['machine']['database']}, CONN_MAX_AGE={info['machine']['conn_max_age']}, "
        f"load {' '.join(info['machine']['load_average'])}",
        "",
        "data: " + ", ".join(f"{k} {v:,}" for k, v in info["data"].items()),
        "",
        f"ceilings (median req/s, c=2): bare JsonResponse {c['bare JsonResponse']['rps_median']:.0f}, "
        f"bare DRF list {c['bare DRF list (50)']['rps_median']:.0f}",
        "",
        "| endpoint | viewer | ÷ bare DRF | ÷ bare JSON | req/s | alone p50 | alone p95 | alone p99 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in info["endpoints"]:
        err = " ⚠ errors" if r["errors"] else ""
        lines.append(
            f"| {r['endpoint']} | {r['persona']} | {r['ratio_drf']:.2f} | {r['ratio_json']:.3f} | {r['rps']:.1f} | "
            f"{r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms | {r['p99_ms']:.1f} ms{err} |"
        )
    if "pdf" in info:
        p = info["pdf"]
        lines += [
            "",
            f"letter PDF render: portal {p['portal_ms']:.0f} ms vs bare WeasyPrint {p['bare_ms']:.0f} ms "
            f"of the same HTML = {p['ratio']:.2f}×",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
