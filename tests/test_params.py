"""Parameter files: reading, the merge rule, and every error path with its message."""

from __future__ import annotations

import json

import pytest
import yaml

from jdkit import params, starter
from jdkit.errors import ParamsError, UnknownRoleError
from jdkit.roles import get, ids

from .conftest import EXAMPLES, example_ids


def test_merge_mappings_key_by_key_lists_and_scalars_replace():
    base = {"a": {"x": 1, "y": {"deep": 1, "keep": 2}}, "items": [1, 2, 3], "s": "old"}
    over = {"a": {"y": {"deep": 9}}, "items": [4], "s": "new"}
    merged = params.merge(base, over)
    assert merged == {"a": {"x": 1, "y": {"deep": 9, "keep": 2}}, "items": [4], "s": "new"}
    assert base["a"]["y"]["deep"] == 1  # inputs untouched


def test_merge_scalar_over_mapping_replaces():
    assert params.merge({"a": {"x": 1}}, {"a": None}) == {"a": None}


def test_build_merges_params_onto_the_role(good):
    good["compensation"] = {"salary_min": 70000}
    model = params.build(params.Params(good))
    role = get("medical-office-manager")
    assert model.compensation.salary_min == 70000
    assert (
        model.compensation.bonus == role.defaults["compensation"]["bonus"]
    )  # the rest of the mapping stays
    assert model.role.onet_soc == "11-9111.00"
    assert len(model.responsibilities) == len(role.defaults["responsibilities"])


def test_a_list_in_params_replaces_the_roles_list(good):
    good["skills"] = [
        {"skill": "Scheduling", "example": "Builds the weekly staff rota in the PM system"}
    ]
    model = params.build(params.Params(good))
    assert [s.skill for s in model.skills] == ["Scheduling"]


def test_json_parameter_files_are_read(tmp_path, good):
    path = tmp_path / "acme.json"
    path.write_text(json.dumps(good))
    assert params.load(path).practice.name == "Acme Clinic"


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_every_example_loads(path):
    model = params.load(path)
    assert model.practice.name and model.role.id in ids()
    assert model.role.title and model.responsibilities


def test_role_defaults_alone_form_a_complete_model(good):
    model = params.build(params.Params(good))
    for field in ("responsibilities", "skills", "daily_tasks", "metrics", "compliance"):
        assert getattr(model, field), field
    assert model.reporting.reports_to and model.benefits.pto and model.equal_opportunity


def test_error_names_file_field_and_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "role: medical-office-manager\npractice:\n  name: A\n  state: CO\n"
        "compensation:\n  salary_min: 90000\n  salary_max: 50000\n"
    )
    with pytest.raises(ParamsError) as info:
        params.load(path)
    err = info.value
    assert (err.file, err.field, err.line) == (str(path), "compensation", 5)
    assert err.format().startswith(
        f"{path}:5: compensation: salary_min (90000) is above salary_max (50000)"
    )


def test_nested_line_is_the_deepest_known(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "role: medical-office-manager\npractice:\n  name: A\n  state: CO\n"
        "metrics:\n  - name: X\n    family: financial\n    target: high\n    unit: u\n    period: p\n"
    )
    with pytest.raises(ParamsError) as info:
        params.load(path)
    assert (info.value.field, info.value.line) == ("metrics.0.target", 8)


def test_unknown_key_gets_did_you_mean(good):
    good["benefits"] = {"pto": {"vacation_dayz": 10}}
    with pytest.raises(ParamsError) as info:
        params.build(params.Params(good, file="x.yaml"))
    assert info.value.field == "benefits.pto.vacation_dayz"
    assert "did you mean 'vacation_days'?" in info.value.hint


def test_unknown_top_level_key_gets_did_you_mean():
    with pytest.raises(ParamsError) as info:
        params.reads("role: medical-office-manager\nbenfits: {}\n", file="x.yaml")
    assert (info.value.field, info.value.line) == ("benfits", 2)
    assert "did you mean 'benefits'?" in info.value.hint


def test_unknown_role_lists_the_roles(good):
    good["role"] = "office-manager"
    with pytest.raises(UnknownRoleError) as info:
        params.build(params.Params(good))
    assert "medical-office-manager" in info.value.hint


def test_safe_loading_refuses_python_tags():
    with pytest.raises(
        ParamsError, match=r"^<params>:1: role: uses the YAML tag !!python/object/apply:os.system, "
    ):
        params.reads("role: !!python/object/apply:os.system ['true']\n")


def test_alias_bombs_are_stopped():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(ParamsError, match="expands to more than"):
        params.reads("\n".join(levels))


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (params.MAX_BYTES + 1))
    with pytest.raises(ParamsError, match="over the 1 MB limit"):
        params.read(path)


def test_missing_file_is_a_params_error(tmp_path):
    with pytest.raises(ParamsError, match="cannot be read"):
        params.read(tmp_path / "nope.yaml")


