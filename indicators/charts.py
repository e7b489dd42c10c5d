"""Server-side SVG charts for PDFs (WeasyPrint draws SVG): ranking bars and eight-quarter trends.

The browser draws the same data with the vendored Chart.js (indicators/static/indicators/dashboard.js);
both use `COLOURS`, so a chart on paper looks like the one on screen. Every chart is
printed with its data table beside it (in the templates), so nothing is shown by colour
alone. All text is escaped: unit names are data.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

# One colour per indicator, in the order of selectors.INDICATORS (Bootstrap's palette).
COLOURS = {
    "loss_rate": "#dc3545",
    "appearance_rate": "#0d6efd",
    "reply_rate": "#198754",
    "performance_rate": "#fd7e14",
    "disclosure_loss_rate": "#6f42c1",
}
FONT = "Noto Sans CJK SC, sans-serif"


def _f(value) -> float | None:
    return None if value is None else float(Decimal(str(value)))


def bars(items: list[tuple[str, object, str]], *, colour: str = "#0d6efd", width: int = 460) -> str:
    """Horizontal bars 0–100 %: items are (label, rate or None, shown text)."""
    row, label_w, pad = 18, 150, 4
    bar_w = width - label_w - 60
    height = max(row * len(items) + pad * 2, row + pad * 2)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">'
    ]
    for n, (label, value, shown) in enumerate(items):
        y = pad + n * row
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(label[:16])}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row - 6}" fill="#f1f3f5"/>')
        v = _f(value)
        if v is not None:
            w = round(bar_w * max(0.0, min(v, 100.0)) / 100, 1)
            out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 6}" fill="{colour}"/>')
        out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 12}">{escape(shown)}</text>')
    out.append("</svg>")
    return "".join(out)


def trend(periods: list[str], series: dict[str, list], *, width: int = 460, height: int = 200) -> str:
    """Lines over the periods, 0–100 %, one per indicator key in `series` (None: no point)."""
    left, right, top, bottom = 34, 24, 10, 34  # room for the last quarter's label
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(periods) - 1, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9">'
    ]
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dee2e6"/>')
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{pct}%</text>')
    for n, p in enumerate(periods):
        x = left + n * step
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" text-anchor="middle">{escape(p)}</text>')
    for key, values in series.items():
        colour = COLOURS.get(key, "#333")
        points = [
            (left + n * step, top + plot_h * (1 - _f(v) / 100)) for n, v in enumerate(values) if _f(v) is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        for x, y in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)
