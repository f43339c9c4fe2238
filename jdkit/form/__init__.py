"""The consultant's form: ipywidgets generated from the models, with live preview and findings.

``fields`` builds an editor per model field, ``lists`` the editable lists, ``app`` the
form around them. ``jdkit.widgets`` is the public entry point.
"""

from __future__ import annotations

from .app import EXPORT_FORMATS, Form

__all__ = ["Form", "EXPORT_FORMATS"]
