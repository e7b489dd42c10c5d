"""The suggestion module's lists, each declared once (liaison.lists): 建议, 备案登记, 建议统计."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.lists import Column, ListSpec, escaped, row_url, short_name
from liaison.status import URGENT_ORDER
from liaison.templatetags.portal import deadline_badge, status_badge, ymd

from .models import Filing, Suggestion

# The suggestion list's cells, rendered in Python (liaison.lists).


def _doc_number_html(s, viewer):
    if s.letter:
        return mark_safe(escaped(s.letter.doc_number))
    return mark_safe(f'<span class="text-body-secondary">{escaped(gettext("未编号"))}</span>')


def _title_html(s, viewer):
    html = f'<a href="{escaped(row_url("suggestions:detail", s.uuid))}">{escaped(s.title)}</a>'
    if s.urgent:
        html += f' <span class="badge urgency-badge">{escaped(gettext("紧急"))}</span>'
    return mark_safe(html)


def _status_html(s, viewer):
    return status_badge(s, s.status_label)


def _reply_due_html(s, viewer):
    due = escaped(deadline_badge(getattr(s, "due", None)))
    return mark_safe(f"{escaped(ymd(s.reply_due))} {due}" if s.reply_due else due)


def _row_class(s):
    due = getattr(s, "due", None)
    return f"deadline-{due.kind}" if due is not None else "deadline-"


SUGGESTIONS = ListSpec(
    title=_("司法建议/检察建议"),
    model=Suggestion,
    columns=[
        Column(
            "doc_number",
            _("文号"),
            lambda s, viewer: s.letter.doc_number if s.letter_id else "",
            html=_doc_number_html,
            sort=("letter__doc_number",),
            nowrap=True,
        ),
        Column(
            "title",
            _("标题"),
            html=_title_html,
            sort=("title",),
        ),
        Column("kind", _("类别"), "get_kind_display", sort=("kind",), nowrap=True),
        Column("subkind", _("子类"), lambda s, viewer: s.get_subkind_display() if s.subkind else ""),
        Column("issuer", _("发出机关"), "issuer.name", html=short_name("issuer"), sort=("issuer__name",)),
        Column(
            "recipient",
            _("被建议单位"),
            "recipient.name",
            html=short_name("recipient"),
            sort=("recipient__name",),
        ),
        Column("case_number", _("关联案号")),
        Column("category", _("问题类别"), "get_category_display"),
        Column("status", _("状态"), "status_label", html=_status_html, sort=("status",)),
        Column("issued", _("发出日期"), "issued_on", sort=("issued_on",)),
        Column("received_on", _("签收日期")),
        Column(
            "reply_due",
            _("回复期限"),
            html=_reply_due_html,
            sort=("reply_due",),  # empty last, newest first among equals: suggestions/views/lists.py
            nowrap=True,
        ),
        Column("due", _("期限情况"), "due.label"),
        Column("replied_on", _("回复日期")),
        Column("evaluation", _("评价"), lambda s, viewer: s.get_evaluation_display() if s.evaluation else ""),
    ],
    on_page=("doc_number", "title", "kind", "issuer", "recipient", "status", "reply_due"),
    in_export=(
        "doc_number",
        "title",
        "kind",
        "subkind",
        "issuer",
        "recipient",
        "case_number",
        "category",
        "status",
        "issued",
        "received_on",
        "reply_due",
        "due",
        "replied_on",
        "evaluation",
    ),
    # Overdue first (liaison.status.URGENT_ORDER): replies overdue, then due, then the open ones without a
    # deadline yet, then the closed ones, newest first among equals.
    sorts={"created": ("created_at",), "urgent": (*URGENT_ORDER, "-created_at", "-id")},
    row_class=_row_class,
    default_sort="urgent",
    export_route="suggestions:export",
    sheet=_("建议"),
    filename=_("司法建议与检察建议"),
)

FILINGS = ListSpec(
    title=_("备案登记"),
    model=Filing,
    columns=[
        Column("filed_on", _("备案日期"), sort=("filed_on",), nowrap=True),
        Column("kind", _("备案类别"), "get_kind_display", sort=("kind",), nowrap=True),
        Column("title", _("标题"), sort=("title",)),
        Column(
            "suggestion",
            _("检察建议"),
            lambda f, viewer: f.suggestion.letter.doc_number if f.suggestion_id and f.suggestion.letter_id else "",
            export_label=_("检察建议文号"),
            cell="{% if row.suggestion %}<a href=\"{% url 'suggestions:detail' row.suggestion.uuid %}\">"
            "{{ row.suggestion.letter.doc_number|default:row.suggestion.title }}</a>{% else %}—{% endif %}",
            nowrap=True,
        ),
        Column(
            "procuratorate",
            _("备案单位"),
            "procuratorate.name",
            cell="{{ row.procuratorate.short_name }}",
            sort=("procuratorate__name",),
        ),
        Column("office", _("受理办公室"), "office.name"),
        Column("summary", _("基本情况"), cell="{{ row.summary|truncatechars:80 }}", css="small"),
        Column("created_by", _("登记人"), lambda f, viewer: str(f.created_by)),
    ],
    on_page=("filed_on", "kind", "title", "suggestion", "procuratorate", "summary"),
    in_export=("filed_on", "kind", "title", "suggestion", "procuratorate", "office", "summary", "created_by"),
    default_sort="-filed_on",
    export_route="suggestions:filing_export",
)


def _count(key, label, cell=""):
    return Column(key, label, cell=cell, css="text-end")


# Rows are dicts (suggestions.selectors.statistics); the first column's heading is the chosen grouping.
STATISTICS = ListSpec(
    title=_("建议统计"),
    columns=[
        Column("group", _("分组"), row_header=True, css="fw-normal"),
        _count("issued", _("发出")),
        _count("received", _("签收")),
        _count("due", _("应回复")),
        _count("replied", _("已回复")),
        _count("on_time", _("按期回复")),
        _count(
            "overdue",
            _("逾期未回复"),
            cell='{% if row.overdue %}<span class="text-danger fw-semibold">{{ row.overdue }}</span>{% else %}0{% endif %}',
        ),
        _count("adopted", _("采纳")),
        Column("reply_rate_text", _("回复率"), css="text-end", nowrap=True),
        Column("on_time_rate_text", _("按期回复率"), css="text-end", nowrap=True),
    ],
    export_route="suggestions:statistics_export",
    css="stats-table",
)
