"""Render a ``JobDescription`` to text: model + format name -> str. No file writes.

The text formats are those of the one format registry (``jdkit.formats.FORMATS``) that
render text: ``html`` and ``md`` are the document tree (``jdkit.document``) through the
templates, ``jsonld`` the schema.org ``JobPosting``. Every renderer takes ``kind``
(``description`` or ``posting``). Writers never import this module: it is the front door,
not a helper library. The wording helpers (``money``, ``pay_range``, ...) live in
``jdkit.wording`` and are re-exported here.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable
from typing import Any

from .errors import UnknownFormatError
from .formats import FORMATS, TextExporter, TextFormat
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

__all__ = [
    "FORMATS",
    "NO_PAY",
    "PERIOD_WORDS",
    "register",
    "render",
    "formats",
    "environment",
    "builtin_templates",
    "md_escape",
    "money",
    "pay_range",
    "flsa_text",
    "target",
    "label",
    "us_date",
]

Renderer = Callable[..., str]


def register(
    fmt: str,
    renderer: Renderer | str,
    *,
    extension: str | None = None,
    media_type: str = "text/plain",
) -> None:
    """Register a text renderer (or its ``"module:function"`` name) as the format ``fmt``.

    A shorthand for ``FORMATS.register(TextFormat(...))``: the format is then exported and
    offered by ``jdkit render --to`` too, as ``<slug>.<fmt>`` unless ``extension`` says otherwise.
    """
    FORMATS.register(TextFormat(fmt, extension or f".{fmt}", media_type, renderer))


def formats() -> list[str]:
    """Return the names of every registered text format, sorted."""
    return sorted(FORMATS.names(text=True))


def render(
    model: JobDescription,
    fmt: str = "html",
    *,
    templates: str | os.PathLike[str] | None = None,
    kind: str = "description",
    **options: Any,
) -> str:
    """Render ``model`` as ``fmt`` text of ``kind``; ``templates``: a folder of templates to use."""
    exporter = FORMATS.get(fmt)
    if not isinstance(exporter, TextExporter):
        raise UnknownFormatError(
            f"unknown format {fmt!r}", field="format", hint=f"use one of: {', '.join(formats())}"
        )
    return exporter.render(model, templates=templates, kind=kind, **options)


class _CallableModule(types.ModuleType):
    """``jdkit.render`` is both this module and the function: Python rebinds the package
    attribute to the submodule on first import, so the module itself must be callable."""

    def __call__(self, model: JobDescription, fmt: str = "html", **options: Any) -> str:
        return render(model, fmt, **options)


sys.modules[__name__].__class__ = _CallableModule
