"""Letter PDFs: GB/T 9704 信函格式 content, embedded fonts, and an inert renderer.

The layout itself was checked by eye (docs/letter-sample.png); these tests hold the parts
a machine can check: text, fonts, page numbers, and that rendering fetches nothing.
"""

import datetime as dt
import http.server
import re
import shutil
import subprocess
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from liaison import services
from liaison.pdf import (
    STATIC_ORIGIN,
    LetterPdf,
    Paragraph,
    PdfDocument,
    RefusedURL,
    StaticOnlyFetcher,
    addressee_line,
    attachment_title,
    chinese_date,
    fast_font_subsetting,
    paragraphs,
    render_letter,
)

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdffonts") and shutil.which("pdftotext")), reason="poppler-utils not installed"
)

BODY = """近期，我院在审理涉及城市管理行政执法的案件中发现，部分执法单位在作出行政处罚决定前未依法履行告知程序。
一、基本情况
2025年以来，我院共审结以市城市管理局为被告的一审行政案件46件。
（一）程序意识不强。部分执法人员重实体、轻程序。
请你局在收到本函之日起两个月内将办理情况书面回复我院。"""


def issue(letter, clerk, head):
    services.letter_submit(letter=letter, by=clerk)
    return services.letter_issue(letter=letter, by=head)


