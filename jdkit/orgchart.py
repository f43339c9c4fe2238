"""The reporting-structure chart: supervisor above, the role, the roles it supervises below.

Pure Python SVG, no graphviz: boxes on a fixed grid, connectors as a bus. Every piece of
text is XML-escaped (and stripped of characters XML cannot hold) while the string is
built, so the result can be marked safe and inlined in HTML, or saved as a ``.svg`` file.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from html import escape  # quotes too; xml.sax.saxutils costs ~15 ms of start-up

from .models import JobDescription

__all__ = ["OrgChart", "chart_of", "org_chart_svg", "PER_ROW"]

BOX_W, BOX_H = 176, 46
GAP_X, GAP_Y = 16, 34
MARGIN = 8
FONT_PX = 12
LINE_PX = 15
CHARS_PER_LINE = 26  # about (BOX_W - 12) / 6.4 px per character at 12 px sans-serif
PER_ROW = 4  # even, so that with two rows the trunk passes between the first row's boxes

INK, ACCENT, RULE, PAPER = "#1d2530", "#1f5f8b", "#8a97a8", "#eef2f6"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class OrgChart:
    """The chart's content: who the role reports to, the role's title, whom it supervises."""

    role: str
    supervisor: str | None = None
    supervised: tuple[str, ...] = field(default_factory=tuple)

    @property
    def description(self) -> str:
        """The chart as one sentence, for screen readers and the SVG ``<title>``."""
        parts = [f"{self.role} reports to {self.supervisor}" if self.supervisor else f"{self.role}"]
        parts.append(
            "supervises " + ", ".join(self.supervised) if self.supervised else "supervises no one"
        )
        return "; ".join(parts) + "."


def chart_of(model: JobDescription) -> OrgChart:
    """Return the chart content of ``model`` (its reporting section and title)."""
    reporting = model.reporting
    return OrgChart(
        role=model.title,
        supervisor=reporting.reports_to or None,
        supervised=tuple(reporting.supervises),
    )


def org_chart_svg(model: JobDescription | OrgChart) -> str:
    """Return the reporting-structure chart of ``model`` as a standalone, escaped SVG string."""
    chart = model if isinstance(model, OrgChart) else chart_of(model)
    per_row = min(PER_ROW, max(1, len(chart.supervised)))
    width = per_row * BOX_W + (per_row - 1) * GAP_X + 2 * MARGIN
    center = width / 2
    parts: list[str] = []
    y = MARGIN
    if chart.supervisor:
        parts.append(_box(center - BOX_W / 2, y, chart.supervisor, kind="supervisor"))
        parts.append(_line(center, y + BOX_H, center, y + BOX_H + GAP_Y))
        y += BOX_H + GAP_Y
    parts.append(_box(center - BOX_W / 2, y, chart.role, kind="role"))
    trunk_top: float = y + BOX_H
    y += BOX_H
    rows = [chart.supervised[i : i + per_row] for i in range(0, len(chart.supervised), per_row)]
    for row in rows:
        bus_y = y + GAP_Y / 2
        row_width = len(row) * BOX_W + (len(row) - 1) * GAP_X
        left = center - row_width / 2
        centers = [left + i * (BOX_W + GAP_X) + BOX_W / 2 for i in range(len(row))]
        parts.append(_line(center, trunk_top, center, bus_y))
        parts.append(_line(min(centers[0], center), bus_y, max(centers[-1], center), bus_y))
        for x, title in zip(centers, row, strict=True):
            parts.append(_line(x, bus_y, x, y + GAP_Y))
            parts.append(_box(x - BOX_W / 2, y + GAP_Y, title, kind="supervised"))
        trunk_top = bus_y
        y += GAP_Y + BOX_H
    height = y + MARGIN
    label = _text(chart.description)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="org-chart" role="img" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" '
        f'aria-label="{escape(label)}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="{FONT_PX}">'
        f"<title>{escape(label)}</title>" + "".join(parts) + "</svg>"
    )


def _text(value: str) -> str:
    """Text as XML can hold it: no control characters, whitespace collapsed."""
    return " ".join(_NOT_XML.sub("", value).split())


def _lines(title: str) -> list[str]:
    """Wrap a title into at most two lines, ending the second with an ellipsis if cut."""
    lines = textwrap.wrap(_text(title), CHARS_PER_LINE, break_long_words=True) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1][: CHARS_PER_LINE - 1].rstrip() + "\u2026"]
    return lines


def _box(x: float, y: float, title: str, *, kind: str) -> str:
    """One titled box; the role's own box is filled with the accent colour."""
    fill, stroke, ink, weight = (
        (ACCENT, ACCENT, "#ffffff", "bold") if kind == "role" else (PAPER, RULE, INK, "normal")
    )
    lines = _lines(title)
    first = y + BOX_H / 2 - (len(lines) - 1) * LINE_PX / 2
    spans = "".join(
        f'<tspan x="{x + BOX_W / 2:g}" y="{first + i * LINE_PX:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="org-{kind}"><title>{escape(_text(title))}</title>'
        f'<rect x="{x:g}" y="{y:g}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
        f'stroke="{stroke}"/>'
        f'<text text-anchor="middle" dominant-baseline="central" fill="{ink}" '
        f'font-weight="{weight}">{spans}</text></g>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{RULE}" '
        'stroke-width="1.5"/>'
    )
