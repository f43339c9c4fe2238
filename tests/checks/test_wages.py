"""Wage floors: every row of minimum_wage.csv and exempt_salary.csv on both sides of its date and amount.

The level a practice must meet is worked out here from the CSV rows with the simplest
reading of the tables' rules (jdkit/data/README.md), independently of ``jdkit.wages``:
the federal row, the state's row (or the region holding the practice's city or county),
the city's row, each at its latest date in force, the highest counting.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jdkit.checks import check
from jdkit.data import Tables, table
from jdkit.models import JobDescription
from jdkit.params import Params, build

from ..conftest import EXAMPLES

WAGES = table("minimum_wage")
EXEMPT = table("exempt_salary")
NO_STATE_FLOOR = "TX"  # a state at the federal minimum wage and level: no row of its own


def _places(text: str) -> list[str]:
    return sorted(p.strip() for p in text.split("|") if p.strip())


def place_for(row: dict[str, str]) -> dict:
    """A practice in the row's place and size tier."""
    state = row["state"] or NO_STATE_FLOOR
    city = county = None
    if row["cities"]:
        city = _places(row["cities"])[0]
    elif row["counties"]:
        county = _places(row["counties"])[0]
    else:
        city = "Smallville"
    low, high = row.get("min_employees") or "", row.get("max_employees") or ""
    employees = int(low) if low else (int(high) if high else 10)
    return {
        "name": "Wage Clinic",
        "state": state,
        "city": city,
        "county": county,
        "employees": employees,
    }


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().replace(".", " ").split()).removesuffix(" county")


def _matches(
    row: dict[str, str], place: dict, rows: tuple[dict[str, str], ...], exemption: str | None
) -> bool:
    if exemption and row.get("exemptions") and exemption not in row["exemptions"].split("|"):
        return False
    low, high = row.get("min_employees") or "", row.get("max_employees") or ""
    if (low and place["employees"] < int(low)) or (high and place["employees"] > int(high)):
        return False
    if row["level"] == "federal":
        return True
    if row["state"] != place["state"]:
        return False
    city, county = _norm(place["city"]), _norm(place["county"])

    def here(r: dict[str, str]) -> bool:
        return city in {_norm(c) for c in _places(r["cities"])} or county in {
            _norm(c) for c in _places(r["counties"])
        }

    if row["level"] == "city" or row["cities"] or row["counties"]:
        return here(row)
    regions = [
        r
        for r in rows
        if r["state"] == row["state"] and r["level"] == "state" and (r["cities"] or r["counties"])
    ]
    return not any(here(r) for r in regions)


def expected(
    rows: tuple[dict[str, str], ...],
    place: dict,
    day: dt.date,
    amount: str,
    exemption: str | None = None,
) -> float | None:
    latest: dict[str, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: r["effective"]):
        if dt.date.fromisoformat(row["effective"]) <= day and _matches(row, place, rows, exemption):
            latest[row["jurisdiction_id"]] = row
    return max((float(r[amount]) for r in latest.values()), default=None)


def _sides(rows: tuple[dict[str, str], ...]) -> list:
    out = []
    for row in rows:
        first = min(r["effective"] for r in rows if r["jurisdiction_id"] == row["jurisdiction_id"])
        for offset, name in ((0, "effective-day"), (-1, "day-before")):
            if offset and row["effective"] == first and row["level"] == "federal":
                continue  # nothing before the federal floor's date
            out.append(
                pytest.param(row, offset, id=f"{row['jurisdiction_id']}-{row['effective']}-{name}")
            )
    return out


