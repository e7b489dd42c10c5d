import datetime as dt
import hashlib
import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from cases import importer
from cases.models import AdministrativeCase, Appearance, Cause, Hearing, Outcome
from liaison.models import AuditEntry

HEADERS = [c.header for c in importer.COLUMNS]
TODAY = timezone.localdate()
YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def xlsx(rows, headers=HEADERS, *, title="案件清单") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def case_row(n=1, **overrides):
    row = {
        "案号": f"（{YEAR}）桂02行初{n}号",
        "审级": "一审",
        "案由": "行政处罚",
        "原告": "张某、李某",
        "被告": "柳州市城市管理行政执法局",
        "立案日期": f"{YEAR}-03-05",
        "结案方式": "判决撤销",
        "结案日期": f"{YEAR}/6/18",
        "生效日期": f"{YEAR}年7月3日",
        "是否课以义务": "是",
        "是否自动履行": "是",
        "重大案件类别": "",
        "案情摘要": "不服行政处罚决定。",
    }
    row.update(overrides)
    return row


def run(user, data, only_valid=False):
    preview = importer.preview(user=user, file=data)
    return preview, importer.commit(user=user, preview=preview, only_valid=only_valid)


def test_valid_file_creates_cases_with_defendants_outcomes_and_derived_status(court_clerk, inst):
    data = xlsx(
        [
            case_row(1, 被告="柳州市城市管理行政执法局、市公安局"),
            case_row(
                2,
                案由="政府信息公开",
                原告="某某有限公司\n王某",
                结案方式="",
                结案日期="",
                生效日期="",
                是否课以义务="",
                是否自动履行="",
                重大案件类别="集体土地征收",
            ),
            case_row(3, 审级="", 案号=f"({YEAR})桂02行终3号", 生效日期="", 是否课以义务="", 是否自动履行=""),
        ]
    )
    preview = importer.preview(user=court_clerk, file=data)
    assert preview.errors == []
    assert preview.counts == {"rows": 3, "create": 3, "update": 0, "unchanged": 0, "invalid": 0}
    result = importer.commit(user=court_clerk, preview=preview)
    assert result == importer.ImportResult(created=3, updated=0, skipped=0, unchanged=0)

    first = AdministrativeCase.objects.get(number=f"（{YEAR}）桂02行初1号")
    assert first.court == inst["柳州市中级人民法院"]
    assert first.created_by == court_clerk
    assert set(first.defendants.values_list("name", flat=True)) == {"柳州市城市管理行政执法局", "柳州市公安局"}
    assert first.outcome == Outcome.objects.get(name="判决撤销")
    assert first.plaintiffs == "张某\n李某"
    assert (first.filed_on, first.concluded_on, first.effective_on) == (
        dt.date(YEAR, 3, 5),
        dt.date(YEAR, 6, 18),
        dt.date(YEAR, 7, 3),
    )
    assert first.imposes_obligation is True and first.performed_voluntarily is True
    assert first.status == AdministrativeCase.Status.EFFECTIVE

    second = AdministrativeCase.objects.get(number=f"（{YEAR}）桂02行初2号")
    assert second.status == AdministrativeCase.Status.PENDING
    assert second.cause == Cause.objects.get(name="政府信息公开")
    assert second.plaintiffs == "某某有限公司\n王某"
    assert second.outcome is None and second.imposes_obligation is None
    assert second.major_category == AdministrativeCase.MajorCategory.LAND

    # Half-width brackets are normalised; a blank 审级 is inferred from 行终.
    third = AdministrativeCase.objects.get(number=f"（{YEAR}）桂02行终3号")
    assert third.instance == AdministrativeCase.Instance.SECOND
    assert third.status == AdministrativeCase.Status.CONCLUDED


