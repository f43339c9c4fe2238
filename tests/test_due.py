"""``jdkit due``: last review, owner and next due date per document, overdue first; exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import yaml

from jdkit.cli import cli
from jdkit.due import any_overdue, due_rows, format_rows
from jdkit.params import Params, build

from .conftest import DATA, EXAMPLES


def write(folder, name, last=None, owner=None, practice=None, **extra):
    data = {
        "role": "medical-receptionist",
        "practice": {"name": practice or name.title(), "state": "CO"},
        **extra,
    }
    review = {"last_reviewed": last, "owner": owner}
    data["review"] = {k: v for k, v in review.items() if v is not None}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path):
    """Four practices: one long overdue, one just overdue, one due soon, one current."""
    write(tmp_path, "aspen", "2024-05-01", "Physician Owner")
    write(tmp_path, "birch", "2025-11-20", "Practice Administrator")
    write(tmp_path, "cedar", "2025-12-15", "Medical Office Manager")
    write(tmp_path, "dogwood", "2026-10-01", "Medical Office Manager")
    return tmp_path


def test_text_table_lists_overdue_first_and_exits_1(runner, folder):
    result = runner.invoke(cli, ["due", str(folder), "--today", "2026-11-27"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["STATUS", "NEXT", "DUE"]
    order = [line.split()[0] for line in lines[1:5]]
    assert order == ["OVERDUE", "OVERDUE", "due", "current"]
    assert "Aspen" in lines[1] and "2025-05-01" in lines[1] and "Physician Owner" in lines[1]
    assert "Birch" in lines[2] and "-7" in lines[2]
    assert "Cedar" in lines[3] and "2026-12-15" in lines[3]
    assert lines[-1] == "4 document(s) as of 2026-11-27: 2 overdue, 1 due within 30 days"


def test_nothing_overdue_exits_0(runner, folder):
    result = runner.invoke(
        cli,
        ["due", str(folder / "dogwood.yaml"), str(folder / "cedar.yaml"), "--today", "2026-11-27"],
    )
    assert result.exit_code == 0, result.output
    assert "0 overdue" in result.stdout


def test_the_examples_are_current_today_and_overdue_in_two_years(runner):
    paths = [str(p) for p in EXAMPLES]
    assert runner.invoke(cli, ["due", *paths, "--today", "2026-11-27"]).exit_code == 0
    later = runner.invoke(cli, ["due", *paths, "--today", "2028-11-27"])
    assert later.exit_code == 1 and later.stdout.count("OVERDUE") == len(paths)


def test_csv_has_a_header_and_one_row_per_document(runner, folder):
    result = runner.invoke(cli, ["due", str(folder), "--today", "2026-11-27", "--format", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["practice"] for r in rows] == ["Aspen", "Birch", "Cedar", "Dogwood"]
    assert rows[0] == {
        "status": "overdue",
        "next_due": "2025-05-01",
        "days_left": "-575",
        "last_reviewed": "2024-05-01",
        "owner": "Physician Owner",
        "practice": "Aspen",
        "title": "Medical Receptionist",
        "file": str(folder / "aspen.yaml"),
    }


def test_json_reports_the_date_the_count_and_each_document(runner, folder):
    result = runner.invoke(cli, ["due", str(folder), "--today", "2026-11-27", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["today"] == "2026-11-27" and data["overdue"] == 2
    assert [d["status"] for d in data["documents"]] == ["overdue", "overdue", "due soon", "current"]
    assert data["documents"][3]["days_left"] == (dt.date(2027, 10, 1) - dt.date(2026, 11, 27)).days


def test_a_document_never_reviewed_is_overdue_and_comes_first(runner, tmp_path):
    # The role sets a default review date; a practice that blanks it has never reviewed its copy.
    write(tmp_path, "aspen", "2026-10-01", "Physician Owner")
    path = tmp_path / "elm.yaml"
    path.write_text(
        "role: medical-coder\npractice: {name: Elm, state: TX}\nreview: {last_reviewed: null, owner: null}\n"
    )
    result = runner.invoke(cli, ["due", str(tmp_path), "--today", "2026-11-27"])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[1]
    assert (
        first.startswith("NEVER REVIEWED")
        and "never" in first
        and "(no owner)" in first
        and "Elm" in first
    )


def test_a_bad_file_is_one_line_and_exit_2_while_the_others_are_listed(runner, folder):
    result = runner.invoke(
        cli,
        [
            "due",
            str(DATA / "bad" / "min-above-max.yaml"),
            str(folder / "dogwood.yaml"),
            "--today",
            "2026-11-27",
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "min-above-max.yaml" in result.stderr
    assert "Dogwood" in result.stdout


def test_bad_today_and_bad_format_are_usage_errors(runner, folder):
    assert runner.invoke(cli, ["due", str(folder), "--today", "27/11/2026"]).exit_code == 2
    assert runner.invoke(cli, ["due", str(folder), "--format", "xml"]).exit_code == 2


def test_review_interval_is_capped_at_twelve_months_as_the_check_does():
    model = build(
        Params(
            {
                "role": "medical-assistant",
                "practice": {"name": "Fir", "state": "CO"},
                "review": {"last_reviewed": "2025-01-10", "interval_months": 24},
            }
        )
    )
    [row] = due_rows([("fir.yaml", model)], today=dt.date(2026, 1, 11))
    assert row.next_due == dt.date(2026, 1, 10) and row.status == "overdue" and any_overdue([row])


def test_csv_cells_cannot_start_a_spreadsheet_formula():
    model = build(
        Params(
            {
                "role": "medical-assistant",
                "practice": {"name": '=HYPERLINK("x")', "state": "CO"},
                "review": {"last_reviewed": "2026-10-01", "owner": "@owner"},
            }
        )
    )
    text = format_rows(due_rows([("f.yaml", model)], today=dt.date(2026, 11, 27)), "csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["practice"] == '\'=HYPERLINK("x")' and row["owner"] == "'@owner"


def test_the_document_the_check_and_due_agree_on_a_24_month_interval(tmp_path):
    import datetime as dt

    from jdkit.checks import check
    from jdkit.due import due_rows
    from jdkit.params import loads
    from jdkit.render import render

    model = loads(
        "role: medical-office-manager\npractice: {name: Long Clinic, state: TX}\n"
        "review: {last_reviewed: 2026-01-10, interval_months: 24}\n"
    )
    assert model.review.next_due == dt.date(2027, 1, 10)
    assert "2027-01-10" in render(model, "html") or "January 10, 2027" in render(model, "html")
    found = [f for f in check(model, today=dt.date(2026, 6, 1)) if f.rule == "review.next-due"]
    assert "2027-01-10" in found[0].message
    assert due_rows([("x.yaml", model)], today=dt.date(2026, 6, 1))[0].next_due == dt.date(
        2027, 1, 10
    )


def test_text_and_json_show_control_characters_instead_of_obeying_them(runner, tmp_path):
    write(
        tmp_path,
        "evil",
        "2026-10-01",
        "Lead \u202eright-to-left\u202c",
        practice="Evil \x1b[2J\x1b[32mAll reviews current\x1b[0m \x9b1m Clinic",
    )
    text = runner.invoke(cli, ["due", str(tmp_path), "--today", "2026-12-01"])
    assert text.exit_code == 0, text.output
    assert "Evil \\x1b[2J\\x1b[32mAll reviews current\\x1b[0m \\x9b1m Clinic" in text.stdout
    assert "Lead \\u202eright-to-left\\u202c" in text.stdout
    assert not any(ch in text.stdout for ch in "\x1b\x9b\u202e\u202c")
    data = runner.invoke(cli, ["due", str(tmp_path), "--format", "json", "--today", "2026-12-01"])
    assert "\x1b" not in data.stdout and "\x9b" not in data.stdout and "\u202e" not in data.stdout
    assert (
        json.loads(data.stdout)["documents"][0]["practice"]
        == "Evil \x1b[2J\x1b[32mAll reviews current\x1b[0m \x9b1m Clinic"
    )


def test_csv_uses_the_shared_helper_for_every_trigger():
    model = build(
        Params(
            {
                "role": "medical-assistant",
                "practice": {"name": "+1 Clinic", "state": "CO"},
                "review": {"last_reviewed": "2026-10-01", "owner": "-owner"},
            }
        )
    )
    text = format_rows(due_rows([("=f.yaml", model)], today=dt.date(2026, 11, 27)), "csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["practice"], row["owner"], row["file"]) == ("'+1 Clinic", "'-owner", "'=f.yaml")
    assert row["days_left"] == "308"  # numbers stay numbers
