"""What an attachment may be: its content is sniffed, and its name must end in an extension that
content may carry. A `.html` starting with `%PDF-`, a `.jar` or `.exe` that is a ZIP, a `.docm`,
an `.svg` with PNG magic bytes are refused with a message saying what is wrong.

ZIP containers are opened and told apart by their parts: Word (.docx), Excel (.xlsx) and OFD
(.ofd, GB/T 33190); one holding macros (vbaProject.bin) is refused, and so is any other ZIP —
a plain archive could hold anything, so it must be unpacked and its files attached one by one.
The OLE2 container of old Office and WPS files (.doc, .xls, .wps, .et) is accepted by name.

Every file is at most UPLOAD_MAX_BYTES, and a letter or record carries at most ATTACHMENTS_MAX
files (`check_size`, `check_count`): the rules of every upload path, page or API, one file or many.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
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


def check_size(upload) -> None:
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise _refuse(_("文件过大，最大 %(m)d MB。") % {"m": settings.UPLOAD_MAX_BYTES // 1048576})


def check_count(existing: int, adding: int) -> None:
    """A letter or record holds at most ATTACHMENTS_MAX files (`existing` already, `adding` now)."""
    limit = settings.ATTACHMENTS_MAX
    if existing + adding > limit:
        if existing:
            message = _("附件最多 %(m)d 个，已有 %(n)d 个，本次只能再添加 %(k)d 个。") % {
                "m": limit,
                "n": existing,
                "k": max(limit - existing, 0),
            }
        else:
            message = _("附件最多 %(m)d 个，本次选择了 %(k)d 个。") % {"m": limit, "k": adding}
        raise _refuse(message)


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


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def sanitize_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", name or "")
    # Drop bidi overrides and other format characters that disguise extensions.
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if not name:
        name = "附件"
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:120]
    return name


def check(upload) -> tuple[str, Kind]:
    """The upload's safe name and its kind: size, content sniffed and matched to the name's extension."""
    check_size(upload)
    name = sanitize_filename(upload.name)
    return name, check_attachment(upload, name)


def check_files(files) -> list[tuple[str, Kind]]:
    """`check` for several files chosen together (the count against a record's files is the
    caller's): every refusal at once, each naming its file when there are several."""
    files = list(files)
    checked, refused = [], []
    for upload in files:
        try:
            checked.append(check(upload))
        except ValidationError as exc:
            name = sanitize_filename(upload.name)
            for message in exc.messages:
                several = len(files) > 1 and name not in message
                refused.append(_("“%(name)s”：%(error)s") % {"name": name, "error": message} if several else message)
    if refused:
        raise ValidationError({"file": refused})
    return checked
