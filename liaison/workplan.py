"""The work plan's tasks and mechanisms (工作方案三(一)–(四), 四(一)–(八)): the clauses a ledger
entry made by hand, an inspection and the progress report (meetings.progress) refer to.

A clause names a task and, optionally, an item under it: 四(二), 四(二)3. Full-width brackets and
spaces are accepted and normalised (四（二）3 → 四(二)3).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TASKS = [
    ("三(一)", gettext_lazy("促进行政争议实质化解")),
    ("三(二)", gettext_lazy("加强行政案件诉源治理")),
    ("三(三)", gettext_lazy("完善重大案件协调机制")),
    ("三(四)", gettext_lazy("健全促进依法行政制度")),
    ("四(一)", gettext_lazy("年度及重大事项“三长”联席会商机制")),
    ("四(二)", gettext_lazy("“一府两院”信息交流共享机制")),
    ("四(三)", gettext_lazy("司法、检察建议工作机制")),
    ("四(四)", gettext_lazy("应诉、旁听庭审和判后评议机制")),
    ("四(五)", gettext_lazy("裁执分离工作机制")),
    ("四(六)", gettext_lazy("监督依法行政、公正司法的协作配合机制")),
    ("四(七)", gettext_lazy("教育与实践相结合的宣传引导联动机制（法治课堂）")),
    ("四(八)", gettext_lazy("共同调研工作机制")),
]
TASK_CODES = [code for code, _label in TASKS]
CLAUSE_MAX_LENGTH = 20

_CLAUSE = re.compile(r"^([一二三四五六七八九十]+\([一二三四五六七八九十]+\))(\d{1,2})?$")


def normalise(value: str) -> str:
    return re.sub(r"\s+", "", (value or "").replace("（", "(").replace("）", ")"))


def clean_clause(value: str, field: str = "clause", *, required: bool = True) -> str:
    """The clause in its normal form, or a ValidationError naming the plan's tasks."""
    clause = normalise(value)
    if not clause:
        if required:
            raise ValidationError({field: [_("请填写该事项服务的工作方案条目，如“四(二)3”。")]})
        return ""
    match = _CLAUSE.match(clause)
    if match is None or match.group(1) not in TASK_CODES or len(clause) > CLAUSE_MAX_LENGTH:
        raise ValidationError(
            {
                field: [
                    _("“%(c)s”不是工作方案的任务条目：应为 %(codes)s 之一，可加项号，如“四(二)3”。")
                    % {"c": value[:CLAUSE_MAX_LENGTH], "codes": "、".join(TASK_CODES)}
                ]
            }
        )
    return clause


def task_label(clause: str) -> str:
    """The task a clause belongs to: 四(二)3 → 四(二) “一府两院”信息交流共享机制."""
    for code, label in TASKS:
        if clause.startswith(code):
            return f"{code} {label}"
    return clause


def choices(empty=None) -> list[tuple[str, str]]:
    rows = [(code, f"{code} {label}") for code, label in TASKS]
    return ([("", empty)] if empty is not None else []) + rows
