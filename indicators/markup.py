"""The annual report's restricted markup: headings, paragraphs, lists, tables and bold — nothing else.

Sections are edited as plain text in a textarea; this renderer escapes every character
first and only then builds the few tags below, so no HTML a user types (or pastes) ever
reaches a page or a PDF as markup (sanitised by construction, no allow-list to get wrong):

    ## 一、案件收结情况           → <h3>        ### （一）一审案件   → <h4>
    - 一项                        → <ul><li>
    | 案由 | 收案 | 结案 |        → <table>; a second row of dashes |---|---| makes the first a header
    |---|---|---|
    **加粗**                      → <strong>
    other lines                   → paragraphs (a blank line ends one)
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_LENGTH = 20000
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text.strip()))


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def _table(rows: list[str]) -> str:
    header = None
    if len(rows) > 1 and _RULE.match(rows[1].strip()):
        header, rows = rows[0], rows[2:]
    out = ['<table class="report-table">']
    if header is not None:
        out.append("<thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in _cells(header)) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _cells(row)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render(text: str) -> SafeString:
    """The section's text as HTML built only from escaped text and the tags above."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    rows: list[str] = []

    def flush():
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(x) for x in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(x)}</li>" for x in items) + "</ul>")
            items.clear()
        if rows:
            out.append(_table(rows))
            rows.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("|"):
            if paragraph or items:
                flush()
            rows.append(line)
            continue
        if rows:
            flush()
        if not line:
            flush()
        elif line.startswith("### "):
            flush()
            out.append(f"<h4>{_inline(line[4:])}</h4>")
        elif line.startswith("## "):
            flush()
            out.append(f"<h3>{_inline(line[3:])}</h3>")
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(line[2:])
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("".join(out))  # noqa: S308 — every piece above was escaped


def table(headers: list[str], rows: list[list]) -> str:
    """A table in the markup (the drafts' computed tables)."""
    esc = lambda v: str(v).replace("|", "｜").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(esc(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
