"""A year of meetings, legal reviews, joint research and classes, made through the services on
the days they happened (liaison.demo.story_time), so every timeline reads forward: proposed,
convened, notice signed, replies, held, minutes issued, decisions on the owners' ledgers —
some done, some open, some overdue. Idempotent by title; a few seconds."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from liaison.demo import sign_for, story_time
from liaison.models import Institution

from . import research as rs
from . import reviews, services
from .models import LawClass, LegalReview, Meeting, MeetingKind, Research, ReviewOpinion

GOV = "柳州市人民政府"
COURT = "柳州市中级人民法院"
PROC = "柳州市人民检察院"
CGJ = "柳州市城市管理行政执法局"
ENV = "柳州市生态环境局"
JUSTICE = "柳州市司法局"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# title, kind, proposer, days ago held (None: not held), invitees, decisions [(text, owner, period,
# fate)], where it stops. fate: "done" (reported and confirmed), "reported", "open" (progress
# noted); an open decision whose period ran out is overdue on its owner's ledger.
MEETINGS = [
    (
        "2026年度“三长”联席会商会议",
        "sanzhang_annual",
        "office",
        320,
        [GOV, COURT, PROC],
        [
            ("市政府法制部门牵头制定行政机关负责人出庭应诉考核办法", GOV, 60, "done"),
            ("市中院每季度函告涉诉五项指标数据", COURT, 90, "done"),
            ("市检察院建立行政执法检察监督情况通报制度", PROC, 120, "done"),
        ],
        "minuted",
    ),
    (
        "2026年第一季度联动工作常规联席会议",
        "work_regular",
        "office",
        250,
        [GOV, COURT, PROC, JUSTICE],
        [
            ("市司法局汇总行政复议与诉讼衔接中的问题清单", JUSTICE, 30, "done"),
            ("市中院梳理行政机关败诉案件原因分析报告", COURT, 45, "done"),
        ],
        "minuted",
    ),
    (
        "2026年第二季度联动工作常规联席会议",
        "work_regular",
        "office",
        160,
        [GOV, COURT, PROC, CGJ],
        [
            ("市城管局完成执法文书送达制度修订", CGJ, 60, "open"),
            ("市检察院通报上半年行政执法检察监督情况", PROC, 30, "done"),
        ],
        "minuted",
    ),
    (
        "占道经营整治执法衔接协调会",
        "xietiao",
        "agency_staff",
        90,
        [COURT, PROC, CGJ],
        [
            ("市城管局牵头制定占道经营执法指引", CGJ, 30, "reported"),
            ("市中院提供同类案件裁判要点", COURT, 20, "done"),
        ],
        "minuted",
    ),
    (
        "2026年第三季度联动工作常规联席会议",
        "work_regular",
        "office",
        60,
        [GOV, COURT, PROC, ENV],
        [
            ("市生态环境局完善环境行政处罚裁量基准", ENV, 90, "open"),
            ("市中院与市生态环境局建立环境行政案件信息共享机制", COURT, 40, "open"),
        ],
        "minuted",
    ),
    (
        "柳江流域生态环境执法研判会",
        "yanpan",
        "proc_staff",
        12,
        [COURT, ENV, PROC],
        [("市生态环境局报送柳江流域执法专项行动方案", ENV, 30, "draft")],
        "circulated",
    ),
    (
        "行政争议诉前化解工作座谈会",
        "zuotan",
        "court_clerk",
        None,
        [GOV, COURT, JUSTICE],
        [],
        "notified",
    ),
    ("征收补偿案件通报会", "tongbao", "court_clerk", None, [], [], "proposed"),
]


def _inst(name) -> Institution:
    return Institution.objects.get(name=name)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 30)))


def _attendees(inst: Institution) -> str:
    return {
        GOV: "杨文军 副市长\n陆海燕 法制工作人员",
        COURT: "梁振华 副院长\n黄立明 行政庭书记员",
        PROC: "蓝建国 副检察长\n莫丽娟 行政检察部检察官",
        CGJ: "罗永强 局长\n覃文斌 法规科科员",
        JUSTICE: "周红 行政复议与应诉科科长",
        ENV: "廖静 法规科科员",
    }.get(inst.name, "联络员")


def _responder(users, inst: Institution):
    for u in users.values():
        if u.institution_id == inst.pk and u.role in ("staff", "legal", "head"):
            return u
    return None


def _meeting(users, today, row):
    title, kind_code, proposer, held_ago, invitees, decisions, stop = row
    office, head = users["office"], users["office_head"]
    kind = MeetingKind.objects.get(code=kind_code)
    invitees = [_inst(n) for n in invitees]
    held = today - dt.timedelta(days=held_ago) if held_ago is not None else today + dt.timedelta(days=9)
    proposed_on = min(held - dt.timedelta(days=20), today - dt.timedelta(days=2))
    with story_time(proposed_on, hour=9):
        m = services.meeting_propose(
            by=users[proposer],
            kind=kind,
            title=title,
            reasons=f"按照工作方案{kind.basis}，研究{title}有关事项。",
            participants=invitees,
            proposed_date=held if held > proposed_on else None,
        )
    if stop == "proposed":
        return m
    with story_time(proposed_on + dt.timedelta(days=1), hour=10):
        services.agenda_add(meeting=m, by=office, title="通报有关工作情况", presenter=invitees[0])
        m = services.meeting_convene(
            meeting=m, by=office, starts_at=_at(held), location="市中院第三会议室", invitees=invitees
        )
    with story_time(proposed_on + dt.timedelta(days=2), hour=11):
        m = services.meeting_issue_notice(meeting=m, by=head)
    if m.notice_letter_id:
        sign_for(users, m.notice_letter, on=proposed_on + dt.timedelta(days=3), hour=8)
    replies = list(m.invitations.select_related("institution"))
    # one invitee (not the proposer) sends an apology when three or more are invited
    apology = (
        next((i for i in reversed(replies) if i.institution_id != m.proposer_id), None) if len(replies) > 2 else None
    )
    for n, inv in enumerate(replies):
        user = _responder(users, inv.institution)
        if user is None:
            continue
        with story_time(proposed_on + dt.timedelta(days=3), hour=9 + n):
            if inv == apology:
                services.invitation_respond(invitation=inv, by=user, attending=False, apology_reason="同日另有公务")
            else:
                services.invitation_respond(
                    invitation=inv, by=user, attending=True, attendees=_attendees(inv.institution)
                )
    if stop == "notified":
        return m
    with story_time(held, hour=12):
        m = services.meeting_hold(meeting=m, by=office, attendance=services.attendance_prefill(m), held_on=held)
        made = []
        for text, owner, period, fate in decisions:
            d = services.decision_add(meeting=m, by=office, text=text, owner=_inst(owner), period=period)
            made.append((d, fate))
        minutes = services.minutes_draft(meeting=m, by=office)
    with story_time(held + dt.timedelta(days=1), hour=10):
        services.minutes_circulate(minutes=minutes, by=office)
    if stop == "circulated":
        return m
    with story_time(held + dt.timedelta(days=3), hour=10):
        services.minutes_submit(minutes=minutes, by=office)
    issued_on = held + dt.timedelta(days=4)
    with story_time(issued_on, hour=11):
        services.minutes_approve(minutes=minutes, by=head, issued_on=issued_on)
    minutes.refresh_from_db()
    if minutes.letter_id:
        sign_for(users, minutes.letter, on=issued_on + dt.timedelta(days=1))
    for d, fate in made:
        d.refresh_from_db()
        owner_user = _responder(users, d.owner)
        progress_on = min(issued_on + dt.timedelta(days=7), today)
        with story_time(progress_on, hour=15):
            services.decision_progress(decision=d, by=owner_user, text="已部署落实，正在推进。")
        if fate in ("done", "reported"):
            report_on = min(issued_on + dt.timedelta(days=max(8, d.period // 2)), today)
            with story_time(report_on, hour=16):
                services.decision_report(
                    decision=d, by=owner_user, evidence="已完成，相关文件已印发。", done_on=report_on
                )
            if fate == "done":
                with story_time(min(report_on + dt.timedelta(days=2), today), hour=17):
                    services.decision_confirm(decision=d, by=office)
    return m


def _reviews(users, today):
    gov, head = users["gov_legal"], users["gov_head"]
    court, proc = _inst(COURT), _inst(PROC)
    rows = [
        ("柳州市集体土地征收补偿安置办法", "normative", 150, True),
        ("关于调整城区停车收费标准的决定", "decision", 10, False),
    ]
    for title, subject, ago, finish in rows:
        if LegalReview.objects.filter(government=gov.institution, title=title).exists():
            continue
        start = today - dt.timedelta(days=ago)
        with story_time(start, hour=9):
            r = reviews.review_create(
                by=gov,
                subject=subject,
                title=title,
                summary="规范有关程序，重点论证补偿标准、强制执行衔接等条款。",
                invitees=[court, proc],
                period=10,
                draft=SimpleUploadedFile(f"{title}（草案）.pdf", PDF, "application/pdf"),
            )
        with story_time(start + dt.timedelta(days=1), hour=10):
            r = reviews.review_invite(review=r, by=head)
        if r.invitation_letter_id:
            sign_for(users, r.invitation_letter, on=start + dt.timedelta(days=2))
        inv = {i.institution_id: i for i in r.invitations.all()}
        with story_time(start + dt.timedelta(days=5), hour=10):
            reviews.opinion_add(
                invitation=inv[court.pk],
                by=users["court_clerk"],
                clause="第十二条",
                text="补偿标准应明确评估机构的选定程序。",
            )
            reviews.opinion_add(invitation=inv[court.pk], by=users["court_clerk"], text="建议增加争议解决条款。")
            reviews.invitation_return(invitation=inv[court.pk], by=users["court_clerk"])
        if not finish:
            continue
        with story_time(start + dt.timedelta(days=8), hour=10):
            reviews.opinion_add(
                invitation=inv[proc.pk],
                by=users["proc_staff"],
                clause="第二十条",
                text="强制执行应由法院裁定后组织实施。",
            )
            reviews.invitation_return(invitation=inv[proc.pk], by=users["proc_staff"])
        with story_time(start + dt.timedelta(days=12), hour=10):
            fates = ["partly", "adopted", "rejected"]
            for n, op in enumerate(ReviewOpinion.objects.filter(invitation__review=r).order_by("id")):
                fate = fates[n % 3]
                reviews.opinion_decide(
                    opinion=op,
                    by=gov,
                    adoption=fate,
                    reason="" if fate == "adopted" else "与上位法规定不一致，已在说明中予以解释。",
                )
            r = reviews.review_conclude(review=r, by=gov)
        with story_time(start + dt.timedelta(days=13), hour=10):
            r = reviews.review_issue(review=r, by=head)
        if r.answer_letter_id:
            sign_for(users, r.answer_letter, on=start + dt.timedelta(days=14))


def _research(users, today):
    clerk, court_head = users["court_clerk"], users["court_head"]
    rows = [
        ("征地拆迁类行政争议成因与源头治理", "land", 200, True),
        ("优化营商环境中的涉企行政执法", "business", 40, False),
    ]
    for title, topic, ago, finish in rows:
        if Research.objects.filter(title=title).exists():
            continue
        start = today - dt.timedelta(days=ago)
        with story_time(start, hour=9):
            r = rs.research_create(
                by=clerk, topic=topic, title=title, purpose="梳理近三年相关行政案件，分析成因，提出对策建议。"
            )
            for inst, name in ((COURT, "黄立明"), (PROC, "莫丽娟"), (GOV, "陆海燕"), (JUSTICE, "周红")):
                rs.research_member_add(research=r, by=clerk, institution=_inst(inst), name=name)
            m1 = rs.research_milestone_add(
                research=r, by=clerk, title="调取并分析案件", due_date=start + dt.timedelta(days=30)
            )
            rs.research_milestone_add(
                research=r, by=clerk, title="实地走访座谈", due_date=start + dt.timedelta(days=60)
            )
            rs.research_start(research=r, by=clerk)
        with story_time(min(start + dt.timedelta(days=28), today), hour=15):
            rs.milestone_complete(milestone=m1, by=clerk, note="已分析案件126件。")
        if not finish:
            continue
        for m in r.milestones.filter(status="open"):
            with story_time(start + dt.timedelta(days=58), hour=15):
                rs.milestone_complete(milestone=m, by=clerk, note="走访三个城区和两个县。")
        with story_time(start + dt.timedelta(days=70), hour=10):
            r = rs.research_report(
                research=r,
                by=clerk,
                title=f"关于{title}的调研报告",
                body="一、基本情况\n近三年全市审结此类案件126件。\n二、主要问题\n程序不规范。\n三、对策建议\n加强合法性审查。",
            )
        with story_time(start + dt.timedelta(days=72), hour=10):
            r = rs.research_issue(research=r, by=court_head)
        if r.report_letter_id:
            sign_for(users, r.report_letter, on=start + dt.timedelta(days=73))


def _classes(users, today):
    justice = users["justice_legal"]
    rows = [("行政执法中的证据规则", 45, True), ("新修订行政复议法解读", -6, False)]
    for title, ago, held in rows:
        if LawClass.objects.filter(title=title).exists():
            continue
        day = today - dt.timedelta(days=ago)
        with story_time(min(day - dt.timedelta(days=14), today), hour=9):
            c = rs.class_create(
                by=justice,
                title=title,
                starts_at=_at(day, 14),
                location="市司法局培训室",
                audience=[_inst(CGJ), _inst(ENV)],
            )
            rs.lecturer_add(
                law_class=c, by=justice, institution=_inst(COURT), name="梁振华", post="副院长", topic="司法审查视角"
            )
            rs.lecturer_add(
                law_class=c, by=justice, institution=_inst(PROC), name="蓝建国", post="副检察长", topic="检察监督视角"
            )
            rs.material_add(
                law_class=c, by=justice, upload=SimpleUploadedFile(f"{title}讲义.pdf", PDF, "application/pdf")
            )
        if held:
            with story_time(day, hour=17):
                rs.class_hold(law_class=c, by=justice, attendance="市城管局 35\n市生态环境局 18", held_on=day)


def load(users, stdout=None) -> int:
    today = timezone.localdate()
    made = 0
    for row in MEETINGS:
        if Meeting.objects.filter(title=row[0]).exists():
            continue
        with transaction.atomic():
            _meeting(users, today, row)
        made += 1
    with transaction.atomic():
        _reviews(users, today)
        _research(users, today)
        _classes(users, today)
    if stdout is not None:
        stdout.write(f"meetings: {made} meetings, reviews, research and classes\n")
    return made
