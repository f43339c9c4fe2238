"""Pay transparency: the US laws that require a pay range (and sometimes more) in postings.

The laws are the rows of ``jdkit/data/pay_transparency.csv``. A law covers a practice when
its state matches (and, for a city law, ``practice.city`` is one of its listed names), it is
in force on the check date, and the headcount meets its threshold, counted as the law counts
it (in total, in the state or in the city). An unknown headcount counts as covered: the
practice has to show it is under the threshold, not the reverse. Only a range the practice
set itself counts (``jdkit.origins``): a role never supplies pay.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..data import DataError, Tables, shipped
from ..models import JobDescription, Practice
from ..origins import origins, practice_pay
from ..wages import normalize_place
from . import Context, Finding, finding
from .market_pay import RULES as MARKET_RULES
from .minimum_wage import RULES as WAGE_RULES

__all__ = ["RULES", "Law", "laws", "applicable", "has_range", "has_benefits", "headcount", "not_set",
           "range_required", "benefits_required", "deadline_required", "range_recommended", "laws_noted",
           "library_terms"]

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
        raise DataError(f"{column} {value!r} is not a date", file=where, field=column,
                        hint="write it as YYYY-MM-DD") from None


def _law(row: dict[str, str], where: str) -> Law:
    counts = row.get("counts") or "total"
    if counts not in COUNTS:
        raise DataError(f"counts {counts!r} is not one of {', '.join(COUNTS)}", file=where, field="counts",
                        hint="say how the law counts the headcount: total, state or city")
    if not row.get("min_employees", "").isdigit():
        raise DataError(f"min_employees {row.get('min_employees')!r} is not a whole number", file=where,
                        field="min_employees", hint="write the smallest headcount covered, 1 for any employer")
    enforced = row.get("enforced_from") or ""
    return Law(id=row["jurisdiction_id"], name=row["name"], level=row["level"], state=row["state"],
               cities=frozenset(normalize_place(c) for c in row["cities"].split("|") if c.strip()),
               effective=_date(row["effective"], where, "effective"),
               enforced_from=_date(enforced, where, "enforced_from") if enforced else None,
               min_employees=int(row["min_employees"]), counts=counts,
               benefits=row["discloses_benefits"] == "yes", deadline=row.get("discloses_deadline") == "yes",
               law=row["law"], confirmed=row.get("confirmed", "yes") == "yes", source=row["source"])


@functools.lru_cache(maxsize=8)
def laws(tables: Tables | None = None) -> tuple[Law, ...]:
    """Every row of pay_transparency.csv as a ``Law`` (validated; a bad row is a ``DataError``)."""
    source = tables or shipped()
    path = source.path("pay_transparency")
    return tuple(_law(row, f"{path}, row {index + 2}") for index, row in enumerate(source.rows("pay_transparency")))


def _place_matches(law: Law, practice: Practice) -> bool:
    if law.state != practice.state:
        return False
    return law.level == "state" or normalize_place(practice.city) in law.cities


def headcount(law: Law, practice: Practice) -> tuple[int | None, str | None]:
    """The headcount ``law`` compares, and a note when the total stands in for a local count."""
    local = {"state": practice.employees_in_state, "city": practice.employees_in_city}.get(law.counts)
    if law.counts == "total" or local is not None:
        return (practice.employees if law.counts == "total" else local), None
    where = "in the state" if law.counts == "state" else "in the city"
    field = f"practice.employees_in_{law.counts}"
    if practice.employees is None:
        return None, None
    return practice.employees, (f"{law.name} counts employees {where}; {field} is not set, so the total "
                                f"headcount ({practice.employees}) is used")


def applicable(practice: Practice, today: dt.date, tables: Tables | None = None) -> tuple[list[Law], list[Law]]:
    """Return the laws covering ``practice`` on ``today``, and those covering it that are not yet in force."""
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


def _labels(found: list[Law]) -> str:
    return "; ".join(law.label() for law in found)


def _split(found: list[Law], today: dt.date) -> tuple[list[Law], list[Law]]:
    """The laws enforced on ``today``, and those in effect but enforced only later."""
    return [law for law in found if law.enforced(today)], [law for law in found if not law.enforced(today)]


def not_set(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """The practice has set no pay figure: an error where a range law is enforced, else a warning."""
    if any(value is not None for value in practice_pay(model)):
        return
    enforced, later = _split(applicable(model.practice, ctx.today, ctx.tables)[0], ctx.today)
    fix = ("set compensation.salary_min and compensation.salary_max to the practice's own good-faith range "
           "(the role library holds no pay)")
    if enforced:
        yield finding("pay.not-set", "error", "compensation",
                      f"the practice has set no pay range, and {_labels(enforced)} requires one in postings", fix)
    elif later:
        when = min(law.enforced_from for law in later if law.enforced_from)
        yield finding("pay.not-set", "warning", "compensation",
                      f"the practice has set no pay range; {_labels(later)} requires one, enforced from "
                      f"{when.isoformat()}", fix)
    else:
        yield finding("pay.not-set", "warning", "compensation",
                      "the practice has set no pay range; no pay-transparency law requires one here, but "
                      "candidates expect it and the document says it is still to be set", fix)


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
        yield finding("pay.range-required", "error" if enforced else "warning", field,
                      f"the pay range is open-ended, and a range with both ends is required in postings by "
                      f"{_labels(enforced or later)}"
                      + ("" if enforced else f" (enforced from {later[0].enforced_from})"),
                      f"set {field} too (a good-faith range)")


def range_recommended(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: no law requires it here, but an open-ended range is still poor practice."""
    field = _open_end(model)
    if field and not applicable(model.practice, ctx.today, ctx.tables)[0]:
        yield finding("pay.range-recommended", "warning", field,
                      "the pay range is open-ended; no pay-transparency law requires a range here, "
                      "but candidates expect both ends", f"set {field} too")


