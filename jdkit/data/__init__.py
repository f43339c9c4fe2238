"""Reference tables shipped with jdkit (see README.md here): read with the csv module, cached.

Every table is a plain CSV file with a header row; ``Tables.rows`` returns its rows as
dictionaries of text. Callers convert types themselves (dates, integers). A consultant may
name a folder of their own tables (``jdkit check --tables DIR``): a file there replaces the
shipped table of the same name, for example when a new minimum wage is announced.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from importlib import resources

from ..errors import DataError

__all__ = ["TABLES", "DataError", "Tables", "table", "shipped"]

TABLES = (
    "pay_transparency",
    "exempt_salary",
    "minimum_wage",
    "health_care_minimum_wage",
    "fair_chance",
    "gender_coded_words",
    "age_coded_phrases",
    "vague_phrases",
)

MAX_TABLE_BYTES = 5_000_000


class Tables:
    """The reference tables: jdkit's own, or a folder whose files replace them by name."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = os.fspath(folder) if folder is not None else None
        if self.folder is not None and not os.path.isdir(self.folder):
            raise DataError(
                "is not a folder",
                file=self.folder,
                field="tables",
                hint="name a folder holding CSV files such as minimum_wage.csv",
            )
        self._rows: dict[str, tuple[dict[str, str], ...]] = {}

    def path(self, name: str) -> str:
        """Where table ``name`` is read from: the user's file, else ``jdkit/data/<name>.csv``."""
        if self.folder is not None:
            own = os.path.join(self.folder, f"{name}.csv")
            if os.path.isfile(own):
                return own
        return f"jdkit/data/{name}.csv"

    def rows(self, name: str) -> tuple[dict[str, str], ...]:
        """Return the rows of table ``name`` as dictionaries (header -> stripped cell text)."""
        if name not in TABLES:
            raise DataError(
                f"unknown reference table {name!r}",
                field="tables",
                hint=f"known: {', '.join(TABLES)}",
            )
        if name not in self._rows:
            path = self.path(name)
            text = _read_text(path) if path != f"jdkit/data/{name}.csv" else _shipped_text(name)
            self._rows[name] = tuple(
                {key: (value or "").strip() for key, value in row.items() if key is not None}
                for row in csv.DictReader(io.StringIO(text, newline=""))
            )
        return self._rows[name]


def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_TABLE_BYTES + 1)
    except OSError as exc:
        raise DataError(
            f"cannot be read: {exc.strerror}", file=path, field="(file)", hint="check the path"
        ) from None
    if len(raw) > MAX_TABLE_BYTES:
        raise DataError(
            "is over the 5 MB limit for a reference table",
            file=path,
            field="(file)",
            hint="keep one table per file, as jdkit ships them",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            "is not UTF-8 text", file=path, field="(file)", hint="save the table as UTF-8 CSV"
        ) from None


@functools.cache
def _shipped_text(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.csv").read_text(encoding="utf-8")


@functools.cache
def shipped() -> Tables:
    """The tables jdkit ships (one shared, cached instance)."""
    return Tables()


def table(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of the shipped table ``jdkit/data/<name>.csv``."""
    return shipped().rows(name)
