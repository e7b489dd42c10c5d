"""Template helpers shared by every app's pages: dates, status badges, sortable headers, and the
page toolkit's partials (`liaison/templates/liaison/_*.html`): {% field %}, {% radios %},
{% breadcrumb %}, {% timeline %}, and a declared list's {% filter_bar %} and {% list_table %} (liaison.lists)."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import calendar, i18n, links, lists, status

register = template.Library()


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def ymd(value):
    """2026-03-05, as in tables."""
    if not value:
        return ""
    return _local(value).strftime("%Y-%m-%d")


@register.filter
def ymd_hm(value):
    if not value:
        return ""
    return _local(value).strftime("%Y-%m-%d %H:%M")


@register.filter
def cn_date(value):
    """2026年3月5日, as in documents (5 March 2026 when the page is in English)."""
    if not value:
        return ""
    value = _local(value)
    if not (get_language() or "zh").startswith("zh"):
        return f"{value.day} {value:%B} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


@register.simple_tag
def badge(colour, text):
    """A badge in one of the convention's colours (liaison.status): grey, blue, amber, red, green.
    (format_html's output, without its per-argument wrappers: a list page has a badge per row.)"""
    css = status.CSS.get(colour, status.CSS[status.GREY])
    return mark_safe(f'<span class="badge {lists.escaped(css)}">{lists.escaped(text)}</span>')


@register.simple_tag
def status_badge(obj, text=None):
    """`obj`'s status in the colour declared on its choices; `text` replaces the status's own words."""
    return badge(status.colour_of(obj), obj.get_status_display() if text is None else text)


@register.simple_tag
def delivery_badge(delivery):
    if delivery.read_at:
        return badge("green", _("已签收、已阅"))
    if delivery.signed_on:
        return badge("green", _("已签收"))
    if delivery.delivered_at:
        return badge("blue", _("待签收"))
    return badge("grey", _("未送达"))


@register.simple_tag
def deadline_badge(value):
    """A deadline as it reads today (liaison.status.Due): "剩余 3 个工作日", "已逾期 2 天", done words.
    Takes the Due, or a record decorated with one (`entry.deadline`, `row.due`); nothing without words."""
    due = value if isinstance(value, status.Due) else getattr(value, "deadline", None) or getattr(value, "due", None)
    if not due or not due.label:
        return ""
    return badge(due.colour, due.label)


@register.simple_tag(takes_context=True)
def sort_th(context, key, label):
    """A sortable column header: a link that toggles the order and keeps the other filters."""
    link = lists.sort_link(context["request"], context.get("sort", ""), key)
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort-link" href="{}">{}<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        link["aria"],
        link["href"],
        label,
        link["arrow"],
    )


@register.filter
def shown_title(row):
    """A notification's or ledger entry's title (or an inspection's frozen row's) in the reader's language."""
    return i18n.shown_title(row)


# Punctuation between template values ("{{ a }}（{{ b }}）"): full-width in Chinese, ASCII with its
# spacing in English (full-width brackets inside English text read as a mistake).
ASCII_PUNCTUATION = {"（": " (", "）": ")", "：": ": ", "，": ", ", "；": "; ", "、": ", "}


@register.simple_tag
def punct(mark: str) -> str:
    language = get_language() or ""
    return mark if language.startswith("zh") else ASCII_PUNCTUATION.get(mark, mark)


@register.filter
def explained(text):
    """A stored deadline explanation in the reader's language."""
    return calendar.explain_shown(text)


@register.filter
def ledger_status(row):
    return i18n.ledger_status(row)


@register.filter
def safe_local_url(url):
    """A notification's link, only if it stays on this site."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""


@register.filter
def html_lang(language_code):
    return {"zh-hans": "zh-CN", "zh-hant": "zh-TW"}.get((language_code or "").lower(), language_code or "zh-CN")


@register.simple_tag(takes_context=True)
def linked(context, obj, field=None, link=True, empty=links.HIDDEN):
    """A linked record's number (and link) only for a viewer who may see it, else "—".

    `{% linked clue "case" %}` names `clue.case`; `{% linked case %}` names `case` itself;
    `link=False` gives the number alone (list cells under another link)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None or user is None:
        return empty
    ref = links.ref_of(user, obj, field) if field else links.ref(user, obj)
    if ref is None:
        return empty
    if link and ref.url:
        return format_html('<a href="{}">{}</a>', ref.url, ref.label)
    return ref.label