@pytest.fixture
def letter(court_clerk, court_head, agency_staff, gov_legal, proc_staff, django_capture_on_commit_callbacks):
    """An issued letter with two cc's, an attachment and an urgency mark; its PDF rendered by the task."""
    draft = services.letter_create(
        by=court_clerk,
        title="关于规范城市管理行政执法程序的司法建议函",
        body=BODY,
        addressees=[agency_staff.institution],
        cc=[gov_legal.institution, proc_staff.institution],
        urgency="加急",
    )
    services.attachment_add(
        letter=draft,
        by=court_clerk,
        upload=SimpleUploadedFile("行政案件审理情况统计表.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = issue(draft, court_clerk, court_head)
    issued.refresh_from_db()
    return issued


@pytest.fixture
def letter_pdf(letter, tmp_path):
    """The stored PDF of `letter`, written to a file for poppler."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.pdf.read())
    return path


def pdftotext(path, *args) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeeze(text: str) -> str:
    """pdftotext breaks lines where the PDF does; compare text without any whitespace."""
    return re.sub(r"\s+", "", text)


def pdffonts(path) -> list[tuple[str, str]]:
    """(name, emb) for every font in the PDF."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    header = out[0]
    emb = header.index("emb")
    return [(line.split()[0], line[emb : emb + 3].strip()) for line in out[2:] if line.strip()]


# ----------------------------------------------------------------------------- content


@needs_poppler
def test_every_font_in_the_letter_is_embedded_and_none_is_japanese(letter_pdf):
    fonts = pdffonts(letter_pdf)
    assert fonts, "no fonts listed"
    assert all(emb == "yes" for _, emb in fonts), fonts
    names = " ".join(name for name, _ in fonts)
    # 仿宋 body, 楷体 （一） heading, 黑体 一、 heading and urgency mark, 小标宋 issuer and title.
    for family in ("FandolFang", "FandolKai", "Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC-Bold"):
        assert family in names, (family, names)
    assert "JP" not in names


@needs_poppler
def test_letter_text_has_issuer_number_title_addressee_body_attachment_date_and_cc(
    letter, letter_pdf, agency_staff, gov_legal, proc_staff
):
    text = squeeze(pdftotext(letter_pdf))
    issued_on = letter.issued_on
    assert letter.doc_number == f"柳中法函〔{issued_on.year}〕1号"
    for expected in (
        "柳州市中级人民法院",
        letter.doc_number,
        "加急",
        "关于规范城市管理行政执法程序的司法建议函",
        f"{agency_staff.institution.name}：",
        "一、基本情况",
        "（一）程序意识不强。",
        "附件：行政案件审理情况统计表",
        f"{issued_on.year}年{issued_on.month}月{issued_on.day}日",
        f"抄送：{gov_legal.institution.name}，{proc_staff.institution.name}。",
    ):
        assert expected in text, expected
    assert ".pdf" not in text  # the 附件说明 names the document, not the file


@needs_poppler
def test_long_letter_runs_22_lines_of_28_characters_and_numbers_pages_after_the_first(
    court_clerk, court_head, agency_staff, tmp_path
):
    # No punctuation, so no line is shortened by the rule that "。" may not start a line.
    long_body = "\n".join("行政机关负责人出庭应诉" * 9 for _ in range(30))
    draft = services.letter_create(by=court_clerk, title="长函", body=long_body, addressees=[agency_staff.institution])
    path = tmp_path / "long.pdf"
    path.write_bytes(render_letter(issue(draft, court_clerk, court_head)))
    first, second = pdftotext(path, "-f", "1", "-l", "1"), pdftotext(path, "-f", "2", "-l", "2")
    assert not re.search(r"—\s*1\s*—", first)
    assert re.search(r"—\s*2\s*—", second)
    lines = [line for line in second.splitlines() if line.strip() and "—" not in line]
    assert len(lines) == 22
    assert max(len(line) for line in lines) == 28


# ----------------------------------------------------------------------------- inert rendering


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.com/pdf/gbt9704.css",
        "https://static.invalid.example.com/pdf/gbt9704.css",
        "https://static.invalid@example.com/pdf/gbt9704.css",
        "file:///etc/passwd",
        "file:///work/main/static/pdf/gbt9704.css",
        "data:text/css,body{}",
        "ftp://127.0.0.1/x",
        STATIC_ORIGIN + "../../etc/passwd",
        STATIC_ORIGIN + "fonts/../../liaison/settings.py",
        STATIC_ORIGIN + "fonts/%2e%2e/%2e%2e/liaison/settings.py",
        STATIC_ORIGIN + "fonts/..%2f..%2fliaison/settings.py",
        STATIC_ORIGIN + "/etc/passwd",
        STATIC_ORIGIN + "fonts\\..\\..\\etc\\passwd",
        STATIC_ORIGIN + "fonts/FandolFang-Regular.otf%00.css",
        STATIC_ORIGIN + "fonts/FandolFang-Regular.otf?x=1",
        STATIC_ORIGIN + "fonts/README.md",  # static, but not a PDF asset
        STATIC_ORIGIN + "admin/css/base.css",  # static, but outside the PDF folders
        STATIC_ORIGIN + "pdf/missing.css",
    ],
)
def test_fetcher_refuses_anything_but_the_portals_pdf_assets(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_the_shared_stylesheet_and_the_bundled_fonts():
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch(STATIC_ORIGIN + "pdf/gbt9704.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetcher.fetch(STATIC_ORIGIN + "fonts/FandolFang-Regular.otf").read(4) == b"OTTO"
    assert fetcher.fetch(STATIC_ORIGIN + "fonts/FandolKai-Regular.otf").read(4) == b"OTTO"


@pytest.fixture
def canary_server():
    """A local HTTP server that counts every request it receives."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


@needs_poppler
def test_markup_in_letter_text_is_printed_as_text_and_fetches_nothing(
    canary_server, court_clerk, court_head, agency_staff, tmp_path
):
    base, requests = canary_server
    img = f'<img src="{base}/img">'
    payload_body = "\n".join(
        [
            f"请见{img}。",
            f'<link rel="stylesheet" href="{base}/css"><style>@import url({base}/import);</style>',
            '<img src="file:///etc/passwd"><script>document.write(1)</script>',
            "{{7*7}}",
        ]
    )
    draft = services.letter_create(
        by=court_clerk,
        title=f"关于{img}的函",
        body=payload_body,
        signatory=f'<img src="{base}/sig">',
        addressees=[agency_staff.institution],
    )
    letter = issue(draft, court_clerk, court_head)
    html = LetterPdf(letter).render_html()
    assert "<img" not in html and "<script" not in html and "&lt;img" in html
    path = tmp_path / "payload.pdf"
    path.write_bytes(render_letter(letter))
    assert requests == []
    text = squeeze(pdftotext(path))
    assert squeeze(f"关于{img}的函") in text
    assert squeeze('<img src="file:///etc/passwd"><script>document.write(1)</script>') in text
    assert "{{7*7}}" in text and "root:x:0:0" not in text


def test_fetcher_alone_stops_fetches_even_from_raw_html(canary_server):
    """Defence in depth: were markup ever to reach the renderer unescaped, nothing is fetched."""
    base, requests = canary_server
    raw = (
        f'<html lang="zh-CN"><head><link rel="stylesheet" href="{base}/css">'
        f'<style>@import url("{base}/import"); body {{ background: url("{base}/bg") }}</style></head>'
        f'<body><img src="{base}/img"><img src="file:///etc/passwd"><object data="{base}/obj"></object>'
        f'<iframe src="{base}/frame"></iframe><p>正文</p></body></html>'
    )
    pdf = HTML(string=raw, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher()).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert requests == []


def test_letter_pdf_has_no_javascript_launch_actions_links_or_embedded_files(letter):
    pdf = letter.pdf.read()
    assert pdf.startswith(b"%PDF-")
    for marker in (rb"/JavaScript", rb"/JS\b", rb"/Launch", rb"/EmbeddedFile", rb"/URI", rb"/OpenAction", rb"/AA\b"):
        assert not re.search(marker, pdf), marker


def test_fonts_are_subset_by_harfbuzz_not_the_slow_fonttools_fallback():
    # apt-get install libharfbuzz-subset0 (see STACK.md): without it a letter takes ~14 s a page.
    assert fast_font_subsetting()


# ----------------------------------------------------------------------------- text rules


def test_headings_take_their_face_up_to_the_first_full_stop():
    assert paragraphs("　　正文一段。\n\n一、基本情况\n（二）证据意识薄弱。现场检查笔录记载不完整。\n三、建议。") == [
        Paragraph(0, "正文一段。"),
        Paragraph(1, "一、基本情况"),
        Paragraph(2, "（二）证据意识薄弱。", "现场检查笔录记载不完整。"),
        Paragraph(1, "三、建议。"),
    ]


def test_dates_are_arabic_numerals_without_leading_zeros():
    assert chinese_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert chinese_date(dt.date(2025, 10, 11)) == "2025年10月11日"


def test_addressees_of_one_kind_take_a_dunhao_and_of_different_kinds_a_comma(inst):
    a, b = inst["柳州市城市管理行政执法局"], inst["柳州市交通运输局"]
    gov = inst["柳州市人民政府"]
    assert addressee_line([a, b, gov]) == f"{a.name}、{b.name}，{gov.name}"


def test_attachment_titles_drop_the_file_extension_only():
    assert attachment_title("统计表.pdf") == "统计表"
    assert attachment_title("典型案例汇编（2025年度）.docx") == "典型案例汇编（2025年度）"
    assert attachment_title("第1.2版说明") == "第1.2版说明"


def test_a_new_document_type_is_a_template_and_a_context():
    class Note(PdfDocument):
        template_name = "liaison/pdf/letter.html"

        def get_context(self):
            return {"title": "便函", "paragraphs": paragraphs("正文"), "issuer_mark_size": 30}

    assert Note().render().startswith(b"%PDF-")
