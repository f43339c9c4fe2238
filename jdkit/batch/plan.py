"""Stage one of ``jdkit batch``: sources -> models -> tasks, and each task's stamp key.

Nothing here runs a kernel or writes a file. ``plan`` reads the parameter files and the
notebook, builds and validates every practice's model (a bad one fails here, before any
kernel starts) and makes one ``Task`` per good practice. Its stamp key covers everything
the practice's outputs depend on: its parameters, its role, the notebook, the options, the
day, and every file of the installed jdkit package (code, roles, tables, templates), hashed
as a tree, so no hand-written list of files can go stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import JdkitError
from ..models import JobDescription
from ..params import Params, build
from .records import PracticeResult, Task

__all__ = [
    "Planned",
    "Plan",
    "plan",
    "default_notebook",
    "read_notebook",
    "inputs_key",
    "stamp_key",
]


@dataclass
class Planned:
    """A good practice: its task, its stamp key, its model and its summary row."""

    task: Task
    key: str
    model: JobDescription
    row: PracticeResult


@dataclass
class Plan:
    """The practices to run (``practices``, in input order) and those that failed already
    (``failed``: unreadable, invalid, or sharing another's output name)."""

    practices: list[Planned] = field(default_factory=list)
    failed: list[PracticeResult] = field(default_factory=list)


def default_notebook() -> Path:
    """The shipped ``job_description.ipynb``."""
    from importlib import resources

    here = Path(__file__).resolve().parent.parent  # the jdkit package
    # installed (the wheel maps notebooks/ into the package), then a source checkout
    for candidate in (here / "notebooks", here.parent / "notebooks"):
        if (candidate / "job_description.ipynb").is_file():
            return candidate / "job_description.ipynb"
    return Path(str(resources.files("jdkit.notebooks") / "job_description.ipynb"))


def read_notebook(notebook: str | os.PathLike[str] | None) -> tuple[str, dict[str, Any]]:
    """The notebook's text and JSON (``None``: the shipped one); a user's notebook is
    validated once here, not failed per practice."""
    nb_path = Path(notebook) if notebook else default_notebook()
    try:
        nb_text = nb_path.read_text(encoding="utf-8")
        nb_json = json.loads(nb_text)
    except (OSError, ValueError) as exc:
        raise JdkitError(
            f"cannot be read as a notebook: {exc}",
            file=str(nb_path),
            field="notebook",
            hint="give an .ipynb file",
        ) from None
    if notebook:
        import warnings

        import nbformat

        try:
            with warnings.catch_warnings():  # nbformat warns of missing cell ids on stderr
                warnings.simplefilter("ignore")
                nbformat.validate(nbformat.reads(nb_text, as_version=4))  # type: ignore[no-untyped-call]
        except Exception as exc:
            # nbformat's ValidationError, or an AttributeError for a non-mapping
            raise JdkitError(
                f"is not a valid notebook: {str(exc).strip().splitlines()[0][:200]}",
                file=str(nb_path),
                field="notebook",
                hint="give a notebook saved by Jupyter (nbformat 4)",
            ) from None
    return nb_text, nb_json


def plan(
    sources: Iterable[str],
    formats: list[str],
    *,
    kinds: tuple[str, ...] = ("description",),
    paper: str = "Letter",
    timeout: float = 120.0,
    notebook: tuple[str, dict[str, Any]] | None = None,
    runner: str = "kernels",
) -> Plan:
    """Read ``sources``, build every practice's model and make its ``Task`` and stamp key;
    ``notebook``: the notebook's text and JSON (``read_notebook``), else the shipped one's."""
    from ..sources import read_sources

    nb_text, nb_json = notebook or read_notebook(None)
    params_list, bad = read_sources(list(sources))
    result = Plan(failed=[_failed_input(exc) for exc in bad])
    seen: dict[str, str] = {}
    common = inputs_key(nb_text, [*formats, *kinds, runner, *plugin_keys(formats)], paper)
    for params in params_list:
        try:
            model = build(params)
        except JdkitError as exc:
            result.failed.append(_failed_input(exc))
            continue
        row = _row(model, params.file)
        if model.slug in seen:
            row.status, row.reason = (
                "failed",
                (
                    f"gives the same output name '{model.slug}' as {seen[model.slug]}; "
                    "rename one: names that differ only in case, spaces or punctuation "
                    "share file names"
                ),
            )
            result.failed.append(row)
            continue
        seen[model.slug] = params.file
        task = Task(
            model.slug,
            params.file,
            _plain(params),
            nb_json,
            tuple(formats),
            paper,
            timeout,
            kinds=kinds,
            runner=runner,
        )
        result.practices.append(Planned(task, stamp_key(params, model, common), model, row))
    return result


def _row(model: JobDescription, source: str) -> PracticeResult:
    from ..checks.market_pay import market_band
    from ..origins import practice_pay
    from ..render import pay_range

    pay = model.compensation
    low, high = practice_pay(model)
    return PracticeResult(
        practice=model.practice.name,
        slug=model.slug,
        source=source,
        status="pending",
        pay=pay_range(model),
        pay_min=low,
        pay_max=high,
        period=pay.period,
        role=model.role.title,
        state=model.practice.state,
        **market_band(model),
    )


def _failed_input(exc: JdkitError) -> PracticeResult:
    return PracticeResult(
        practice="", slug="", source=exc.file or "", status="failed", reason=exc.format()
    )


def _plain(params: Params) -> dict[str, Any]:
    """The parameters as plain JSON-able data (papermill turns them into Python literals)."""
    data: dict[str, Any] = json.loads(json.dumps(dict(params), default=str))
    return data


def inputs_key(
    notebook_text: str, options: list[str], paper: str, *, root: Path | None = None
) -> str:
    """What every practice's outputs depend on besides its own parameters (``root``: the
    installed package's folder)."""
    from ..templating import builtin_templates

    digest = hashlib.sha256()
    root = root or Path(__file__).resolve().parent.parent
    # The templates (inside the package once installed; beside it in a source checkout), then
    # the whole installed package: its code, role files and reference tables (a changed jdkit
    # changes the documents and findings even at the same version).
    templates = builtin_templates().parent
    folders = [templates] if root not in templates.parents else []
    for folder in [*folders, root]:
        _hash_tree(digest, folder)
    # Laws and wage floors in force depend on the day, so a stamp from another day is stale.
    digest.update(
        json.dumps(
            [notebook_text, options, paper, __version__, dt.date.today().isoformat()]
        ).encode()
    )
    return digest.hexdigest()


def plugin_keys(formats: Iterable[str]) -> list[str]:
    """For each format a plug-in provides (a ``jdkit.formats`` entry point outside jdkit): its
    module and a hash of its files (a package's whole folder: code, templates, data), so a changed
    plug-in redoes the practices as a changed jdkit does."""
    import importlib.util

    from ..formats import FORMATS

    keys = []
    for name in formats:
        module = FORMATS.source(name)
        top = (module or "jdkit").split(".")[0]
        if top == "jdkit":
            continue  # jdkit's own: inputs_key hashes the package
        digest = hashlib.sha256()
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            spec = None
        places = [Path(place) for place in (spec.submodule_search_locations or [])] if spec else []
        if not places and spec and spec.origin and os.path.isfile(spec.origin):
            digest.update(Path(spec.origin).read_bytes())  # a single-module plug-in
        for place in places:  # a package: every file, as jdkit's own are hashed
            _hash_tree(digest, place)
        keys.append(f"{name}={module}:{digest.hexdigest()}")
    return keys


def _hash_tree(digest: Any, folder: Path) -> None:
    """Add every file under ``folder`` to ``digest``, by its path inside it (no bytecode)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            name = path.relative_to(folder).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes())


def stamp_key(params: Params, model: JobDescription, common: str) -> str:
    """The key a practice's stamp must match for its outputs to be kept: its parameters, its
    role's text and ``common`` (``inputs_key``)."""
    from .. import roles

    role = roles.get(model.role.id)
    text = json.dumps(
        [_plain(params), role.info, role.defaults, common], sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()
