"""jdkit: complete, specific, lawful job descriptions for medical practices.

The public API is imported lazily so that ``import jdkit`` stays fast; heavy parts
(papermill, nbconvert, python-docx, the browser) load only when used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__ as __version__

if TYPE_CHECKING:  # the lazy names' real types, for type checkers and editors; never run
    # (``X as X``: an explicit re-export, as mypy --strict and pyright require)
    from .batch import BatchResult as BatchResult, run_batch as run_batch
    from .checks import Finding as Finding, check as check, score as score
    from .compare import compare_pay as compare_pay
    from .document.jsonld import jobposting as jobposting
    from .due import due_rows as due_rows
    from .errors import JdkitError as JdkitError, ParamsError as ParamsError
    from .form import Form as Form
    from .models import JobDescription as JobDescription, slugify as slugify
    from .orgchart import org_chart_svg as org_chart_svg
    from .params import (
        build as build,
        load as load,
        loads as loads,
        merge as merge,
        read as read,
        reads as reads,
        to_params as to_params,
        write as write_params,  # noqa: F401 - in __all__, through _API
    )
    from .render import render as render

# Each name and the module it is imported from on first use, as ``module:attribute`` where the
# module calls it otherwise (keep the TYPE_CHECKING block above in step: tests/test_init.py checks
# that they agree).
_API = {
    "JobDescription": "jdkit.models",
    "slugify": "jdkit.models",
    "load": "jdkit.params",
    "loads": "jdkit.params",
    "read": "jdkit.params",
    "reads": "jdkit.params",
    "build": "jdkit.params",
    "merge": "jdkit.params",
    "render": "jdkit.render",
    "jobposting": "jdkit.document.jsonld",
    "JdkitError": "jdkit.errors",
    "ParamsError": "jdkit.errors",
    "check": "jdkit.checks",
    "score": "jdkit.checks",
    "Finding": "jdkit.checks",
    "org_chart_svg": "jdkit.orgchart",
    "due_rows": "jdkit.due",
    "compare_pay": "jdkit.compare",
    "Form": "jdkit.form",
    "to_params": "jdkit.params",
    "write_params": "jdkit.params:write",
    "run_batch": "jdkit.batch",
    "BatchResult": "jdkit.batch",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    where = _API.get(name)
    if where is None:
        raise AttributeError(f"module 'jdkit' has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    imported = importlib.import_module(module)
    return imported if module == f"jdkit.{name}" else getattr(imported, attribute or name)


def __dir__() -> list[str]:
    return sorted(__all__)
