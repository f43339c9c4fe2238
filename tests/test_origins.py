"""Where each value came from: the practice's file, a spreadsheet row, the form's Save, or the role library."""

from __future__ import annotations

import json

import pytest
import yaml

from jdkit.cli import cli
from jdkit.document.jsonld import jobposting
from jdkit.models import JobDescription
from jdkit.origins import explain, origins, practice_pay
from jdkit.params import Params, build, load, loads
from jdkit.render import render
from jdkit.starter import starter

from .conftest import EXAMPLES

BASE = "role: medical-office-manager\npractice: {name: Origin Clinic, state: TX, city: Austin}\n"


def test_a_value_the_file_sets_is_the_practices_and_the_rest_the_roles():
    model = loads(BASE + "compensation: {salary_min: 70000, salary_max: 80000}\n")
    found = origins(model)
    assert found.of("compensation.salary_min") == "practice"
    assert found.of("compensation.bonus") == "role"
    assert found.of("compensation") == "mixed"
    assert found.of("summary") == "role"
    assert found.of("practice.name") == "practice"
    assert found.of("review.interval_months") == "default"
    assert practice_pay(model) == (70000, 80000)


def test_a_list_replaces_whole_and_a_null_counts_as_set():
    model = loads(
        BASE + "skills: [{skill: Scheduling, example: Builds the roster four weeks ahead.}]\n"
        "compensation: {bonus: null}\n"
    )
    found = origins(model)
    assert found.of("skills") == "practice" and found.of("skills.0.example") == "practice"
    assert found.of("compensation.bonus") == "practice" and model.compensation.bonus is None


def test_a_spreadsheet_row_records_only_its_filled_cells(tmp_path):
    from jdkit.sources import load_sources

    table = tmp_path / "practices.csv"
    table.write_text(
        "role,practice.name,practice.state,compensation.salary_min,compensation.salary_max\n"
        "medical-office-manager,Row Clinic,TX,71000,82000\n"
        "medical-office-manager,Blank Clinic,TX,,\n"
    )
    good, bad = load_sources([str(table)])
    assert not bad
    (_, paid), (_, blank) = good
    assert (
        practice_pay(paid) == (71000, 82000)
        and origins(paid).of("compensation.salary_min") == "practice"
    )
    assert (
        practice_pay(blank) == (None, None)
        and origins(blank).of("compensation.salary_min") == "default"
    )


def test_the_forms_save_keeps_the_practices_values_as_its_own(tmp_path):
    from jdkit.params import write as write_params

    model = loads(
        BASE + "compensation: {salary_min: 70000, salary_max: 80000}\nsummary: Runs the office.\n"
    )
    # as the form builds it (model_validate of its values): no record, derived from what differs from the role
    direct = JobDescription.model_validate(model.model_dump(exclude_computed_fields=True))
    assert direct == model
    assert (
        origins(direct).of("compensation.salary_min") == "practice"
        and origins(direct).of("summary") == "practice"
    )
    path = write_params(tmp_path, direct)
    again = load(path)
    assert origins(again).of("compensation.salary_min") == "practice"
    assert origins(again).of("benefits") == "role"


def test_no_practice_pay_means_no_pay_in_any_format():
    model = loads(BASE)
    assert practice_pay(model) == (None, None)
    html = render(model, "html")
    assert "To be set by the practice" in html
    assert "To be set by the practice" in render(model, "md")
    assert "baseSalary" not in jobposting(model)


@pytest.mark.parametrize(
    "period,amount,hint", [("HOUR", 85000, "period: YEAR"), ("YEAR", 19, "period: HOUR")]
)
def test_a_pay_figure_that_contradicts_its_period_is_bad_input(
    period, amount, hint, runner, tmp_path
):
    path = tmp_path / "bad.yaml"
    path.write_text(
        BASE + f"compensation: {{salary_min: {amount}, salary_max: {amount}, period: {period}}}\n"
    )
    result = runner.invoke(
        cli, ["render", str(path), "--to", "html", "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert (
        "compensation" in result.stderr and hint in result.stderr and "bad.yaml:3" in result.stderr
    )
    assert not list((tmp_path / "out").glob("*.html")) if (tmp_path / "out").exists() else True


def test_explain_lists_the_library_sections(runner):
    result = runner.invoke(cli, ["explain", str(EXAMPLES[0]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sections = {row["section"]: row for row in data[0]["sections"]}
    assert sections["summary"]["origin"] == "role"
    assert sections["compensation"]["origin"] in ("mixed", "practice")
    text = runner.invoke(cli, ["explain", str(EXAMPLES[0])])
    assert "still the role library's text" in text.stdout and "Summary" in text.stdout


def test_explain_names_the_overtime_jdkit_wrote():
    model = loads(
        BASE + "position: {flsa_status: non-exempt}\n"
        "compensation: {salary_min: 30, salary_max: 35, period: HOUR}\n"
    )
    rows = {row["section"]: row for row in explain(model)}
    assert rows["compensation"]["jdkit"] == ["compensation.overtime"]


def test_new_writes_empty_pay_with_what_the_law_asks(runner):
    result = runner.invoke(
        cli,
        [
            "new",
            "medical-receptionist",
            "--practice",
            "Birch Clinic",
            "--state",
            "CO",
            "--city",
            "Denver",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert data["compensation"]["salary_min"] is None and data["compensation"]["salary_max"] is None
    assert (
        "Colorado" in result.stdout
        and "minimum wage" in result.stdout
        and "Denver" in result.stdout
    )
    model = build(Params(data))
    assert practice_pay(model) == (None, None)


def test_new_keeps_a_hostile_name_inside_its_value():
    text = starter("medical-office-manager", "Birch\nsummary: injected", "CO", today="2026-12-01")
    data = yaml.safe_load(text)
    assert "summary" not in data and data["practice"]["name"] == "Birch\nsummary: injected"
    assert all(
        line.startswith(("#", " ", "role:", "practice:", "compensation:", "review:")) or not line
        for line in text.splitlines()
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_sets_its_own_pay(path):
    model = load(path)
    low, high = practice_pay(model)
    assert low is not None and high is not None
    assert origins(model).of("compensation.bonus") != "role"