def test_the_tables_are_complete_and_sourced():
    for rows, amount in ((WAGES, "hourly"), (EXEMPT, "annual")):
        ids = {r["jurisdiction_id"] for r in rows}
        assert "us" in ids
        for row in rows:
            assert (
                float(row[amount]) > 0 and row["source"] and re.search(r"https?://", row["source"])
            ), row
            assert row["confirmed"] in ("yes", "no") and row["level"] in (
                "federal",
                "state",
                "city",
            )
            dt.date.fromisoformat(row["effective"])
            assert re.fullmatch(r"((\d{4}-)?\d{2}-\d{2})?", row["adjusts"]), row
        for jurisdiction in ids:  # a law re-sets its level on one day
            assert len({r["adjusts"] for r in rows if r["jurisdiction_id"] == jurisdiction}) == 1, (
                jurisdiction
            )
    assert {"ca", "wa", "co", "ak", "me", "ny_downstate", "ny_upstate"} <= {
        r["jurisdiction_id"] for r in EXEMPT
    }
    wage_ids = {r["jurisdiction_id"] for r in WAGES}
    assert {
        "denver",
        "seattle",
        "san_francisco",
        "los_angeles",
        "san_diego",
        "san_jose",
        "chicago",
    } <= wage_ids
    for row in EXEMPT:  # the weekly and yearly figures are the same level
        assert abs(float(row["weekly"]) * 52 - float(row["annual"])) < 1.0, row


@pytest.mark.parametrize("row,offset", _sides(WAGES))
def test_each_minimum_wage_row_on_both_sides_of_its_date_and_amount(row, offset):
    place = place_for(row)
    day = dt.date.fromisoformat(row["effective"]) + dt.timedelta(days=offset)
    level = expected(WAGES, place, day, "hourly")
    assert level is not None
    if offset == 0:
        assert level >= float(row["hourly"])  # the row is in force: nothing lower can count
    for pay, fails in ((round(level - 0.01, 2), True), (level, False)):
        model = build(
            Params(
                {
                    "role": "medical-receptionist",
                    "practice": place,
                    "compensation": {"salary_min": pay, "salary_max": level + 5, "period": "HOUR"},
                }
            )
        )
        found = [
            f for f in check(model, today=day, families=["pay"]) if f.rule == "pay.minimum-wage"
        ]
        assert bool(found) is fails, (pay, level, [f.message for f in found])
        if fails:
            assert (
                f"${level:,.2f} an hour" in found[0].message and "source: http" in found[0].message
            )


@pytest.mark.parametrize("row,offset", _sides(EXEMPT))
def test_each_exempt_salary_row_on_both_sides_of_its_date_and_amount(row, offset):
    place = place_for(row)
    day = dt.date.fromisoformat(row["effective"]) + dt.timedelta(days=offset)
    level = expected(EXEMPT, place, day, "annual", exemption="executive")
    assert level is not None
    for pay, fails in ((round(level - 1, 2), True), (level, False)):
        model = build(
            Params(
                {
                    "role": "medical-office-manager",
                    "practice": place,
                    "compensation": {
                        "salary_min": pay,
                        "salary_max": level + 20000,
                        "period": "YEAR",
                    },
                }
            )
        )
        found = [
            f
            for f in check(model, today=day, families=["flsa"])
            if f.rule == "flsa.salary-level" and f.severity == "error"
        ]
        assert bool(found) is fails, (pay, level, [f.message for f in found])
        if fails:
            assert f"${level:,.2f} a year" in found[0].message


def practice(state: str, city: str | None = None, **extra) -> dict:
    return {"name": "Rule Clinic", "state": state, "city": city, "employees": 20, **extra}


def run(data: dict, today: dt.date = dt.date(2026, 12, 1), families=("pay", "flsa")) -> list:
    return check(build(Params(data)), today=today, families=list(families))


def rules(found: list, severity: str | None = None) -> list[str]:
    return [f.rule for f in found if severity is None or f.severity == severity]


def test_an_exempt_manager_paid_by_the_hour_fails_the_salary_basis_test():
    found = run(
        {
            "role": "medical-office-manager",
            "practice": practice("WA", "Seattle"),
            "compensation": {"salary_min": 18, "salary_max": 22, "period": "HOUR"},
        }
    )
    assert "flsa.salary-basis" in rules(found, "error")
    fixed = run(
        {
            "role": "medical-office-manager",
            "practice": practice("WA", "Seattle"),
            "position": {"flsa_status": "non-exempt"},
            "compensation": {"salary_min": 38, "salary_max": 45, "period": "HOUR"},
        }
    )
    assert "flsa.salary-basis" not in rules(fixed) and "pay.minimum-wage" not in rules(fixed)


