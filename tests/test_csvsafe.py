"""``jdkit.csvsafe``: no CSV jdkit writes can start a spreadsheet formula (OWASP's rule)."""

from __future__ import annotations

import csv
import io

import pytest

from jdkit import csvsafe

HOSTILE = [
    '=HYPERLINK("http://evil.example/","Click me")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTab",
    "\rReturn",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_triggers_get_a_leading_quote(text):
    assert csvsafe.cell(text) == "'" + text.replace("\r", "\n")


def test_a_carriage_return_inside_text_cannot_end_the_row():
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        [csvsafe.cell("A\rB"), csvsafe.cell("C\r\nD"), "E"]
    )
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["A\nB", "C\nD", "E"]]


@pytest.mark.parametrize("value", ["Cedar Family Medicine", "a=b", "", 5, -5, 2.5, -0.5, True])
def test_other_values_are_unchanged(value):
    assert csvsafe.cell(value) == value


def test_none_is_an_empty_cell_and_rows_of_either_shape():
    assert csvsafe.cell(None) == ""
    assert csvsafe.row(["=a", 1, None]) == ["'=a", 1, ""]
    assert csvsafe.row({"x": "@b", "y": -1}) == {"x": "'@b", "y": -1}


def test_frames_keep_numbers_and_neutralise_text():
    import pandas as pd

    frame = pd.DataFrame(
        {"practice": ["=cmd|' /C calc'!A0", "Fine"], "pay_min": [-1.0, None], "=col": ["x", "y"]}
    )
    text = csvsafe.frame(frame).to_csv(index=False)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["practice", "pay_min", "'=col"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-1.0", "x"]
    assert frame["practice"][0].startswith("=")  # the caller's frame is not changed


def test_the_batch_summary_csv_is_neutralised(tmp_path):
    from jdkit.batch import PracticeResult, write_summary

    rows = [
        PracticeResult(
            practice=text, slug=f"s{i}", source=f"{text}.yaml", status="failed", reason=text
        )
        for i, text in enumerate(HOSTILE)
    ]
    csv_path, _ = write_summary(rows, tmp_path)
    table = list(csv.DictReader(csv_path.open(encoding="utf-8", newline="")))
    assert [r["practice"] for r in table] == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert all(r["reason"].startswith("'") and r["source"].startswith("'") for r in table)
    assert not any(cell[:1] in csvsafe.TRIGGERS for r in table for cell in r.values())


def test_the_market_csv_is_neutralised():
    import dataclasses

    from jdkit.market_report import format_csv, lookup

    bands = [
        dataclasses.replace(band, note="=1+1", area_name="@evil")
        for band in lookup("medical-office-manager", "CO")
    ]
    rows = list(csv.DictReader(io.StringIO(format_csv(bands))))
    assert rows and all(r["note"] == "'=1+1" and r["area"] == "'@evil" for r in rows)
