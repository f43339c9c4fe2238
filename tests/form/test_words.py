"""The form's plain words: places by tab and label (rows from 1), errors, findings, file errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jdkit
from jdkit.checks import check
from jdkit.errors import ParamsError
from jdkit.form.actions import file_error, short
from jdkit.form.words import (
    error_text,
    finding_words,
    groups,
    place,
    place_of,
    plain_text,
    row_name,
    row_noun,
    severity_word,
)
from tests.conftest import EXAMPLES, example_ids

DOTTED = re.compile(r"\b[a-z_]+\.(?:\d+|[a-z_]+)(?:\.[a-z0-9_]+)*\b")


def test_every_top_level_field_has_a_tab() -> None:
    names = [name for _, fields in groups() for name in fields]
    assert set(names) == set(jdkit.JobDescription.model_fields) - {"role"} and len(names) == len(
        set(names)
    )


@pytest.mark.parametrize(
    ("loc", "words"),
    [
        (("practice", "name"), "Practice & position › Practice › Name"),
        (("position", "date_posted"), "Practice & position › Position › Date posted"),
        (("summary",), "Practice & position › Summary"),
        (("compensation", "salary_min"), "Compensation › Minimum pay"),
        (("compensation",), "Compensation"),
        (("metrics", 12, "name"), "Performance Metrics › metric 13 › Name"),
        (("responsibilities", 0, "items", 2), "Responsibilities › duty area 1 › Items › item 3"),
        (
            ("qualifications", "certifications", 1, "issuer"),
            "Qualifications › Certifications › certification 2 › Issuer",
        ),
        (("reporting", "supervises", 0), "Reporting Structure › Supervises › role 1"),
        (("review", "last_reviewed"), "Statements & review › Review › Last reviewed"),
        (("physical_demands", 4), "Demands & conditions › Physical demands › demand 5"),
        (
            ("responsibilities", 1, "marginal", 0),
            "Responsibilities › duty area 2 › Marginal duties › duty 1",
        ),
        (
            ("conditions", "additional", 0),
            "Demands & conditions › Conditions › Additional › condition 1",
        ),
        (("no_such_field",), "the form"),
    ],
)
def test_places_name_the_tab_and_the_labels_counting_from_one(loc: tuple, words: str) -> None:
    assert place(loc) == words


def test_a_row_is_named_by_its_value_where_it_has_one() -> None:
    values = {"metrics": [{"name": "Days in A/R"}, {"name": "Clean-claim rate " * 5}]}
    assert (
        place(("metrics", 0, "target"), values)
        == "Performance Metrics › metric 1 (Days in A/R) › Target"
    )
    assert place(("metrics", 1), values).endswith(
        "metric 2 (Clean-claim rate Clean-claim rate Clean…)"
    )
    assert (
        place_of("metrics.0.target", values)
        == "Performance Metrics › metric 1 (Days in A/R) › Target"
    )
    assert place_of("www.example.com") is None
    assert (
        row_noun("skills") == "skill"
        and row_noun("daily_tasks") == "task area"
        and row_noun("widgets") == "widget"
    )
    assert row_name("  Hire   and train  ") == "Hire and train"


@pytest.mark.parametrize(
    ("err", "loc", "words"),
    [
        (
            {"type": "string_too_short", "ctx": {"min_length": 1}, "input": ""},
            ("practice", "name"),
            "fill it in",
        ),
        ({"type": "missing", "input": None}, ("metrics", 0, "unit"), "fill it in"),
        ({"type": "literal_error", "input": None}, ("metrics", 0, "family"), "pick one"),
        (
            {"type": "literal_error", "input": "x"},
            ("metrics", 0, "family"),
            "pick one of: Financial, Operational, Patient satisfaction, Compliance",
        ),
        (
            {
                "type": "value_error",
                "msg": "Value error, unknown US state code None; use a two-letter code",
                "input": None,
            },
            ("practice", "state"),
            "pick one",
        ),
        (
            {
                "type": "value_error",
                "msg": "Value error, unknown US state code 'ZZ'; use a two-letter code",
                "input": "ZZ",
            },
            ("practice", "state"),
            "pick a state from the list",
        ),
        (
            {"type": "string_pattern_mismatch", "input": "7870"},
            ("practice", "postal_code"),
            "should be a 5-digit ZIP code such as 80202 (or 80202-1234)",
        ),
        (
            {"type": "string_pattern_mismatch", "input": "x"},
            ("practice", "website"),
            "should be a web address starting with https://",
        ),
        (
            {"type": "string_pattern_mismatch", "input": "x"},
            ("compensation", "market_soc"),
            "should be an SOC code such as 43-1011",
        ),
        (
            {"type": "string_too_long", "ctx": {"max_length": 200}, "input": "x" * 201},
            ("practice", "name"),
            "is too long: at most 200 characters",
        ),
        (
            {"type": "too_short", "ctx": {"min_length": 1}, "input": []},
            ("responsibilities", 0, "items"),
            "needs at least 1 item: add one",
        ),
        (
            {"type": "int_parsing", "input": "twenty"},
            ("practice", "employees"),
            "type a whole number, such as 20",
        ),
        (
            {"type": "int_from_float", "input": 2.5},
            ("practice", "employees"),
            "must be a whole number",
        ),
        (
            {"type": "float_parsing", "input": "lots"},
            ("compensation", "salary_min"),
            "type a number, such as 38.5",
        ),
        (
            {"type": "greater_than", "ctx": {"gt": 0}, "input": 0},
            ("compensation", "salary_min"),
            "must be more than 0",
        ),
        (
            {"type": "greater_than_equal", "ctx": {"ge": 0}, "input": -1},
            ("practice", "providers"),
            "must be 0 or more",
        ),
        (
            {"type": "less_than_equal", "ctx": {"le": 100000000}, "input": 1e9},
            ("compensation", "salary_max"),
            "must be 100,000,000 or less",
        ),
        (
            {"type": "finite_number", "input": float("nan")},
            ("metrics", 0, "target"),
            "must be an ordinary number",
        ),
        (
            {"type": "date_from_datetime_parsing", "input": "soon"},
            ("position", "date_posted"),
            "pick a date",
        ),
        (
            {
                "type": "value_error",
                "msg": "Value error, salary_min (100000) is above salary_max (92000); swap them",
                "input": {},
            },
            ("compensation", "salary_min"),
            "Minimum pay (100,000) is above Maximum pay (92,000); swap them",
        ),
        (
            {
                "type": "value_error",
                "msg": "Value error, valid_through must not be before date_posted",
                "input": {},
            },
            ("position", "valid_through"),
            "Valid through must not be before Date posted",
        ),
        (
            {
                "type": "value_error",
                "msg": "Value error, employees_in_state (5) is above employees (3); the total counts "
                "everyone",
                "input": {},
            },
            ("practice", "employees_in_state"),
            "Employees in state (5) is above employees (3); the total counts everyone",
        ),
    ],
)
def test_errors_say_what_to_do(err: dict, loc: tuple, words: str) -> None:
    assert error_text(err, loc) == words


def test_plain_text_rewrites_paths_identifiers_null_and_the_gender_formula() -> None:
    assert (
        plain_text("set position.date_posted to the day (YYYY-MM-DD)")
        == "set Practice & position › Position › Date posted to the day (YYYY-MM-DD)"
    )
    assert (
        plain_text("set compensation.salary_min and salary_max.")
        == "set Compensation › Minimum pay and Maximum pay."
    )
    assert (
        plain_text("metrics.12.name is empty") == "Performance Metrics › metric 13 › Name is empty"
    )
    assert (
        plain_text("or to null to leave bonuses out")
        == "or to nothing (clear the field) to leave bonuses out"
    )
    assert plain_text("unknown US state code None") == "unknown US state code nothing"
    assert (
        plain_text("feminine-coded (feminine 4 - masculine 4 = 0)")
        == "feminine-coded (4 feminine-coded and 4 masculine-coded words)"
    )
    untouched = (
        "see https://www.govinfo.gov/content/pkg/FR-2019-09-27/html/x.htm and e.g. 29 CFR part 541."
    )
    assert plain_text(untouched) == untouched


def test_severities_are_worded_for_what_they_ask() -> None:
    assert [severity_word(s) for s in ("error", "warning", "info")] == [
        "Must fix",
        "Should fix",
        "Note",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_no_finding_of_an_example_shows_a_dotted_path_or_none_in_the_form(path: Path) -> None:
    model = jdkit.load(path)
    values = model.model_dump(mode="python")
    for finding in check(model):
        word, where, message, hint = finding_words(finding, values)
        for text in (where, message, hint):
            prose = re.sub(r"https?://\S+", "", text)  # a source's address is not a field
            assert [m for m in DOTTED.findall(prose) if place_of(m) is not None] == [], (
                finding.rule,
                text,
            )
            assert not re.search(r"\b(None|null)\b", text), (finding.rule, text)
        assert word in ("Must fix", "Should fix", "Note")
        assert finding.field == "" or "." not in where


def test_a_file_error_says_where_and_what_but_never_what_the_file_holds() -> None:
    exc = ParamsError(
        "unknown US state code 'root:$6$hash'; use a two-letter code",
        file="x.yaml",
        field="practice.state",
        line=3,
        hint="pick one of AL, AK, ...",
    )
    assert file_error(exc, "params/x.yaml") == (
        "Cannot open params/x.yaml, line 3: Practice & position › Practice › State: unknown US state code …; "
        "use a two-letter code (fix: pick one of AL, AK, ...)"
    )
    key = ParamsError("is not a parameter-file key", file="x.yaml", field="root:$6$hash", line=1)
    assert file_error(key, "params/x.yaml") == (
        "Cannot open params/x.yaml, line 1: the entry there is not a parameter-file key"
    )
    whole = ParamsError(
        "holds a str at top level, not a mapping of keys", file="x.yaml", field="(file)"
    )
    assert (
        file_error(whole, "x.yaml")
        == "Cannot open x.yaml: the file holds a str at top level, not a mapping of keys"
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "empty"),
        ("", "empty"),
        ([], "empty"),
        (95000.0, "95,000"),
        (38.5, "38.5"),
        (12, "12"),
        (True, "ticked"),
        ([1, 2], "2 rows"),
        ({"a": 1}, "filled in"),
        ("Birch", "“Birch”"),
        ("x" * 50, "“" + "x" * 39 + "…”"),
    ],
)
def test_values_in_questions_are_short(value: object, words: str) -> None:
    assert short(value) == words
