"""Minimum wage: a non-exempt position's lowest pay against the minimum where the practice is.

The minimums are the rows of ``jdkit/data/minimum_wage.csv`` (``jdkit.wages``): federal,
state (or the state's region) and city, the highest in force on the check date counting.
Hourly pay is compared as it is; a full-time salary per day, week, month or year is
compared at 40 hours a week. Part of the ``pay`` family (``pay_transparency.RULES``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..models import JobDescription
from ..origins import practice_pay
from ..render import money
from ..wages import Floor, changes, floor, normalize_place, rows
from . import Context, Finding, finding

__all__ = ["RULES", "hourly_minimum", "minimum_wage", "minimum_wage_upcoming", "minimum_wage_basis",
           "HOURS", "describe"]

# Hours in a full-time day, week, month and year (40 a week, 52 weeks).
HOURS = {"HOUR": 1.0, "DAY": 8.0, "WEEK": 40.0, "MONTH": 2080 / 12, "YEAR": 2080.0}
HORIZON = dt.timedelta(days=366)  # how far ahead an announced increase is reported


def hourly_minimum(model: JobDescription) -> tuple[float | None, str]:
    """The practice's lowest pay as an hourly figure, and how it was converted (empty for hourly pay)."""
    low, _ = practice_pay(model)
    period = model.compensation.period
    if low is None or (period != "HOUR" and model.position.employment_type != "FULL_TIME"):
        return None, ""
    if period == "HOUR":
        return low, ""
    return low / HOURS[period], f" ({money(low, model.compensation.currency)} a {period.lower()} at 40 hours a week)"


def describe(level: Floor) -> str:
    """A level as messages show it: ``$19.29 an hour in Denver, CO from 2026-01-01 (source ...)``."""
    row = level.row
    cents = money(level.amount, cents=True)
    unconfirmed = "" if row.confirmed else "; this figure is not confirmed in a primary source, so check it"
    return f"{cents} an hour in {row.where()} from {row.effective} (source: {row.url}{unconfirmed})"


def _applies(model: JobDescription) -> bool:
    return model.position.flsa_status != "exempt"


def minimum_wage(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a non-exempt position's lowest pay is under the minimum wage in force."""
    pay, how = hourly_minimum(model)
    level = floor("minimum_wage", model.practice, ctx.today, tables=ctx.tables)
    if not _applies(model) or pay is None or level is None or round(pay, 2) >= level.amount:
        return
    yield finding("pay.minimum-wage", "error", "compensation.salary_min",
                  f"the lowest pay, {money(pay, cents=True)} an hour{how}, is under the minimum wage: "
                  f"{describe(level)}",
                  f"raise compensation.salary_min to at least {money(level.amount * HOURS[model.compensation.period], cents=True)}"
                  f" per {model.compensation.period.lower()}")


def minimum_wage_upcoming(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: an announced minimum wage, in force within a year (or the posting's window), is above the pay."""
    pay, how = hourly_minimum(model)
    if not _applies(model) or pay is None:
        return
    until = max(ctx.today + HORIZON, model.position.valid_through or ctx.today)
    now = floor("minimum_wage", model.practice, ctx.today, tables=ctx.tables)
    for level in changes("minimum_wage", model.practice, ctx.today, until, tables=ctx.tables):
        if round(pay, 2) < level.amount and (now is None or level.amount > now.amount):
            yield finding("pay.minimum-wage-upcoming", "warning", "compensation.salary_min",
                          f"the lowest pay, {money(pay, cents=True)} an hour{how}, will be under the minimum wage "
                          f"from {level.row.effective}: {describe(level)}",
                          f"raise compensation.salary_min to at least "
                          f"{money(level.amount * HOURS[model.compensation.period], cents=True)} before then")
            return


def minimum_wage_basis(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: which minimum wage applies, and any assumption made about the place or size."""
    if not _applies(model):
        return
    level = floor("minimum_wage", model.practice, ctx.today, tables=ctx.tables)
    if level is None:
        return
    notes = list(level.notes)
    city = normalize_place(model.practice.city)
    local = [r for r in rows("minimum_wage", ctx.tables) if r.level == "city" and r.state == model.practice.state]
    if city and local and not any(city in r.cities for r in local):
        notes.append(f"jdkit's table has no local minimum wage for {model.practice.city!r}, so the state's applies;"
                     " check whether the city or county sets its own")
    yield finding("pay.minimum-wage-basis", "info", "compensation",
                  f"the minimum wage that applies is {describe(level)}" + "".join(f"; {n}" for n in notes),
                  "keep non-exempt pay at or above it, and check for increases each January and July")


RULES = (minimum_wage, minimum_wage_upcoming, minimum_wage_basis)
