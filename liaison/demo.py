"""Liuzhou demo data: regions, institutions and one user per role and kind (idempotent)."""

import datetime as dt
import itertools
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from .models import Institution, Region, User

K = Institution.Kind
CITY, COUNTY = Institution.Level.CITY, Institution.Level.COUNTY

# (region code, name, short prefix for names and 机关代字)
COUNTIES = [
    ("chengzhong", "城中区", "城中"),
    ("yufeng", "鱼峰区", "鱼峰"),
    ("liunan", "柳南区", "柳南"),
    ("liubei", "柳北区", "柳北"),
    ("liujiang", "柳江区", "柳江"),
    ("liucheng", "柳城县", "柳城"),
    ("luzhai", "鹿寨县", "鹿寨"),
    ("rongan", "融安县", "融安"),
    ("rongshui", "融水苗族自治县", "融水"),
    ("sanjiang", "三江侗族自治县", "三江"),
]

# City departments: (name, short name, 机关代字)
CITY_AGENCIES = [
    ("柳州市司法局", "市司法局", "柳司"),
    ("柳州市城市管理行政执法局", "市城管局", "柳城管"),
    ("柳州市交通运输局", "市交通运输局", "柳交"),
    ("柳州市住房和城乡建设局", "市住建局", "柳建"),
    ("柳州市自然资源和规划局", "市自然资源局", "柳自然资"),
    ("柳州市生态环境局", "市生态环境局", "柳环"),
    ("柳州市市场监督管理局", "市市场监管局", "柳市监"),
    ("柳州市人力资源和社会保障局", "市人社局", "柳人社"),
    ("柳州市公安局", "市公安局", "柳公"),
    ("柳州市民政局", "市民政局", "柳民"),
    ("柳州市财政局", "市财政局", "柳财"),
    ("柳州市卫生健康委员会", "市卫健委", "柳卫"),
    ("柳州市应急管理局", "市应急局", "柳应急"),
    ("柳州市农业农村局", "市农业农村局", "柳农"),
    ("柳州市行政审批局", "市行政审批局", "柳审批"),
    ("柳州市医疗保障局", "市医保局", "柳医保"),
]

OFFICE_NAME = "柳州市“一府两院”法治共建联动工作领导小组办公室"

# username, institution name, role, display name, post
DEMO_USERS = [
    ("office", OFFICE_NAME, User.Role.OFFICE, "韦晓兰", "办公室工作人员"),
    ("auditor", OFFICE_NAME, User.Role.AUDITOR, "覃志刚", "专项检查组成员"),
    # 工作方案五(一)2: the office's head is the intermediate court's deputy president; this
    # account signs off the office's notices and approves meeting minutes.
    ("office_head", OFFICE_NAME, User.Role.HEAD, "黎建明", "领导小组办公室负责人"),
    ("court_clerk", "柳州市中级人民法院", User.Role.STAFF, "黄立明", "行政庭书记员"),
    ("court_head", "柳州市中级人民法院", User.Role.HEAD, "梁振华", "副院长"),
    ("proc_staff", "柳州市人民检察院", User.Role.STAFF, "莫丽娟", "行政检察部检察官"),
    ("proc_head", "柳州市人民检察院", User.Role.HEAD, "蓝建国", "副检察长"),
    ("gov_legal", "柳州市人民政府", User.Role.LEGAL, "陆海燕", "法制工作人员"),
    ("gov_head", "柳州市人民政府", User.Role.HEAD, "杨文军", "副市长"),
    ("justice_legal", "柳州市司法局", User.Role.LEGAL, "周红", "行政复议与应诉科科长"),
    ("agency_staff", "柳州市城市管理行政执法局", User.Role.STAFF, "覃文斌", "法规科科员"),
    ("agency_head", "柳州市城市管理行政执法局", User.Role.HEAD, "罗永强", "局长"),
    ("env_staff", "柳州市生态环境局", User.Role.STAFF, "廖静", "法规科科员"),
    ("county_clerk", "柳州市城中区人民法院", User.Role.STAFF, "吴小军", "行政庭书记员"),
    ("county_head", "柳州市城中区人民法院", User.Role.HEAD, "韦国平", "副院长"),
    ("county_gov_legal", "柳州市城中区人民政府", User.Role.LEGAL, "潘丽", "司法局法制股股长"),
]


def _inst(name, short, code, kind, level, region, parent=None) -> Institution:
    inst, _ = Institution.objects.update_or_create(
        name=name,
        defaults={"short_name": short, "code": code, "kind": kind, "level": level, "region": region, "parent": parent},
    )
    return inst