def test_import_writes_one_import_audit_entry_with_counts_and_file_hash(court_clerk):
    data = xlsx([case_row(1), case_row(2)])
    run(court_clerk, data)
    entry = AuditEntry.objects.get(action="case.import")
    assert entry.actor == court_clerk
    assert entry.after["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry.after["created"], entry.after["updated"], entry.after["skipped"]) == (2, 0, 0)
    assert AuditEntry.objects.filter(action="case.create").count() == 2


def test_bad_rows_get_chinese_errors_with_row_numbers_and_nothing_is_saved(court_clerk):
    tomorrow = TODAY + dt.timedelta(days=1)
    data = xlsx(
        [
            case_row(1),
            case_row(2, 案号="2026桂02行初2号"),
            case_row(3, 立案日期="2026-13-01"),
            case_row(4, 立案日期=tomorrow.isoformat(), 结案方式="", 结案日期="", 生效日期="", 是否自动履行=""),
            case_row(5, 被告="柳州市XX局"),
            case_row(6, 案由="行政摆烂"),
            case_row(7, 结案方式="判决胜诉"),
            case_row(8, 结案日期=f"{YEAR}-03-01", 生效日期=f"{YEAR}-03-02"),
            case_row(9, 被告="柳州市人民检察院", 原告=""),
            case_row(10, 是否课以义务="可能"),
            case_row(1, 案号=f"({YEAR})桂02行初1号"),
        ]
    )
    preview = importer.preview(user=court_clerk, file=data)
    assert preview.errors == [
        "第 3 行：案号格式不正确，应如“（2026）桂02行初12号”",
        "第 4 行：立案日期“2026-13-01”无法识别，应如 2026-03-05",
        f"第 5 行：立案日期 {tomorrow.isoformat()} 晚于今天",
        "第 6 行：未找到单位“柳州市XX局”",
        "第 7 行：未找到案由“行政摆烂”",
        "第 8 行：未找到结案方式“判决胜诉”",
        "第 9 行：结案日期早于立案日期",
        "第 10 行：原告不能为空",
        "第 10 行：“柳州市人民检察院”不是行政机关，不能作为被告",
        "第 11 行：是否课以义务只能填“是”“否”或留空",
        "第 11 行：未课以义务的案件，是否自动履行应留空",
        f"第 12 行：案号“（{YEAR}）桂02行初1号”与第 2 行重复",
    ]
    assert preview.counts["create"] == 1 and preview.counts["invalid"] == 10
    with pytest.raises(ValidationError) as exc:
        importer.commit(user=court_clerk, preview=preview)
    assert exc.value.messages == ["有 10 行存在错误，未导入任何案件。请修改后重新上传，或选择只导入无误的行。"]
    assert AdministrativeCase.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="case.").exists()


def test_outcome_and_dates_must_be_consistent(court_clerk):
    data = xlsx(
        [
            case_row(1, 结案日期="", 生效日期="", 是否课以义务="", 是否自动履行=""),
            case_row(2, 结案方式="", 生效日期="", 是否课以义务="", 是否自动履行=""),
            case_row(3, 结案方式="", 结案日期="", 是否课以义务="", 是否自动履行=""),
            case_row(4, 生效日期=""),
        ]
    )
    assert importer.preview(user=court_clerk, file=data).errors == [
        "第 2 行：填写了结案方式，请同时填写结案日期",
        "第 3 行：填写了结案日期，请同时填写结案方式",
        "第 4 行：填写了生效日期，请同时填写结案日期",
        "第 5 行：填写了是否自动履行，请同时填写生效日期",
    ]


def test_only_valid_imports_just_the_good_rows(court_clerk):
    data = xlsx([case_row(1), case_row(2, 被告="不存在的局"), case_row(3)])
    preview, result = run(court_clerk, data, only_valid=True)
    assert result == importer.ImportResult(created=2, updated=0, skipped=1)
    assert set(AdministrativeCase.objects.values_list("number", flat=True)) == {
        f"（{YEAR}）桂02行初1号",
        f"（{YEAR}）桂02行初3号",
    }
    assert AuditEntry.objects.get(action="case.import").after["skipped"] == 1


