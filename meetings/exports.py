"""Excel exports of the meeting and decision lists: one declaration, used by the pages and the API."""

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.excel import xlsx_response


def meeting_rows(meetings):
    for m in meetings:
        yield [
            m.kind.name,
            m.title,
            m.proposer.name,
            m.get_status_display(),
            timezone.localtime(m.starts_at) if m.starts_at else None,
            m.location,
            m.notice_letter.doc_number if m.notice_letter_id and m.notice_letter.doc_number else "",
            m.held_on,
        ]


def meetings_xlsx(meetings):
    headers = [
        _("会议类别"),
        _("议题"),
        _("提议单位"),
        _("状态"),
        _("会议时间"),
        _("地点"),
        _("通知文号"),
        _("召开日期"),
    ]
    return xlsx_response(_("会议列表.xlsx"), headers, meeting_rows(meetings), sheet_title=_("会议"))


def decision_rows(decisions):
    today = timezone.localdate()
    for d in decisions:
        open_ = d.status in ("open", "reported")
        # The meeting by kind and date only: an owner who was not invited does not see the meeting.
        yield [
            f"{d.meeting.kind.name} {d.meeting.held_on or ''}".strip(),
            d.text,
            d.owner.name,
            d.due_date,
            d.get_status_display(),
            (today - d.due_date).days if open_ and d.due_date < today else 0,
            d.evidence,
            d.done_on,
        ]


def decisions_xlsx(decisions):
    headers = [
        _("会议"),
        _("议定事项"),
        _("责任单位"),
        _("完成期限"),
        _("状态"),
        _("逾期天数"),
        _("办结情况"),
        _("办结日期"),
    ]
    return xlsx_response(_("议定事项督办表.xlsx"), headers, decision_rows(decisions), sheet_title=_("议定事项"))
