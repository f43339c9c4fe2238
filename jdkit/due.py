"""Review tracking: every document's last review, owner and next due date, overdue first.

Pure: ``due_rows`` turns loaded models into rows, ``format_rows`` turns rows into text,
CSV or JSON. The next due date is the one the ``review`` check uses, so ``jdkit due``
and ``jdkit check`` never disagree about what is overdue.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from . import csvsafe
from .checks.review import next_due
from .errors import UnknownFormatError
from .models import JobDescription
from .terminal import clean, escape_json

__all__ = ["DueRow", "SOON_DAYS", "FORMATS", "due_rows", "any_overdue", "format_rows"]

Status = Literal["overdue", "never reviewed", "due soon", "current"]
SOON_DAYS = 30  # "due soon" when the next review falls within this many days
FORMATS = ("text", "csv", "json")
_COLUMNS = (
    "status",
    "next_due",
    "days_left",
    "last_reviewed",
    "owner",
    "practice",
    "title",
    "file",
)


@dataclass(frozen=True)
class DueRow:
    """One document's review state as of a date."""

    file: str
    practice: str
    title: str
    owner: str | None
    last_reviewed: dt.date | None
    next_due: dt.date | None
    days_left: int | None  # negative when overdue; None when never reviewed
    status: Status

    @property
    def overdue(self) -> bool:
        """True when the review is past due or never happened."""
        return self.status in ("overdue", "never reviewed")

    def to_dict(self) -> dict[str, object]:
        """The row as JSON-ready values (dates as ISO text)."""
        return {
            "status": self.status,
            "next_due": _iso(self.next_due),
            "days_left": self.days_left,
            "last_reviewed": _iso(self.last_reviewed),
            "owner": self.owner,
            "practice": self.practice,
            "title": self.title,
            "file": self.file,
        }


def due_rows(
    documents: Iterable[tuple[str, JobDescription]], *, today: dt.date | None = None
) -> list[DueRow]:
    """Return one row per ``(file, model)``, overdue first, then by next due date.

    A document never reviewed counts as overdue and sorts before every dated one.
    """
    today = today or dt.date.today()
    rows = [_row(file, model, today) for file, model in documents]
    rank = {"never reviewed": 0, "overdue": 1, "due soon": 2, "current": 3}
    return sorted(
        rows, key=lambda r: (rank[r.status], r.next_due or dt.date.min, r.practice, r.file)
    )


def any_overdue(rows: Iterable[DueRow]) -> bool:
    """True when any row is overdue or never reviewed."""
    return any(row.overdue for row in rows)


def format_rows(rows: list[DueRow], fmt: str = "text", *, today: dt.date | None = None) -> str:
    """Format rows as an aligned ``text`` table, ``csv`` (header first) or a ``json`` object.

    Text shows control characters as escapes (``jdkit.terminal``); CSV cells cannot start a
    spreadsheet formula (``jdkit.csvsafe``)."""
    if fmt == "json":
        return (
            escape_json(
                json.dumps(
                    {
                        "today": _iso(today),
                        "overdue": sum(r.overdue for r in rows),
                        "documents": [r.to_dict() for r in rows],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csvsafe.row(r.to_dict()) for r in rows)
        return buffer.getvalue()
    if fmt != "text":
        raise UnknownFormatError(
            f"unknown format {fmt!r}", field="format", hint=f"use one of: {', '.join(FORMATS)}"
        )
    return _text_table(rows, today)


def _row(file: str, model: JobDescription, today: dt.date) -> DueRow:
    review = model.review
    due = next_due(model)
    days = (due - today).days if due else None
    if due is None:
        status: Status = "never reviewed"
    elif days is not None and days < 0:
        status = "overdue"
    elif days is not None and days <= SOON_DAYS:
        status = "due soon"
    else:
        status = "current"
    return DueRow(
        file=file,
        practice=model.practice.name,
        title=model.title,
        owner=review.owner,
        last_reviewed=review.last_reviewed,
        next_due=due,
        days_left=days,
        status=status,
    )


def _text_table(rows: list[DueRow], today: dt.date | None) -> str:
    header = ("STATUS", "NEXT DUE", "DAYS", "LAST REVIEW", "OWNER", "PRACTICE", "TITLE", "FILE")
    body = [
        tuple(
            clean(cell)
            for cell in (  # no text can move the cursor or recolour the table
                r.status.upper() if r.overdue else r.status,
                _iso(r.next_due) or "-",
                "-" if r.days_left is None else str(r.days_left),
                _iso(r.last_reviewed) or "never",
                r.owner or "(no owner)",
                r.practice,
                r.title,
                r.file,
            )
        )
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in (header, *body)) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in (header, *body)
    ]
    overdue = sum(r.overdue for r in rows)
    as_of = f" as of {today.isoformat()}" if today else ""
    lines.append(
        f"{len(rows)} document(s){as_of}: {overdue} overdue, "
        f"{sum(r.status == 'due soon' for r in rows)} due within {SOON_DAYS} days"
    )
    return "\n".join(lines) + "\n"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
