"""List declarations: one `ListSpec` per list renders its table, its sortable headers and its Excel export.

A list declares its columns once, next to its views::

    CLUES = lists.ListSpec(
        title=_("违法线索移送"),
        columns=[
            lists.Column("sent_on", _("移送日期"), sort=("sent_on",), link="cases:clue_detail"),
            lists.Column("sender", _("移送单位"), "sender.name", cell="{{ row.sender.short_name }}", sort=...),
            ...
        ],
        on_page=("sent_on", "sender", ...),      # the page's columns, in order (default: all)
        in_export=("sender", "recipient", ...),  # the workbook's columns, in order (default: all)
        default_sort="-sent_on",
        export_route="cases:clues_export",
    )

and its views do `lists.page(request, SPEC, qs, filters=form)` for the page and
`SPEC.export(rows, viewer=request.user, filters=form)` for the workbook; the templates do
`{% filter_bar listing %}` and `{% list_table listing %}` (liaison/templatetags/portal.py).

Why our own small spec rather than django-tables2: the lists already get their rows from
`visible_to(user)` selectors and their filters from `FilterForm`s (liaison.forms), and the export
must do what tablib's xlsx export cannot (frozen header, auto-filter, widths for Chinese text, typed
date cells, text that never becomes a formula, the filters written into the file): with
django-tables2 we would have kept our own exporter and our own filter bar anyway and added a
dependency to learn its rendering on top. This module is the part of django-tables2 we need (column
declaration, whitelisted ordering, one table template) in ~300 lines, on the portal's own templates.

Sorting: a column with `sort=(fields...)` is sortable under its key; `ListSpec(sorts=...)` adds keys
that are no column (a default order such as `-created`). Only declared keys are accepted (anything
else falls back to the default), so `?sort=` can never order by an arbitrary field. Every list's
default order is served by an index of its model (`index_for` names it; tests/liaison/test_lists.py
checks it for every declared list).
"""

import datetime as dt
import html
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.template import engines
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import excel
from .pagination import FastPaginator

PAGE_SIZE = 50
# Query parameters that are not filters: they never count as "filtered" and never reach a filter form.
NOT_FILTERS = ("sort", "page")

# Every list that declares itself is registered here (tests check each default order has an index).
REGISTRY: list["ListSpec"] = []


@dataclass(frozen=True)
class Column:
    """One column: its label, its value, how the page shows it and how it sorts.

    `value` is a dotted path from the row (`"sender.name"`, callables on the way are called, so
    `"get_status_display"` works) or a function `(row, viewer) -> value`; by default the key itself.
    The export writes the value; the page shows `html` (a function `(row, viewer) -> SafeString`, every
    value in it escaped: `escaped` or `format_html`), else `cell` (a template snippet with `row` in context), else the
    value formatted (dates as 2026-03-05, nothing as `empty`). A list whose page columns have no `cell`
    (and whose `row_class` is no snippet) renders its rows in Python, without the template engine: a
    third of a list page's CPU went into rendering 50 rows through it.
    """

    key: str
    label: Any
    value: str | Callable[[Any, Any], Any] = ""
    cell: str = ""
    html: Callable[[Any, Any], str] | None = None
    sort: tuple[str, ...] = ()
    nulls_last: bool = False  # empty values sort last either way (nullable dates)
    link: str = ""  # URL name taking `row.<link_arg>`: the page cell links to the record
    link_arg: str = "uuid"
    nowrap: bool = False
    css: str = ""  # extra class of the page's <th>/<td> (e.g. "text-end", "small")
    row_header: bool = False  # the page cell is the row's <th scope="row">
    hidden_label: bool = False  # the page's heading is for screen readers only (a checkbox column)
    empty: str = ""  # what the page shows for an empty value
    export_label: Any = None  # the workbook's heading when it differs from the page's
    width: int | None = None  # the workbook column's width in Excel units (default: fits the contents)
    number_format: str | None = None  # the workbook's number format (default: by type)

    def get(self, row, viewer=None):
        if callable(self.value):
            return self.value(row, viewer)
        return resolve(row, self.value or self.key)


def directed(fields: Sequence[str], descending: bool) -> list[str]:
    """A sort key's fields in its direction: a key may mix directions (`("due_rank", "-created_at")`),
    and its descending order flips each."""
    if not descending:
        return list(fields)
    return [f[1:] if f.startswith("-") else "-" + f for f in fields]