def test_reimporting_updates_and_never_duplicates(court_clerk):
    data = xlsx([case_row(1, 结案方式="", 结案日期="", 生效日期="", 是否课以义务="", 是否自动履行=""), case_row(2)])
    run(court_clerk, data)
    again, result = run(court_clerk, data)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"]
    assert result == importer.ImportResult(created=0, updated=0, skipped=0, unchanged=2)
    assert AdministrativeCase.objects.count() == 2

    # The court concludes case 1 and files case 3: the next list updates one and creates one.
    changed = xlsx(
        [case_row(1, 被告="市公安局", 生效日期="", 是否课以义务="", 是否自动履行=""), case_row(2), case_row(3)]
    )
    preview, result = run(court_clerk, changed)
    assert result == importer.ImportResult(created=1, updated=1, skipped=0, unchanged=1)
    assert preview.rows[0].changes["outcome"] == ("", "判决撤销")
    assert preview.rows[0].changes["defendants"] == ("柳州市城市管理行政执法局", "柳州市公安局")
    assert AdministrativeCase.objects.count() == 3
    case = AdministrativeCase.objects.get(number=f"（{YEAR}）桂02行初1号")
    assert case.status == AdministrativeCase.Status.CONCLUDED
    assert list(case.defendants.values_list("name", flat=True)) == ["柳州市公安局"]
    update = AuditEntry.objects.get(action="case.update", target_id=case.pk)
    assert update.before["status"] == "审理中" and update.after["status"] == "已结案"


def test_columns_left_out_of_the_file_keep_their_values(court_clerk):
    run(court_clerk, xlsx([case_row(1, 案情摘要="原有摘要")]))
    headers = ["案号", "案由", "原告", "被告", "立案日期"]
    run(court_clerk, xlsx([case_row(1, 原告="赵某")], headers=headers))
    case = AdministrativeCase.objects.get()
    assert case.plaintiffs == "赵某"
    assert case.summary == "原有摘要"
    assert case.outcome.name == "判决撤销" and case.status == AdministrativeCase.Status.EFFECTIVE


def test_an_update_may_not_contradict_hearings_and_appearances_already_recorded(court_clerk, inst):
    pending = {"结案方式": "", "结案日期": "", "生效日期": "", "是否课以义务": "", "是否自动履行": ""}
    run(court_clerk, xlsx([case_row(1, **pending)]))
    case = AdministrativeCase.objects.get()
    hearing = Hearing.objects.create(case=case, held_on=dt.date(YEAR, 6, 20))
    Appearance.objects.create(
        hearing=hearing, defendant=inst["柳州市城市管理行政执法局"], kind="head", person_name="罗某", person_post="局长"
    )
    preview = importer.preview(
        user=court_clerk,
        file=xlsx([case_row(1, 被告="市公安局", 生效日期="", 是否课以义务="", 是否自动履行="")]),
    )
    assert preview.errors == [
        "第 2 行：结案日期早于已登记的开庭日期（%s）" % dt.date(YEAR, 6, 20).isoformat(),
        "第 2 行：被告“柳州市城市管理行政执法局”已有出庭应诉记录，不能从本案删除",
    ]
    # Columns left out keep the registered dates, and the file's own dates must still fit them.
    headers = ["案号", "案由", "原告", "被告", "立案日期"]
    late_filing = importer.preview(
        user=court_clerk, file=xlsx([case_row(1, 立案日期=f"{YEAR}-07-01")], headers=headers)
    )
    assert late_filing.is_valid  # still pending: no dates to contradict
    case.concluded_on, case.outcome = dt.date(YEAR, 6, 25), Outcome.objects.get(name="撤诉")
    case.save()
    late_filing = importer.preview(
        user=court_clerk, file=xlsx([case_row(1, 立案日期=f"{YEAR}-07-01")], headers=headers)
    )
    assert late_filing.errors == ["第 2 行：结案日期早于立案日期"]


