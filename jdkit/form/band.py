"""The market band beside the pay fields: what the role pays where the practice is (BLS OEWS).

Shown as a reference, never as the practice's pay: the box says so, and nothing from it is
ever written into a field. The figures are ``jdkit.checks.market_pay.band_for``'s, in the
pay fields' period (hourly for hourly pay, else yearly); a withheld figure says so.
"""

from __future__ import annotations

import html
from typing import Any

from ..models import JobDescription
from ..render import money

__all__ = ["band_html", "NO_BAND"]

NO_BAND = (
    '<div class="jdkit-market" role="note"><b>Market pay</b>: no BLS figures for this role where '
    "the "
    "practice is (pick the practice's state, and its city for a metro figure).</div>"
)


def band_html(model: JobDescription) -> str:
    """The market band for ``model``'s role and place as a small table, or
    a line saying there is none."""
    try:
        from ..checks.market_pay import band_for

        found = band_for(model)
    except Exception:  # the market data is optional: no box rather than a broken form
        found = None
    if found is None:
        return NO_BAND
    band, what, data = found
    hourly = model.compensation.period == "HOUR"
    unit = "an hour" if hourly else "a year"
    names = ("10th", "25th", "Median", "75th", "90th")
    values: tuple[Any, ...] = (band.p10, band.p25, band.median, band.p75, band.p90)
    head = "".join(f'<th scope="col">{n}</th>' for n in names)
    cells = "".join(
        f"<td>{html.escape(money(v, cents=hourly)) if v is not None else 'withheld'}</td>"
        for v in values
    )
    return (
        '<div class="jdkit-market" role="note">'
        f"<b>Market reference, not the practice's pay</b>: {html.escape(data.occupation)} "
        f"(SOC {html.escape(data.soc)}) in {html.escape(data.area_name)}, {html.escape(what)}, "
        f"{unit}."
        f'<table class="jdkit-market-table"><caption>Percentiles, {unit}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table>"
        f"<small>{html.escape(data.source)}</small></div>"
    )
