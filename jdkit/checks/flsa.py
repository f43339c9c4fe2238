"""FLSA classification: an exempt position's salary basis and level, and
overtime terms that fit the status.

An exempt (white-collar) position must be paid a salary, not by the hour or day (the
salary-basis test, 29 CFR 541.602), of at least the level in force where the practice is:
the federal level, or the state's where higher (``jdkit/data/exempt_salary.csv`` through
``jdkit.wages``), with a warning where the state re-sets it each year and the table has no
figure for the next re-set yet. The duties test cannot be automated: an info finding says
what the consultant must confirm.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..models import JobDescription
from ..origins import practice_pay
from ..wages import WINDOW, Floor, changes, close_to, due_changes, floor
from ..wording import money
from .base import Context, Finding, finding

__all__ = [
    "RULES",
    "salary_basis",
    "salary_level",
    "salary_level_upcoming",
    "salary_level_unannounced",
    "overtime_text",
    "duties_test",
    "comp_time",
    "yearly",
    "describe",
]

HORIZON = dt.timedelta(days=366)
_PER_YEAR = {"WEEK": 52.0, "MONTH": 12.0, "YEAR": 1.0}

# Overtime wording that contradicts the status: pay for overtime on an exempt position (an
# hourly promise that undercuts the salary basis), or "no overtime" on a non-exempt one.
_PAYS_OVERTIME = re.compile(
    r"\b(time and a half|1\.5 times|one and a half times|overtime (is|will be) paid|"
    r"all overtime worked is paid|paid at .{0,30}regular rate)",
    re.IGNORECASE,
)
_NO_OVERTIME = re.compile(
    r"\b(no overtime|not eligible for overtime|overtime is not paid|without overtime)",
    re.IGNORECASE,
)

# What the duties test asks beyond the federal rule, where a state asks more (the executive
# exemption; see each source).
DUTIES = {
    "CA": "in California the employee must also spend more than half of the working time on "
    "exempt duties (IWC Wage Order 4-2001, section 1(A); Cal. Lab. Code 515(a))",
}


def _exempt(model: JobDescription) -> bool:
    return model.position.flsa_status == "exempt"


def yearly(model: JobDescription) -> float | None:
    """The practice's lowest salary as a yearly figure, where its period
    allows one (week, month, year)."""
    low, _ = practice_pay(model)
    period = model.compensation.period
    return low * _PER_YEAR[period] if low is not None and period in _PER_YEAR else None


def describe(level: Floor) -> str:
    """A salary level as messages show it, with the row's place, date and source."""
    row = level.row
    weekly = f" ({money(row.weekly, cents=True)} a week)" if row.weekly else ""
    unconfirmed = (
        "" if row.confirmed else "; this figure is not confirmed in a primary source, so check it"
    )
    return (
        f"{money(level.amount, cents=True)} a year{weekly} in {row.where()} from {row.effective} "
        f"(source: {row.url}{unconfirmed})"
    )


def _level(model: JobDescription, day: dt.date, ctx: Context) -> Floor | None:
    return floor(
        "exempt_salary", model.practice, day, exemption=model.position.exemption, tables=ctx.tables
    )