def test_the_old_library_default_is_under_the_2026_exempt_level_in_california_and_washington():
    for state, city in (("CA", "Fresno"), ("WA", "Spokane")):
        found = run(
            {
                "role": "medical-office-manager",
                "practice": practice(state, city),
                "compensation": {"salary_min": 68000, "salary_max": 92000},
            }
        )
        assert "flsa.salary-level" in rules(found, "error"), state


def test_new_york_sets_no_salary_level_for_professionals():
    data = {
        "role": "medical-office-manager",
        "practice": practice("NY", "Buffalo"),
        "compensation": {"salary_min": 50000, "salary_max": 60000},
    }
    assert "flsa.salary-level" in rules(run(data), "error")
    professional = {**data, "position": {"exemption": "professional"}}
    assert "flsa.salary-level" not in rules(run(professional), "error")  # the federal level is met


def test_an_unknown_new_york_region_takes_the_higher_level_and_says_so():
    level = expected(
        EXEMPT,
        {"state": "NY", "city": "New York", "county": None, "employees": 20},
        dt.date(2026, 12, 1),
        "annual",
        "executive",
    )
    data = {
        "role": "medical-office-manager",
        "practice": practice("NY"),
        "compensation": {"salary_min": level - 100, "salary_max": level + 1000},
    }
    found = [f for f in run(data) if f.rule == "flsa.salary-level"]
    assert found and "practice.city is not set" in found[0].message


def test_overtime_text_that_contradicts_the_status_is_a_warning():
    exempt = run(
        {
            "role": "medical-office-manager",
            "practice": practice("TX", "Austin"),
            "compensation": {
                "salary_min": 70000,
                "salary_max": 80000,
                "overtime": "Hours over 40 are paid at 1.5 times the regular rate.",
            },
        }
    )
    assert "flsa.overtime-text" in rules(exempt, "warning")
    non_exempt = run(
        {
            "role": "medical-receptionist",
            "practice": practice("TX", "Austin"),
            "compensation": {
                "salary_min": 18,
                "salary_max": 20,
                "overtime": "No overtime is paid.",
            },
        }
    )
    assert "flsa.overtime-text" in rules(non_exempt, "warning")


def test_switching_the_status_replaces_the_roles_overtime_text():
    model = build(
        Params(
            {
                "role": "medical-office-manager",
                "practice": practice("TX", "Austin"),
                "position": {"flsa_status": "non-exempt"},
                "compensation": {"salary_min": 30, "salary_max": 38, "period": "HOUR"},
            }
        )
    )
    assert "no overtime" not in model.compensation.overtime.lower()
    assert "one and a half times" in model.compensation.overtime
    assert not [
        f for f in check(model, today=dt.date(2026, 12, 1)) if f.rule == "flsa.overtime-text"
    ]
    kept = build(
        Params(
            {
                "role": "medical-office-manager",
                "practice": practice("TX", "Austin"),
                "position": {"flsa_status": "non-exempt"},
                "compensation": {"overtime": "Overtime is approved ahead and paid at 1.5 times."},
            }
        )
    )
    assert kept.compensation.overtime == "Overtime is approved ahead and paid at 1.5 times."


def test_the_duties_test_is_information_with_californias_rule():
    found = run(
        {
            "role": "medical-office-manager",
            "practice": practice("CA", "Fresno"),
            "compensation": {"salary_min": 80000, "salary_max": 90000},
        }
    )
    duties = [f for f in found if f.rule == "flsa.duties-test"]
    assert duties and duties[0].severity == "info" and "more than half" in duties[0].message


def test_a_yearly_non_exempt_salary_is_compared_at_40_hours_a_week():
    found = run(
        {
            "role": "medical-receptionist",
            "practice": practice("WA", "Seattle"),
            "compensation": {"salary_min": 30000, "salary_max": 40000, "period": "YEAR"},
        }
    )
    wage = [f for f in found if f.rule == "pay.minimum-wage"]
    assert wage and "at 40 hours a week" in wage[0].message


def _own_tables(tmp_path, extra_row: str) -> Tables:
    """A user's folder: jdkit's minimum wage table plus one row of their own."""
    from importlib import resources

    text = resources.files("jdkit.data").joinpath("minimum_wage.csv").read_text(encoding="utf-8")
    (tmp_path / "minimum_wage.csv").write_text(
        text.rstrip("\n") + "\n" + extra_row + "\n", encoding="utf-8"
    )
    return Tables(tmp_path)


