"""Issue 11, item 5: an attachment's name must end in an extension its sniffed content may carry;
ZIP containers are opened (Word, Excel, OFD accepted; macros and plain archives refused)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from liaison import services
from liaison.models import Attachment

from ._view_helpers import client_for, draft_letter

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64


def zipped(*names, extra=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in (*names, *extra):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "word/document.xml")
DOCM = zipped("[Content_Types].xml", "word/document.xml", extra=["word/vbaProject.bin"])
OFD = zipped("OFD.xml", "Doc_0/Document.xml")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(court_clerk, agency_staff):
    return draft_letter(court_clerk, [agency_staff.institution])


def add(draft, by, name, data):
    return services.attachment_add(letter=draft, by=by, upload=SimpleUploadedFile(name, data))


def bytes_as_data(value):
    """Test ids name the file, not its bytes: a zip's bytes carry the time it was built, and
    pytest-xdist needs every worker to collect the same ids."""
    return "data" if isinstance(value, bytes) else None


@pytest.mark.parametrize(
    "name, data, content_type",
    [
        ("情况说明.pdf", PDF, "application/pdf"),
        ("现场照片.PNG", PNG, "image/png"),
        ("现场.jpeg", JPEG, "image/jpeg"),
        ("旧版通知.doc", OLE, "application/x-ole-storage"),
        ("报表.wps", OLE, "application/x-ole-storage"),
        ("答复意见.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("统计表.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("公文.ofd", OFD, "application/ofd"),
    ],
    ids=bytes_as_data,
)
def test_matching_names_are_accepted(draft, court_clerk, name, data, content_type):
    attachment = add(draft, court_clerk, name, data)
    assert attachment.content_type == content_type
    assert attachment.name == name


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("tool.jar", zipped("META-INF/MANIFEST.MF", "a.class"), "不接受压缩包"),
        ("资料.zip", zipped("setup.exe"), "不接受压缩包"),
        ("合同.docm", DOCM, "含有宏"),
        ("合同.docx", DOCM, "含有宏"),
        ("x.html", PDF, "内容是PDF，文件名应以 .pdf 结尾"),
        ("setup.exe", b"MZ\x90\0" + b"\0" * 60, "只接受 PDF"),
        ("photo.svg", PNG, "内容是PNG 图片，文件名应以 .png 结尾"),
        ("说明", PDF, "文件名应以 .pdf 结尾"),
        ("统计表.pdf", xlsx(), "内容是Excel 工作簿，文件名应以 .xlsx 结尾"),
        ("损坏.docx", b"PK\x03\x04" + b"\0" * 40, "已损坏"),
    ],
    ids=bytes_as_data,
)
def test_mismatches_are_refused_saying_what_is_wrong(draft, court_clerk, name, data, words):
    with pytest.raises(ValidationError) as exc:
        add(draft, court_clerk, name, data)
    [message] = exc.value.message_dict["file"]
    assert words in message, message
    assert not Attachment.objects.exists()
    stored = Path(settings.MEDIA_ROOT)
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]


def test_the_page_shows_the_reason(draft, court_clerk):
    upload = SimpleUploadedFile("x.html", PDF, content_type="text/html")
    response = client_for(court_clerk).post(f"/letters/{draft.uuid}/attachments/", {"file": upload})
    assert response.status_code == 200
    assert "文件名“x.html”与内容不符" in response.content.decode()
