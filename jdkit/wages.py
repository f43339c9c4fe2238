"""Wage floors by place and date: the minimum wage, and the salary level of the FLSA exemptions.

The figures are the rows of ``jdkit/data/minimum_wage.csv`` and ``exempt_salary.csv`` (each
with its source). A practice is subject to the federal row, its state's row (or the state's
region that holds its county or city, as New York and Oregon set them) and its city's row;
the highest level in force on the day counts, as the strictest law wins. A row's ``adjusts``
names the month and day its law re-sets the level each year by a formula; ``due_changes``
lists the re-sets the table has no figure for yet. Pure: no I/O beyond reading the tables
through ``jdkit.data``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .data import DataError, Tables, shipped
from .models import Practice

__all__ = [
    "WageRow",
    "Floor",
    "Due",
    "rows",
    "floor",
    "changes",
    "due_changes",
    "close_to",
    "MARGIN",
    "WINDOW",
    "normalize_place",
    "EXEMPTIONS",
]

EXEMPTIONS = ("executive", "administrative", "professional")
_URL = re.compile(r"https?://\S+")
_LEVELS = ("federal", "state", "city")
# A yearly re-set by CPI moves a level a few percent (several laws cap it at 3.5% or 5%), so
# pay under 110% of a level due to re-set may be overtaken by the new one.
MARGIN = 1.10
WINDOW = dt.timedelta(days=90)  # at least this far ahead an unannounced re-set is reported
# MM-DD, or YYYY-MM-DD where the law's formula first applies in a later year (Florida: 2028).
_ADJUSTS = re.compile(r"(?:(\d{4})-)?(\d{2})-(\d{2})")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class WageRow:
    """One row of a wage table: a jurisdiction's level from its effective date."""

    id: str
    name: str
    level: str
    state: str
    region: str
    counties: frozenset[str]
    cities: frozenset[str]
    min_employees: int | None
    max_employees: int | None
    effective: dt.date
    amount: float  # hourly (minimum wage) or yearly (exempt salary)
    weekly: float | None
    exemptions: frozenset[str]
    confirmed: bool
    source: str
    adjusts: str | None = None  # MM-DD (or YYYY-MM-DD, the first) of the law's yearly re-set

    @property
    def regional(self) -> bool:
        """True for a state row that covers only some counties or cities (New York City ...)."""
        return self.level == "state" and bool(self.counties or self.cities)

    @property
    def url(self) -> str:
        """The first address in ``source``: the primary source, by the tables' rule."""
        found = _URL.search(self.source)
        return found.group(0).rstrip(".,;:)") if found else self.source[:80]

    def next_reset(self, after: dt.date) -> dt.date | None:
        """The first day after ``after`` on which the law re-sets the level; ``None`` if never."""
        if not self.adjusts:
            return None
        month, day = int(self.adjusts[-5:-3]), int(self.adjusts[-2:])
        if len(self.adjusts) == 10 and dt.date.fromisoformat(self.adjusts) > after:
            return dt.date.fromisoformat(self.adjusts)
        this_year = dt.date(after.year, month, day)
        return this_year if this_year > after else dt.date(after.year + 1, month, day)

    def resets(self) -> str:
        """When the law re-sets the level, in words: ``each January 1`` (``... from 2028``)."""
        if not self.adjusts:
            return ""
        month, day = int(self.adjusts[-5:-3]), int(self.adjusts[-2:])
        first = f" from {self.adjusts[:4]}" if len(self.adjusts) == 10 else ""
        return f"each {_MONTHS[month - 1]} {day}{first}"

    def where(self) -> str:
        """The jurisdiction as a reader names it: ``New York State (New York City, ...)``."""
        if self.level == "federal":
            return "the United States (federal law)"
        return f"{self.name} ({self.region})" if self.region else self.name


@dataclass(frozen=True)
class Floor:
    """The level in force for a practice on a day: the amount, the row that sets it, and notes."""

    amount: float
    row: WageRow
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Due:
    """A yearly re-set with no row in the table: the level in force (``row``) and the date."""

    row: WageRow
    on: dt.date


def normalize_place(text: str | None) -> str:
    """A place name as the tables list it: lower case, no dots, single spaces, no " county"."""
    words = " ".join((text or "").split(",")[0].lower().replace(".", " ").split())
    return words.removesuffix(" county")


