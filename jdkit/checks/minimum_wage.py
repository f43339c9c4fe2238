"""Minimum wage: a non-exempt position's lowest pay against the minimum where the practice is.

The minimums are the rows of ``jdkit/data/minimum_wage.csv`` (``jdkit.wages``): federal,
state (or the state's region) and city, the highest in force on the check date counting.
Hourly pay is compared as it is; a full-time salary per day, week, month or year is
compared at 40 hours a week. Where the law re-sets the minimum each year and the table has
no figure for the next re-set yet, pay just above it is a warning. Part of the ``pay`` family
(``pay_transparency.RULES``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..models import PERIODS_PER_YEAR, JobDescription
from ..origins import practice_pay
from ..wages import WINDOW, Floor, changes, close_to, due_changes, floor, normalize_place, rows
from ..wording import money
from .base import Context, Finding, finding

__all__ = [
    "RULES",
    "hourly_minimum",
    "minimum_wage",
    "minimum_wage_upcoming",
    "minimum_wage_unannounced",
    "minimum_wage_basis",
    "HOURS",
    "describe",
]

# Hours in a full-time day, week, month and year (40 a week, 52 weeks).
HOURS = {period: PERIODS_PER_YEAR["HOUR"] / count for period, count in PERIODS_PER_YEAR.items()}
HORIZON = dt.timedelta(days=366)  # how far ahead an announced increase is reported


def hourly_minimum(model: JobDescription) -> tuple[float | None, str]:
    """The practice's lowest pay as an hourly figure, and how it was
    converted (empty for hourly pay)."""
    low, _ = practice_pay(model)
    period = model.compensation.period
    if low is None or (period != "HOUR" and model.position.employment_type != "FULL_TIME"):
        return None, ""
    if period == "HOUR":
        return low, ""
    return low / HOURS[
        period
    ], f" ({money(low, model.compensation.currency)} a {period.lower()} at 40 hours a week)"


def describe(level: Floor) -> str:
    """A level as messages show it: ``$19.29 an hour in Denver, CO
    from 2026-01-01 (source ...)``."""
    row = level.row
    cents = money(level.amount, cents=True)
    unconfirmed = (
        "" if row.confirmed else "; this figure is not confirmed in a primary source, so check it"
    )
    return f"{cents} an hour in {row.where()} from {row.effective} (source: {row.url}{unconfirmed})"


def _applies(model: JobDescription) -> bool:
    return model.position.flsa_status != "exempt"


def minimum_wage(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a non-exempt position's lowest pay is under the minimum wage in force."""
    pay, how = hourly_minimum(model)
    level = floor("minimum_wage", model.practice, ctx.today, tables=ctx.tables)
    if not _applies(model) or pay is None or level is None or round(pay, 2) >= level.amount:
        return
    yield finding(
        "pay.minimum-wage",
        "error",
        "compensation.salary_min",
        f"the lowest pay, {money(pay, cents=True)} an hour{how}, is under the minimum wage: "
        f"{describe(level)}",
        f"raise compensation.salary_min to at least "
        f"{money(level.amount * HOURS[model.compensation.period], cents=True)} per "
        f"{model.compensation.period.lower()}",
    )


