"""A small world with one record of each kind per party, every text seeded with a canary.

A canary is `CANARY-<institution code>-<uuid>`; the matrix asserts that no response a
persona receives contains the canary of a record that persona may not see.

Each app builds its own records (`records(world)` in tests/security/policy_<label>.py);
`build` calls them in registry order, the hub's first.
"""

import io
import uuid

from liaison.models import Institution

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def canary(inst: Institution) -> str:
    return f"CANARY-{inst.code}-{uuid.uuid4().hex[:12]}"


def build(world) -> dict:
    """Named records and their canaries: {name: (object, canary)}."""
    from . import policy

    objs = {}
    for label, module in policy.modules():
        records = getattr(module, "records", None)
        if records is None:
            continue
        built = records(world)
        twice = objs.keys() & built.keys()
        assert not twice, f"policy_{label} builds {sorted(twice)} again"
        objs.update(built)
    return objs


def text_of(response) -> str:
    """Everything a response tells: headers and body; PDFs and workbooks opened up."""
    parts = [f"{k}: {v}" for k, v in response.items()]
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    ctype = response.get("Content-Type", "")
    if ctype.startswith("application/pdf"):
        parts.append(_pdf_text(content))
    elif "spreadsheetml" in ctype:
        parts.append(_xlsx_text(content))
    else:
        parts.append(content.decode("utf-8", "replace"))
    return "\n".join(parts)


def _pdf_text(content: bytes) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=False)
    return out.stdout.decode("utf-8", "replace")


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells.extend(str(c) for c in row if c is not None)
    return "\n".join(cells)
