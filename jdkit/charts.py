"""Pay charts drawn with matplotlib as embeddable SVG: each practice's range over its market band.

``range_chart`` draws one horizontal bar per row, from the low to the high end of the range,
over the market's middle half (p25 to p75, shaded) with the median marked, on a money axis.
Names are wrapped, never cut; each range's value label sits right of its bar and of its band,
and the axis is widened until every label fits (measured with the renderer, not guessed).
Text stays text in the SVG (searchable, selectable, escaped by matplotlib), the SVG carries
``role="img"`` and a full text alternative, and elements carry ids (``bar-N``, ``label-N``,
``band-N``) so tests can read the geometry back. ``pay_row`` makes a practice's row (the
practice's own pay only, over its market band), ``pay_chart_svg`` the chart of rows (the
notebook's chart, the batch summary's), ``pay_figure`` the notebook's figure with its caption.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, cast

from .checks.market_pay import market_band
from .models import PERIODS_PER_YEAR, JobDescription
from .origins import practice_pay
from .wording import money

__all__ = ["ChartRow", "range_chart", "WRAP", "ACCENT", "ALERT", "BAND"]

WRAP = 28  # characters per line of a name
ACCENT, ALERT, BAND, MEDIAN, INK = "#1f5f8b", "#b03a2e", "#d8e3ee", "#4f5b6a", "#1d2530"


@dataclass(frozen=True)
class ChartRow:
    """One bar: a name, the range (same unit for every row), an optional market band, a flag."""

    label: str
    low: float
    high: float
    band: tuple[float, float, float] | None = None  # p25, median, p75
    flagged: bool = False


def _ticks(value: float, _position: object = None) -> str:
    return money(round(value))


def range_chart(
    rows: Sequence[ChartRow],
    *,
    title: str,
    unit: str = "a year",
    width: float = 7.2,
    wrap: int = WRAP,
) -> str:
    """The rows as an SVG bar chart ``width`` inches wide, names wrapped at ``wrap`` characters (see
    the module's docstring); an empty string without rows."""
    if not rows:
        return ""
    import matplotlib

    # Text as <text> (readable, searchable), "$" as a dollar (not TeX), the same chart the same
    # bytes; in a context, so a user's own matplotlib settings are left alone.
    settings: dict[str, Any] = {
        "svg.fonttype": "none",
        "text.parse_math": False,
        "svg.hashsalt": "jdkit",
        "font.family": ["Liberation Sans", "DejaVu Sans", "sans-serif"],
    }
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        return _draw(rows, title=title, unit=unit, width=width, wrap=wrap)


def _draw(rows: Sequence[ChartRow], *, title: str, unit: str, width: float, wrap: int) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [
        "\n".join(textwrap.wrap(r.label, wrap, break_long_words=True, break_on_hyphens=False))
        or " "
        for r in rows
    ]
    lines = sum(max(1, label.count("\n") + 1) for label in labels)
    height = 0.9 + 0.28 * lines + 0.18 * len(rows)
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)  # measures text for _fit_labels; savefig still writes SVG
    axes = figure.add_subplot()
    figure.subplots_adjust(left=0.34, right=0.98, top=1 - 0.45 / height, bottom=0.55 / height)
    positions = list(range(len(rows)))[::-1]  # the first row on top
    texts = []
    for index, (row, y) in enumerate(zip(rows, positions, strict=True)):
        if row.band:
            p25, median, p75 = row.band
            band = axes.barh(y, p75 - p25, left=p25, height=0.8, color=BAND, zorder=1)
            band.patches[0].set_gid(f"band-{index}")
            axes.plot([median, median], [y - 0.4, y + 0.4], color=MEDIAN, linewidth=1.5, zorder=2)
        low, high = min(row.low, row.high), max(row.low, row.high)
        bar = axes.barh(
            y,
            max(high - low, 1e-9),
            left=low,
            height=0.42,
            zorder=3,
            color=ALERT if row.flagged else ACCENT,
        )
        bar.patches[0].set_gid(f"bar-{index}")
        end = max(high, row.band[2] if row.band else high)
        text = axes.annotate(
            f"{money(round(low))} to {money(round(high))}" if low != high else money(round(low)),
            (end, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=ALERT if row.flagged else INK,
        )
        text.set_gid(f"label-{index}")
        texts.append(text)
    axes.set_yticks(positions, labels, fontsize=8)
    axes.xaxis.set_major_formatter(FuncFormatter(_ticks))
    axes.xaxis.set_major_locator(MaxNLocator(5))
    axes.tick_params(axis="x", labelsize=8)
    axes.set_xlabel(
        f"Pay {unit}"
        + ("; shaded: market p25 to p75, line: median" if any(r.band for r in rows) else ""),
        fontsize=8,
    )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="x", color="#e4e9ef", linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    lows = [min(r.low, r.band[0] if r.band else r.low) for r in rows]
    highs = [max(r.high, r.band[2] if r.band else r.high) for r in rows]
    left, right = min(lows), max(highs)
    pad = (right - left) * 0.05 or right * 0.05 or 1.0
    axes.set_xlim(max(0.0, left - pad), right + pad)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    _fit_labels(figure, axes, texts)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(buffer.getvalue(), title, rows, unit)


def _fit_labels(figure: Any, axes: Any, texts: list[Any]) -> None:
    """Widen the x axis until every value label ends inside the plot (a few passes at most)."""
    renderer = figure.canvas.get_renderer()
    for _ in range(6):
        box = axes.get_window_extent(renderer)
        over = max(t.get_window_extent(renderer).x1 for t in texts) - box.x1 + 6  # 6 px to spare
        if over <= 0:
            return
        low, high = axes.get_xlim()
        axes.set_xlim(low, high + (high - low) * (over + 4) / max(box.width - over, 1.0))


def _accessible(svg: str, title: str, rows: Sequence[ChartRow], unit: str) -> str:
    """The SVG without its XML prologue, with ``role="img"``, a label and a title listing every
    range."""
    start = svg.index("<svg")
    described = "; ".join(
        f"{r.label}: {money(round(r.low))} to {money(round(r.high))}"
        + (
            f" (market middle half {money(round(r.band[0]))} to {money(round(r.band[2]))}, "
            f"median {money(round(r.band[1]))})"
            if r.band
            else ""
        )
        for r in rows
    )
    alt = f"{title}, {unit}. {described}."
    head, rest = svg[start:].split(">", 1)
    return (
        f'{head} role="img" aria-label="{escape(alt)}" class="jdkit-chart">'
        f"<title>{escape(alt)}</title>{rest}"
    )


def pay_row(model: JobDescription) -> dict[str, Any]:
    """One practice's pay as a chart row: label, min, max, period, the yearly equivalents and the
    market's middle half and median a year where jdkit knows them (``band_p25`` ...; else
    ``None``)."""
    pay = model.compensation
    factor = PERIODS_PER_YEAR[pay.period]
    low, high = practice_pay(model)
    return {
        "label": model.practice.name,
        "min": low,
        "max": high,
        "period": pay.period,
        "currency": pay.currency,
        "year_min": low * factor if low is not None else None,
        "year_max": high * factor if high is not None else None,
        **market_band(model),
    }


def pay_figure(model: JobDescription) -> str:
    """The notebook's pay chart as an HTML figure (the chart first, then its caption); a line when
    the practice has set no pay."""
    from html import escape

    from .wording import NO_PAY

    svg = pay_chart_svg([pay_row(model)])
    if not svg:
        return f'<p class="jdkit-pay">Pay range: {escape(NO_PAY)}.</p>'
    return (
        f'<figure class="jdkit-pay" aria-labelledby="pay-chart-caption">{svg}'
        '<figcaption id="pay-chart-caption">Pay range and market band</figcaption></figure>'
    )


def pay_chart_svg(rows: Sequence[Mapping[str, Any]], *, width: float = 7.2, wrap: int = 28) -> str:
    """A bar per row from its yearly minimum to maximum over its market band, on one money axis
    (SVG)."""
    drawn = []
    for row in rows:
        low, high = row.get("year_min"), row.get("year_max")
        if low is None and high is None:
            continue
        band = tuple(row.get(k) for k in ("band_p25", "band_median", "band_p75"))
        # At least one of low and high is a number (see above); the band is whole or left out.
        drawn.append(
            ChartRow(
                str(row["label"]),
                cast(float, low if low is not None else high),
                cast(float, high if high is not None else low),
                cast(tuple[float, float, float], band) if None not in band else None,
            )
        )
    if not drawn:
        return ""
    return range_chart(
        drawn, title="Pay range", unit="a year (hourly pay x 2,080 hours)", width=width, wrap=wrap
    )
