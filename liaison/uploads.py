"""What an attachment may be: its content is sniffed, and its name must end in an extension that
content may carry. A `.html` starting with `%PDF-`, a `.jar` or `.exe` that is a ZIP, a `.docm`,
an `.svg` with PNG magic bytes are refused with a message saying what is wrong.

ZIP containers are opened and told apart by their parts: Word (.docx), Excel (.xlsx) and OFD
(.ofd, GB/T 33190); one holding macros (vbaProject.bin) is refused, and so is any other ZIP —
a plain archive could hold anything, so it must be unpacked and its files attached one by one.
The OLE2 container of old Office and WPS files (.doc, .xls, .wps, .et) is accepted by name.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Kind:
    label: object  # shown in messages
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind(gettext_lazy("PDF"), "application/pdf", (".pdf",))
PNG = Kind(gettext_lazy("PNG 图片"), "image/png", (".png",))
JPEG = Kind(gettext_lazy("JPEG 图片"), "image/jpeg", (".jpg", ".jpeg"))
OLE = Kind(gettext_lazy("Word/Excel/WPS 文档（旧格式）"), "application/x-ole-storage", (".doc", ".xls", ".wps", ".et"))
DOCX = Kind(
    gettext_lazy("Word 文档"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = Kind(
    gettext_lazy("Excel 工作簿"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
OFD = Kind(gettext_lazy("OFD 版式文件"), "application/ofd", (".ofd",))

MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
ZIP_MAGIC = b"PK\x03\x04"
ACCEPTED = _("只接受 PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、WPS、PNG、JPEG 文件。")


def _refuse(message) -> ValidationError:
    return ValidationError({"file": [str(message)]})


def _zip_kind(upload) -> Kind:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = {info.filename for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(_("文件已损坏，无法打开。")) from None
    finally:
        upload.seek(0)
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        raise _refuse(_("文件含有宏（如 .docm、.xlsm），不能作为附件；请另存为不含宏的 .docx 或 .xlsx。"))
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    if "OFD.xml" in names:
        return OFD
    raise _refuse(_("不接受压缩包：请解压后分别上传其中的文件。") + ACCEPTED)


def sniff(upload) -> Kind:
    """The kind of file the content says it is (raises the field error for anything else)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(upload)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    raise _refuse(ACCEPTED)


def check_attachment(upload, name: str) -> Kind:
    """The sniffed kind, when `name` (already sanitised) ends in one of its extensions."""
    kind = sniff(upload)
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot > 0 else ""
    if extension not in kind.extensions:
        raise _refuse(
            _("文件名“%(name)s”与内容不符：内容是%(kind)s，文件名应以 %(ext)s 结尾。")
            % {"name": name, "kind": kind.label, "ext": "、".join(kind.extensions)}
        )
    return kind
