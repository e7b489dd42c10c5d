"""Demo cases for Liuzhou, made through the services (idempotent by 案号)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from liaison.demo import story_time
from liaison.models import Institution

from . import services
from .models import AdministrativeCase, Cause, Outcome

CITY_DEFENDANTS = [
    "柳州市城市管理行政执法局",
    "柳州市自然资源和规划局",
    "柳州市住房和城乡建设局",
    "柳州市人力资源和社会保障局",
    "柳州市市场监督管理局",
    "柳州市生态环境局",
    "柳州市公安局",
    "柳州市人民政府",
]
CAUSES = [
    "行政处罚",
    "行政强制执行",
    "行政征收或者征用",
    "政府信息公开",
    "行政许可",
    "行政确认",
    "不履行职责",
    "行政协议",
]
OUTCOMES = ["dismiss_claims", "revoke", "withdrawal", "confirm_illegal", "dismiss_suit", "mediation", "order_perform"]
PLAINTIFFS = [
    "韦某",
    "覃某",
    "黄某",
    "梁某",
    "莫某",
    "蓝某",
    "潘某",
    "廖某",
    "柳州市某建材有限公司",
    "广西某物流有限公司",
]


SURNAMES = "韦覃黄梁莫蓝潘廖李陈"


def head_for(defendant: Institution, n: int) -> tuple[str, str]:
    """A responsible person (负责人, 法释〔2020〕3号) fitting the defendant: a government's
    (vice-)mayor or county head, an agency's (deputy) director."""
    name = f"{SURNAMES[n % len(SURNAMES)]}某某"
    if defendant.kind == Institution.Kind.GOVERNMENT:
        return name, "副市长" if defendant.level == Institution.Level.CITY else "副县（区）长"
    return name, "局长" if n % 5 == 0 else "副局长"


