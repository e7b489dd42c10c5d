"""Demo suggestions at every stage, made through the services (idempotent by issuer and title)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from liaison.demo import story_time
from liaison.models import Institution

from . import services
from .models import Suggestion

CGJ = "柳州市城市管理行政执法局"
ENV = "柳州市生态环境局"
CITY_GOV = "柳州市人民政府"
COUNTY_GOV = "柳州市城中区人民政府"

# key, author, head, recipient (with a receiver), extra fields, issued days ago,
# received days after issue (None: not yet), stage after receipt
SUGGESTIONS = [
    (
        "cgj-demolition",
        "court_clerk",
        "court_head",
        CGJ,
        "agency_head",
        {
            "title": "关于规范强制拆除程序的司法建议",
            "case_number": "（2026）桂02行初8号",
            "category": "enforcement",
            "problem": "你局在作出强制拆除决定前未依法催告，未听取当事人陈述和申辩。",
            "recommendations": "严格执行行政强制法关于催告、陈述申辩的规定；开展执法案卷自查。",
            "cc": [CITY_GOV],
        },
        80,
        2,
        "evaluated",
    ),
    (
        "cgj-notice",
        "court_clerk",
        "court_head",
        CGJ,
        "agency_staff",
        {
            "title": "关于完善执法文书送达工作的司法建议",
            "case_number": "（2026）桂02行初16号",
            "category": "enforcement",
            "problem": "执法文书送达地址确认不规范，多起案件因送达瑕疵被确认违法。",
            "recommendations": "建立送达地址确认制度，统一送达文书格式。",
        },
        70,
        3,
        "received",
    ),
    (
        "cgj-disclosure",
        "court_clerk",
        "court_head",
        CGJ,
        "agency_staff",
        {
            "title": "关于依法答复政府信息公开申请的司法建议",
            "category": "disclosure",
            "problem": "对信息公开申请逾期答复，答复内容未告知救济途径。",
            "recommendations": "建立信息公开申请登记和答复期限提醒制度。",
        },
        12,
        1,
        "replied_pending",
    ),
    (
        "cgj-new",
        "court_clerk",
        "court_head",
        CGJ,
        None,
        {
            "title": "关于加强行政机关负责人出庭应诉的司法建议",
            "category": "litigation",
            "problem": "本年度你局负责人出庭率偏低，多次委托律师单独出庭。",
            "recommendations": "落实负责人出庭应诉制度，对不能出庭的出具书面说明。",
            "touches_procuratorial": True,
        },
        3,
        None,
        None,
    ),
    (
        "env-river",
        "proc_staff",
        "proc_head",
        ENV,
        "env_staff",
        {
            "title": "关于督促履行柳江河段排污监管职责的检察建议",
            "subkind": "public_interest",
            "urgent": True,
            "category": "public_interest",
            "problem": "辖区企业超标排放水污染物，公共利益持续受损。",
            "recommendations": "依法查处违法排污行为，十五日内书面回复。",
        },
        30,
        1,
        "received",
    ),
    (
        "env-permit",
        "proc_staff",
        "proc_head",
        ENV,
        "env_staff",
        {
            "title": "关于规范排污许可证核发工作的检察建议",
            "subkind": "general",
            "category": "management",
            "problem": "部分排污许可证核发材料不全即予核发。",
            "recommendations": "开展许可证核发专项检查，完善审查流程。",
        },
        20,
        2,
        "extension",
    ),
    (
        "county-gov",
        "county_clerk",
        "county_head",
        COUNTY_GOV,
        "county_gov_legal",
        {
            "title": "关于规范征收补偿安置工作的司法建议",
            "category": "management",
            "problem": "征收补偿决定作出前未充分听取被征收人意见。",
            "recommendations": "完善征收补偿程序，加强合法性审查。",
        },
        25,
        2,
        "received",
    ),
]

DRAFTS = [
    (
        "court_clerk",
        CGJ,
        {
            "title": "关于规范城市管理行政处罚裁量的司法建议（草稿）",
            "category": "enforcement",
            "problem": "同类违法行为处罚幅度差异较大。",
            "recommendations": "制定并公开行政处罚裁量基准。",
        },
    ),
]


def load(users, stdout=None) -> int:
    today = timezone.localdate()
    made = 0
    for _key, author, head, recipient_name, receiver, fields, days_ago, received_after, stage in SUGGESTIONS:
        author_user = users[author]
        if Suggestion.objects.filter(issuer=author_user.institution, title=fields["title"]).exists():
            continue
        fields = dict(fields)
        cc = [Institution.objects.get(name=n) for n in fields.pop("cc", [])]
        # Each step on its own day, in order (story_time), so timelines read like the letters.
        issued_on = today - dt.timedelta(days=days_ago)
        drafted_on = issued_on - dt.timedelta(days=2)
        with transaction.atomic():
            with story_time(drafted_on, hour=9):
                s = services.suggestion_create(
                    by=author_user, recipient=Institution.objects.get(name=recipient_name), cc=cc, **fields
                )
                services.suggestion_submit(suggestion=s, by=author_user)
            with story_time(issued_on - dt.timedelta(days=1), hour=10):
                services.suggestion_approve(suggestion=s, by=users[head])
            with story_time(issued_on, hour=15):
                s = services.suggestion_issue(suggestion=s, by=users[head], issued_on=issued_on)
            if received_after is not None:
                received_on = issued_on + dt.timedelta(days=received_after)
                with story_time(received_on, hour=10):
                    s = services.suggestion_receive(suggestion=s, by=users[receiver], received_on=received_on)
                acted_on = min(received_on + dt.timedelta(days=max(2, (today - received_on).days // 2)), today)
                if stage in ("evaluated", "replied_pending"):
                    with story_time(acted_on, hour=14):
                        services.suggestion_reply(
                            suggestion=s,
                            by=users[receiver],
                            measures="已组织专题学习，完成执法案卷自查，修订相关工作制度。",
                        )
                if stage == "evaluated":
                    with story_time(min(acted_on + dt.timedelta(days=3), today), hour=16):
                        services.suggestion_evaluate(suggestion=s, by=author_user, evaluation="adopted")
                if stage == "extension":
                    with story_time(acted_on, hour=11):
                        services.extension_request(
                            suggestion=s, by=users[receiver], days=20, reasons="需会同相关部门联合核查。"
                        )
        made += 1
    for author, recipient_name, fields in DRAFTS:
        if Suggestion.objects.filter(issuer=users[author].institution, title=fields["title"]).exists():
            continue
        with story_time(today - dt.timedelta(days=1), hour=9):
            services.suggestion_create(
                by=users[author], recipient=Institution.objects.get(name=recipient_name), **fields
            )
        made += 1
    env = Suggestion.objects.filter(title="关于督促履行柳江河段排污监管职责的检察建议").first()
    if env and not env.filings.exists():
        with story_time(env.issued_on, hour=17):
            services.filing_create(
                by=users["proc_staff"],
                kind="suggestion",
                title=f"检察建议备案：{env.title}",
                summary=env.problem,
                suggestion=env,
            )
    if stdout is not None:
        stdout.write(f"演示数据：新增司法建议/检察建议 {made} 件。")
    return made