def benefits_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force asks for a description of benefits and the benefits section is empty."""
    asking = [law for law in applicable(model.practice, ctx.today, ctx.tables)[0]
              if law.benefits and law.enforced(ctx.today)]
    if asking and not has_benefits(model):
        yield finding("pay.benefits-required", "error", "benefits",
                      f"benefits are not described, and postings must describe them under {_labels(asking)}",
                      "fill in benefits: health, paid time off, retirement and any other compensation")


def deadline_required(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Error: a law in force asks the posting to state when applications close, and none is set."""
    asking = [law for law in applicable(model.practice, ctx.today, ctx.tables)[0]
              if law.deadline and law.enforced(ctx.today)]
    if asking and model.position.valid_through is None:
        yield finding("pay.deadline-required", "error", "position.valid_through",
                      f"the posting does not say when applications close, which {_labels(asking)} requires",
                      "set position.valid_through to the date the application window is expected to close")


def laws_noted(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Info: which laws apply, and which will apply and from when, and how the headcount was read."""
    in_force, upcoming = applicable(model.practice, ctx.today, ctx.tables)
    unknown = " (practice.employees is not set, so the practice is assumed covered)" \
        if model.practice.employees is None else ""
    for law in in_force:
        parts = [part for part, wanted in (("a pay range", True), ("a description of benefits", law.benefits),
                                           ("the date applications close", law.deadline)) if wanted]
        asks = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        since = f"since {law.effective}" + ("" if law.enforced(ctx.today) else f", enforced from {law.enforced_from}")
        yield finding("pay.law-applies", "info", "compensation",
                      f"{law.label()} requires {asks} in postings {since}{unknown}",
                      "keep the range a good-faith estimate of what the practice will pay")
    for law in upcoming:
        yield finding("pay.law-upcoming", "info", "compensation",
                      f"{law.label()} will require a pay range in postings from {law.effective}{unknown}",
                      "prepare a good-faith range before that date")
    for law in [*in_force, *upcoming]:
        _, note = headcount(law, model.practice)
        if note:
            yield finding("pay.headcount-basis", "info", f"practice.employees_in_{law.counts}", note,
                          f"set practice.employees_in_{law.counts} if fewer of the practice's employees work there")


_FIGURE = re.compile(r"\d")


def library_terms(model: JobDescription, ctx: Context) -> Iterator[Finding]:
    """Warning: bonus terms with figures that are the role library's example, not the practice's."""
    bonus = model.compensation.bonus
    if bonus and _FIGURE.search(bonus) and origins(model).of("compensation.bonus") == "role":
        yield finding("pay.library-terms", "warning", "compensation.bonus",
                      "the bonus terms (with their amounts) are the role library's example, not the practice's",
                      "set compensation.bonus to the practice's own terms, or to null to leave bonuses out")


RULES = (not_set, range_required, benefits_required, deadline_required, range_recommended, laws_noted,
         library_terms, *WAGE_RULES, *MARKET_RULES)