def load(users, stdout=None) -> int:
    clerk, head = users["court_clerk"], users["court_head"]
    if AdministrativeCase.objects.filter(number="（2026）桂02行初1号").exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    start = dt.date(today.year, 1, 5)
    span = max((today - start).days - 40, 30)
    defendants = {i.name: i for i in Institution.objects.filter(name__in=CITY_DEFENDANTS)}
    causes = {c.name: c for c in Cause.objects.filter(name__in=CAUSES)}
    outcomes = {o.code: o for o in Outcome.objects.filter(code__in=OUTCOMES)}
    made = []
    with transaction.atomic():
        for n in range(1, 41):
            defendant = defendants[CITY_DEFENDANTS[n % len(CITY_DEFENDANTS)]]
            filed = start + dt.timedelta(days=rng.randrange(span))
            held = min(filed + dt.timedelta(days=rng.randrange(20, 40)), today - dt.timedelta(days=1))
            # Each step on its own date (story_time), so the case timeline matches the case's dates.
            with story_time(filed, hour=9):
                case = services.case_create(
                    by=clerk,
                    number=f"（2026）桂02行初{n}号",
                    instance="first",
                    cause=causes[CAUSES[n % len(CAUSES)]],
                    plaintiffs=PLAINTIFFS[n % len(PLAINTIFFS)],
                    defendants=[defendant],
                    filed_on=filed,
                    major_category="land_expropriation" if n in (4, 17) else ("environment" if n == 12 else ""),
                    summary="原告不服被告作出的行政行为，诉至本院。",
                )
                hearing = services.hearing_add(case=case, by=clerk, held_on=held, court_room=f"第{n % 4 + 1}法庭")
            appeared = n % 3 != 0
            name, post = head_for(defendant, n)
            with story_time(held, hour=17):
                services.appearance_record(
                    hearing=hearing,
                    by=clerk,
                    defendant=defendant,
                    kind="head" if appeared else "none",
                    person_name=name if appeared else "",
                    person_post=post if appeared else "",
                )
            if n % 4 != 0:  # three in four concluded
                concluded = min(held + dt.timedelta(days=rng.randrange(5, 30)), today)
                outcome = outcomes[OUTCOMES[n % len(OUTCOMES)]]
                effective = min(concluded + dt.timedelta(days=16), today)
                obligation = outcome.code in ("revoke", "order_perform", "confirm_illegal")
                with story_time(effective, hour=10):
                    services.case_conclude(
                        case=case,
                        by=clerk,
                        outcome=outcome,
                        concluded_on=concluded,
                        effective_on=effective,
                        imposes_obligation=obligation,
                    )
                if obligation:
                    with story_time(min(effective + dt.timedelta(days=10), today), hour=11):
                        services.case_record_performance(case=case, by=clerk, performed_voluntarily=n % 5 != 0)
            made.append(case)

        major = AdministrativeCase.objects.get(number="（2026）桂02行初4号")
        if major.status == "pending":
            opened = major.hearings.order_by("held_on").first().held_on
            with story_time(opened, hour=14):
                coordination = services.coordination_open(
                    case=major,
                    by=clerk,
                    government=Institution.objects.get(name="柳州市人民政府"),
                    subject="集体土地征收补偿安置争议协调",
                )
                services.coordination_invite(
                    coordination=coordination,
                    by=clerk,
                    procuratorate=Institution.objects.get(name="柳州市人民检察院"),
                )
            with story_time(min(opened + dt.timedelta(days=3), today), hour=10):
                services.communication_add(
                    coordination=coordination,
                    by=clerk,
                    summary="与市政府法制部门沟通补偿标准适用问题，约定联合调查。",
                )

        applied_on, ruled_on = today - dt.timedelta(days=50), today - dt.timedelta(days=40)
        with story_time(applied_on, hour=9):
            enforcement = services.enforcement_create(
                by=clerk,
                applicant=defendants["柳州市城市管理行政执法局"],
                basis="decision",
                basis_reference="柳城管罚决字〔2026〕88号",
                respondent="柳州市某商贸有限公司",
                obligation="限期拆除违法搭建的钢结构棚房",
                money_obligation=False,
                applied_on=applied_on,
            )
        with story_time(ruled_on, hour=15):
            services.enforcement_rule(
                enforcement=enforcement,
                by=head,
                ruling="granted",
                reasons="",
                ruled_on=ruled_on,
                assignee=defendants["柳州市城市管理行政执法局"],
            )
        received_on = today - dt.timedelta(days=10)
        with story_time(received_on, hour=10):
            services.supervision_create(
                by=users["proc_staff"],
                applicant="柳州市某商贸有限公司",
                court=clerk.institution,
                enforcing_agency=defendants["柳州市城市管理行政执法局"],
                request="认为强制拆除范围超出裁定准予执行的范围，申请检察监督。",
                received_on=received_on,
            )
        sent_on = today - dt.timedelta(days=5)
        with story_time(sent_on, hour=10):
            services.clue_transfer_send(
                by=users["proc_staff"],
                recipient=Institution.objects.get(name="柳州市人民政府"),
                summary="在办理执行监督案件中发现某街道违法组织强制拆除的线索。",
                sent_on=sent_on,
            )
        received_on = today - dt.timedelta(days=20)
        with story_time(received_on, hour=9):
            services.dispute_create(
                by=clerk,
                title="房屋征收补偿争议诉前化解",
                applicant="潘某",
                agency=defendants["柳州市住房和城乡建设局"],
                summary="申请人对征收补偿金额有异议，经诉前调解平台受理。",
                received_on=received_on,
            )
        effective = AdministrativeCase.objects.filter(status="effective").order_by("effective_on").first()
        if effective is not None:
            services.review_create(
                case=effective,
                by=clerk,
                held_on=today,
                participants=list(effective.defendants.all()),
                act_problems="行政处罚决定未充分说明裁量理由。",
                litigation_work="负责人出庭并发言，答辩举证及时。",
            )
    if stdout is not None:
        stdout.write(f"演示数据：新增行政案件 {len(made)} 件及协调、执行、监督等记录。")
    return len(made)
