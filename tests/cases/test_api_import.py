"""POST /api/v1/cases/import/ (upload → preview with per-row errors and a token) and
/api/v1/cases/import/commit/ (token → counts): court users only, all-or-nothing by default."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from cases import importer
from cases.models import AdministrativeCase

from ._api_helpers import CASES, post, snapshot

PREVIEW = f"{CASES}import/"
COMMIT = f"{CASES}import/commit/"
HEADERS = [c.header for c in importer.COLUMNS]
YEAR = timezone.localdate().year - 1


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "案件清单"
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(n, **overrides):
    values = {
        "案号": f"（{YEAR}）桂02行初{n}号",
        "审级": "一审",
        "案由": "行政处罚",
        "原告": "张某",
        "被告": "柳州市城市管理行政执法局",
        "立案日期": f"{YEAR}-03-05",
    }
    values.update(overrides)
    return values


def upload(client, data, name="案件清单.xlsx"):
    return client.post(PREVIEW, {"file": SimpleUploadedFile(name, data)}, format="multipart")


def test_preview_then_commit_only_the_valid_rows(api, court_clerk):
    client = api(court_clerk)
    response = upload(client, xlsx([row(1), row(2, 案由="行政摆烂"), row(3)]))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["counts"] == {"rows": 3, "create": 2, "update": 0, "unchanged": 0, "invalid": 1}
    assert data["is_valid"] is False and data["filename"] == "案件清单.xlsx"
    assert [(r["line"], r["action"]) for r in data["rows"]] == [(2, "create"), (3, ""), (4, "create")]
    [error] = data["errors"]
    assert error.startswith("第 3 行") and "行政摆烂" in error
    assert data["rows"][1]["errors"] == [error]
    assert len(data["token"]) == 32 and not AdministrativeCase.objects.exists()

    # All or nothing by default: one bad row, nothing saved.
    before = snapshot()
    response = post(client, COMMIT, {"token": data["token"]})
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert snapshot() == before

    response = post(client, COMMIT, {"token": data["token"], "only_valid": True})
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0, "skipped": 1, "unchanged": 0}
    assert set(AdministrativeCase.objects.values_list("court__name", flat=True)) == {"柳州市中级人民法院"}
    # The token is spent.
    response = post(client, COMMIT, {"token": data["token"], "only_valid": True})
    assert response.status_code == 400 and "token" in response.json()


def test_re_importing_reports_updates_with_their_changes(api, court_clerk):
    client = api(court_clerk)
    token = upload(client, xlsx([row(1)])).json()["token"]
    assert post(client, COMMIT, {"token": token}).json()["created"] == 1
    data = upload(client, xlsx([row(1, 原告="王某")])).json()
    assert data["counts"]["update"] == 1
    assert data["rows"][0]["changes"]["plaintiffs"] == ["张某", "王某"]
    assert post(client, COMMIT, {"token": data["token"]}).json() == {
        "created": 0,
        "updated": 1,
        "skipped": 0,
        "unchanged": 0,
    }


def test_a_token_belongs_to_its_uploader(api, court_clerk, court_head, county_clerk):
    token = upload(api(court_clerk), xlsx([row(1)])).json()["token"]
    before = snapshot()
    for user in (court_head, county_clerk):
        response = post(api(user), COMMIT, {"token": token})
        assert response.status_code == 400 and "token" in response.json()
    for bad in ("x" * 32, "../../etc/passwd", "", None, 5):
        response = post(api(court_clerk), COMMIT, {"token": bad})
        assert response.status_code == 400 and "token" in response.json(), bad
    assert snapshot() == before
    assert post(api(court_clerk), COMMIT, {"token": token}).status_code == 200


def test_a_file_that_is_not_a_workbook_is_a_field_error(api, court_clerk):
    client = api(court_clerk)
    for data, name in ((b"%PDF-1.4 not a sheet", "cases.xlsx"), (b"\xd0\xcf\x11\xe0old", "cases.xls"), (b"", "e.xlsx")):
        response = upload(client, data, name)
        assert response.status_code == 400, response.content
        assert "file" in response.json()
    response = client.post(PREVIEW, {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert client.post(PREVIEW, {"file": "x"}, format="json").status_code == 415
    assert not AdministrativeCase.objects.exists()


def test_a_number_of_another_court_is_an_error_not_an_update(api, court_clerk, county_clerk):
    token = upload(
        api(county_clerk), xlsx([row(1, 案号=f"（{YEAR}）桂0202行初1号", 被告="柳州市城中区人民政府")])
    ).json()["token"]
    post(api(county_clerk), COMMIT, {"token": token})
    data = upload(api(court_clerk), xlsx([row(1, 案号=f"（{YEAR}）桂0202行初1号")])).json()
    assert data["counts"]["invalid"] == 1 and data["rows"][0]["errors"]
    assert AdministrativeCase.objects.get().court == county_clerk.institution