# ----------------------------------------------------------------------------- page partials


@register.inclusion_tag("liaison/_field.html")
def field(bound_field):
    """One form field with its label, help text and errors (radios and checkboxes laid out as such)."""
    return {"field": bound_field}


@register.inclusion_tag("liaison/_field.html")
def radios(bound_field):
    """A choice field as a row of radio buttons in a fieldset, whatever its widget says."""
    return {"field": bound_field, "radios": True}


@register.inclusion_tag("liaison/_breadcrumb.html")
def breadcrumb(*parts):
    """`{% breadcrumb _("案件") cases_url record record_url action %}`: label/url pairs, a trailing label
    without url allowed. Empty labels are skipped (an optional level); the last item is the current page."""
    items = []
    for i in range(0, len(parts), 2):
        label = parts[i]
        url = parts[i + 1] if i + 1 < len(parts) else ""
        if label:
            items.append({"label": label, "url": url})
    if items:
        items[-1]["url"] = ""
        items[-1]["current"] = True
    return {"items": items}


@register.inclusion_tag("liaison/_timeline.html")
def timeline(steps, title=None):
    """Every step of a record (who, institution, when), in the card the detail pages show it in."""
    return {"timeline": steps, "title": title}


@register.inclusion_tag("liaison/_actions.html", takes_context=True)
def actions(context, obj, size="", verbs=None):
    """The buttons of the transitions the viewer may take on `obj` now, from its workflow
    declaration (liaison.workflow): never listed by hand in a template.

    {% actions s %} renders every available transition with a page, in declaration order,
    each as a link to its action page carrying `data-verb="<verb>"` (the agreement test reads
    it). `verbs` (a comma-separated string) limits it to some verbs, e.g. on a sub-record's row.
    A transition declared with `post=True` is a button that posts to its page at once.
    """
    from .. import workflow

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    wanted = [v.strip() for v in verbs.split(",")] if verbs else None
    buttons = []
    if user is not None:
        for t in workflow.available(user, obj, wanted):
            if not t.page:
                continue
            buttons.append({"t": t, "url": workflow.page_url(t, obj)})
    # data-record: the record the buttons act on, told apart from others of its kind on one page
    # (a delivery's buttons on its letter's page, a reply's on its suggestion's).
    record = getattr(obj, "uuid", "")
    return {"buttons": buttons, "size": size, "csrf_token": context.get("csrf_token"), "record": record}


# ----------------------------------------------------------------------------- declared lists (liaison.lists)


@register.inclusion_tag("liaison/_list_table.html")
def list_table(listing):
    """A declared list's table: the count, sortable headers, one row per record, pagination."""
    return listing.table()


@register.inclusion_tag("liaison/_filter_bar.html", takes_context=True)
def filter_bar(context, listing, label="", submit=""):
    """The filter bar of a declared list: the fields of its filter form, the hidden tab/sort it keeps,
    "筛选" and "清除筛选"; and, for print only, the list's name and the filters it shows."""
    return {
        "listing": listing,
        "form": listing.filters,
        "sort": listing.sort,
        "label": label or _("筛选"),
        "submit": submit or _("筛选"),
    }


@register.simple_tag(takes_context=True)
def list_value(context, column, row):
    """A column's cell as the table shows it, for a column without its own cell snippet (its `html`
    function, else its value)."""
    request = context.get("request")
    return lists.cell_text(column, row, getattr(request, "user", None))


@register.simple_tag
def list_row_class(spec, row):
    """A row's class from its list's `row_class` function, on the template path."""
    return spec.row_class(row)
