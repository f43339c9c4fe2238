"""The consultant's form: ipywidgets generated from the models, with live preview and findings.

``specs`` reads the models' annotations, ``fields`` and ``lists`` build an editor per field
and list, ``words`` names every place and problem in the form's own words, ``app`` is the
form around them, with ``actions`` (roles), ``files`` (Open, Upload, Save, Export),
``drafts`` and ``ask`` (its questions); ``panel`` and ``band`` draw the score, findings,
preview and market band. ``page`` is the page's style sheet, script and Voila template,
``server`` and ``child`` run ``jdkit form``. ``Form`` here is the public entry point.

``Form`` and ``EXPORT_FORMATS`` are imported on first use: ``jdkit form`` and its Voila
process import ``jdkit.form.server`` and ``jdkit.form.child``, which need neither ipywidgets
nor the models (about a second of imports each, before the server could listen).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import EXPORT_FORMATS, Form

__all__ = ["Form", "EXPORT_FORMATS"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".app", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
