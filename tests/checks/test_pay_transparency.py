"""Pay transparency: every row of jdkit/data/pay_transparency.csv on both sides of its date and threshold."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jdkit.checks import check
from jdkit.checks.pay_transparency import applicable, laws
from jdkit.data import table
from jdkit.params import Params, build

ROWS = table("pay_transparency")
NO_BENEFITS = {"health": None, "pto": None, "retirement": None, "development": None, "other": []}
NO_RANGE = {"salary_min": None, "salary_max": None, "bonus": None}


def practice_for(row: dict[str, str], employees: int | None) -> dict:
    """A practice in the row's place: its first listed city, or a town no city row names."""
    city = sorted(row["cities"].split("|"))[0] if row["level"] == "city" else "Smallville"
    return {"name": "Pay Clinic", "state": row["state"], "city": city, "employees": employees}


def model_for(row, employees, *, compensation=None, benefits=None, position=None):
    data = {
        "role": "medical-office-manager",
        "practice": practice_for(row, employees),
        "compensation": {"bonus": None, **(compensation if compensation is not None else NO_RANGE)},
    }
    if position is not None:
        data["position"] = position
    if benefits is not None:
        data["benefits"] = benefits
    return build(Params(data))


def errors(model, today, rule, severity="error"):
    return [
        f.message
        for f in check(model, today=today, families=["pay"])
        if f.rule == rule and f.severity == severity
    ]


def test_the_table_covers_the_required_jurisdictions():
    ids = {row["jurisdiction_id"] for row in ROWS}
    assert {
        "co",
        "ca",
        "wa",
        "ny",
        "nyc",
        "ithaca",
        "hi",
        "dc",
        "md",
        "il",
        "mn",
        "nj",
        "vt",
        "ma",
        "cleveland",
        "de",
    } <= ids
    assert next(row for row in ROWS if row["jurisdiction_id"] == "de")["effective"] == "2027-09-26"
    for row in ROWS:
        assert row["source"] and row["law"] and row["discloses_range"] == "yes", row
        assert row["discloses_benefits"] in ("yes", "no") and row["level"] in ("state", "city")
        assert row["discloses_deadline"] in ("yes", "no") and row["counts"] in (
            "total",
            "state",
            "city",
        )
        assert row["confirmed"] in ("yes", "no") and re.search(r"https?://", row["source"]), row
        dt.date.fromisoformat(row["effective"])
        if row["enforced_from"]:
            assert row["enforced_from"] > row["effective"], row
        assert int(row["min_employees"]) >= 1
        assert (row["level"] == "city") == bool(row["cities"]) and row["cities"] == row[
            "cities"
        ].lower()


# Every row on both sides of its date and its headcount threshold; a law covering every
# employer (threshold 1) has no headcount below it, so that case is not generated.
SIDES = [
    pytest.param(row, day, head, id=f"{row['jurisdiction_id']}-{day_id}-{head_id}")
    for row in ROWS
    for day, day_id in ((-1, "day-before"), (0, "effective-day"))
    for head, head_id in ((-1, "below-threshold"), (0, "at-threshold"))
    if int(row["min_employees"]) + head >= 1
]


@pytest.mark.parametrize("row,day_offset,head_offset", SIDES)
def test_each_row_on_both_sides_of_its_date_and_threshold(row, day_offset, head_offset):
    effective = dt.date.fromisoformat(row["effective"])
    today = effective + dt.timedelta(days=day_offset)
    employees = int(row["min_employees"]) + head_offset
    covered = day_offset == 0 and head_offset == 0
    enforced = covered and not row["enforced_from"]
    model = model_for(row, employees, benefits=NO_BENEFITS)
    in_force, upcoming = applicable(model.practice, today)
    assert (row["jurisdiction_id"] in {law.id for law in in_force}) is covered
    assert (row["jurisdiction_id"] in {law.id for law in upcoming}) is (
        day_offset < 0 and head_offset == 0
    )
    # The law's name is in the no-pay error exactly when it covers the practice and is enforced ...
    assert any(row["name"] in m for m in errors(model, today, "pay.not-set")) is enforced
    # ... (a warning naming the enforcement date while it is not yet) ...
    later = errors(model, today, "pay.not-set", "warning")
    assert any(row["name"] in m and row["enforced_from"] in m for m in later) is (
        covered and not enforced
    )
    # ... and in the benefits error when it also asks for benefits.
    asks = enforced and row["discloses_benefits"] == "yes"
    assert any(row["name"] in m for m in errors(model, today, "pay.benefits-required")) is asks


@pytest.mark.parametrize("row", ROWS, ids=[row["jurisdiction_id"] for row in ROWS])
def test_a_full_range_and_benefits_satisfy_each_row(row):
    today = dt.date.fromisoformat(row["effective"])
    model = model_for(
        row,
        int(row["min_employees"]),
        compensation={"salary_min": 60000, "salary_max": 80000},
        position={"valid_through": (today + dt.timedelta(days=30)).isoformat()},
    )
    found = check(model, today=today, families=["pay"])
    assert [
        f.rule for f in found if f.severity != "info" and f.rule != "pay.market"
    ] == []  # market: its own tests
    assert any(row["name"] in f.message for f in found if f.rule == "pay.law-applies")


def test_an_open_ended_range_is_an_error_where_a_law_applies():
    row = next(r for r in ROWS if r["jurisdiction_id"] == "co")
    model = model_for(
        row,
        5,
        compensation={"salary_min": 60000, "salary_max": None},
        position={"valid_through": "2027-01-15"},
    )
    found = [
        f
        for f in check(model, today=dt.date(2026, 11, 27), families=["pay"])
        if f.severity == "error"
    ]
    assert [(f.rule, f.field) for f in found] == [("pay.range-required", "compensation.salary_max")]
    assert "open-ended" in found[0].message


