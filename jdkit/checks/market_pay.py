"""Market pay: the practice's own range against what the role pays where the practice is (BLS OEWS).

The band is the Offices-of-Physicians estimate for the practice's metropolitan area (else
its state, else the nation; ``jdkit.market``), since a medical practice is an office of
physicians (NAICS 621100); where the estimate lacks a percentile, the published
all-industries figures stand in. Only a range the practice set is compared
(``jdkit.origins``): a suggestion is never taken as its pay. Part of the ``pay`` family.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

from ..market import (
    Band,
    MarketError,
    MarketPay,
    market_pay,
    physicians_office_estimate,
)
from ..models import PERIODS_PER_YEAR, JobDescription
from ..origins import practice_pay
from ..wording import money
from .base import Context, Finding, finding

__all__ = ["RULES", "market_for", "band_for", "market"]

ANNUAL = PERIODS_PER_YEAR  # a practice's pay as a yearly figure


def market_for(model: JobDescription) -> tuple[MarketPay, MarketPay] | None:
    """The published band and the Offices-of-Physicians estimate where the
    practice is; None if unknown."""
    soc = model.compensation.market_soc or model.role.onet_soc.split(".")[0]
    practice = model.practice
    try:
        pay = market_pay(soc, practice.state, practice.city, metro=practice.metro)
    except MarketError:
        return None
    return pay, physicians_office_estimate(pay)


def band_for(model: JobDescription) -> tuple[Band, str, MarketPay] | None:
    """The band the range is compared with (hourly for hourly pay, else
    yearly), what it is, and its data."""
    found = market_for(model)
    if found is None:
        return None
    published, estimate = found
    kind = "hourly" if model.compensation.period == "HOUR" else "annual"
    chosen, what = estimate, "the Offices-of-Physicians estimate (jdkit, from BLS ratios)"
    if any(
        v is None
        for v in (
            getattr(estimate, kind).p10,
            getattr(estimate, kind).p25,
            getattr(estimate, kind).p75,
            getattr(estimate, kind).p90,
        )
    ):
        chosen, what = published, "all industries"
    return getattr(chosen, kind), what, chosen


def _money(value: float, hourly: bool) -> str:
    return money(value, cents=hourly)


def market(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: the market band; warning when the range's midpoint is outside p10-p90
    or it sits outside p25-p75."""
    low, high = practice_pay(model)
    if low is None and high is None:
        return
    found = band_for(model)
    if found is None:
        return
    band, what, data = found
    period = model.compensation.period
    hourly = period == "HOUR"
    factor = 1 if hourly else ANNUAL[period]
    lowest = low if low is not None else high
    highest = high if high is not None else low
    assert lowest is not None and highest is not None  # one of them is set (above)
    low_n, high_n = lowest * factor, highest * factor
    unit = "an hour" if hourly else "a year"
    where = f"{data.occupation} (SOC {data.soc}) in {data.area_name}"
    shown = ", ".join(
        f"{name} {_money(v, hourly)}"
        for name, v in (
            ("p10", band.p10),
            ("p25", band.p25),
            ("median", band.median),
            ("p75", band.p75),
            ("p90", band.p90),
        )
        if v is not None
    )
    source = f"BLS OEWS, {data.release}; {data.note.split('; jdkit estimate')[0]}"
    yield finding(
        "pay.market",
        "info",
        "compensation",
        f"market pay for {where}, {what}: {shown} {unit}; the practice's range is "
        f"{_money(low_n, hourly)} to {_money(high_n, hourly)} {unit} ({source})",
        "a market figure is a reference, not the practice's pay; set compensation.market_soc to "
        "compare "
        "with another occupation",
    )
    mid = (low_n + high_n) / 2
    problems: list[str] = []
    if band.p10 is not None and mid < band.p10:
        problems.append(
            f"the midpoint, {_money(mid, hourly)}, is {100 * (band.p10 - mid) / band.p10:.0f}% "
            "under "
            f"the 10th percentile ({_money(band.p10, hourly)})"
        )
    if band.p90 is not None and mid > band.p90:
        problems.append(
            f"the midpoint, {_money(mid, hourly)}, is {100 * (mid - band.p90) / band.p90:.0f}% "
            "over "
            f"the 90th percentile ({_money(band.p90, hourly)})"
        )
    if band.p25 is not None and high_n < band.p25:
        problems.append(
            f"the whole range is under the 25th percentile ({_money(band.p25, hourly)}) by "
            f"{_money(band.p25 - high_n, hourly)}"
        )
    if band.p75 is not None and low_n > band.p75:
        problems.append(
            f"the whole range is over the 75th percentile ({_money(band.p75, hourly)}) by "
            f"{_money(low_n - band.p75, hourly)}"
        )
    if problems:
        yield finding(
            "pay.market",
            "warning",
            "compensation",
            f"compared with market pay for {where} ({what}): " + "; ".join(problems),
            "check the range with the practice: it may make the post hard to fill or cost more "
            "than "
            "the local market",
        )


RULES = (market,)


class MarketBand(TypedDict):
    """The market's middle half and median for a role where it is, a year (or an hour)."""

    band_p25: float | None
    band_median: float | None
    band_p75: float | None


def market_band(model: JobDescription) -> MarketBand:
    """The market band of ``model``'s role where it is (``band_for``), a
    year."""
    empty: MarketBand = {"band_p25": None, "band_median": None, "band_p75": None}
    found = band_for(model)
    if found is None:
        return empty
    band = found[0]
    if band.p25 is None or band.median is None or band.p75 is None:
        return empty
    # band_for: hourly for hourly pay, else yearly
    factor = 2080 if model.compensation.period == "HOUR" else 1
    return {
        "band_p25": band.p25 * factor,
        "band_median": band.median * factor,
        "band_p75": band.p75 * factor,
    }
