"""Case list import pages: template download, upload → preview of every row with its Chinese errors
→ import all / only the valid rows / cancel. Court users only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from cases import importer
from cases.models import AdministrativeCase

from ..liaison._view_helpers import client_for

UPLOAD = "/cases/import/"
HEADERS = [c.header for c in importer.COLUMNS]
YEAR = timezone.localdate().year - 1


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "案件清单"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def case_row(n, **overrides):
    row = {
        "案号": f"（{YEAR}）桂02行初{n}号",
        "审级": "一审",
        "案由": "行政处罚",
        "原告": "张某、李某",
        "被告": "柳州市城市管理行政执法局",
        "立案日期": f"{YEAR}-03-05",
        "案情摘要": "不服行政处罚决定。",
    }
    row.update(overrides)
    return row


def upload(client, data: bytes, name="案件清单.xlsx"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def clerk(court_clerk):
    return client_for(court_clerk)


def test_template_download_is_an_xlsx_for_court_users(clerk):
    response = clerk.get(UPLOAD + "template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    header = next(load_workbook(io.BytesIO(response.content))["案件清单"].iter_rows(values_only=True))
    assert list(header)[: len(HEADERS)] == HEADERS


def test_upload_preview_and_import_all(clerk, court_clerk):
    page = clerk.get(UPLOAD)
    assert page.status_code == 200 and "案号" in page.content.decode()
    response = upload(clerk, xlsx([case_row(1), case_row(2, 原告="王某")]))
    assert response.status_code == 302
    preview_url = response["Location"]
    assert preview_url.startswith(UPLOAD)
    preview = clerk.get(preview_url)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert f"（{YEAR}）桂02行初1号" in body and "新建" in body and "所有行检查无误" in body
    assert preview.context["can_import_all"] and not preview.context["can_import_valid"]
    assert not AdministrativeCase.objects.exists()  # nothing saved by the preview

    done = clerk.post(preview_url, {"action": "all"}, follow=True)
    assert done.redirect_chain[-1][0] == "/cases/"
    assert "新建 2 件" in " ".join(messages_of(done))
    assert AdministrativeCase.objects.filter(court=court_clerk.institution).count() == 2
    # The kept upload is gone: the preview cannot be committed twice.
    assert clerk.get(preview_url).status_code == 404


def test_reimporting_shows_updates_with_what_changes(clerk, court_clerk):
    preview_url = upload(clerk, xlsx([case_row(1)]))["Location"]
    clerk.post(preview_url, {"action": "all"})
    preview_url = upload(clerk, xlsx([case_row(1, 案情摘要="补充后的摘要。")]))["Location"]
    body = clerk.get(preview_url).content.decode()
    assert "更新" in body and "案情摘要" in body and "补充后的摘要。" in body
    clerk.post(preview_url, {"action": "all"})
    assert AdministrativeCase.objects.get().summary == "补充后的摘要。"


def test_rows_with_errors_are_listed_in_chinese_and_import_all_is_disabled(clerk):
    data = xlsx([case_row(1), case_row(2, 案号="2026桂02行初2号"), case_row(3, 被告="柳州市XX局")])
    preview_url = upload(clerk, data)["Location"]
    preview = clerk.get(preview_url)
    body = preview.content.decode()
    assert "案号格式不正确" in body and "柳州市XX局" in body and "有错误" in body
    assert preview.context["counts"] == {"rows": 3, "create": 1, "update": 0, "unchanged": 0, "invalid": 2}
    assert not preview.context["can_import_all"] and preview.context["can_import_valid"]
    assert 'value="all" class="btn btn-primary" disabled' in body
    only_errors = clerk.get(preview_url, {"show": "errors"})
    assert [r.line for r in only_errors.context["rows"]] == [3, 4]

    # Forcing "all" anyway imports nothing and says why.
    refused = clerk.post(preview_url, {"action": "all"})
    assert refused.status_code == 200
    assert "有 2 行存在错误，未导入任何案件" in " ".join(messages_of(refused))
    assert not AdministrativeCase.objects.exists()

    done = clerk.post(preview_url, {"action": "valid"}, follow=True)
    assert "跳过有错误的行 2 行" in " ".join(messages_of(done))
    assert list(AdministrativeCase.objects.values_list("number", flat=True)) == [f"（{YEAR}）桂02行初1号"]


def test_cancel_discards_the_upload(clerk):
    preview_url = upload(clerk, xlsx([case_row(1)]))["Location"]
    response = clerk.post(preview_url, {"action": "cancel"}, follow=True)
    assert "已取消导入" in " ".join(messages_of(response))
    assert clerk.get(preview_url).status_code == 404
    assert not AdministrativeCase.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_beside_the_field(clerk):
    response = upload(clerk, b"%PDF-1.4 not a spreadsheet", name="案件.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "请修改以下问题后再提交" in response.content.decode()
    response = clerk.post(UPLOAD, {})
    assert response.context["form"].errors["file"] == ["请选择要导入的 .xlsx 文件。"]


def test_another_users_or_a_malformed_token_is_404(clerk, world):
    preview_url = upload(clerk, xlsx([case_row(1)]))["Location"]
    other = client_for(world["court_head"])
    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url, {"action": "all"}).status_code == 404
    assert clerk.get(UPLOAD + "x" * 32 + "/").status_code == 404
    assert clerk.get(UPLOAD + "short/").status_code == 404
    assert not AdministrativeCase.objects.exists()


@pytest.mark.parametrize("persona", ["agency_staff", "gov_legal", "proc_staff", "auditor", "office", "env_staff"])
def test_import_is_for_court_users_only(world, persona, clerk):
    preview_url = upload(clerk, xlsx([case_row(1)]))["Location"]
    client = client_for(world[persona])
    assert client.get(UPLOAD).status_code == 403
    assert client.get(UPLOAD + "template/").status_code == 403
    assert upload(client, xlsx([case_row(2)])).status_code == 403
    assert client.get(preview_url).status_code == 403
    assert client.post(preview_url, {"action": "all"}).status_code == 403
    assert not AdministrativeCase.objects.exists()


def test_import_posts_need_a_csrf_token(court_clerk, clerk):
    preview_url = upload(clerk, xlsx([case_row(1)]))["Location"]
    strict = client_for(court_clerk, enforce_csrf_checks=True)
    assert strict.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", xlsx([case_row(2)]))}).status_code == 403
    assert strict.post(preview_url, {"action": "all"}).status_code == 403
    assert not AdministrativeCase.objects.exists()
