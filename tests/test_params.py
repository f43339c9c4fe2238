"""Parameter files: reading, the merge rule, and every error path with its message."""

from __future__ import annotations

import json

import pytest
import yaml

from jdkit import params
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
    assert model.compensation.bonus == role.defaults["compensation"]["bonus"]  # the rest of the mapping stays
    assert model.role.onet_soc == "11-9111.00"
    assert len(model.responsibilities) == len(role.defaults["responsibilities"])


def test_a_list_in_params_replaces_the_roles_list(good):
    good["skills"] = [{"skill": "Scheduling", "example": "Builds the weekly staff rota in the PM system"}]
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
    path.write_text("role: medical-office-manager\npractice:\n  name: A\n  state: CO\n"
                    "compensation:\n  salary_min: 90000\n  salary_max: 50000\n")
    with pytest.raises(ParamsError) as info:
        params.load(path)
    err = info.value
    assert (err.file, err.field, err.line) == (str(path), "compensation", 5)
    assert err.format().startswith(f"{path}:5: compensation: salary_min (90000) is above salary_max (50000)")


def test_nested_line_is_the_deepest_known(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("role: medical-office-manager\npractice:\n  name: A\n  state: CO\n"
                    "metrics:\n  - name: X\n    family: financial\n    target: high\n    unit: u\n    period: p\n")
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
    with pytest.raises(ParamsError, match="not valid YAML"):
        params.reads("role: !!python/object/apply:os.system ['true']\n")


def test_alias_bombs_are_stopped():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh"):
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
    text = params.starter("medical-office-manager", "Birch Street Clinic", "wa", today="2026-11-27")
    data = yaml.safe_load(text)
    assert data["practice"] == {"name": "Birch Street Clinic", "state": "WA", "city": None, "specialty": None,
                                "employees": None, "providers": None}
    model = params.loads(text, file="new.yaml")
    assert model.practice.state == "WA" and str(model.review.last_reviewed) == "2026-11-27"


def test_starter_rejects_bad_state_and_role():
    with pytest.raises(ParamsError, match="unknown US state code"):
        params.starter("medical-office-manager", "A", "ZZ")
    with pytest.raises(UnknownRoleError, match="unknown role"):
        params.starter("nurse", "A", "CO")


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
    assert [p.rsplit("/", 1)[-1] for p in params.expand([str(tmp_path)])] == ["a.yml", "b.yaml", "c.json"]
