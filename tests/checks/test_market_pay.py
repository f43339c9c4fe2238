"""Market pay in use: the pay.market rule on both sides of each threshold, jdkit market, jdkit new's suggestion."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import yaml

from jdkit.checks import check
from jdkit.checks.market_pay import band_for
from jdkit.cli import cli
from jdkit.params import Params, build

TODAY = dt.date(2026, 12, 1)


def model(
    low: float | None, high: float | None, *, role="medical-receptionist", period="HOUR", **practice
):
    place = {"name": "Market Clinic", "state": "CO", "city": "Denver", "employees": 20, **practice}
    pay = {"period": period, "bonus": None}
    if low is not None:
        pay["salary_min"] = low
    if high is not None:
        pay["salary_max"] = high
    return build(Params({"role": role, "practice": place, "compensation": pay}))


def market(found) -> tuple[list[str], list[str]]:
    infos = [f.message for f in found if f.rule == "pay.market" and f.severity == "info"]
    warnings = [f.message for f in found if f.rule == "pay.market" and f.severity == "warning"]
    return infos, warnings


def band():
    found = band_for(model(25, 30))
    assert found is not None
    return found[0]


def test_the_band_is_the_denver_metro_estimate_for_offices_of_physicians():
    b, what, data = band_for(model(25, 30))
    assert (
        data.area_name == "Denver-Aurora-Centennial, CO" and data.soc == "43-4171" and data.estimate
    )
    assert "Offices-of-Physicians estimate" in what and b.p10 < b.p25 < b.median < b.p75 < b.p90


def test_info_with_the_band_always_and_no_warning_inside_it():
    b = band()
    infos, warnings = market(check(model(b.p25, b.p75), today=TODAY, families=["pay"]))
    assert (
        len(infos) == 1
        and "Denver-Aurora-Centennial" in infos[0]
        and "BLS OEWS, May 2025" in infos[0]
    )
    assert warnings == []


@pytest.mark.parametrize(
    "case,low,high,phrase,fires",
    [
        (
            "midpoint under p10",
            lambda b: b.p10 - 2.02,
            lambda b: b.p10 - 0.0,
            "under the 10th percentile",
            True,
        ),
        (
            "midpoint at p10",
            lambda b: b.p10 - 1,
            lambda b: b.p10 + 1,
            "under the 10th percentile",
            False,
        ),
        (
            "range under p25",
            lambda b: b.p25 - 3,
            lambda b: b.p25 - 0.01,
            "under the 25th percentile",
            True,
        ),
        (
            "range reaching p25",
            lambda b: b.p25 - 3,
            lambda b: b.p25,
            "under the 25th percentile",
            False,
        ),
        (
            "range over p75",
            lambda b: b.p75 + 0.01,
            lambda b: b.p75 + 1,
            "over the 75th percentile",
            True,
        ),
        ("range from p75", lambda b: b.p75, lambda b: b.p75 + 1, "over the 75th percentile", False),
        (
            "midpoint over p90",
            lambda b: b.p90 + 0.01,
            lambda b: b.p90 + 2,
            "over the 90th percentile",
            True,
        ),
        (
            "midpoint at p90",
            lambda b: b.p90 - 1,
            lambda b: b.p90 + 1,
            "over the 90th percentile",
            False,
        ),
    ],
)
def test_the_rule_on_both_sides_of_each_threshold(case, low, high, phrase, fires):
    b = band()
    _, warnings = market(
        check(model(round(low(b), 2), round(high(b), 2)), today=TODAY, families=["pay"])
    )
    assert any(phrase in w for w in warnings) is fires, (case, warnings)


def test_a_yearly_range_is_compared_with_the_yearly_band():
    found = check(
        model(60000, 70000, role="medical-office-manager", period="YEAR"),
        today=TODAY,
        families=["pay"],
    )
    infos, warnings = market(found)
    assert "a year" in infos[0] and any("under the 10th percentile" in w for w in warnings)


def test_it_never_fires_on_a_range_the_practice_did_not_set():
    infos, warnings = market(check(model(None, None), today=TODAY, families=["pay"]))
    assert infos == [] and warnings == []


def test_another_occupation_can_be_chosen():
    chosen = build(
        Params(
            {
                "role": "medical-office-manager",
                "compensation": {
                    "salary_min": 60000,
                    "salary_max": 70000,
                    "market_soc": "43-1011",
                    "bonus": None,
                },
                "practice": {
                    "name": "Small Clinic",
                    "state": "CO",
                    "city": "Denver",
                    "employees": 6,
                },
            }
        )
    )
    infos, _ = market(check(chosen, today=TODAY, families=["pay"]))
    assert "43-1011" in infos[0] and "First-Line Supervisors" in infos[0]


def test_jdkit_market_prints_the_denver_band_in_three_formats(runner):
    text = runner.invoke(
        cli, ["market", "medical-office-manager", "--state", "CO", "--city", "Denver"]
    )
    assert text.exit_code == 0, text.output
    assert "Denver-Aurora-Centennial, CO (metro)" in text.stdout and "11-9111" in text.stdout
    assert "$137,760" in text.stdout  # the published median, May 2025
    assert (
        "Source: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics"
        in text.stdout
    )
    data = json.loads(
        runner.invoke(
            cli, ["market", "11-9111", "--state", "CO", "--city", "Denver", "--format", "json"]
        ).stdout
    )
    assert data[0]["annual"]["median"] == 137760 and data[1]["estimate"] is True
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(
                    cli,
                    ["market", "11-9111", "--state", "CO", "--city", "Denver", "--format", "csv"],
                ).stdout
            )
        )
    )
    assert {(r["figures"], r["period"]) for r in rows} == {
        ("published", "hourly"),
        ("published", "annual"),
        ("estimate-621100", "hourly"),
        ("estimate-621100", "annual"),
    }


def test_jdkit_market_says_what_it_used_for_an_unmatched_city(runner):
    result = runner.invoke(
        cli, ["market", "medical-coder", "--state", "CO", "--city", "Nowhereville"]
    )
    assert result.exit_code == 0 and "the state's figures are used" in result.stdout


@pytest.mark.parametrize(
    "args,says",
    [
        (["office-manager", "--state", "CO"], "did you mean medical-office-manager"),
        (["99-9999", "--state", "CO"], "no OEWS figures for SOC code"),
        (["medical-coder", "--state", "XX"], "no figures for state"),
    ],
)
def test_jdkit_market_bad_input_is_one_line_and_exit_2(runner, args, says):
    result = runner.invoke(cli, ["market", *args])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and says in result.stderr, (
        result.output
    )


def test_a_withheld_figure_is_shown_as_withheld(runner):
    result = runner.invoke(
        cli, ["market", "11-9111", "--state", "NY", "--metro", "Ithaca, NY", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)[0]
    assert data["employment"] is None  # BLS withholds Ithaca's employment (**); wages are published
    assert data["annual"]["median"] and data["annual"]["median"] != 0


def test_new_suggests_a_band_that_check_never_takes_as_pay(runner, tmp_path):
    result = runner.invoke(
        cli,
        [
            "new",
            "medical-receptionist",
            "--practice",
            "Birch Clinic",
            "--state",
            "WA",
            "--city",
            "Seattle",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Market reference, not the practice's pay" in result.stdout
    path = tmp_path / "birch.yaml"
    path.write_text(result.stdout)
    data = yaml.safe_load(result.stdout)
    assert data["compensation"]["salary_min"] is None
    checked = runner.invoke(cli, ["check", str(path), "--format", "json"])
    findings = json.loads(checked.stdout)["documents"][0]["findings"]
    rules = {f["rule"] for f in findings}
    assert (
        "pay.not-set" in rules and "pay.market" not in rules
    )  # the suggestion is no range of the practice's
    assert any(
        f["rule"] == "pay.not-set" and f["severity"] == "error" for f in findings
    )  # Washington's law
