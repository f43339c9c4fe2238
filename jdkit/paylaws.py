"""The US pay-transparency laws: the rows of ``jdkit/data/pay_transparency.csv``, and which
cover a practice on a day.

A law covers a practice when its state matches (and, for a city law, ``practice.city`` is one
of its listed names), it is in force on the day, and the headcount meets its threshold,
counted as the law counts it (in total, in the state or in the city). An unknown headcount
counts as covered. The rules (``jdkit.checks.pay_transparency``, which re-exports these) and
the job posting (``jdkit.document.posting``) both read this table, so it sits below both.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from .data import DataError, Tables, shipped
from .models import JobDescription, Practice
from .origins import practice_pay
from .wages import normalize_place

__all__ = ["COUNTS", "Law", "laws", "applicable", "headcount", "has_range", "has_benefits"]

COUNTS = ("total", "state", "city")


@dataclass(frozen=True)
class Law:
    """One row of the pay-transparency table."""

    id: str
    name: str
    level: str
    state: str
    cities: frozenset[str]
    effective: dt.date
    enforced_from: dt.date | None
    min_employees: int
    counts: str
    benefits: bool
    deadline: bool
    law: str
    confirmed: bool
    source: str

    def label(self) -> str:
        """The law as shown in messages: ``Colorado (C.R.S. 8-5-201 ...)``."""
        return f"{self.name} ({self.law})"

    def enforced(self, day: dt.date) -> bool:
        """True when the law is enforced on ``day`` (some take effect before enforcement starts)."""
        return self.enforced_from is None or self.enforced_from <= day


def _date(value: str, where: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(
            f"{column} {value!r} is not a date",
            file=where,
            field=column,
            hint="write it as YYYY-MM-DD",
        ) from None


def _law(row: dict[str, str], where: str) -> Law:
    counts = row.get("counts") or "total"
    if counts not in COUNTS:
        raise DataError(
            f"counts {counts!r} is not one of {', '.join(COUNTS)}",
            file=where,
            field="counts",
            hint="say how the law counts the headcount: total, state or city",
        )
    if not row.get("min_employees", "").isdigit():
        raise DataError(
            f"min_employees {row.get('min_employees')!r} is not a whole number",
            file=where,
            field="min_employees",
            hint="write the smallest headcount covered, 1 for any employer",
        )
    enforced = row.get("enforced_from") or ""
    return Law(
        id=row["jurisdiction_id"],
        name=row["name"],
        level=row["level"],
        state=row["state"],
        cities=frozenset(normalize_place(c) for c in row["cities"].split("|") if c.strip()),
        effective=_date(row["effective"], where, "effective"),
        enforced_from=_date(enforced, where, "enforced_from") if enforced else None,
        min_employees=int(row["min_employees"]),
        counts=counts,
        benefits=row["discloses_benefits"] == "yes",
        deadline=row.get("discloses_deadline") == "yes",
        law=row["law"],
        confirmed=row.get("confirmed", "yes") == "yes",
        source=row["source"],
    )


@functools.lru_cache(maxsize=8)
def laws(tables: Tables | None = None) -> tuple[Law, ...]:
    """Every row of pay_transparency.csv as a ``Law`` (validated; a bad row is a ``DataError``)."""
    source = tables or shipped()
    path = source.path("pay_transparency")
    return tuple(
        _law(row, f"{path}, row {index + 2}")
        for index, row in enumerate(source.rows("pay_transparency"))
    )


def _place_matches(law: Law, practice: Practice) -> bool:
    if law.state != practice.state:
        return False
    return law.level == "state" or normalize_place(practice.city) in law.cities


def headcount(law: Law, practice: Practice) -> tuple[int | None, str | None]:
    """The headcount ``law`` compares, and a note when the total stands in for a local count."""
    local = {"state": practice.employees_in_state, "city": practice.employees_in_city}.get(
        law.counts
    )
    if law.counts == "total" or local is not None:
        return (practice.employees if law.counts == "total" else local), None
    where = "in the state" if law.counts == "state" else "in the city"
    field = f"practice.employees_in_{law.counts}"
    if practice.employees is None:
        return None, None
    return practice.employees, (
        f"{law.name} counts employees {where}; {field} is not set, so the total "
        f"headcount ({practice.employees}) is used"
    )


def applicable(
    practice: Practice, today: dt.date, tables: Tables | None = None
) -> tuple[list[Law], list[Law]]:
    """Return the laws covering ``practice`` on ``today``, and those covering it that are not yet
    in force."""
    in_force: list[Law] = []
    upcoming: list[Law] = []
    for law in laws(tables):
        if not _place_matches(law, practice):
            continue
        count, _ = headcount(law, practice)
        if count is not None and count < law.min_employees:
            continue
        (in_force if law.effective <= today else upcoming).append(law)
    return in_force, upcoming


def has_range(model: JobDescription) -> bool:
    """True when the practice set both ends of the pay range."""
    low, high = practice_pay(model)
    return low is not None and high is not None


def has_benefits(model: JobDescription) -> bool:
    """True when the benefits section describes anything."""
    b = model.benefits
    return bool(b.health or b.pto or b.retirement or b.development or b.other)
