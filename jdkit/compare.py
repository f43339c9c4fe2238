"""Compare pay across practices: for each role, every practice's range side by side, by state.

Pure: ``compare_pay`` takes summary rows (``jdkit.batch.PracticeResult`` objects or plain
mappings with ``practice``, ``role``, ``state``, ``pay_min``, ``pay_max``, ``period``) and
returns one ``RoleComparison`` per role; ``comparison_html`` draws them as escaped SVG plus
a table. Pay is put on one yearly axis (hourly x 2,080). A practice is an outlier when its
midpoint lies outside 1.5 IQR of the role's midpoints (with 4 or more practices) or more
than 25% from the role's median midpoint (with 3 or more).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from .notebook import ANNUAL
from .render import money

__all__ = ["PayPoint", "RoleComparison", "compare_pay", "comparison_html", "IQR_FACTOR", "MEDIAN_BAND"]

IQR_FACTOR = 1.5
MEDIAN_BAND = 0.25  # flag a midpoint more than 25% above or below the role's median
MIN_FOR_IQR, MIN_FOR_MEDIAN = 4, 3


@dataclass(frozen=True)
class PayPoint:
    """One practice's yearly pay range for a role, and whether it stands out."""

    practice: str
    state: str
    low: float
    high: float
    outlier: str = ""  # why it is flagged; empty when it is not

    @property
    def midpoint(self) -> float:
        """The middle of the range."""
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class RoleComparison:
    """A role's pay across practices, grouped by state (states in order, practices by name)."""

    role: str
    points: list[PayPoint]
    median: float
    q1: float
    q3: float

    @property
    def outliers(self) -> list[PayPoint]:
        """The flagged practices."""
        return [p for p in self.points if p.outlier]

    @property
    def by_state(self) -> list[tuple[str, list[PayPoint]]]:
        """``(state, points)`` pairs in state order."""
        groups: dict[str, list[PayPoint]] = {}
        for point in self.points:
            groups.setdefault(point.state, []).append(point)
        return list(groups.items())


