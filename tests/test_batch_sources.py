"""Batch sources: CSV and XLSX tables with dotted-path columns; any Executor; kernel isolation."""

from __future__ import annotations

import concurrent.futures as cf
import csv
from pathlib import Path

import nbformat
import pytest

from jdkit.batch import run_batch
from jdkit.params import build
from jdkit.sources import read_sources, read_table

from .conftest import PARAMS

HEADER = ["role", "practice.name", "practice.state", "practice.city", "compensation.salary_min",
          "compensation.salary_max", "compensation.period", "reporting.supervises"]
ROWS = [
    ["medical-office-manager", "Aspen Clinic", "CO", "Boulder", "70000", "90000", "YEAR", "[Medical Assistant, Receptionist]"],
    ["medical-office-manager", "Birch Pediatrics", "WA", "", "31.5", "40", "HOUR", ""],
]


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    import pandas as pd

    pd.DataFrame(rows, columns=header).to_excel(path, index=False)
    return path


def test_csv_rows_become_parameter_sets(tmp_path: Path) -> None:
    rows, errors = read_table(str(_csv(tmp_path / "practices.csv", ROWS)))
    assert errors == []
    assert [r.file for r in rows] == [f"{tmp_path / 'practices.csv'}, row {n}" for n in (2, 3)]
    aspen = build(rows[0])
    assert aspen.practice.city == "Boulder" and aspen.compensation.salary_min == 70000
    assert aspen.reporting.supervises == ["Medical Assistant", "Receptionist"]
    birch = build(rows[1])
    assert birch.practice.city is None  # a blank cell keeps the role's default
    assert birch.compensation.period == "HOUR" and birch.compensation.salary_min == 31.5


def test_xlsx_rows_with_numbers_and_dates(tmp_path: Path) -> None:
    import datetime as dt

    header = [*HEADER[:3], "compensation.salary_min", "compensation.salary_max", "review.last_reviewed"]
    path = _xlsx(tmp_path / "practices.xlsx", [["medical-office-manager", "Cedar Annex", "CO", 72000, 94000,
                                                 dt.datetime(2026, 11, 10)]], header)
    rows, errors = read_table(str(path))
    assert errors == []
    model = build(rows[0])
    assert model.compensation.salary_max == 94000 and str(model.review.last_reviewed) == "2026-11-10"


@pytest.mark.parametrize(("header", "cells", "field"), [
    (HEADER, ["medical-office-manager", "Bad Pay", "CO", "", "90000", "70000", "YEAR", ""], "compensation"),
    (HEADER, ["medical-office-manager", "Bad State", "ZZ", "", "", "", "", ""], "practice.state"),
    ([*HEADER[:3], "practice.nmae"], ["medical-office-manager", "Typo", "CO", "x"], "practice.nmae"),
    ([*HEADER[:3], "compensaton.salary_min"], ["medical-office-manager", "Typo", "CO", "1"], "compensaton"),
], ids=["min-above-max", "state", "nested-typo", "top-typo"])
def test_a_bad_row_is_one_line_naming_file_row_and_column(tmp_path: Path, header: list[str], cells: list[str],
                                                          field: str) -> None:
    first = ROWS[0] if header == HEADER else [*ROWS[0][:3], ""]  # a good row: the typo column left blank
    path = _csv(tmp_path / "t.csv", [first, cells], header)
    good, bad = read_sources([str(path)])
    errors = []
    for params in good:
        try:
            build(params)
        except Exception as exc:  # ParamsError: collected as the batch does
            errors.append(exc)
    errors.extend(bad)
    assert len(errors) == 1
    line = str(errors[0])
    assert "\n" not in line and f"{path}, row 3" in line and field in line and "fix:" in line


def test_unreadable_tables_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a spreadsheet")
    _csv(tmp_path / "blank.csv", [["a"]], ["role", ""])
    good, bad = read_sources([str(tmp_path / "x.xlsx"), str(tmp_path / "blank.csv"), str(tmp_path / "missing.csv")])
    assert good == [] and len(bad) == 3
    assert all("\n" not in str(e) and str(tmp_path) in str(e) for e in bad)


@pytest.mark.slow
def test_batch_over_csv_and_xlsx_on_a_thread_pool(tmp_path: Path, probe_notebook: Path) -> None:
    """Any concurrent.futures.Executor: one thread, so one worker runs every practice in turn.

    That worker's kernels are the ones isolation is about: each practice must get a new
    process in which the variable the previous practice set does not exist.
    """
    csv_path = _csv(tmp_path / "practices.csv", ROWS)
    xlsx_path = _xlsx(tmp_path / "more.xlsx", [["medical-office-manager", "Cedar Annex", "CO", "Denver", 72000, 94000,
                                                "YEAR", None]])
    out = tmp_path / "out"
    seen = []
    with cf.ThreadPoolExecutor(1) as pool:
        result = run_batch([str(csv_path), str(xlsx_path), str(PARAMS / "hudson-cardiology.yaml")], out, ["html", "md", "jsonld"],
                           executor=pool, notebook=probe_notebook, progress=lambda r, d, t: seen.append((d, t)))
    assert [r.status for r in result.results] == ["ok"] * 4, [r.reason for r in result.results]
    assert seen == [(n, 4) for n in range(1, 5)]
    probes = []
    for row in result.results:
        assert (out / row.slug / f"{row.slug}.html").is_file() and not (out / row.slug / f"{row.slug}.pdf").exists()
        assert row.practice in (out / row.slug / f"{row.slug}.md").read_text(encoding="utf-8")
        assert '"JobPosting"' in (out / row.slug / f"{row.slug}.jsonld").read_text(encoding="utf-8")
        nb = nbformat.read(out / row.slug / f"{row.slug}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        probes.append(next(line for line in text.splitlines() if line.startswith("PROBE")))
    assert all(line.endswith("saw None") for line in probes), probes  # nothing of an earlier practice
    assert len({line.split()[2] for line in probes}) == 4  # four kernel processes
    assert result.results[0].source.endswith("practices.csv, row 2")
    assert result.results[2].source.endswith("more.xlsx, row 2")


def test_check_render_and_due_read_tables_too(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every command that takes practices reads the same sources as the batch: a row is a practice."""
    from jdkit.cli import cli

    table = _csv(tmp_path / "practices.csv", [*ROWS, ["medical-office-manager", "Bad Row", "QQ", "", "1", "2",
                                                       "YEAR", ""]])
    checked = runner.invoke(cli, ["check", str(table), "--format", "json"])
    assert checked.exit_code == 2
    assert checked.stderr.count("\n") == 1
    assert "practices.csv, row 4" in checked.stderr and "practice.state" in checked.stderr
    import json

    report = json.loads(checked.stdout)
    assert [d["file"] for d in report["documents"]] == [f"{table}, row 2", f"{table}, row 3"]
    out = tmp_path / "out"
    rendered = runner.invoke(cli, ["render", str(table), "--to", "md", "--out", str(out)])
    assert rendered.exit_code == 2 and "practices.csv, row 4" in rendered.stderr
    texts = sorted(p.read_text(encoding="utf-8") for p in out.glob("*.md"))
    assert len(texts) == 2 and "Aspen Clinic" in texts[0] and "Birch Pediatrics" in texts[1]
    due = runner.invoke(cli, ["due", str(table)])
    assert due.exit_code == 2 and "Aspen Clinic" in due.stdout and "Birch Pediatrics" in due.stdout
