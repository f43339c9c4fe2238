"""Compare pay across practices: for each role, every practice's range side by side, by state.

Pure: ``compare_pay`` takes summary rows (``jdkit.batch.PracticeResult`` objects or plain
mappings with ``practice``, ``role``, ``state``, ``pay_min``, ``pay_max``, ``period``) and
returns one ``RoleComparison`` per role; ``comparison_html`` draws them (``jdkit.charts``:
matplotlib SVG, each range over its market band) plus a table. Pay is put on one yearly
axis (hourly x 2,080). A practice is an outlier when its midpoint lies outside 1.5 IQR of
the role's midpoints (with 4 or more practices) or more than 25% from the role's median
midpoint (with 3 or more).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from .models import PERIODS_PER_YEAR as ANNUAL
from .wording import count, money

__all__ = [
    "PayPoint",
    "RoleComparison",
    "compare_pay",
    "comparison_html",
    "IQR_FACTOR",
    "MEDIAN_BAND",
]

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
    # The market's p25, median and p75 a year, where known.
    band: tuple[float, float, float] | None = None

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
    """Group rows with a pay figure by role and compute each role's median, quartiles and
    outliers."""
    by_role: dict[str, list[PayPoint]] = {}
    for row in rows:
        low, high, period = _get(row, "pay_min"), _get(row, "pay_max"), _get(row, "period")
        if (
            (low is None and high is None)
            or period not in ANNUAL
            or _get(row, "status") == "failed"
        ):
            continue
        factor = ANNUAL[period]
        low, high = (
            (low if low is not None else high) * factor,
            (high if high is not None else low) * factor,
        )
        role = str(_get(row, "role") or "Unknown role")
        band = tuple(_get(row, key) for key in ("band_p25", "band_median", "band_p75"))
        by_role.setdefault(role, []).append(
            PayPoint(
                str(_get(row, "practice") or ""),
                str(_get(row, "state") or "--"),
                low,
                high,
                band=band if None not in band else None,
            )
        )
    return [_compare(role, points) for role, points in sorted(by_role.items())]


def _compare(role: str, points: list[PayPoint]) -> RoleComparison:
    mids = sorted(p.midpoint for p in points)
    median = statistics.median(mids)
    q1, q3 = (
        statistics.quantiles(mids, n=4, method="inclusive")[0::2]
        if len(mids) > 1
        else (mids[0], mids[0])
    )
    iqr = q3 - q1
    flagged = []
    for point in points:
        why = []
        if (
            len(mids) >= MIN_FOR_IQR
            and not q1 - IQR_FACTOR * iqr <= point.midpoint <= q3 + IQR_FACTOR * iqr
        ):
            why.append(f"midpoint outside {IQR_FACTOR:g} IQR")
        off = (point.midpoint - median) / median if median else 0.0
        if len(mids) >= MIN_FOR_MEDIAN and abs(off) > MEDIAN_BAND:
            why.append(f"{off:+.0%} from the median")
        flagged.append(
            PayPoint(point.practice, point.state, point.low, point.high, "; ".join(why), point.band)
        )
    flagged.sort(key=lambda p: (p.state, p.practice.casefold()))
    return RoleComparison(role, flagged, median, q1, q3)


def comparison_html(comparisons: list[RoleComparison], *, width: int = 760) -> str:
    """Every role's comparison as an HTML fragment: a grouped SVG bar chart and a table, escaped."""
    if not comparisons:
        return "<p>No pay figures to compare.</p>\n"
    parts = []
    for item in comparisons:
        flagged = len(item.outliers)
        parts.append(
            f'<section class="pay-compare"><h3>{escape(item.role)}</h3>'
            f"<p>{count(len(item.points), 'practices')} in {count(len(item.by_state), 'states')}; "
            f"median midpoint {escape(money(round(item.median)))} a year; "
            f"{count(flagged, 'outliers')}.</p>"
        )
        parts.append(_chart(item, width))
        parts.append(_table(item))
        parts.append("</section>")
    return "\n".join(parts) + "\n"


def _chart(item: RoleComparison, width: int) -> str:
    """The role's ranges by state over each practice's market band (matplotlib SVG,
    ``jdkit.charts``)."""
    from .charts import ChartRow, range_chart

    rows = [
        ChartRow(
            f"{point.practice} ({state})", point.low, point.high, point.band, bool(point.outlier)
        )
        for state, points in item.by_state
        for point in points
    ]
    title = (
        f"{item.role}: yearly pay range per practice (hourly x 2,080), grouped by state, "
        "over the market band"
    )
    return (
        f'<figure class="pay-compare">{range_chart(rows, title=title, width=width / 100)}</figure>'
    )


def _table(item: RoleComparison) -> str:
    def band(p: PayPoint) -> str:
        return f"{money(round(p.band[0]))} to {money(round(p.band[2]))}" if p.band else "Not known"

    rows = "".join(
        f'<tr class="{"outlier" if p.outlier else ""}"><td>{escape(p.state)}</td>'
        f'<th scope="row">{escape(p.practice)}</th>'
        f"<td>{escape(money(round(p.low)))} to {escape(money(round(p.high)))}</td>"
        f"<td>{escape(money(round(p.midpoint)))}</td><td>{escape(band(p))}</td>"
        f"<td>{escape(p.outlier) or 'No'}</td></tr>"
        for p in item.points
    )
    return (
        f'<table class="summary pay-compare"><caption>{escape(item.role)}: pay by practice'
        "</caption>"
        '<thead><tr><th scope="col">State</th><th scope="col">Practice</th>'
        '<th scope="col">Yearly range</th>'
        '<th scope="col">Midpoint</th><th scope="col">Market middle half</th>'
        '<th scope="col">Outlier</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )
