"""Parameter files: read one, merge it onto its role, validate, return the model; and back.

``reads``/``loads`` are pure (text in, data or model out); ``read``/``load`` are thin
wrappers that read a file. Every error is a ``ParamsError`` naming the file, the dotted
field path, the YAML line where known, and a hint.

The other way, as in jupytext: ``to_params`` is the inverse of ``build`` (it keeps only what
differs from the role's defaults, in the merge's own terms: mappings key by key, lists and
scalars whole, so that ``build(to_params(model)) == model``); ``writes`` gives a parameter
file's YAML text and ``write`` is the only writer of parameter files (``jdkit.write_params``).
A starter file for a new practice
is ``jdkit.starter``.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import roles
from .errors import ParamsError, UnknownRoleError
from .inputs import (  # noqa: F401 (re-exported)
    EXTENSIONS,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    STANDARD_TAGS,
    bad_value as _bad_value,
    check_text as _check_text,
    json_lines as _json_lines,
    line_for as _line_for,
    node_lines as _node_lines,
    read_bytes,
    too_big as _too_big,
    too_deep as _too_deep,
)
from .models import JobDescription, Origins, leaf_paths

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "EXTENSIONS",
    "Params",
    "reads",
    "read",
    "read_bytes",
    "merge",
    "build",
    "loads",
    "load",
    "expand",
    "schema",
    "plain",
    "overrides",
    "to_params",
    "writes",
    "write",
]

# The keys a parameter file may hold at top level, besides the role id.
PARAM_KEYS = tuple(k for k in JobDescription.model_fields if k != "role")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: 5-10x faster


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML that leaves dates as text, so the models validate them and name the field."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Params(dict[str, Any]):
    """A parameter file's data, remembering its file name and the line of each field."""

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        file: str = "<params>",
        lines: dict[str, int] | None = None,
    ):
        super().__init__(data)
        self.file = file
        self.lines = lines or {}


def reads(text: str | bytes, *, file: str = "<params>") -> Params:
    """Parse a parameter file's text (YAML or JSON, which is YAML) into ``Params``."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise _too_big(file, len(text))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParamsError(
                f"is not UTF-8 text (bad byte at offset {exc.start})",
                file=file,
                field="(file)",
                hint="save the file as UTF-8",
            ) from None
    if len(text) > MAX_BYTES:
        raise _too_big(file, len(text))
    if file.lower().endswith(".json"):
        return _reads_json(text, file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines = _node_lines(node, file) if node is not None else {}
        data = loader.construct_document(node) if node is not None else None
    except RecursionError:  # the pure-Python composer, when libyaml is not built in
        raise _too_deep(file, None) from None
    except ValueError as exc:  # constructor failures that are not YAMLErrors
        raise _bad_value(exc, file, "YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "nesting depth" in problem:  # libyaml's own bound, at 1,000 levels
            raise _too_deep(file, mark.line + 1 if mark else None) from None
        raise ParamsError(
            f"is not valid YAML: {problem}",
            file=file,
            field="(file)",
            line=mark.line + 1 if mark else None,
            hint="check the indentation and quoting near that line",
        ) from None
    finally:
        loader.dispose()
    return _check_top(data, file, lines)


def read(path: str | os.PathLike[str]) -> Params:
    """Read a parameter file from disk; see ``reads``."""
    name = os.fspath(path)
    return reads(read_bytes(name), file=name)


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``override`` onto ``base`` as Helm does: mappings key by key, all else replaces."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build(params: Params) -> JobDescription:
    """Merge ``params`` onto its role from the library and validate the result."""
    role_id = params.get("role")
    if not isinstance(role_id, str) or not role_id.strip():
        raise ParamsError(
            "is missing",
            file=params.file,
            field="role",
            line=params.lines.get("role"),
            hint=f"add 'role: <id>'; roles: {', '.join(roles.ids())}",
        )
    try:
        role = roles.get(role_id.strip())
    except KeyError:
        near = difflib.get_close_matches(role_id, roles.ids(), n=1)
        raise UnknownRoleError(
            f"unknown role {role_id!r}",
            file=params.file,
            field="role",
            line=params.lines.get("role"),
            hint=(f"did you mean {near[0]!r}? " if near else "")
            + f"roles: {', '.join(roles.ids())}",
        ) from None
    overrides = {k: v for k, v in params.items() if k != "role"}
    data = merge(role.defaults, overrides)
    practice_paths = frozenset(leaf_paths(overrides))
    written = _overtime_for_status(role.defaults, data, practice_paths)
    data["role"] = role.info
    try:
        model = JobDescription.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(exc, params) from None
    model._origins = Origins(
        practice=practice_paths, role=frozenset(leaf_paths(role.defaults)), jdkit=written
    )
    return model


# The overtime terms jdkit writes when a practice changes the role's FLSA status but not its
# overtime text, which the role wrote for the other status (29 U.S.C. 207(a)(1): time and a
# half over 40 hours a week; state law may add daily overtime, hence "and state law").
OVERTIME_BY_STATUS = {
    "non-exempt": (
        "This position is non-exempt: hours worked over 40 in a workweek are paid at one and a "
        "half times the regular rate, and any other overtime that state law requires is paid as "
        "it requires."
    ),
    "exempt": (
        "This position is exempt from overtime: it is paid a salary each pay period that does not "
        "depend on the hours worked, and no overtime pay is due."
    ),
}


def _overtime_for_status(
    defaults: Mapping[str, Any], data: dict[str, Any], set_paths: frozenset[str]
) -> frozenset[str]:
    """Replace the role's overtime text when the practice changed the status and kept the text."""
    position = data.get("position")
    status = position.get("flsa_status") if isinstance(position, Mapping) else None
    default = (defaults.get("position") or {}).get("flsa_status")
    if (
        status not in OVERTIME_BY_STATUS
        or status == default
        or "position.flsa_status" not in set_paths
    ):
        return frozenset()
    pay = data.get("compensation")
    if (
        not isinstance(pay, dict)
        or Origins(practice=set_paths, role=frozenset()).of("compensation.overtime") == "practice"
    ):
        return frozenset()
    pay["overtime"] = OVERTIME_BY_STATUS[status]
    return frozenset({"compensation.overtime"})


def loads(text: str | bytes, *, file: str = "<params>") -> JobDescription:
    """Parse and build a parameter file's text into a ``JobDescription``."""
    return build(reads(text, file=file))


def load(path: str | os.PathLike[str]) -> JobDescription:
    """Read and build a parameter file into a ``JobDescription``."""
    return build(read(path))


def _reads_json(text: str, file: str) -> Params:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamsError(
            f"is not valid JSON: {exc.msg}",
            file=file,
            field="(file)",
            line=exc.lineno,
            hint="check the commas and quotes near that line",
        ) from None
    except RecursionError:
        raise _too_deep(file, None) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise _bad_value(exc, file, "JSON") from None
    lines = _json_lines(text, file)
    _check_text(data, file, lines)
    return _check_top(data, file, lines)


def _check_top(data: Any, file: str, lines: dict[str, int]) -> Params:
    if data is None:
        raise ParamsError(
            "is empty",
            file=file,
            field="(file)",
            hint="start from a starter file for the role",
        )
    if not isinstance(data, dict):
        raise ParamsError(
            f"holds a {type(data).__name__} at top level, not a mapping of keys",
            file=file,
            field="(file)",
            hint="write 'key: value' lines such as 'role: ...'",
        )
    for key in data:
        if not isinstance(key, str):
            raise ParamsError(
                f"has a non-text key {key!r}", file=file, field=str(key), hint="quote the key"
            )
        if key != "role" and key not in PARAM_KEYS:
            raise ParamsError(
                "is not a parameter-file key",
                file=file,
                field=key,
                line=lines.get(key),
                hint=_did_you_mean(key, ("role", *PARAM_KEYS)),
            )
    return Params(data, file=file, lines=lines)


def _from_validation(exc: ValidationError, params: Params) -> ParamsError:
    """Turn pydantic's first error into a one-line ``ParamsError`` with a hint."""
    err = exc.errors(include_url=False)[0]
    loc = [str(part) for part in err["loc"]]
    field = ".".join(loc) or "(file)"
    kind = err["type"]
    message = err["msg"].removeprefix("Value error, ")
    hint: str | None = None
    if kind == "extra_forbidden":
        message = "is not a known field"
        hint = _did_you_mean(loc[-1], _fields_at(loc[:-1]))
    elif kind == "missing":
        message = "is required"
        hint = f"add '{loc[-1]}:' under '{'.'.join(loc[:-1]) or 'the top level'}'"
    elif kind.startswith("literal_error"):
        hint = "use one of the listed values"
    elif message.startswith("must be a number, not "):
        # a yes/no where a number belongs (jdkit.models)
        hint = (
            f"write {loc[-1] if loc else 'it'} as a number such as 12; "
            "true and false are not numbers"
        )
    elif kind == "finite_number":
        message = "must be a finite number, not NaN or infinity"
        hint = "give a number such as 35"
    elif kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        hint = "write the date as YYYY-MM-DD"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        hint = f"give {loc[-1] if loc else 'it'} a value of the right type"
    else:
        hint = "see 'jdkit schema' for what this field accepts"
    line = _line_for(params.lines, loc)
    return ParamsError(message, file=params.file, field=field, line=line, hint=hint)