def test_case_number_of_another_court_is_an_error_not_an_update(court_clerk, county_clerk):
    run(county_clerk, xlsx([case_row(1)]))
    preview = importer.preview(user=court_clerk, file=xlsx([case_row(1, 原告="冒名"), case_row(2)]))
    assert preview.errors == [f"第 2 行：案号“（{YEAR}）桂02行初1号”已由其他法院登记，不能导入"]
    with pytest.raises(ValidationError):
        importer.commit(user=court_clerk, preview=preview)
    importer.commit(user=court_clerk, preview=preview, only_valid=True)
    theirs = AdministrativeCase.objects.get(number=f"（{YEAR}）桂02行初1号")
    assert theirs.court == county_clerk.institution and theirs.plaintiffs == "张某\n李某"


def test_number_taken_by_another_court_after_the_preview_is_caught_at_commit(court_clerk, county_clerk):
    preview = importer.preview(user=court_clerk, file=xlsx([case_row(1)]))
    assert preview.is_valid
    run(county_clerk, xlsx([case_row(1)]))
    with pytest.raises(ValidationError):
        importer.commit(user=court_clerk, preview=preview)
    assert AdministrativeCase.objects.get().court == county_clerk.institution


def test_short_names_resolve_and_ambiguous_or_wrong_kind_names_do_not(court_clerk):
    data = xlsx([case_row(1, 被告="市城管局，城中区政府"), case_row(2, 被告="市中院")])
    preview = importer.preview(user=court_clerk, file=data)
    assert preview.errors == [
        "第 2 行：未找到单位“城中区政府”",
        "第 3 行：“市中院”不是行政机关，不能作为被告",
    ]
    ok = importer.preview(user=court_clerk, file=xlsx([case_row(1, 被告="市城管局、城中政府")]))
    assert ok.is_valid
    importer.commit(user=court_clerk, preview=ok)
    assert set(AdministrativeCase.objects.get().defendants.values_list("name", flat=True)) == {
        "柳州市城市管理行政执法局",
        "柳州市城中区人民政府",
    }


def test_dates_accept_text_forms_excel_date_cells_and_serials(court_clerk):
    data = xlsx(
        [
            case_row(1, 立案日期=dt.datetime(YEAR, 3, 5), 结案日期=dt.date(YEAR, 6, 18), 生效日期=dt.date(YEAR, 7, 3)),
            case_row(2, 立案日期=f"{YEAR}/3/5", 结案日期=f"{YEAR}年6月18日", 生效日期=f"{YEAR}-07-03"),
        ]
    )
    wb = load_workbook(io.BytesIO(data))
    wb.active["F3"].value = (dt.date(YEAR, 3, 5) - dt.date(1899, 12, 30)).days  # a date typed as a number
    buffer = io.BytesIO()
    wb.save(buffer)
    run(court_clerk, buffer.getvalue())
    assert set(AdministrativeCase.objects.values_list("filed_on", "concluded_on", "effective_on")) == {
        (dt.date(YEAR, 3, 5), dt.date(YEAR, 6, 18), dt.date(YEAR, 7, 3))
    }


def test_a_file_that_is_not_xlsx_is_rejected_clearly(court_clerk):
    not_xlsx = "文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。"
    fake = io.BytesIO("案号,案由\n（2025）桂02行初1号,行政处罚\n".encode())
    fake.name = "案件清单.xlsx"
    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=fake, keep=True)
    assert exc.value.message_dict == {"file": [not_xlsx]}
    assert list(importer.kept.kept_files()) == []  # a rejected upload is not kept

    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=other_zip.getvalue())
    assert exc.value.messages == [not_xlsx]

    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert exc.value.messages == ["不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后上传。"]


