"""Excel import of a court's administrative case list: template, preview, commit (docs/case-import.md).

Courts keep their case lists in Excel. The flow a page, an API view or the management
command builds on:

    data = build_template()                                  # the .xlsx to download
    p = preview(user=user, file=upload, keep=True)           # parse + check, nothing saved
    p.errors, p.counts, p.rows                               # show them; p.token for the next request
    p = load_preview(user=user, token=token)                 # the confirm request re-parses the kept file
    result = commit(user=user, preview=p, only_valid=False)  # all rows or none (or only the valid ones)

The court is always the user's own institution. A 案号 already registered by another court
is an error, never an update of someone else's case; a 案号 of the user's court updates
that case (re-importing a file never duplicates). A column missing from the file leaves
that field of an existing case as it is; a blank cell in a present column clears it.
"""

from .kept import discard_preview, purge_stale_previews
from .layout import (
    COLUMNS,
    Column,
    ImportPreview,
    ImportResult,
    ImportRow,
    instance_labels,
    major_category_labels,
    row_message,
)
from .reading import load_preview, preview
from .saving import commit
from .template import build_template

__all__ = [
    "COLUMNS",
    "Column",
    "ImportPreview",
    "ImportResult",
    "ImportRow",
    "build_template",
    "commit",
    "discard_preview",
    "instance_labels",
    "load_preview",
    "major_category_labels",
    "preview",
    "purge_stale_previews",
    "row_message",
]
