"""Letters per GB/T 9704: heading levels, titles that state the subject once and break between
phrases, the drafter as 承办人, no short last page when tightening the spacing avoids it."""

import shutil
import subprocess

import pytest

from liaison import services
from liaison.pdf import LetterPdf, demote_headings, heading_level, paragraphs, title_lines

pytestmark = pytest.mark.django_db


def test_structure_levels_are_recognised_and_demoted_one_level():
    assert [heading_level(x) for x in ["一、总则", "（一）范围", "1.定义", "（1）细则", "正文"]] == [1, 2, 3, 4, 0]
    text = "一、严格执行催告。\n（十二）开展自查\n3.立案\n（1）细节\n普通段落"
    assert demote_headings(text).splitlines() == [
        "（一）严格执行催告。",
        "12.开展自查",
        "（3）立案",
        "（1）细节",
        "普通段落",
    ]
    assert [p.level for p in paragraphs(demote_headings("一、甲\n1.乙"))] == [2, 4]


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于规范强制拆除程序的司法建议", ["关于规范强制拆除程序的司法建议"]),
        (
            "关于规范城市管理行政执法程序和执法文书送达工作的司法建议",
            ["关于规范城市管理行政执法程序", "和执法文书送达工作的司法建议"],
        ),
        (
            "关于商请提供韦某诉强制拆除一案行政执法案卷材料的函",
            ["关于商请提供韦某诉强制拆除一案", "行政执法案卷材料的函"],
        ),
    ],
)
def test_long_titles_break_between_phrases_into_balanced_lines(title, lines):
    assert title_lines(title) == lines
    assert all(len(line) <= 20 for line in title_lines(title))


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
def test_a_letter_that_would_end_on_a_short_page_is_tightened_onto_one_page_fewer(
    court_clerk, court_head, agency_staff, tmp_path
):
    def pages(data):
        path = tmp_path / "x.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(out.split("Pages:")[1].split()[0])

    # Grow the body until the standard layout spills a little onto a second page.
    for n in range(2, 30):
        body = "\n".join(["本院在审理行政案件中发现，执法文书送达程序不规范，应当依法改进。"] * n)
        draft = services.letter_create(
            by=court_clerk, title="关于送达程序的函", body=body, addressees=[agency_staff.institution]
        )
        tighter = LetterPdf(draft, compact=True).render_document()
        normal = LetterPdf(draft).render_document()
        if len(normal.pages) == 2:
            break
    assert len(normal.pages) == 2 and len(tighter.pages) == 1
    assert pages(LetterPdf(draft).render()) == 1
    # A long letter (four pages or more) keeps the standard 22 lines a page.
    body = "\n".join(["本院在审理行政案件中发现，执法文书送达程序不规范，应当依法改进。"] * (n + 40))
    longer = services.letter_create(
        by=court_clerk, title="关于送达程序的函", body=body, addressees=[agency_staff.institution]
    )
    assert pages(LetterPdf(longer).render()) == len(LetterPdf(longer).render_document().pages)
