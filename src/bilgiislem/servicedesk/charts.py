"""Small SVG charts rendered on the server (UI.md "Charts"; no JS library, no CDN).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` named by
``aria-labelledby``, prints its values as text next to the marks, and tells series apart by
line pattern and a written legend, never by colour alone. Pages show the same figures in a
table beside the chart. The output is self-contained (presentation attributes, no CSS
classes), so the same markup works in the page and in WeasyPrint's PDF.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="Arimo, system-ui, sans-serif"'
TEXT = "#1b1f24"
MUTED = "#545d68"
GRID = "#c9d0d8"
# Colours with AA contrast on white; a pattern goes with each so colour is never the only cue.
PALETTE = [
    ("#0b4f8a", ""),
    ("#b3261e", "6 4"),
    ("#1e6b34", "2 3"),
    ("#7a4d00", "10 3 2 3"),
]
PART_COLOUR = "#b3261e"
MAX_LABEL = 26


@dataclasses.dataclass
class Bar:
    label: str
    value: int
    part: int = 0  # shown darker inside the bar, e.g. the requests past their target


@dataclasses.dataclass
class Series:
    name: str
    values: Sequence[float | int | None]


def _num(value) -> str:
    return number_format(value, force_grouping=True)


def _nice_max(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover (the loop always returns)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" style="max-width:{width}px" '
        f'aria-labelledby="{cid}-title {cid}-desc" {FONT} font-size="12" fill="{TEXT}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    part_label: str = "",
    width: int = 640,
    row_height: int = 24,
) -> SafeString:
    """Horizontal bars, one per row, the label at the left and the value written after the bar.

    A bar's ``part`` (e.g. past target) is drawn darker from the start of the bar and written
    as "value (part label: n)".
    """
    label_width, value_width, top = 190, 130, 6
    plot = width - label_width - value_width
    height = top * 2 + max(len(bars), 1) * row_height
    top_value = max((b.value for b in bars), default=0) or 1
    out = _open(chart_id, title, desc, width, height)
    if not bars:
        out.append(f'<text x="0" y="{top + 14}" fill="{MUTED}">—</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_height
        length = plot * bar.value / top_value
        part = plot * min(bar.part, bar.value) / top_value
        label = escape(bar.label)
        text = _num(bar.value)
        if bar.part and part_label:
            text += f" ({escape(part_label)}: {_num(bar.part)})"
        out.append("<g>")
        out.append(f"<title>{label}: {text}</title>")
        out.append(
            f'<text x="{label_width - 8}" y="{y + row_height * 0.68:.1f}" '
            f'text-anchor="end">{escape(_short(bar.label))}</text>'
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" '
            f'height="{row_height - 8}" fill="{PALETTE[0][0]}"/>'
        )
        if part:
            out.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{part:.1f}" '
                f'height="{row_height - 8}" fill="{PART_COLOUR}" stroke="#fff" '
                f'stroke-dasharray="3 2"/>'
            )
        out.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + row_height * 0.68:.1f}">'
            f"{text}</text>"
        )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text above went through escape)


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 260,
    ticks: int = 6,
) -> SafeString:
    """Lines over evenly spaced labels (days, months), a legend above, the last value of each
    line written at its end; a missing value (None) breaks the line."""
    left, right, top, bottom = 52, 64, 30, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    y_max = _nice_max(max(values, default=0))
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / y_max

    out = _open(chart_id, title, desc, width, height)
    for fraction in (0, 0.5, 1):
        gy = y(y_max * fraction)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{gy:.1f}" y2="{gy:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{_num(round(y_max * fraction))}</text>"
        )
    if n:
        step = max(1, math.ceil((n - 1) / max(ticks - 1, 1)))
        shown = sorted(set(range(0, n, step)) | {n - 1})
        for i in shown:
            anchor = "end" if i == n - 1 and n > 1 else ("start" if i == 0 else "middle")
            out.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}" '
                f'fill="{MUTED}">{escape(labels[i])}</text>'
            )
    legend_x = left
    for k, s in enumerate(series):
        colour, dash = PALETTE[k % len(PALETTE)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="12" y2="12" stroke="{colour}" '
            f'stroke-width="3"{dash_attr}/>'
        )
        out.append(f'<text x="{legend_x + 30}" y="16">{escape(s.name)}</text>')
        legend_x += 40 + 7 * len(s.name)
        segments, current = [], []
        for i, v in enumerate(s.values[:n]):
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        for points in segments:
            if len(points) == 1:
                px, py = points[0].split(",")
                out.append(f'<circle cx="{px}" cy="{py}" r="3" fill="{colour}"/>')
            else:
                out.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
        last = next(
            ((i, v) for i, v in reversed(list(enumerate(s.values[:n]))) if v is not None), None
        )
        if last is not None:
            i, v = last
            out.append(
                f'<text x="{x(i) + 6:.1f}" y="{y(v) + 4:.1f}" fill="{colour}">{_num(v)}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text above went through escape)
