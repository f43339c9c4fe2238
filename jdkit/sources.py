"""Where a batch's practices come from: parameter files, folders of them, or a table.

A ``.csv`` or ``.xlsx`` table holds one practice per row, its columns named by dotted
paths (``practice.name``, ``compensation.salary_min``), read with pandas. Each row
becomes ``Params`` named ``table.csv, row 3`` so that any error names the file, the
row (as a spreadsheet numbers it: blank rows count, the header is the first row holding
anything) and the column. Every sheet of a workbook is read; with more than one, the
name says which (``book.xlsx, sheet Clinics, row 3``).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from typing import Any

from .errors import ParamsError
from .inputs import node_lines, read_bytes
from .models import JobDescription
from .params import Params, _Loader, build, expand, read

__all__ = [
    "TABLES",
    "MAX_TABLE_BYTES",
    "read_sources",
    "iter_sources",
    "load_sources",
    "read_table",
    "nest",
]

TABLES = (".csv", ".xlsx")
MAX_TABLE_BYTES = 50_000_000  # thousands of practices; a table is read whole into memory
_LEADING_BLANKS = re.compile(rb"(?:[ \t]*\r?\n)*")


def read_sources(paths: list[str]) -> tuple[list[Params], list[ParamsError]]:
    """Read every practice from files, folders and tables; collect errors instead of stopping."""
    bad: list[ParamsError] = []
    good = list(iter_sources(paths, bad))
    return good, bad


def iter_sources(paths: list[str], bad: list[Any]) -> Iterator[Params]:
    """Yield each practice of files, folders and tables as it is read, appending errors to ``bad``:
    one file in memory at a time (a table is read whole), so ``jdkit render`` stays flat in N."""
    for path in expand(paths):  # a folder means its parameter files; a table is read when named
        try:
            if path.lower().endswith(TABLES):
                rows, errors = read_table(path)
                bad.extend(errors)
                yield from rows
            else:
                yield read(path)
        except ParamsError as exc:
            bad.append(exc)


def load_sources(paths: list[str]) -> tuple[list[tuple[str, JobDescription]], list[ParamsError]]:
    """Read and validate every practice from files, folders and tables: ``(source, model)`` pairs
    (a table row's source is ``table.csv, row 3``) and the errors, collected instead of raised."""
    params, bad = read_sources(paths)
    good: list[tuple[str, JobDescription]] = []
    for item in params:
        try:
            good.append((item.file, build(item)))
        except ParamsError as exc:
            bad.append(exc)
    return good, bad


def read_table(path: str) -> tuple[list[Params], list[ParamsError]]:
    """Read a ``.csv``/``.xlsx`` table into one ``Params`` per row (blank cells left out).

    Every sheet of a workbook is read. A bad header fails its sheet (one error), a bad row
    that row; the other sheets and rows are still read.
    """
    import pandas as pd

    raw = read_bytes(path, limit=MAX_TABLE_BYTES, what="a table")  # a regular file, bounded
    try:
        if path.lower().endswith(".csv"):
            body = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark, as Excel writes
            top = len(_LEADING_BLANKS.match(body).group())  # type: ignore[union-attr]
            # pandas cannot start at a blank line; count them here
            skipped = body[:top].count(b"\n")
            sheets = {
                "": pd.read_csv(
                    io.BytesIO(body[top:]),
                    header=None,
                    dtype=object,
                    keep_default_na=False,
                    na_values=[""],
                    encoding="utf-8",
                    skip_blank_lines=False,
                )
            }
        else:
            skipped = 0
            sheets = pd.read_excel(
                io.BytesIO(raw), sheet_name=None, header=None, dtype=object, engine="openpyxl"
            )
    except Exception as exc:  # pandas/openpyxl raise many kinds for a damaged table
        raise ParamsError(
            f"is not a readable table: {' '.join(str(exc).split())[:200]}",
            file=path,
            field="(file)",
            hint="save it as UTF-8 CSV or as .xlsx with a header row",
        ) from None
    rows: list[Params] = []
    errors: list[ParamsError] = []
    for sheet, frame in sheets.items():
        name = f"{path}, sheet {sheet}" if len(sheets) > 1 else path
        try:
            _read_sheet(frame, name, rows, errors, skipped)
        except ParamsError as exc:  # a bad header: this sheet only
            errors.append(exc)
    if not rows and not errors:
        raise ParamsError(
            "holds no practices: no row under the header has a value",
            file=path,
            field="(file)",
            hint="add one practice per row, under a header of dotted field paths",
        )
    return rows, errors


def _read_sheet(
    frame: Any, name: str, rows: list[Params], errors: list[ParamsError], skipped: int = 0
) -> None:
    """One sheet (or a CSV): the first row holding anything is the header; rows count from 1 as
    shown (``skipped`` blank lines came before the frame's first row)."""
    table = [
        [_blank_to_none(v) for v in values] for values in frame.itertuples(index=False, name=None)
    ]
    top = next((i for i, values in enumerate(table) if any(v is not None for v in values)), None)
    if top is None:
        return  # an empty sheet
    header = table[top]
    keep: list[tuple[int, str]] = []
    for index, cell in enumerate(header):
        column = "" if cell is None else str(cell).strip()
        if not column and all(values[index] is None for values in table[top + 1 :]):
            continue  # an empty column beside the table
        if not column or any(not part for part in column.split(".")):
            raise ParamsError(
                f"has a column named {column!r} (column {_letters(index)}, row "
                f"{skipped + top + 1})",
                file=name,
                field=column or "(header)",
                hint="name every column by a dotted field path such as practice.name",
            )
        twin = next((i for i, c in keep if c == column), None)
        if twin is not None:
            raise ParamsError(
                f"is given twice, in columns {_letters(twin)} and {_letters(index)}; the second "
                "would "
                "silently replace the first",
                file=name,
                field=column,
                hint="keep one of the columns",
            )
        keep.append((index, column))
    for number, values in enumerate(table[top + 1 :], start=skipped + top + 2):
        # as a spreadsheet numbers rows
        where = f"{name}, row {number}"
        try:
            cells: dict[str, Any] = {}
            for index, column in keep:
                cells[column] = _cell(values[index], where, column)
            if all(v is None for v in cells.values()):
                continue
            rows.append(Params(nest(cells, file=where), file=where))
        except ParamsError as exc:
            errors.append(exc)


def _letters(index: int) -> str:
    """A spreadsheet's column name: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _blank_to_none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _cell(value: Any, where: str, column: str) -> Any:
    """``_plain`` of a cell, its errors naming the row and the column."""
    try:
        return _plain(value)
    except ParamsError as exc:
        inner = exc.field if exc.field and exc.field != "(file)" else ""
        raise ParamsError(
            exc.message, file=where, field=f"{column}.{inner}" if inner else column, hint=exc.hint
        ) from None


def nest(cells: dict[str, Any], *, file: str) -> dict[str, Any]:
    """Turn ``{"practice.name": "A"}`` into ``{"practice": {"name":
    "A"}}``; blank cells are skipped."""
    out: dict[str, Any] = {}
    for column, value in cells.items():
        if value is None:
            continue
        parts = column.split(".")
        node = out
        for depth, part in enumerate(parts[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ParamsError(
                    "is given both as a value and as a section",
                    file=file,
                    field=".".join(parts[: depth + 1]),
                    hint="keep either the column or its sub-columns",
                )
            node = child
        if isinstance(node.get(parts[-1]), dict):
            raise ParamsError(
                "is given both as a value and as a section",
                file=file,
                field=column,
                hint="keep either the column or its sub-columns",
            )
        node[parts[-1]] = value
    from .params import (
        _check_top,  # the same top-level key check (with did-you-mean) as a file gets
    )

    return dict(_check_top(out, file, {}))


def _plain(value: Any) -> Any:
    """A table cell as plain Python; text stays text (the models
    convert it), ``[a, b]`` is a list."""
    import datetime as dt

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text[0] in "[{":
            # a list or mapping written inline, as in YAML: [Medical Assistant, Receptionist]
            return _inline(text)
        return text
    if isinstance(value, float) and math.isinf(value):
        return str(value)  # the models refuse it by name
    return value


def _inline(text: str) -> Any:
    """A cell's inline YAML list or mapping, held to a parameter file's rules (no tags, no duplicate
    keys, bounded); text that is not YAML stays text."""
    import yaml

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return text
        node_lines(node, "(cell)")
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, RecursionError):
        return text
    finally:
        loader.dispose()