def _get(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def compare_pay(rows: Iterable[Any]) -> list[RoleComparison]:
    """Group rows with a pay figure by role and compute each role's median, quartiles and outliers."""
    by_role: dict[str, list[PayPoint]] = {}
    for row in rows:
        low, high, period = _get(row, "pay_min"), _get(row, "pay_max"), _get(row, "period")
        if (low is None and high is None) or period not in ANNUAL or _get(row, "status") == "failed":
            continue
        factor = ANNUAL[period]
        low, high = (low if low is not None else high) * factor, (high if high is not None else low) * factor
        role = str(_get(row, "role") or "Unknown role")
        by_role.setdefault(role, []).append(PayPoint(str(_get(row, "practice") or ""),
                                                     str(_get(row, "state") or "--"), low, high))
    return [_compare(role, points) for role, points in sorted(by_role.items())]


def _compare(role: str, points: list[PayPoint]) -> RoleComparison:
    mids = sorted(p.midpoint for p in points)
    median = statistics.median(mids)
    q1, q3 = (statistics.quantiles(mids, n=4, method="inclusive")[0::2] if len(mids) > 1 else (mids[0], mids[0]))
    iqr = q3 - q1
    flagged = []
    for point in points:
        why = []
        if len(mids) >= MIN_FOR_IQR and not q1 - IQR_FACTOR * iqr <= point.midpoint <= q3 + IQR_FACTOR * iqr:
            why.append(f"midpoint outside {IQR_FACTOR:g} IQR")
        off = (point.midpoint - median) / median if median else 0.0
        if len(mids) >= MIN_FOR_MEDIAN and abs(off) > MEDIAN_BAND:
            why.append(f"{off:+.0%} from the median")
        flagged.append(PayPoint(point.practice, point.state, point.low, point.high, "; ".join(why)))
    flagged.sort(key=lambda p: (p.state, p.practice.casefold()))
    return RoleComparison(role, flagged, median, q1, q3)


def comparison_html(comparisons: list[RoleComparison], *, width: int = 760) -> str:
    """Every role's comparison as an HTML fragment: a grouped SVG bar chart and a table, escaped."""
    if not comparisons:
        return "<p>No pay figures to compare.</p>\n"
    parts = []
    for item in comparisons:
        flagged = len(item.outliers)
        parts.append(f'<section class="pay-compare"><h3>{escape(item.role)}</h3>'
                     f"<p>{len(item.points)} practice(s) in {len(item.by_state)} state(s); median midpoint "
                     f"{escape(money(round(item.median)))} a year; {flagged} outlier(s).</p>")
        parts.append(_chart(item, width))
        parts.append(_table(item))
        parts.append("</section>")
    return "\n".join(parts) + "\n"


def _chart(item: RoleComparison, width: int) -> str:
    label_w, bar_h, gap, head_h, top = 220, 14, 6, 18, 22
    rows = len(item.points) + len(item.by_state)
    height = top + rows * (bar_h + gap) + len(item.by_state) * (head_h - bar_h - gap) + 10
    # The axis spans the data (not zero upwards), so that close ranges stay apart.
    low, high = min(p.low for p in item.points) * 0.9, max(p.high for p in item.points) * 1.05
    plot = width - label_w - 190

    def x(value: float) -> float:
        return label_w + plot * (value - low) / (high - low)

    title = f"{item.role}: yearly pay range per practice (hourly x 2,080), grouped by state"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pay-compare" width="{width}" height="{height:.0f}" '
           f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
           f"<title>{escape(title)}</title>",
           f'<rect x="{x(item.q1):.1f}" y="{top - 4}" width="{max(x(item.q3) - x(item.q1), 1):.1f}" '
           f'height="{height - top - 6:.0f}" fill="#eef2f6"><title>middle half (Q1 to Q3)</title></rect>',
           f'<line x1="{x(item.median):.1f}" y1="{top - 8}" x2="{x(item.median):.1f}" y2="{height - 6:.0f}" '
           f'stroke="#5b6675" stroke-dasharray="4 3"/>',
           f'<text x="{x(item.median):.1f}" y="{top - 10}" text-anchor="middle" fill="#5b6675">median '
           f"{escape(money(round(item.median)))}</text>"]
    y = top
    for state, points in item.by_state:
        out.append(f'<text x="4" y="{y + 11}" font-weight="bold" class="state">{escape(state)}</text>')
        y += head_h
        for point in points:
            colour = "#b03a2e" if point.outlier else "#1f5f8b"
            left, right = x(point.low), max(x(point.high), x(point.low) + 2)
            text = f"{money(round(point.low))} to {money(round(point.high))}"
            flag = " \u26a0 outlier" if point.outlier else ""
            out.append(f'<text x="{label_w - 8}" y="{y + 11}" text-anchor="end">{escape(point.practice[:34])}</text>')
            out.append(f'<rect class="{"outlier" if point.outlier else "range"}" x="{left:.1f}" y="{y}" '
                       f'width="{right - left:.1f}" height="{bar_h}" rx="3" fill="{colour}">'
                       f"<title>{escape(point.practice + ': ' + text + (' (' + point.outlier + ')' if point.outlier else ''))}"
                       "</title></rect>")
            out.append(f'<text x="{right + 6:.1f}" y="{y + 11}" fill="{colour}">{escape(text + flag)}</text>')
            y += bar_h + gap
    out.append("</svg>")
    return "\n".join(out)


def _table(item: RoleComparison) -> str:
    rows = "".join(
        f'<tr class="{"outlier" if p.outlier else ""}"><td>{escape(p.state)}</td><td>{escape(p.practice)}</td>'
        f"<td>{escape(money(round(p.low)))} to {escape(money(round(p.high)))}</td>"
        f"<td>{escape(money(round(p.midpoint)))}</td><td>{escape(p.outlier)}</td></tr>"
        for p in item.points)
    return ('<table class="summary pay-compare"><thead><tr><th>State</th><th>Practice</th><th>Yearly range</th>'
            f"<th>Midpoint</th><th>Outlier</th></tr></thead><tbody>{rows}</tbody></table>")