def test_starter_file_loads_and_names_the_practice():
    text = starter.starter(
        "medical-office-manager", "Birch Street Clinic", "wa", today="2026-11-27"
    )
    data = yaml.safe_load(text)
    assert data["practice"] == {
        "name": "Birch Street Clinic",
        "state": "WA",
        "city": None,
        "specialty": None,
        "employees": None,
        "providers": None,
    }
    model = params.loads(text, file="new.yaml")
    assert model.practice.state == "WA" and str(model.review.last_reviewed) == "2026-11-27"


def test_starter_rejects_bad_state_and_role():
    with pytest.raises(ParamsError, match="unknown US state code"):
        starter.starter("medical-office-manager", "A", "ZZ")
    with pytest.raises(UnknownRoleError, match="unknown role"):
        starter.starter("nurse", "A", "CO")


def test_schema_describes_the_contract():
    schema = params.schema()
    assert schema["required"] == ["role", "practice"]
    assert "medical-office-manager" in schema["properties"]["role"]["enum"]
    for key in ("practice", "position", "reporting", "compensation", "benefits", "review"):
        assert key in schema["properties"]
    assert schema["$defs"]["Practice"]["required"] == ["name", "state"]
    assert "required" not in schema["$defs"]["Compensation"]
    assert "target" in schema["$defs"]["Metric"]["required"]


def test_expand_lists_folders_sorted(tmp_path):
    for name in ("b.yaml", "a.yml", "c.json", "notes.txt", ".hidden.yaml"):
        (tmp_path / name).write_text("x")
    assert [p.rsplit("/", 1)[-1] for p in params.expand([str(tmp_path)])] == [
        "a.yml",
        "b.yaml",
        "c.json",
    ]


# Issue 18: special files, bounds, duplicate keys, non-standard tags, bad numbers.

GOOD = "role: medical-office-manager\npractice: {name: Acme Clinic, state: CO}\n"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_read_refuses_what_is_not_a_regular_file_without_reading_it(tmp_path, kind):
    import os

    path = tmp_path / "x.yaml"
    if kind == "fifo":
        os.mkfifo(path)  # opening this for reading would block until a writer came
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")  # reading this without a bound never ends
    else:
        path.mkdir()
    with pytest.raises(ParamsError) as caught:
        params.read(path)
    says = {
        "fifo": "is a named pipe (FIFO), not a parameter file",
        "dev-zero": "is a character device, not a parameter file",
        "folder": "is a folder, not a parameter file",
    }[kind]
    assert str(caught.value).startswith(f"{path}: (file): {says} (fix: ")


def test_read_bytes_reads_at_most_the_limit_plus_one(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"#" * 11)
    assert params.read_bytes(path, limit=11) == b"#" * 11
    with pytest.raises(ParamsError, match=r"is 0\.0 MB, over the 0 MB limit"):
        params.read_bytes(path, limit=10)


def test_expand_matches_extensions_in_any_case_and_keeps_what_it_cannot_read(tmp_path):
    for name in ("a.YAML", "b.Yml", "d.yaml", "notes.txt", ".hidden.yaml", "table.csv"):
        (tmp_path / name).write_text(GOOD)
    (tmp_path / "c.JSON").write_text(
        '{"role": "medical-office-manager", "practice": {"name": "Acme Clinic"}}'
    )
    (
        tmp_path / "e.yaml"
    ).mkdir()  # listed, so reading it refuses it with a line instead of skipping it
    names = [p.rsplit("/", 1)[-1] for p in params.expand([str(tmp_path)])]
    assert names == ["a.YAML", "b.Yml", "c.JSON", "d.yaml", "e.yaml"]
    assert params.read(tmp_path / "c.JSON")["practice"]["name"] == "Acme Clinic"  # read as JSON


def test_a_folder_without_parameter_files_is_refused_not_skipped(tmp_path):
    (tmp_path / "table.csv").write_text("role\n")
    [path] = params.expand([str(tmp_path)])
    with pytest.raises(
        ParamsError,
        match=r"is a folder holding no parameter files .*a \.csv or \.xlsx table is read when named",
    ):
        params.read(path)


@pytest.mark.parametrize(
    ("text", "file", "says"),
    [
        (
            "role: medical-office-manager\npractice:\n  name: A\n  state: CO\n  name: B\n",
            "x.yaml",
            "x.yaml:5: practice.name: is given twice, on lines 3 and 5; the second would silently replace the first "
            "(fix: keep one of them)",
        ),
        ("role: a\nrole: b\n", "x.yaml", "x.yaml:2: role: is given twice, on lines 1 and 2"),
        (
            '{"role": "a",\n "practice": {"name": "A",\n\n   "name": "B"}}',
            "x.json",
            "x.json:4: practice.name: is given twice, on lines 2 and 4",
        ),
        (
            '[{"a": 1}, {"a": 2}]',
            "x.json",
            "holds a list at top level",
        ),  # the same key in two mappings is fine
    ],
)
def test_duplicate_keys_name_both_lines(text, file, says):
    with pytest.raises(ParamsError) as caught:
        params.reads(text, file=file)
    assert says in str(caught.value)