def salary_basis(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: an exempt position paid by the hour or by the day fails the salary-basis test."""
    period = model.compensation.period
    if _exempt(model) and period in ("HOUR", "DAY"):
        yield finding(
            "flsa.salary-basis",
            "error",
            "compensation.period",
            f"the position is exempt but paid per {period.lower()}; an exempt employee must be "
            "paid a "
            "salary each pay period that does not depend on the hours or days worked (29 CFR "
            "541.602)",
            "pay a weekly, monthly or yearly salary (compensation.period: YEAR), or set "
            "position.flsa_status: non-exempt and pay overtime",
        )


def salary_level(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: an exempt salary under the level in force; info with the
    level when no salary is set."""
    if not _exempt(model):
        return
    level = _level(model, ctx.today, ctx)
    if level is None:
        return
    salary = yearly(model)
    if salary is None:
        if model.compensation.period in _PER_YEAR:
            yield finding(
                "flsa.salary-level",
                "info",
                "compensation.salary_min",
                f"an exempt salary must be at least {describe(level)}",
                "set compensation.salary_min at or above that level",
            )
        return
    if round(salary, 2) >= level.amount:
        if level.notes:
            yield finding(
                "flsa.salary-level",
                "info",
                "compensation.salary_min",
                f"the salary meets the exempt level, {describe(level)}; " + "; ".join(level.notes),
                "confirm the level for the practice's place and date",
            )
        return
    if round(salary, 2) < level.amount:
        yield finding(
            "flsa.salary-level",
            "error",
            "compensation.salary_min",
            f"the lowest salary, {money(salary)} a year, is under the exempt salary level: "
            f"{describe(level)}" + "".join(f"; {note}" for note in level.notes),
            f"raise compensation.salary_min to at least "
            f"{money(level.amount / _PER_YEAR[model.compensation.period], cents=True)} per "
            f"{model.compensation.period.lower()}, or classify the position as non-exempt",
        )


def salary_level_upcoming(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: an announced exempt level, in force within a year (or the posting's
    window), is above the salary."""
    salary = yearly(model)
    if not _exempt(model) or salary is None:
        return
    until = max(ctx.today + HORIZON, model.position.valid_through or ctx.today)
    for level in changes(
        "exempt_salary",
        model.practice,
        ctx.today,
        until,
        exemption=model.position.exemption,
        tables=ctx.tables,
    ):
        if round(salary, 2) < level.amount:
            yield finding(
                "flsa.salary-level-upcoming",
                "warning",
                "compensation.salary_min",
                f"the lowest salary, {money(salary)} a year, will be under the exempt salary level "
                "from "
                f"{level.row.effective}: {describe(level)}",
                "raise compensation.salary_min before then, or classify the position as non-exempt",
            )
            return


def salary_level_unannounced(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: a salary within 10% of a state level that its law re-sets within the posting's
    window (90 days, or to ``valid_through``), with no figure for the new level in the table."""
    salary = yearly(model)
    if not _exempt(model) or salary is None:
        return
    until = max(ctx.today + WINDOW, model.position.valid_through or ctx.today)
    found = due_changes(
        "exempt_salary",
        model.practice,
        ctx.today,
        until,
        exemption=model.position.exemption,
        tables=ctx.tables,
    )
    due = close_to(salary, found)  # under the level in force is flsa.salary-level's error
    if due is None:
        return
    row, now = due.row, money(due.row.amount, cents=True)
    missed = due.on <= ctx.today
    yield finding(
        "flsa.salary-level-unannounced",
        "warning",
        "compensation.salary_min",
        f"{row.name} re-sets its exempt salary level {row.resets()}; the level from {due.on} is "
        f"not in jdkit's table{'' if missed else ' yet'}, and the lowest salary, "
        f"{money(salary)} a year, is within 10% of "
        + (
            f"{now} a year, the latest level jdkit has (from {row.effective})"
            if missed
            else f"today's {now} a year"
        ),
        f"confirm {row.name}'s level from {due.on} (jdkit's source: {row.url}) and set "
        "compensation.salary_min at or above it, or classify the position as non-exempt; or "
        "give jdkit your own table with jdkit check --tables DIR",
    )


def overtime_text(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: overtime terms that contradict the FLSA status."""
    text = model.compensation.overtime or ""
    status = model.position.flsa_status
    if status == "exempt" and _PAYS_OVERTIME.search(text) and not _NO_OVERTIME.search(text):
        yield finding(
            "flsa.overtime-text",
            "warning",
            "compensation.overtime",
            "the position is exempt, but the overtime terms promise overtime pay",
            "state that the position is salaried and exempt, or set position.flsa_status: "
            "non-exempt",
        )
    elif status == "non-exempt" and _NO_OVERTIME.search(text):
        yield finding(
            "flsa.overtime-text",
            "warning",
            "compensation.overtime",
            "the position is non-exempt, but the overtime terms say no overtime is paid; hours "
            "over 40 "
            "in a workweek must be paid at one and a half times the regular rate (29 U.S.C. 207)",
            "rewrite compensation.overtime to say how overtime is approved and paid",
        )


def duties_test(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: the duties test of the exemption, which the consultant must confirm."""
    if not _exempt(model):
        return
    kind = model.position.exemption or "white-collar"
    extra = DUTIES.get(model.practice.state)
    yield finding(
        "flsa.duties-test",
        "info",
        "position.flsa_status",
        f"the {kind} exemption also needs the duties test, which jdkit cannot check: confirm that "
        "the "
        "position's primary duty is the exempt work its responsibilities describe (29 CFR part 541)"
        + (f"; {extra}" if extra else ""),
        "confirm the duties with the practice; routine clerical or hands-on tasks that take most "
        "of "
        "the week point to non-exempt",
    )


_COMP_TIME = re.compile(r"\b(?:comp(?:ensatory)?\s+time|time\s+off\s+in\s+lieu)\b", re.I)


def comp_time(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """No compensatory time off: a private employer pays overtime in money (29 U.S.C.
    207(o) is for public agencies).

    Error for a non-exempt position (time off instead of overtime pay is unlawful there);
    warning for an exempt one, whose salary does not depend on hours and so earns no time back.
    """
    texts = [
        ("compensation.overtime", model.compensation.overtime),
        ("compensation.bonus", model.compensation.bonus),
        ("benefits.pto.accrual", model.benefits.pto.accrual if model.benefits.pto else None),
        (
            "benefits.pto.restrictions",
            model.benefits.pto.restrictions if model.benefits.pto else None,
        ),
    ]
    for field, text in texts:
        if not text or not _COMP_TIME.search(text):
            continue
        if model.position.flsa_status == "non-exempt":
            yield finding(
                "flsa.comp-time",
                "error",
                field,
                "the text offers compensatory time off; a private employer must pay overtime in "
                "money, "
                "at one and a half times the regular rate (comp time is for public agencies only, "
                "29 U.S.C. 207(o))",
                "remove the compensatory time and say how overtime is paid",
            )
        elif model.position.flsa_status == "exempt":
            yield finding(
                "flsa.comp-time",
                "warning",
                field,
                "an exempt position's text offers compensatory time off, which ties pay to hours "
                "worked",
                "remove the compensatory time; describe paid time off in benefits.pto instead",
            )


RULES = (
    salary_basis,
    salary_level,
    salary_level_upcoming,
    salary_level_unannounced,
    overtime_text,
    duties_test,
    comp_time,
)
