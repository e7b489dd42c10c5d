"""The hub's lists, each declared once (liaison.lists): 发文, 收文, 工作台账, 专项检查 and a check's frozen rows."""

import datetime as dt

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import calendar, i18n
from .lists import Column, ListSpec, escaped, row_url
from .models import Delivery, Inspection, LedgerEntry, Letter
from .status import URGENT_ORDER
from .templatetags.portal import delivery_badge, status_badge

# The letter lists' cells, rendered in Python (lists.Column.html).


def _status_html(row, viewer):
    return status_badge(row)


def _signed_html(letter, viewer):
    return mark_safe(f"{escaped(letter.n_signed)} / {escaped(letter.n_recipients)}" if letter.is_issued else "—")


def _inbox_title_html(delivery, viewer):
    letter = delivery.letter
    html = f'<a href="{escaped(row_url("letter_detail", letter.uuid))}">{escaped(letter.title)}</a>'
    if letter.urgency:
        html += f' <span class="badge urgency-badge">{escaped(letter.get_urgency_display())}</span>'
    return mark_safe(html)


def _delivery_html(delivery, viewer):
    return delivery_badge(delivery)


OUTBOX = ListSpec(
    title=_("发文"),
    model=Letter,
    columns=[
        Column("doc_number", _("发文字号"), sort=("doc_number",), nowrap=True, empty="—"),
        Column("title", _("标题"), sort=("title",), link="letter_detail"),
        Column("series", _("文种"), "get_series_display"),
        Column("status", _("状态"), "get_status_display", html=_status_html, sort=("status",)),
        Column("created", _("起草日期"), "created_at", sort=("created_at",), nowrap=True),
        Column("issued", _("成文日期"), "issued_on", sort=("issued_on",), nowrap=True, empty="—"),
        Column(
            "signed",
            _("签收"),
            html=_signed_html,
            nowrap=True,
        ),
        Column("n_recipients", _("收文机关数")),
        Column("n_signed", _("已签收")),
    ],
    on_page=("doc_number", "title", "series", "status", "created", "issued", "signed"),
    in_export=("doc_number", "title", "series", "status", "created", "issued", "n_recipients", "n_signed"),
    default_sort="-created",
    export_route="letter_outbox_export",
)

INBOX = ListSpec(
    title=_("收文"),
    model=Delivery,
    columns=[
        Column("doc_number", _("发文字号"), "letter.doc_number", sort=("letter__doc_number",), nowrap=True),
        Column(
            "title",
            _("标题"),
            "letter.title",
            html=_inbox_title_html,
        ),
        Column(
            "issuer",
            _("发文机关"),
            "letter.issuer.name",
            sort=("letter__issuer__name",),
        ),
        Column("kind", _("类别"), "get_kind_display"),
        Column("delivered", _("送达时间"), "delivered_at", sort=("delivered_at",), nowrap=True),
        Column("signed", _("签收日期"), "signed_on", sort=("signed_on",), nowrap=True, empty="—"),
        Column("state", _("状态"), html=_delivery_html),
        Column("read_at", _("阅读时间")),
    ],
    on_page=("doc_number", "title", "issuer", "kind", "delivered", "signed", "state"),
    in_export=("doc_number", "title", "issuer", "kind", "delivered", "signed", "read_at"),
    default_sort="-delivered",
    export_route="letter_inbox_export",
)

REGION_LETTERS = ListSpec(
    title=_("本区域公文"),
    model=Letter,
    columns=[
        Column("doc_number", _("发文字号"), sort=("doc_number",), nowrap=True, empty="—"),
        Column("title", _("标题"), sort=("title",), link="letter_detail"),
        Column("issuer", _("发文机关"), "issuer.name", cell="{{ row.issuer.short_name }}", sort=("issuer__name",)),
        Column("series", _("文种"), "get_series_display"),
        Column("issued", _("成文日期"), "issued_on", sort=("issued_on",), nowrap=True, empty="—"),
        Column("signed", _("签收"), cell="{{ row.n_signed }} / {{ row.n_recipients }}", nowrap=True),
        Column("n_recipients", _("收文机关数")),
        Column("n_signed", _("已签收")),
    ],
    on_page=("doc_number", "title", "issuer", "series", "issued", "signed"),
    in_export=("doc_number", "title", "issuer", "series", "issued", "n_recipients", "n_signed"),
    sorts={"created": ("created_at",)},
    default_sort="-created",
    export_route="letter_region_export",
)

LEDGER = ListSpec(
    title=_("工作台账"),
    model=LedgerEntry,
    columns=[
        Column("owner", _("责任单位"), "owner.name", cell="{{ row.owner.short_name }}", sort=("owner__name",)),
        Column("title", _("事项"), "display_title", sort=("title",), link="ledger_detail"),
        Column("clause", _("工作方案条目"), empty="—"),
        Column("start_date", _("起算日"), sort=("start_date",), nowrap=True),
        Column("due_date", _("截止日期"), sort=("due_date",), nowrap=True),
        Column("due_explained", _("期限计算"), lambda row, viewer: calendar.explain_shown(row.due_explained)),
        Column("status", _("状态"), "deadline.label", cell="{% deadline_badge row %}", sort=("status", "due_date")),
        Column("done_on", _("办结日期"), nowrap=True, empty="—"),
        Column("evidence", _("办结情况")),
    ],
    on_page=("title", "owner", "start_date", "due_date", "status", "done_on"),
    in_export=(
        "owner",
        "title",
        "start_date",
        "due_date",
        "due_explained",
        "status",
        "done_on",
        "evidence",
        "clause",
    ),
    row_class="deadline-{{ row.deadline.kind }}",
    # Overdue first (liaison.status.URGENT_ORDER): open entries by due date (the most overdue first),
    # then the closed ones, the latest due first.
    sorts={"urgent": (*URGENT_ORDER, "-due_date", "-id")},
    default_sort="urgent",
    export_route="ledger_export",
)

INSPECTIONS = ListSpec(
    title=_("专项检查"),
    model=Inspection,
    columns=[
        Column("title", _("检查名称"), link="inspection_detail"),
        Column("clause", _("工作方案条目"), empty="—"),
        Column("institution", _("检查单位"), "institution.short_name"),
        Column("created_by", _("检查人")),
        Column("created", _("建立日期"), "created_at", nowrap=True),
        Column("n_entries", _("事项数"), lambda row, viewer: len(row.snapshot)),
    ],
    sorts={"created": ("created_at",)},
    default_sort="-created",
)


def _iso_date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return value


def _snapshot_date(key):
    return lambda row, viewer: _iso_date(row.get(key))


# A check's frozen rows (dicts written when the check was made), exported as they were then.
INSPECTION_ROWS = ListSpec(
    title=_("专项检查"),
    columns=[
        Column("owner", _("责任单位")),
        Column("title", _("事项"), lambda row, viewer: i18n.shown_title(row)),
        Column("start_date", _("起算日"), _snapshot_date("start_date")),
        Column("due_date", _("截止日期"), _snapshot_date("due_date")),
        Column(
            "due_explained", _("期限计算"), lambda row, viewer: calendar.explain_shown(row.get("due_explained", ""))
        ),
        Column("status", _("状态"), lambda row, viewer: i18n.ledger_status(row)),
        Column("done_on", _("办结日期"), _snapshot_date("done_on")),
        Column("evidence", _("办结情况")),
        Column("clause", _("工作方案条目")),
    ],
)
