"""Excel exports of the meeting and decision lists (their columns: meetings/listings.py), used by the pages and the API."""

from django.utils.translation import gettext as _

from liaison.excel import xlsx_response

from .listings import DECISIONS, MEETINGS


def meetings_xlsx(meetings, *, viewer=None, filters=None):
    return MEETINGS.export(meetings, viewer=viewer, filters=filters, filename=_("会议列表.xlsx"))


def decisions_xlsx(decisions, *, viewer=None, filters=None):
    return DECISIONS.export(decisions, viewer=viewer, filters=filters, filename=_("议定事项督办表.xlsx"))


def review_rows(reviews):
    for r in reviews:
        yield [
            r.get_subject_display(),
            r.title,
            r.government.name,
            r.get_status_display(),
            r.invitation_letter.doc_number if r.invitation_letter_id and r.invitation_letter.doc_number else "",
            r.due_date,
            r.n_invited,
            r.answer_letter.doc_number if r.answer_letter_id and r.answer_letter.doc_number else "",
        ]


def reviews_xlsx(reviews):
    headers = [
        _("类别"),
        _("草案名称"),
        _("起草单位"),
        _("状态"),
        _("征求意见函文号"),
        _("反馈截止日期"),
        _("邀请单位数"),
        _("采纳情况函文号"),
    ]
    return xlsx_response(_("参与论证.xlsx"), headers, review_rows(reviews), sheet_title=_("参与论证"))