def _fields_at(loc: list[str]) -> tuple[str, ...]:
    """The field names of the model found at ``loc`` inside a JobDescription."""
    model: Any = JobDescription
    for part in loc:
        if part.isdigit():
            continue
        annotation = model.model_fields[part].annotation
        model = next(
            (
                t
                for t in _inner_types(annotation)
                if isinstance(t, type) and issubclass(t, BaseModel)
            ),
            None,
        )
        if model is None:
            return ()
    return tuple(model.model_fields)


def _inner_types(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    return [t for arg in args for t in _inner_types(arg)]


def _did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    listing = ", ".join(choices)
    return (f"did you mean '{near[0]}'? " if near else "") + f"known fields: {listing}"


def expand(paths: list[str]) -> list[str]:
    """Expand folders into the parameter files they hold (``.yaml``, ``.yml``, ``.json`` in any
    case), sorted.

    Every entry so named is listed, even one that is not a regular file (a folder, a FIFO, a
    link to a device), so that reading it refuses it with one line instead of skipping it
    silently. A folder holding no parameter file stays in the list itself, and is refused so.
    """
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path) and not path.lower().endswith(EXTENSIONS):
            try:
                names = os.listdir(path)
            except OSError:
                files.append(path)  # read() says why it cannot be read
                continue
            found = sorted(
                os.path.join(path, name)
                for name in names
                if name.lower().endswith(EXTENSIONS) and not name.startswith(".")
            )
            files.extend(found or [path])
        else:
            files.append(path)
    return files


def schema() -> dict[str, Any]:
    """Return the JSON Schema of a parameter file.

    Sections merge onto the role's defaults, so inside mappings nothing is required
    except the practice's name and state; list items (which replace) keep their rules.
    """
    out = JobDescription.model_json_schema()
    defs = out.get("$defs", {})
    in_lists = {ref.rsplit("/", 1)[-1] for ref in _refs(out, in_items=False, found=set())}
    for name, definition in defs.items():
        if name not in in_lists and name != "Practice":
            definition.pop("required", None)
    defs.pop("RoleInfo", None)
    defs.pop("Source", None)
    out["properties"]["role"] = {
        "type": "string",
        "enum": roles.ids(),
        "description": "A role id from the library.",
    }
    out["required"] = ["role", "practice"]
    out["title"] = "jdkit parameter file"
    return out


def _refs(node: Any, *, in_items: bool, found: set[str]) -> set[str]:
    """Collect the ``$ref`` targets reached through an array's ``items``."""
    if isinstance(node, dict):
        if in_items and "$ref" in node:
            found.add(node["$ref"])
        for key, value in node.items():
            _refs(value, in_items=in_items or key == "items", found=found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, in_items=in_items, found=found)
    return found


# The other way: a model back to the short YAML a consultant would write.

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
    """Return the smallest mapping that ``merge(base, ...)`` turns into ``target``.

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
    role = roles.get(model.role.id)
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


def writes(data: Mapping[str, Any], *, comment: str | None = None) -> str:
    """Return ``data`` as parameter-file YAML (safe_dump, keys in the model's order)."""
    head = "".join(f"# {line}\n" for line in (comment or "").splitlines())
    return head + yaml.safe_dump(
        _tidy(dict(data)), sort_keys=False, allow_unicode=True, default_flow_style=False, width=92
    )


def write(
    out_dir: str | os.PathLike[str],
    model_or_dict: JobDescription | Mapping[str, Any],
    *,
    stem: str | None = None,
) -> Path:
    """Write a parameter file ``out_dir/<stem or slug>.yaml`` atomically and return its path.

    A model is written as ``to_params`` gives it (only what differs from its role); a
    mapping is validated with ``build`` first and written as it is (``jdkit.writer``).
    """
    from .writer import write as write_file

    if isinstance(model_or_dict, JobDescription):
        model, data = model_or_dict, to_params(model_or_dict)
    else:
        data = dict(model_or_dict)
        model = build(Params(data, file=os.path.join(os.fspath(out_dir), "(new parameter file)")))
    comment = (
        f"{model.practice.name}: {model.role.title} (role {model.role.id}).\n"
        "Only what differs from the role's defaults; see 'jdkit schema'."
    )
    return write_file(
        out_dir, stem or model.slug, ".yaml", writes(data, comment=comment).encode("utf-8")
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