def test_an_announced_increase_inside_the_posting_window_is_a_warning(tmp_path):
    tables = _own_tables(
        tmp_path,
        'testville,"Testville, CO",city,CO,,,testville,,,2027-03-01,40.00,,no,'
        "https://example.org/testville-ordinance (a test row)",
    )
    data = {
        "role": "medical-receptionist",
        "practice": practice("CO", "Testville"),
        "compensation": {"salary_min": 30, "salary_max": 45, "period": "HOUR"},
    }
    model = build(Params(data))
    found = check(model, today=dt.date(2026, 12, 1), families=["pay"], tables=tables)
    assert "pay.minimum-wage" not in rules(found)
    upcoming = [f for f in found if f.rule == "pay.minimum-wage-upcoming"]
    assert (
        upcoming and "2027-03-01" in upcoming[0].message and "$40.00 an hour" in upcoming[0].message
    )
    after = check(model, today=dt.date(2027, 3, 1), families=["pay"], tables=tables)
    assert "pay.minimum-wage" in rules(after, "error")
    assert "pay.minimum-wage" not in rules(
        check(model, today=dt.date(2027, 3, 1), families=["pay"])
    )


@pytest.mark.parametrize(
    "row,column",
    [
        ("bad,Bad,city,CO,,,badtown,,,2027-01-01,-3.00,,no,https://example.org", "hourly"),
        ("bad,Bad,city,CO,,,badtown,,,2027-01-01,0,,no,https://example.org", "hourly"),
        ("bad,Bad,city,CO,,,badtown,,,01/01/2027,15.00,,no,https://example.org", "effective"),
        ("bad,Bad,town,CO,,,badtown,,,2027-01-01,15.00,,no,https://example.org", "level"),
        ("bad,Bad,city,CO,,,badtown,,,2027-01-01,15.00,Jan 1,no,https://example.org", "adjusts"),
        ("bad,Bad,city,CO,,,badtown,,,2027-01-01,15.00,02-29,no,https://example.org", "adjusts"),
        (
            "denver,Denver,city,CO,,,denver,,,2027-01-01,20.00,07-01,no,https://example.org",
            "adjusts",
        ),
    ],
)
def test_a_bad_row_in_a_users_table_is_one_line_and_exit_2(row, column, tmp_path, runner):
    from jdkit.cli import cli

    _own_tables(tmp_path, row)
    example = EXAMPLES[0]
    result = runner.invoke(cli, ["check", str(example), "--tables", str(tmp_path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert (
        len(lines) == 1
        and "minimum_wage.csv, row" in lines[0]
        and column in lines[0]
        and "fix:" in lines[0]
    )
    assert result.stdout == ""


def test_an_unknown_city_uses_the_state_minimum_and_says_so():
    found = run(
        {
            "role": "medical-receptionist",
            "practice": practice("CO", "Nowhereville"),
            "compensation": {"salary_min": 30, "salary_max": 35, "period": "HOUR"},
        }
    )
    basis = [f for f in found if f.rule == "pay.minimum-wage-basis"]
    assert basis and "no local minimum wage for 'Nowhereville'" in basis[0].message


HEALTH = table("health_care_minimum_wage")


@pytest.mark.parametrize(
    "row", HEALTH, ids=[f"{r['jurisdiction_id']}-{r['effective']}" for r in HEALTH]
)
def test_each_health_care_minimum_wage_row_on_both_sides_of_its_amount(row):
    day = dt.date.fromisoformat(row["effective"])
    rate = float(row["hourly"])
    for providers, severity in ((30, "warning"), (None, "warning"), (5, "info")):
        for pay, fails in ((round(rate - 0.01, 2), True), (rate, False)):
            place = {
                "name": "Group Clinic",
                "state": row["state"],
                "city": "Fresno",
                "providers": providers,
            }
            model = build(
                Params(
                    {
                        "role": "medical-receptionist",
                        "practice": place,
                        "compensation": {
                            "salary_min": pay,
                            "salary_max": rate + 5,
                            "period": "HOUR",
                        },
                    }
                )
            )
            found = [
                f
                for f in check(model, today=day, families=["pay"])
                if f.rule == "pay.health-care-minimum-wage"
            ]
            assert bool(found) is fails, (providers, pay)
            if fails:
                assert found[0].severity == severity and f"${rate:,.2f} an hour" in found[0].message


def test_exempt_staff_of_a_covered_group_need_150_percent_of_the_health_care_wage():
    row = max(
        (r for r in HEALTH if dt.date.fromisoformat(r["effective"]) <= dt.date(2026, 12, 1)),
        key=lambda r: r["effective"],
    )
    needed = 1.5 * float(row["hourly"]) * 2080
    for pay, fails in ((needed - 1, True), (needed + 1, False)):
        model = build(
            Params(
                {
                    "role": "medical-office-manager",
                    "compensation": {"salary_min": pay, "salary_max": pay + 20000},
                    "practice": {
                        "name": "Group Clinic",
                        "state": "CA",
                        "city": "Fresno",
                        "providers": 40,
                    },
                }
            )
        )
        found = [
            f
            for f in check(model, today=dt.date(2026, 12, 1), families=["pay"])
            if f.rule == "pay.health-care-minimum-wage"
        ]
        assert bool(found) is fails and (not fails or "150%" in found[0].message)


# Yearly re-sets the table has no figure for yet (pay.minimum-wage-unannounced,
# flsa.salary-level-unannounced), on small tables of a user's own so that the dates stay put.
WAGE_HEADER = "jurisdiction_id,name,level,state,region,counties,cities,min_employees,max_employees,effective,hourly"
EXEMPT_HEADER = (
    "jurisdiction_id,name,level,state,region,counties,cities,effective,weekly,annual,exemptions"
)
WAGE_ROWS = [
    ("us,United States,federal,,,,,,,2009-07-24,7.25", "", "yes,https://example.org/flsa"),
    (
        "wa,Washington,state,WA,,,,,,2025-01-01,16.66",
        "01-01",
        "no,https://example.org/rcw-49.46.020",
    ),
    (
        "wa,Washington,state,WA,,,,,,2026-01-01,17.13",
        "01-01",
        "no,https://example.org/rcw-49.46.020",
    ),
    ("ri,Rhode Island,state,RI,,,,,,2026-01-01,16.00", "", "no,https://example.org/ri-no-indexing"),
    (
        "fl,Florida,state,FL,,,,,,2026-09-30,15.00",
        "2028-01-01",
        "no,https://example.org/fla-const-x-24",
    ),
]
EVERY = "executive|administrative|professional"
EXEMPT_ROWS = [
    (
        f"us,United States (FLSA),federal,,,,,2020-01-01,684.00,35568.00,{EVERY}",
        "",
        "yes,https://example.org/flsa",
    ),
    (
        f"wa,Washington,state,WA,,,,2026-01-01,1541.70,80168.40,{EVERY}",
        "01-01",
        "no,https://example.org/wac-296",
    ),
    (
        f"ri,Rhode Island,state,RI,,,,2026-01-01,1200.00,62400.00,{EVERY}",
        "",
        "no,https://example.org/ri-fixed",
    ),
]


def _reset_tables(folder, *, column: bool = True, extra: tuple = ()) -> Tables:
    """Both wage tables, with or without the adjusts column (a user's table may predate it)."""
    for name, header, table_rows in (
        ("minimum_wage", WAGE_HEADER, WAGE_ROWS + list(extra)),
        ("exempt_salary", EXEMPT_HEADER, EXEMPT_ROWS),
    ):
        lines = [header + (",adjusts" if column else "") + ",confirmed,source"]
        lines += [
            f"{head},{adjusts + ',' if column else ''}{tail}" for head, adjusts, tail in table_rows
        ]
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Tables(folder)


def receptionist(state: str, city: str, pay: float, **position) -> JobDescription:
    return build(
        Params(
            {
                "role": "medical-receptionist",
                "practice": practice(state, city),
                "position": position,
                "compensation": {"salary_min": pay, "salary_max": pay + 4, "period": "HOUR"},
            }
        )
    )


def manager(state: str, city: str, salary: float, **position) -> JobDescription:
    return build(
        Params(
            {
                "role": "medical-office-manager",
                "practice": practice(state, city),
                "position": position,
                "compensation": {
                    "salary_min": salary,
                    "salary_max": salary + 20000,
                    "period": "YEAR",
                },
            }
        )
    )


def unannounced(
    model, day: dt.date, tables: Tables, rule: str = "pay.minimum-wage-unannounced"
) -> list:
    family = rule.split(".")[0]
    return [f for f in check(model, today=day, families=[family], tables=tables) if f.rule == rule]


def test_pay_just_above_a_floor_due_to_re_set_is_a_warning_naming_the_date(tmp_path):
    found = unannounced(
        receptionist("WA", "Spokane", 17.50), dt.date(2026, 12, 2), _reset_tables(tmp_path)
    )
    assert (
        len(found) == 1
        and found[0].severity == "warning"
        and found[0].field == "compensation.salary_min"
    )
    assert found[0].message == (
        "Washington re-sets its minimum wage each January 1; the rate from 2027-01-01 is not in jdkit's table "
        "yet, and the lowest pay, $17.50 an hour, is within 10% of today's $17.13"
    )
    assert "https://example.org/rcw-49.46.020" in found[0].hint and "--tables" in found[0].hint


def test_pay_well_above_the_floor_or_a_re_set_beyond_the_window_is_not_a_warning(tmp_path):
    tables = _reset_tables(tmp_path)
    assert (
        unannounced(receptionist("WA", "Spokane", 20.56), dt.date(2026, 12, 2), tables) == []
    )  # 20% above
    assert (
        unannounced(receptionist("WA", "Spokane", 17.50), dt.date(2026, 6, 1), tables) == []
    )  # 214 days ahead


def test_a_posting_open_past_the_re_set_is_a_warning(tmp_path):
    model = receptionist("WA", "Spokane", 17.50, valid_through="2027-01-15")
    found = unannounced(model, dt.date(2026, 6, 1), _reset_tables(tmp_path))
    assert found and "the rate from 2027-01-01 is not in jdkit's table yet" in found[0].message


def test_no_warning_without_a_yearly_re_set_or_without_the_column(tmp_path):
    tables = _reset_tables(tmp_path)
    assert unannounced(receptionist("RI", "Providence", 16.50), dt.date(2026, 12, 2), tables) == []
    (tmp_path / "old").mkdir()
    old = _reset_tables(tmp_path / "old", column=False)
    assert unannounced(receptionist("WA", "Spokane", 17.50), dt.date(2026, 12, 2), old) == []
    assert (
        unannounced(
            manager("WA", "Spokane", 82000),
            dt.date(2026, 12, 2),
            old,
            "flsa.salary-level-unannounced",
        )
        == []
    )


def test_pay_under_the_floor_is_the_error_alone(tmp_path):
    found = check(
        receptionist("WA", "Spokane", 17.00),
        today=dt.date(2026, 12, 2),
        families=["pay"],
        tables=_reset_tables(tmp_path),
    )
    assert "pay.minimum-wage" in rules(
        found, "error"
    ) and "pay.minimum-wage-unannounced" not in rules(found)


def test_a_row_for_the_re_set_means_nothing_is_due(tmp_path):
    tables = _reset_tables(
        tmp_path,
        extra=(
            (
                "wa,Washington,state,WA,,,,,,2027-01-01,17.60",
                "01-01",
                "no,https://example.org/rcw-49.46.020",
            ),
        ),
    )
    assert unannounced(receptionist("WA", "Spokane", 17.70), dt.date(2026, 12, 2), tables) == []


def test_a_re_set_the_table_missed_is_a_warning_against_its_latest_rate(tmp_path):
    found = unannounced(
        receptionist("WA", "Spokane", 17.50), dt.date(2027, 2, 1), _reset_tables(tmp_path)
    )
    assert found and found[0].message == (
        "Washington re-sets its minimum wage each January 1; the rate from 2027-01-01 is not in jdkit's table, "
        "and the lowest pay, $17.50 an hour, is within 10% of $17.13, the latest rate jdkit has (from 2026-01-01)"
    )


def test_a_formula_that_starts_in_a_later_year_is_due_only_then(tmp_path):
    tables = _reset_tables(tmp_path)
    assert unannounced(receptionist("FL", "Tampa", 15.50), dt.date(2026, 12, 2), tables) == []
    found = unannounced(receptionist("FL", "Tampa", 15.50), dt.date(2027, 12, 1), tables)
    assert found and found[0].message.startswith(
        "Florida re-sets its minimum wage each January 1 from 2028; the rate from 2028-01-01 is not in"
    )


def test_a_salary_just_above_an_exempt_level_due_to_re_set_is_a_warning(tmp_path):
    tables = _reset_tables(tmp_path)
    rule = "flsa.salary-level-unannounced"
    found = unannounced(manager("WA", "Spokane", 82000), dt.date(2026, 12, 2), tables, rule)
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].message == (
        "Washington re-sets its exempt salary level each January 1; the level from 2027-01-01 is not in "
        "jdkit's table yet, and the lowest salary, $82,000 a year, is within 10% of today's $80,168.40 a year"
    )
    assert "https://example.org/wac-296" in found[0].hint and "non-exempt" in found[0].hint
    assert (
        unannounced(manager("WA", "Spokane", 96300), dt.date(2026, 12, 2), tables, rule) == []
    )  # 20% above
    assert unannounced(manager("WA", "Spokane", 82000), dt.date(2026, 6, 1), tables, rule) == []
    assert unannounced(
        manager("WA", "Spokane", 82000, valid_through="2027-01-15"),
        dt.date(2026, 6, 1),
        tables,
        rule,
    )
    assert unannounced(manager("RI", "Providence", 63000), dt.date(2026, 12, 2), tables, rule) == []
    non_exempt = manager("WA", "Spokane", 82000, flsa_status="non-exempt")
    assert unannounced(non_exempt, dt.date(2026, 12, 2), tables, rule) == []


def test_the_shipped_tables_warn_where_a_re_set_is_due_and_not_where_none_is():
    """Washington re-sets its minimum each January 1 and the shipped table has no 2027 row yet."""
    wa = [r for r in WAGES if r["jurisdiction_id"] == "wa"]
    if any(r["effective"] >= "2027-01-01" for r in wa):
        pytest.skip("the 2027 Washington rate has shipped")
    rate = max(wa, key=lambda r: r["effective"])
    assert rate["adjusts"] == "01-01"
    pay = round(float(rate["hourly"]) * 1.02, 2)
    model = receptionist("WA", "Spokane", pay)
    assert [f.rule for f in unannounced(model, dt.date(2026, 12, 2), None)] == [
        "pay.minimum-wage-unannounced"
    ]
    fixed = [r for r in WAGES if r["jurisdiction_id"] == "ri"]
    assert {r["adjusts"] for r in fixed} == {""}  # a fixed schedule: nothing to re-set


def test_californias_yearly_re_set_is_in_the_shipped_tables():
    """California re-sets its minimum wage, and with it the exempt salary level (twice the
    minimum wage), each January 1: a manager's salary just above today's level is a warning
    until jdkit's tables have the 2027 figure, as Washington's is."""
    ca = [r for r in WAGES if r["jurisdiction_id"] == "ca"]
    if any(r["effective"] >= "2027-01-01" for r in ca):
        pytest.skip("the 2027 California rate has shipped")
    assert {r["adjusts"] for r in ca} == {"01-01"}
    assert {r["adjusts"] for r in EXEMPT if r["jurisdiction_id"] == "ca"} == {"01-01"}
    rule = "flsa.salary-level-unannounced"
    found = unannounced(manager("CA", "Fresno", 72000), dt.date(2026, 12, 2), None, rule)
    assert [f.message for f in found] == [
        "California re-sets its exempt salary level each January 1; the level from 2027-01-01 is "
        "not in jdkit's table yet, and the lowest salary, $72,000 a year, is within 10% of today's "
        "$70,304.00 a year"
    ]
    assert "https://www.dir.ca.gov/DIRNews/2025/2025-118.html" in found[0].hint
    assert unannounced(manager("CA", "Fresno", 90000), dt.date(2026, 12, 2), None, rule) == []