def resolve(obj, path: str):
    """`a.b.c` from an object or a dict; a callable on the way is called; None stops the walk."""
    for part in path.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part)
        if callable(obj):
            obj = obj()
    return obj


def escaped(value) -> str:
    """`conditional_escape(value)` as text, for the rows rendered in Python: the same characters
    escaped the same way (html.escape, as Django's `escape`), without `keep_lazy`'s wrapper and a
    SafeString per cell (a dozen calls per cell; the row is marked safe once)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def shown(value, empty: str = "") -> str:
    """A value as a table shows it: dates as 2026-03-05, times as 2026-03-05 14:30."""
    if value is None or value == "":
        return empty
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


@dataclass(eq=False)
class ListSpec:
    title: Any
    columns: Sequence[Column]
    default_sort: str = ""
    on_page: Sequence[str] | None = None  # the page's columns, in order (default: all)
    in_export: Sequence[str] | None = None  # the workbook's columns, in order (default: all)
    sorts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each <tr>'s class: a function of the row (its text is escaped) or a template snippet
    # ("deadline-{{ row.due.kind }}", which keeps the list on the template path).
    row_class: str | Callable[[Any], str] = ""
    export_route: str = ""  # URL name of the export; the page's "导出 Excel" button points there
    sheet: Any = ""  # the sheet's title (default: the list's title)
    filename: Any = ""  # the workbook's name before "_<date>.xlsx" (default: the list's title)
    model: Any = None  # the model whose index serves the default order
    css: str = ""  # extra class of the <table>

    def __post_init__(self):
        self.by_key = {c.key: c for c in self.columns}
        self._bodies = {}
        self._cells = {}
        for keys in (self.on_page, self.in_export):
            missing = set(keys or ()) - set(self.by_key)
            if missing:
                raise ValueError(f"{self.title}: no column {sorted(missing)}")
        REGISTRY.append(self)

    # ------------------------------------------------------------------ columns and sorting

    @cached_property
    def page_columns(self) -> list[Column]:
        return [self.by_key[k] for k in self.on_page] if self.on_page else list(self.columns)

    @cached_property
    def export_columns(self) -> list[Column]:
        return [self.by_key[k] for k in self.in_export] if self.in_export else list(self.columns)

    @cached_property
    def sort_fields(self) -> dict[str, tuple[str, ...]]:
        return {**{c.key: c.sort for c in self.columns if c.sort}, **self.sorts}

    def order(self, qs: QuerySet, requested: str | None, default: str | None = None) -> tuple[QuerySet, str]:
        """Order by a declared sort key (`due_date` or `-due_date`); anything else falls back to the default.
        Ties are broken by the primary key in the same direction, so pages never overlap."""
        key = (requested or "").strip()
        name = key.lstrip("-")
        if name not in self.sort_fields:
            key = default or self.default_sort
            name = key.lstrip("-")
        descending = key.startswith("-")
        column = self.by_key.get(name)
        fields = directed(self.sort_fields[name], descending)
        if column is not None and column.nulls_last:
            order = [
                F(f.lstrip("-")).desc(nulls_last=True) if f.startswith("-") else F(f).asc(nulls_last=True)
                for f in fields
            ]
        else:
            order = list(fields)
        if fields[-1].lstrip("-") not in ("pk", "id"):  # a key that ends with the id has its tie-break
            order.append("-pk" if descending else "pk")
        return qs.order_by(*order), key

    # ------------------------------------------------------------------ the page

    def _cell_tags(self, column: Column) -> tuple[str, str]:
        tag = "th" if column.row_header else "td"
        scope = ' scope="row"' if column.row_header else ""
        classes = " ".join(filter(None, ["text-nowrap" if column.nowrap else "", column.css]))
        css = f' class="{classes}"' if classes else ""
        return f"<{tag}{scope}{css}>", f"</{tag}>"

    def body(self, hidden: frozenset = frozenset()):
        """The table's rows as one template, compiled once per set of hidden columns: each cell in its <td>."""
        if hidden not in self._bodies:
            cells = []
            for index, column in enumerate(self.page_columns):
                if column.key in hidden:
                    continue
                snippet = column.cell if column.html is None else ""
                content = snippet or f"{{% list_value spec.page_columns.{index} row %}}"
                if column.link:
                    content = f"<a href=\"{{% url '{column.link}' row.{column.link_arg} %}}\">{content}</a>"
                start, end = self._cell_tags(column)
                cells.append(f"{start}{content}{end}")
            if callable(self.row_class):
                row_class = ' class="{% list_row_class spec row %}"'
            else:
                row_class = f' class="{self.row_class}"' if self.row_class else ""
            source = (
                "{% load i18n portal %}{% for row in rows %}<tr"
                + row_class
                + ">"
                + "".join(cells)
                + "</tr>\n{% endfor %}"
            )
            self._bodies[hidden] = engines["django"].from_string(source)
        return self._bodies[hidden]

    def python_cells(self, hidden: frozenset = frozenset()) -> list[tuple[Column, str, str]] | None:
        """The page's cells with their tags when every one renders in Python (none is a template
        snippet, nor is the row's class); None sends the list through its template (`body`)."""
        if hidden not in self._cells:
            cells = []
            for column in self.page_columns:
                if column.key in hidden:
                    continue
                if column.cell and column.html is None:
                    cells = None
                    break
                cells.append((column, *self._cell_tags(column)))
            if isinstance(self.row_class, str) and self.row_class:
                cells = None
            self._cells[hidden] = cells
        return self._cells[hidden]

    def render_rows(self, rows, request, hidden: frozenset = frozenset()) -> str:
        # No RequestContext: the page's context processors (the bell's count) have run once already.
        user = getattr(request, "user", None)
        cells = self.python_cells(hidden)
        if cells is None:
            return self.render_rows_template(rows, request, hidden)
        row_class = self.row_class
        out = []
        for row in rows:
            out.append(f'<tr class="{escaped(row_class(row))}">' if row_class else "<tr>")
            for column, start, end in cells:
                if column.html is not None:
                    content = escaped(column.html(row, user))  # unless safe, as {% list_value %} would
                else:
                    content = escaped(shown(column.get(row, user), column.empty))
                if column.link:
                    href = escaped(row_url(column.link, resolve(row, column.link_arg)))
                    content = f'<a href="{href}">{content}</a>'
                out += (start, content, end)
            out.append("</tr>\n")
        return mark_safe("".join(out))

    def render_rows_template(self, rows, request, hidden: frozenset = frozenset()) -> str:
        """The rows through the compiled template: the lists with snippet cells, and the reference the
        Python rendering is tested against."""
        user = getattr(request, "user", None)
        context = {"rows": rows, "spec": self, "request": request, "user": user}
        return mark_safe(self.body(hidden).render(context))

    def headers(self, request, sort: str, labels: dict | None = None, hidden: frozenset = frozenset()) -> list[dict]:
        out = []
        for column in self.page_columns:
            if column.key in hidden:
                continue
            label = (labels or {}).get(column.key, column.label)
            header = {"label": label, "css": column.css, "sortable": bool(column.sort), "hidden": column.hidden_label}
            if column.sort:
                header.update(sort_link(request, sort, column.key))
            out.append(header)
        return out

    # ------------------------------------------------------------------ the workbook

    def export(
        self,
        rows: Iterable,
        *,
        viewer,
        filters: forms.Form | None = None,
        scope: Sequence[tuple[str, str]] = (),
        filename: str = "",
        labels: dict[str, str] | None = None,
    ):
        """The rows as an .xlsx download with the declared export columns; the active filters (and
        any `scope`, e.g. the tab) are written into the print header and the "筛选条件" sheet."""
        columns = self.export_columns
        labels = labels or {}
        headers = [str(labels.get(c.key, c.export_label or c.label)) for c in columns]
        data = ([c.get(row, viewer) for c in columns] for row in rows)
        name = filename or _("%(t)s_%(d)s.xlsx") % {
            "t": self.filename or self.title,
            "d": timezone.localdate().isoformat(),
        }
        return excel.xlsx_response(
            name,
            headers,
            data,
            sheet_title=str(self.sheet or self.title),
            widths=[c.width for c in columns],
            formats=[c.number_format for c in columns],
            about=about(self, viewer, filters, scope),
        )


