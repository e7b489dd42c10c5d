"""Load the Liuzhou demo: institutions, one user per role, and a small set of letters and ledger entries.

Idempotent: a demo letter is identified by its issuer and title, a ledger entry by its
source letter and owner, so a second run adds nothing. Everything goes through
`liaison.services`, so letters are numbered, delivered, rendered to PDF and audited like
real ones. Refused with DEBUG off (the demo password is public) unless --force.
"""

import datetime as dt
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from liaison import plugins, services
from liaison.calendar import compute_deadline
from liaison.demo import DEMO_USERS, acting_user, ensure_demo_users, sign_for, story_time
from liaison.models import Institution, LedgerEntry, Letter, User

# key, author, head (issues it; None = stays pending or draft), series, title, body, to, cc,
# days ago issued, days after issue the first addressee signs for it (None = not yet)
LETTERS = [
    (
        "court-jian-cgj",
        "court_clerk",
        "court_head",
        "han",
        "关于商请提供韦某诉强制拆除一案行政执法案卷材料的函",
        "柳州市城市管理行政执法局：\n"
        "本院正在审理原告韦某诉你局强制拆除一案。为全面查明案件事实，请你局提供该案完整的行政执法案卷材料，"
        "包括立案审批表、现场勘验笔录、催告书、当事人陈述申辩记录、强制拆除决定书及送达回证等。\n"
        "请于收到本函之日起两个月内将上述材料报送本院行政审判庭。",
        ["柳州市城市管理行政执法局"],
        ["柳州市人民政府"],
        75,
        2,
    ),
    (
        "proc-jian-env",
        "proc_staff",
        "proc_head",
        "han",
        "关于商请通报柳江河段排污企业查处情况的函",
        "柳州市生态环境局：\n"
        "近期，本院陆续收到群众反映柳江某河段沿岸企业排放污水的情况。为准确掌握有关情况，"
        "请你局将近一年来对该河段沿岸排污企业开展执法检查、立案查处及督促整改的情况予以通报，"
        "并附相关处罚决定书目录。\n"
        "请于收到本函之日起两个月内函复本院。",
        ["柳州市生态环境局"],
        ["柳州市人民政府"],
        40,
        2,
    ),
    (
        "proc-jian-cgj-urgent",
        "proc_staff",
        "proc_head",
        "han",
        "关于协助核查占道经营执法情况的函",
        "柳州市城市管理行政执法局：\n"
        "本院接群众反映，某路段占道经营摊点持续增多，早晚高峰时段已影响救护车辆通行。"
        "为核实有关情况，请你局协助核查该路段占道经营的日常巡查、执法处置及整改情况。\n"
        "因事涉通行安全，请从速办理，并于收到本函之日起十五日内将核查结果函复本院。",
        ["柳州市城市管理行政执法局"],
        [],
        None,  # chosen so that the 15-day reply falls due within the reminder window
        1,
    ),
    (
        "court-jian-cgj-done",
        "court_clerk",
        "court_head",
        "han",
        "关于征求行政处罚听证告知文书修订意见的函",
        "柳州市城市管理行政执法局：\n"
        "本院在审理行政处罚案件中注意到，各执法单位行政处罚告知书中关于听证权利的表述不尽一致，"
        "部分文书未载明申请听证的期限。本院行政审判庭拟会同有关部门研究修订听证告知事项的参考表述，"
        "现征求你局意见。\n"
        "请于收到本函之日起两个月内将修订意见函复本院。",
        ["柳州市城市管理行政执法局"],
        [],
        55,
        1,
    ),
    (
        "cgj-fu-court",
        "agency_staff",
        "agency_head",
        "fu",
        "关于行政处罚听证告知文书修订意见的复函",
        "柳州市中级人民法院：\n"
        "你院《关于征求行政处罚听证告知文书修订意见的函》收悉。经研究，我局意见如下：\n"
        "一、同意在行政处罚告知书中单列听证告知事项，载明申请听证的期限、方式和受理机构；\n"
        "二、较大数额罚款的标准拟按自治区有关规定在告知书中一并注明；\n"
        "三、我局已据此修订本局行政处罚告知书格式，并将组织执法人员开展专题培训。\n"
        "特此函复。",
        ["柳州市中级人民法院"],
        ["柳州市司法局"],
        20,
        1,
    ),
    (
        "court-tongbao-gov",
        "court_clerk",
        "court_head",
        "tongbao",
        "关于2025年度全市行政诉讼案件情况的通报",
        "柳州市人民政府：\n2025年，全市法院共审结一审行政案件若干件，行政机关败诉率、负责人出庭应诉率等指标情况如下……",
        ["柳州市人民政府"],
        ["柳州市司法局", "柳州市人民检察院"],
        30,
        3,
    ),
    (
        "gov-tongzhi-agencies",
        "gov_legal",
        "gov_head",
        "tongzhi",
        "关于做好行政机关负责人出庭应诉工作的通知",
        "各有关部门：\n"
        "为贯彻落实《柳州市“一府两院”法治共建联动工作方案》，现就做好行政机关负责人出庭应诉工作通知如下……",
        ["柳州市城市管理行政执法局", "柳州市生态环境局", "柳州市司法局"],
        ["柳州市中级人民法院"],
        25,
        1,
    ),
    (
        "court-jiyao-sanzhang",
        "court_clerk",
        "court_head",
        "jiyao",
        "“三长”联席会议纪要",
        "会议由市长、市中级人民法院院长、市人民检察院检察长共同出席，研究了行政争议实质性化解、"
        "司法建议办理等事项，议定如下……",
        ["柳州市人民政府", "柳州市人民检察院"],
        [],
        60,
        2,
    ),
    (
        "proc-han-court",
        "proc_staff",
        "proc_head",
        "han",
        "关于调阅行政非诉执行案件卷宗的函",
        "柳州市中级人民法院：\n因办理行政非诉执行监督案件需要，请你院协助提供相关案件卷宗材料。",
        ["柳州市中级人民法院"],
        [],
        8,
        None,
    ),
    (
        "cgj-han-justice",
        "agency_staff",
        "agency_head",
        "han",
        "关于商请对行政执法案卷评查标准进行解释的函",
        "柳州市司法局：\n我局在开展执法案卷自查中，对评查标准中的部分条款理解不一，特商请你局予以解释。",
        ["柳州市司法局"],
        [],
        3,
        None,
    ),
    (
        "court-han-pending",
        "court_clerk",
        None,
        "han",
        "关于邀请参加行政案件庭审观摩活动的函",
        "柳州市人民政府：\n为提升行政执法人员依法行政能力，本院定于近期组织行政案件庭审观摩活动，诚邀派员参加。",
        ["柳州市人民政府"],
        ["柳州市司法局"],
        None,
        None,
    ),
]

