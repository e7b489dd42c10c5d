"""Canaries under load (QUALITY.md 1): many institutions at once, every body scanned.

    python -m bench.canary [--threads 8] [--passes 3]

seed_scale plants `CANARY-<code>-<hex>` in records whose audience is known: drafts (their
issuer only) and a few cases per court. Who may see each canary is worked out here from
the rows themselves (a policy written for this check, not the portal's access code):
a draft's issuer; a case's court, its defendants and their superiors, the procuratorates
and governments drawn into it, and the office overseeing the regions involved. Threads
then request lists, searches for "CANARY", API lists and detail pages as different
institutions at the same time, and every body is scanned for canaries the requesting
institution may not see. Prints `N requests, C canaries seen, 0 leaks`; exits 1 on a leak.
"""

import argparse
import random
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from . import common

CANARY = re.compile(r"CANARY-(?:\\u[0-9a-fA-F]{4}|[^\s\"'<>&-]){1,40}-([0-9a-f]{12})")


def audience() -> dict[str, set[int]]:
    """hex suffix → institutions allowed to see it."""
    from cases.models import AdministrativeCase, CaseSupervision, Coordination, Observation
    from liaison.models import Institution, Letter
    from suggestions.models import Suggestion

    allowed: dict[str, set[int]] = {}

    def marks(*texts):
        for t in texts:
            for m in CANARY.finditer(t or ""):
                yield m.group(1)

    for letter in Letter.objects.filter(title__contains="CANARY-", status=Letter.Status.DRAFT):
        for m in marks(letter.title, letter.body):
            allowed.setdefault(m, set()).add(letter.issuer_id)
    for s in Suggestion.objects.filter(title__contains="CANARY-", letter__isnull=True):
        for m in marks(s.title, s.problem):
            allowed.setdefault(m, set()).add(s.issuer_id)
    parents = dict(Institution.objects.values_list("pk", "parent_id"))
    regions = dict(Institution.objects.values_list("pk", "region_id"))
    region_parent = {i.region_id: i.region.parent_id for i in Institution.objects.select_related("region")}
    offices = list(Institution.objects.filter(kind=Institution.Kind.OFFICE).select_related("region"))
    for case in AdministrativeCase.objects.filter(plaintiffs__contains="CANARY-").prefetch_related("defendants"):
        who = {case.court_id}
        for d in case.defendants.all():
            who |= {d.pk, parents.get(d.pk)}
        for c in Coordination.objects.filter(case=case):
            who |= {c.government_id, c.procuratorate_id}
        who |= set(CaseSupervision.objects.filter(case=case).values_list("procuratorate_id", flat=True))
        who |= set(Observation.objects.filter(case=case).values_list("procuratorate_id", flat=True))
        involved = {regions[case.court_id]} | {regions[d.pk] for d in case.defendants.all()}
        for office in offices:
            # A city office oversees its region and every county below it; a county office its own.
            if office.region_id in involved or any(region_parent.get(r) == office.region_id for r in involved):
                who.add(office.pk)
        for m in marks(case.plaintiffs, case.summary):
            allowed.setdefault(m, set()).update(w for w in who if w)
    return allowed


def urls_for(sample) -> list[str]:
    q = "CANARY"
    paths = [
        "/",
        f"/letters/outbox/?q={q}",
        f"/letters/inbox/?q={q}",
        "/letters/outbox/",
        f"/suggestions/?q={q}",
        "/suggestions/",
        f"/cases/?q={q}",
        "/cases/",
        f"/api/v1/letters/?search={q}",
        "/api/v1/letters/",
        f"/api/v1/suggestions/?q={q}",
        "/api/v1/suggestions/",
        f"/api/v1/cases/?q={q}",
        "/api/v1/cases/",
        "/ledger/",
        "/notifications/",
    ]
    return paths


def detail_urls() -> list[str]:
    """Every canary record's own pages: each persona asks for all of them (answers must be 404 or clean)."""
    from cases.models import AdministrativeCase
    from liaison.models import Letter
    from suggestions.models import Suggestion

    out = []
    for uuid in Letter.objects.filter(title__contains="CANARY-").values_list("uuid", flat=True):
        out += [f"/letters/{uuid}/", f"/api/v1/letters/{uuid}/"]
    for uuid in Suggestion.objects.filter(title__contains="CANARY-").values_list("uuid", flat=True):
        out += [f"/suggestions/{uuid}/", f"/api/v1/suggestions/{uuid}/"]
    for uuid in AdministrativeCase.objects.filter(plaintiffs__contains="CANARY-").values_list("uuid", flat=True):
        out += [f"/cases/{uuid}/", f"/api/v1/cases/{uuid}/"]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--details", type=int, default=40, help="canary detail URLs per persona and pass")
    args = parser.parse_args(argv)

    allowed = audience()
    if not allowed:
        raise SystemExit("no canaries in this database: seed it with manage.py seed_scale")
    users = {p: common.persona_user(p) for p in common.PERSONAS}
    cookies = {p: common.session_cookie(u) for p, u in users.items()}
    lists = urls_for(None)
    details = detail_urls()
    rng = random.Random(1)
    jobs = []
    for _ in range(args.passes):
        for p in users:
            jobs += [(p, u) for u in lists]
            jobs += [(p, u) for u in rng.sample(details, min(args.details, len(details)))]
    rng.shuffle(jobs)

    lock = threading.Lock()
    stats = Counter()
    leaks = []
    seen = set()
    local = threading.local()

    def run(job):
        persona, path = job
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = common.http.client.HTTPConnection(common.HOST, common.PORT, timeout=120)
        try:
            status, body, headers = common.get(path, cookies[persona], conn)
        except Exception:
            local.conn = None
            status, body, headers = common.get(path, cookies[persona])
        text = body.decode("utf-8", "replace") + " ".join(f"{k}: {v}" for k, v in headers.items())
        inst = users[persona].institution_id
        found = {m.group(1) for m in CANARY.finditer(text)}
        with lock:
            stats["requests"] += 1
            stats[f"status {status}"] += 1
            for m in found:
                seen.add(m)
                who = allowed.get(m)
                if who is None:
                    stats["unknown canaries"] += 1
                elif inst not in who:
                    leaks.append((persona, path, m))

    t0 = time.monotonic()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(run, jobs))
    secs = time.monotonic() - t0
    statuses = ", ".join(f"{k.split()[1]}×{v}" for k, v in sorted(stats.items()) if k.startswith("status"))
    print(
        f"canary load: {stats['requests']} requests by {len(users)} institutions' users in {secs:.1f} s "
        f"({stats['requests'] / secs:.1f} req/s, {args.threads} threads; {statuses}); "
        f"{len(allowed)} canaries planted, {len(seen)} seen by someone allowed to; {len(leaks)} leaks"
    )
    for persona, path, m in leaks[:20]:
        print(f"  LEAK {persona} {path} {m}")
    if stats["status 500"]:
        print("server errors under load")
    return 1 if leaks or stats["status 500"] else 0


if __name__ == "__main__":
    sys.exit(main())