def test_without_a_law_a_missing_range_is_a_warning():
    model = build(
        Params(
            {
                "role": "medical-office-manager",
                "compensation": NO_RANGE,
                "benefits": NO_BENEFITS,
                "practice": {"name": "T", "state": "TX", "city": "Austin", "employees": 500},
            }
        )
    )
    found = [
        (f.rule, f.severity) for f in check(model, today=dt.date(2026, 11, 27), families=["pay"])
    ]
    assert found == [("pay.not-set", "warning")]
    open_ended = build(
        Params(
            {
                "role": "medical-office-manager",
                "compensation": {"salary_min": 70000},
                "practice": {"name": "T", "state": "TX", "city": "Austin", "employees": 500},
            }
        )
    )
    found = [
        (f.rule, f.severity)
        for f in check(open_ended, today=dt.date(2026, 11, 27), families=["pay"])
    ]
    assert ("pay.range-recommended", "warning") in found


def test_a_city_row_needs_the_city():
    nyc = next(r for r in ROWS if r["jurisdiction_id"] == "nyc")
    model = build(
        Params(
            {
                "role": "medical-office-manager",
                "compensation": NO_RANGE,
                "practice": {"name": "T", "state": "NY", "city": "Buffalo", "employees": 50},
            }
        )
    )
    ids = {law.id for law in applicable(model.practice, dt.date(2026, 11, 27))[0]}
    assert ids == {"ny"} and "nyc" not in ids and nyc["name"] == "New York City"
    for spelling in (
        "New York",
        "new york city",
        "NYC",
        "Staten  Island",
        "The Bronx",
        "New York, NY",
    ):
        practice = model.practice.model_copy(update={"city": spelling})
        assert "nyc" in {law.id for law in applicable(practice, dt.date(2026, 11, 27))[0]}, spelling


def test_an_unknown_headcount_is_covered_and_says_so():
    model = build(
        Params(
            {
                "role": "medical-office-manager",
                "compensation": NO_RANGE,
                "practice": {"name": "T", "state": "CA", "city": "Fresno"},
            }
        )
    )
    found = check(model, today=dt.date(2026, 11, 27), families=["pay"])
    assert [f.rule for f in found if f.rule != "pay.library-terms"] == [
        "pay.not-set",
        "pay.law-applies",
    ]
    assert "practice.employees is not set" in found[1].message


def test_delaware_takes_effect_on_2027_09_26():
    model = build(
        Params(
            {
                "role": "medical-office-manager",
                "compensation": NO_RANGE,
                "practice": {"name": "T", "state": "DE", "city": "Dover", "employees": 30},
            }
        )
    )
    before = check(model, today=dt.date(2027, 9, 25), families=["pay"])
    assert [(f.rule, f.severity) for f in before] == [
        ("pay.not-set", "warning"),
        ("pay.law-upcoming", "info"),
    ]
    assert "2027-09-26" in before[1].message
    after = check(model, today=dt.date(2027, 9, 26), families=["pay"])
    assert [(f.rule, f.severity) for f in after] == [
        ("pay.not-set", "error"),
        ("pay.law-applies", "info"),
    ]


def test_a_law_that_counts_locally_uses_the_local_headcount():
    ma = next(r for r in ROWS if r["jurisdiction_id"] == "ma")
    assert ma["counts"] == "state"
    base = {"role": "medical-office-manager", "compensation": NO_RANGE}
    total = build(
        Params(
            {**base, "practice": {"name": "T", "state": "MA", "city": "Boston", "employees": 40}}
        )
    )
    found = check(total, today=dt.date(2026, 11, 27), families=["pay"])
    assert ("pay.not-set", "error") in [(f.rule, f.severity) for f in found]
    assert any(f.rule == "pay.headcount-basis" and "employees_in_state" in f.message for f in found)
    local = build(
        Params(
            {
                **base,
                "practice": {
                    "name": "T",
                    "state": "MA",
                    "city": "Boston",
                    "employees": 40,
                    "employees_in_state": 10,
                },
            }
        )
    )
    found = check(local, today=dt.date(2026, 11, 27), families=["pay"])
    assert [(f.rule, f.severity) for f in found] == [("pay.not-set", "warning")]


def test_colorado_asks_for_the_application_deadline():
    data = {
        "role": "medical-office-manager",
        "compensation": {"salary_min": 70000, "salary_max": 80000},
        "practice": {"name": "T", "state": "CO", "city": "Boulder", "employees": 10},
    }
    found = check(build(Params(data)), today=dt.date(2026, 11, 27), families=["pay"])
    assert [f.field for f in found if f.rule == "pay.deadline-required"] == [
        "position.valid_through"
    ]
    dated = build(Params({**data, "position": {"valid_through": "2027-01-15"}}))
    assert not [
        f
        for f in check(dated, today=dt.date(2026, 11, 27), families=["pay"])
        if f.severity == "error"
    ]


def test_columbus_is_a_warning_until_enforcement_starts():
    row = next(r for r in ROWS if r["jurisdiction_id"] == "columbus")
    start = dt.date.fromisoformat(row["enforced_from"])
    model = model_for(row, 50)
    before = errors(model, start - dt.timedelta(days=1), "pay.not-set", "warning")
    assert any(row["enforced_from"] in m for m in before)
    assert any(row["name"] in m for m in errors(model, start, "pay.not-set"))


def test_a_role_never_supplies_pay():
    from jdkit.roles import all_roles

    for role in all_roles():
        pay = role.defaults.get("compensation", {})
        assert pay.get("salary_min") is None and pay.get("salary_max") is None, role.id


def test_every_law_has_a_readable_label():
    for law in laws():
        assert re.fullmatch(r".+ \(.+\)", law.label())
