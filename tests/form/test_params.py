"""Parameter files written back from a model: minimal overrides, the merge's inverse, safe writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

import jdkit
from jdkit.errors import ParamsError
from jdkit.params import (
    Params,
    build,
    merge,
    overrides,
    reads,
    to_params,
    write as write_params,
    writes as dumps_params,
)
from tests.conftest import EXAMPLES, example_ids


def test_overrides_diff_mappings_key_by_key_and_keep_lists_whole() -> None:
    base = {"a": {"x": 1, "y": [1, 2], "z": {"deep": 1}}, "b": [1, 2, 3], "c": "same"}
    target = {"a": {"x": 1, "y": [1, 2, 4], "z": {"deep": 2}}, "b": [1, 2], "c": "same"}
    assert overrides(base, target) == {"a": {"y": [1, 2, 4], "z": {"deep": 2}}, "b": [1, 2]}
    assert overrides(base, base) == {}
    assert overrides({"a": {"x": 1}}, {"a": None}) == {"a": None}  # clearing a section replaces it
    assert overrides({"a": None}, {"a": {"x": 1}}) == {"a": {"x": 1}}


leaves = st.one_of(
    st.integers(-3, 3),
    st.text("ab", max_size=2),
    st.none(),
    st.lists(st.integers(0, 2), max_size=3),
)
trees = st.recursive(
    leaves, lambda inner: st.dictionaries(st.sampled_from("pqrs"), inner, max_size=4), max_leaves=12
)
same_keys = st.dictionaries(st.sampled_from("pqrs"), trees, min_size=4, max_size=4)


@settings(max_examples=200, deadline=None)
@given(same_keys, same_keys)
def test_merge_of_overrides_gives_the_target_back(base: dict, target: dict) -> None:
    """``merge(base, overrides(base, target)) == target`` whenever nested mappings share their keys."""
    target = _align(base, target)
    assert merge(base, overrides(base, target)) == target


def _align(base: dict, target: dict) -> dict:
    """Give ``target``'s mappings every key ``base``'s have (as model dumps always do)."""
    out = dict(target)
    for key, value in base.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _align(value, out[key])
        elif key not in out:
            out[key] = value
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=example_ids())
def test_to_params_builds_the_same_model(path: Path) -> None:
    model = jdkit.load(path)
    data = to_params(model)
    assert list(data)[:2] == ["role", "practice"]
    assert build(Params(data)) == model
    assert build(reads(dumps_params(data), file="x.yaml")) == model  # through YAML text too


def test_a_model_at_the_role_defaults_writes_only_role_and_practice(good: dict) -> None:
    model = build(Params(good))
    assert to_params(model) == good


def test_dumps_params_is_tidy_yaml_with_a_comment(good: dict) -> None:
    text = dumps_params(
        {**good, "compensation": {"salary_min": 72000.0, "salary_max": 38.5}}, comment="one\ntwo"
    )
    assert text.startswith("# one\n# two\nrole: medical-office-manager\n")
    assert "salary_min: 72000\n" in text and "salary_max: 38.5\n" in text


def test_write_params_writes_a_model_atomically_under_its_slug(tmp_path: Path) -> None:
    model = jdkit.load(EXAMPLES[0])
    path = write_params(tmp_path, model)
    assert path == tmp_path / f"{model.slug}.yaml"
    assert jdkit.load(path) == model
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == to_params(model)


def test_write_params_validates_a_mapping_and_writes_nothing_when_bad(
    tmp_path: Path, good: dict
) -> None:
    path = write_params(tmp_path, {**good, "practice": {"name": "../../etc/passwd", "state": "CO"}})
    assert path.parent == tmp_path and path.name == "etc-passwd-medical-office-manager.yaml"
    with pytest.raises(ParamsError, match="salary_min"):
        write_params(tmp_path / "bad", {**good, "compensation": {"salary_min": 9, "salary_max": 1}})
    assert not (tmp_path / "bad").exists()