def _number(value: str, where: str, column: str, *, positive: bool = True) -> float:
    try:
        number = float(value)
    except ValueError:
        raise DataError(
            f"{column} {value!r} is not a number",
            file=where,
            field=column,
            hint="write the amount as digits, e.g. 17.13, with no $ or commas",
        ) from None
    if positive and not 0 < number < 10_000_000:
        raise DataError(
            f"{column} {value!r} must be a positive amount",
            file=where,
            field=column,
            hint="a wage floor is above zero; remove the row if the law sets none",
        )
    return number


def _count(value: str, where: str, column: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise DataError(
            f"{column} {value!r} is not a whole number",
            file=where,
            field=column,
            hint="leave it empty, or write a headcount such as 15",
        )
    return int(value)


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _adjusts(value: str, where: str) -> str | None:
    if not value:
        return None  # no recurring re-set, or a user's table without the column
    found = _ADJUSTS.fullmatch(value)
    # 2001: the month and day must come every year (no February 29)
    if found is None or not _is_day(2001, int(found.group(2)), int(found.group(3))):
        raise DataError(
            f"adjusts {value!r} is not a month and day",
            file=where,
            field="adjusts",
            hint="write MM-DD (01-01 for each January 1), YYYY-MM-DD for a law whose yearly "
            "re-set starts in a later year, or leave it empty",
        )
    return value


def _places(text: str) -> frozenset[str]:
    return frozenset(normalize_place(part) for part in text.split("|") if part.strip())


def _parse(row: dict[str, str], where: str, kind: str) -> WageRow:
    for column in ("jurisdiction_id", "name", "level", "effective", "source"):
        if not row.get(column):
            raise DataError(
                f"{column} is empty",
                file=where,
                field=column,
                hint="every row needs it; see jdkit/data/README.md",
            )
    if row["level"] not in _LEVELS:
        raise DataError(
            f"level {row['level']!r} is not one of {', '.join(_LEVELS)}",
            file=where,
            field="level",
            hint="use federal, state or city",
        )
    try:
        effective = dt.date.fromisoformat(row["effective"])
    except ValueError:
        raise DataError(
            f"effective {row['effective']!r} is not a date",
            file=where,
            field="effective",
            hint="write it as YYYY-MM-DD",
        ) from None
    if kind in ("minimum_wage", "health_care_minimum_wage"):
        amount, weekly = _number(row.get("hourly", ""), where, "hourly"), None
    else:
        amount = _number(row.get("annual", ""), where, "annual")
        weekly = _number(row.get("weekly", ""), where, "weekly")
    exemptions = frozenset(e for e in row.get("exemptions", "").split("|") if e) or frozenset(
        EXEMPTIONS
    )
    return WageRow(
        id=row["jurisdiction_id"],
        name=row["name"],
        level=row["level"],
        state=row.get("state", ""),
        region=row.get("region", ""),
        counties=_places(row.get("counties", "")),
        cities=_places(row.get("cities", "")),
        min_employees=_count(row.get("min_employees", ""), where, "min_employees"),
        max_employees=_count(row.get("max_employees", ""), where, "max_employees"),
        effective=effective,
        amount=amount,
        weekly=weekly,
        exemptions=exemptions,
        confirmed=row.get("confirmed", "") == "yes",
        source=row["source"],
        adjusts=_adjusts(row.get("adjusts", ""), where),
    )


@functools.lru_cache(maxsize=16)
def rows(kind: str, tables: Tables | None = None) -> tuple[WageRow, ...]:
    """Every row of ``kind`` (``minimum_wage``, ``health_care_minimum_wage`` or ``exempt_salary``),
    validated."""
    source = tables or shipped()
    path = source.path(kind)
    parsed = [
        _parse(row, f"{path}, row {index + 2}", kind) for index, row in enumerate(source.rows(kind))
    ]
    first: dict[str, WageRow] = {}
    for index, row in enumerate(parsed):
        other = first.setdefault(row.id, row)
        if row.adjusts != other.adjusts:
            raise DataError(
                f"adjusts {row.adjusts or ''!r} differs from {other.adjusts or ''!r} on another "
                f"row of {row.id}",
                file=f"{path}, row {index + 2}",
                field="adjusts",
                hint="a jurisdiction's law re-sets its level on one day: give every row of it "
                "the same value",
            )
    return tuple(sorted(parsed, key=lambda r: (r.id, r.effective)))


def _size_fits(row: WageRow, employees: int | None) -> bool:
    if employees is None:
        return True  # unknown headcount: every tier counts, and the highest wins
    return (row.min_employees is None or employees >= row.min_employees) and (
        row.max_employees is None or employees <= row.max_employees
    )


def _matching(
    all_rows: Iterable[WageRow], practice: Practice, exemption: str | None
) -> tuple[list[WageRow], list[str]]:
    """The rows whose place, size and exemption fit ``practice``, with notes on any assumption."""
    city, county = normalize_place(practice.city), normalize_place(practice.county)
    notes: list[str] = []
    fits = [
        r
        for r in all_rows
        if _size_fits(r, practice.employees)
        and (exemption is None or exemption in r.exemptions)
        and (r.level == "federal" or r.state == practice.state)
    ]
    regions = [r for r in fits if r.regional]
    in_region = [
        r for r in regions if (county and county in r.counties) or (city and city in r.cities)
    ]
    out: list[WageRow] = []
    for r in fits:
        if r.level == "city":
            if city and city in r.cities:
                out.append(r)
        elif r.regional:
            if r in in_region or (not in_region and not city and not county):
                out.append(r)  # no place given: every region counts, and the highest wins
        elif r.level == "state" and regions:
            if not in_region:
                out.append(r)  # the state's default region
        else:
            out.append(r)
    if regions and not city and not county:
        notes.append(
            f"{practice.state} sets different levels by region and practice.city is not set, "
            "so the highest region's level is used"
        )
    if practice.employees is None and any(r.min_employees or r.max_employees for r in out):
        notes.append(
            "the level depends on the employer's size and practice.employees is not set, "
            "so the highest size tier is used"
        )
    return out, notes


def _in_force(matched: Iterable[WageRow], day: dt.date) -> dict[str, WageRow]:
    """Each jurisdiction's latest row in force on ``day``."""
    current: dict[str, WageRow] = {}
    for row in matched:  # sorted by date, so the last one in force wins per jurisdiction
        if row.effective <= day:
            current[row.id] = row
    return current


def floor(
    kind: str,
    practice: Practice,
    day: dt.date,
    *,
    exemption: str | None = None,
    tables: Tables | None = None,
) -> Floor | None:
    """The highest level of ``kind`` in force for ``practice`` on ``day``; ``None`` where no row
    applies."""
    matched, notes = _matching(rows(kind, tables), practice, exemption)
    current = _in_force(matched, day)
    if not current:
        return None
    best = max(current.values(), key=lambda r: (r.amount, r.level == "city"))
    # A level that changes over the years but has no row for the last twelve months may be
    # out of date.
    for row in current.values():
        yearly = len({r.effective.year for r in matched if r.id == row.id}) > 1
        if yearly and (day - row.effective).days > 365:
            notes.append(
                f"the latest level jdkit knows for {row.where()} is from {row.effective}, "
                "over a year "
                "before this date: check for a newer one (jdkit check --tables DIR takes your own)"
            )
    return Floor(amount=best.amount, row=best, notes=tuple(notes))


def changes(
    kind: str,
    practice: Practice,
    after: dt.date,
    until: dt.date,
    *,
    exemption: str | None = None,
    tables: Tables | None = None,
) -> list[Floor]:
    """The levels that will be in force on each date in (``after``, ``until``] where one changes."""
    matched, _ = _matching(rows(kind, tables), practice, exemption)
    out: list[Floor] = []
    for day in sorted({r.effective for r in matched if after < r.effective <= until}):
        level = floor(kind, practice, day, exemption=exemption, tables=tables)
        if level is not None:
            out.append(level)
    return out


def due_changes(
    kind: str,
    practice: Practice,
    day: dt.date,
    until: dt.date,
    *,
    exemption: str | None = None,
    tables: Tables | None = None,
) -> list[Due]:
    """The yearly re-sets the table has no figure for, by ``until``: for each jurisdiction in
    force on ``day`` whose row names ``adjusts``, the first re-set after that row, when no row
    of the jurisdiction is dated on or after it. The date is on or before ``day`` where the
    table has missed a re-set. Nothing is due where the table has no ``adjusts`` column."""
    matched, _ = _matching(rows(kind, tables), practice, exemption)
    out: list[Due] = []
    for row in _in_force(matched, day).values():
        on = row.next_reset(row.effective)
        if on is None or on > until:
            continue
        if not any(r.id == row.id and r.effective >= on for r in matched):
            out.append(Due(row=row, on=on))
    return sorted(out, key=lambda due: (due.on, -due.row.amount))


def close_to(pay: float, due: Iterable[Due]) -> Due | None:
    """The highest level due to re-set that ``pay`` meets by less than ``MARGIN``."""
    near = [d for d in due if d.row.amount <= round(pay, 2) < MARGIN * d.row.amount]
    return max(near, key=lambda d: d.row.amount, default=None)