# ----------------------------------------------------------------------------- filters


def describe_filters(form: forms.Form | None) -> list[tuple[str, str]]:
    """The active filters as (label, text): "状态", "已签收"; what a printed list and an export state."""
    if form is None or not form.is_bound:
        return []
    form.is_valid()
    out = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()) or value is False or (hasattr(value, "exists") and not value.exists()):
            continue  # an unticked box or an empty choice is no filter
        out.append((str(form.fields[name].label or name), _field_text(form.fields[name], value)))
    return out


def _field_text(form_field, value) -> str:
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return "、".join(form_field.label_from_instance(v) for v in value)
    if isinstance(form_field, forms.ModelChoiceField):
        return str(form_field.label_from_instance(value))
    if isinstance(form_field, forms.ChoiceField):
        choices = {str(k): v for k, v in form_field.choices if not isinstance(v, (list, tuple))}
        if isinstance(value, (list, tuple)):
            return "、".join(str(choices.get(str(v), v)) for v in value)
        return str(choices.get(str(value), value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return shown(value)


def about(spec: ListSpec, viewer, filters=None, scope: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """What a list is a selection of: its name, scope (tab), filters, and who exported it when."""
    described = [*scope, *describe_filters(filters)]
    rows = [(_("列表"), str(spec.title))]
    rows += described or [(_("筛选条件"), _("无（全部）"))]
    institution = getattr(viewer, "institution", None)
    who = f"{institution.name} {viewer}" if institution else str(viewer or "")
    rows += [(_("导出人"), who.strip()), (_("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))]
    return rows


def filter_params(request, keep: Sequence[str] = ()) -> dict | None:
    """The GET parameters a filter form reads (not sort, page or `keep`, e.g. the tab)."""
    params = request.GET.copy()
    for key in (*NOT_FILTERS, *keep):
        params.pop(key, None)
    return params or None


# ----------------------------------------------------------------------------- one request's list


def sort_link(request, current: str, key: str) -> dict:
    """The header link for `key`: it toggles the order and keeps the other filters."""
    params = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"], aria, arrow = "-" + key, "ascending", "▲"
    elif current == "-" + key:
        params["sort"], aria, arrow = key, "descending", "▼"
    else:
        params["sort"], aria, arrow = key, "none", ""
    return {"href": "?" + params.urlencode(), "aria": aria, "arrow": arrow}


@dataclass
class Listing:
    """A list as one request shows it: what `{% list_table %}` and `{% filter_bar %}` render."""

    spec: ListSpec
    request: Any
    page: Any
    rows: list
    sort: str = ""
    filters: forms.Form | None = None
    keep: dict = field(default_factory=dict)  # hidden parameters the filter bar carries (the tab)
    scope: Sequence[tuple[str, str]] = ()
    totals: Any = None  # a footer row (statistics)
    caption: str = ""
    labels: dict = field(default_factory=dict)  # headings chosen per request (the grouping)
    hidden: frozenset = frozenset()  # page columns this viewer does not get (a bulk-action checkbox)

    @property
    def filtered(self) -> bool:
        return bool(self.filters is not None and self.filters.is_bound and describe_filters(self.filters))

    @cached_property
    def described(self) -> list[tuple[str, str]]:
        return [*self.scope, *describe_filters(self.filters)]

    @property
    def export_href(self) -> str:
        if not self.spec.export_route:
            return ""
        query = export_query(self.request)
        return reverse(self.spec.export_route) + (f"?{query}" if query else "")

    @property
    def clear_href(self) -> str:
        from django.utils.http import urlencode

        return "?" + urlencode(self.keep) if self.keep else "?"

    def table(self) -> dict:
        return {
            "listing": self,
            "headers": self.spec.headers(self.request, self.sort, self.labels, self.hidden),
            "body": self.spec.render_rows(self.rows, self.request, self.hidden),
            "foot": self.spec.render_rows([self.totals], self.request, self.hidden) if self.totals else "",
        }


def export_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def page(
    request,
    spec: ListSpec,
    qs,
    *,
    filters: forms.Form | None = None,
    sort: str = "",
    decorate: Callable[[list], list] | None = None,
    keep: dict | None = None,
    scope: Sequence[tuple[str, str]] = (),
    hide: Sequence[str] = (),
    per_page: int = PAGE_SIZE,
) -> dict:
    """The context of a list page: one page of `qs` (decorated), and the `listing` its tags render.
    `filtered`, `page`, `sort`, `filters` and `export_query` stay in the context for the page's own
    words (the empty state)."""
    page_ = FastPaginator(qs, per_page).get_page(request.GET.get("page"))
    rows = list(page_.object_list)
    if decorate:
        rows = list(decorate(rows)) or rows
    page_.object_list = rows
    listing = Listing(
        spec, request, page_, rows, sort=sort, filters=filters, keep=keep or {}, scope=scope, hidden=frozenset(hide)
    )
    return {
        "listing": listing,
        "page": page_,
        "filters": filters,
        "filtered": listing.filtered,
        "sort": sort,
        "export_query": export_query(request),
    }


# ----------------------------------------------------------------------------- indexes


def index_for(spec: ListSpec, key: str | None = None) -> str | None:
    """The name of the model index that serves sort `key` (default: the default order): the same fields in
    the same directions, or all reversed (a backward scan), after any leading equality columns (the
    owner, the status a list filters by). None when there is none."""
    model = spec.model
    key = key or spec.default_sort
    if model is None or key.lstrip("-") not in spec.sort_fields:
        return None
    descending = key.startswith("-")
    wanted = directed(spec.sort_fields[key.lstrip("-")], descending)
    flipped = directed(wanted, True)
    indexes = [list(i.fields) for i in model._meta.indexes if getattr(i, "condition", None) is None]
    names = {tuple(i.fields): i.name or ",".join(i.fields) for i in model._meta.indexes}
    # An index led by the order itself first; else one whose leading columns are the list's equality
    # filters (its owner, its status) followed by the order.
    for start in range(max((len(f) for f in indexes), default=0)):
        for fields in indexes:
            if fields[start : start + len(wanted)] in (wanted, flipped):
                return names[tuple(fields)]
    return None


def short_name(path: str) -> Callable[[Any, Any], str]:
    """A page cell naming an institution by its short name (`"court"`, `"letter.issuer"`); nothing without one."""

    def html(row, viewer):
        institution = resolve(row, path)
        return mark_safe(escaped(institution.short_name) if institution is not None else "")

    return html


def cell_text(column: Column, row, viewer) -> str:
    if column.html is not None:
        return column.html(row, viewer)
    return conditional_escape(shown(column.get(row, viewer), column.empty))


# ----------------------------------------------------------------------------- links to rows

# An argument whose URL text is `str(value)` under its converter: a route that takes only such an
# argument is reversed once (with a stand-in) and the row's value put in its place, instead of one
# `reverse()` per row (its pattern matching was ~5 % of a list page's calls).
_STAND_INS = {uuid.UUID: uuid.UUID("5ca1ab1e-0000-4000-8000-00000000c0de"), int: 987654321}
_CONVERTERS = {uuid.UUID: UUIDConverter, int: IntConverter}
_url_halves: dict = {}


def row_url(name: str, arg) -> str:
    """`reverse(name, args=[arg])`, for a row's uuid or id without matching the URL pattern per row."""
    kind = type(arg)
    if kind not in _STAND_INS or (kind is int and arg < 0):
        return reverse(name, args=[arg])
    resolver = get_resolver(get_urlconf())  # a new object after the URL conf changes (tests)
    key = (resolver, get_script_prefix(), get_language(), name, kind)
    halves = _url_halves.get(key)
    if halves is None:
        halves = _url_halves[key] = _split_url(resolver, name, kind) or ()
    if not halves:
        return reverse(name, args=[arg])
    return f"{halves[0]}{arg}{halves[1]}"


def _split_url(resolver, name: str, kind: type) -> tuple[str, str] | None:
    """The URL of `name` around its one argument, when every pattern of that name takes exactly one
    argument through the converter of `kind` (so any value of that kind reverses to the same text
    around `str(value)`); None otherwise (reverse per row)."""
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict or resolver.app_dict.get(namespace, [namespace]) != [namespace]:
            return None
        _prefix, resolver = resolver.namespace_dict[namespace]
        if resolver.pattern.converters:
            return None
    possibilities = resolver.reverse_dict.getlist(view)
    for possibility, _pattern, _defaults, converters in possibilities:
        for _result, params in possibility:
            if len(params) != 1 or type(converters.get(params[0])) is not _CONVERTERS[kind]:
                return None
    stand_in = str(_STAND_INS[kind])
    try:
        url = reverse(name, args=[_STAND_INS[kind]])
    except NoReverseMatch:
        return None
    if not possibilities or url.count(stand_in) != 1:
        return None
    head, tail = url.split(stand_in)
    return head, tail
