"""Demo data for the indicators: eight quarters of cases, hearings and suggestions, and one
issued bulletin (registered as the app's demo loader; idempotent).

The hub's and the other apps' demo loaders make this year's records; this adds the history the
dashboards, bulletins and the annual report need (2024Q4 to this quarter): each quarter a few
city cases and a county case concluded and effective in it, with hearings and appearances
(head, a deputy with a written explanation, or nobody), judicial suggestions received and
replied to (on time, late, not at all), and the last quarter's city bulletin issued by the
court's head. Every step goes through the services on its own date (story_time), so timelines
and the consistency checks (tests/liaison/test_demo_consistency.py) hold.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from liaison.demo import sign_for, story_time
from liaison.models import Institution, Region

from .periods import Period

MARK = "（2024）桂02行初501号"  # the first case this loader makes: present means loaded
CITY = [
    "柳州市城市管理行政执法局",
    "柳州市自然资源和规划局",
    "柳州市住房和城乡建设局",
    "柳州市市场监督管理局",
    "柳州市生态环境局",
    "柳州市公安局",
]
COUNTY = ["柳州市城中区人民政府", "柳州市城中区司法局"]
LOST = ["revoke", "confirm_illegal", "order_perform"]
NOT_LOST = ["dismiss_claims", "withdrawal", "dismiss_suit", "mediation", "dismiss_claims"]
EXPLANATION = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(inst: Institution, n: int) -> tuple[str, str]:
    from cases.demo import head_for

    name, post = head_for(inst, n)
    if inst.kind == Institution.Kind.GOVERNMENT and inst.level != Institution.Level.CITY:
        post = "副区长"  # 城中区 is a district: its government is represented by a deputy district head
    return name, post


def _case(users, *, n, court_user, number, defendant, cause, filed, outcome, rng, quarter, today):
    from cases import services

    with story_time(filed, hour=9):
        case = services.case_create(
            by=court_user,
            number=number,
            instance="first",
            cause=cause,
            plaintiffs="原告某",
            defendants=[defendant],
            filed_on=filed,
            summary="原告不服被告作出的行政行为，诉至本院。",
        )
    held = filed + dt.timedelta(days=rng.randrange(25, 35))
    if held >= today:
        return case
    with story_time(held, hour=9):
        hearing = services.hearing_add(case=case, by=court_user, held_on=held, court_room="第一法庭")
    # Heads appear more often as the quarters go by (the trend the charts show).
    roll = rng.random()
    kind = "head" if roll < 0.45 + 0.05 * quarter else ("delegated" if roll < 0.8 + 0.02 * quarter else "none")
    name, post = _post(defendant, n)
    with story_time(held, hour=17):
        services.appearance_record(
            hearing=hearing,
            by=court_user,
            defendant=defendant,
            kind=kind,
            person_name={"head": name, "delegated": "李某某"}.get(kind, ""),
            person_post={"head": post, "delegated": "法制科科长"}.get(kind, ""),
            explanation=SimpleUploadedFile("书面说明.pdf", EXPLANATION, "application/pdf")
            if kind == "delegated"
            else None,
        )
    concluded = held + dt.timedelta(days=rng.randrange(5, 15))
    effective = concluded + dt.timedelta(days=16)
    if effective >= today:
        return case
    obligation = outcome.code in LOST
    with story_time(effective, hour=10):
        services.case_conclude(
            case=case,
            by=court_user,
            outcome=outcome,
            concluded_on=concluded,
            effective_on=effective,
            imposes_obligation=obligation,
        )
    if obligation and effective + dt.timedelta(days=10) < today:
        with story_time(effective + dt.timedelta(days=10), hour=11):
            services.case_record_performance(case=case, by=court_user, performed_voluntarily=rng.random() < 0.75)
    return case


def _cases(users, today) -> int:
    from cases.models import Cause, Outcome

    rng = random.Random(2410)
    causes = {
        c.name: c for c in Cause.objects.filter(name__in=["行政处罚", "政府信息公开", "行政强制执行", "行政许可"])
    }
    outcomes = {o.code: o for o in Outcome.objects.filter(code__in=LOST + NOT_LOST)}
    city = [i for i in Institution.objects.filter(name__in=CITY)]
    county = [i for i in Institution.objects.filter(name__in=COUNTY)]
    first = Period(2024, 4)
    quarters = [q for q in Period.containing(today).trail(12) if (q.year, q.quarter) >= (first.year, first.quarter)]
    made, n = 0, 500
    for qi, q in enumerate(quarters):
        for k in range(7):
            n += 1
            county_case = k == 6 and county
            defendant = county[n % len(county)] if county_case else city[n % len(city)]
            # filed about 45 days before the quarter's middle, so it concludes and takes effect in it
            filed = q.start + dt.timedelta(days=rng.randrange(0, 30)) - dt.timedelta(days=45)
            cause = causes["政府信息公开"] if k in (2, 5) else causes[["行政处罚", "行政强制执行", "行政许可"][k % 3]]
            # fewer losses as the quarters go by
            lost = rng.random() < 0.35 - 0.02 * qi
            outcome = outcomes[rng.choice(LOST if lost else NOT_LOST)]
            if county_case:
                number = f"（{filed.year}）桂0202行初{n}号"
                court_user = users["county_clerk"]
            else:
                number = f"（{filed.year}）桂02行初{n}号"
                court_user = users["court_clerk"]
            _case(
                users,
                n=n,
                court_user=court_user,
                number=number,
                defendant=defendant,
                cause=cause,
                filed=filed,
                outcome=outcome,
                rng=rng,
                quarter=qi,
                today=today,
            )
            made += 1
    return made


def _suggestions(users, today) -> int:
    """One judicial suggestion a quarter to 市城管局, replied on time, late, or (the last) not yet."""
    from suggestions import services

    made = 0
    recipient = Institution.objects.get(name="柳州市城市管理行政执法局")
    for qi, q in enumerate(Period.containing(today).previous().trail(8)):
        issued_on = q.start - dt.timedelta(days=40) + dt.timedelta(days=qi % 3)
        received_on = issued_on + dt.timedelta(days=2)
        with story_time(issued_on - dt.timedelta(days=2), hour=9):
            s = services.suggestion_create(
                by=users["court_clerk"],
                recipient=recipient,
                title=f"关于规范行政执法程序的司法建议（{q.code}）",
                category="enforcement",
                problem="执法文书送达、听取陈述申辩等程序存在瑕疵，多起案件因此被撤销或确认违法。",
                recommendations="开展执法案卷评查，统一文书格式，落实重大执法决定法制审核。",
            )
            services.suggestion_submit(suggestion=s, by=users["court_clerk"])
        with story_time(issued_on - dt.timedelta(days=1), hour=10):
            services.suggestion_approve(suggestion=s, by=users["court_head"])
        with story_time(issued_on, hour=15):
            s = services.suggestion_issue(suggestion=s, by=users["court_head"], issued_on=issued_on)
        with story_time(received_on, hour=10):
            s = services.suggestion_receive(suggestion=s, by=users["agency_head"], received_on=received_on)
        made += 1
        if qi == 7:
            continue  # the last one awaits its reply
        # replied within the two months, except every third one (late)
        late = qi % 3 == 1
        replied_on = (s.reply_due + dt.timedelta(days=12)) if late else (received_on + dt.timedelta(days=40))
        if replied_on >= today:
            continue
        with story_time(replied_on, hour=14):
            reply = services.suggestion_reply(
                suggestion=s, by=users["agency_head"], measures="已开展执法案卷评查，修订执法文书格式，落实法制审核。"
            )
        reply.refresh_from_db()
        if reply.letter_id is None:
            continue
        # The court signs for the reply and, a few days later, evaluates it; the latest reply
        # is left for the court to evaluate.
        signed_on = replied_on + dt.timedelta(days=1)
        sign_for(users, reply.letter, on=signed_on)
        evaluated_on = signed_on + dt.timedelta(days=3)
        if evaluated_on < today - dt.timedelta(days=30):
            with story_time(evaluated_on, hour=16):
                services.suggestion_evaluate(suggestion=s, by=users["court_clerk"], evaluation="adopted")
    return made


def _bulletin(users, today) -> str:
    """Last quarter's city bulletin, drafted after the quarter, reviewed and issued."""
    from . import services

    period = Period.containing(today).previous()
    drafted = period.end + dt.timedelta(days=5)
    if drafted >= today:
        return ""
    region = Region.objects.filter(parent__isnull=True).order_by("id").first()
    with story_time(drafted, hour=7):
        bulletin, created = services.bulletin_draft(region=region, period=period)
    if not created or bulletin.status != bulletin.Status.DRAFT:
        return ""
    with story_time(min(drafted + dt.timedelta(days=3), today), hour=10):
        services.bulletin_comment(
            bulletin=bulletin,
            by=users["office"],
            commentary="建议各行政机关落实负责人出庭应诉制度，败诉率较高的单位开展执法案卷评查。\n"
            "对逾期未回复司法建议的单位，由市司法局督促办理。",
        )
        services.bulletin_submit(bulletin=bulletin, by=users["office"])
    with story_time(min(drafted + dt.timedelta(days=6), today), hour=15):
        bulletin = services.bulletin_issue(bulletin=bulletin, by=users["court_head"])
    sign_for(users, bulletin.letter, on=min(drafted + dt.timedelta(days=7), today))
    return bulletin.letter.doc_number


def load(users, stdout=None) -> int:
    from cases.models import AdministrativeCase

    if AdministrativeCase.objects.filter(number=MARK).exists():
        return 0
    today = timezone.localdate()
    with transaction.atomic():
        cases = _cases(users, today)
        suggestions = _suggestions(users, today)
        number = _bulletin(users, today)
    if stdout is not None:
        stdout.write(f"演示数据：指标历史案件 {cases} 件、司法建议 {suggestions} 件；已印发通报 {number or '—'}。")
    return cases + suggestions
