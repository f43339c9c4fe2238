"""``jdkit market``: a role's market band where a practice is, as text, JSON or CSV. Pure: text out.

The published OEWS figures come first, then jdkit's Offices-of-Physicians estimate, each
labelled; a withheld figure is shown as withheld with its BLS mark, never as 0.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from .market import (
    FOOTNOTES,
    PERCENTILES,
    MarketError,
    MarketPay,
    known_socs,
    market_pay,
    physicians_office_estimate,
    soc_for_role,
)

__all__ = ["lookup", "to_dict", "format_text", "format_json", "format_csv", "suggestion"]


def lookup(
    role_or_soc: str, state: str, city: str | None = None, metro: str | None = None
) -> list[MarketPay]:
    """The published band and the estimate for a library role id or an SOC code; ``MarketError``
    otherwise."""
    from . import roles

    key = role_or_soc.strip()
    if key in roles.ids():
        soc = soc_for_role(key)
    elif re.fullmatch(r"\d\d-?\d{4}(\.\d\d)?", key):
        soc = key
    else:
        import difflib

        near = difflib.get_close_matches(key, [*roles.ids(), *known_socs()], n=2, cutoff=0.5)
        raise MarketError(
            f"{key!r} is neither a role id nor an SOC code",
            field="role",
            hint=(f"did you mean {' or '.join(near)}? " if near else "")
            + f"roles: {', '.join(roles.ids())}; SOC codes: {', '.join(known_socs())}",
        )
    published = market_pay(soc, state, city, metro=metro)
    return [published, physicians_office_estimate(published)]


def _figure(pay: MarketPay, kind: str, p: str) -> float | str | None:
    value: float | None = getattr(getattr(pay, kind), p)
    if value is not None:
        return value
    mark = pay.footnote(f"{kind}_{p}")
    return f"withheld ({mark})" if mark else None


def to_dict(pay: MarketPay) -> dict[str, Any]:
    """One band as plain data (withheld figures as ``"withheld (*)"``)."""
    return {
        "soc": pay.soc,
        "occupation": pay.occupation,
        "area": pay.area_name,
        "area_code": pay.area_code,
        "area_type": pay.area_type,
        "level": pay.level,
        "note": pay.note,
        "industry": pay.industry,
        "estimate": pay.estimate,
        "employment": pay.employment,
        "hourly": {p: _figure(pay, "hourly", p) for p in PERCENTILES},
        "annual": {p: _figure(pay, "annual", p) for p in PERCENTILES},
        "release": pay.release,
        "published": pay.published,
        "source": pay.source,
    }


def _cell(value: float | str | None, *, cents: bool) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    return f"${value:,.2f}" if cents else f"${value:,.0f}"


def format_text(bands: list[MarketPay]) -> str:
    """The bands as a table for a terminal, with the area used, employment, the release and the
    source."""
    first = bands[0]
    lines = [
        f"{first.occupation} (SOC {first.soc}): {first.area_name} ({first.level})",
        f"  {first.note}",
    ]
    for pay in bands:
        title = (
            "Offices of Physicians, estimated by jdkit from the national ratio"
            if pay.estimate
            else f"all industries, employment {pay.employment:,}"
            if pay.employment
            else "all industries, employment withheld (**)"
        )
        lines.append(f"  {title}:")
        lines.append("    " + " " * 7 + "".join(f"{p:>12}" for p in PERCENTILES))
        for kind, cents in (("hourly", True), ("annual", False)):
            cells = "".join(f"{_cell(_figure(pay, kind, p), cents=cents):>12}" for p in PERCENTILES)
            lines.append(f"    {kind:<7}{cells}")
    marks = {mark for pay in bands for _, mark in pay.footnotes}
    lines += [f"  {mark} {FOOTNOTES[mark]}" for mark in sorted(marks) if mark in FOOTNOTES]
    lines.append(first.source)
    return "\n".join(lines) + "\n"


def format_json(bands: list[MarketPay]) -> str:
    """The bands as a JSON list."""
    return json.dumps([to_dict(pay) for pay in bands], indent=2) + "\n"


def format_csv(bands: list[MarketPay]) -> str:
    """One CSV row per band and period: area, level, kind, the five percentiles, source.

    Text cells go through ``jdkit.csvsafe``, as in every CSV jdkit writes."""
    from . import csvsafe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "soc",
            "occupation",
            "area",
            "area_code",
            "level",
            "figures",
            "period",
            *PERCENTILES,
            "employment",
            "release",
            "note",
            "source",
        ]
    )
    for pay in bands:
        for kind in ("hourly", "annual"):
            writer.writerow(
                csvsafe.row(
                    [
                        pay.soc,
                        pay.occupation,
                        pay.area_name,
                        pay.area_code,
                        pay.level,
                        "estimate-621100" if pay.estimate else "published",
                        kind,
                        *(
                            _figure(pay, kind, p) if _figure(pay, kind, p) is not None else ""
                            for p in PERCENTILES
                        ),
                        pay.employment if pay.employment is not None else "",
                        pay.release,
                        pay.note,
                        pay.source,
                    ]
                )
            )
    return out.getvalue()


def suggestion(
    role_id: str, state: str, city: str | None, period: str, *, at_least: float = 0
) -> str | None:
    """A rounded p25-p75 suggestion from the Offices-of-Physicians estimate, for a starter file's
    comment.

    ``at_least`` is the legal floor in the same period (minimum wage or exempt salary level):
    a suggestion never starts below it.
    """
    try:
        published, estimate = lookup(role_id, state, city)
    except MarketError:
        return None
    kind, step = ("hourly", 0.5) if period == "HOUR" else ("annual", 1000)
    band = getattr(estimate, kind)
    if band.p25 is None or band.p75 is None:
        band = getattr(published, kind)
    if band.p25 is None or band.p75 is None:
        return None
    low, high = round(band.p25 / step) * step, round(band.p75 / step) * step
    floor_note = ""
    if low < at_least:
        low = -(-at_least // step) * step  # the floor, rounded up to the step
        floor_note = " (its lower end raised to the legal minimum)"
    high = max(high, low)

    def money(value: float) -> str:
        return f"${value:,.2f}" if kind == "hourly" else f"${value:,.0f}"

    return (
        "Market reference, not the practice's pay: the middle half (p25 to p75) of "
        f"{estimate.occupation} pay in {estimate.area_name}, estimated for offices of physicians, "
        f"is about {money(low)} to {money(high)} {'an hour' if kind == 'hourly' else 'a year'}"
        f"{floor_note} ({published.source}). "
        "Set the practice's own range below."
    )
