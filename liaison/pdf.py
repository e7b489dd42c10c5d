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
        return self.render_document().write_pdf()

    def render_document(self, html: str | None = None):
        """The laid-out WeasyPrint document (pages inspectable before writing the PDF)."""
        html = self.render_html() if html is None else html
        return HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher()).render()


# ----------------------------------------------------------------------------- text rules

_NUMERALS = "一二三四五六七八九十百零〇"
_HEADING_1 = re.compile(rf"^([{_NUMERALS}]+)、")
_HEADING_2 = re.compile(rf"^[（(]([{_NUMERALS}]+)[）)]")
_HEADING_3 = re.compile(r"^(\d{1,3})[.．、](?!\d)")
_HEADING_4 = re.compile(r"^[（(](\d{1,3})[）)]")
_EDGE_SPACE = " \t\u3000\u00a0"


def heading_level(line: str) -> int:
    """GB/T 9704 §7.3.3 structure levels: 一、 （一） 1. （1） → 1–4; 0 for running text."""
    for level, pattern in enumerate((_HEADING_1, _HEADING_2, _HEADING_3, _HEADING_4), start=1):
        if pattern.match(line):
            return level
    return 0


def _chinese_number(text: str) -> int | None:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["〇"] = 0
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        value = (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)
        return value if all(c in digits for c in tens + units) else None
    if len(text) == 1 and text in digits:
        return digits[text]
    return None


def _chinese_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def demote_headings(text: str, levels: int = 1) -> str:
    """Number the user's own headings `levels` below where they are written, for text that
    goes inside a numbered section of a template ("二、建议" holds the user's "一、二、" as
    "（一）（二）"), so one document never has two "一、" at the same level. Running text and
    headings already at the lowest level (（1）) stay as they are."""
    out = []
    for line in (text or "").splitlines():
        stripped = line.strip(_EDGE_SPACE)
        for _ in range(levels):
            stripped = _demote_once(stripped)
        out.append(stripped)
    return "\n".join(out)


def _demote_once(line: str) -> str:
    level = heading_level(line)
    if level == 1:
        m = _HEADING_1.match(line)
        return f"（{m.group(1)}）" + line[m.end() :]
    if level == 2:
        m = _HEADING_2.match(line)
        n = _chinese_number(m.group(1))
        return line if n is None else f"{n}." + line[m.end() :]
    if level == 3:
        m = _HEADING_3.match(line)
        return f"（{int(m.group(1))}）" + line[m.end() :]
    return line


# Where a long 标题 may break (GB/T 9704 §7.3.1: 回行时要做到词意完整): before 的/和/及/与, after
# 关于 and after list punctuation; never inside what lies between.
_TITLE_BREAK_BEFORE = "的和及与"
_TITLE_BREAK_AFTER = "、，,"
# Nouns that end a phrase in administrative titles: a line may end after them.
_TITLE_PHRASE_ENDS = (
    "一案", "工作", "职责", "程序", "问题", "情况", "制度", "材料", "案件", "行为",
    "领域", "环节", "措施", "机制", "河段", "区域", "标准", "活动",
)  # fmt: skip


def title_lines(title: str, width: int = 20) -> list[str]:
    """Split a 2号 title (≈20 characters a line in the 156 mm type area) into balanced lines
    at phrase boundaries; the lines get shorter or longer evenly (梯形/菱形), not a full
    line and a stub. Falls back to even splits only when the title has no usable boundary."""
    title = (title or "").strip()
    if len(title) <= width:
        return [title] if title else []
    cuts = set()
    for i, ch in enumerate(title):
        if i and ch in _TITLE_BREAK_BEFORE:
            cuts.add(i)
        if ch in _TITLE_BREAK_AFTER and i + 1 < len(title):
            cuts.add(i + 1)
    for word in _TITLE_PHRASE_ENDS:
        start = title.find(word)
        while start != -1:
            cuts.add(start + len(word))
            start = title.find(word, start + 1)
    if title.startswith("关于"):
        cuts.add(2)
    cuts = sorted(c for c in cuts if 2 <= c <= len(title) - 2)
    lines_needed = -(-len(title) // width)
    best = None
    for count in (lines_needed, lines_needed + 1):
        best = _best_split(title, cuts, count, width) or best
        if best:
            break
    if best is None:
        size = -(-len(title) // lines_needed)
        return [title[i : i + size] for i in range(0, len(title), size)]
    return best


def _best_split(title: str, cuts: list[int], count: int, width: int):
    from itertools import combinations

    ideal = len(title) / count
    best, best_score = None, None
    for chosen in combinations(cuts, count - 1):
        bounds = (0, *chosen, len(title))
        lengths = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]
        if max(lengths) > width or min(lengths) < 2:
            continue
        score = sum((length - ideal) ** 2 for length in lengths)
        if best_score is None or score < best_score:
            best, best_score = [title[a:b] for a, b in zip(bounds, bounds[1:], strict=False)], score
    return best


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text. Headings set `head` in their face; `rest` follows in 仿宋."""

    level: int  # 0 text, 1 "一、" (黑体), 2 "（一）" (楷体), 3 "1." and 4 "（1）" (仿宋)
    head: str
    rest: str = ""


def paragraphs(text: str) -> list[Paragraph]:
    """Plain text, one paragraph per line. A heading runs to its first "。" when text follows it."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip(_EDGE_SPACE)
        if not line:
            continue
        level = heading_level(line)
        if level in (3, 4):
            result.append(Paragraph(level, line))
            continue
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

    def __init__(self, letter, *, compact: bool = False):
        self.letter = letter
        self.compact = compact

    def render(self) -> bytes:
        """GB/T 9704 §7.3.5: when a letter of two or three pages would end on a page holding
        only a few lines and the signature, the line spacing is tightened slightly (about 24
        lines a page) if that brings it onto one page fewer; the signature always keeps with
        the last paragraph."""
        document = self.render_document()
        # Only short letters: a long report keeps the standard 22 lines on every page.
        if len(document.pages) in (2, 3) and not self.compact:
            tighter = LetterPdf(self.letter, compact=True).render_document()
            if len(tighter.pages) < len(document.pages):
                document = tighter
        return document.write_pdf()

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
            "title_lines": title_lines(letter.title),
            "compact": self.compact,
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
