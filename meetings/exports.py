"""Excel exports of the meeting and decision lists (their columns: meetings/listings.py), used by the pages and the API."""

from django.utils.translation import gettext as _

from .listings import DECISIONS, MEETINGS


def meetings_xlsx(meetings, *, viewer=None, filters=None):
    return MEETINGS.export(meetings, viewer=viewer, filters=filters, filename=_("会议列表.xlsx"))


def decisions_xlsx(decisions, *, viewer=None, filters=None):
    return DECISIONS.export(decisions, viewer=viewer, filters=filters, filename=_("议定事项督办表.xlsx"))
