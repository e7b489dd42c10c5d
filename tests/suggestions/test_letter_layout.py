"""The issued 建议书: one 一、 per level (the user's numbering one level down), the subject stated
once in the title, the clerk who drafted it as its 承办人."""

import pytest

from liaison.pdf import paragraphs
from suggestions.models import Suggestion
from suggestions.services import letter_title

pytestmark = pytest.mark.django_db


def test_a_suggestion_letter_has_one_first_level_numbering_and_names_its_drafter(
    make_suggestion, court_clerk, court_head
):
    s = make_suggestion(
        court_clerk,
        court_head,
        problem="一、未依法催告。\n二、未听取陈述申辩。",
        recommendations="一、严格执行催告程序。\n1.事先书面催告。\n二、开展案卷自查。",
    )
    letter = s.letter
    assert letter.title == s.title == "关于规范行政执法程序的建议"
    firsts = [p.head for p in paragraphs(letter.body) if p.level == 1]
    assert firsts == ["一、发现的问题", "二、建议"]
    assert [p.head for p in paragraphs(letter.body) if p.level == 2] == [
        "（一）未依法催告。",
        "（二）未听取陈述申辩。",
        "（一）严格执行催告程序。",
        "（二）开展案卷自查。",
    ]
    assert letter.created_by == court_clerk and letter.signed_off_by == court_head


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("关于规范强制拆除程序的司法建议", "关于规范强制拆除程序的司法建议"),
        ("规范强制拆除程序", "关于规范强制拆除程序的司法建议"),
        ("关于规范强制拆除程序", "关于规范强制拆除程序的司法建议"),
        ("司法建议书", "司法建议书"),
    ],
)
def test_the_title_states_the_subject_and_the_kind_once(title, expected):
    assert letter_title(Suggestion(kind="judicial", title=title)) == expected
