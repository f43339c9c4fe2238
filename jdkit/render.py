"""Render a ``JobDescription`` to text: model + format name -> str. No file writes.

Text formats live in a registry (``register``), like papermill's engines, named by
``"module:function"`` so nothing is imported until it is used: ``html`` and ``md`` are the
document tree (``jdkit.document``) through the templates, ``jsonld`` the schema.org
``JobPosting``. Every renderer takes ``kind`` (``description`` or ``posting``). Writers
never import this module: it is the front door, not a helper library. The wording helpers
(``money``, ``pay_range``, ...) live in ``jdkit.wording`` and are re-exported here.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Callable
from typing import Any

from .errors import TemplateError
from .models import JobDescription
from .templating import builtin_templates, environment, md_escape
from .wording import (
    NO_PAY,
    PERIOD_WORDS,
    flsa_text,
    label,
    money,
    pay_range,
    target,
    us_date,
)

__all__ = ["FORMATS", "NO_PAY", "PERIOD_WORDS", "register", "render", "formats", "environment", "builtin_templates",
           "md_escape", "money", "pay_range", "flsa_text", "target", "label", "us_date"]

Renderer = Callable[..., str]

# format -> a Renderer, or "module:function" imported on first use.
FORMATS: dict[str, Renderer | str] = {
    "html": "jdkit.document.writers:render_html",
    "md": "jdkit.document.writers:render_markdown",
    "jsonld": "jdkit.export.jsonld:render_jsonld",
}


def register(fmt: str, renderer: Renderer | str) -> None:
    """Register a text renderer (or its ``"module:function"`` name) for ``fmt``."""
    FORMATS[fmt] = renderer


def formats() -> list[str]:
    """Return the names of every registered text format."""
    return sorted(FORMATS)


def render(model: JobDescription, fmt: str = "html", *, templates: str | os.PathLike[str] | None = None,
           kind: str = "description", **options: Any) -> str:
    """Render ``model`` as ``fmt`` text of ``kind``; ``templates`` is a folder overriding built-ins by name."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise TemplateError(f"unknown format {fmt!r}", field="--to",
                            hint=f"use one of: {', '.join(formats())}") from None
    if isinstance(renderer, str):
        module, _, name = renderer.partition(":")
        renderer = FORMATS[fmt] = getattr(importlib.import_module(module), name)
    return renderer(model, templates=templates, kind=kind, **options)


class _CallableModule(types.ModuleType):
    """``jdkit.render`` is both this module and the function: Python rebinds the package
    attribute to the submodule on first import, so the module itself must be callable."""

    def __call__(self, model: JobDescription, fmt: str = "html", **options: Any) -> str:
        return render(model, fmt, **options)


sys.modules[__name__].__class__ = _CallableModule
