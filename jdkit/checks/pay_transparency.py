"""Pay transparency: the US laws that require a pay range (and sometimes more) in postings.

The laws are the rows of ``jdkit/data/pay_transparency.csv`` (read by ``jdkit.paylaws``). A
law covers a practice when its state matches (and, for a city law, ``practice.city`` is one of
its listed names), it is in force on the check date, and the headcount meets its threshold,
counted as the law counts it (in total, in the state or in the city). An unknown headcount
counts as covered: the practice has to show it is under the threshold, not the reverse. Only a
range the practice set itself counts (``jdkit.origins``): a role never supplies pay.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..models import JobDescription
from ..origins import origins, practice_pay
from ..paylaws import (  # the table itself, also read by the posting: re-exported here
    COUNTS as COUNTS,
    Law as Law,
    applicable as applicable,
    has_benefits as has_benefits,
    has_range as has_range,
    headcount as headcount,
    laws as laws,
)
from .base import Context, Finding, finding
from .market_pay import RULES as MARKET_RULES
from .minimum_wage import RULES as WAGE_RULES

__all__ = [
    "RULES",
    "Law",
    "laws",
    "applicable",
    "has_range",
    "has_benefits",
    "headcount",
    "not_set",
    "range_required",
    "benefits_required",
    "deadline_required",
    "range_recommended",
    "laws_noted",
    "library_terms",
]


def _labels(found: list[Law]) -> str:
    return "; ".join(law.label() for law in found)


def _split(found: list[Law], today: dt.date) -> tuple[list[Law], list[Law]]:
    """The laws enforced on ``today``, and those in effect but enforced only later."""
    return [law for law in found if law.enforced(today)], [
        law for law in found if not law.enforced(today)
    ]


def not_set(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """The practice has set no pay figure: an error where a range law
    is enforced, else a warning."""
    if any(value is not None for value in practice_pay(model)):
        return
    enforced, later = _split(applicable(model.practice, ctx.today, ctx.tables)[0], ctx.today)
    fix = (
        "set compensation.salary_min and compensation.salary_max to the practice's own good-faith "
        "range "
        "(the role library holds no pay)"
    )
    if enforced:
        yield finding(
            "pay.not-set",
            "error",
            "compensation",
            f"the practice has set no pay range, and {_labels(enforced)} requires one in postings",
            fix,
        )
    elif later:
        when = min(law.enforced_from for law in later if law.enforced_from)
        yield finding(
            "pay.not-set",
            "warning",
            "compensation",
            f"the practice has set no pay range; {_labels(later)} requires one, enforced from "
            f"{when.isoformat()}",
            fix,
        )
    else:
        yield finding(
            "pay.not-set",
            "warning",
            "compensation",
            "the practice has set no pay range; no pay-transparency law requires one here, but "
            "candidates expect it and the document says it is still to be set",
            fix,
        )


def _open_end(model: JobDescription) -> str | None:
    low, high = practice_pay(model)
    if (low is None) == (high is None):
        return None
    return "compensation.salary_max" if high is None else "compensation.salary_min"


def range_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force covers the practice and the range is open-ended (one end set)."""
    field = _open_end(model)
    in_force = applicable(model.practice, ctx.today, ctx.tables)[0]
    if field and in_force:
        enforced, later = _split(in_force, ctx.today)
        yield finding(
            "pay.range-required",
            "error" if enforced else "warning",
            field,
            f"the pay range is open-ended, and a range with both ends is required in postings by "
            f"{_labels(enforced or later)}"
            + ("" if enforced else f" (enforced from {later[0].enforced_from})"),
            f"set {field} too (a good-faith range)",
        )


def range_recommended(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: no law requires it here, but an open-ended range is still poor practice."""
    field = _open_end(model)
    if field and not applicable(model.practice, ctx.today, ctx.tables)[0]:
        yield finding(
            "pay.range-recommended",
            "warning",
            field,
            "the pay range is open-ended; no pay-transparency law requires a range here, "
            "but candidates expect both ends",
            f"set {field} too",
        )


def benefits_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force asks for a description of benefits and
    the benefits section is empty."""
    asking = [
        law
        for law in applicable(model.practice, ctx.today, ctx.tables)[0]
        if law.benefits and law.enforced(ctx.today)
    ]
    if asking and not has_benefits(model):
        yield finding(
            "pay.benefits-required",
            "error",
            "benefits",
            f"benefits are not described, and postings must describe them under {_labels(asking)}",
            "fill in benefits: health, paid time off, retirement and any other compensation",
        )


def deadline_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force asks the posting to state when applications close, and none is set."""
    asking = [
        law
        for law in applicable(model.practice, ctx.today, ctx.tables)[0]
        if law.deadline and law.enforced(ctx.today)
    ]
    if asking and model.position.valid_through is None:
        yield finding(
            "pay.deadline-required",
            "error",
            "position.valid_through",
            f"the posting does not say when applications close, which {_labels(asking)} requires",
            "set position.valid_through to the date the application window is expected to close",
        )


def laws_noted(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: which laws apply, and which will apply and from when, and
    how the headcount was read."""
    in_force, upcoming = applicable(model.practice, ctx.today, ctx.tables)
    unknown = (
        " (practice.employees is not set, so the practice is assumed covered)"
        if model.practice.employees is None
        else ""
    )
    for law in in_force:
        parts = [
            part
            for part, wanted in (
                ("a pay range", True),
                ("a description of benefits", law.benefits),
                ("the date applications close", law.deadline),
            )
            if wanted
        ]
        asks = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        since = f"since {law.effective}" + (
            "" if law.enforced(ctx.today) else f", enforced from {law.enforced_from}"
        )
        yield finding(
            "pay.law-applies",
            "info",
            "compensation",
            f"{law.label()} requires {asks} in postings {since}{unknown}",
            "keep the range a good-faith estimate of what the practice will pay",
        )
    for law in upcoming:
        yield finding(
            "pay.law-upcoming",
            "info",
            "compensation",
            f"{law.label()} will require a pay range in postings from {law.effective}{unknown}",
            "prepare a good-faith range before that date",
        )
    for law in [*in_force, *upcoming]:
        _, note = headcount(law, model.practice)
        if note:
            yield finding(
                "pay.headcount-basis",
                "info",
                f"practice.employees_in_{law.counts}",
                note,
                f"set practice.employees_in_{law.counts} if fewer of the practice's employees work "
                "there",
            )


_FIGURE = re.compile(r"\d")


def library_terms(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: bonus terms with figures that are the role library's example, not the practice's."""
    bonus = model.compensation.bonus
    if bonus and _FIGURE.search(bonus) and origins(model).of("compensation.bonus") == "role":
        yield finding(
            "pay.library-terms",
            "warning",
            "compensation.bonus",
            "the bonus terms (with their amounts) are the role library's example, not the "
            "practice's",
            "set compensation.bonus to the practice's own terms, or to null to leave bonuses out",
        )


RULES = (
    not_set,
    range_required,
    benefits_required,
    deadline_required,
    range_recommended,
    laws_noted,
    library_terms,
    *WAGE_RULES,
    *MARKET_RULES,
)
