"""Official documents as PDFs in the GB/T 9704-2012 format, rendered by WeasyPrint.

One class per document type: a template under ``<app>/templates/<app>/pdf/`` and its
context. Every template links the shared stylesheet ``static/pdf/gbt9704.css`` and is
rendered with `StaticOnlyFetcher`, which reads the portal's own static fonts and
stylesheets and nothing else: letter text is user input, and a PDF must never make the
server fetch a URL or read a file on its behalf.

Other apps subclass `PdfDocument` (a 建议书, a 通报, minutes) the way `LetterPdf` does.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are parsed with this base URL, so "pdf/gbt9704.css" and the fonts it names
# become https://static.invalid/… (.invalid never resolves, RFC 2606). The fetcher maps
# that origin onto the static files and refuses every other URL without opening it.
STATIC_ORIGIN = "https://static.invalid/"


class RefusedURL(ValueError):
    """A document referred to something other than the portal's own PDF assets."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves a few static folders and fetches nothing else.

    Refusals raise `RefusedURL`; WeasyPrint logs them and renders without the resource.
    """

    allowed_prefixes = ("pdf/", "fonts/")
    allowed_suffixes = (".css", ".otf", ".ttf", ".ttc", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".svg")

    def __init__(self, **kwargs):
        # No handlers are ever used: fetch() below never calls the parent's opener.
        super().__init__(allowed_protocols=("https",), allow_redirects=False, **kwargs)

    def resolve(self, url: str) -> Path:
        """The file behind `url`, or RefusedURL. Never touches the network."""
        if not isinstance(url, str) or not url.startswith(STATIC_ORIGIN):
            raise RefusedURL(f"not a portal static file: {url!r}")
        rest = url[len(STATIC_ORIGIN) :].split("#", 1)[0]
        if "?" in rest:
            raise RefusedURL(f"query strings are not served: {url!r}")
        relative = unquote(rest)
        if (
            not relative
            or "\x00" in relative
            or "\\" in relative
            or relative.startswith("/")
            or any(part in ("", ".", "..") for part in relative.split("/"))
            or posixpath.normpath(relative) != relative
        ):
            raise RefusedURL(f"bad static path: {url!r}")
        if not relative.startswith(self.allowed_prefixes) or not relative.lower().endswith(self.allowed_suffixes):
            raise RefusedURL(f"not a PDF asset: {url!r}")
        found = finders.find(relative)
        if found:
            path = Path(found)
        elif settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            path = (root / relative).resolve()
            if not path.is_relative_to(root):
                raise RefusedURL(f"outside the static root: {url!r}")
        else:
            raise RefusedURL(f"no such static file: {url!r}")
        if not path.is_file():
            raise RefusedURL(f"no such static file: {url!r}")
        return path

    def fetch(self, url, headers=None):
        path = self.resolve(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def fast_font_subsetting() -> bool:
    """Whether WeasyPrint subsets fonts with libharfbuzz-subset0 (~0.25 s a page).

    Without it WeasyPrint falls back to fontTools and a CJK letter takes ~14 s a page.
    """
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


class PdfDocument:
    """A document type: its template and context. `render()` gives the PDF bytes."""

    template_name: str = ""
    # The document's own language, whatever the language of the user who triggered it.
    language = "zh-hans"

    def get_context(self) -> dict:
        return {}

    def render_html(self) -> str:
        with translation.override(self.language):
            return render_to_string(self.template_name, self.get_context())

    def render(self) -> bytes:
        html = HTML(string=self.render_html(), base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher())
        return html.write_pdf()


# ----------------------------------------------------------------------------- text rules

_NUMERALS = "一二三四五六七八九十百零〇"
_HEADING_1 = re.compile(rf"^[{_NUMERALS}]+、")
_HEADING_2 = re.compile(rf"^（[{_NUMERALS}]+）")
_EDGE_SPACE = " \t\u3000\u00a0"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text. Headings set `head` in their face; `rest` follows in 仿宋."""

    level: int  # 0 text, 1 "一、" (黑体), 2 "（一）" (楷体)
    head: str
    rest: str = ""


def paragraphs(text: str) -> list[Paragraph]:
    """Plain text, one paragraph per line. A heading runs to its first "。" when text follows it."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip(_EDGE_SPACE)
        if not line:
            continue
        level = 1 if _HEADING_1.match(line) else 2 if _HEADING_2.match(line) else 0
        if level == 0:
            result.append(Paragraph(0, line))
            continue
        head, stop, rest = line.partition("。")
        if stop and rest.strip(_EDGE_SPACE):
            result.append(Paragraph(level, head + stop, rest.strip(_EDGE_SPACE)))
        else:
            result.append(Paragraph(level, line))
    return result


def chinese_date(date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年3月5日."""
    return f"{date.year}年{date.month}月{date.day}日"


def addressee_line(institutions) -> str:
    """主送机关: 、 between institutions of one kind, ， where the kind changes."""
    out = ""
    previous = None
    for institution in institutions:
        if previous is not None:
            out += "、" if institution.kind == previous.kind else "，"
        out += institution.name
        previous = institution
    return out


def attachment_title(name: str) -> str:
    """An attachment's name as the 附件说明 lists it: without the file extension."""
    stem, ext = posixpath.splitext(name)
    return stem if stem and re.fullmatch(r"\.[A-Za-z0-9]{1,5}", ext or "") else name


def issuer_mark_size(name: str, default: float = 30.0, minimum: float = 18.0) -> float:
    """Font size (pt) of the issuer's name: the default, smaller for names too long for one line."""
    type_area_pt = 156 / 25.4 * 72
    return round(max(minimum, min(default, type_area_pt / max(len(name), 1) - 0.5)), 1)


# ----------------------------------------------------------------------------- documents


class LetterPdf(PdfDocument):
    """函 in the 信函格式 (GB/T 9704-2012 §10.1)."""

    template_name = "liaison/pdf/letter.html"

    def __init__(self, letter):
        self.letter = letter

    def get_context(self) -> dict:
        from django.utils import timezone

        from .models import Delivery

        letter = self.letter
        issued_on = letter.issued_on or timezone.localdate()
        deliveries = list(letter.deliveries.select_related("recipient").order_by("position", "id"))
        to = [d.recipient for d in deliveries if d.kind == Delivery.Kind.TO]
        cc = [d.recipient for d in deliveries if d.kind == Delivery.Kind.CC]
        return {
            "letter": letter,
            "issuer_name": letter.issuer.name,
            "issuer_mark_size": issuer_mark_size(letter.issuer.name),
            "marks": [m for m in (letter.urgency,) if m],
            "doc_number": letter.doc_number or "",
            "title": letter.title,
            "addressees": addressee_line(to),
            "paragraphs": paragraphs(letter.body),
            "attachments": [attachment_title(a.name) for a in letter.attachments.all()],
            "signature": letter.signature_name,
            "date": chinese_date(issued_on),
            "cc": "，".join(i.name for i in cc),
            "created": letter.issued_at or letter.created_at,
        }


def render_letter_html(letter) -> str:
    return LetterPdf(letter).render_html()


def render_letter(letter) -> bytes:
    return LetterPdf(letter).render()