def test_merge_keys_are_not_duplicates():
    data = params.reads(
        "role: medical-office-manager\npractice:\n  <<: {name: A, state: CO}\n  name: B\n"
    )
    assert data["practice"] == {"name": "B", "state": "CO"}


def test_json_fields_get_their_lines():
    with pytest.raises(ParamsError) as caught:
        params.loads(
            '{"role": "medical-office-manager",\n "practice": {"name": "A",\n  "state": "ZZ"}}',
            file="x.json",
        )
    assert str(caught.value).startswith("x.json:3: practice.state: unknown US state code 'ZZ'")


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!set {a: null}", "!!set"),
        ("!!binary QQ==", "!!binary"),
        ("!!omap [a: 1]", "!!omap"),
        ("!!timestamp 2026-11-01", "!!timestamp"),
        ("!!python/tuple [1]", "!!python/tuple"),
        ("!secret x", "!secret"),
        ("!!pairs [a: 1]", "!!pairs"),
    ],
)
def test_non_standard_tags_are_refused_with_their_line(value, tag):
    with pytest.raises(ParamsError) as caught:
        params.reads(GOOD + f"summary: {value}\n", file="x.yaml")
    assert str(caught.value).startswith(
        f"x.yaml:3: summary: uses the YAML tag {tag}, which a parameter file may not hold"
    )


def test_standard_tags_still_load():
    data = params.reads(
        GOOD + "summary: !!str 2026\nbenefits: {pto: {vacation_days: !!float 10}}\n"
    )
    assert data["summary"] == "2026" and data["benefits"]["pto"]["vacation_days"] == 10.0


@pytest.mark.parametrize(
    ("text", "file"),
    [
        (
            '{"role": "x", "summary": ' + "[" * 5000 + "]" * 5000 + "}",
            "x.json",
        ),  # RecursionError in json
        ('{"role": "x", "summary": ' + "[" * 30 + "]" * 30 + "}", "x.json"),
        (
            "role: x\nsummary: " + "[" * 900 + "]" * 900 + "\n",
            "x.yaml",
        ),  # under libyaml's own bound
        ("role: x\nsummary: " + "[" * 5000 + "]" * 5000 + "\n", "x.yaml"),  # over it
    ],
)
def test_deep_nesting_is_one_clear_error(text, file):
    with pytest.raises(ParamsError, match=r"nests lists or mappings more than 20 levels deep"):
        params.reads(text, file=file)


@pytest.mark.parametrize("file", ["x.json", "x.yaml"])
def test_a_5001_digit_number_is_one_clear_error(file):
    text = '{"role": "x", "summary": ' + "9" * 5001 + "}"
    with pytest.raises(
        ParamsError, match=r"^x\.(json|yaml): \(file\): holds a number of more than 4300 digits"
    ):
        params.reads(text, file=file)


def test_a_lone_surrogate_is_refused():
    with pytest.raises(
        ParamsError, match=r"x\.json:1: practice\.name: holds a lone UTF-16 surrogate"
    ):
        params.reads('{"role": "x", "practice": {"name": "A\\ud800"}}', file="x.json")
    assert (
        params.reads('{"role": "x", "summary": "\\ud83d\\ude00"}', file="x.json")["summary"]
        == "\U0001f600"
    )


@pytest.mark.parametrize(
    ("section", "says"),
    [
        (
            "metrics: [{name: X, family: financial, target: .nan, unit: days, period: monthly}]",
            "x.yaml:3: metrics.0.target: must be a finite number, not NaN or infinity",
        ),
        (
            "metrics: [{name: X, family: financial, target: -.inf, unit: days, period: monthly}]",
            "x.yaml:3: metrics.0.target: must be a finite number",
        ),
        (
            "benefits: {pto: {sick_days: .inf}}",
            "x.yaml:3: benefits.pto.sick_days: must be a finite number",
        ),
        (
            "qualifications: {experience: [{years: .nan, kind: office work}]}",
            "x.yaml:3: qualifications.experience.0.years: must be a finite number",
        ),
        (
            "practice: {name: A, state: CO, employees: true}",
            "x.yaml:2: practice.employees: must be a number, not true",
        ),
        (
            "practice: {name: A, state: CO, providers: no}",
            "x.yaml:2: practice.providers: must be a number, not false",
        ),
        (
            "compensation: {salary_min: yes}",
            "x.yaml:3: compensation.salary_min: must be a number, not true",
        ),
        (
            "review: {interval_months: true}",
            "x.yaml:3: review.interval_months: must be a number, not true",
        ),
    ],
)
def test_nan_infinity_and_booleans_are_not_numbers(section, says):
    practice = "" if section.startswith("practice:") else "practice: {name: A, state: CO}\n"
    with pytest.raises(ParamsError) as caught:
        params.loads("role: medical-office-manager\n" + practice + section + "\n", file="x.yaml")
    assert str(caught.value).startswith(says)


def test_booleans_stay_booleans_where_a_yes_or_no_is_asked():
    model = params.loads(GOOD + "benefits: {health: {medical: true, dental: no}}\n")
    assert model.benefits.health.medical is True and model.benefits.health.dental is False
