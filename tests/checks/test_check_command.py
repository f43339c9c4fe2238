"""``jdkit check``: text and JSON reports, exit codes, bad input, and the poor-document corpus."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter

import jsonschema
import pytest

from jdkit.checks import check
from jdkit.cli import cli
from jdkit.params import load

from ..conftest import DATA, EXAMPLES, PARAMS, ROOT
from . import OURS

POOR = DATA / "poor"
TODAY = "2026-11-27"


def documented_schema() -> dict:
    """The JSON Schema of the report, read from docs/checks.md (the first json block with $schema)."""
    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```json\n(.*?)```", docs, re.S) if '"$schema"' in b)
    return json.loads(block)


def run_json(runner, *args):
    result = runner.invoke(cli, ["check", *args, "--format", "json", "--today", TODAY])
    return result, json.loads(result.stdout)


# -- the poor documents ---------------------------------------------------------------------

EXPECTED = list(csv.DictReader((POOR / "expected.csv").open(encoding="utf-8")))
POOR_FILES = sorted(POOR.glob("*.yaml"))


def test_every_poor_document_has_expectations():
    assert {row["file"] for row in EXPECTED} == {path.name for path in POOR_FILES} and len(
        POOR_FILES
    ) >= 5


@pytest.mark.parametrize("path", POOR_FILES, ids=[p.stem for p in POOR_FILES])
def test_poor_documents_get_exactly_the_expected_findings(path):
    found = [
        (f.rule, f.severity, f.field)
        for f in check(load(path), today=dt.date.fromisoformat(TODAY), families=OURS)
    ]
    expected = [(r["rule"], r["severity"], r["field"]) for r in EXPECTED if r["file"] == path.name]
    assert found == expected


# -- text -----------------------------------------------------------------------------------


def test_text_report_groups_by_document_and_section_with_the_score(runner):
    result = runner.invoke(
        cli, ["check", str(POOR / "vague-and-thin.yaml"), str(EXAMPLES[0]), "--today", TODAY]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "vague-and-thin.yaml: Vague And Thin Clinic, Medical Office Manager" in out
    assert re.search(r"^  score \d+/100: passed \(0 errors, \d+ warnings, \d+ notes\)$", out, re.M)
    # sections appear as headings in document order, findings indented below them
    summary, skills, pay = (
        out.index("\n  Summary\n"),
        out.index("\n  Required Skills\n"),
        out.index("\n  Compensation\n"),
    )
    assert summary < skills < pay
    assert "    warning  specificity.skill-without-example  skills.0.example: " in out
    assert "             fix: add an example" in out
    assert out.rstrip().endswith("2 documents checked: 2 passed, 0 failed")


def test_an_error_finding_exits_1(runner):
    result = runner.invoke(cli, ["check", str(POOR / "nyc-open-ended.yaml"), "--today", TODAY])
    assert result.exit_code == 1
    assert (
        "error    pay.range-required  compensation.salary_max: the pay range is open-ended"
        in result.stdout
    )
    assert "FAILED" in result.stdout and result.stderr == ""


def test_min_score_fails_a_document_below_it(runner):
    path = str(POOR / "vague-and-thin.yaml")  # warnings only
    _, report = run_json(runner, path)
    score = report["documents"][0]["score"]
    assert 0 < score < 90 and report["documents"][0]["counts"]["error"] == 0
    assert (
        runner.invoke(cli, ["check", path, "--today", TODAY, "--min-score", str(score)]).exit_code
        == 0
    )
    low = runner.invoke(
        cli, ["check", path, "--today", TODAY, "--min-score", str(score + 1), "--format", "json"]
    )
    assert low.exit_code == 1
    report = json.loads(low.stdout)
    assert report["documents"][0]["passed"] is False and report["min_score"] == score + 1
    assert report["summary"] == {"checked": 1, "passed": 0, "failed": 1, "bad_input": 0}


def test_every_example_passes_from_the_command_line(runner):
    result, report = run_json(runner, str(PARAMS), "--min-score", "90")
    assert result.exit_code == 0, result.output
    assert report["summary"]["checked"] == len(EXAMPLES) and report["summary"]["failed"] == 0


# -- bad input ------------------------------------------------------------------------------


def test_bad_input_is_one_line_exit_2_and_the_others_are_still_checked(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("role: medical-office-manager\npractice:\n  name: Bad\n  state: QQ\n")
    result = runner.invoke(cli, ["check", str(bad), str(EXAMPLES[0]), "--today", TODAY])
    assert result.exit_code == 2
    assert (
        result.stderr.count("\n") == 1
        and str(bad) in result.stderr
        and "practice.state" in result.stderr
    )
    assert EXAMPLES[0].name in result.stdout and "1 file with bad input" in result.stdout
    result, report = run_json(runner, str(bad), str(EXAMPLES[0]))
    assert result.exit_code == 2 and len(report["documents"]) == 1
    assert (
        report["errors"][0]["file"] == str(bad) and report["errors"][0]["field"] == "practice.state"
    )
    assert report["errors"][0]["message"] == result.stderr.removeprefix("error: ").strip()
    jsonschema.validate(report, documented_schema())


@pytest.mark.parametrize(
    "args", [["--today", "27/11/2026"], ["--min-score", "101"], ["--format", "xml"], []]
)
def test_bad_options_are_usage_errors(runner, args):
    result = runner.invoke(cli, ["check", *([str(EXAMPLES[0])] if args else []), *args])
    assert result.exit_code == 2 and result.stdout == ""


# -- JSON -----------------------------------------------------------------------------------


def test_json_reports_validate_against_the_documented_schema(runner):
    schema = documented_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    result, report = run_json(runner, str(PARAMS), str(POOR))
    assert result.exit_code == 1
    jsonschema.validate(report, schema)
    assert report["version"] == 1 and report["today"] == TODAY and report["min_score"] == 0
    assert len(report["documents"]) == len(EXAMPLES) + len(POOR_FILES)
    assert set(Counter(f["severity"] for d in report["documents"] for f in d["findings"])) == {
        "error",
        "warning",
        "info",
    }


def test_the_schema_rejects_a_report_of_another_shape(runner):
    _, report = run_json(runner, str(EXAMPLES[0]))
    report["documents"][0]["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, documented_schema())


def test_json_is_stable_and_its_scores_follow_from_its_findings(runner):
    first = runner.invoke(
        cli, ["check", str(PARAMS), str(POOR), "--format", "json", "--today", TODAY]
    ).stdout
    second = runner.invoke(
        cli, ["check", str(PARAMS), str(POOR), "--format", "json", "--today", TODAY]
    ).stdout
    assert first == second
    for doc in json.loads(first)["documents"]:
        per_rule: Counter[str] = Counter()
        total = 0
        for item in doc["findings"]:
            per_rule[item["rule"]] += 1
            total += (
                {"error": 20, "warning": 5, "info": 0}[item["severity"]]
                if per_rule[item["rule"]] <= 3
                else 0
            )
        assert doc["score"] == max(0, 100 - total)
        assert doc["counts"] == {
            s: sum(f["severity"] == s for f in doc["findings"])
            for s in ("error", "warning", "info")
        }


def test_the_documented_example_matches_real_output(runner):
    _, report = run_json(runner, str(PARAMS / "lone-star-pediatrics.yaml"))
    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    example = json.loads(
        next(b for b in re.findall(r"```json\n(.*?)```", docs, re.S) if '"version": 1' in b)
    )
    jsonschema.validate(example, documented_schema())
    doc, real = example["documents"][0], report["documents"][0]
    assert {k: doc[k] for k in ("file", "practice", "role", "title")} == {
        k: real[k] for k in ("file", "practice", "role", "title")
    } | {"file": doc["file"]}
    assert doc["findings"][0] in real["findings"]


def test_today_defaults_to_the_current_date(runner):
    result = runner.invoke(cli, ["check", str(EXAMPLES[0]), "--format", "json"])
    assert json.loads(result.stdout)["today"] == dt.date.today().isoformat()


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_findings_never_appear_in_the_documents(fmt):
    from jdkit.render import render

    model = load(POOR / "vague-and-thin.yaml")
    findings = check(model, today=dt.date.fromisoformat(TODAY))
    text = render(model, fmt)
    assert (
        findings and "Other duties as assigned" in text
    )  # the vague text itself is the practice's
    leaked = [f.rule for f in findings if f.rule in text or f.message in text or f.hint in text]
    assert leaked == []
