"""Pay transparency: the US laws that require a pay range (and sometimes benefits) in postings.

The laws are the rows of ``jdkit/data/pay_transparency.csv``. A law covers a practice when
its state matches (and, for a city law, ``practice.city`` is one of its listed names), it is
in force on the check date, and the headcount meets its threshold. An unknown headcount
counts as covered: the practice has to show it is under the threshold, not the reverse.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from ..data import table
from ..models import JobDescription, Practice
from . import Context, Finding, finding

__all__ = ["RULES", "Law", "laws", "applicable", "range_required", "benefits_required", "range_recommended",
           "laws_noted", "has_range", "has_benefits"]


@dataclass(frozen=True)
class Law:
    """One row of the pay-transparency table."""

    id: str
    name: str
    level: str
    state: str
    cities: frozenset[str]
    effective: dt.date
    min_employees: int
    benefits: bool
    law: str
    source: str

    def label(self) -> str:
        """The law as shown in messages: ``Colorado (C.R.S. 8-5-201 ...)``."""
        return f"{self.name} ({self.law})"


@functools.cache
def laws() -> tuple[Law, ...]:
    """Every row of jdkit/data/pay_transparency.csv as a ``Law``."""
    return tuple(
        Law(id=row["jurisdiction_id"], name=row["name"], level=row["level"], state=row["state"],
            cities=frozenset(c.strip() for c in row["cities"].split("|") if c.strip()),
            effective=dt.date.fromisoformat(row["effective"]), min_employees=int(row["min_employees"]),
            benefits=row["discloses_benefits"] == "yes", law=row["law"], source=row["source"])
        for row in table("pay_transparency")
    )


def _place_matches(law: Law, practice: Practice) -> bool:
    if law.state != practice.state:
        return False
    if law.level == "state":
        return True
    city = (practice.city or "").split(",")[0]  # "New York, NY" -> "New York"
    return " ".join(city.lower().replace(".", " ").split()) in law.cities


def applicable(practice: Practice, today: dt.date) -> tuple[list[Law], list[Law]]:
    """Return the laws covering ``practice`` on ``today``, and those covering it that are not yet in force."""
    in_force: list[Law] = []
    upcoming: list[Law] = []
    for law in laws():
        if not _place_matches(law, practice):
            continue
        if practice.employees is not None and practice.employees < law.min_employees:
            continue
        (in_force if law.effective <= today else upcoming).append(law)
    return in_force, upcoming


def has_range(model: JobDescription) -> bool:
    """True when both ends of the pay range are given."""
    return model.compensation.salary_min is not None and model.compensation.salary_max is not None


def has_benefits(model: JobDescription) -> bool:
    """True when the benefits section describes anything."""
    b = model.benefits
    return bool(b.health or b.pto or b.retirement or b.development or b.other)


def _range_field(model: JobDescription) -> str:
    pay = model.compensation
    if pay.salary_min is None and pay.salary_max is not None:
        return "compensation.salary_min"
    if pay.salary_max is None and pay.salary_min is not None:
        return "compensation.salary_max"
    return "compensation"


def _labels(found: list[Law]) -> str:
    return "; ".join(law.label() for law in found)


def range_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force covers the practice and the range is missing or open-ended."""
    in_force, _ = applicable(model.practice, ctx.today)
    if in_force and not has_range(model):
        what = "missing" if _range_field(model) == "compensation" else "open-ended"
        yield finding("pay.range-required", "error", _range_field(model),
                      f"the pay range is {what}, and a range is required in postings by {_labels(in_force)}",
                      "set both compensation.salary_min and compensation.salary_max (a good-faith range)")


def benefits_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force asks for a description of benefits and the benefits section is empty."""
    in_force, _ = applicable(model.practice, ctx.today)
    asking = [law for law in in_force if law.benefits]
    if asking and not has_benefits(model):
        yield finding("pay.benefits-required", "error", "benefits",
                      f"benefits are not described, and postings must describe them under {_labels(asking)}",
                      "fill in benefits: health, paid time off, retirement and any other compensation")


def range_recommended(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: no law requires it here, but a missing or open-ended range is still poor practice."""
    in_force, _ = applicable(model.practice, ctx.today)
    if not in_force and not has_range(model):
        yield finding("pay.range-recommended", "warning", _range_field(model),
                      "the pay range is missing or open-ended; no pay-transparency law requires it here, "
                      "but candidates expect it", "set compensation.salary_min and compensation.salary_max")


def laws_noted(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: which laws apply, and which will apply and from when."""
    in_force, upcoming = applicable(model.practice, ctx.today)
    unknown = " (practice.employees is not set, so the practice is assumed covered)" \
        if model.practice.employees is None else ""
    for law in in_force:
        asks = "a pay range and a description of benefits" if law.benefits else "a pay range"
        yield finding("pay.law-applies", "info", "compensation",
                      f"{law.label()} requires {asks} in postings since {law.effective}{unknown}",
                      "keep the range a good-faith estimate of what the practice will pay")
    for law in upcoming:
        yield finding("pay.law-upcoming", "info", "compensation",
                      f"{law.label()} will require a pay range in postings from {law.effective}{unknown}",
                      "prepare a good-faith range before that date")


RULES = (range_required, benefits_required, range_recommended, laws_noted)
