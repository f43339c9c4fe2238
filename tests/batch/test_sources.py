"""Batch sources: CSV and XLSX tables with dotted-path columns; any Executor; kernel isolation."""

from __future__ import annotations

import concurrent.futures as cf
import csv
from pathlib import Path

import nbformat
import pytest

from jdkit.batch import run_batch
from jdkit.errors import ParamsError
from jdkit.params import build
from jdkit.sources import read_sources, read_table

from ..conftest import PARAMS

HEADER = [
    "role",
    "practice.name",
    "practice.state",
    "practice.city",
    "compensation.salary_min",
    "compensation.salary_max",
    "compensation.period",
    "reporting.supervises",
]
ROWS = [
    [
        "medical-office-manager",
        "Aspen Clinic",
        "CO",
        "Boulder",
        "70000",
        "90000",
        "YEAR",
        "[Medical Assistant, Receptionist]",
    ],
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

    header = [
        *HEADER[:3],
        "compensation.salary_min",
        "compensation.salary_max",
        "review.last_reviewed",
    ]
    path = _xlsx(
        tmp_path / "practices.xlsx",
        [["medical-office-manager", "Cedar Annex", "CO", 72000, 94000, dt.datetime(2026, 11, 10)]],
        header,
    )
    rows, errors = read_table(str(path))
    assert errors == []
    model = build(rows[0])
    assert (
        model.compensation.salary_max == 94000 and str(model.review.last_reviewed) == "2026-11-10"
    )


@pytest.mark.parametrize(
    ("header", "cells", "field"),
    [
        (
            HEADER,
            ["medical-office-manager", "Bad Pay", "CO", "", "90000", "70000", "YEAR", ""],
            "compensation",
        ),
        (
            HEADER,
            ["medical-office-manager", "Bad State", "ZZ", "", "", "", "", ""],
            "practice.state",
        ),
        (
            [*HEADER[:3], "practice.nmae"],
            ["medical-office-manager", "Typo", "CO", "x"],
            "practice.nmae",
        ),
        (
            [*HEADER[:3], "compensaton.salary_min"],
            ["medical-office-manager", "Typo", "CO", "1"],
            "compensaton",
        ),
    ],
    ids=["min-above-max", "state", "nested-typo", "top-typo"],
)
def test_a_bad_row_is_one_line_naming_file_row_and_column(
    tmp_path: Path, header: list[str], cells: list[str], field: str
) -> None:
    first = (
        ROWS[0] if header == HEADER else [*ROWS[0][:3], ""]
    )  # a good row: the typo column left blank
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
    _csv(tmp_path / "blank.csv", [["a", "b"]], ["role", ""])  # a column with data but no name
    good, bad = read_sources(
        [str(tmp_path / "x.xlsx"), str(tmp_path / "blank.csv"), str(tmp_path / "missing.csv")]
    )
    assert good == [] and len(bad) == 3
    assert all("\n" not in str(e) and str(tmp_path) in str(e) for e in bad)


@pytest.mark.slow
def test_batch_over_csv_and_xlsx_on_a_thread_pool(tmp_path: Path, probe_notebook: Path) -> None:
    """Any concurrent.futures.Executor: one thread, so one worker runs every practice in turn.

    That worker's kernels are the ones isolation is about: each practice must get a new
    process in which the variable the previous practice set does not exist.
    """
    csv_path = _csv(tmp_path / "practices.csv", ROWS)
    xlsx_path = _xlsx(
        tmp_path / "more.xlsx",
        [["medical-office-manager", "Cedar Annex", "CO", "Denver", 72000, 94000, "YEAR", None]],
    )
    out = tmp_path / "out"
    seen = []
    with cf.ThreadPoolExecutor(1) as pool:
        result = run_batch(
            [str(csv_path), str(xlsx_path), str(PARAMS / "hudson-cardiology.yaml")],
            out,
            ["html", "md", "jsonld"],
            executor=pool,
            notebook=probe_notebook,
            progress=lambda r, d, t: seen.append((d, t)),
        )
    assert [r.status for r in result.results] == ["ok"] * 4, [r.reason for r in result.results]
    assert seen == [(n, 4) for n in range(1, 5)]
    probes = []
    for row in result.results:
        assert (out / row.slug / f"{row.slug}.html").is_file() and not (
            out / row.slug / f"{row.slug}.pdf"
        ).exists()
        assert row.practice in (out / row.slug / f"{row.slug}.md").read_text(encoding="utf-8")
        assert '"JobPosting"' in (out / row.slug / f"{row.slug}.jsonld").read_text(encoding="utf-8")
        nb = nbformat.read(out / row.slug / f"{row.slug}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        probes.append(next(line for line in text.splitlines() if line.startswith("PROBE")))
    assert all(line.endswith("saw None") for line in probes), (
        probes
    )  # nothing of an earlier practice
    assert len({line.split()[2] for line in probes}) == 4  # four kernel processes
    assert result.results[0].source.endswith("practices.csv, row 2")
    assert result.results[2].source.endswith("more.xlsx, row 2")


def test_check_render_and_due_read_tables_too(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every command that takes practices reads the same sources as the batch: a row is a practice."""
    from jdkit.cli import cli

    table = _csv(
        tmp_path / "practices.csv",
        [*ROWS, ["medical-office-manager", "Bad Row", "QQ", "", "1", "2", "YEAR", ""]],
    )
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


# Issue 18: rows numbered as a spreadsheet shows them, every sheet, special files, cell rules.


def _errors_of(path: Path) -> list[str]:
    good, bad = read_sources([str(path)])
    errors = [str(e) for e in bad]
    for params in good:
        try:
            build(params)
        except Exception as exc:  # ParamsError, collected as the commands do
            errors.append(str(exc))
    return errors


@pytest.mark.parametrize(
    ("text", "row"),
    [
        (
            "role,practice.name,practice.state\nmedical-office-manager,A,CO\n\nmedical-office-manager,B,ZZ\n",
            4,
        ),
        (
            "role,practice.name,practice.state\nmedical-office-manager,A,CO\n,,\n\nmedical-office-manager,B,ZZ\n",
            5,
        ),
        ("\n\nrole,practice.name,practice.state\nmedical-office-manager,B,ZZ\n", 4),
        ("\ufeffrole,practice.name,practice.state\nmedical-office-manager,B,ZZ\n", 2),
        (
            'role,practice.name,practice.state,summary\nmedical-office-manager,A,CO,"two\nlines"\nmedical-office-manager,B,ZZ,\n',
            3,
        ),
    ],
    ids=["blank-line", "blank-and-comma-lines", "blank-top", "bom", "multi-line-cell"],
)
def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(
    tmp_path: Path, text: str, row: int
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    [error] = _errors_of(path)
    assert error.startswith(f"{path}, row {row}: practice.state: unknown US state code 'ZZ'")


def test_every_sheet_of_a_workbook_is_read_and_named(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Denver"
    book.active.append(HEADER[:3])
    book.active.append(["medical-office-manager", "Aspen Clinic", "CO"])
    second = book.create_sheet("Austin")
    second.append([None])  # a blank first row: the header is the first row holding anything
    second.append([None, *HEADER[:3]])  # and a blank first column beside the table
    second.append([None, "medical-office-manager", "Birch Clinic", "TX"])
    second.append([None, "medical-office-manager", "Bad Clinic", "ZZ"])
    book.create_sheet("Empty")
    path = tmp_path / "book.xlsx"
    book.save(path)
    rows, errors = read_table(str(path))
    assert [r.file for r in rows] == [
        f"{path}, sheet Denver, row 2",
        f"{path}, sheet Austin, row 3",
        f"{path}, sheet Austin, row 4",
    ]
    assert [r["practice"]["name"] for r in rows] == ["Aspen Clinic", "Birch Clinic", "Bad Clinic"]
    assert errors == []
    assert _errors_of(path) == [
        f"{path}, sheet Austin, row 4: practice.state: unknown US state code 'ZZ'; use a "
        "two-letter code such as CO, NY or DC (fix: see 'jdkit schema' for what this field accepts)"
    ]


def test_a_bad_header_fails_its_sheet_only(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Good"
    book.active.append(HEADER[:3])
    book.active.append(["medical-office-manager", "Aspen Clinic", "CO"])
    notes = book.create_sheet("Notes")
    notes.append(["role", None, "practice.name"])
    notes.append(["x", "stray", "y"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    rows, errors = read_table(str(path))
    assert [r["practice"]["name"] for r in rows] == ["Aspen Clinic"]
    assert [str(e) for e in errors] == [
        f"{path}, sheet Notes: (header): has a column named '' (column B, row 1) "
        "(fix: name every column by a dotted field path such as practice.name)"
    ]


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "t.csv",
        [["medical-office-manager", "A", "B"]],
        ["role", "practice.name", "practice.name"],
    )
    assert [str(e) for e in read_sources([str(path)])[1]] == [
        f"{path}: practice.name: is given twice, in columns B and C; the second would silently replace the first "
        "(fix: keep one of the columns)"
    ]


def test_a_table_with_no_practices_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", [], HEADER)
    with pytest.raises(ParamsError, match="holds no practices"):
        read_table(str(path))


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_tables_that_are_not_regular_files_are_one_line(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / "t.csv"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    good = _csv(tmp_path / "good.csv", ROWS)
    rows, bad = read_sources([str(path), str(good)])
    assert len(rows) == 2  # the other table is still read
    assert [str(e).split(" (fix:")[0] for e in bad] == [
        f"{path}: (file): is {'a named pipe (FIFO)' if kind == 'fifo' else 'a character device'}, not a table"
    ]


def test_inline_cells_follow_the_parameter_file_rules(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "t.csv",
        [
            ["medical-office-manager", "A", "CO", "", "", "", "", "[!!binary QQ==]"],
            ["medical-office-manager", "B", "CO", "", "", "", "", "{a: 1, a: 2}"],
            [
                "medical-office-manager",
                "C",
                "CO",
                "",
                "",
                "",
                "",
                "[unclosed",
            ],  # not YAML: stays text
        ],
    )
    rows, bad = read_table(str(path))
    assert [str(e).split(" (fix:")[0] for e in bad] == [
        f"{path}, row 2: reporting.supervises.0: uses the YAML tag !!binary, which a parameter file may not hold",
        f"{path}, row 3: reporting.supervises.a: is given twice, on lines 1 and 1; the second would silently "
        "replace the first",
    ]
    assert rows[0]["reporting"]["supervises"] == "[unclosed"


@pytest.mark.slow
def test_an_unwritable_practice_folder_fails_that_practice_only(tmp_path: Path) -> None:
    import os
    import subprocess

    csv_path = _csv(tmp_path / "practices.csv", ROWS)
    out = tmp_path / "out"
    locked = out / "birch-pediatrics-medical-office-manager"
    locked.mkdir(parents=True)
    locked.chmod(0o555)
    frozen = (
        os.geteuid() == 0
        and subprocess.run(
            ["chattr", "+i", str(locked)], capture_output=True, check=False
        ).returncode
        == 0
    )
    if os.geteuid() == 0 and not frozen:
        pytest.skip("running as root without chattr: no folder here is unwritable")
    try:
        with cf.ThreadPoolExecutor(1) as pool:
            result = run_batch(
                [str(csv_path)], out, ["html"], executor=pool, names={"out": "--out"}
            )  # as the CLI
    finally:
        if frozen:
            subprocess.run(["chattr", "-i", str(locked)], check=True)
        locked.chmod(0o755)
    by_name = {r.practice: r for r in result.results}
    assert by_name["Aspen Clinic"].status == "ok"
    assert by_name["Birch Pediatrics"].status == "failed"
    assert by_name["Birch Pediatrics"].reason.startswith(f"{locked}: --out: cannot be written: ")
    assert list(locked.iterdir()) == []
    assert result.summary_csv.is_file() and "Birch Pediatrics" in result.summary_csv.read_text(
        encoding="utf-8"
    )