def test_file_limits_and_missing_columns_are_file_errors(court_clerk, settings, monkeypatch):
    monkeypatch.setattr(importer.layout, "MAX_ROWS", 2)
    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=xlsx([case_row(1), case_row(2), case_row(3)]))
    assert exc.value.messages == ["文件超过 2 行案件数据，请分成多个文件导入。"]

    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=xlsx([case_row(1)], headers=["案号", "案由", "原告"]))
    assert exc.value.messages == ["第 1 行缺少必填列：被告、立案日期。"]

    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=xlsx([]))
    assert exc.value.messages == ["文件中没有案件数据。"]

    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        importer.preview(user=court_clerk, file=b"PK\x03\x04" + b"\0" * (1024 * 1024))
    assert exc.value.messages == ["文件过大，最大 1 MB。"]


def test_title_rows_above_the_headers_and_extra_columns_are_tolerated(court_clerk):
    wb = Workbook()
    ws = wb.active
    ws.append(["柳州市中级人民法院2025年行政案件清单"])
    ws.append(["序号"] + HEADERS + ["承办人"])
    row = case_row(1)
    ws.append([1] + [row[h] for h in HEADERS] + ["黄法官"])
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = importer.preview(user=court_clerk, file=buffer.getvalue())
    assert preview.is_valid and preview.rows[0].line == 3


def test_users_outside_a_court_cannot_import(court_clerk, agency_staff, proc_staff, auditor, county_clerk):
    data = xlsx([case_row(1)])
    for user in (agency_staff, proc_staff, auditor):
        with pytest.raises(PermissionDenied):
            importer.preview(user=user, file=data)
    preview = importer.preview(user=court_clerk, file=data)
    for user in (agency_staff, county_clerk):  # nobody commits another user's preview
        with pytest.raises(PermissionDenied):
            importer.commit(user=user, preview=preview)
    assert AdministrativeCase.objects.count() == 0


def test_template_round_trips(court_clerk):
    template = importer.build_template()
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == ["案件清单", "说明"]
    assert [c.value for c in wb["案件清单"][1]] == HEADERS
    help_text = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "政府信息公开" in help_text and "判决驳回诉讼请求" in help_text and "非诉执行审查" in help_text
    validated = {str(dv.sqref).split(":")[0] for dv in wb["案件清单"].data_validations.dataValidation}
    assert {"B2", "C2", "G2"} <= validated

    preview, result = run(court_clerk, template)
    assert result.created == 1
    case = AdministrativeCase.objects.get()
    assert case.number == f"（{YEAR}）桂02行初12号" and case.status == AdministrativeCase.Status.EFFECTIVE

    # A clerk fills a second row under the example.
    ws = wb["案件清单"]
    ws.append([ws.cell(row=2, column=i).value for i in range(1, len(HEADERS) + 1)])
    ws["A3"] = f"（{YEAR}）桂02行初13号"
    buffer = io.BytesIO()
    wb.save(buffer)
    _preview, result = run(court_clerk, buffer.getvalue())
    assert (result.created, result.unchanged) == (1, 1)


def test_kept_upload_is_reloaded_by_its_owner_only_and_removed_after_commit(court_clerk, court_head):
    upload = SimpleUploadedFile("../柳州中院\u202e案件清单.xlsx", xlsx([case_row(1)]))
    preview = importer.preview(user=court_clerk, file=upload, keep=True)
    assert len(preview.token) == 32
    assert preview.filename == "柳州中院案件清单.xlsx"
    files = sorted(p.name for p in importer.kept.kept_files())
    assert files == [f"{preview.token}.json", f"{preview.token}.xlsx"]

    for user, token in ((court_head, preview.token), (court_clerk, "../../etc/passwd"), (court_clerk, "x" * 32)):
        with pytest.raises(Http404):
            importer.load_preview(user=user, token=token)

    again = importer.load_preview(user=court_clerk, token=preview.token)
    assert again.sha256 == preview.sha256 and again.counts["create"] == 1
    importer.commit(user=court_clerk, preview=again)
    assert list(importer.kept.kept_files()) == []
    with pytest.raises(Http404):
        importer.load_preview(user=court_clerk, token=preview.token)


