"""Reference tables shipped with jdkit (see README.md here): read with the csv module, cached.

Every table is a plain CSV file with a header row; ``table`` returns its rows as
dictionaries of text. Callers convert types themselves (dates, integers).
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

__all__ = ["TABLES", "table"]

TABLES = ("pay_transparency", "gender_coded_words", "age_coded_phrases", "vague_phrases")


@functools.cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of ``jdkit/data/<name>.csv`` as dictionaries (header -> cell text).

    Raises ``KeyError`` for a table that jdkit does not ship.
    """
    if name not in TABLES:
        raise KeyError(f"unknown reference table {name!r}; known: {', '.join(TABLES)}")
    text = resources.files(__name__).joinpath(f"{name}.csv").read_text(encoding="utf-8")
    return tuple(
        {key: (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    )
