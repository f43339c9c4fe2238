"""Parameter files as output: a model back to the short YAML a consultant would write.

``to_params`` is the inverse of ``jdkit.params.build``: it keeps only what differs from
the role's defaults, in the merge's own terms (mappings key by key, lists and scalars
whole), so that ``build(to_params(model)) == model``. ``write_params`` is the only
writer of parameter files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..models import JobDescription
from . import write

__all__ = ["plain", "overrides", "to_params", "dumps_params", "write_params"]

_MISSING = object()


def plain(value: Any) -> Any:
    """Dump a model into plain values (dicts, lists, dates), declared fields only, no computed
    ones."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def overrides(base: Mapping[str, Any], target: Mapping[str, Any]) -> dict[str, Any]:
    """Return the smallest mapping that ``jdkit.params.merge(base, ...)`` turns into ``target``.

    Mappings on both sides are compared key by key; anything else (lists, scalars, a
    mapping replacing a non-mapping) is kept whole when it differs. Both sides must hold
    every key (as ``plain`` dumps do), so nothing needs removing.
    """
    out: dict[str, Any] = {}
    for key, value in target.items():
        old = base.get(key, _MISSING)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            inner = overrides(old, value)
            if inner:
                out[key] = inner
        elif old is _MISSING or old != value:
            out[key] = value
    return out


def to_params(model: JobDescription) -> dict[str, Any]:
    """Return the parameter-file data of ``model``: its role, its practice, and what differs from
    the role."""
    from ..params import merge
    from ..roles import get

    role = get(model.role.id)
    target = plain(model)
    target.pop("role")
    # The role's defaults go through the model too, so 35 and 35.0 or "x " and "x" compare equal.
    base = plain(
        JobDescription.model_validate(
            {**merge(role.defaults, {"practice": target["practice"]}), "role": role.info}
        )
    )
    base.pop("role")
    base.pop(
        "practice"
    )  # never a role default: always written, fields left at the model's default left out
    fields = type(model.practice).model_fields
    practice = {
        key: value
        for key, value in target["practice"].items()
        if fields[key].is_required()
        or value != plain(fields[key].get_default(call_default_factory=True))
    }
    return {"role": role.id, **overrides(base, {**target, "practice": practice})}


def dumps_params(data: Mapping[str, Any], *, comment: str | None = None) -> str:
    """Return ``data`` as parameter-file YAML (safe_dump, keys in the model's order)."""
    head = "".join(f"# {line}\n" for line in (comment or "").splitlines())
    return head + yaml.safe_dump(
        _tidy(dict(data)), sort_keys=False, allow_unicode=True, default_flow_style=False, width=92
    )


def write_params(
    out_dir: str | os.PathLike[str],
    model_or_dict: JobDescription | Mapping[str, Any],
    *,
    stem: str | None = None,
) -> Path:
    """Write a parameter file ``out_dir/<stem or slug>.yaml`` atomically and return its path.

    A model is written as ``to_params`` gives it (only what differs from its role); a
    mapping is validated with ``jdkit.params.build`` first and written as it is.
    """
    from ..params import Params, build

    if isinstance(model_or_dict, JobDescription):
        model, data = model_or_dict, to_params(model_or_dict)
    else:
        data = dict(model_or_dict)
        model = build(Params(data, file=os.path.join(os.fspath(out_dir), "(new parameter file)")))
    comment = (
        f"{model.practice.name}: {model.role.title} (role {model.role.id}).\n"
        "Only what differs from the role's defaults; see 'jdkit schema'."
    )
    return write(
        out_dir, stem or model.slug, ".yaml", dumps_params(data, comment=comment).encode("utf-8")
    )


def _tidy(value: Any) -> Any:
    """Whole floats as ints (72000, not 72000.0); dates stay dates so YAML writes them bare."""
    if isinstance(value, Mapping):
        return {key: _tidy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value
