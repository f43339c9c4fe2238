"""jdkit: complete, specific, lawful job descriptions for medical practices.

The public API is imported lazily so that ``import jdkit`` stays fast; heavy parts
(papermill, nbconvert, python-docx, the browser) load only when used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

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
    "jobposting": "jdkit.export.jsonld",
    "JdkitError": "jdkit.errors",
    "ParamsError": "jdkit.errors",
    "check": "jdkit.checks",
    "score": "jdkit.checks",
    "Finding": "jdkit.checks",
    "org_chart_svg": "jdkit.orgchart",
    "due_rows": "jdkit.due",
    "compare_pay": "jdkit.compare",
    "Form": "jdkit.widgets",
    "to_params": "jdkit.export.params",
    "write_params": "jdkit.export.params",
    "run_batch": "jdkit.batch",
    "BatchResult": "jdkit.batch",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'jdkit' has no attribute {name!r}")
    imported = importlib.import_module(module)
    return imported if module == f"jdkit.{name}" else getattr(imported, name)


def __dir__() -> list[str]:
    return sorted(__all__)