def test_stale_kept_uploads_are_purged(court_clerk):
    fresh = importer.preview(user=court_clerk, file=xlsx([case_row(1)]), keep=True).token
    old = importer.preview(user=court_clerk, file=xlsx([case_row(2)]), keep=True).token
    two_days_ago = time.time() - 2 * 86400
    for suffix in (".xlsx", ".json"):
        os.utime(importer.kept.imports_dir() / f"{old}{suffix}", (two_days_ago, two_days_ago))
    assert importer.purge_stale_previews() == 2
    assert sorted(p.stem for p in importer.kept.kept_files()) == [fresh, fresh]


def test_management_command_prints_row_errors_and_saves_nothing_unless_only_valid(court_clerk, tmp_path, capsys):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(xlsx([case_row(1), case_row(2, 案由="未知案由")]))
    with pytest.raises(CommandError, match="有 1 行存在错误"):
        call_command("import_cases", str(path), user="court_clerk")
    assert "第 3 行：未找到案由“未知案由”" in capsys.readouterr().err
    assert AdministrativeCase.objects.count() == 0

    call_command("import_cases", str(path), user="court_clerk", only_valid=True, dry_run=True)
    assert "试运行" in capsys.readouterr().out
    assert AdministrativeCase.objects.count() == 0

    call_command("import_cases", str(path), user="court_clerk", only_valid=True)
    assert "新建 1" in capsys.readouterr().out
    assert AdministrativeCase.objects.count() == 1

    with pytest.raises(CommandError, match="无权导入"):
        call_command("import_cases", str(path), user="agency_staff")


def _bulk(court_clerk, n: int) -> None:
    agencies = ["柳州市城市管理行政执法局", "市公安局", "柳州市自然资源和规划局", "市住建局"]
    outcomes = ["判决撤销", "判决驳回诉讼请求", "撤诉", ""]
    rows = []
    for i in range(1, n + 1):
        outcome = outcomes[i % 4]
        rows.append(
            case_row(
                i,
                被告="、".join([agencies[i % 4]] + ([agencies[(i + 1) % 4]] if i % 2 else [])),
                结案方式=outcome,
                结案日期=f"{YEAR}-06-18" if outcome else "",
                生效日期=f"{YEAR}-07-03" if outcome else "",
                是否课以义务="否" if outcome else "",
                是否自动履行="",
            )
        )
    data = xlsx(rows)
    started = time.monotonic()
    preview = importer.preview(user=court_clerk, file=data)
    parsed = time.monotonic()
    result = importer.commit(user=court_clerk, preview=preview)
    done = time.monotonic()
    print(f"\n{n} rows: preview {parsed - started:.2f} s, commit {done - parsed:.2f} s, total {done - started:.2f} s")
    assert result.created == n and AdministrativeCase.objects.count() == n
    assert AdministrativeCase.defendants.through.objects.count() == n + n // 2

    started = time.monotonic()
    _preview, result = run(court_clerk, data)
    print(f"{n} rows again (all unchanged): {time.monotonic() - started:.2f} s")
    assert result.unchanged == n and AdministrativeCase.objects.count() == n

    for row in rows:
        row["案情摘要"] = "补正后的摘要"
        row["被告"] = "市人社局"
    data = xlsx(rows)
    started = time.monotonic()
    _preview, result = run(court_clerk, data)
    print(f"{n} rows again (all updated): {time.monotonic() - started:.2f} s")
    assert result.updated == n and AdministrativeCase.defendants.through.objects.count() == n


def test_500_rows_import(court_clerk):
    _bulk(court_clerk, 500)


@pytest.mark.slow
def test_5000_rows_import(court_clerk):
    _bulk(court_clerk, 5000)