def minimum_wage_upcoming(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: an announced minimum wage, in force within a year (or the
    posting's window), is above the pay."""
    pay, how = hourly_minimum(model)
    if not _applies(model) or pay is None:
        return
    until = max(ctx.today + HORIZON, model.position.valid_through or ctx.today)
    now = floor("minimum_wage", model.practice, ctx.today, tables=ctx.tables)
    for level in changes("minimum_wage", model.practice, ctx.today, until, tables=ctx.tables):
        if round(pay, 2) < level.amount and (now is None or level.amount > now.amount):
            yield finding(
                "pay.minimum-wage-upcoming",
                "warning",
                "compensation.salary_min",
                f"the lowest pay, {money(pay, cents=True)} an hour{how}, will be under the minimum "
                "wage "
                f"from {level.row.effective}: {describe(level)}",
                f"raise compensation.salary_min to at least "
                f"{money(level.amount * HOURS[model.compensation.period], cents=True)} before then",
            )
            return


def minimum_wage_unannounced(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: pay within 10% of a minimum wage that its law re-sets within the posting's
    window (90 days, or to ``valid_through``), with no figure for the new rate in the table.

    10% (``jdkit.wages.MARGIN``) is the margin a yearly CPI re-set could overtake."""
    pay, how = hourly_minimum(model)
    if not _applies(model) or pay is None:
        return
    until = max(ctx.today + WINDOW, model.position.valid_through or ctx.today)
    due = close_to(
        pay, due_changes("minimum_wage", model.practice, ctx.today, until, tables=ctx.tables)
    )
    if due is None:
        return  # pay under the level in force is pay.minimum-wage's error
    row, now = due.row, money(due.row.amount, cents=True)
    missed = due.on <= ctx.today
    yield finding(
        "pay.minimum-wage-unannounced",
        "warning",
        "compensation.salary_min",
        f"{row.name} re-sets its minimum wage {row.resets()}; the rate from {due.on} is not in "
        f"jdkit's table{'' if missed else ' yet'}, and the lowest pay, {money(pay, cents=True)} "
        f"an hour{how}, is within 10% of "
        + (
            f"{now}, the latest rate jdkit has (from {row.effective})"
            if missed
            else f"today's {now}"
        ),
        f"confirm {row.name}'s rate from {due.on} (jdkit's source: {row.url}) and set "
        "compensation.salary_min at or above it; or give jdkit your own table with "
        "jdkit check --tables DIR",
    )


def minimum_wage_basis(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: which minimum wage applies, and any assumption made about the place or size."""
    if not _applies(model):
        return
    level = floor("minimum_wage", model.practice, ctx.today, tables=ctx.tables)
    if level is None:
        return
    notes = list(level.notes)
    city = normalize_place(model.practice.city)
    local = [
        r
        for r in rows("minimum_wage", ctx.tables)
        if r.level == "city" and r.state == model.practice.state
    ]
    if city and local and not any(city in r.cities for r in local):
        notes.append(
            f"jdkit's table has no local minimum wage for {model.practice.city!r}, so the state's "
            "applies;"
            " check whether the city or county sets its own"
        )
    yield finding(
        "pay.minimum-wage-basis",
        "info",
        "compensation",
        f"the minimum wage that applies is {describe(level)}" + "".join(f"; {n}" for n in notes),
        "keep non-exempt pay at or above it, and check for increases each January and July",
    )


# California's health care minimum wage covers physician groups of this many physicians or more
# (Lab. Code 1182.14); smaller groups are covered only as part of a health system or a clinic.
GROUP_PHYSICIANS = 25


def health_care_minimum_wage(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: pay under a health care minimum wage (California's SB
    525) that may cover the practice.

    Coverage depends on facts jdkit cannot see (the number of physicians, a health system,
    a licensed clinic), so this is a warning where ``practice.providers`` is 25 or more or
    unknown, and a note below that. Exempt staff of a covered facility must earn the greater
    of 150% of it or 200% of the state minimum wage, for 2,080 hours a year.
    """
    practice = model.practice
    level = floor("health_care_minimum_wage", practice, ctx.today, tables=ctx.tables)
    if level is None:
        return
    exempt = model.position.flsa_status == "exempt"
    if exempt:
        from .flsa import yearly

        pay, unit = yearly(model), "a year"
        state = floor(
            "minimum_wage", practice.model_copy(update={"city": None}), ctx.today, tables=ctx.tables
        )
        needed = max(1.5 * level.amount, 2 * (state.amount if state else 0)) * 2080
        shown = money(pay) if pay is not None else ""
        needed_text = (
            f"{money(needed, cents=True)} a year for exempt staff (the greater of 150% of it or "
            "200% of the state minimum wage)"
        )
    else:
        pay, how = hourly_minimum(model)
        unit, needed = "an hour", level.amount
        shown = f"{money(pay, cents=True)}{how}" if pay is not None else ""
        needed_text = f"{money(needed, cents=True)} an hour"
    if pay is None or round(pay, 2) >= round(needed, 2):
        return
    providers = practice.providers
    likely = providers is None or providers >= GROUP_PHYSICIANS
    basis = (
        "practice.providers is not set"
        if providers is None
        else f"practice.providers is {providers}"
    )
    check_it = "" if level.row.confirmed else "; not confirmed in the code text, so check it"
    yield finding(
        "pay.health-care-minimum-wage",
        "warning" if likely else "info",
        "compensation.salary_min",
        f"the lowest pay, {shown} {unit}, is under the {level.row.name}: {needed_text} from "
        f"{level.row.effective} (source: {level.row.url}{check_it}). It covers physician groups of "
        f"{GROUP_PHYSICIANS} or more physicians and practices that are part of a health system or "
        "run "
        f"as a licensed or urgent-care clinic; {basis}",
        "confirm whether the practice is a covered health care facility; if it is, raise "
        "compensation.salary_min",
    )


RULES = (
    minimum_wage,
    minimum_wage_upcoming,
    minimum_wage_unannounced,
    minimum_wage_basis,
    health_care_minimum_wage,
)
