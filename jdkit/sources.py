"""Where a batch's practices come from: parameter files, folders of them, or a table.

A ``.csv`` or ``.xlsx`` table holds one practice per row, its columns named by dotted
paths (``practice.name``, ``compensation.salary_min``), read with pandas. Each row
becomes ``Params`` named ``table.csv, row 3`` so that any error names the file, the
row (as a spreadsheet numbers it: the header is row 1) and the column.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import ParamsError
from .models import JobDescription
from .params import Params, _Loader, build, expand, read

__all__ = ["TABLES", "read_sources", "load_sources", "read_table", "nest"]

TABLES = (".csv", ".xlsx")


def read_sources(paths: list[str]) -> tuple[list[Params], list[ParamsError]]:
    """Read every practice from files, folders and tables; collect errors instead of stopping."""
    good: list[Params] = []
    bad: list[ParamsError] = []
    for path in expand(paths):  # a folder means its parameter files; a table is read when named
        try:
            if path.lower().endswith(TABLES):
                rows, errors = read_table(path)
                good.extend(rows)
                bad.extend(errors)
            else:
                good.append(read(path))
        except ParamsError as exc:
            bad.append(exc)
    return good, bad


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
    """Read a ``.csv``/``.xlsx`` table into one ``Params`` per row (blank cells left out)."""
    import pandas as pd

    try:
        if path.lower().endswith(".csv"):
            frame = pd.read_csv(path, dtype=object, keep_default_na=False, na_values=[""], encoding="utf-8")
        else:
            frame = pd.read_excel(path, dtype=object, engine="openpyxl")
    except FileNotFoundError:
        raise ParamsError("cannot be read: no such file", file=path, field="(file)", hint="check the path") from None
    except Exception as exc:  # pandas/openpyxl raise many kinds for a damaged table
        raise ParamsError(f"is not a readable table: {' '.join(str(exc).split())[:200]}", file=path,
                          field="(file)", hint="save it as UTF-8 CSV or as .xlsx with a header row") from None
    columns = [str(c).strip() for c in frame.columns]
    for column in columns:
        if not column or column.startswith("Unnamed:") or any(not part for part in column.split(".")):
            raise ParamsError(f"has a column named {column!r}", file=path, field=column or "(header)",
                              hint="name every column by a dotted field path such as practice.name")
    rows: list[Params] = []
    errors: list[ParamsError] = []
    for index, values in enumerate(frame.itertuples(index=False, name=None)):
        where = f"{path}, row {index + 2}"  # the header is row 1
        cells = {c: _plain(v) for c, v in zip(columns, values, strict=True)}
        if all(v is None for v in cells.values()):
            continue
        try:
            rows.append(Params(nest(cells, file=where), file=where))
        except ParamsError as exc:
            errors.append(exc)
    return rows, errors


def nest(cells: dict[str, Any], *, file: str) -> dict[str, Any]:
    """Turn ``{"practice.name": "A"}`` into ``{"practice": {"name": "A"}}``; blank cells are skipped."""
    out: dict[str, Any] = {}
    for column, value in cells.items():
        if value is None:
            continue
        parts = column.split(".")
        node = out
        for depth, part in enumerate(parts[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ParamsError("is given both as a value and as a section", file=file,
                                  field=".".join(parts[: depth + 1]), hint="keep either the column or its sub-columns")
            node = child
        if isinstance(node.get(parts[-1]), dict):
            raise ParamsError("is given both as a value and as a section", file=file, field=column,
                              hint="keep either the column or its sub-columns")
        node[parts[-1]] = value
    from .params import _check_top  # the same top-level key check (with did-you-mean) as a file gets

    return dict(_check_top(out, file, {}))


def _plain(value: Any) -> Any:
    """A table cell as plain Python; text stays text (the models convert it), ``[a, b]`` is a list."""
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
        if text[0] in "[{":  # a list or mapping written inline, as in YAML: [Medical Assistant, Receptionist]
            import yaml

            try:
                return yaml.load(text, Loader=_Loader)
            except yaml.YAMLError:
                return text
        return text
    return value

