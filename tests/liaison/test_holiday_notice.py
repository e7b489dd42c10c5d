"""The State Council's holiday notice, read by the parser, against chinesecalendar's data."""

import datetime as dt
import pathlib

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday

from liaison import services
from liaison.holiday_notice import parse_notice
from liaison.models import AuditEntry, HolidayOverride, LedgerEntry, Notification

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
D = dt.date.fromisoformat
CHINESE = {h.value: h.chinese for h in Holiday}


def notice_text(year: int) -> str:
    return (FIXTURES / f"holiday_notice_{year}.txt").read_text(encoding="utf-8")


def package_days(year: int):
    """chinesecalendar's named days of `year`: {date: festival} for rest days and for make-up working days."""
    holidays, workdays = {}, {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        _, name = chinese_calendar.get_holiday_detail(day)
        if name:
            (workdays if chinese_calendar.is_workday(day) else holidays)[day] = CHINESE[name]
        day += dt.timedelta(days=1)
    return holidays, workdays


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_date_parsed_from_the_notice_equals_chinesecalendars(year):
    notice = parse_notice(notice_text(year))
    assert notice.errors == []
    assert notice.year == year
    holidays, workdays = package_days(year)
    parsed_holidays = {d.date: d.name for d in notice.holidays}
    parsed_workdays = {d.date: d.name for d in notice.workdays}
    print(
        f"{year}: notice {len(parsed_holidays)} holidays + {len(parsed_workdays)} make-up working days; "
        f"chinesecalendar {len(holidays)} + {len(workdays)}; "
        f"differences {len(set(parsed_holidays) ^ set(holidays)) + len(set(parsed_workdays) ^ set(workdays))}"
    )
    assert set(parsed_holidays) == set(holidays)
    assert set(parsed_workdays) == set(workdays)
    # The festival each day belongs to: the notice's section names it (六、国庆节、中秋节 holds both).
    for day, festival in {**holidays, **workdays}.items():
        assert festival in {**parsed_holidays, **parsed_workdays}[day], day


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_the_notice_alone_gives_chinesecalendars_working_days_for_every_day_of_the_year(year):
    # 2023 crosses the year end (2022年12月31日至2023年1月2日) and writes 星期; 2024 says 与周末连休 and
    # mentions 除夕（2月9日） in a sentence that is not a holiday; 2025/2026 put weekday and lunar day in brackets.
    notice = parse_notice(notice_text(year))
    assert notice.errors == []
    named = {d.date: d.kind == "workday" for d in notice.days}
    day, differences, days = dt.date(year, 1, 1), [], 0
    while day.year == year:
        from_notice = named.get(day, day.weekday() < 5)
        if from_notice != chinese_calendar.is_workday(day):
            differences.append(day)
        day += dt.timedelta(days=1)
        days += 1
    print(f"{year}: {days} days compared, {len(differences)} differ")
    assert differences == []


def test_cross_year_range_keeps_the_year_it_names():
    notice = parse_notice(notice_text(2023))
    assert [d.date for d in notice.days if d.name == "元旦"] == [D("2022-12-31"), D("2023-01-01"), D("2023-01-02")]


def test_a_wrong_weekday_or_total_in_the_text_is_reported_not_guessed():
    text = notice_text(2026).replace("5月9日（周六）上班", "5月9日（周日）上班").replace("共9天", "共8天")
    notice = parse_notice(text)
    assert not notice.ok
    assert any("5月9日是周六" in e and "周日" in e for e in notice.errors)
    assert any("共8天" in e and "9 天" in e for e in notice.errors)


def test_text_without_a_year_or_without_sections_is_refused_with_a_reason():
    assert "年份" in parse_notice("一、元旦：1月1日放假。").errors[0]
    assert parse_notice("一、元旦：1月1日放假。", year=2027).days[0].date == D("2027-01-01")
    notice = parse_notice("国务院办公厅关于2027年部分节假日安排的通知 今天天气很好。")
    assert not notice.ok and notice.errors


def test_pasted_with_broken_lines_and_full_width_digits_still_reads():
    text = (
        notice_text(2025)
        .replace("至2月4日（农历正月初七", "至２月\n４日（农历正月初\n七")
        .replace("国庆节、中秋节：", "国庆节、中秋节:")
    )
    notice = parse_notice(text)
    assert notice.errors == []
    assert len(notice.holidays) == 28


# A made-up 2027 notice (the real one is not in chinesecalendar 1.11): dates chosen to move deadlines.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（周五）至13日（周六）放假调休，共9天。2月20日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班工作。"""


@pytest.mark.django_db
def test_saving_the_notice_recomputes_open_deadlines_and_tells_owners_old_and_new_date(world, admin_user, inst):
    owner = inst["柳州市城市管理行政执法局"]
    moving = services.ledger_open(
        owner=owner, title="回复测试建议", start_date=D("2026-12-05"), period=2, unit="months"
    )
    staying = services.ledger_open(owner=owner, title="不受影响", start_date=D("2026-12-05"), period=1, unit="months")
    done = services.ledger_open(owner=owner, title="已办结", start_date=D("2026-12-05"), period=2, unit="months")
    LedgerEntry.objects.filter(pk=done.pk).update(status=LedgerEntry.Status.DONE)
    assert moving.due_date == D("2027-02-05")  # a Friday, Monday–Friday assumed until the notice is entered
    notice = parse_notice(NOTICE_2027)
    assert notice.ok

    preview = services.holiday_notice_apply(by=admin_user, notice=notice, dry_run=True)
    assert [m["entry"] for m in preview["moved"]] == ["回复测试建议"]
    assert not HolidayOverride.objects.filter(date__year=2027).exists()
    moving.refresh_from_db()
    assert moving.due_date == D("2027-02-05")

    result = services.holiday_notice_apply(by=admin_user, notice=notice)
    assert (result["holidays"], result["workdays"]) == (12, 1)
    assert HolidayOverride.objects.filter(date__year=2027, kind="holiday").count() == 12
    assert HolidayOverride.objects.get(date=D("2027-02-20")).name == "春节调休上班"
    moving.refresh_from_db()
    staying.refresh_from_db()
    done.refresh_from_db()
    assert moving.due_date == D("2027-02-15")  # after the holiday and its Sunday
    assert "春节" in moving.due_explained
    assert staying.due_date == D("2027-01-05") and done.due_date == D("2027-02-05")
    notes = Notification.objects.filter(kind="ledger.due_changed", user__institution=owner)
    assert notes.exists()
    assert all("2027-02-05" in n.title and "2027-02-15" in n.title for n in notes)
    assert AuditEntry.objects.filter(action="holiday.import").count() == 1
    assert AuditEntry.objects.filter(action="ledger.recompute", target_id=moving.pk).count() == 1
    # Saving the same notice again changes nothing and tells no one twice.
    again = services.holiday_notice_apply(by=admin_user, notice=notice)
    assert again["moved"] == [] and again["created"] == 0
    assert Notification.objects.filter(kind="ledger.due_changed", user__institution=owner).count() == notes.count()


@pytest.mark.django_db
def test_a_notice_replaces_the_years_earlier_entries(world, admin_user):
    HolidayOverride.objects.create(date=D("2027-03-01"), kind="holiday", name="误录")
    services.holiday_notice_apply(by=admin_user, notice=parse_notice(NOTICE_2027))
    assert not HolidayOverride.objects.filter(date=D("2027-03-01")).exists()


@pytest.mark.django_db
def test_a_notice_with_errors_saves_nothing(world, admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.holiday_notice_apply(by=admin_user, notice=parse_notice(NOTICE_2027.replace("共9天", "共3天")))
    assert not HolidayOverride.objects.exists()


IMPORT_URL = "/admin/liaison/holidayoverride/import-notice/"


@pytest.mark.django_db
def test_admin_previews_then_confirms_the_notice(client, admin_user):
    client.force_login(admin_user)
    page = client.post(IMPORT_URL, {"text": NOTICE_2027, "action": "preview"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "2027-02-05" in body and "调休上班" in body and "确认保存" in body
    assert not HolidayOverride.objects.exists()
    digest = page.context["digest"]
    # A text changed after the preview is previewed again, not saved.
    edited = client.post(IMPORT_URL, {"text": NOTICE_2027 + "。", "action": "save", "previewed": digest})
    assert edited.status_code == 200 and not HolidayOverride.objects.exists()
    saved = client.post(IMPORT_URL, {"text": NOTICE_2027, "action": "save", "previewed": digest})
    assert saved.status_code == 302
    assert HolidayOverride.objects.filter(date__year=2027).count() == 13


@pytest.mark.django_db
def test_admin_page_shows_what_it_could_not_read(client, admin_user):
    client.force_login(admin_user)
    page = client.post(IMPORT_URL, {"text": NOTICE_2027.replace("（周五）至13日", "（周六）至13日")})
    assert page.status_code == 200
    assert "2月5日是周五" in page.content.decode()
    assert not HolidayOverride.objects.exists()


@pytest.mark.django_db
def test_portal_users_cannot_reach_the_import(client, office):
    client.force_login(office)
    response = client.post(IMPORT_URL, {"text": NOTICE_2027, "action": "save"})
    assert response.status_code in (302, 403)
    assert not HolidayOverride.objects.exists()