# Ledger entries: the reply owed on a demo letter (source) by its first addressee.
# letter key, title, period, unit, completed (evidence, days after start) or None
LEDGER = [
    ("court-jian-cgj", "报送韦某诉强制拆除一案执法案卷材料", 2, "months", None),
    ("proc-jian-env", "函复柳江河段排污企业查处情况", 2, "months", None),
    ("proc-jian-cgj-urgent", "核查占道经营并函复（紧急）", 15, "days", None),
    ("court-jian-cgj-done", "反馈听证告知文书修订意见", 2, "months", ("已研究提出修订意见并函复市中院。", 34)),
    ("court-tongbao-gov", "研究落实行政诉讼情况通报", 30, "days", None),
]

# Before the demo letters, a 15-day urgent period ends this many days from today (due soon).
URGENT_DUE_WITHIN = settings.LEDGER_REMIND_DAYS


class Command(BaseCommand):
    help = "载入柳州演示数据（机关、演示账户、公文、台账）；可重复执行。"
    # The demo-password check (liaison.E001) would stop --force before it starts.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也载入（演示密码是公开的）。")
        parser.add_argument("--users-only", action="store_true", help="只创建机关和演示账户。")
        parser.add_argument("--quiet", action="store_true", help="不打印演示账户表。")

    def handle(self, *args, force=False, users_only=False, quiet=False, **options):
        self.verbosity = options.get("verbosity", 1)
        if not settings.DEBUG and not force:
            raise CommandError("生产环境（DEBUG 关闭）拒绝创建使用公开演示密码的账户；确需载入请加 --force。")
        self.started = time.monotonic()
        self.stage("机关、演示账户")
        users = {u.username: u for u in ensure_demo_users(settings.DEMO_PASSWORD)}
        created_letters = created_entries = 0
        if not users_only:
            letters = {}
            self.stage(f"公文 {len(LETTERS)} 件（编号、送达、签收，生成 PDF）")
            for spec in LETTERS:
                letter, created = self.ensure_letter(users, spec)
                letters[spec[0]] = letter
                created_letters += created
            self.stage("工作台账")
            for spec in LEDGER:
                created_entries += self.ensure_ledger_entry(users, letters, spec)
            self.load_app_demos(users)
            self.stage("台账巡检（提醒、逾期升级）")
            services.ledger_sweep()
        self.stage("完成")
        self.stdout.write(f"演示数据：新增公文 {created_letters} 件，新增台账事项 {created_entries} 项。")
        if not quiet:
            self.print_logins(users)

    def load_app_demos(self, users):
        """The apps' demo loaders (`liaison.plugins.register(demo=…)`), in INSTALLED_APPS order;
        the hub imports none of them."""
        from django.apps import apps

        for label, loader in plugins.demo_loaders():
            self.stage(str(apps.get_app_config(label).verbose_name))
            loader(users, stdout=self.stdout)

    def stage(self, what: str) -> None:
        """`make run` spends most of its time here: say what is being made, and since when."""
        if self.verbosity:
            self.stdout.write(f"  [{time.monotonic() - self.started:5.0f} 秒] 演示数据：{what}……")
            self.stdout.flush()

    # ------------------------------------------------------------------------- letters

    def ensure_letter(self, users, spec) -> tuple[Letter, bool]:
        key, author_name, head_name, series, title, body, to, cc, days_ago, sign_after = spec
        author = users[author_name]
        existing = Letter.objects.filter(issuer=author.institution, title=title).first()
        if existing is not None:
            return existing, False
        by_name = {i.name: i for i in Institution.objects.filter(name__in=to + cc)}
        today = timezone.localdate()
        if key == "proc-jian-cgj-urgent":
            days_ago = self.days_ago_for_due_soon(today, sign_after)
        issued_on = today - dt.timedelta(days=days_ago) if days_ago is not None else today
        with transaction.atomic():
            with story_time(issued_on, hour=9):
                letter = services.letter_create(
                    by=author,
                    title=title,
                    body=body,
                    series=series,
                    addressees=[by_name[n] for n in to],
                    cc=[by_name[n] for n in cc],
                    urgency="加急" if key.endswith("urgent") else "",
                )
                services.letter_submit(letter=letter, by=author)
                if days_ago is None and head_name is None:
                    return letter, True
            with story_time(issued_on, hour=15):
                letter = services.letter_issue(letter=letter, by=users[head_name], issued_on=issued_on)
            if sign_after is not None:
                sign_for(users, letter, on=issued_on + dt.timedelta(days=sign_after), hour=17)
        return letter, True

    @staticmethod
    def days_ago_for_due_soon(today: dt.date, sign_after: int) -> int:
        """Issue date such that a 15-day period from receipt falls due within the reminder window."""
        for days_ago in range(15, 40):
            received = today - dt.timedelta(days=days_ago - sign_after)
            due = compute_deadline(received, 15, "days").due
            if today <= due <= today + dt.timedelta(days=URGENT_DUE_WITHIN):
                return days_ago
        return 15

    # ------------------------------------------------------------------------- ledger

    def ensure_ledger_entry(self, users, letters, spec) -> int:
        key, title, period, unit, completion = spec
        letter = letters[key]
        delivery = letter.deliveries.filter(kind="to").select_related("recipient").first()
        if delivery is None or delivery.signed_on is None:
            return 0
        owner = delivery.recipient
        source_type = ContentType.objects.get_for_model(Letter)
        if LedgerEntry.objects.filter(owner=owner, source_type=source_type, source_id=letter.pk).exists():
            return 0  # already loaded (ledger_open would open a new round once an entry is done)
        with story_time(delivery.signed_on, hour=11):
            entry = services.ledger_open(
                owner=owner,
                title=title,
                start_date=delivery.signed_on,
                period=period,
                unit=unit,
                source=letter,
                start_label="签收",
            )
        if completion is not None:
            evidence, after_days = completion
            done_on = min(entry.start_date + dt.timedelta(days=after_days), timezone.localdate())
            with story_time(done_on, hour=16):
                services.ledger_complete(
                    entry=entry, by=acting_user(users, owner.pk), evidence=evidence, done_on=done_on
                )
        return 1

    # ------------------------------------------------------------------------- output

    def print_logins(self, users):
        roles = dict(User.Role.choices)
        rows = [("用户名", "角色", "单位")]
        for username, *_ in DEMO_USERS:
            user = users[username]
            rows.append((username, str(roles[user.role]), user.institution.name if user.institution else ""))
        rows.append(("admin", str(roles[User.Role.ADMIN]), "—（/admin/）"))
        width = max(len(r[0]) for r in rows) + 2
        role_width = max(len(r[1]) for r in rows) + 2
        self.stdout.write("")
        self.stdout.write(f"演示账户（密码均为 {settings.DEMO_PASSWORD}）：")
        for username, role, institution in rows:
            # CJK characters take two columns in a terminal.
            pad = role_width * 2 - len(role) * 2
            self.stdout.write(f"  {username:<{width}}{role}{' ' * pad}{institution}")
        self.stdout.write("")