@transaction.atomic
def ensure_institutions() -> dict[str, Institution]:
    city, _ = Region.objects.update_or_create(code="liuzhou", defaults={"name": "柳州市", "level": Region.Level.CITY})
    gov = _inst("柳州市人民政府", "市政府", "柳政", K.GOVERNMENT, CITY, city)
    court = _inst("柳州市中级人民法院", "市中院", "柳中法", K.COURT, CITY, city)
    proc = _inst("柳州市人民检察院", "市检察院", "柳检", K.PROCURATORATE, CITY, city)
    _inst(OFFICE_NAME, "联动办", "柳联办", K.OFFICE, CITY, city)
    # Cross-district jurisdiction over city departments since 2018; its superior is the intermediate court.
    _inst("柳州铁路运输法院", "铁路法院", "柳铁法", K.COURT, CITY, city, court)
    for name, short, code in CITY_AGENCIES:
        _inst(name, short, code, K.AGENCY, CITY, city, gov)
    for code, name, prefix in COUNTIES:
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": city}
        )
        court_name = f"柳州市{name}人民法院" if name.endswith("区") else f"{name}人民法院"
        proc_name = f"柳州市{name}人民检察院" if name.endswith("区") else f"{name}人民检察院"
        gov_name = f"柳州市{name}人民政府" if name.endswith("区") else f"{name}人民政府"
        county_gov = _inst(gov_name, f"{prefix}政府", f"{prefix}政", K.GOVERNMENT, COUNTY, region, gov)
        _inst(court_name, f"{prefix}法院", f"{prefix}法", K.COURT, COUNTY, region, court)
        _inst(proc_name, f"{prefix}检察院", f"{prefix}检", K.PROCURATORATE, COUNTY, region, proc)
        _inst(
            f"{gov_name.removesuffix('人民政府')}司法局",
            f"{prefix}司法局",
            f"{prefix}司",
            K.AGENCY,
            COUNTY,
            region,
            county_gov,
        )
    return {i.name: i for i in Institution.objects.all()}


@transaction.atomic
def ensure_demo_users(password: str) -> list[User]:
    institutions = ensure_institutions()
    users = []
    for username, inst_name, role, display, post in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={"institution": institutions[inst_name], "role": role, "display_name": display, "post": post},
        )
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
        users.append(user)
    admin, created = User.objects.update_or_create(
        username="admin",
        defaults={"role": User.Role.ADMIN, "is_staff": True, "is_superuser": True, "display_name": "系统管理员"},
    )
    if created or not admin.has_usable_password():
        admin.set_password(password)
        admin.save(update_fields=["password"])
    users.append(admin)
    return users


@contextmanager
def story_time(day: dt.date, hour: int = 9):
    """Make demo records as if on `day`: every timestamp the services write (audit, delivery,
    signing, notifications) reads that day, a second apart, so a demo timeline says
    签发 on the letter's date and 签收 after 送达 — the story is told in order.

    Only for the demo loader: it replaces `django.utils.timezone.now` while it runs (the
    services read the clock through it) and restores it afterwards.
    """
    original = timezone.now
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    ticks = itertools.count()
    latest = original() - dt.timedelta(minutes=10)
    if start <= latest:

        def now():
            return start + dt.timedelta(seconds=next(ticks))

    else:
        # Today's steps happen "just now", never later in the day than the real clock, and
        # one after another however many of them are squeezed into the last minutes.
        start = max(latest, _today_floor[0])

        def now():
            moment = start + dt.timedelta(milliseconds=next(ticks))
            _today_floor[0] = max(_today_floor[0], moment + dt.timedelta(milliseconds=1))
            return moment

    timezone.now = now
    try:
        yield
    finally:
        timezone.now = original


_today_floor = [timezone.make_aware(dt.datetime(2000, 1, 1))]


def acting_user(users, institution_id) -> User | None:
    """A demo user who acts for the institution (signs for its mail, completes its entries)."""
    acting = [User.Role.STAFF, User.Role.LEGAL, User.Role.OFFICE]
    for user in users.values():
        if user.institution_id == institution_id and user.role in acting:
            return user
    return None


def sign_for(users, letter, *, on: dt.date, hour: int = 9) -> None:
    """Each recipient of an issued demo letter signs for it on `on` (not after today), the way
    a clerk signs for the mail: so a demo inbox holds the recent letters, not a year of them.
    Recipients without a demo user are left unsigned."""
    from . import services

    on = min(on, timezone.localdate())
    with story_time(on, hour=hour):
        for delivery in letter.deliveries.filter(signed_on__isnull=True):
            signer = acting_user(users, delivery.recipient_id)
            if signer is not None:
                services.delivery_sign(delivery=delivery, by=signer, signed_on=on)
