"""The ipywidgets form bound to the models (the public entry point; the code is in ``jdkit.form``).

In a notebook::

    from jdkit.widgets import Form
    Form.from_env()      # saves to $JDKIT_FORM_DIR/params (set by ``jdkit form``), else ./params
"""

from __future__ import annotations

from .form import EXPORT_FORMATS, Form

__all__ = ["Form", "EXPORT_FORMATS"]
