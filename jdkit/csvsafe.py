"""CSV cells a spreadsheet cannot run: one rule for every CSV jdkit writes.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``).
Following OWASP's advice on CSV injection, such text gets a leading ``'``: the spreadsheet
shows the text as typed and runs nothing. Numbers stay numbers (a negative amount is not text).
A carriage return inside text becomes a line break: Python's and pandas' CSV writers quote a
cell holding ``\n`` but not one holding a lone ``\r``, which a reader takes for the row's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["TRIGGERS", "cell", "row", "frame"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` ready for a CSV cell: ``None`` as empty, formula-like text behind a ``'``."""
    if value is None:
        return ""
    return _text(value) if isinstance(value, str) else value


def _text(text: str) -> str:
    safe = "'" + text if text.startswith(TRIGGERS) else text
    return safe.replace("\r\n", "\n").replace("\r", "\n") if "\r" in safe else safe


def row(values: Iterable[Any] | Mapping[str, Any]) -> Any:
    """Every cell of a row (a sequence, or a mapping as ``csv.DictWriter`` takes) through
    ``cell``."""
    if isinstance(values, Mapping):
        return {key: cell(value) for key, value in values.items()}
    return [cell(value) for value in values]


def frame(table: Any) -> Any:
    """A copy of a pandas ``DataFrame`` whose text cells (and column names) went through
    ``cell``."""
    out = table.map(lambda value: _text(value) if isinstance(value, str) else value)
    out.columns = [cell(name) if isinstance(name, str) else name for name in out.columns]
    return out
