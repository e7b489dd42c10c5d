"""The .xlsx template courts fill in: the 案件清单 sheet and a 说明 sheet listing valid values."""

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import Institution

from ..models import Cause, Outcome
from . import layout
from .layout import COLUMNS, HELP_SHEET_TITLE, SHEET_TITLE, instance_labels, major_category_labels


def build_template() -> bytes:
    """The .xlsx courts fill in: headers and one example row, and a 说明 sheet with valid values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    causes = list(Cause.objects.values_list("name", flat=True))
    outcomes = list(Outcome.objects.values_list("name", flat=True))
    instances = list(instance_labels())
    majors = list(major_category_labels())
    example = _example_row(causes, outcomes)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FDE9D9")
    ws.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        ws.column_dimensions[get_column_letter(index)].width = 40 if column.key == "summary" else 22
    ws.append([example[c.key] for c in COLUMNS])
    for index in range(1, len(COLUMNS) + 1):
        cell = ws.cell(row=2, column=index)
        if isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        else:
            cell.number_format = "@"
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET_TITLE)
    help_ws.column_dimensions["A"].width = 16
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    help_ws.append([_("案件清单导入说明")])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append(
        [
            _(
                "第一行为列名，请勿修改；每行一个案件，第 2 行为示例，可直接改写。底色列为必填列。"
                "本院已登记的案号再次导入时更新该案件，未登记的新建；其他法院登记的案号不能导入。"
                "每个文件最多 %(n)d 行。"
            )
            % {"n": layout.MAX_ROWS}
        ]
    )
    help_ws.append([])
    help_ws.append([_("列名"), _("必填"), _("填写说明")])
    for cell in help_ws[help_ws.max_row]:
        cell.font = bold
    for column in COLUMNS:
        help_ws.append([column.header, _("是") if column.required else _("否"), str(column.help)])
        help_ws.cell(row=help_ws.max_row, column=3).alignment = wrap

    lists = {}
    for title, values in (
        (_("审级"), instances),
        (_("案由"), causes),
        (_("结案方式"), outcomes),
        (_("重大案件类别"), majors),
    ):
        help_ws.append([])
        help_ws.append([title])
        help_ws.cell(row=help_ws.max_row, column=1).font = bold
        first = help_ws.max_row + 1
        for value in values:
            help_ws.append([value])
        lists[title] = f"'{HELP_SHEET_TITLE}'!$A${first}:$A${max(first, help_ws.max_row)}"

    def validate(key: str, formula: str) -> None:
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = _("请从列表中选择，或查看“说明”工作表。")
        dv.errorTitle = _("取值无效")
        dv.add(f"{letter}2:{letter}{layout.MAX_ROWS + 1}")
        ws.add_data_validation(dv)

    validate("instance", lists[_("审级")])
    validate("cause", lists[_("案由")])
    validate("outcome", lists[_("结案方式")])
    validate("major_category", lists[_("重大案件类别")])
    validate("imposes_obligation", '"是,否"')
    validate("performed_voluntarily", '"是,否"')

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _example_row(causes: list[str], outcomes: list[str]) -> dict[str, Any]:
    """A row that imports as it stands: last year's dates, a registered agency as defendant."""
    year = timezone.localdate().year - 1
    agency = (
        Institution.objects.filter(kind=Institution.Kind.AGENCY, is_active=True).order_by("id").first()
        or Institution.objects.filter(kind=Institution.Kind.GOVERNMENT).order_by("id").first()
    )
    return {
        "number": f"（{year}）桂02行初12号",
        "instance": "一审",
        "cause": "行政处罚" if "行政处罚" in causes else (causes[0] if causes else ""),
        "plaintiffs": "张某、李某",
        "defendants": agency.name if agency else "",
        "filed_on": dt.date(year, 3, 5),
        "outcome": "判决驳回诉讼请求" if "判决驳回诉讼请求" in outcomes else (outcomes[0] if outcomes else ""),
        "concluded_on": dt.date(year, 6, 18),
        "effective_on": dt.date(year, 7, 3),
        "imposes_obligation": "否",
        "performed_voluntarily": "",
        "major_category": "",
        "summary": "原告不服被告作出的行政处罚决定，请求予以撤销。",
    }
